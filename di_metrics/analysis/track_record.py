"""The model's track record: projections from every past start year against what happened, beside two naive
baselines (keep today's share; extend the line through the calibration years), and how often its bands held.

Actual shares come only from the safe share series the Overview shows: a year it hides is no evidence, and a
start year it hides is no start.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from di_metrics.analysis.calibration import (
    ScopeTooSmall,
    needs_parent,
    parent_of,
    scenario_from_rates,
    shown_counts,
    yearly_rates,
)
from di_metrics.models.projection import Scenario, project, simulate
from di_metrics.queries.filters import Filters
from di_metrics.queries.privacy import output
from di_metrics.queries.workforce import complete_years, share_series, snapshot_dates

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

__all__ = [
    "HORIZON_COLUMNS",
    "MIN_CALIBRATION_YEARS",
    "PAIR_COLUMNS",
    "TRACK_PATHS",
    "TREND_YEARS",
    "TrackRecord",
    "evaluate",
    "summarise",
    "track_record",
    "year_end_shares",
]

MIN_CALIBRATION_YEARS = 3
TREND_YEARS = 3  # the trend baseline is the line through the shares at the ends of the last three years
TRACK_PATHS = 2_000
PAIR_COLUMNS = ["origin", "year", "actual", "model", "p05", "p25", "p50", "p75", "p95", "constant", "trend"]
HORIZON_COLUMNS = [
    "h",
    "pairs",
    "mae_model",
    "mae_constant",
    "mae_trend",
    "bias_model",
    "coverage50",
    "coverage90",
]


@dataclass(frozen=True)
class TrackRecord:
    """Every (start year, later year) pair, and per horizon the errors and how often the bands held."""

    origins: list[int]
    pairs: pd.DataFrame
    horizons: pd.DataFrame

    @property
    def empty(self) -> bool:
        return self.pairs.empty

    def document(self) -> dict[str, Any]:
        """The `backtest` JSON: origins, horizons and pairs; shares and errors as fractions (0.041 = 4.1 pp)."""
        return {
            "origins": list(self.origins),
            "horizons": _records(self.horizons),
            "pairs": _records(self.pairs),
        }

    def horizon(self, h: int) -> dict[str, Any] | None:
        """The summary row of one horizon, or None when no pair is that far ahead."""
        rows = self.horizons[self.horizons["h"] == h]
        return _records(rows)[0] if not rows.empty else None

    def nearest_horizon(self, h: int) -> int | None:
        """The horizon closest to h, not beyond the furthest one that has pairs."""
        if self.horizons.empty:
            return None
        return int(min(max(h, int(self.horizons["h"].min())), int(self.horizons["h"].max())))

    def band_held(self, h: int, level: int = 90) -> tuple[int, int]:
        """How many pairs h years ahead fell inside the central `level`% band, and how many there are."""
        low, high = {90: ("p05", "p95"), 50: ("p25", "p75")}[level]
        rows = self.pairs[self.pairs["year"] - self.pairs["origin"] == h]
        held = (rows[low] <= rows["actual"]) & (rows["actual"] <= rows[high])
        return int(held.sum()), len(rows)


def evaluate(
    scenarios: Mapping[int, Scenario],
    shares: Mapping[int, float | None],
    last_year: int,
    paths: int = TRACK_PATHS,
    seed: int = 2030,
) -> TrackRecord:
    """Project each start year's scenario to every later year up to `last_year`; compare with `shares`
    (the women's share at each year's end, None where it is hidden)."""
    rows = []
    origins = []
    for origin, scenario in sorted(scenarios.items()):
        if shares.get(origin) is None or origin >= last_year:
            continue
        years = [y for y in range(origin + 1, last_year + 1) if shares.get(y) is not None]
        if not years:
            continue
        origins.append(origin)
        horizon = dataclasses.replace(scenario, start_year=origin, until=last_year, deadline=last_year)
        path, sim = project(horizon), simulate(horizon, paths, seed)
        slope, intercept = _trend(shares, origin)
        for year in years:
            i = year - origin
            rows.append(
                {
                    "origin": origin,
                    "year": year,
                    "actual": float(shares[year]),  # type: ignore[arg-type]
                    "model": path.women_share[i],
                    **{f"p{p:02d}": sim.percentiles[p][i] for p in (5, 25, 50, 75, 95)},
                    "constant": float(shares[origin]),  # type: ignore[arg-type]
                    "trend": intercept + slope * year,
                }
            )
    pairs = pd.DataFrame(rows, columns=PAIR_COLUMNS)
    return TrackRecord(origins, pairs, summarise(pairs))


def _trend(shares: Mapping[int, float | None], origin: int) -> tuple[float, float]:
    """Slope and intercept of the least-squares line through the known shares of the calibration years."""
    known = [(y, s) for y in range(origin - TREND_YEARS, origin + 1) if (s := shares.get(y)) is not None]
    if len(known) < 2:
        return 0.0, float(shares[origin])  # type: ignore[arg-type]
    slope, intercept = np.polyfit([y for y, _ in known], [s for _, s in known], 1)
    return float(slope), float(intercept)


def summarise(pairs: pd.DataFrame) -> pd.DataFrame:
    """Per horizon: pairs, mean absolute errors of the model and the baselines, the model's bias, coverage."""
    if pairs.empty:
        return pd.DataFrame(columns=HORIZON_COLUMNS)
    frame = pairs.assign(h=pairs["year"] - pairs["origin"])
    actual = frame["actual"]
    frame = frame.assign(
        err_model=frame["model"] - actual,
        abs_model=(frame["model"] - actual).abs(),
        abs_constant=(frame["constant"] - actual).abs(),
        abs_trend=(frame["trend"] - actual).abs(),
        in50=((frame["p25"] <= actual) & (actual <= frame["p75"])).astype(float),
        in90=((frame["p05"] <= actual) & (actual <= frame["p95"])).astype(float),
    )
    out = frame.groupby("h").agg(
        pairs=("origin", "size"),
        mae_model=("abs_model", "mean"),
        mae_constant=("abs_constant", "mean"),
        mae_trend=("abs_trend", "mean"),
        bias_model=("err_model", "mean"),
        coverage50=("in50", "mean"),
        coverage90=("in90", "mean"),
    )
    return out.reset_index()[HORIZON_COLUMNS]


def year_end_shares(series: pd.DataFrame, years: list[int]) -> dict[int, float | None]:
    """The safe share at each year's last snapshot; None where the safe series hides it or has none."""
    out: dict[int, float | None] = {}
    for year in years:
        rows = series[[d.year == year for d in series["date"]]]
        if rows.empty:
            out[year] = None
            continue
        last = rows.iloc[-1]
        hidden = bool(last["suppressed"]) or bool(last["headcount_hidden"]) or pd.isna(last["women_share"])
        out[year] = None if hidden else float(last["women_share"])
    return out


@output
def track_record(
    conn: Connection, filters: Filters = Filters(), paths: int = TRACK_PATHS, seed: int = 2030
) -> TrackRecord:
    """The rolling-origin evaluation of the calibrated model for a population, from the database.

    Each start year's scenario is what `calibrate(conn, filters, last_year=origin)` gives (a test holds them
    equal), built here from one reading of the rates and counts instead of one per start year.
    """
    dates = snapshot_dates(conn)
    years = complete_years(dates)
    series = share_series(conn, filters)
    shares = year_end_shares(series, years)
    known = [y for y in years if shares[y] is not None]
    origins = years[MIN_CALIBRATION_YEARS - 1 : -1]
    too_small = filters.is_fine and (series.empty or bool(series.iloc[-1][["suppressed", "headcount_hidden"]].any()))
    if not known or not origins or too_small:
        return evaluate({}, shares, 0)
    last = max(known)
    own, parent = yearly_rates(conn, filters), None
    safe = series.set_index("date")
    scenarios = {}
    for origin in origins:
        if shares[origin] is None or origin >= last:
            continue
        try:  # the counts the Overview shows at the start, as calibrate takes them
            women, men, other = shown_counts(safe, max(d for d in dates if d.year == origin))
        except ScopeTooSmall:
            continue
        history = own[own["year"] <= origin]
        if needs_parent(history, filters):  # as calibrate: the parent's rates on the shown stock
            parent = yearly_rates(conn, parent_of(filters)) if parent is None else parent
            history = parent[parent["year"] <= origin]
        at_start = Scenario(start_year=origin, women=women, men=men, other=other, until=last, deadline=last)
        scenarios[origin] = scenario_from_rates(history, at_start)
    return evaluate(scenarios, shares, last, paths, seed)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {k: (v.item() if isinstance(v, np.generic) else v) for k, v in row.items()} for row in frame.to_dict("records")
    ]
