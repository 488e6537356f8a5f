"""The target registry's storage: load, save, delete, replace, and the built-in targets on a new database."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from di_metrics.models.targets import DEFAULT_TARGETS, Target
from di_metrics.storage.store import target as target_table

__all__ = ["delete_target", "load_targets", "replace_targets", "save_target", "seed_default_targets"]


def replace_targets(conn: Connection, targets: list[Target]) -> None:
    """Store a whole registry, as loaded from a file, in place of the current one."""
    conn.execute(target_table.delete())
    for t in targets:
        save_target(conn, t)


def delete_target(conn: Connection, name: str) -> None:
    """Remove one target."""
    conn.execute(target_table.delete().where(target_table.c.name == name))


def seed_default_targets(conn: Connection) -> None:
    """Store the built-in targets when the registry is empty."""
    if conn.execute(sa.select(sa.func.count()).select_from(target_table)).scalar():
        return
    for t in DEFAULT_TARGETS:
        save_target(conn, t)


def save_target(conn: Connection, t: Target) -> None:
    """Insert or overwrite a target by name."""
    conn.execute(target_table.delete().where(target_table.c.name == t.name))
    conn.execute(
        target_table.insert().values(
            name=t.name,
            metric=t.metric,
            scope={k: list(v) for k, v in t.scope.items()},
            exempt_units=list(t.exempt_units),
            baseline_date=t.baseline_date,
            baseline_value=t.baseline_value,
            target_value=t.target_value,
            deadline=t.deadline,
        )
    )


def load_targets(conn: Connection) -> list[Target]:
    """Every stored target, in a stable order (the built-in ones first)."""
    order = {t.name: i for i, t in enumerate(DEFAULT_TARGETS)}
    rows = conn.execute(sa.select(target_table)).mappings().all()
    targets = [
        Target(
            r["name"],
            r["metric"],
            float(r["target_value"]),
            _day(r["deadline"]),
            _day(r["baseline_date"]),
            float(r["baseline_value"]),
            {k: tuple(v) for k, v in (r["scope"] or {}).items()},
            tuple(r["exempt_units"] or ()),
        )
        for r in rows
    ]
    return sorted(targets, key=lambda t: (order.get(t.name, len(order)), t.name))


def _day(value: dt.date | dt.datetime) -> dt.date:
    """A stored date as a date (a driver may hand back a datetime)."""
    return value.date() if isinstance(value, dt.datetime) else value
