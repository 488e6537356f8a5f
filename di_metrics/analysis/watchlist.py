"""The watchlist: the branches or units furthest below their glide path, in persons, with their recent trend.

Each row is judged against its own women's-share target (one whose scope is exactly that branch or unit),
else against the target that leads for the selection, on the selection's own glide path where the selection is
narrower than that target's population (models.targets.glide_for). Figures come from the safe breakdown: a row whose
latest figures are withheld is left out altogether, and withheld earlier points are gaps in its trend.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from di_metrics.models.metrics import metric_of
from di_metrics.models.standing import Point
from di_metrics.models.targets import Target
from di_metrics.queries.filters import Filters
from di_metrics.queries.privacy import output
from di_metrics.queries.status import glide_target, leading_target, year_change
from di_metrics.queries.workforce import breakdown
from di_metrics.storage.targets import load_targets
from di_metrics.vocab import BRANCH, CLI_NAME, ORG_UNIT, URL_NAME

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

__all__ = ["SPLITS", "TREND_POINTS", "WatchRow", "Watchlist", "own_target", "row", "watchlist"]

SPLITS = {CLI_NAME[BRANCH]: BRANCH, CLI_NAME[ORG_UNIT]: ORG_UNIT, URL_NAME[ORG_UNIT]: ORG_UNIT}  # --by branch, org_unit
TREND_POINTS = 13  # a year of monthly snapshots and the one before


def own_target(targets: list[Target], dimension: str, value: str) -> Target | None:
    """The women's-share target set for exactly this branch or unit, if any."""
    return next(
        (t for t in targets if metric_of(t.metric).counts_people and t.scope == {dimension: (value,)}),
        None,
    )


@dataclass(frozen=True)
class WatchRow:
    """One branch or unit against its glide path on the latest date; `trend` has None where a share is withheld."""

    value: str
    as_of: dt.date
    share: float
    glide_path: float
    target: str  # the name of the target it is judged against
    own_target: bool  # its own target (else the one that leads for the selection)
    headcount: int
    persons_short: float  # negative: ahead of the path
    change_12m: float | None
    trend: tuple[float | None, ...]


@dataclass(frozen=True)
class Watchlist:
    """The rows by persons short, most first; `as_of` is None when the selection has no figures."""

    by: str  # the dimension: branch or org_unit
    as_of: dt.date | None
    rows: tuple[WatchRow, ...]


def row(value: str, history: pd.DataFrame, target: Target, own: bool = False) -> WatchRow | None:
    """One branch or unit: its latest share against the glide path, in persons; None when it is withheld."""
    last = history.iloc[-1]
    if bool(last["suppressed"]) or bool(last["headcount_hidden"]):
        return None
    as_of = last["date"]
    glide = target.glide_path(as_of)
    shares = [None if pd.isna(v) else float(v) for v in history["women_share"]]
    points = [Point(d, None, None, v) for d, v in zip(history["date"], shares, strict=True)]
    return WatchRow(
        value=value,
        as_of=as_of,
        share=float(last["women_share"]),
        glide_path=glide,
        target=target.name,
        own_target=own,
        headcount=int(last["headcount"]),
        persons_short=glide * float(last["headcount"]) - float(last["women"]),
        change_12m=year_change(points, "women_share"),
        trend=tuple(shares[-TREND_POINTS:]),
    )


@output
def watchlist(conn: Connection, filters: Filters = Filters(), by: str = CLI_NAME[BRANCH]) -> Watchlist:
    """The branches or units of the selection (`python -m di_metrics watchlist`), most persons short first."""
    if by not in SPLITS:
        raise ValueError(f"--by must be one of branch, org_unit, not '{by}'")
    dimension = SPLITS[by]
    targets = load_targets(conn)
    lead = leading_target(targets, filters)
    if lead is not None:  # on a narrower selection, the selection's own glide path, as its Overview draws it
        lead = glide_target(conn, lead, filters)
    table = breakdown(conn, filters, dimension)
    if table.empty:
        return Watchlist(dimension, None, ())
    latest = table["date"].max()
    rows: list[WatchRow] = []
    for value, history in table.groupby("value", sort=True):
        if history["date"].max() != latest:  # a branch or unit that no longer exists
            continue
        own = own_target(targets, dimension, str(value))
        target = own or lead
        if target is None:
            continue
        entry = row(str(value), history.sort_values("date"), target, own is not None)
        if entry is not None:
            rows.append(entry)
    rows.sort(key=lambda r: r.persons_short, reverse=True)
    return Watchlist(dimension, latest, tuple(rows))
