"""Flows by rank group: the stock per rank and gender, and the exits, promotions and hires between snapshots
that the rank model is calibrated on, only as figures that may be shown (docs/privacy.md, docs/model.md)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from di_metrics.config import min_workforce_cell
from di_metrics.queries import privacy
from di_metrics.queries.filters import Filters
from di_metrics.queries.workforce import pipeline
from di_metrics.storage.store import transition_cube

__all__ = ["RankRates", "rank_rates", "shown_stock"]


@dataclass(frozen=True)
class RankRates:
    """Per gender (0 women, 1 men) and rank (lowest first), pooled over the years asked for."""

    attrition: np.ndarray  # exits per person at the start
    promotion: np.ndarray  # promotions to the next rank per person at the start
    hires: np.ndarray  # hires into each rank


def shown_stock(conn: Connection, filters: Filters, groups: tuple[str, ...], days: list[dt.date]) -> dict:
    """Women and men per rank group on each day, from the Overview's (folded) pipeline; None on a day that
    hides one."""
    out = {}
    for day in days:
        table = pipeline(conn, filters, day).set_index("value")
        stock = np.zeros((2, len(groups)))
        for r, group in enumerate(groups):
            if group in table.index:
                row = table.loc[group]
                if bool(row["suppressed"]):
                    stock = None
                    break
                stock[:, r] = [float(row["women"]), float(row["men"])]
        out[day] = stock
    return out


def rank_rates(
    conn: Connection, scope: Filters, order: dict[str, int], years: list[int], starts: np.ndarray
) -> RankRates:
    """Exit and promotion rates on the shown starting stock `starts`, and hires, pooled over `years`; `order`
    takes each rank to its group (a folded top holds several ranks: a move inside it is no promotion).

    Events under the minimum, with their complements, share one rate (hires: one even split), so no hidden
    count can be read back from a rate."""
    events = _events(conn, scope, order)
    events = events[events["year"].isin(years)]
    pooled = {kind: np.zeros(starts.shape) for kind in ("exit", "promotion", "hire")}
    for (kind, g, r), value in events.groupby(["kind", "g", "r"])["persons"].sum().items():
        pooled[kind][g, r] = value
    return RankRates(
        attrition=_shown_rates(pooled["exit"], starts),
        promotion=_shown_rates(pooled["promotion"], starts),
        hires=_shown_hires(pooled["hire"]),
    )


def _hidden_events(counts: np.ndarray) -> np.ndarray:
    """Pooled events under the minimum, with complements along each gender's row and each rank's column."""
    frame = pd.DataFrame(
        [(g, r, counts[g, r]) for g in range(counts.shape[0]) for r in range(counts.shape[1])], columns=["g", "r", "n"]
    )
    first = privacy.primary(frame["n"], min_workforce_cell())
    hidden = privacy.hide_lines(first, frame["n"], [frame["g"], frame["r"]])
    return hidden.to_numpy().reshape(counts.shape)


def _shown_rates(counts: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Events per person at the start; hidden cells share the rate of all hidden cells together, which is
    the shown total minus the shown cells, so it reveals none of them."""
    hidden = _hidden_events(counts)
    rates = counts / np.where(starts > 0, starts, 1)
    if hidden.any():
        pooled_starts = starts[hidden].sum()
        rates[hidden] = counts[hidden].sum() / pooled_starts if pooled_starts > 0 else 0.0
    return rates


def _shown_hires(counts: np.ndarray) -> np.ndarray:
    """Hires per gender and rank; hidden cells of a gender share its hidden hires evenly."""
    hidden = _hidden_events(counts)
    out = counts.astype(float).copy()
    for g in range(counts.shape[0]):
        if hidden[g].any():
            out[g, hidden[g]] = counts[g, hidden[g]].sum() / hidden[g].sum()
    return out


def _events(conn: Connection, scope: Filters, order: dict[str, int]) -> pd.DataFrame:
    """Hires, exits and promotions per year, gender and rank from the transition table (raw counts: private)."""
    t = transition_cube
    inside_from = sa.and_(t.c.from_org_unit.is_not(None), scope.predicate(t, "from_"))
    inside_to = sa.and_(t.c.to_org_unit.is_not(None), scope.predicate(t, "to_"))
    columns = (t.c.snapshot_date, t.c.from_gender, t.c.to_gender, t.c.from_rank_group, t.c.to_rank_group)
    query = (
        sa.select(*columns, inside_from.label("in_from"), inside_to.label("in_to"), sa.func.sum(t.c.persons))
        .where(sa.or_(inside_from, inside_to))
        .group_by(*columns, inside_from, inside_to)
    )
    known = ("F", "M")
    rows = []
    for day, g_from, g_to, r_from, r_to, in_from, in_to, persons in conn.execute(query):
        year = day.year if isinstance(day, dt.date) else pd.Timestamp(day).year
        if in_from and not in_to and g_from in known and r_from in order:
            rows.append((year, "exit", "FM".index(g_from), order[r_from], persons))
        elif in_to and not in_from and g_to in known and r_to in order:
            rows.append((year, "hire", "FM".index(g_to), order[r_to], persons))
        elif in_from and in_to and g_to in known and order.get(r_to, -1) > order.get(r_from, len(order)):
            rows.append((year, "promotion", "FM".index(g_to), order[r_from], persons))
    return pd.DataFrame(rows, columns=["year", "kind", "g", "r", "persons"])
