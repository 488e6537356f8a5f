"""The rank-structured projection: hires enter at the entry ranks, promotions move people up one ladder.

Calibrated from the transitions between snapshots; its lever is promotion-rate parity for women.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from di_metrics.config import min_workforce_cell
from di_metrics.queries import privacy
from di_metrics.queries.filters import Filters
from di_metrics.queries.workforce import breakdown, complete_years, snapshot_dates
from di_metrics.storage.store import transition_cube
from di_metrics.vocab import CATEGORY, LADDERS

YEARS = 3


@dataclass(frozen=True)
class RankScenario:
    """State and rates per rank group (index = rank, lowest first) and gender (0 women, 1 men)."""

    ladder: str
    start_year: int
    stock: np.ndarray  # (2, R)
    attrition: np.ndarray  # (2, R)
    promotion: np.ndarray  # (2, R), to the next rank; the top rank's is 0
    hire_ranks: np.ndarray  # (2, R), how each gender's hires spread over the ranks
    hire_share: float
    growth: float
    parity: float = 0.0  # 0: promotion rates as calibrated; 1: women promoted as often as men

    @property
    def ranks(self) -> tuple[str, ...]:
        return LADDERS[self.ladder]


def project_ranks(s: RankScenario, until: int) -> pd.DataFrame:
    """The women's share per rank group per year, from the start year to `until`."""
    stock = s.stock.astype(float).copy()
    promotion = s.promotion.copy()
    promotion[0] = promotion[0] + s.parity * (promotion[1] - promotion[0])
    rows = [_shares(s.start_year, stock, s.ranks)]
    for year in range(s.start_year + 1, until + 1):
        n = stock.sum()
        exits = s.attrition * stock
        promoted = promotion * stock
        stock = stock - exits - promoted
        stock[:, 1:] += promoted[:, :-1]
        hires = max(0.0, n * (1 + s.growth) - stock.sum())
        stock[0] += s.hire_share * hires * s.hire_ranks[0]
        stock[1] += (1 - s.hire_share) * hires * s.hire_ranks[1]
        rows.append(_shares(year, stock, s.ranks))
    return pd.concat(rows, ignore_index=True)


def _shares(year: int, stock: np.ndarray, ranks: tuple[str, ...]) -> pd.DataFrame:
    total = stock.sum(axis=0)
    share = np.divide(stock[0], total, out=np.zeros_like(total), where=total > 0)
    return pd.DataFrame({"year": year, "rank_group": ranks, "women_share": share, "persons": total})


def promotion_effect(s: RankScenario, until: int) -> float:
    """How much promotion parity adds to the women's share of the top two ranks by `until`."""
    top = list(s.ranks[-2:])

    def share(parity: float) -> float:
        path = project_ranks(dataclasses.replace(s, parity=parity), until)
        last = path[(path["year"] == until) & path["rank_group"].isin(top)]
        return float((last["women_share"] * last["persons"]).sum() / last["persons"].sum())

    return share(s.parity) - share(0.0)


def calibrate_ranks(
    conn: Connection, filters: Filters, ladder: str, hire_share: float | None = None, growth: float = 0.0
) -> RankScenario:
    """Rates per rank and gender pooled over the last complete years of one ladder in the population.

    Only shown figures go in: the stock per rank group as the rank breakdown shows it (a year whose starting
    stock hides a rank group is left out; a hidden rank group today refuses the model), and pooled events under
    the minimum, with their complements, share one rate.
    """
    ranks = LADDERS[ladder]
    scope = Filters.of({**filters.as_dict(), CATEGORY: [ladder]}, filters.exempt_units)
    dates = snapshot_dates(conn)
    years = complete_years(dates)[-YEARS:]
    if not years:
        raise ValueError("the rank model needs at least one complete year of person-level snapshots")
    starts_at = [max(d for d in dates if d < dt.date(year, 1, 1)) for year in years]
    counts = _shown_stock(conn, scope, ranks, [*starts_at, dates[-1]])
    shown_years = [(year, day) for year, day in zip(years, starts_at, strict=True) if counts[day] is not None]
    if counts[dates[-1]] is None or not shown_years:
        raise ValueError("a rank group of the ladder is below the minimum group size")
    starts = sum(counts[day] for _, day in shown_years)
    events = _events(conn, scope, ranks)
    events = events[events["year"].isin([year for year, _ in shown_years])]
    pooled = {kind: np.zeros((2, len(ranks))) for kind in ("exit", "promotion", "hire")}
    for (kind, g, r), value in events.groupby(["kind", "g", "r"])["persons"].sum().items():
        pooled[kind][g, r] = value
    attrition = _shown_rates(pooled["exit"], starts)
    promotion = _shown_rates(pooled["promotion"], starts)
    promotion[:, -1] = 0.0
    hires = _shown_hires(pooled["hire"])
    hire_totals = hires.sum(axis=1, keepdims=True)
    hire_ranks = np.where(hire_totals > 0, hires / np.where(hire_totals > 0, hire_totals, 1), 0)
    hire_ranks[hire_totals[:, 0] == 0, 0] = 1.0
    all_hires = hires.sum()
    return RankScenario(
        ladder=ladder,
        start_year=dates[-1].year,
        stock=counts[dates[-1]],
        attrition=attrition,
        promotion=promotion,
        hire_ranks=hire_ranks,
        hire_share=hire_share if hire_share is not None else (hires[0].sum() / all_hires if all_hires else 0.0),
        growth=growth,
    )


def _shown_stock(conn: Connection, scope: Filters, ranks: tuple[str, ...], days: list[dt.date]) -> dict:
    """Women and men per rank group on each day, from the safe rank breakdown; None on a day that hides one."""
    table = breakdown(conn, scope, "rank_group").set_index(["date", "value"])
    out = {}
    for day in days:
        stock = np.zeros((2, len(ranks)))
        for r, rank in enumerate(ranks):
            if (day, rank) in table.index:
                row = table.loc[(day, rank)]
                if bool(row["suppressed"]):
                    stock = None
                    break
                stock[:, r] = [float(row["women"]), float(row["men"])]
        out[day] = stock
    return out


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


def _events(conn: Connection, scope: Filters, ranks: tuple[str, ...]) -> pd.DataFrame:
    """Hires, exits and promotions per year, gender and rank from the transition table."""
    t = transition_cube
    inside_from = sa.and_(t.c.from_org_unit.is_not(None), scope.predicate(t, "from_"))
    inside_to = sa.and_(t.c.to_org_unit.is_not(None), scope.predicate(t, "to_"))
    query = (
        sa.select(
            t.c.snapshot_date,
            t.c.from_gender,
            t.c.to_gender,
            t.c.from_rank_group,
            t.c.to_rank_group,
            inside_from.label("in_from"),
            inside_to.label("in_to"),
            sa.func.sum(t.c.persons),
        )
        .where(sa.or_(inside_from, inside_to))
        .group_by(
            t.c.snapshot_date,
            t.c.from_gender,
            t.c.to_gender,
            t.c.from_rank_group,
            t.c.to_rank_group,
            inside_from,
            inside_to,
        )
    )
    order = {rank: i for i, rank in enumerate(ranks)}
    rows = []
    for day, g_from, g_to, r_from, r_to, in_from, in_to, persons in conn.execute(query):
        year = day.year if isinstance(day, dt.date) else pd.Timestamp(day).year
        if in_from and not in_to and g_from in ("F", "M") and r_from in order:
            rows.append((year, "exit", "FM".index(g_from), order[r_from], persons))
        elif in_to and not in_from and g_to in ("F", "M") and r_to in order:
            rows.append((year, "hire", "FM".index(g_to), order[r_to], persons))
        elif (
            in_from
            and in_to
            and g_to in ("F", "M")
            and r_from in order
            and r_to in order
            and order[r_to] > order[r_from]
        ):
            rows.append((year, "promotion", "FM".index(g_to), order[r_from], persons))
    return pd.DataFrame(rows, columns=["year", "kind", "g", "r", "persons"])
