"""The series a measure's effect is judged on: its indicator in the measure's population, and in the parts of
the organisation it did not cover (the other values of the one dimension its scope names), from the
privacy-safe reads only. A point a rule hides is unknown (NaN), never zero."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from di_metrics.config import min_workforce_cell
from di_metrics.models.measure_slopes import Measure
from di_metrics.models.metrics import INDICATOR, SHARE, Metric, metric_of
from di_metrics.queries.filters import Filters
from di_metrics.queries.measure_reads import indicator_points
from di_metrics.queries.privacy import output
from di_metrics.queries.workforce import dimension_values, share_series
from di_metrics.storage.measure_register import load_measures
from di_metrics.storage.store import indicator as indicator_table
from di_metrics.storage.targets import load_targets
from di_metrics.vocab import DIMENSIONS

__all__ = ["EffectPanel", "effect_panel"]


@dataclass(frozen=True)
class EffectPanel:
    """Dates, the measure's own series (fractions) and one row per part it did not cover (parts × dates)."""

    dates: tuple[dt.date, ...]
    treated: np.ndarray
    untreated: np.ndarray
    parts: tuple[str, ...] = ()


def _metric(conn: Connection, m: Measure) -> Metric:
    target = next((t for t in load_targets(conn) if t.name == m.indicator), None)
    return metric_of(m.indicator if target is None else target.metric)


def _indicator_parts(conn: Connection, name: str, dim: str) -> pd.DataFrame:
    """An indicator's values per value of one dimension (the other dimensions blank), dates × values; a point
    whose known denominator is under the workforce minimum is hidden."""
    i = indicator_table
    blanks = [i.c[d].is_(None) for d in DIMENSIONS if d != dim]
    query = sa.select(i.c.date, i.c[dim], i.c.value, i.c.denominator).where(
        i.c.indicator == name, i.c[dim].is_not(None), *blanks
    )
    frame = pd.DataFrame([tuple(r) for r in conn.execute(query).all()], columns=["date", "part", "value", "den"])
    small = frame["den"].notna() & (frame["den"].astype(float) < min_workforce_cell())
    frame["value"] = frame["value"].astype(float).mask(small)
    frame["date"] = [d.date() if isinstance(d, dt.datetime) else d for d in frame["date"]]
    return frame.pivot_table(index="date", columns="part", values="value", aggfunc="first", dropna=False)


def _share_parts(conn: Connection, dim: str) -> pd.DataFrame:
    """The women's share per value of one dimension, dates × values; hidden points are NaN."""
    columns = {}
    for value in dimension_values(conn, dim):
        series = share_series(conn, Filters.of({dim: [value]}))
        columns[value] = pd.Series(series["women_share"].astype(float).to_numpy(), index=list(series["date"]))
    return pd.DataFrame(columns)


@output
def effect_panel(conn: Connection, m: Measure) -> EffectPanel:
    """The measure's own series, and the uncovered parts where its scope names one dimension and the
    indicator is kept per value of it (an indicator file with that column, or the women's share). A part
    another measure on the same indicator covers is no comparison: it may have moved for that measure."""
    metric = _metric(conn, m)
    table = None
    if len(m.scope) == 1:
        ((dim, value),) = m.scope.items()
        if metric.kind is INDICATOR:
            table = _indicator_parts(conn, metric.name, dim)
        elif metric.kind is SHARE and m.indicator == metric.code:
            table = _share_parts(conn, dim)
        if table is not None and value not in table.columns:
            table = None
    if table is None:
        points = indicator_points(conn, m)
        values = np.array([np.nan if v is None else v for _, v in points], dtype=float)
        return EffectPanel(tuple(d for d, _ in points), values, np.empty((0, len(points))))
    table = table.sort_index()
    covered = {o.scope.get(dim) for o in load_measures(conn) if o.name != m.name and o.indicator == m.indicator}
    others = [c for c in table.columns if c != value and c not in covered]
    untreated = table[others].to_numpy(dtype=float).T if others else np.empty((0, len(table)))
    return EffectPanel(tuple(table.index), table[value].to_numpy(dtype=float), untreated, tuple(others))
