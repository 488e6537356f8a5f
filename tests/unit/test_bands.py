"""Bands calibrated on the track record (docs/model.md, section 5): honest (an origin's band uses only what was
known at that origin), scored by hand-worked interval and Brier scores, and measured per horizon."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from di_metrics.analysis.bands import calibrated_bands, cross_bands, interval_score, student_quantile
from di_metrics.analysis.track_record import evaluate, summarise
from tests.support import generated
from tests.support.university import university

RISING = {"hire_share": (0.15, 0.008, 0.01), "attrition_women": (0.09, 0.002, 0.005)}
FALLING = {"hire_share": (0.30, -0.006, 0.015), "attrition_women": (0.12, -0.002, 0.005)}


def test_interval_score_worked_by_hand():
    # width 0.1; the outcome 0.05 above the band, at alpha 0.1: 0.1 + 20 x 0.05 = 1.1; inside: the width alone
    assert interval_score([0.1, 0.1], [0.2, 0.2], [0.25, 0.15], 0.1) == pytest.approx([1.1, 0.1])
    assert interval_score([0.1], [0.2], [0.0], 0.5) == pytest.approx([0.1 + 4 * 0.1])


@pytest.mark.parametrize(("q", "df", "table"), [(0.95, 3, 2.353), (0.95, 10, 1.812), (0.75, 5, 0.727)])
def test_student_quantile_against_the_printed_table(q, df, table):
    assert student_quantile(q, df) == pytest.approx(table, abs=0.01)


def test_an_origins_band_uses_nothing_from_after_it():
    """Leave the future out: change every outcome after 2008 and the bands of the start years up to 2008 stay."""
    scenarios, shares, last = university()
    pairs = evaluate(scenarios, shares, last, paths=300).pairs
    bands = calibrated_bands(pairs, shares)
    future = {y: (s if y <= 2008 else min(0.99, s + 0.1)) for y, s in shares.items()}
    moved = pairs.assign(actual=[future[y] for y in pairs["year"]])
    again = calibrated_bands(moved, future)
    early = (pairs["origin"] <= 2008).to_numpy()
    assert early.sum() > 10 and not again.equals(bands)
    pd.testing.assert_frame_equal(again[early], bands[early])


def test_brier_scores_and_the_climate_worked_by_hand():
    """Two pairs one year ahead: the share rose in one and fell in the other. The Monte Carlo said 0.8 and 0.3
    that it would stay at or above the start: (0.2^2 + 0.3^2) / 2 = 0.065."""
    pairs = pd.DataFrame(
        {
            "origin": [2003, 2004], "year": [2004, 2005], "actual": [0.14, 0.12], "model": [0.13, 0.13],
            "constant": [0.13, 0.14], "trend": [0.13, 0.13], "chance_model": [0.8, 0.3],
            **{f"p{q:02d}": [0.1, 0.1] for q in (5, 25, 50, 75, 95)},
        }
    )  # fmt: skip
    shares = {2000: 0.10, 2001: 0.12, 2002: 0.11, 2003: 0.13, 2004: 0.14, 2005: 0.12}
    frame = pd.concat([pairs, calibrated_bands(pairs, shares)], axis=1)
    frame = pd.concat([frame, cross_bands(frame)], axis=1)
    # climate at 2003, one year ahead: 2000->01 up, 01->02 down, 02->03 up: 2/3; at 2004 also 03->04 up: 3/4
    assert list(frame["chance_climate"]) == pytest.approx([2 / 3, 3 / 4])
    row = summarise(frame).iloc[0]
    assert row["brier_model"] == pytest.approx(0.065)
    assert row["brier_climate"] == pytest.approx(((1 - 2 / 3) ** 2 + (3 / 4) ** 2) / 2)


def _held(pairs: pd.DataFrame, low: str, high: str) -> pd.Series:
    """Per horizon, the share of pairs inside the band, counted here from the pairs themselves."""
    inside = (pairs[low] <= pairs["actual"]) & (pairs["actual"] <= pairs[high])
    return inside.groupby(pairs["year"] - pairs["origin"]).mean()


def test_generated_drifting_histories_the_calibrated_band_holds_per_horizon():
    """Every horizon with at least 20 pairs (1-11 years): the 90% band holds 80-97%, the 50% band 35-65%
    (measured 82-96% and 39-51%, docs/model.md). At 12 years, with 12 pairs, it holds all 12: one miss is the
    only count inside 80-97% there, so that horizon is reported, not asserted."""
    histories = [generated.history(seed, **kind) for kind in (RISING, FALLING) for seed in range(6)]
    pairs = pd.concat([evaluate(*h, paths=1_000).pairs for h in histories])
    counts = (pairs["year"] - pairs["origin"]).value_counts()
    enough = counts[counts >= 20].index
    assert len(enough) == 11
    c90, c50 = (_held(pairs, f"band_p{a:02d}", f"band_p{b:02d}")[enough] for a, b in ((5, 95), (25, 75)))
    assert c90.between(0.80, 0.97).all(), c90
    assert c50.between(0.35, 0.65).all(), c50


def _five_starts() -> pd.DataFrame:
    """Five start years, one pair each one year ahead; the flat line misses by 0.01-0.03, the projection by 0.05."""
    actual = [0.20, 0.22, 0.21, 0.25, 0.24]
    return pd.DataFrame(
        {
            "origin": [2001, 2002, 2003, 2004, 2005], "year": [2002, 2003, 2004, 2005, 2006], "actual": actual,
            "model": [a - 0.05 for a in actual], "constant": [0.19, 0.20, 0.23, 0.22, 0.23],
            "trend": [a + 0.06 for a in actual],
            **{f"walk_p{q:02d}": [0.1 * q / 100] * 5 for q in (5, 25, 75, 95)},
        }
    )  # fmt: skip


def test_the_cross_band_worked_by_hand():
    """The pair of 2003 is banded by the four others: the flat line misses least there (0.01-0.03 against 0.05
    and 0.06), their logit errors' mean corrects its bias, and Student's prediction interval (scipy's t with 3
    degrees of freedom) sets the width."""
    from scipy import stats

    pairs = _five_starts()
    band = cross_bands(pairs).iloc[2]
    lg = lambda p: np.log(np.asarray(p) / (1 - np.asarray(p)))  # noqa: E731
    errors = lg([0.20, 0.22, 0.25, 0.24]) - lg([0.19, 0.20, 0.22, 0.23])
    centre, s = lg(0.23) + errors.mean(), errors.std(ddof=1) * np.sqrt(1 + 1 / 4)
    for q, level in ((5, 0.95), (95, 0.05), (25, 0.75), (75, 0.25)):
        side = -1 if q < 50 else 1
        expected = 1 / (1 + np.exp(-(centre + side * stats.t.ppf(level if q < 50 else 1 - level, 3) * s)))
        assert band[f"cross_p{q:02d}"] == pytest.approx(expected, abs=2e-4)  # t by Cornish-Fisher: within 0.01
    assert band["cross_from"] == "constant"


def test_the_cross_band_never_sees_the_pair_it_scores_and_falls_back_to_the_walk():
    pairs = _five_starts()
    moved = pairs.assign(actual=[0.20, 0.22, 0.90, 0.25, 0.24])  # only 2003's outcome changes
    before, after = cross_bands(pairs), cross_bands(moved)
    pd.testing.assert_series_equal(before.iloc[2], after.iloc[2])
    assert not before.iloc[0].equals(after.iloc[0])
    # with three others only, the random walk's band, and it says so
    few = cross_bands(pairs.iloc[:4])
    assert list(few["cross_from"]) == ["walk"] * 4
    assert few.iloc[0]["cross_p05"] == pytest.approx(0.005) and few.iloc[0]["cross_p95"] == pytest.approx(0.095)


def _per_horizon(pairs: pd.DataFrame) -> pd.DataFrame:
    """Coverage and the 90% interval scores per horizon, counted here from the pairs themselves."""
    frame = pairs.assign(h=pairs["year"] - pairs["origin"])
    a = frame["actual"]
    frame = frame.assign(
        c90=(frame["cross_p05"] <= a) & (a <= frame["cross_p95"]),
        c50=(frame["cross_p25"] <= a) & (a <= frame["cross_p75"]),
        cross=interval_score(frame["cross_p05"], frame["cross_p95"], a, 0.1),
        walk=interval_score(frame["walk_p05"], frame["walk_p95"], a, 0.1),
    )
    return frame.groupby("h").agg(pairs=("c90", "size"), c90=("c90", "mean"), c50=("c50", "mean"),
                                  cross=("cross", "mean"), walk=("walk", "mean"))  # fmt: skip


def test_generated_histories_the_cross_band_meets_the_aim_where_it_has_other_starts():
    """Per history, horizons 1-8 have at least five start years (the cross band has four others): there it
    holds 87-92% and 45-52% (docs/model.md). At 9-12 years it is the random walk's band, which holds 94-100% and
    72-77%: reported, not asserted. Its interval score is no worse than the random walk's at every horizon."""
    histories = [generated.history(seed, **kind) for kind in (RISING, FALLING) for seed in range(6)]
    h = _per_horizon(pd.concat([evaluate(*x, paths=100).pairs for x in histories]))
    assert (h["cross"] <= h["walk"] + 1e-12).all(), h
    met = h.loc[1:8]
    assert met["c90"].between(0.80, 0.97).all() and met["c50"].between(0.35, 0.65).all(), met


def test_the_department_cross_band_scores_better_than_the_walk_at_1_to_4_years():
    scenarios, shares, last = university()
    record = evaluate(scenarios, shares, last, paths=300)
    h = _per_horizon(record.pairs)
    assert (h.loc[1:4, "cross"] < h.loc[1:4, "walk"]).all(), h
    # the record names the band that scored best: the cross band at 2-4 years, the random walk's at 5
    assert [record.best_band(x) for x in (2, 3, 4, 5)] == ["cross", "cross", "cross", "random_walk"]


@pytest.mark.xfail(
    strict=True,
    reason="not met, and not reliably meetable with 5-9 pairs: the cross band holds 89%, 100%, 86%, 100%, 100% "
    "(90%) and 33%, 38%, 57%, 50%, 20% (50%) at 1-5 years, and scores 19.5 pp against the walk's 17.7 at 5 "
    "years. With n <= 9 pairs, 80-97% admits exactly one miss; a perfectly calibrated band has that with "
    "chance 0.33-0.39 per horizon, and a band from the others' order statistics holds at most (n-2)/n "
    "(docs/model.md, section 5)",
)
def test_the_department_per_horizon_aim():
    scenarios, shares, last = university()
    pairs = evaluate(scenarios, shares, last, paths=2_000).pairs
    h = summarise(pairs)
    h = h[h["pairs"] >= 5]
    assert h["coverage90_cross"].between(0.80, 0.97).all()
    assert h["coverage50_cross"].between(0.35, 0.65).all()
    assert (h["interval_score_cross"] <= h["interval_score_random_walk"]).all()


def test_a_band_from_the_others_order_statistics_holds_at_most_n_minus_2_of_n():
    """Leave one out, the band between the a-th and b-th smallest of the other n-1 errors holds the left-out
    error exactly when its rank among all n lies in a+1..b: (b-a)/n of the time, whatever the errors. Bounded
    on both sides (1 <= a < b <= n-1) that is at most (n-2)/n: 78% at 9 pairs, 60% at 5."""
    rng = np.random.default_rng(7)
    for n in range(5, 10):
        e = rng.normal(size=n)
        held = [np.sort(np.delete(e, i))[0] <= e[i] <= np.sort(np.delete(e, i))[-1] for i in range(n)]
        assert sum(held) == n - 2


def test_the_random_walk_band_is_centred_on_the_start_and_widens():
    scenarios, shares, last = university()
    pairs = evaluate(scenarios, shares, last, paths=300).pairs
    one = pairs[pairs["origin"] == 2008]
    assert np.all(one["walk_p05"] < one["constant"]) and np.all(one["constant"] < one["walk_p95"])
    width = (one["walk_p95"] - one["walk_p05"]).to_numpy()
    assert np.all(np.diff(width) > 0)


def test_the_straight_line_uses_the_complete_years_and_the_docs_say_so():
    """docs/model.md said "the shares at the ends of o-3 ... o"; the code takes the complete years among them,
    so a first start year whose o-3 is the first (incomplete) year of snapshots has three points, not four."""
    from di_metrics.models.projection import Scenario
    from tests.support import ROOT

    # 2017 is the first year of snapshots: not complete, so track_record gives it no share
    shares = {2018: 0.16, 2019: 0.19, 2020: 0.20, 2021: 0.25}
    record = evaluate({2020: Scenario(start_year=2020, women=200, men=800)}, shares, 2021, paths=100)
    # least squares through (2018, .16), (2019, .19), (2020, .20): slope .02, mean .1833 at 2019
    assert record.pairs["trend"].iloc[0] == pytest.approx(0.55 / 3 + 0.02 * 2)
    text = " ".join((ROOT / "docs" / "model.md").read_text(encoding="utf-8").split())
    assert "known year-end shares of the *complete* years among `o-3 ... o`" in text
