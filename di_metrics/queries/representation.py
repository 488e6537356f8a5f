"""Representation beside perception: per branch or unit, the women's share next to how women and men there
score on a survey measure (the Survey page's scatter and paired bars).

It joins two output paths that have passed the rules of di_metrics.queries.privacy already, and nothing else:
the safe survey results (women's and men's scores, hidden groups left out) and the safe workforce breakdown
(a share withheld there stays out). A group appears only where both sides may be shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy.engine import Connection

from di_metrics.queries.filters import Filters
from di_metrics.queries.survey_results import results_table
from di_metrics.queries.workforce import compare_breakdown, snapshot_dates
from di_metrics.vocab import GENDER, GROUP_SEPARATOR, two_way, wave_date

__all__ = ["NO_DATES", "NO_MATCH", "NO_SCORES", "Representation", "representation"]

# Why there is nothing to set side by side.
NO_SCORES, NO_DATES, NO_MATCH = "no_scores", "no_dates", "no_match"
COLUMNS = ["group", "women_share", "score_F", "score_M"]


@dataclass(frozen=True)
class Representation:
    """The latest wave's groups with both sides shown, or the reason (`missing`) there are none."""

    wave: int | None
    frame: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=COLUMNS))
    missing: str | None = None


def representation(conn: Connection, filters: Filters, measure: str, dim: str, source: str | None) -> Representation:
    """Per value of `dim` (branch or unit) in the latest wave: the women's share on the last snapshot up to that
    wave's date, and women's and men's share favourable on `measure`."""
    scores = results_table(conn, filters, measure, two_way(dim, GENDER), None, source)
    if scores.empty:
        return Representation(None, missing=NO_SCORES)
    latest = int(scores["wave"].max())
    scores = scores[(scores["wave"] == latest) & ~scores["suppressed"]]
    parts = scores["group"].str.split(GROUP_SEPARATOR, regex=False)
    scores = scores.assign(**{dim: parts.str[0], GENDER: parts.str[1]}).pivot_table(
        index=dim, columns=GENDER, values="pct_favourable"
    )
    dates = [d for d in snapshot_dates(conn) if d <= wave_date(latest)]
    if not dates:
        return Representation(latest, missing=NO_DATES)
    workforce = compare_breakdown(conn, filters, dim, dates[-1], dates[-1]).set_index("value")
    frame = pd.DataFrame(
        {
            "group": scores.index,
            "women_share": workforce["women_share"].reindex(scores.index),
            "score_F": scores.get("F"),
            "score_M": scores.get("M"),
        }
    ).dropna()
    if frame.empty:
        return Representation(latest, missing=NO_MATCH)
    return Representation(latest, frame.reset_index(drop=True))
