"""Calibrating the projection from the database: the last complete years of the selected population."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from di_metrics.models.claims_notes import MIXED, OWN, OWN_SHOWN, PARENT
from di_metrics.models.projection import Scenario, Spread
from di_metrics.models.scenario import start_of
from di_metrics.queries.filters import Filters
from di_metrics.queries.privacy import output
from di_metrics.queries.workforce import flows, share_series, snapshot_dates
from di_metrics.vocab import DEFAULT_DEADLINE, DEFAULT_TARGET, FINE_DIMENSIONS, HORIZON

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

__all__ = [
    "CALIBRATION_YEARS",
    "MIXED",
    "NEEDED",
    "OWN",
    "OWN_SHOWN",
    "PARENT",
    "RATE_COLUMNS",
    "Calibration",
    "CannotProject",
    "NoMeasuredFlows",
    "ScopeTooSmall",
    "TooLittleHistory",
    "calibrate",
    "needs_parent",
    "parent_of",
    "rates_to_use",
    "require_flows",
    "scenario_from_rates",
    "shown_counts",
    "start_counts",
    "yearly_rates",
]

CALIBRATION_YEARS = 3


class CannotProject(ValueError):
    """Why a selection has no projection; `reason` is the message key the dashboard shows instead."""

    reason = "whatif.too_small"


class ScopeTooSmall(CannotProject):
    """The population's counts are hidden (below the minimum size, or a complement): projecting them would show
    them."""


class TooLittleHistory(CannotProject):
    """No complete year of person-level snapshots yet, so there are no rates to project with."""

    reason = "whatif.too_short"


class NoMeasuredFlows(CannotProject):
    """The data holds no measured hires and exits (a headcount file without them): unknown, never zero."""

    reason = "whatif.no_flows"


@dataclass(frozen=True)
class Calibration:
    """The baseline scenario and the yearly rates it was averaged from."""

    scenario: Scenario
    rates: pd.DataFrame  # one row per calibration year
    start_date: dt.date
    rates_from: str = OWN  # OWN: its own flows; OWN_SHOWN: its own shown years only; PARENT: its parent's rates
    borrowed: tuple[str, ...] = ()  # with MIXED (or PARENT), the rates taken from the parent
    own_rates: pd.DataFrame | None = None  # the selection's own rates in the calibration years (withheld: NaN)
    withheld: tuple[tuple[int, str], ...] = ()  # (year, rate) of NEEDED the gate withholds from its own flows
    own_shown: bool = False  # asked to keep its own shown rates (an exempt unit): see `rates_to_use`


RATE_COLUMNS = ["attrition_women", "attrition_men", "attrition_other", "hire_share", "hire_share_other", "growth"]
NEEDED = ["attrition_women", "attrition_men", "hire_share", "growth"]


@output
def yearly_rates(conn: Connection, filters: Filters, last_year: int | None = None) -> pd.DataFrame:
    """Attrition per gender, the hiring shares and growth, per complete year (definitions: docs/definitions.md).

    Read only from what `flows` and the share series show, so a rate never reveals a withheld flow or
    stock: below the branch level a hidden figure makes its rate missing (NaN).
    """
    doc = flows(conn, filters)
    series = share_series(conn, filters).set_index("date")["headcount"]
    table = pd.DataFrame(doc.rows, columns=["year", "gender", "hires", "attrition_rate", "suppressed"])
    hiring = {r.year: r.hiring_share_women for r in doc.hiring_share}
    dates = snapshot_dates(conn)
    rows = []
    for year, group in table.groupby("year"):
        if last_year is not None and year > last_year:
            continue
        by = group.set_index("gender")
        shown = bool(by["hires"].notna().all())  # every gender's hires shown (a protected row may show them)
        total = by["hires"].sum() if shown else None
        start = max(d for d in dates if d < dt.date(year, 1, 1))
        end = max(d for d in dates if d.year == year)
        n_start, n_end = series.get(start), series.get(end)
        rows.append(
            {
                "year": int(year),
                "attrition_women": _rate(by, "F"),
                "attrition_men": _rate(by, "M"),
                "attrition_other": _rate(by, "X"),
                "hire_share": hiring.get(year),
                "hire_share_other": (by["hires"].get("X", 0) or 0) / total if total else (0.0 if shown else None),
                "growth": n_end / n_start - 1 if _known(n_start) and _known(n_end) and n_start else None,
            }
        )
    frame = pd.DataFrame(rows, columns=["year", *RATE_COLUMNS])
    return frame.astype({c: float for c in RATE_COLUMNS})


def _rate(by: pd.DataFrame, gender: str) -> float | None:
    return None if gender not in by.index else by.loc[gender, "attrition_rate"]


def _known(value: object) -> bool:
    return value is not None and bool(pd.notna(value))


def rates_to_use(
    conn: Connection, filters: Filters, last_year: int | None, own_shown: bool = False
) -> tuple[pd.DataFrame, str]:
    """The selection's own yearly rates, or, when one it needs in the last complete years is withheld, its parent's
    (the same filters above the branch level), applied to the selection's shown stock; and which it is.

    With `own_shown` (a part that must keep its own rates, as the allocation's exempt units), a rate withheld in
    some of the last complete years is the mean of those that show it; only a rate withheld in all of them is
    the parent's (`Calibration.borrowed` says which)."""
    history = yearly_rates(conn, filters, last_year)
    if not needs_parent(history, filters):
        return history, OWN
    parent = yearly_rates(conn, parent_of(filters), last_year)
    if not own_shown:
        return parent, PARENT
    borrowed = _borrowed_rates(history)
    if len(borrowed) == len(NEEDED):
        return parent, PARENT
    merged = history.copy()
    by_year = parent.set_index("year")
    for column in borrowed + (["hire_share_other"] if "hire_share" in borrowed else []):
        merged[column] = merged["year"].map(by_year[column]).astype(float)
    return merged, MIXED if borrowed else OWN_SHOWN


def _borrowed_rates(history: pd.DataFrame) -> list[str]:
    """The rates a selection withholds in every one of its last complete years: those it cannot keep its own."""
    return [c for c in NEEDED if history.tail(CALIBRATION_YEARS)[c].isna().all()]


def needs_parent(history: pd.DataFrame, filters: Filters) -> bool:
    """Whether a fine selection's own rates in its last complete years are withheld, so its parent's serve."""
    return filters.is_fine and bool(history.tail(CALIBRATION_YEARS)[NEEDED].isna().any().any())


def parent_of(filters: Filters) -> Filters:
    """The same selection above the branch level: the population whose rates a fine selection borrows."""
    return Filters(tuple(p for p in filters.values if p[0] not in FINE_DIMENSIONS), filters.exempt_units)


def start_counts(conn: Connection, filters: Filters, start_date: dt.date) -> tuple[float, float, float]:
    """Women, men and X at the start, as shown: a hidden population cannot be projected, and X left out
    of the shown figures is left out of the projection too."""
    return shown_counts(share_series(conn, filters).set_index("date"), start_date)


def shown_counts(series: pd.DataFrame, start_date: dt.date) -> tuple[float, float, float]:
    """Women, men and X on a date of the safe share series (indexed by date); refused where it hides them."""
    if start_date not in series.index:
        raise ScopeTooSmall("the selected population has no shown figures at the start")
    row = series.loc[start_date]
    if bool(row["suppressed"]) or bool(row["headcount_hidden"]):
        raise ScopeTooSmall("the selected population is below the minimum group size")
    other = 0.0 if pd.isna(row["other"]) else float(row["other"])
    return float(row["women"]), float(row["men"]), other


@output
def calibrate(
    conn: Connection,
    filters: Filters = Filters(),
    last_year: int | None = None,
    target: float = DEFAULT_TARGET,
    deadline: int = DEFAULT_DEADLINE,
    until: int = HORIZON,
    own_shown: bool = False,
) -> Calibration:
    """The baseline scenario: the state at the start and the mean rates of the last complete years.

    With `last_year`, only years up to it are used and the start is that year's last snapshot (a backtest);
    `own_shown`: see `rates_to_use`.
    """
    dates = snapshot_dates(conn)
    if not dates:
        raise ScopeTooSmall("there are no snapshots")
    start_date = max(d for d in dates if d.year == last_year) if last_year else dates[-1]
    women, men, other = start_counts(conn, filters, start_date)
    history, source = rates_to_use(conn, filters, last_year, own_shown)
    if history.empty:
        raise TooLittleHistory("calibration needs at least one complete year of person-level snapshots")
    _measured(history)
    start_year, first_step = start_of(start_date)  # the path starts at the data date (docs/model.md)
    start = Scenario(
        start_year=start_year,
        first_step=first_step,
        women=women,
        men=men,
        other=other,
        until=until,
        target=target,
        deadline=deadline,
    )
    scenario = scenario_from_rates(history, start)
    own = (history if source == OWN else yearly_rates(conn, filters, last_year)).tail(CALIBRATION_YEARS)
    borrowed = tuple(NEEDED) if source == PARENT else tuple(_borrowed_rates(own))
    withheld = _withheld(own) if filters.is_fine else ()
    rates = history.tail(CALIBRATION_YEARS)
    kept = borrowed if source != OWN else ()
    return Calibration(scenario, rates, start_date, source, kept, own, withheld, own_shown)


def _withheld(own: pd.DataFrame) -> tuple[tuple[int, str], ...]:
    """The (year, rate) pairs of the needed rates a fine selection's own flows do not show: withheld by the gate
    (at and above the branch level nothing is withheld; a missing rate there was not measured)."""
    return tuple((int(r["year"]), c) for _, r in own.iterrows() for c in NEEDED if pd.isna(r[c]))


def _measured(history: pd.DataFrame) -> None:
    """Refuses rates whose hires and exits were not measured in any of the last complete years."""
    if history.tail(CALIBRATION_YEARS)[["attrition_women", "attrition_men"]].isna().all().all():
        raise NoMeasuredFlows("the hires and exits of the last complete years were not measured")


def require_flows(conn: Connection, filters: Filters) -> None:
    """Refuses (NoMeasuredFlows) a selection whose data holds no measured hires and exits: a model that
    needs them (backtest, allocation) says so instead of running on zeros."""
    history, _ = rates_to_use(conn, filters, None)
    if not history.empty:
        _measured(history)


def scenario_from_rates(history: pd.DataFrame, start: Scenario) -> Scenario:
    """The baseline from yearly rates: the mean of the last CALIBRATION_YEARS years; from every year in
    `history`, how far the rates scattered and how fast they drifted, so that a change of regime counts as
    uncertainty. `start` gives the start year, counts, target, deadline and horizon."""
    rates = history.tail(CALIBRATION_YEARS)
    mean = rates.mean(numeric_only=True)
    attrition_men = _or(mean["attrition_men"], 0.0)
    moved = {c: _scatter_and_drift(history, c) for c in ("hire_share", "attrition_women", "attrition_men", "growth")}
    scenario = dataclasses.replace(
        start,
        hire_share=_or(mean["hire_share"], 0.0),
        hire_share_other=_or(mean["hire_share_other"], 0.0),
        attrition_women=_or(mean["attrition_women"], attrition_men),
        attrition_men=attrition_men,
        attrition_other=_or(mean["attrition_other"], attrition_men),
        growth=_or(mean["growth"], 0.0),
    )
    measured = tuple((c, float(getattr(scenario, c))) for c in moved)
    return dataclasses.replace(
        scenario,
        spread=Spread(
            *(moved[c][0] for c in moved),
            len(rates),
            *(moved[c][1] for c in moved),
            measured=measured,  # a lever left here keeps the history's uncertainty; one moved is a plan
        ),
    )


def _scatter_and_drift(history: pd.DataFrame, column: str) -> tuple[float, float]:
    """A rate's year-to-year standard deviation around its least-squares line through every year, and the size
    of the line's slope less what that scatter alone gives a slope by chance (a steady rate has no drift).
    With fewer than three years there is no line: the plain standard deviation and no drift."""
    known = history[["year", column]].dropna()
    y = known[column].astype(float)
    if len(known) < CALIBRATION_YEARS:
        return (float(y.std(ddof=1)) if len(y) > 1 else 0.0), 0.0
    t = known["year"].astype(float) - known["year"].astype(float).mean()
    slope = float((t * y).sum() / (t**2).sum())
    scatter = float(((y - y.mean() - slope * t) ** 2).sum() / (len(known) - 2))
    by_chance = scatter / float((t**2).sum())
    return float(np.sqrt(scatter)), float(np.sqrt(max(slope**2 - by_chance, 0.0)))


def _or(value: object, default: float) -> float:
    return float(value) if value is not None and pd.notna(value) else default
