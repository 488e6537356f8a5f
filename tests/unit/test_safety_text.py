"""The reporting and measure-effect sentences, against sentences written out by hand in both languages."""

from __future__ import annotations

import re

import pytest

from di_metrics.models.reporting import Decomposition, reporting_row
from di_metrics.present import safety_text
from tests.support.safety import CONSISTENT, ROW, SPLIT


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
        lambda lang: safety_text.its_sentence(CONSISTENT.its, lang),
        lambda lang: safety_text.did_sentence(CONSISTENT.did, CONSISTENT.comparison_parts, lang),
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
