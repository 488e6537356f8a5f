"""Saved what-if scenarios on both databases: what is stored, overwritten, listed and deleted, and how a saved
scenario is read back through the lever door as the data's start year moves on."""

from __future__ import annotations

import pytest

from di_metrics.models.levers import ScenarioRejected
from di_metrics.storage import store
from di_metrics.storage.scenarios import delete_scenario, list_scenarios, save_scenario, saved_levers

EVERY_LEVER = ["hire_share", "attrition_women", "attrition_men", "growth", "target", "deadline"]


def _saved(engine) -> list[tuple[str, dict, str]]:
    with store.connect(engine) as conn:
        return [(s.name, s.params, s.created_by) for s in list_scenarios(conn)]


def test_a_scenario_is_stored_under_its_trimmed_name_with_only_its_levers(engine):
    with store.connect(engine, write=True) as conn:
        save_scenario(conn, "  Forty percent ", {"hire_share": 0.4, "deadline": 2032, "simulations": 500}, "ann")
    assert _saved(engine) == [("Forty percent", {"hire_share": 0.4, "deadline": 2032}, "ann")]


def test_saving_under_a_name_again_overwrites_and_the_newest_comes_first(engine):
    with store.connect(engine, write=True) as conn:
        save_scenario(conn, "A", {"hire_share": 0.3}, "ann")
        save_scenario(conn, "B", {"growth": -0.01}, "bob")
        save_scenario(conn, "A", {"hire_share": 0.35, "target": 0.32}, "cas")
    assert _saved(engine) == [
        ("A", {"hire_share": 0.35, "target": 0.32}, "cas"),
        ("B", {"growth": -0.01}, "bob"),
    ]
    with store.connect(engine, write=True) as conn:
        delete_scenario(conn, "A")
        delete_scenario(conn, "never saved")
    assert [name for name, _, _ in _saved(engine)] == ["B"]


@pytest.mark.parametrize(
    ("name", "params", "message"),
    [
        ("   ", {"hire_share": 0.3}, "a scenario needs a name"),
        ("x", {"hire_share": 1.2}, "--hire-share must be a fraction from 0 to 1, not 1.2"),
        ("x", {"growth": 0.3, "shoe_size": 42}, "--shoe-size is not a scenario lever, not 42"),
    ],
)
def test_a_refused_scenario_writes_nothing(engine, name, params, message):
    with store.connect(engine, write=True) as conn:
        save_scenario(conn, "kept", {"hire_share": 0.3}, "ann")
    with pytest.raises((ScenarioRejected, ValueError), match=message), store.connect(engine, write=True) as conn:
        save_scenario(conn, name, params, "ann")
    assert _saved(engine) == [("kept", {"hire_share": 0.3}, "ann")]


def test_a_saved_scenario_reads_back_through_the_door_of_today():
    saved = {"hire_share": 0.4, "attrition_women": 0.06, "deadline": 2027, "target": 0.3}
    assert saved_levers(saved, 2025) == (saved, [])
    # the data moved on to 2027: the deadline is no longer after the start year; the rest still passes
    levers, refused = saved_levers(saved, 2027)
    assert levers == {"hire_share": 0.4, "attrition_women": 0.06, "target": 0.3} and refused == ["deadline"]


@pytest.mark.parametrize(
    ("params", "levers", "refused"),
    [
        ({"hire_share": 10**400}, {}, ["hire_share"]),
        ({"growth": "fast", "target": 0.35}, {"target": 0.35}, ["growth"]),
        ({"hire_share": 0.4, "old_lever": 1}, {"hire_share": 0.4}, ["old_lever"]),
        ({"target": None}, {}, []),
        ([0.4, 2035], {}, EVERY_LEVER),
        ("hire_share=0.4", {}, EVERY_LEVER),
    ],
)
def test_a_saved_scenario_that_no_longer_passes_falls_back_lever_by_lever(params, levers, refused):
    assert saved_levers(params, 2025) == (levers, refused)
