"""The register of improvement measures (maatregelen) read and checked: what a measure may be linked to, the
register's rules, and the linked indicator's series from the privacy-safe series only."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy.engine import Connection

from di_metrics.models.measures import Measure, Points
from di_metrics.models.targets import INDICATOR_PREFIX, SURVEY_PREFIX, WOMEN_SHARE
from di_metrics.queries.filters import Filters
from di_metrics.queries.privacy import output
from di_metrics.queries.status import indicator_series, survey_series
from di_metrics.queries.workforce import share_series
from di_metrics.storage.measures import load_measures
from di_metrics.storage.targets import load_targets

__all__ = [
    "indicator_points",
    "marks_for",
    "share_marks",
]


@output
def indicator_points(conn: Connection, m: Measure) -> Points:
    """The linked indicator's series in the measure's population, from the privacy-safe series only."""
    metric, filters = m.indicator, Filters.of({d: [v] for d, v in m.scope.items()})
    target = next((t for t in load_targets(conn) if t.name == m.indicator), None)
    if target is not None:
        metric, scoped = target.metric, filters.narrowed_to(target.scope, target.exempt_units)
        if scoped is None:
            return []
        filters = scoped
    if metric == WOMEN_SHARE:
        series = share_series(conn, filters)
        return [(r.date, None if pd.isna(r.women_share) else float(r.women_share)) for r in series.itertuples()]
    if metric.startswith(SURVEY_PREFIX):
        return survey_series(conn, metric.removeprefix(SURVEY_PREFIX), filters)
    if metric.startswith(INDICATOR_PREFIX) and not filters.values:
        return list(indicator_series(conn, metric.removeprefix(INDICATOR_PREFIX)))
    return []


def marks_for(conn: Connection, metric: str) -> list[tuple[str, dt.date]]:
    """The measures meant to move a metric (directly or through a target on it): what its trend chart marks."""
    through = {t.name for t in load_targets(conn) if t.metric == metric}
    return [(m.name, m.start_date) for m in load_measures(conn) if m.indicator in through | {metric}]


def share_marks(conn: Connection) -> list[tuple[str, dt.date]]:
    """The measures meant to move a women's share: what a share trend marks."""
    return marks_for(conn, WOMEN_SHARE)
