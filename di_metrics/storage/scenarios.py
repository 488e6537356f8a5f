"""Named what-if scenarios, saved as whole objects: the levers, the population they were built on, the data date
the baseline was calibrated on, who saved them and when."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from di_metrics.models.levers import SLIDER_LEVERS, ScenarioInput, ScenarioRejected
from di_metrics.storage.store import scenario as scenario_table
from di_metrics.vocab import DIMENSIONS

__all__ = [
    "MAX_COMPARED",
    "SavedScenario",
    "delete_scenario",
    "list_scenarios",
    "save_scenario",
    "saved_levers",
    "saved_population",
]

MAX_COMPARED = 4


def save_scenario(
    conn: Connection,
    name: str,
    params: dict[str, Any],
    user: str,
    population: Mapping[str, Iterable[str]] | None = None,
    data_date: dt.date | None = None,
) -> None:
    """Store (or overwrite: the page asks first) a scenario under its name with the population it was built on
    and the data date of its baseline; only levers that pass the one door are stored."""
    name = name.strip()
    if not name:
        raise ValueError("a scenario needs a name")
    given, rejected = ScenarioInput.parse(params, strict=True)
    if rejected:
        raise ScenarioRejected(rejected)
    params = given.levers()
    kept = saved_population({dim: list(values) for dim, values in (population or {}).items()})
    if kept is None:
        raise ValueError(f"a population is chosen by {', '.join(DIMENSIONS)}")
    conn.execute(scenario_table.delete().where(scenario_table.c.name == name))
    conn.execute(
        scenario_table.insert().values(
            name=name,
            params=params,
            created_by=user,
            created_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
            filters={dim: list(values) for dim, values in kept.items()},
            data_date=data_date,
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


def saved_population(stored: Any) -> dict[str, tuple[str, ...]] | None:
    """A stored population, {dimension: values} ({} = everyone); None where none was recorded (saved before
    populations were kept) or what is stored is no population (written by hand): unknown, never "everyone"."""
    if not isinstance(stored, Mapping) or not set(stored) <= set(DIMENSIONS):
        return None
    if not all(isinstance(v, list | tuple) and all(isinstance(x, str) for x in v) for v in stored.values()):
        return None
    return {dim: tuple(sorted(set(values))) for dim, values in sorted(stored.items()) if values}


@dataclass(frozen=True)
class SavedScenario:
    """A saved scenario: its name, its stored levers (as saved; read them through `saved_levers`), who and when,
    the population it was built on and the data date of its baseline (None: not recorded)."""

    name: str
    params: Any
    created_by: str
    created_at: dt.datetime
    population: dict[str, tuple[str, ...]] | None = None
    data_date: dt.date | None = None


def list_scenarios(conn: Connection) -> list[SavedScenario]:
    """Every saved scenario, newest first."""
    t = scenario_table
    rows = conn.execute(sa.select(t).order_by(t.c.created_at.desc(), t.c.name)).mappings().all()
    return [
        SavedScenario(
            r["name"], r["params"], r["created_by"], r["created_at"], saved_population(r["filters"]), r["data_date"]
        )
        for r in rows
    ]


def delete_scenario(conn: Connection, name: str) -> None:
    """Remove a saved scenario."""
    conn.execute(scenario_table.delete().where(scenario_table.c.name == name))
