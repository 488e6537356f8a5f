"""The register of improvement measures (maatregelen), and per measure how its indicator moved before and
after it started. The comparison shows timing, not cause: other things changed at the same time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from di_metrics.errors import InvalidInput, Problem
from di_metrics.models.targets import INDICATOR_PREFIX, SURVEY_PREFIX, WOMEN_SHARE, load_targets
from di_metrics.queries.filters import Filters
from di_metrics.queries.status import indicator_series, survey_series
from di_metrics.queries.workforce import share_series
from di_metrics.storage.formats import MEASURE_STATUSES
from di_metrics.storage.parsing import FIRST_DATA_LINE
from di_metrics.storage.store import indicator as indicator_table
from di_metrics.storage.store import measure as measure_table
from di_metrics.storage.store import survey_item
from di_metrics.vocab import DIMENSIONS

MIN_POINTS = 2
Points = list[tuple[dt.date, float | None]]


@dataclass(frozen=True)
class Measure:
    """One improvement measure: what, since when, whose, for whom, and which indicator it should move."""

    name: str
    start_date: dt.date
    indicator: str
    status: str = "running"
    end_date: dt.date | None = None
    owner: str | None = None
    scope: dict[str, str] = field(default_factory=dict)


def slope_pp_per_year(points: Points) -> float | None:
    """The least-squares slope of a series of fractions, in percentage points a year; None below two points."""
    shown = [(d, v) for d, v in points if v is not None]
    if len(shown) < MIN_POINTS:
        return None
    xs = [d.toordinal() / 365.25 for d, _ in shown]
    ys = [100 * v for _, v in shown]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    if sxx == 0:
        return None
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx


def before_after(points: Points, start: dt.date) -> dict[str, Any]:
    """Slopes before the start (dates before it) and after (from the start on), each from at least two points."""
    before = [(d, v) for d, v in points if d < start and v is not None]
    after = [(d, v) for d, v in points if d >= start and v is not None]
    slope_before, slope_after = slope_pp_per_year(before), slope_pp_per_year(after)
    change = None if slope_before is None or slope_after is None else slope_after - slope_before
    return {
        "slope_before": slope_before,
        "slope_after": slope_after,
        "slope_change": change,
        "points_before": len(before),
        "points_after": len(after),
    }


def known_indicators(conn: Connection) -> list[str]:
    """What a measure may be linked to: the women's share, a stored indicator, a survey measure, or a target."""
    stored = conn.execute(sa.select(indicator_table.c.indicator).distinct()).scalars()
    constructs = conn.execute(sa.select(survey_item.c.construct).distinct()).scalars()
    return [
        WOMEN_SHARE,
        *sorted(INDICATOR_PREFIX + s for s in stored),
        *sorted(SURVEY_PREFIX + c for c in constructs),
        *(t.name for t in load_targets(conn)),
    ]


def problems_of(rows: list[Measure], known: list[str]) -> dict[str, list[int]]:
    """Which rule each row breaks, as {rule key: row positions}; the keys name texts in the catalogues."""
    found: dict[str, list[int]] = {}
    for i, m in enumerate(rows):
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
}


def check_measures(conn: Connection, frame: pd.DataFrame, name: str) -> None:
    """A measures file against the register's rules; raises InvalidInput naming column, rule and lines."""
    found = problems_of(from_frame(frame), known_indicators(conn))
    if found:
        raise InvalidInput(
            name,
            [
                Problem(RULES[k][0], RULES[k][1], tuple(i + FIRST_DATA_LINE for i in rows), dict(RULES[k][2]))
                for k, rows in found.items()
            ],
        )


def from_frame(frame: pd.DataFrame) -> list[Measure]:
    """Measures from a validated file or the stored table."""

    def date_or_none(value: Any) -> dt.date | None:
        return None if value is None or pd.isna(value) else pd.Timestamp(value).date()

    return [
        Measure(
            name=str(r["name"] or ""),
            start_date=pd.Timestamp(r["start_date"]).date(),
            indicator=str(r["indicator"] or ""),
            status=str(r["status"] or ""),
            end_date=date_or_none(r.get("end_date")),
            owner=None if r.get("owner") is None or pd.isna(r.get("owner")) else str(r["owner"]),
            scope={d: str(r[d]) for d in DIMENSIONS if r.get(d) is not None and not pd.isna(r.get(d))},
        )
        for r in frame.to_dict("records")
    ]


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


def indicator_points(conn: Connection, m: Measure) -> Points:
    """The linked indicator's series in the measure's population, from the privacy-safe series only."""
    metric, filters = m.indicator, Filters.of({d: [v] for d, v in m.scope.items()})
    target = next((t for t in load_targets(conn) if t.name == m.indicator), None)
    if target is not None:
        metric, scoped = target.metric, target.filters(filters)
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


def share_marks(conn: Connection) -> list[tuple[str, dt.date]]:
    """The measures meant to move a women's share (directly or through a target): what a share trend marks."""
    share_targets = {t.name for t in load_targets(conn) if t.metric == WOMEN_SHARE}
    return [(m.name, m.start_date) for m in load_measures(conn) if m.indicator in share_targets | {WOMEN_SHARE}]
