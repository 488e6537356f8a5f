"""The register of improvement measures (maatregelen) read and checked: what a measure may be linked to, the
register's rules, and the linked indicator's series from the privacy-safe series only."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from di_metrics.config import DIMENSIONS
from di_metrics.errors import InvalidInput, Problem
from di_metrics.models.measures import Measure, Points, from_frame
from di_metrics.models.targets import INDICATOR_PREFIX, SURVEY_PREFIX, WOMEN_SHARE
from di_metrics.queries.filters import Filters
from di_metrics.queries.status import indicator_series, survey_series
from di_metrics.queries.workforce import dimension_values, share_series
from di_metrics.storage.formats import MEASURE_STATUSES
from di_metrics.storage.measures import load_measures
from di_metrics.storage.parsing import FIRST_DATA_LINE
from di_metrics.storage.store import indicator as indicator_table
from di_metrics.storage.store import survey_item
from di_metrics.storage.targets import load_targets

__all__ = [
    "RULES",
    "check_measures",
    "indicator_points",
    "known_indicators",
    "marks_for",
    "problems_of",
    "scope_values",
    "share_marks",
]


def known_indicators(conn: Connection) -> list[str]:
    """What a measure may be linked to: the women's share, a stored indicator, a survey measure, or a target."""
    # Each result is read whole before the next query: DuckDB reuses one cursor per connection.
    stored = conn.execute(sa.select(indicator_table.c.indicator).distinct()).scalars().all()
    constructs = conn.execute(sa.select(survey_item.c.construct).distinct()).scalars().all()
    return [
        WOMEN_SHARE,
        *sorted(INDICATOR_PREFIX + s for s in stored),
        *sorted(SURVEY_PREFIX + c for c in constructs),
        *(t.name for t in load_targets(conn)),
    ]


def scope_values(conn: Connection) -> dict[str, list[str]]:
    """What a measure's population may name: per dimension, the values the workforce data holds."""
    return {d: dimension_values(conn, d) for d in DIMENSIONS}


def problems_of(rows: list[Measure], known: list[str], values: dict[str, list[str]]) -> dict[str, list[int]]:
    """Which rule each row breaks, as {rule key: row positions}; the keys name texts in the catalogues.
    The file import and the Targets page both ask this, so a measure passes the same rules either way."""
    found: dict[str, list[int]] = {}
    for i, m in enumerate(rows):
        for d, v in m.scope.items():
            if v not in values.get(d, ()):
                found.setdefault(f"unknown_{d}", []).append(i)
        if not m.name.strip():
            found.setdefault("name", []).append(i)
        if m.end_date is not None and m.end_date < m.start_date:
            found.setdefault("end_before_start", []).append(i)
        if m.indicator not in known:
            found.setdefault("unknown_indicator", []).append(i)
        if m.status not in MEASURE_STATUSES:
            found.setdefault("status", []).append(i)
    return found


RULES = {  # rule key: (column, rule code, the rule's values)
    "name": ("name", "measure_name_missing", {}),
    "end_before_start": ("end_date", "measure_end_before_start", {}),
    "unknown_indicator": ("indicator", "measure_unknown_indicator", {}),
    "status": ("status", "measure_unknown_status", {"allowed": list(MEASURE_STATUSES)}),
    **{f"unknown_{d}": (d, "measure_unknown_value", {}) for d in DIMENSIONS},
}


def check_measures(conn: Connection, frame: pd.DataFrame, name: str) -> None:
    """A measures file against the register's rules; raises InvalidInput naming column, rule and lines."""
    found = problems_of(from_frame(frame), known_indicators(conn), scope_values(conn))
    if found:
        raise InvalidInput(
            name,
            [
                Problem(RULES[k][0], RULES[k][1], tuple(i + FIRST_DATA_LINE for i in rows), dict(RULES[k][2]))
                for k, rows in found.items()
            ],
        )


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
