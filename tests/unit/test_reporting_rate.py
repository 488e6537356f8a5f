"""The reporting rate, its interval and the split of a change in reports, against figures worked out by hand."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from di_metrics.models.reporting import Prevalence, decompose, reporting_row, shapley_parts


def test_rate_is_reports_over_prevalence_times_headcount_and_its_interval_is_the_wilson_interval_mapped():
    # 10% of 1,000 people = 100 who experienced it; 20 reports → 0.20 per person.
    # The prevalence interval 8%..12.5% maps to 80..125 people, so the rate runs 20/125 = 0.16 .. 20/80 = 0.25.
    row = reporting_row(2023, 1000, Prevalence(0.10, 0.08, 0.125, 400), 20, 0.3)
    people = row.estimated_incidents
    assert (people.value, people.low, people.high) == pytest.approx((100, 80, 125))
    rate = row.reporting_rate
    assert (rate.value, rate.low, rate.high) == pytest.approx((0.20, 0.16, 0.25))


def test_a_year_without_a_survey_wave_has_no_prevalence_and_no_rate_never_zero():
    row = reporting_row(2022, 1000, None, 20)
    assert row.estimated_incidents is None
    assert row.reporting_rate is None
    assert not row.suppressed


def test_a_hidden_report_count_hides_the_rate():
    row = reporting_row(2023, 1000, Prevalence(0.10, 0.08, 0.125, 400), None, hidden=True)
    assert row.suppressed
    assert row.reporting_rate is None


def test_the_split_of_a_hand_worked_change_in_reports():
    # 1,000 people, 10% prevalence, rate 0.20 → 20 reports; then 1,200 people, 10%, rate 0.25 → 30 reports.
    # Incidents part: Δp = 0 → 0.
    # Headcount part: 200 × [(0.1·0.2 + 0.1·0.25)/3 + (0.1·0.25 + 0.1·0.2)/6] = 200 × (0.015 + 0.0075) = 4.5.
    # Rate part: 0.05 × [(100 + 120)/3 + (100 + 120)/6] = 0.05 × 110 = 5.5.   4.5 + 5.5 = 10 = 30 − 20.
    a = reporting_row(2021, 1000, Prevalence(0.10, 0.08, 0.125, 400), 20)
    b = reporting_row(2023, 1200, Prevalence(0.10, 0.08, 0.125, 400), 30)
    split = decompose(a, b)
    assert split.change == 10
    assert split.incidents.value == pytest.approx(0.0, abs=1e-12)
    assert split.headcount.value == pytest.approx(4.5)
    assert split.rate.value == pytest.approx(5.5)
    # the headcount is counted, not sampled, but its part depends on both prevalences, so it has an interval too
    for part in split.parts:
        assert part.low <= part.value <= part.high


@pytest.mark.parametrize("seed", range(50))
def test_the_three_parts_add_up_to_the_change_exactly(seed):
    rng = np.random.default_rng(seed)
    h = tuple(float(v) for v in rng.integers(50, 5000, 2))
    p = tuple(float(v) for v in rng.uniform(0.01, 0.5, 2))
    r = tuple(float(v) for v in rng.uniform(0.0, 1.5, 2))
    parts = shapley_parts(h, p, r)
    change = h[1] * p[1] * r[1] - h[0] * p[0] * r[0]
    assert sum(parts) == pytest.approx(change, rel=1e-12, abs=1e-9)


def test_the_shapley_part_is_the_average_over_every_order_of_change():
    # Independent derivation: change the three factors one at a time in each of the 6 orders, average.
    start, end = (1000.0, 0.1, 0.2), (1200.0, 0.15, 0.25)
    totals = [0.0, 0.0, 0.0]
    for order in itertools.permutations(range(3)):
        now = list(start)
        for i in order:
            before = np.prod(now)
            now[i] = end[i]
            totals[i] += (np.prod(now) - before) / 6
    incidents, rate, headcount = shapley_parts((start[0], end[0]), (start[1], end[1]), (start[2], end[2]))
    assert (headcount, incidents, rate) == pytest.approx(tuple(totals))


def test_the_split_refuses_without_a_prevalence_and_says_why():
    a = reporting_row(2022, 1000, None, 20)
    b = reporting_row(2023, 1200, Prevalence(0.10, 0.08, 0.125, 400), 30)
    split = decompose(a, b)
    assert split.reason == "no_prevalence"
    assert split.parts is None
    assert split.driver is None
    assert split.change == 10


def test_the_split_refuses_when_a_count_is_hidden_and_shows_no_change():
    a = reporting_row(2021, 1000, Prevalence(0.10, 0.08, 0.125, 400), None, hidden=True)
    b = reporting_row(2023, 1200, Prevalence(0.10, 0.08, 0.125, 400), 30)
    split = decompose(a, b)
    assert (split.reason, split.change, split.parts) == ("hidden", None, None)


def test_a_rise_driven_by_willingness_names_the_rate_and_by_incidents_names_incidents():
    # Same people, same prevalence on a big survey, reports doubled: only the rate changed.
    a = reporting_row(2021, 10_000, Prevalence(0.10, 0.094, 0.106, 10_000), 200)
    b = reporting_row(2023, 10_000, Prevalence(0.10, 0.094, 0.106, 10_000), 400)
    assert decompose(a, b).driver == "rate"
    # Prevalence doubled and reports doubled: the rate is the same; the rise is incidents.
    c = reporting_row(2023, 10_000, Prevalence(0.20, 0.192, 0.208, 10_000), 400)
    assert decompose(a, c).driver == "incidents"


def test_the_split_is_the_same_every_time_it_is_asked():
    a = reporting_row(2021, 1000, Prevalence(0.10, 0.08, 0.125, 400), 20)
    b = reporting_row(2023, 1200, Prevalence(0.12, 0.09, 0.15, 300), 30)
    assert decompose(a, b) == decompose(a, b)


def test_a_change_whose_reports_are_unknown_says_unknown_once_never_hidden():
    """A year without a survey wave next to one with it, both with their formal reports unknown (kept per branch
    and category, not per unit): the change is not split because the reports are not known, which is what the
    rows say; nothing was hidden, so the sentence never says a count is hidden (one reason per blank)."""
    from di_metrics.present import safety_text

    a = reporting_row(2024, 313, None, None)
    b = reporting_row(2025, 322, Prevalence(0.065, 0.022, 0.175, 46), None)
    split = decompose(a, b)
    assert (split.reason, split.change, split.parts) == ("no_reports", None, None)
    assert safety_text.change_sentence(split, "en") == (
        "2024 to 2025: the formal reports or the headcount are not known for both years, so the change is not split."
    )
