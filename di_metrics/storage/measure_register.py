"""The register of measures (maatregelen) as stored: its rules (the file import and the Targets page ask the same),
load, save (a rename keeps one row) and delete."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from di_metrics.errors import Problem
from di_metrics.models.measure_slopes import Measure, from_frame
from di_metrics.models.metrics import INDICATOR, SHARE, SURVEY
from di_metrics.storage.formats import MEASURE_STATUSES
from di_metrics.storage.store import headcount_cube, survey_item
from di_metrics.storage.store import indicator as indicator_table
from di_metrics.storage.store import measure as measure_table
from di_metrics.storage.targets import load_targets
from di_metrics.storage.validation import FIRST_DATA_LINE
from di_metrics.vocab import DIMENSIONS

__all__ = [
    "RULES",
    "check_measures",
    "delete_measure",
    "known_indicators",
    "load_measures",
    "problems_of",
    "save_measure",
    "scope_values",
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


def known_indicators(conn: Connection) -> list[str]:
    """What a measure may be linked to: the women's share, a stored indicator, a survey measure, or a target."""
    # Each result is read whole before the next query: DuckDB reuses one cursor per connection.
    stored = conn.execute(sa.select(indicator_table.c.indicator).distinct()).scalars().all()
    constructs = conn.execute(sa.select(survey_item.c.construct).distinct()).scalars().all()
    return [
        SHARE.code(),
        *sorted(INDICATOR.code(s) for s in stored),
        *sorted(SURVEY.code(c) for c in constructs),
        *(t.name for t in load_targets(conn)),
    ]


def scope_values(conn: Connection) -> dict[str, list[str]]:
    """What a measure's population may name: per dimension, the values the workforce data holds."""
    c = headcount_cube
    # Each result is read whole before the next query: DuckDB reuses one cursor per connection.
    return {
        d: list(conn.execute(sa.select(c.c[d]).distinct().where(c.c[d].is_not(None)).order_by(c.c[d])).scalars().all())
        for d in DIMENSIONS
    }


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


def check_measures(conn: Connection, frame: pd.DataFrame) -> list[Problem]:
    """A measures file against the register's rules, naming column, rule and lines. A row whose start did not
    parse is checked by the other rules (its end is taken as its start, so it never ends before it); with a
    required column missing the rules cannot be read at all, and `column_missing` says so."""
    if not {"name", "start_date", "indicator", "status"} <= set(frame.columns):
        return []
    start = frame["start_date"].where(frame["start_date"].notna(), frame.get("end_date"))
    start = start.where(start.notna(), dt.date(2000, 1, 1))
    found = problems_of(from_frame(frame.assign(start_date=start)), known_indicators(conn), scope_values(conn))
    return [
        Problem(RULES[k][0], RULES[k][1], tuple(i + FIRST_DATA_LINE for i in rows), dict(RULES[k][2]))
        for k, rows in found.items()
    ]
