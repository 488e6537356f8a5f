"""The register of measures (maatregelen) as stored: load, save (a rename keeps one row) and delete."""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from di_metrics.config import DIMENSIONS
from di_metrics.models.measures import Measure, from_frame
from di_metrics.storage.store import measure as measure_table

__all__ = ["delete_measure", "load_measures", "save_measure"]


def load_measures(conn: Connection) -> list[Measure]:
    """The register, by start date."""
    m = measure_table
    rows = conn.execute(sa.select(m).order_by(m.c.start_date, m.c.name)).mappings().all()
    return from_frame(pd.DataFrame([dict(r) for r in rows], columns=[c.name for c in m.c]))


def save_measure(conn: Connection, m: Measure, replacing: str | None = None) -> None:
    """Insert a measure, or overwrite the one named `replacing` (a rename keeps one row)."""
    m_t = measure_table
    conn.execute(m_t.delete().where(m_t.c.name.in_({m.name, replacing or m.name})))
    conn.execute(
        m_t.insert().values(
            name=m.name,
            start_date=m.start_date,
            end_date=m.end_date,
            owner=m.owner,
            indicator=m.indicator,
            status=m.status,
            **{d: m.scope.get(d) for d in DIMENSIONS},
        )
    )


def delete_measure(conn: Connection, name: str) -> None:
    """Remove one measure from the register."""
    conn.execute(measure_table.delete().where(measure_table.c.name == name))
