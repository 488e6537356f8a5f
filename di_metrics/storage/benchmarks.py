"""A benchmark series file's own rules, and the frame as stored: every row dated by a date or a year."""

from __future__ import annotations

from typing import Any

import pandas as pd

from di_metrics.errors import Problem
from di_metrics.storage.validation import FIRST_DATA_LINE

__all__ = ["check_benchmarks", "with_years"]


def check_benchmarks(frame: pd.DataFrame, unreadable: frozenset[int] = frozenset()) -> list[Problem]:
    """Every row is dated by a date or a year, and where it has both they agree. A row whose date or year did
    not parse (`unreadable`, row positions) is not called undated: its own problem names it."""
    date_year = pd.Series(_date_years(frame), dtype="Int64")
    year = frame["year"] if "year" in frame else pd.Series(pd.NA, index=frame.index, dtype="Int64")
    problems = []
    parsed = ~frame.index.isin(list(unreadable))
    undated = (date_year.isna() & year.isna()).to_numpy(dtype=bool) & parsed
    if undated.any():
        problems.append(Problem("date, year", "benchmark_undated", _lines(undated)))
    clash = (date_year.notna() & year.notna() & date_year.ne(year)).fillna(False).to_numpy(dtype=bool)
    if clash.any():
        problems.append(Problem("year", "benchmark_year_mismatch", _lines(clash)))
    return problems


def with_years(frame: pd.DataFrame) -> pd.DataFrame:
    """A validated benchmark frame as stored: the year filled in from the date, values as fractions."""
    date_year = pd.Series(_date_years(frame), index=frame.index)
    year = frame["year"] if "year" in frame else pd.Series(None, index=frame.index)
    return frame.assign(
        year=year.astype("Float64").fillna(date_year.astype("Float64")).astype(int),
        value=frame["value"].astype(float) / 100,
        needs_verification=frame.get("needs_verification", False),
    )


def _date_years(frame: pd.DataFrame) -> list[int | None]:
    """Each row's date's year; None without a date (or without a date column)."""
    dates = frame["date"] if "date" in frame else [None] * len(frame)
    return [None if d is None or pd.isna(d) else d.year for d in dates]


def _lines(mask: Any) -> tuple[int, ...]:
    return tuple(int(i) + FIRST_DATA_LINE for i, bad in enumerate(mask) if bad)
