"""Opening the database: engine, schema and built-in targets, ready for queries and imports."""

from __future__ import annotations

import time

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from di_metrics.storage import schema, store
from di_metrics.storage.targets import seed_default_targets

__all__ = ["SETUP_ATTEMPTS", "has_workforce", "open_database"]

SETUP_ATTEMPTS = 5


def open_database(url: str | None = None) -> Engine:
    """An engine on the URL with the tables and default targets in place.

    Opening a ready database only reads it: no write lock, and no new data revision for other processes.
    Replicas started together on an empty database race to create it; the losers find it made and go on.
    """
    engine = store.make_engine(url)
    for attempt in range(1, SETUP_ATTEMPTS + 1):
        try:
            _set_up(engine)
            break
        except sa.exc.DBAPIError as exc:
            if attempt == SETUP_ATTEMPTS or not _lost_race(exc):
                raise
            time.sleep(0.2 * attempt)
    return engine


def _lost_race(exc: sa.exc.DBAPIError) -> bool:
    """Another process or thread created the same table or row a moment earlier (PostgreSQL, DuckDB)."""
    text = str(exc)
    lost = "write-write conflict" in text or "Conflict on update" in text
    return isinstance(exc, sa.exc.IntegrityError | sa.exc.ProgrammingError) or lost


def _set_up(engine: Engine) -> None:
    schema.ensure_schema(engine)
    with store.connect(engine) as conn:
        seeded = bool(conn.execute(sa.select(sa.func.count()).select_from(store.target)).scalar())
    if not seeded:
        with store.connect(engine, write=True) as conn:
            seed_default_targets(conn)


def has_workforce(engine: Engine) -> bool:
    """Whether any headcount is stored: an empty database gets the demo on first start."""
    with store.connect(engine) as conn:
        return bool(conn.execute(sa.select(sa.func.count()).select_from(store.headcount_cube)).scalar())
