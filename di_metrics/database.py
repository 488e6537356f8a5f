"""Opening the database: engine, schema and built-in targets, ready for queries and imports."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from di_metrics import store
from di_metrics.targets import seed_default_targets


def open_database(url: str | None = None) -> Engine:
    """An engine on the URL with the tables and default targets in place.

    Opening a ready database only reads it: no write lock, and no new data revision for other processes.
    """
    engine = store.make_engine(url)
    store.ensure_schema(engine)
    with store.connect(engine) as conn:
        seeded = bool(conn.execute(sa.select(sa.func.count()).select_from(store.target)).scalar())
    if not seeded:
        with store.connect(engine, write=True) as conn:
            seed_default_targets(conn)
    return engine


def has_workforce(engine: Engine) -> bool:
    """Whether any headcount is stored: an empty database gets the demo on first start."""
    with store.connect(engine) as conn:
        return bool(conn.execute(sa.select(sa.func.count()).select_from(store.headcount_cube)).scalar())
