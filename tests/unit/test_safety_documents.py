"""The `reporting` and `measures effect` JSON documents: the issue's contract, unknown as null, hidden as null."""

from __future__ import annotations

import json

from di_metrics.analysis.measure_effects import Effects
from di_metrics.analysis.reporting import Reporting
from di_metrics.cli.documents import document
from di_metrics.cli.safety_documents import effects_document, reporting_document
from di_metrics.models.names import Names
from di_metrics.models.reporting import Decomposition, Estimate, Prevalence, reporting_row
from tests.support.safety import CONSISTENT

CONTRACT = [
    "year",
    "headcount",
    "prevalence",
    "prevalence_low",
    "prevalence_high",
    "estimated_incidents",
    "formal_reports",
    "reporting_rate",
    "low",
    "high",
    "survey_reported_share",
    "suppressed",
    "formal_reports_reason",  # an addition: why the reports are unknown where no rule hid them
]


def test_reporting_rows_follow_the_contract_with_unknown_and_hidden_as_null():
    rows = (
        reporting_row(2024, 10_000, None, 190),
        reporting_row(2025, 10_000, Prevalence(0.10, 0.08, 0.125, 400), 200, 0.4),
        reporting_row(2023, 10_000, Prevalence(0.10, 0.08, 0.125, 400), None, hidden=True),
    )
    doc = json.loads(json.dumps(reporting_document(Reporting(rows, (Decomposition(2024, 2025, 10, reason="x"),)))))
    assert [list(r) for r in doc["rows"]] == [CONTRACT] * 3
    no_wave, wave, hidden = doc["rows"]
    assert no_wave["prevalence"] is None and no_wave["reporting_rate"] is None and no_wave["formal_reports"] == 190
    assert wave == {
        "year": 2025,
        "headcount": 10_000,
        "prevalence": 0.1,
        "prevalence_low": 0.08,
        "prevalence_high": 0.125,
        "estimated_incidents": 1000.0,
        "formal_reports": 200,
        "reporting_rate": 0.2,
        "low": 0.16,
        "high": 0.25,
        "survey_reported_share": 0.4,
        "suppressed": False,
        "formal_reports_reason": None,
    }
    assert hidden["suppressed"] and hidden["formal_reports"] is None and hidden["reporting_rate"] is None
    assert doc["changes"] == [
        {"from": 2024, "to": 2025, "change": 10, "incidents": None, "rate": None, "headcount": None}
        | {"driver": None, "reason": "x"}
    ]


def test_an_effect_leads_with_its_grade_and_carries_both_methods():
    (row,) = effects_document(Effects((CONSISTENT,)))["rows"]
    assert document("measures", Effects((CONSISTENT,)))["rows"] == [row]
    assert list(row)[:6] == ["name", "start", "indicator", "scope", "grade", "reason"]
    assert (row["grade"], row["reason"]) == ("consistent", "both_agree")
    assert row["its"]["effect"] == {"value": 11.7, "low": 7.0, "high": 16.4}
    assert row["did"]["effect"] == {"value": 12.1, "low": 10.8, "high": 13.3}
    assert row["did"]["parts"] == ["BS", "DMO"] and row["did"]["pre_trend_ok"] is True
    assert Estimate(1.0, 0.5, 2.0).excludes_zero


def test_an_effects_comparison_parts_keep_their_codes_and_carry_their_names_in_both_languages():
    """The contract's `parts` stay codes; `part_names` names them as the page does (a stored name, else the
    catalogue's word, else the code); red before: the document named the parts by code only."""
    names = Names({("branch", "BS"): ("Bestuursstaf", "Central Staff")})
    (row,) = effects_document(Effects((CONSISTENT,), names))["rows"]
    assert row["did"]["parts"] == ["BS", "DMO"]
    assert row["did"]["part_names"] == {"nl": ["Bestuursstaf", "DMO"], "en": ["Central Staff", "DMO"]}
    assert effects_document(Effects((CONSISTENT,)))["rows"][0]["did"]["part_names"]["en"] == ["BS", "DMO"]
