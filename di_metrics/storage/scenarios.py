"""Named what-if scenarios, saved in the database with who saved them and when."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from di_metrics.models.levers import SLIDER_LEVERS, ScenarioInput, ScenarioRejected
from di_metrics.storage.store import scenario as scenario_table

__all__ = ["MAX_COMPARED", "SavedScenario", "delete_scenario", "list_scenarios", "save_scenario", "saved_levers"]

MAX_COMPARED = 4


def save_scenario(conn: Connection, name: str, params: dict[str, Any], user: str) -> None:
    """Store (or overwrite) a scenario under its name; only levers that pass the one door are stored."""
    name = name.strip()
    if not name:
        raise ValueError("a scenario needs a name")
    given, rejected = ScenarioInput.parse(params, strict=True)
    if rejected:
        raise ScenarioRejected(rejected)
    params = given.levers()
    conn.execute(scenario_table.delete().where(scenario_table.c.name == name))
    conn.execute(
        scenario_table.insert().values(
            name=name, params=params, created_by=user, created_at=dt.datetime.now(dt.UTC).replace(tzinfo=None)
        )
    )


def saved_levers(params: Any, start_year: int) -> tuple[dict[str, Any], list[str]]:
    """A saved scenario's levers as they pass the door today (the data's start year moves on), and the
    names of those that no longer do, so the page can fall back to the calibrated value and say so.
    Stored params that are no mapping at all (written by hand) give no lever: every one falls back."""
    if not isinstance(params, Mapping):
        return {}, [lever.field for lever in SLIDER_LEVERS.values()] + ["deadline"]
    given, rejected = ScenarioInput.parse(params, start_year, strict=True)
    return given.levers(), [r.field for r in rejected]


@dataclass(frozen=True)
class SavedScenario:
    """A saved scenario: its name, its stored levers (as saved; read them through `saved_levers`), who and when."""

    name: str
    params: Any
    created_by: str
    created_at: dt.datetime


def list_scenarios(conn: Connection) -> list[SavedScenario]:
    """Every saved scenario, newest first."""
    t = scenario_table
    rows = conn.execute(sa.select(t).order_by(t.c.created_at.desc(), t.c.name)).mappings().all()
    return [SavedScenario(r["name"], r["params"], r["created_by"], r["created_at"]) for r in rows]


def delete_scenario(conn: Connection, name: str) -> None:
    """Remove a saved scenario."""
    conn.execute(scenario_table.delete().where(scenario_table.c.name == name))
