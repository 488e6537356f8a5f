"""Reading the stored display names (the `names` import) for the pages, the deck and the CLI."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from di_metrics.models.names import Names
from di_metrics.storage import store

__all__ = ["display_names"]


def display_names(conn: Connection) -> Names:
    """Every stored name; a database without any gives empty Names, and every code is then its own name."""
    t = store.display_name
    rows = conn.execute(sa.select(t.c.dimension, t.c.code, t.c.name_nl, t.c.name_en)).all()
    return Names({(d, c): (nl, en) for d, c, nl, en in rows})
