"""The career statistics without a database: Wilson's interval checked against its defining equation, the
four-fifths flag, the complement rule of the promotion table and the matrix, and a generated workforce with
known retention and promotion rates by sex that must give them back within their intervals."""

from __future__ import annotations

import datetime as dt
import math
import warnings

import numpy as np
import pandas as pd
import pytest

from di_metrics.analysis import career, promotion, retention
from di_metrics.models.ladders import load_ladders
from di_metrics.models.rates import Z95, ratio_interval, wilson

SEEDS = 100


@pytest.mark.parametrize(("x", "n"), [(10, 100), (0, 20), (7, 7), (3, 40)])
def test_wilson_bounds_solve_the_score_equation(x, n):
    """Each bound p satisfies (x/n - p)^2 = z^2 p (1 - p) / n, or is 0 or 1 where the data sit at an end."""
    low, high = wilson(x, n)
    for p in (low, high):
        if 0 < p < 1:
            assert (x / n - p) ** 2 == pytest.approx(Z95**2 * p * (1 - p) / n)
    assert low <= x / n <= high
    assert wilson(10, 100) == pytest.approx((0.0552291, 0.1743657), abs=1e-6)  # the textbook example


def test_the_flag_needs_both_a_low_ratio_and_an_interval_under_one():
    def level(wp: int, wn: int, mp: int, mn: int) -> promotion.LevelRate:
        return promotion.LevelRate("r", 2024, (2024,), wn, wp, mn, mp, False)

    assert level(10, 100, 40, 200).flag  # 0.5, interval well under 1
    small = level(5, 20, 10, 25)  # 0.625, but on 45 persons the interval reaches over 1
    assert small.interval[0] == pytest.approx(0.625) and small.interval[2] > 1 and not small.flag
    assert not level(90, 100, 100, 100).flag  # 0.9: within four fifths
    assert promotion.LevelRate("r", 2024, (2024,), None, None, None, None, True).flag is False


def test_a_single_hidden_year_takes_a_sibling_with_it():
    """Pooled over three years: a hidden year beside two shown years and the shown pooled row would be the
    pooled row minus the others, so the smallest shown year is hidden too."""
    rows = []
    for year, women_promoted in ((2022, 3), (2023, 9), (2024, 12)):
        rows += [
            {"year": year, "rank_group": "manschappen", "gender": "F", "at_risk": 60, "promoted": women_promoted},
            {"year": year, "rank_group": "manschappen", "gender": "M", "at_risk": 300, "promoted": 40},
        ]
    levels, pooled = promotion.level_rates(pd.DataFrame(rows), load_ladders(), 5)
    assert [r.suppressed for r in levels] == [True, True, False]
    assert not pooled[0].suppressed and pooled[0].women_promoted == 24 and pooled[0].women_at_risk == 180


def _workforce(rng: np.random.Generator, leave: dict[str, float], hires: dict[str, int], years: int = 6):
    """Spells of yearly hires at positions 2..years with a constant yearly chance of leaving, as spell_counts
    gives them, and the snapshot index (31 December of each year)."""
    last = years + 1
    rows = []
    for gender, q in leave.items():
        for start in range(2, last + 1):
            stay = rng.geometric(q, hires[gender])  # years until the snapshot that no longer holds the person
            end = np.minimum(start + stay - 1, last)
            for end_i, n in zip(*np.unique(end, return_counts=True), strict=True):
                rows.append({"start_i": start, "end_i": int(end_i), "gender": gender, "persons": int(n)})
    index = pd.DataFrame({"snapshot_date": [dt.date(2015 + i, 12, 31) for i in range(last)], "i": range(1, last + 1)})
    return pd.DataFrame(rows), index


def test_generated_retention_is_given_back_within_its_intervals():
    leave, hires = {"F": 0.12, "M": 0.08}, {"F": 150, "M": 400}
    covered = {(g, t): 0 for g in leave for t in retention.MILESTONES}
    covered_gap = {t: 0 for t in retention.MILESTONES}
    for seed in range(SEEDS):
        spells, index = _workforce(np.random.default_rng(seed), leave, hires)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            found = retention.retention_from(retention.spell_durations(spells, index), k=5)
        for m in found.milestones:
            covered[(m.group, m.years)] += m.low <= (1 - leave[m.group]) ** m.years <= m.high
        for d in found.differences:
            if d.years in covered_gap:
                truth = (1 - leave["F"]) ** d.years - (1 - leave["M"]) ** d.years
                covered_gap[d.years] += d.low <= truth <= d.high
    assert min(covered.values()) >= 90, covered
    assert min(covered_gap.values()) >= 90, covered_gap


def test_generated_promotion_is_given_back_within_its_intervals():
    p_women, p_men, n_women, n_men = 0.06, 0.10, 300, 1500
    hits = {"women": 0, "men": 0, "ratio": 0}
    for seed in range(SEEDS):
        rng = np.random.default_rng(seed)
        rows = []
        for year in (2022, 2023, 2024):
            rows.append(("F", year, n_women, rng.binomial(n_women, p_women)))
            rows.append(("M", year, n_men, rng.binomial(n_men, p_men)))
        frame = pd.DataFrame(rows, columns=["gender", "year", "at_risk", "promoted"]).assign(rank_group="officieren")
        _, pooled = promotion.level_rates(frame, load_ladders(), 5)
        level = pooled[0]
        hits["women"] += level.women_interval[0] <= p_women <= level.women_interval[1]
        hits["men"] += level.men_interval[0] <= p_men <= level.men_interval[1]
        hits["ratio"] += level.interval[1] <= p_women / p_men <= level.interval[2]
    assert min(hits.values()) >= 90, hits


def test_ratio_interval_edges():
    assert math.isnan(ratio_interval(3, 10, 0, 10)[0])  # men's rate 0: no ratio
    ratio, low, high = ratio_interval(0, 50, 10, 50)
    assert ratio == 0 and low == 0 and 0 < high < 1


def test_a_single_hidden_intake_year_takes_its_smallest_sibling():
    """The retention curve shows the selection's hires over all years at 0 years: one hidden year would be that
    total minus the shown years, so the smallest other year goes too; 2 X hires are left out of the hires."""
    rows = [(2019, "F", 10), (2019, "M", 12), (2020, "F", 20), (2020, "M", 30), (2020, "X", 2)]
    rows += [(2021, "F", 2), (2021, "M", 9)]
    durations = pd.DataFrame(rows, columns=["entry_year", "gender", "persons"])
    years = {y.year: y for y in career.intake_from(durations, 0.3, k=5).years}
    assert years[2021].suppressed and years[2019].suppressed
    assert not years[2020].suppressed and (years[2020].hires, years[2020].women_hired) == (50, 20)


def test_part_curves_take_complements_and_stop_together():
    """Women in parts a (3), b (20) and c (30): a is hidden, so b (the smallest other) goes too. Men in a (10), b (10,
    of whom 6 leave in the first year) and c (40): b's men fall to 4 at risk at 2 years, so both men's curves
    stop there (a's too); the whole men's curve would otherwise give b's number at risk away."""
    rows = [("a", "F", 5.0, False, 3), ("b", "F", 5.0, False, 20), ("c", "F", 5.0, False, 30)]
    rows += [
        ("a", "M", 5.0, False, 10),
        ("b", "M", 1.0, True, 6),
        ("b", "M", 5.0, False, 4),
        ("c", "M", 5.0, False, 40),
    ]
    durations = pd.DataFrame(rows, columns=["part", "gender", "years", "exited", "persons"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = retention.retention_from(durations, by="part", k=5)
    groups = {p.group for p in found.curves}
    assert groups == {"F | c", "M | a", "M | b", "M | c"}
    men_c = [p for p in found.curves if p.group == "M | c"]
    assert [(p.t, p.suppressed) for p in men_c] == [(0.0, False), (5.0, True)]  # b's 4 at risk at 5 years
    assert ("M | c", 5) not in {(m.group, m.years) for m in found.milestones}


def test_a_database_without_person_level_snapshots_has_no_promotion_rates():
    """A headcount file alone (no persons, so no moves up a ladder) gives no levels, not a KeyError: the report,
    the slides and `claims` read promotion for every selection."""
    empty = pd.DataFrame(columns=["year", "rank_group", "gender", "at_risk", "promoted"])
    assert promotion.level_rates(empty, load_ladders(), 5) == ((), ())
