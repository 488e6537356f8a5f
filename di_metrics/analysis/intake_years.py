"""The intake years hidden below the branch level: one decision, read by intake (which hides them) and by
retention (whose curves stop before their cohorts' censoring would give them back).

An entry year (by part: a year and a part) is hidden where its women's or men's flows are withheld (the flow
pattern, workforce.flows) or where fewer than k women or men were hired in it. Decided once per data version,
like the flow pattern it reads, so the Career page's intake and retention read the flows once per selection.
A module of its own rather than part of career.py, which imports retention: retention reads it too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from di_metrics.config import min_workforce_cell
from di_metrics.queries import privacy
from di_metrics.queries.filters import Filters
from di_metrics.queries.workforce import MISSING, flows
from di_metrics.vocab import FINE_DIMENSIONS

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

__all__ = ["Cohort", "hidden_intake_years", "small_cohorts"]

Cohort = tuple[int] | tuple[int, str]  # (entry year,) or, in a breakdown, (entry year, part)


def hidden_intake_years(
    conn: Connection, filters: Filters, by: str | None, durations: pd.DataFrame
) -> frozenset[Cohort] | None:
    """The entry years (by part: years and parts) intake hides below the branch level; None above it, where the
    flows show every year's hires exactly. `durations`: spell_durations of this selection and `by` (the key)."""
    if not filters.is_fine and by not in FINE_DIMENSIONS:
        return None
    key = ("intake years", filters, by)
    return privacy.decided(conn, key, lambda: _withheld(conn, filters, by, durations) | small_cohorts(durations, by))


def small_cohorts(durations: pd.DataFrame, by: str | None, k: int | None = None) -> frozenset[Cohort]:
    """The cohorts with fewer than k women or men hired (a blank part is a cohort of its own)."""
    k = k or min_workforce_cell()
    if durations.empty:
        return frozenset()
    cohorts = pd.DataFrame({"year": [int(y) for y in durations["entry_year"]]}, index=durations.index)
    if by:
        cohorts["part"] = [str(p) for p in durations[by]]
    keys = list(cohorts.columns)
    cohorts = cohorts.assign(gender=durations["gender"], persons=durations["persons"])
    size = cohorts.pivot_table(index=keys, columns="gender", values="persons", aggfunc="sum", fill_value=0)
    fewest = size.reindex(columns=["F", "M"], fill_value=0).min(axis=1)
    small = fewest[privacy.primary(fewest, k)]
    return frozenset((int(key[0]), str(key[1])) if by else (int(key),) for key in small.index)


def _withheld(conn: Connection, filters: Filters, by: str | None, durations: pd.DataFrame) -> frozenset[Cohort]:
    """The cohorts whose women's or men's flows row is protected (the one decision of intake and flows,
    flow_pattern): the selection's own flows, or in a breakdown each part's. The row, not its hires: a cell hidden
    only as an intake complement may show hires the shown figures give, and its cohort shown would give a small
    cohort back as the branch's exact intake minus the shown ones."""
    if by is None:
        return frozenset((r.year,) for r in flows(conn, filters).rows if r.suppressed and r.gender in ("F", "M"))
    out: set[Cohort] = set()
    for part in sorted({str(p) for p in durations[by].dropna()} - {MISSING}):
        within = filters.narrowed_to({by: [part]})
        if within is not None:
            rows = flows(conn, within).rows
            out |= {(r.year, part) for r in rows if r.suppressed and r.gender in ("F", "M")}
    return frozenset(out)
