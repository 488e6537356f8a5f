"""Peers: other organisations' public figures as stored (public: no disclosure rule applies), and the checks a
benchmark file passes on import."""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from di_metrics.storage.store import benchmark

__all__ = ["benchmark_rows"]


def benchmark_rows(conn: Connection) -> pd.DataFrame:
    """Every stored benchmark figure, in a stable order (public figures: no disclosure rule applies)."""
    b = benchmark
    query = sa.select(*(c for c in b.c if c.name != "batch_id")).order_by(
        b.c.peer, b.c.population, b.c.measure, b.c.year, b.c.date
    )
    return pd.DataFrame([dict(r) for r in conn.execute(query).mappings()], columns=[c.name for c in b.c][:-1])
