"""The lever door decodes what a link, a saved scenario and the CLI write: percent in links, fractions and
whole years elsewhere; every refusal names its field, the value as given and a reason."""

from __future__ import annotations

import math

import pytest

from di_metrics.models.levers import ScenarioInput, ScenarioRejected, check_start, explain, range_of


def test_a_link_carries_percent_under_short_names_and_the_door_returns_fractions():
    given, rejected = ScenarioInput.from_url(
        {"h": "42.5", "aw": "6", "am": "4.5", "g": "-1.5", "t": "35", "d": "2031", "other": "x"}, start_year=2025
    )
    assert rejected == []
    assert given.levers() == pytest.approx(
        {
            "hire_share": 0.425,
            "attrition_women": 0.06,
            "attrition_men": 0.045,
            "growth": -0.015,
            "target": 0.35,
            "deadline": 2031,
        }
    )
    assert isinstance(given.deadline, int)


def test_a_refusal_in_a_link_keeps_the_links_own_name_and_text():
    given, rejected = ScenarioInput.from_url({"h": "  120 ", "d": "2024"}, start_year=2025)
    assert given.levers() == {}
    assert [(r.field, r.value, r.reason) for r in rejected] == [
        ("hire_share", "  120 ", "out_of_range"),
        ("deadline", "2024", "deadline_order"),
    ]


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        ({"growth": True}, "not_a_number"),  # a bool is no number
        ({"growth": "1e999"}, "not_finite"),
        ({"deadline": 10**400}, "not_finite"),  # beyond any float: infinite, refused, no crash
        ({"until": 2030.5}, "not_whole"),
        ({"hire_share_other": 1.0000001}, "out_of_range"),
    ],
)
def test_odd_values_are_refused_for_a_reason(values, reason):
    _, rejected = ScenarioInput.parse(values)
    assert [r.reason for r in rejected] == [reason]


def test_without_a_start_year_a_deadline_runs_from_1950_to_2040():
    assert ScenarioInput.parse({"deadline": 1950})[0].deadline == 1950
    assert ScenarioInput.parse({"deadline": 1949})[1][0].reason == "deadline_order"
    assert ScenarioInput.parse({"until": 2040.0})[0].until == 2040
    assert ScenarioInput.parse({"until": 2041})[1][0].reason == "deadline_order"


def test_minus_zero_becomes_zero_and_edges_within_rounding_pass():
    given, _ = ScenarioInput.parse({"growth": -0.0, "hire_share": 1.0 + 1e-12})
    assert math.copysign(1, given.growth) == 1.0 and given.hire_share == 1.0 + 1e-12


def test_ranges_are_the_sliders_in_fractions():
    assert range_of("growth") == (-0.05, 0.05)
    assert range_of("attrition_women") == (0.0, 0.3)
    assert range_of("target") == (0.1, 0.5)
    assert range_of("attrition_other") == (0.0, 1.0)


def test_validated_raises_with_every_refusal_in_the_cli_language():
    with pytest.raises(ScenarioRejected) as caught:
        ScenarioInput.validated({"growth": 0.06, "simulations": -1})
    assert str(caught.value) == (
        "--growth must be a fraction from -0.05 to 0.05, not 0.06; "
        "--simulations must be a whole number from 0 to 100,000, not -1"
    )
    assert caught.value.text("nl") == (
        "--growth moet een fractie van -0,05 tot 0,05 zijn, niet 0.06; "
        "--simulations moet een geheel getal van 0 tot 100.000 zijn, niet -1"
    )


def test_explicit_start_counts_are_checked_together():
    check_start(2024, {"women": 100, "men": 0})
    with pytest.raises(ScenarioRejected) as caught:
        check_start(2040, {"women": -1, "men": "many"})
    assert [(r.field, r.value, r.reason) for r in caught.value.rejected] == [
        ("start_year", "2040", "out_of_range"),
        ("women", "-1", "not_finite"),
        ("men", "many", "not_a_number"),
    ]
    assert explain(caught.value.rejected[0]) == "--start-year must be a year from 1950 to 2039, not 2040"


def test_a_seed_is_a_whole_number_a_user_can_repeat_and_no_scenario_field():
    assert ScenarioInput.validated({"seed": 0}).seed == 0 and ScenarioInput.validated({"seed": 2**32 - 1}).seed
    assert "seed" not in ScenarioInput.validated({"seed": 7, "target": 0.3}).levers()
    for bad in (-1, 2**32, 1.5, "x"):
        with pytest.raises(ScenarioRejected) as refused:
            ScenarioInput.validated({"seed": bad})
        assert refused.value.rejected[0].field == "seed"
    with pytest.raises(ScenarioRejected) as refused:
        ScenarioInput.validated({"seed": -1})
    assert refused.value.text("en") == "--seed must be a whole number from 0 to 4,294,967,295, not -1"
