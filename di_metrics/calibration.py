"""Calibrating the projection from the database: the last complete years of the selected population."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy.engine import Connection

from di_metrics.filters import Filters
from di_metrics.projection import Scenario, Spread
from di_metrics.workforce import share_series, share_series_raw, snapshot_dates, yearly_flows

CALIBRATION_YEARS = 3


class CannotProject(ValueError):
    """Why a selection has no projection; `reason` is the message key the dashboard shows instead."""

    reason = "whatif.too_small"


class ScopeTooSmall(CannotProject):
    """The population is below the minimum group size: projecting it would show its hidden counts."""


class TooLittleHistory(CannotProject):
    """No complete year of person-level snapshots yet, so there are no rates to project with."""

    reason = "whatif.too_short"


@dataclass(frozen=True)
class Calibration:
    """The baseline scenario and the yearly rates it was averaged from."""

    scenario: Scenario
    rates: pd.DataFrame  # one row per calibration year
    start_date: dt.date


def yearly_rates(conn: Connection, filters: Filters, last_year: int | None = None) -> pd.DataFrame:
    """Attrition per gender, the hiring shares and growth, per complete year (DESIGN 3)."""
    flows = yearly_flows(conn, filters)
    if last_year is not None:
        flows = flows[flows["year"] <= last_year]
    series = share_series_raw(conn, filters).set_index("date")
    rows = []
    for year, group in flows.groupby("year"):
        by = group.set_index("gender")
        hires = by["hires"].sum()

        def rate(gender: str, by: pd.DataFrame = by) -> float | None:
            if gender not in by.index or by.loc[gender, "headcount_start"] == 0:
                return None
            return by.loc[gender, "exits"] / by.loc[gender, "headcount_start"]

        start, end = group["start_date"].iloc[0], group["end_date"].iloc[0]
        n_start, n_end = series.loc[start, "headcount"], series.loc[end, "headcount"]
        rows.append(
            {
                "year": int(year),
                "attrition_women": rate("F"),
                "attrition_men": rate("M"),
                "attrition_other": rate("X"),
                "hire_share": by["hires"].get("F", 0) / hires if hires else None,
                "hire_share_other": by["hires"].get("X", 0) / hires if hires else 0.0,
                "growth": n_end / n_start - 1 if n_start else 0.0,
            }
        )
    columns = [
        "year",
        "attrition_women",
        "attrition_men",
        "attrition_other",
        "hire_share",
        "hire_share_other",
        "growth",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype({c: float for c in columns[1:]})


def calibrate(
    conn: Connection,
    filters: Filters = Filters(),
    last_year: int | None = None,
    target: float = 0.30,
    deadline: int = 2030,
    until: int = 2040,
) -> Calibration:
    """The baseline scenario: the state at the start and the mean rates of the last complete years.

    With `last_year`, only years up to it are used and the start is that year's last snapshot (a backtest).
    """
    if filters.is_fine:
        latest = share_series(conn, filters)
        if latest.empty or bool(latest["suppressed"].iloc[-1]) or bool(latest["headcount_hidden"].iloc[-1]):
            raise ScopeTooSmall("the selected population is below the minimum group size")
    history = yearly_rates(conn, filters, last_year)
    if history.empty:
        raise TooLittleHistory("calibration needs at least one complete year of person-level snapshots")
    dates = snapshot_dates(conn)
    start_date = max(d for d in dates if d.year == last_year) if last_year else dates[-1]
    start = share_series_raw(conn, filters).set_index("date").loc[start_date]
    scenario = scenario_from_rates(
        history,
        Scenario(
            start_year=start_date.year,
            women=float(start["women"]),
            men=float(start["men"]),
            other=float(start["other"]),
            until=until,
            target=target,
            deadline=deadline,
        ),
    )
    rates = history.tail(CALIBRATION_YEARS)
    return Calibration(scenario, rates, start_date)


def scenario_from_rates(history: pd.DataFrame, start: Scenario) -> Scenario:
    """The baseline from yearly rates: the mean of the last CALIBRATION_YEARS years; from every year in
    `history`, how far the rates scattered and how fast they drifted, so that a change of regime counts as
    uncertainty. `start` gives the start year, counts, target, deadline and horizon."""
    rates = history.tail(CALIBRATION_YEARS)
    mean = rates.mean(numeric_only=True)
    attrition_men = _or(mean["attrition_men"], 0.0)
    moved = {c: _scatter_and_drift(history, c) for c in ("hire_share", "attrition_women", "attrition_men", "growth")}
    return dataclasses.replace(
        start,
        hire_share=_or(mean["hire_share"], 0.0),
        hire_share_other=_or(mean["hire_share_other"], 0.0),
        attrition_women=_or(mean["attrition_women"], attrition_men),
        attrition_men=attrition_men,
        attrition_other=_or(mean["attrition_other"], attrition_men),
        growth=_or(mean["growth"], 0.0),
        spread=Spread(
            *(moved[c][0] for c in moved),
            len(rates),
            *(moved[c][1] for c in moved),
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
