"""Peers' pace: one value per year from public figures, and the fastest change over five years (pp a year),
which a target's needed pace is set against (docs/definitions.md). Pure: no storage, no SQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import pandas as pd

from di_metrics.models.standing import Status

__all__ = [
    "STRENGTH",
    "WINDOW_YEARS",
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


def fastest_window(yearly: dict[int, float], years: int = WINDOW_YEARS) -> dict[str, Any] | None:
    """The fastest change over `years` years with a value at both ends: pace = (end - start) / years, in pp a
    year, from fractions. The earliest window wins a tie; None when no two values lie `years` apart."""
    best: dict[str, Any] | None = None
    for start in sorted(yearly):
        if start + years not in yearly:
            continue
        pace = 100 * (yearly[start + years] - yearly[start]) / years
        if best is None or pace > best["pp_per_year"] + 1e-9:
            best = {"from": start, "to": start + years, "pp_per_year": pace}
    return best


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
