"""The rank-structured projection: hires enter at the entry ranks, promotions move people up one ladder.

Calibrated from the shown flows between snapshots (di_metrics/queries/rank_flows.py); its lever is
promotion-rate parity for women (docs/model.md, the rank model).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from di_metrics.models.rank_fold import FOLD_JOIN, RankFold
from di_metrics.queries.filters import Filters
from di_metrics.queries.privacy import output
from di_metrics.queries.rank_flows import rank_rates, shown_stock
from di_metrics.queries.workforce import complete_years, rank_folds, snapshot_dates
from di_metrics.vocab import CATEGORY, LADDERS

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

__all__ = ["LADDERS", "YEARS", "RankScenario", "calibrate_ranks", "project_ranks", "promotion_effect"]

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
    fold: RankFold | None = None  # the rank groups as shown, a hidden top folded; None: the ladder's own ranks

    @property
    def ranks(self) -> tuple[str, ...]:
        return self.fold.groups if self.fold is not None else LADDERS[self.ladder]


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
    """How much promotion parity adds to the women's share of the top two ranks by `until` (the groups that
    hold them: with the top folded, the folded group). At parity 0 it is 0: the projection less itself (not
    projected twice on every hiring-share move to find that)."""
    if s.parity == 0.0:
        return 0.0
    own = set(LADDERS[s.ladder][-2:])
    top = [group for group in s.ranks if own & set(group.split(FOLD_JOIN))]

    def share(parity: float) -> float:
        path = project_ranks(dataclasses.replace(s, parity=parity), until)
        last = path[(path["year"] == until) & path["rank_group"].isin(top)]
        return float((last["women_share"] * last["persons"]).sum() / last["persons"].sum())

    return share(s.parity) - share(0.0)


@output
def calibrate_ranks(
    conn: Connection, filters: Filters, ladder: str, hire_share: float | None = None, growth: float = 0.0
) -> RankScenario:
    """Rates per rank and gender pooled over the last complete years of one ladder in the population.

    Only shown figures go in: the stock per rank group as the Overview's pipeline shows it, a hidden top group
    folded into the ranks below as the pipeline folds it (a year whose starting stock hides a rank group is left
    out; a hidden rank group today refuses the model), and pooled events under the minimum, with their
    complements, share one rate.
    """
    fold = rank_folds(conn, filters)[ladder]
    if fold is None:
        raise ValueError("a rank group of the ladder is below the minimum group size")
    scope = Filters.of({**filters.as_dict(), CATEGORY: [ladder]}, filters.exempt_units)
    dates = snapshot_dates(conn)
    years = complete_years(dates)[-YEARS:]
    if not years:
        raise ValueError("the rank model needs at least one complete year of person-level snapshots")
    starts_at = [max(d for d in dates if d < dt.date(year, 1, 1)) for year in years]
    counts = shown_stock(conn, filters, fold.groups, [*starts_at, dates[-1]])
    shown_years = [(year, day) for year, day in zip(years, starts_at, strict=True) if counts[day] is not None]
    if counts[dates[-1]] is None or not shown_years:
        raise ValueError("a rank group of the ladder is below the minimum group size")
    starts = sum(counts[day] for _, day in shown_years)
    rates = rank_rates(conn, scope, fold.index, [year for year, _ in shown_years], starts)
    promotion = rates.promotion.copy()
    promotion[:, -1] = 0.0
    hires = rates.hires
    hire_totals = hires.sum(axis=1, keepdims=True)
    hire_ranks = np.where(hire_totals > 0, hires / np.where(hire_totals > 0, hire_totals, 1), 0)
    hire_ranks[hire_totals[:, 0] == 0, 0] = 1.0
    all_hires = hires.sum()
    return RankScenario(
        ladder=ladder,
        start_year=dates[-1].year,
        stock=counts[dates[-1]],
        attrition=rates.attrition,
        promotion=promotion,
        hire_ranks=hire_ranks,
        hire_share=hire_share if hire_share is not None else (hires[0].sum() / all_hires if all_hires else 0.0),
        growth=growth,
        fold=fold,
    )
