"""The formal-report release as one table: the stored counts per year, report line (kind and category), branch and
personnel category, and every margin a view shows (all lines, all branches, all personnel categories, and each
combination of them). The decision which of them are hidden is `meldingen.hidden_reports`; this module builds the
table, and gives a view's figure from it: a cell of the table, or a sum over several chosen values that the
consistency rule lets through (docs/privacy.md, *Formal reports*)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import linprog

from di_metrics.queries import privacy

__all__ = ["AXES", "LINE_SEP", "TOTAL", "Figure", "Release", "pinned", "widen", "with_margins"]

TOTAL = "\x1e"  # the margin of an axis: every value of it, blanks included (never shown)
AXES = ("line", "branch", "personnel_category")  # line: a report kind and category, "kind\x1dcategory"
LINE_SEP = "\x1d"


def with_margins(cells: pd.DataFrame) -> pd.DataFrame:
    """The cells (year, kind, category, branch, personnel_category, count) and every margin over the three axes,
    margins marked TOTAL; a margin's kind and category are TOTAL too."""
    base = cells.assign(line=cells["kind"].astype(str) + LINE_SEP + cells["category"].astype(str))
    parts = []
    for margins in itertools.product((False, True), repeat=len(AXES)):
        part = base.assign(**{axis: TOTAL for axis, total in zip(AXES, margins, strict=True) if total})
        parts.append(part.groupby(["year", *AXES], as_index=False, sort=True)["count"].sum())
    table = pd.concat(parts, ignore_index=True)
    split = table["line"].str.split(LINE_SEP, n=1, regex=False)
    table["kind"] = split.str[0]
    table["category"] = split.str[1].fillna(TOTAL)
    return table


@dataclass(frozen=True)
class Figure:
    """A view's count and whether it is hidden (the count is kept for the rules only: never shown when hidden)."""

    count: int
    hidden: bool


Key = tuple[int, str, str, str]  # year, line, branch, personnel category


@dataclass(frozen=True)
class Release:
    """The table's counts and hidden flags by key, and the minimum; read by every formal-report view."""

    cells: dict[Key, Figure]
    k: int
    index: dict[tuple[int, str, int, str], set[str]]  # (year, line, axis, the other axis's value): values

    @classmethod
    def of(cls, table: pd.DataFrame, hidden: pd.Series, k: int) -> Release:
        columns = zip(table["year"], table["line"], table["branch"], table["personnel_category"], strict=True)
        figures = [Figure(int(c), bool(h)) for c, h in zip(table["count"], hidden, strict=True)]
        cells = {(int(y), str(li), str(b), str(p)): f for (y, li, b, p), f in zip(columns, figures, strict=True)}
        index: dict[tuple[int, str, int, str], set[str]] = {}
        for y, li, b, p in cells:
            index.setdefault((y, li, 1, p), set()).add(b)
            index.setdefault((y, li, 2, b), set()).add(p)
        return cls(cells, k, index)

    def lines(self) -> list[tuple[int, str]]:
        """Every year and report line stored, in order."""
        return sorted({(y, li) for (y, li, b, p) in self.cells if li != TOTAL and b == TOTAL and p == TOTAL})

    def members(self, year: int, line: str, axis: int, fixed: str) -> set[str]:
        """The stored values of an axis (1 branch, 2 personnel category) on a line with the other axis fixed."""
        return self.index.get((year, line, axis, fixed), set()) - {TOTAL}

    def figure(
        self, year: int, line: str, branches: Iterable[str] | None, categories: Iterable[str] | None
    ) -> Figure | None:
        """The count of a view over the chosen branches and personnel categories (None: all), or None when no
        report is stored there. A choice of every stored value is the margin; a choice of several values is a
        sum, hidden when it holds some but not all of its line's hidden cells (or the margin is hidden); with
        several values on both axes, hidden when any part is."""
        chosen: dict[int, set[str] | None] = {1: _set(branches), 2: _set(categories)}
        for axis in (1, 2):
            fixed = chosen[3 - axis]
            if chosen[axis] is not None and (fixed is None or len(fixed) == 1):
                on = TOTAL if fixed is None else next(iter(fixed))
                if self.members(year, line, axis, on) <= chosen[axis]:
                    chosen[axis] = None
        values = [[TOTAL] if chosen[a] is None else sorted(chosen[a]) for a in (1, 2)]  # type: ignore[arg-type]
        parts = [
            self.cells[key] for key in ((year, line, b, p) for b in values[0] for p in values[1]) if key in self.cells
        ]
        if not parts:
            return None
        count = sum(f.count for f in parts)
        hidden = bool(privacy.primary(pd.Series([count]), self.k).iloc[0])
        if any(f.hidden for f in parts):
            several = [a for a in (1, 2) if chosen[a] is not None and len(chosen[a]) > 1]  # type: ignore[arg-type]
            hidden = hidden or len(several) != 1 or not self._consistent(year, line, several[0], chosen)
        return Figure(count, hidden)

    def _consistent(self, year: int, line: str, axis: int, chosen: dict[int, set[str] | None]) -> bool:
        """Whether a sum over several values of one axis holds all or none of its line's hidden cells (the margin
        counted as one of them: a hidden margin is never given by the shown rest)."""
        fixed = chosen[3 - axis]
        on = TOTAL if fixed is None else next(iter(fixed))

        def key(value: str) -> Key:
            return (year, line, value, on) if axis == 1 else (year, line, on, value)

        members = self.members(year, line, axis, on)
        hidden = {v for v in members | {TOTAL} if key(v) in self.cells and self.cells[key(v)].hidden}
        return privacy.consistent(set(chosen[axis] or ()) & members, hidden)


def _set(values: Iterable[str] | None) -> set[str] | None:
    return None if values is None else {str(v) for v in values}


def _inside(table: pd.DataFrame, rows: pd.DataFrame) -> np.ndarray:
    """contains[i, j]: whether figure i of the table counts every report of figure j of `rows` (on every axis
    the same value, or i's margin)."""
    contains = np.ones((len(table), len(rows)), dtype=bool)
    for axis in AXES:
        outer, inner = table[axis].to_numpy()[:, None], rows[axis].to_numpy()[None, :]
        contains &= (outer == TOTAL) | (outer == inner)
    return contains


def pinned(table: pd.DataFrame, hidden: np.ndarray, width: float = 3.0) -> np.ndarray:
    """The hidden figures that the shown ones, with counts >= 0, hold in an interval narrower than `width`
    (as the attacker's linear programs would: a hidden 0 beside shown parts that already add up to their total
    is given back even where no line holds it alone). Years are independent: each is solved on its own."""
    out = np.zeros(len(table), dtype=bool)
    finest = ((table[list(AXES)] != TOTAL).all(axis=1)).to_numpy()
    for idx in table.groupby("year").indices.values():
        part, h = table.iloc[idx], hidden[idx]
        contains = _inside(part, part[finest[idx]]).astype(float)
        a, b = contains[~h], part["count"].to_numpy(dtype=float)[~h]
        seen: dict[bytes, bool] = {}
        for i in np.flatnonzero(h):
            key = contains[i].tobytes()
            if key not in seen:
                low = linprog(contains[i], A_eq=a, b_eq=b, bounds=(0, None), method="highs")
                high = linprog(-contains[i], A_eq=a, b_eq=b, bounds=(0, None), method="highs")
                seen[key] = high.status != 3 and -high.fun - low.fun < width - 1e-6  # 3: unbounded above
            out[idx[i]] = seen[key]
    return out


def widen(
    table: pd.DataFrame,
    hidden: np.ndarray,
    cost: np.ndarray,
    lines: list[pd.Series],
    complete: Callable[[np.ndarray], np.ndarray],
) -> np.ndarray:
    """For each pinned figure, hide the cheapest shown figure inside it (its shown parts bound it from below),
    else the cheapest shown one on its lines, else the cheapest shown total that holds it; then `complete` (the
    complements) again; until nothing is pinned."""
    hidden = hidden.copy()
    labels = [line.to_numpy() for line in lines]
    for _ in range(len(table)):
        stuck = pinned(table, hidden)
        if not stuck.any():
            return hidden
        before = hidden.copy()
        for i in np.flatnonzero(stuck):
            near = np.zeros(len(table), dtype=bool)
            for on in labels:
                near |= on == on[i]
            parts = _inside(table.iloc[[i]], table)[0]
            holders = _inside(table, table.iloc[[i]])[:, 0]
            for choice in (parts & ~hidden, near & ~hidden, holders & ~hidden):
                if choice.any():
                    hidden[np.flatnonzero(choice)[np.argmin(cost[choice])]] = True
                    break
        if (hidden == before).all():
            return hidden  # nothing shown is left to widen with
        hidden = np.array(complete(hidden), dtype=bool)  # a writable copy
    return hidden
