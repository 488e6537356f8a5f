"""The register of improvement measures (maatregelen) read and checked: what a measure may be linked to, the
register's rules, and the linked indicator's series from the privacy-safe series only."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.engine import Connection

from di_metrics.models.measure_slopes import Measure, Points
from di_metrics.models.metrics import SHARE, metric_of
from di_metrics.queries.filters import Filters
from di_metrics.queries.status import read_metric
from di_metrics.storage.measure_register import load_measures
from di_metrics.storage.targets import load_targets

__all__ = [
    "indicator_points",
    "marks_for",
    "share_marks",
]


def indicator_points(conn: Connection, m: Measure) -> Points:
    """The linked indicator's series in the measure's population, from the privacy-safe series only: a metric
    directly, or the metric of a target, in the target's population."""
    filters = Filters.of({d: [v] for d, v in m.scope.items()})
    target = next((t for t in load_targets(conn) if t.name == m.indicator), None)
    metric = metric_of(target.metric if target is not None else m.indicator)
    found = read_metric(conn, metric, filters, target)
    return found.points if found is not None else []


def marks_for(conn: Connection, metric: str) -> list[tuple[str, dt.date]]:
    """The measures meant to move a metric (directly or through a target on it): what its trend chart marks."""
    through = {t.name for t in load_targets(conn) if t.metric == metric}
    return [(m.name, m.start_date) for m in load_measures(conn) if m.indicator in through | {metric}]


def share_marks(conn: Connection) -> list[tuple[str, dt.date]]:
    """The measures meant to move a women's share: what a share trend marks."""
    return marks_for(conn, SHARE.code())
