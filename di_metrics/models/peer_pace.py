"""Peers' pace: one value per year from public figures, and the fastest change over five years (pp a year),
which a target's needed pace is set against (docs/definitions.md). Pure: no storage, no SQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from di_metrics.models.standing import Status

if TYPE_CHECKING:
    from di_metrics.models.targets import Target

__all__ = [
    "STRENGTH",
    "WINDOW_YEARS",
    "PeerFigure",
    "PeerPoint",
    "PeerWindow",
    "Peers",
    "Window",
    "Yearly",
    "fastest_window",
    "ours_yearly",
    "peer_series",
    "verified",
    "yearly_values",
]

WINDOW_YEARS = 5
STRENGTH = "women_share_strength"
Yearly = dict[int, tuple[float, bool]]  # year -> (value as a fraction, needs verification)


def yearly_values(rows: Iterable[tuple[int, dt.date | None, float, bool]]) -> Yearly:
    """One value per year from (year, date, value, flagged) rows: the year's last verified value; a flagged
    value stands for a year only when the year has no verified one. A row with only a year counts as the
    year's first."""
    chosen: dict[int, tuple[tuple[bool, dt.date], float, bool]] = {}
    for year, date, value, flagged in rows:
        rank = (not flagged, date or dt.date(year, 1, 1))
        if year not in chosen or rank >= chosen[year][0]:
            chosen[year] = (rank, value, flagged)
    return {year: (value, flagged) for year, (_, value, flagged) in sorted(chosen.items())}


@dataclass(frozen=True)
class Window:
    """The fastest change over a window of years: from `start` to `end`, in pp a year."""

    start: int
    end: int
    pp_per_year: float


def fastest_window(yearly: dict[int, float], years: int = WINDOW_YEARS) -> Window | None:
    """The fastest change over `years` years with a value at both ends: pace = (end - start) / years, in pp a
    year, from fractions. The earliest window wins a tie; None when no two values lie `years` apart."""
    best: Window | None = None
    for start in sorted(yearly):
        if start + years not in yearly:
            continue
        pace = 100 * (yearly[start + years] - yearly[start]) / years
        if best is None or pace > best.pp_per_year + 1e-9:
            best = Window(start, start + years, pace)
    return best


@dataclass(frozen=True)
class PeerPoint:
    """One peer's value for a year (a fraction), and whether it still needs verification."""

    peer: str
    population: str
    year: int
    share: float
    needs_verification: bool


@dataclass(frozen=True)
class PeerWindow:
    """One peer's fastest five years: from `start` to `end`, in pp a year."""

    peer: str
    population: str
    start: int
    end: int
    pp_per_year: float


@dataclass(frozen=True)
class PeerFigure:
    """One stored public figure with its source (the peers page lists them all)."""

    peer: str
    population: str
    measure: str
    year: int
    date: dt.date | None
    value: float
    source: str
    url: str
    needs_verification: bool


@dataclass(frozen=True)
class Peers:
    """Peers' series and fastest windows next to ours, and the pace our leading target needs (None: no target)."""

    series: tuple[PeerPoint, ...]
    fastest_5y: tuple[PeerWindow, ...]  # fastest first
    needed_pp_per_year: float | None
    ours: dict[int, float]  # our women's share per year
    ours_fastest_5y: Window | None
    target: Target | None  # the women's-share target that leads for the selection
    latest: float | None
    as_of: dt.date | None
    figures: tuple[PeerFigure, ...]


def verified(yearly: Yearly) -> dict[int, float]:
    """The years whose value needs no verification: a flagged value never sets the pace."""
    return {year: value for year, (value, flagged) in yearly.items() if not flagged}


def peer_series(rows: pd.DataFrame, measure: str = STRENGTH) -> dict[tuple[str, str], Yearly]:
    """Per (peer, population), the yearly values of one measure."""
    part = rows[rows["measure"] == measure]
    return {
        key: yearly_values(
            (int(r.year), r.date, float(r.value), bool(r.needs_verification)) for r in group.itertuples()
        )
        for key, group in part.groupby(["peer", "population"], sort=True)
    }


def ours_yearly(doc: Status) -> dict[int, float]:
    """Our women's share per year (the year's last shown value), from the already safe status series."""
    out: dict[int, float] = {}
    for point in doc.series:
        if point.women_share is not None:
            out[point.date.year] = float(point.women_share)
    return out
