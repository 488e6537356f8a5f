"""Peers: peer series, each peer's fastest five years, and the pace our target needs from our
latest value (docs/cli.md, `peers`). The question it answers: has anyone ever grown this fast?"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from di_metrics.models.peer_pace import (
    PeerFigure,
    PeerPoint,
    Peers,
    PeerWindow,
    fastest_window,
    ours_yearly,
    peer_series,
    verified,
)
from di_metrics.models.standing import Status
from di_metrics.queries.filters import Filters
from di_metrics.queries.peer_figures import benchmark_rows
from di_metrics.queries.status import leading_status, status

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

__all__ = ["peers"]


def peers(conn: Connection, filters: Filters = Filters(), doc: Status | None = None) -> Peers:
    """Peer series, each peer's fastest five years, and the pace our target needs (`python -m di_metrics peers`).
    Our figures come from the status (`doc`, read here when not given), which is privacy-safe."""
    rows = benchmark_rows(conn)
    series = peer_series(rows)
    doc = doc if doc is not None else status(conn, filters)
    main = leading_status(doc, filters)
    ours = ours_yearly(doc)
    fastest = []
    for (peer, population), yearly in series.items():
        window = fastest_window(verified(yearly))
        if window is not None:
            fastest.append(PeerWindow(peer, population, window.start, window.end, window.pp_per_year))
    return Peers(
        series=tuple(
            PeerPoint(peer, population, y, v, flag)
            for (peer, population), yearly in series.items()
            for y, (v, flag) in yearly.items()
        ),
        fastest_5y=tuple(sorted(fastest, key=lambda w: -w.pp_per_year)),
        needed_pp_per_year=None if not main or main.required_pace is None else 100 * main.required_pace,
        ours=ours,
        ours_fastest_5y=fastest_window(ours),
        target=None if not main else main.target,
        latest=None if not main else main.latest,
        as_of=doc.as_of,
        figures=tuple(_figure(r) for r in rows.itertuples()),
    )


def _figure(r: Any) -> PeerFigure:
    date = None if r.date is None or pd.isna(r.date) else pd.Timestamp(r.date).date()
    return PeerFigure(
        r.peer, r.population, r.measure, int(r.year), date, float(r.value), r.source, r.url, bool(r.needs_verification)
    )
