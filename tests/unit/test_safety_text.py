"""The reporting and measure-effect sentences, against sentences written out by hand in both languages."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pytest
from scipy import stats

from di_metrics.models.reporting import Decomposition, Estimate, reporting_row
from di_metrics.present import safety_text
from tests.support.safety import ALONE, CONSISTENT, FEW, ROW, SPLIT, WORKED


def test_a_year_with_a_wave_says_people_reports_rate_and_the_survey_share():
    # 10% of 10,000 = 1,000 people (800 to 1,250); 200 reports = 20 per 100 (16 to 25).
    assert safety_text.rate_sentence(ROW, "en") == (
        "2025: about 1,000 people (800 to 1,250) experienced unwanted behaviour and 200 formal reports were made: "
        "20.0 per 100 (16.0 to 25.0). In the survey 40% of them say they reported it."
    )
    assert safety_text.rate_sentence(ROW, "nl") == (
        "2025: naar schatting 1.000 mensen (800 tot 1.250) maakten ongewenst gedrag mee en er kwamen 200 formele "
        "meldingen: 20,0 per 100 (16,0 tot 25,0). In de enquête zegt 40% van hen dat ze het meldden."
    )


def test_a_year_without_a_wave_says_the_rate_is_unknown_and_a_hidden_year_says_hidden():
    assert safety_text.rate_sentence(reporting_row(2024, 10_000, None, 190), "en") == (
        "2024: 190 formal reports; no survey wave this year, so the reporting rate is unknown."
    )
    hidden = reporting_row(2024, 10_000, None, None, hidden=True)
    assert "afgeschermd" in safety_text.rate_sentence(hidden, "nl")
    assert "hidden" in safety_text.rate_sentence(hidden, "en")


def test_a_split_change_names_its_driver_and_a_refused_one_draws_no_conclusion():
    assert safety_text.change_sentence(SPLIT, "en") == (
        "2023 to 2025: formal reports changed by +32: −33 (−56 to −10) from incidents, +59 (36 to 82) from the "
        "reporting rate and +6 (6 to 7) from headcount. Mostly a change in willingness to report."
    )
    # a part whose interval rounds to its value alone says the value only, never "(4 to 4)"
    exact = Decomposition(2023, 2025, 32, SPLIT.incidents, SPLIT.rate, Estimate(4.1, 3.9, 4.4), "rate")
    assert "+4 from headcount" in safety_text.change_sentence(exact, "en")
    assert "(4 to 4)" not in safety_text.change_sentence(exact, "en")
    refused = Decomposition(2024, 2025, 21, reason="no_prevalence")
    assert safety_text.change_sentence(refused, "en") == (
        "2024 to 2025: formal reports changed by +21. Without a survey wave in both years Koers cannot say whether "
        "that is more incidents or more willingness to report."
    )
    assert "Mostly" not in safety_text.change_sentence(refused, "en")


def test_the_grade_line_leads_with_the_grade_and_its_reason():
    assert safety_text.grade_sentence(CONSISTENT, "en") == (
        "Consistent: +11.7 pp: its own series and the comparison with the parts it did not cover agree, and the "
        "tests at false dates are quiet."
    )
    assert safety_text.grade_sentence(CONSISTENT, "nl").startswith("Consistent: +11,7 pp: de eigen reeks")


@pytest.mark.parametrize(
    "render",
    [
        lambda lang: safety_text.rate_sentence(ROW, lang),
        lambda lang: safety_text.change_sentence(SPLIT, lang),
        lambda lang: safety_text.grade_sentence(CONSISTENT, lang),
        lambda lang: safety_text.its_sentence(WORKED, lang),
        lambda lang: safety_text.did_sentence(WORKED, lang),
        lambda lang: safety_text.its_sentence(FEW, lang),
        lambda lang: safety_text.did_sentence(FEW, lang),
    ],
)
def test_dutch_and_english_carry_the_same_numbers(render):
    def numbers(text: str) -> list[str]:
        return [n.replace(".", "").replace(",", "") for n in re.findall(r"\d[\d.,]*\d|\d", text)]

    assert numbers(render("nl")) == numbers(render("en"))


def test_the_reporting_chart_has_no_point_in_a_year_without_a_wave_and_shows_displayed_precision():
    from di_metrics.analysis.reporting import Reporting
    from di_metrics.present.safety_views import reporting_chart, reporting_table

    no_wave = reporting_row(2024, 10_000, None, 190)
    result = Reporting((no_wave, ROW), ())
    bars, rates = reporting_chart(result, "en", "t").data
    assert list(bars.x) == [2024, 2025] and list(bars.y) == [190, 200]
    assert list(rates.x) == [2025]  # 2024 has no point: unknown, not zero
    assert list(rates.y) == [20.0] and list(rates.error_y.array) == [5.0] and list(rates.error_y.arrayminus) == [4.0]
    table = reporting_table(result, "nl")
    assert table.iloc[0].tolist()[4:6] == ["190", "–"]


def _side(times: np.ndarray, values: np.ndarray, at: float) -> tuple[float, float]:
    """One side's straight line at `at`: its value and that value's HC3 variance (the segmented model of the
    series is two separate lines, so its covariance is theirs side by side)."""
    x = np.column_stack([np.ones_like(times), times - at])
    inverse = np.linalg.inv(x.T @ x)
    beta = inverse @ x.T @ values
    leverage = np.array([row @ inverse @ row for row in x])
    weights = ((values - x @ beta) / (1 - leverage)) ** 2
    covariance = inverse @ (x.T * weights) @ x @ inverse
    return beta[0], covariance[0, 0]


def test_the_its_line_states_the_hand_worked_fit_and_the_point_left_out():
    """WORKED (tests/support/safety.py): the line before the start is 10 + 0.5k, at the start (k = 8) 14.0 pp;
    after it 17 + 1.5j: level 17 - 14 = +3.0 pp, slope 1.5 - 0.5 = +1.0 pp a year, effect 3 + 1.0 x 1.5 (the
    mean of j = 0..3) = +4.5 pp. Eight points before allow one false start (2016): both halves of 2012-2019 lie
    on one line, so it finds no change: 0 of 1 fire. 2011 is hidden: 1 of 13 points left out, not a 0."""
    t = np.array([dt.date(y, 1, 1).toordinal() / 365.25 for y in range(2012, 2024)])
    k = np.arange(12)
    wiggle = np.array([1.0, -1.0, -1.0, 1.0] * 3)
    values = np.where(k < 8, 10 + 0.5 * k + wiggle, 17 + 1.5 * (k - 8) + 0.5 * wiggle)
    start = dt.date(2020, 1, 1).toordinal() / 365.25
    after_mean = float(np.mean(t[8:] - start))
    # the effect is the gap between the two lines at the mean time after the start; its 95% interval, t on 12 - 4
    a_after, v_after = _side(t[8:], values[8:], start + after_mean)
    a_before, v_before = _side(t[:8], values[:8], start + after_mean)
    half = stats.t.ppf(0.975, 8) * np.sqrt(v_after + v_before)
    assert a_after - a_before == pytest.approx(4.5, abs=0.01)
    low, high = f"{4.5 - half:.1f}", f"{4.5 + half:.1f}"
    assert safety_text.its_sentence(WORKED, "en") == (
        f"Interrupted time series: level +3.0 pp, slope +1.0 pp a year; effect +4.5 pp (+{low} pp to +{high} pp); "
        "0 of 1 false start dates fire. 1 of 13 points left out: hidden or missing."
    )
    assert safety_text.its_sentence(WORKED, "nl") == (
        "Onderbroken tijdreeks: niveau +3,0 pp, helling +1,0 pp per jaar; effect +4,5 pp "
        f"(+{low.replace('.', ',')} pp tot +{high.replace('.', ',')} pp); 0 van 1 valse startdata slaan aan. "
        "1 van 13 punten weggelaten: afgeschermd of ontbrekend."
    )


def test_the_did_line_is_the_hand_worked_difference_of_means():
    """The parts' mean is 9 + 0.5k, so the gap is 1 + wiggle before the start (mean 1) and 4.5, 4.5, 5.5, 7.5
    after it (mean 5.5): effect +4.5 pp. HC3 of a difference of two means: residuals +-1 before (leverage 1/8)
    give 8 x 1 / (7/8)^2 / 8^2 = 8/49; -1, -1, 0, +2 after (leverage 1/4) give 6 / (3/4)^2 / 4^2 = 2/3; with t on
    12 - 2 = 10 degrees of freedom, 2.228 x sqrt(8/49 + 2/3) = 2.03: +2.5 to +6.5 pp. The gap before has no
    slope; each part against the other keeps the gap 2 + 0.5 x wiggle on both sides: 0 of 2 fire."""
    assert stats.t.ppf(0.975, 10) * np.sqrt(8 / 49 + 2 / 3) == pytest.approx(2.03, abs=0.005)
    assert safety_text.did_sentence(WORKED, "en") == (
        "Difference in differences against BS, DMO: +4.5 pp (+2.5 pp to +6.5 pp); no drift before the start; "
        "0 of 2 placebo parts fire. 1 of 13 points left out: hidden or missing."
    )
    assert safety_text.did_sentence(WORKED, "nl") == (
        "Verschil in verschillen tegen BS, DMO: +4,5 pp (+2,5 pp tot +6,5 pp); geen uiteenlopen voor de start; "
        "0 van 2 placebo-delen slaan aan. 1 van 13 punten weggelaten: afgeschermd of ontbrekend."
    )


def test_too_few_points_says_how_many_were_hidden_or_missing_never_zero():
    """FEW hides 2011 and 2020-2022: 8 points before the start, 1 after, 4 of 13 left out."""
    assert safety_text.its_sentence(FEW, "en") == (
        "Interrupted time series: too few points (8 before, 1 after; 4 each are needed). "
        "4 of 13 points left out: hidden or missing."
    )
    assert safety_text.did_sentence(FEW, "nl") == (
        "Verschil in verschillen: te weinig punten (8 voor, 1 na; elk 4 nodig). "
        "4 van 13 punten weggelaten: afgeschermd of ontbrekend."
    )
    assert safety_text.did_sentence(ALONE, "en") == "Difference in differences: no uncovered parts to compare with."


def test_a_change_that_rounds_to_zero_reads_plus_zero_never_minus_zero():
    """A slope of -0.04 pp a year is shown at one decimal as +0.0 (the demo's first measure read '−0.0')."""
    import dataclasses

    from di_metrics.analysis.claims_effects import its_claim
    from di_metrics.present.claims import render

    claim = its_claim(WORKED)
    flat = dataclasses.replace(claim, params=dict(claim.params) | {"slope": (-0.04, -1.0, 0.92)})
    assert "slope +0.0 pp a year" in render(flat, "en")
    assert "helling +0,0 pp per jaar" in render(flat, "nl")


def test_reports_unknown_without_a_rule_say_why_in_both_languages():
    blank = (
        reporting_row(2023, 100, None, None, reports_reason="no_personnel_category"),
        reporting_row(2025, 100, None, 35),
    )
    assert safety_text.reports_reason_note(blank, "en") == (
        "In 2023 some formal reports were imported without a personnel category: their count per category is "
        "unknown, and so is the reporting rate per category."
    )
    assert safety_text.reports_reason_note(blank, "nl").startswith("In 2023 zijn formele meldingen ingelezen zonder")
    finer = (reporting_row(2025, 100, None, None, reports_reason="finer_than_kept"),)
    assert "not per unit or rank group" in safety_text.reports_reason_note(finer, "en")
    assert safety_text.reports_reason_note((reporting_row(2025, 100, None, 35),), "en") is None
    assert safety_text.reports_reason_note((reporting_row(2025, 100, None, None, hidden=True),), "en") is None


def test_a_change_with_an_unknown_year_says_not_known_not_hidden():
    """2025's reports were imported without a personnel category, so a category's count is unknown, which no
    rule hid: the sentence says not known (red before: 'a count is hidden')."""
    unknown = Decomposition(2023, 2025, None, reason="no_reports")
    assert safety_text.change_sentence(unknown, "en") == (
        "2023 to 2025: the formal reports or the headcount are not known for both years, so the change is not split."
    )
    assert "afgeschermd" not in safety_text.change_sentence(unknown, "nl")


def test_the_years_without_a_personnel_category_are_listed_as_words():
    """Two years read '2024 and 2025' / '2024 en 2025' (red before: '2024, 2025'), three '2023, 2024 and 2025'."""
    rows = tuple(reporting_row(y, 100, None, None, reports_reason="no_personnel_category") for y in (2024, 2025))
    assert safety_text.reports_reason_note(rows, "en").startswith("In 2024 and 2025 some formal reports")
    assert safety_text.reports_reason_note(rows, "nl").startswith("In 2024 en 2025 zijn formele meldingen")
    three = (reporting_row(2023, 100, None, None, reports_reason="no_personnel_category"), *rows)
    assert safety_text.reports_reason_note(three, "en").startswith("In 2023, 2024 and 2025 some")
