"""Formal reports (meldingen) per year, kind (social safety or integrity) and category, made safe to show.

A count under the workforce minimum says something about very few people, so it is withheld; where one
withheld count is alone in a year, the next smallest goes with it, so no year total gives it away.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from di_metrics.config import min_workforce_cell
from di_metrics.filters import Filters
from di_metrics.store import formal_report
from di_metrics.survey import hidden_groups

KINDS = ("social_safety", "integrity")


def report_kind(t: sa.Table) -> sa.ColumnElement:
    """The stored kind, or for rows stored before kinds existed, the one their category names."""
    integrity = sa.func.lower(t.c.category).like("%integr%")
    return sa.case(
        (t.c.kind.is_not(None), t.c.kind), (integrity, sa.literal("integrity")), else_=sa.literal("social_safety")
    )


def reports_by_kind(conn: Connection, filters: Filters = Filters(), k: int | None = None) -> pd.DataFrame:
    """Per year, kind and category: the count, or none when withheld (`suppressed`). Branch filters apply;
    reports are not kept below the branch level."""
    t, k = formal_report, k or min_workforce_cell()
    branches = filters.as_dict().get("branch")
    kind = report_kind(t).label("kind")
    query = (
        sa.select(t.c.year, kind, t.c.category, sa.func.sum(t.c.count).label("count"))
        .where(t.c.branch.in_(branches) if branches else sa.true())
        .group_by(t.c.year, kind, t.c.category)
        .order_by(t.c.year, kind, t.c.category)
    )
    rows = [tuple(r) for r in conn.execute(query).all()]
    frame = pd.DataFrame(rows, columns=["year", "kind", "category", "count"]).astype({"count": float})
    if frame.empty:
        return frame.assign(suppressed=pd.Series(dtype=bool))
    lines = frame.assign(wave=frame["year"], group=frame["kind"] + "/" + frame["category"], n=frame["count"])
    frame["suppressed"] = hidden_groups(lines, k, siblings=True).to_numpy()
    frame["count"] = frame["count"].mask(frame["suppressed"])
    return frame
