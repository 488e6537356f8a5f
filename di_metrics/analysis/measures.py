"""The measures document: every measure with its indicator's slope before and after it started, read from the
privacy-safe series (docs/cli.md, `measures list`). Timing, not cause."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from di_metrics.models.measures import before_after
from di_metrics.queries.measures import indicator_points
from di_metrics.queries.privacy import output
from di_metrics.storage.measures import load_measures

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

__all__ = ["measures_document"]


@output
def measures_document(conn: Connection) -> dict[str, Any]:
    """The `measures list --json` document: every measure with its before-and-after slopes."""
    rows = []
    for m in load_measures(conn):
        rows.append(
            {
                "name": m.name,
                "start": m.start_date.isoformat(),
                "end": None if m.end_date is None else m.end_date.isoformat(),
                "owner": m.owner,
                "status": m.status,
                "scope": m.scope,
                "indicator": m.indicator,
                **before_after(indicator_points(conn, m), m.start_date),
            }
        )
    return {"rows": rows, "caveat": "timing, not cause"}
