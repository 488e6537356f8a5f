"""Formal reports (meldingen) per year, kind (social safety or integrity) and category, made safe to show.

A count under the workforce minimum says something about very few people, so it is withheld; where one
withheld count is alone in a year, the next smallest goes with it, so no year total gives it away.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy.engine import Connection

from di_metrics.config import min_workforce_cell
from di_metrics.models.survey import ReportCount
from di_metrics.queries import privacy
from di_metrics.queries.filters import Filters
from di_metrics.queries.survey import formal_reports, hidden_groups, report_cells
from di_metrics.vocab import DIMENSIONS

__all__ = ["KINDS", "reports", "reports_by_kind"]

KINDS = ("social_safety", "integrity")


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
    year = cells["year"].astype(str)
    cells["hidden"] = privacy.hide_lines(
        privacy.primary(cells["count"], k), cells["count"], [year, year + "/" + cells["branch"]]
    )
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
    frame["suppressed"] = hidden_groups(lines, k, siblings=True).to_numpy()
    frame["count"] = frame["count"].mask(frame["suppressed"])
    return frame


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
