"""The peers document: peer series, each peer's fastest five years, and the pace our target needs from our
latest value (docs/cli.md, `peers`). The question it answers: has anyone ever grown this fast?"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from di_metrics.models.peers import fastest_window, ours_yearly, peer_series, verified
from di_metrics.models.standing import Status
from di_metrics.models.targets import Target
from di_metrics.queries.filters import Filters
from di_metrics.queries.peers import benchmark_rows
from di_metrics.queries.privacy import output
from di_metrics.queries.status import leading_status, status

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

__all__ = ["peers_document"]


@output
def peers_document(conn: Connection, filters: Filters = Filters(), doc: Status | None = None) -> dict[str, Any]:
    """The `peers --json` document: peer series, each peer's fastest five years, and the pace our target needs.
    Our figures come from the status document (`doc`, read here when not given), which is privacy-safe."""
    rows = benchmark_rows(conn)
    series = peer_series(rows)
    doc = doc if doc is not None else status(conn, filters)
    main = leading_status(doc, filters)
    ours = ours_yearly(doc)
    fastest = []
    for (peer, population), yearly in series.items():
        window = fastest_window(verified(yearly))
        if window is not None:
            fastest.append({"peer": peer, "population": population, **window})
    own = fastest_window(ours)
    return {
        "series": [
            {"peer": peer, "population": population, "year": y, "share": v, "needs_verification": flag}
            for (peer, population), yearly in series.items()
            for y, (v, flag) in yearly.items()
        ],
        "fastest_5y": sorted(fastest, key=lambda w: -w["pp_per_year"]),
        "needed_pp_per_year": None if not main or main.required_pace is None else 100 * main.required_pace,
        "ours": [{"year": y, "share": v} for y, v in ours.items()],
        "ours_fastest_5y": own,
        "target": None if not main else _target(main.target),
        "latest": None if not main else main.latest,
        "as_of": None if doc.as_of is None else doc.as_of.isoformat(),
        "figures": [_figure(r) for r in rows.itertuples()],
    }


def _target(t: Target) -> dict[str, Any]:
    return {"name": t.name, "value": t.target_value, "deadline": t.deadline.isoformat()}


def _figure(r: Any) -> dict[str, Any]:
    return {
        "peer": r.peer,
        "population": r.population,
        "measure": r.measure,
        "year": int(r.year),
        "date": None if r.date is None or pd.isna(r.date) else str(r.date)[:10],
        "value": float(r.value),
        "source": r.source,
        "url": r.url,
        "needs_verification": bool(r.needs_verification),
    }
