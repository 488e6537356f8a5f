"""A measure (maatregel) and how its indicator moved before and after it started: least-squares slopes in
percentage points a year (docs/definitions.md). The comparison shows timing, not cause."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from di_metrics.vocab import DIMENSIONS

__all__ = ["MIN_POINTS", "Measure", "Points", "Slopes", "before_after", "from_frame", "slope_pp_per_year"]

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


@dataclass(frozen=True)
class Slopes:
    """An indicator's slope before a measure's start and from it on (pp a year; None below two points)."""

    slope_before: float | None
    slope_after: float | None
    slope_change: float | None
    points_before: int
    points_after: int


def before_after(points: Points, start: dt.date) -> Slopes:
    """Slopes before the start (dates before it) and after (from the start on), each from at least two points."""
    before = [(d, v) for d, v in points if d < start and v is not None]
    after = [(d, v) for d, v in points if d >= start and v is not None]
    slope_before, slope_after = slope_pp_per_year(before), slope_pp_per_year(after)
    change = None if slope_before is None or slope_after is None else slope_after - slope_before
    return Slopes(slope_before, slope_after, change, len(before), len(after))


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
