"""Promotion by rank level: women's and men's yearly promotion rates, pooled over the last three years, their
impact ratio with a MOVER-R interval on Wilson intervals (models/rates.py), the four-fifths flag, and the time
in rank to promotion with leaving as a competing event (Aalen-Johansen cumulative incidence).

A level is flagged only when the ratio is under 0.8 and its 95% interval lies wholly under 1: fewer women
promoted than the four-fifths rule allows, a signal to look, not a finding of discrimination.
Counts under the minimum are hidden with their complements, and a rate is shown only when its numerator and
denominator are; a cumulative-incidence curve stops where its number at risk falls under the minimum.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from di_metrics.analysis.retention import months_between
from di_metrics.config import min_workforce_cell
from di_metrics.models.ladders import Ladders, load_ladders
from di_metrics.models.rates import ratio_interval, wilson
from di_metrics.queries import career as reads
from di_metrics.queries import privacy
from di_metrics.queries.filters import Filters
from di_metrics.queries.privacy import output

if TYPE_CHECKING:
    from lifelines import AalenJohansenFitter
    from sqlalchemy.engine import Connection

__all__ = [
    "FOUR_FIFTHS",
    "POOLED_YEARS",
    "IncidencePoint",
    "LevelRate",
    "MedianTime",
    "Promotion",
    "level_rates",
    "promotion",
    "time_to_promotion",
]

FOUR_FIFTHS = 0.8
POOLED_YEARS = 3


@dataclass(frozen=True)
class LevelRate:
    """One rank level's promotion in one year (`year` None: pooled over `years`)."""

    rank_group: str
    year: int | None
    years: tuple[int, ...]
    women_at_risk: int | None
    women_promoted: int | None
    men_at_risk: int | None
    men_promoted: int | None
    suppressed: bool

    @property
    def women_rate(self) -> float | None:
        return None if self.suppressed else self.women_promoted / self.women_at_risk

    @property
    def men_rate(self) -> float | None:
        return None if self.suppressed else self.men_promoted / self.men_at_risk

    @property
    def women_interval(self) -> tuple[float, float] | None:
        return None if self.suppressed else wilson(self.women_promoted, self.women_at_risk)

    @property
    def men_interval(self) -> tuple[float, float] | None:
        return None if self.suppressed else wilson(self.men_promoted, self.men_at_risk)

    @property
    def interval(self) -> tuple[float, float, float] | None:
        """(impact ratio, low, high); None where hidden or men's rate is 0."""
        if self.suppressed:
            return None
        found = ratio_interval(self.women_promoted, self.women_at_risk, self.men_promoted, self.men_at_risk)
        return None if math.isnan(found[0]) else found

    @property
    def flag(self) -> bool:
        """Under four fifths, and the interval excludes 1."""
        found = self.interval
        return found is not None and found[0] < FOUR_FIFTHS and found[2] < 1.0


@dataclass(frozen=True)
class IncidencePoint:
    """The share of a rank's newcomers promoted within t years (leaving competes), with its 95% interval."""

    rank_group: str
    gender: str
    t: float
    at_risk: int | None
    incidence: float | None
    low: float | None
    high: float | None
    suppressed: bool


@dataclass(frozen=True)
class MedianTime:
    """Years in rank by which half were promoted; None where that is not reached while the curve is shown."""

    rank_group: str
    gender: str
    years: float | None


@dataclass(frozen=True)
class Promotion:
    levels: tuple[LevelRate, ...]  # per level and year
    pooled: tuple[LevelRate, ...]  # per level, the last POOLED_YEARS years together
    incidence: tuple[IncidencePoint, ...]
    medians: tuple[MedianTime, ...]
    minimum: int


def level_rates(counts: pd.DataFrame, ladders: Ladders, k: int) -> tuple[tuple[LevelRate, ...], tuple[LevelRate, ...]]:
    """Yearly and pooled rates per level from promotion_counts' rows (pure). The top of each ladder has no
    promotion and is left out. A row is hidden when any of its four counts is under k; within a level, a single
    hidden year beside a shown pooled row would be recovered by subtraction, so its smallest sibling goes too."""
    counts = counts[counts["gender"].isin(["F", "M"])]
    if counts.empty:  # no person-level snapshots, or nobody at a rank with a step above it: no level to show
        return (), ()
    wide = counts.pivot_table(
        index=["rank_group", "year"], columns="gender", values=["at_risk", "promoted"], aggfunc="sum", fill_value=0
    )
    wide.columns = [f"{g}_{v}" for v, g in wide.columns]
    wide = wide.reindex(columns=["F_at_risk", "F_promoted", "M_at_risk", "M_promoted"], fill_value=0).reset_index()
    wide = wide[[ladders.level(r) is not None and not _is_top_step(ladders, r) for r in wide["rank_group"]]]
    years = sorted(wide["year"].unique())[-POOLED_YEARS:]
    pooled = wide[wide["year"].isin(years)].groupby("rank_group", as_index=False).sum().assign(year=-1)
    table = pd.concat([wide, pooled], ignore_index=True)
    cells = table[["F_at_risk", "F_promoted", "M_at_risk", "M_promoted"]]
    hidden = privacy.primary(cells.min(axis=1), k)
    pooled_part = table["year"].isin([*years, -1])
    hidden = hidden | (
        pooled_part
        & privacy.complementary(
            hidden.where(pooled_part, False), cells.min(axis=1), table["rank_group"].where(pooled_part)
        )
    )
    order = {r: i for i, r in enumerate(ladders.order)}
    rows = [
        _rate(row, bool(h), tuple(int(y) for y in years)) for (_, row), h in zip(table.iterrows(), hidden, strict=True)
    ]
    rows.sort(key=lambda r: (order[r.rank_group], r.year if r.year is not None else 10_000))
    return tuple(r for r in rows if r.year is not None), tuple(r for r in rows if r.year is None)


def _is_top_step(ladders: Ladders, rank: str) -> bool:
    category = ladders.category_of(rank)
    return category is not None and ladders.ranks(category)[-1] == rank


def _rate(row: pd.Series, hidden: bool, years: tuple[int, ...]) -> LevelRate:
    year = None if row["year"] == -1 else int(row["year"])
    figures = [None if hidden else int(row[c]) for c in ("F_at_risk", "F_promoted", "M_at_risk", "M_promoted")]
    return LevelRate(str(row["rank_group"]), year, years if year is None else (year,), *figures, hidden)


def time_to_promotion(
    stays: pd.DataFrame, index: pd.DataFrame, ladders: Ladders, k: int
) -> tuple[tuple[IncidencePoint, ...], tuple[MedianTime, ...]]:
    """Cumulative incidence of promotion by years in rank, per level and gender, from rank_stays' rows (pure)."""
    from lifelines import AalenJohansenFitter  # here, not at the top: importing lifelines takes seconds

    dates = dict(zip(index["i"], index["snapshot_date"], strict=True))
    ended = np.where(stays["outcome"] == reads.CENSORED, stays["end_i"], stays["end_i"] + 1)
    months = [months_between(dates[int(a)], dates[int(b)]) for a, b in zip(stays["start_i"], ended, strict=True)]
    stays = stays.assign(years=np.array(months, dtype=float) / 12)
    points, medians = [], []
    for rank in ladders.order:
        if _is_top_step(ladders, rank):
            continue
        for gender in ("F", "M"):
            rows = stays[(stays["rank_group"] == rank) & (stays["gender"] == gender) & (stays["years"] > 0)]
            # One row per duration and outcome: the estimate is the same, and its variance is far quicker.
            rows = rows.groupby(["years", "outcome"], as_index=False)["persons"].sum()
            if rows["persons"].sum() < k or not (rows["outcome"] == reads.PROMOTED).any():
                continue
            ajf = AalenJohansenFitter(seed=0, calculate_variance=True)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ajf.fit(rows["years"], rows["outcome"], event_of_interest=reads.PROMOTED, weights=rows["persons"])
            shown = _incidence(rank, gender, ajf, rows, k)
            points += shown
            reached = [p.t for p in shown if not p.suppressed and p.incidence >= 0.5 - 1e-9]
            medians.append(MedianTime(rank, gender, round(reached[0], 2) if reached else None))
    return tuple(points), tuple(medians)


def _incidence(rank: str, gender: str, ajf: AalenJohansenFitter, rows: pd.DataFrame, k: int) -> list[IncidencePoint]:
    cif = ajf.cumulative_density_.iloc[:, 0]
    band = ajf.confidence_interval_
    durations, weights = rows["years"].to_numpy(), rows["persons"].to_numpy()
    out = []
    for t in sorted({round(float(x), 6) for x in durations}):
        at_risk = int(weights[durations >= t].sum())
        if at_risk < k:
            out.append(IncidencePoint(rank, gender, t, None, None, None, None, True))
            break
        upto = cif.loc[: t + 0.01]
        value = float(upto.iloc[-1]) if len(upto) else 0.0
        ends = band.loc[: t + 0.01].iloc[-1].to_numpy(float) if len(upto) else np.zeros(2)
        known = np.isfinite(ends).all()  # lifelines labels the two ends swapped: take them by size
        low, high = (float(ends.min()), float(ends.max())) if known else (None, None)
        out.append(IncidencePoint(rank, gender, t, at_risk, value, low, high, False))
    return out


@output
def promotion(
    conn: Connection, filters: Filters = Filters(), ladders: Ladders | None = None, with_time: bool = True
) -> Promotion:
    """Every promotion figure of a selection, hidden where the disclosure rules say so (`with_time` False:
    without the time-to-promotion curves, the slow part, for the slides that do not draw them)."""
    ladders = ladders or load_ladders()
    k = min_workforce_cell()
    levels, pooled = level_rates(reads.promotion_counts(conn, ladders, filters), ladders, k)
    if not with_time:
        return Promotion(levels, pooled, (), (), k)
    stays = reads.rank_stays(conn, ladders, filters)
    points, medians = time_to_promotion(stays, reads.snapshot_index(conn), ladders, k)
    return Promotion(levels, pooled, points, medians, k)
