"""Formal reports (meldingen) per year, kind (social safety or integrity) and category, made safe to show.

A count under the workforce minimum says something about very few people, so it is withheld; where one
withheld count is alone in a year, the next smallest goes with it, so no year total gives it away.
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
from di_metrics.queries.survey_counts import ALL
from di_metrics.storage.store import formal_report
from di_metrics.vocab import DIMENSIONS

__all__ = [
    "KINDS",
    "REPORT_CATEGORY",
    "formal_reports",
    "hidden_reports",
    "report_cells",
    "report_kind",
    "reports",
    "reports_by_kind",
]

KINDS = ("social_safety", "integrity")


def report_kind(t: sa.Table) -> sa.ColumnElement:
    """The stored kind, or for rows stored before kinds existed, the one their category names."""
    integrity = sa.func.lower(t.c.category).like("%integr%")
    return sa.case(
        (t.c.kind.is_not(None), t.c.kind), (integrity, sa.literal("integrity")), else_=sa.literal("social_safety")
    )


def report_cells(conn: Connection) -> pd.DataFrame:
    """Every stored report count per year, kind, category and branch (raw: for the rules only); a blank branch
    is a sibling of its own."""
    t = formal_report
    kind = report_kind(t)
    line = (t.c.year, kind, t.c.category, t.c.branch)
    # in a fixed order (the rules take equally small cells by their key, not by this order: collations differ)
    query = sa.select(*line, sa.func.sum(t.c.count)).group_by(*line).order_by(*line)
    columns = ["year", "kind", "category", "branch", "count"]
    cells = pd.DataFrame([tuple(x) for x in conn.execute(query).all()], columns=columns)
    cells["branch"] = cells["branch"].astype(object).where(cells["branch"].notna(), privacy.MISSING)
    cells["count"] = cells["count"].astype("int64")
    cells["key"] = cells["kind"].astype(str) + "/" + cells["category"].astype(str) + "/" + cells["branch"].astype(str)
    return cells


def hidden_reports(cells: pd.DataFrame, k: int | None = None) -> pd.Series:
    """The one decision for the whole formal-report table: counts under k, with complements along every line
    whose total some output shows: each year, each year's branch, and each year's kind and category (the
    report's category totals over all branches)."""
    year = cells["year"].astype(str)
    lines = [year, year + "/" + cells["branch"], year + "/" + cells["kind"] + "/" + cells["category"]]
    first = privacy.primary(cells["count"], k or min_workforce_cell())
    keys = [cells["year"], cells["kind"], cells["category"], cells["branch"]]  # equal counts: the first by these
    return privacy.hide_lines(first, cells["count"], lines, keys)


REPORT_CATEGORY = "category"  # a formal report's own category column, not the personnel category
REPORT_COLUMNS = ["year", REPORT_CATEGORY, "kind", "level", "count", "suppressed", *DIMENSIONS]


@output
def formal_reports(conn: Connection, filters: Filters) -> pd.DataFrame:
    """Formal report counts (meldingen), safe to show: level "cell" per year, kind, category and branch, and
    level "total" per year for the selected branches (kind and category "all").

    Counts under the minimum workforce cell are hidden everywhere, with complements along each year, each
    year's branch and each year's category (meldingen.hidden_reports); a selection's total that holds some
    but not all hidden cells of its year is hidden too.
    """
    k = min_workforce_cell()
    cells = report_cells(conn)
    if cells.empty:
        return pd.DataFrame(columns=REPORT_COLUMNS)
    cells["suppressed"] = hidden_reports(cells, k)
    chosen = set(dict(filters.values).get("branch", ())) or set(cells["branch"]) - {privacy.MISSING}
    inside = cells[cells["branch"].isin(chosen)]
    totals = inside.groupby("year", as_index=False)["count"].sum()
    hidden_cells = cells[cells["suppressed"]].groupby("year")["key"].apply(set)
    split = [
        not privacy.consistent(set(inside.loc[inside["year"] == y, "key"]), hidden_cells.get(y, set()))
        for y in totals["year"]
    ]
    totals["suppressed"] = privacy.primary(totals["count"], k) | np.array(split, dtype=bool)
    totals = totals.assign(category=ALL, kind=ALL, level="total", branch=None)
    shown = pd.concat([inside.assign(level="cell"), totals], ignore_index=True)
    shown["count"] = shown["count"].astype("Float64").mask(shown["suppressed"].astype(bool), np.nan)
    for dim in DIMENSIONS:
        if dim not in shown.columns:
            shown[dim] = None
    return shown[REPORT_COLUMNS].sort_values(["year", "level", "kind", "category", "branch"]).reset_index(drop=True)


@output
def reports_by_kind(conn: Connection, filters: Filters = Filters(), k: int | None = None) -> pd.DataFrame:
    """Per year, kind and category: the count, or none when withheld (`suppressed`). Branch filters apply;
    reports are not kept below the branch level.

    A line (year, kind, category) summed over the chosen branches is withheld when the choice holds some but
    not all of the line's branch cells that the formal-report table hides (the consistency rule): otherwise
    all branches minus the others would give a hidden branch's count away.
    """
    k = k or min_workforce_cell()
    cells = report_cells(conn)
    if cells.empty:
        return pd.DataFrame(columns=["year", "kind", "category", "count", "suppressed"])
    cells["hidden"] = hidden_reports(cells, k)
    branches = filters.as_dict().get("branch")
    inside = cells[cells["branch"].isin(branches)] if branches else cells
    line = ["year", "kind", "category"]
    hidden = cells[cells["hidden"]].groupby(line)["branch"].apply(set)
    frame = inside.groupby(line, as_index=False).agg(count=("count", "sum"), branches=("branch", set))
    split = [
        not privacy.consistent(b, hidden.get(key, set()))
        for key, b in zip(frame[line].itertuples(index=False, name=None), frame["branches"], strict=True)
    ]
    frame = frame.drop(columns="branches").astype({"count": float}).sort_values(line).reset_index(drop=True)
    counts = frame["count"].mask(pd.Series(split, index=frame.index))
    lines = frame.assign(wave=frame["year"], group=frame["kind"] + "/" + frame["category"], n=counts)
    frame["suppressed"] = privacy.hidden_groups(lines, k, siblings=True).to_numpy()
    frame["count"] = frame["count"].mask(frame["suppressed"])
    return frame


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
