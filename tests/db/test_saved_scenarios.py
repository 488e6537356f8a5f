"""Saved what-if scenarios on both databases: what is stored, overwritten, listed and deleted, and how a saved
scenario is read back through the lever door as the data's start year moves on."""

from __future__ import annotations

import pytest

from di_metrics.models.levers import ScenarioRejected
from di_metrics.storage import store
from di_metrics.storage.scenarios import (
    delete_scenario,
    list_scenarios,
    save_scenario,
    saved_levers,
    saved_population,
)

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


def test_a_saved_scenario_keeps_its_population_its_data_date_who_and_when(engine):
    import datetime as dt

    before = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    population = {"branch": ["CLAS"], "personnel_category": ("military", "civilian")}
    with store.connect(engine, write=True) as conn:
        save_scenario(conn, "CLAS plan", {"hire_share": 0.4}, "ann", population, dt.date(2025, 12, 31))
        save_scenario(conn, "Everyone", {"growth": 0.01}, "bob")
    with store.connect(engine) as conn:
        everyone, clas = sorted(list_scenarios(conn), key=lambda s: s.name == "CLAS plan")
    assert (clas.name, clas.params, clas.created_by) == ("CLAS plan", {"hire_share": 0.4}, "ann")
    assert clas.population == {"branch": ("CLAS",), "personnel_category": ("civilian", "military")}
    assert clas.data_date == dt.date(2025, 12, 31)
    assert clas.created_at >= before
    assert (everyone.population, everyone.data_date) == ({}, None)  # no filter: the whole organisation


def test_a_population_outside_the_dimensions_is_refused(engine):
    with pytest.raises(ValueError, match="population"), store.connect(engine, write=True) as conn:
        save_scenario(conn, "x", {"hire_share": 0.3}, "ann", {"shoe_size": ["42"]})
    assert _saved(engine) == []


def test_a_scenario_saved_before_populations_were_kept_reads_as_not_recorded(db_url):
    """A database made before the population and data-date columns: the scenario stays, and its population is
    unknown (None), never the whole organisation."""
    import datetime as dt

    import sqlalchemy as sa

    from di_metrics.storage.database import open_database

    engine = open_database(db_url)
    with engine.begin() as conn:  # as a database written by an earlier Koers looks
        conn.execute(sa.text("ALTER TABLE scenario DROP COLUMN filters"))
        conn.execute(sa.text("ALTER TABLE scenario DROP COLUMN data_date"))
        conn.execute(
            sa.text("INSERT INTO scenario (name, params, created_by, created_at) VALUES (:n, :p, :u, :t)"),
            {"n": "old", "p": '{"hire_share": 0.35}', "u": "ann", "t": dt.datetime(2026, 1, 5, 9, 0)},
        )
    engine.dispose()
    engine = open_database(db_url)
    with store.connect(engine) as conn:
        (old,) = list_scenarios(conn)
    assert (old.name, old.params, old.population, old.data_date) == ("old", {"hire_share": 0.35}, None, None)
    with store.connect(engine, write=True) as conn:
        save_scenario(conn, "new", {"hire_share": 0.3}, "bob", {"branch": ["KMar"]}, dt.date(2025, 12, 31))
    with store.connect(engine) as conn:
        assert {s.name: s.population for s in list_scenarios(conn)} == {"old": None, "new": {"branch": ("KMar",)}}
    engine.dispose()


@pytest.mark.parametrize("stored", [None, ["CLAS"], {"shoe_size": ["42"]}, {"branch": "CLAS"}, {"branch": [1]}])
def test_a_stored_population_that_is_none_reads_as_not_recorded(stored):
    assert saved_population(stored) is None
