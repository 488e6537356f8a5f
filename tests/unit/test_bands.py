"""Bands calibrated on the track record (docs/model.md, section 5): honest (an origin's band uses only what was
known at that origin), scored by hand-worked interval and Brier scores, and measured per horizon."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from di_metrics.analysis.bands import calibrated_bands, interval_score, student_quantile
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


@pytest.mark.xfail(
    strict=True,
    reason="not met: on the department the calibrated 90% band holds 71-78% at 1-3 years (7 of 9, 6 of 8, 5 of 7) "
    "and its interval score is worse than the random walk's, because the flat line forecasts better than the "
    "model there (docs/model.md, section 5)",
)
def test_the_department_per_horizon_aim():
    scenarios, shares, last = university()
    pairs = evaluate(scenarios, shares, last, paths=2_000).pairs
    h = summarise(pairs)
    h = h[h["pairs"] >= 5]
    assert h["coverage90_calibrated"].between(0.80, 0.97).all()
    assert h["coverage50_calibrated"].between(0.35, 0.65).all()
    assert (h["interval_score_calibrated"] <= h["interval_score_random_walk"]).all()


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
