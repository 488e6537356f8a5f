"""Formal reports (meldingen) per year, kind (social safety or integrity), category, branch and personnel
category, made safe to show.

A count under the workforce minimum says something about very few people, so it is withheld; the release is
decided once on the whole table with its margins (`hidden_reports`), so no total a reader can sum gives a
withheld count away, and every view reads its figures from that one decision.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from di_metrics.config import min_workforce_cell
from di_metrics.models.survey import ReportCount
from di_metrics.queries import privacy
from di_metrics.queries.filters import Filters
from di_metrics.queries.privacy import output
from di_metrics.queries.report_release import LINE_SEP, TOTAL, Figure, Release, widen, with_margins
from di_metrics.queries.survey_counts import ALL
from di_metrics.storage.store import formal_report
from di_metrics.vocab import CATEGORY, DIMENSIONS

__all__ = [
    "KINDS",
    "REPORT_CATEGORY",
    "formal_reports",
    "hidden_reports",
    "release",
    "report_cells",
    "report_kind",
    "reports",
    "reports_by_kind",
    "years_without_category",
]

KINDS = ("social_safety", "integrity")


def report_kind(t: sa.Table) -> sa.ColumnElement:
    """The stored kind, or for rows stored before kinds existed, the one their category names."""
    integrity = sa.func.lower(t.c.category).like("%integr%")
    return sa.case(
        (t.c.kind.is_not(None), t.c.kind), (integrity, sa.literal("integrity")), else_=sa.literal("social_safety")
    )


def report_cells(conn: Connection) -> pd.DataFrame:
    """Every stored report count per year, kind, category, branch and personnel category (raw: for the rules
    only); a blank branch or personnel category is a sibling of its own."""
    t = formal_report
    kind = report_kind(t)
    line = (t.c.year, kind, t.c.category, t.c.branch, t.c[CATEGORY])
    # in a fixed order (the rules take equally small cells by their key, not by this order: collations differ)
    query = sa.select(*line, sa.func.sum(t.c.count)).group_by(*line).order_by(*line)
    columns = ["year", "kind", "category", "branch", CATEGORY, "count"]
    cells = pd.DataFrame([tuple(x) for x in conn.execute(query).all()], columns=columns)
    for dim in ("branch", CATEGORY):
        cells[dim] = cells[dim].astype(object).where(cells[dim].notna(), privacy.MISSING)
    cells["count"] = cells["count"].astype("int64")
    parts = ("kind", "category", "branch", CATEGORY)
    cells["key"] = cells[list(parts)].astype(str).agg("/".join, axis=1) if len(cells) else pd.Series(dtype=str)
    return cells


def hidden_reports(table: pd.DataFrame, k: int | None = None) -> pd.Series:
    """The one decision for the whole formal-report release (report_release.with_margins: the cells and every
    margin a view shows): counts under k, then complements until no line a reader can sum holds exactly one
    hidden figure. A line runs along one axis (report line, branch or personnel category) with the others fixed,
    its margin included: each year's total, a branch's or category's total, a report category's total over all
    branches (the Word report) or over one personnel category."""
    year = table["year"].astype(str)
    line = table["kind"].astype(str) + "/" + table["category"].astype(str)
    branch, group = table["branch"].astype(str), table[CATEGORY].astype(str)
    # Along branches first: on the demo that hides the fewest (44 of 231 branch cells without categories, was 52).
    lines = [year + "|" + line + "|" + group, year + "|" + branch + "|" + group, year + "|" + line + "|" + branch]
    first = privacy.primary(table["count"], k or min_workforce_cell())
    # A figure on a line of two (a single value and its margin) is the margin too: the last choice of complement.
    twin = np.zeros(len(table), dtype=bool)
    for on in lines:
        twin |= on.map(on.value_counts()).to_numpy() == 2
    cost = table["count"].astype(float) + np.where(twin, 1e9, 0.0)
    keys = [table["year"], table["kind"], table["category"], table["branch"], table[CATEGORY]]

    def complete(hidden: np.ndarray) -> np.ndarray:
        return privacy.hide_lines(pd.Series(hidden, index=table.index), cost, lines, keys).to_numpy(dtype=bool)

    # A line rule alone misses a hidden 0 whose shown siblings already make up the total: widen such figures.
    widened = widen(table, complete(first.to_numpy(dtype=bool)), cost.to_numpy(), lines, complete)
    return pd.Series(widened, index=table.index)


def release(conn: Connection, k: int | None = None) -> Release:
    """The formal-report release decided once per data version (and rule: a test swaps hidden_reports or widen)."""
    k = k or min_workforce_cell()

    def decide() -> Release:
        cells = report_cells(conn)
        if cells.empty:
            return Release({}, k, {})
        table = with_margins(cells)
        return Release.of(table, hidden_reports(table, k), k)

    return privacy.decided(conn, ("formal_report", k), decide)


def _chosen(filters: Filters) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
    """The chosen branches and personnel categories (None: all); reports are not kept below them."""
    chosen = filters.as_dict()
    return chosen.get("branch"), chosen.get(CATEGORY)


def _complete_line(rows: list[dict], total: Figure | None) -> None:
    """Within one view, where the rows of a line and their total hold exactly one hidden figure, the smallest
    shown row goes with it (only a sum of several chosen values can need it: the release's lines hold already)."""
    while True:
        figures = [r["figure"] for r in rows] + ([total] if total is not None else [])
        if sum(f.hidden for f in figures) != 1:
            return
        shown = [r for r in rows if not r["figure"].hidden]
        if not shown:
            return
        smallest = min(shown, key=lambda r: r["figure"].count)
        smallest["figure"] = Figure(smallest["figure"].count, True)


REPORT_CATEGORY = "category"  # a formal report's own category column, not the personnel category
REPORT_COLUMNS = ["year", REPORT_CATEGORY, "kind", "level", "count", "suppressed", *DIMENSIONS]


def _split(line: str) -> tuple[str, str]:
    kind, category = line.split(LINE_SEP, 1)
    return kind, category


@output
def formal_reports(conn: Connection, filters: Filters) -> pd.DataFrame:
    """Formal report counts (meldingen), safe to show: level "cell" per year, kind, category and branch (over
    the chosen personnel categories), and level "total" per year for the chosen branches and categories (kind
    and category "all"). Every figure is read from the one release (`release`, `hidden_reports`)."""
    rel = release(conn)
    branches, groups = _chosen(filters)
    rows: list[dict] = []
    for year, line in rel.lines():
        kind, category = _split(line)
        on = branches or sorted(rel.members(year, line, 1, TOTAL) - {privacy.MISSING})
        for b in on:
            fig = rel.figure(year, line, [b], groups)
            if fig is not None:
                rows.append({"year": year, "kind": kind, REPORT_CATEGORY: category, "branch": b, "figure": fig})
    for year in sorted({y for y, _ in rel.lines()}):
        fig = rel.figure(year, TOTAL, branches, groups)
        if fig is not None:
            rows.append({"year": year, "kind": ALL, REPORT_CATEGORY: ALL, "branch": None, "figure": fig, "total": 1})
    if not rows:
        return pd.DataFrame(columns=REPORT_COLUMNS)
    shown = pd.DataFrame(rows)
    shown["level"] = np.where(shown.get("total", pd.Series(np.nan, index=shown.index)).eq(1), "total", "cell")
    shown["suppressed"] = [f.hidden for f in shown["figure"]]
    shown["count"] = pd.array([None if f.hidden else f.count for f in shown["figure"]], dtype="Float64")
    shown[CATEGORY] = groups[0] if groups and len(groups) == 1 else None
    for dim in DIMENSIONS:
        if dim not in shown.columns:
            shown[dim] = None
    return shown[REPORT_COLUMNS].sort_values(["year", "level", "kind", "category", "branch"]).reset_index(drop=True)


@output
def reports_by_kind(conn: Connection, filters: Filters = Filters(), k: int | None = None) -> pd.DataFrame:
    """Per year, kind and category: the count over the chosen branches and personnel categories, or none when
    withheld (`suppressed`). Unit and rank filters do not apply: reports are not kept below these two. With a
    personnel category chosen, a line some of whose reports were stored without one is not `known` that year:
    its count is unknown, neither withheld nor zero (see `years_without_category`).
    """
    rel = release(conn, k)
    branches, groups = _chosen(filters)
    columns = ["year", "kind", "category", "count", "suppressed", "known"]
    rows: list[dict] = []
    unknown: list[dict] = []
    for year, line in rel.lines():
        kind, category = _split(line)
        if groups is not None and rel.figure(year, line, branches, [privacy.MISSING]) is not None:
            unknown.append({"year": year, "kind": kind, "category": category, "figure": None})
            continue
        fig = rel.figure(year, line, branches, groups)
        if fig is not None:
            rows.append({"year": year, "kind": kind, "category": category, "figure": fig})
    for year in sorted({r["year"] for r in rows}):
        _complete_line([r for r in rows if r["year"] == year], rel.figure(year, TOTAL, branches, groups))
    if not rows and not unknown:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame(rows + unknown)
    frame["known"] = [f is not None for f in frame["figure"]]
    frame["suppressed"] = [f is not None and f.hidden for f in frame["figure"]]
    frame["count"] = [np.nan if f is None or f.hidden else float(f.count) for f in frame["figure"]]
    return frame[columns].sort_values(["year", "kind", "category"]).reset_index(drop=True)


def years_without_category(conn: Connection, filters: Filters, kind: str) -> set[int]:
    """The years in which some report of a kind in the chosen branches was stored without a personnel category
    (a file without the column): per personnel category such a year's count is not known. Reads only which
    cells are stored, never a count."""
    rel = release(conn)
    branches, _ = _chosen(filters)
    lines = [(y, li) for y, li in rel.lines() if _split(li)[0] == kind]
    return {y for y, li in lines if rel.figure(y, li, branches, [privacy.MISSING]) is not None}


@output
def reports(conn: Connection, filters: Filters) -> tuple[ReportCount, ...]:
    """Every shown formal report count (`python -m di_metrics reports`), as the survey page shows them."""
    table = formal_reports(conn, filters)
    return tuple(
        ReportCount(
            **{c: (None if pd.isna(r[c]) else r[c]) for c in ("category", "kind", "level", *DIMENSIONS)},
            year=int(r["year"]),
            count=None if r["suppressed"] else int(r["count"]),
            suppressed=bool(r["suppressed"]),
        )
        for _, r in table.iterrows()
    )
