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

from di_metrics.analysis.bands import BAND_COLUMNS, CROSS_COLUMNS, LEVELS, calibrated_bands, cross_bands, interval_score
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
from di_metrics.queries.workforce import complete_years, share_series, snapshot_dates

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

__all__ = [
    "HORIZON_COLUMNS",
    "MIN_CALIBRATION_YEARS",
    "PAIR_COLUMNS",
    "TRACK_PATHS",
    "TREND_YEARS",
    "Horizon",
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
CHANCE_COLUMNS = ["chance_model", *BAND_COLUMNS, *CROSS_COLUMNS]  # added after the original ones (docs/cli.md)
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
SCORE_COLUMNS = [  # added after the original columns (docs/cli.md)
    "coverage50_calibrated",
    "coverage90_calibrated",
    "interval_score",
    "interval_score_random_walk",
    "interval_score_calibrated",
    "brier_model",
    "brier_calibrated",
    "brier_climate",
    "coverage50_cross",
    "coverage90_cross",
    "interval_score_cross",
]
BAND_SCORES = {  # a 90% band and the column of its interval score
    "simulation": "interval_score",
    "calibrated": "interval_score_calibrated",
    "cross": "interval_score_cross",
    "random_walk": "interval_score_random_walk",
}


@dataclass(frozen=True)
class Horizon:
    """The summary of the pairs one horizon ahead: errors as fractions, and how often the bands held."""

    h: int
    pairs: int
    mae_model: float
    mae_constant: float
    mae_trend: float | None
    bias_model: float
    coverage50: float
    coverage90: float
    coverage50_calibrated: float | None = None
    coverage90_calibrated: float | None = None
    interval_score: float | None = None
    interval_score_random_walk: float | None = None
    interval_score_calibrated: float | None = None
    brier_model: float | None = None
    brier_calibrated: float | None = None
    brier_climate: float | None = None


@dataclass(frozen=True)
class TrackRecord:
    """Every (start year, later year) pair, and per horizon the errors and how often the bands held."""

    origins: list[int]
    pairs: pd.DataFrame
    horizons: pd.DataFrame

    @property
    def empty(self) -> bool:
        return self.pairs.empty

    def horizon(self, h: int) -> Horizon | None:
        """The summary row of one horizon, or None when no pair is that far ahead."""
        rows = self.horizons[self.horizons["h"] == h]
        if rows.empty:
            return None
        row = _records(rows)[0]  # the scores added later stay in `horizons`; a Horizon holds the first columns
        return Horizon(**{f.name: row[f.name] for f in dataclasses.fields(Horizon) if f.name in row})

    def nearest_horizon(self, h: int) -> int | None:
        """The horizon closest to h, not beyond the furthest one that has pairs."""
        if self.horizons.empty:
            return None
        return int(min(max(h, int(self.horizons["h"].min())), int(self.horizons["h"].max())))

    def evidence_horizon(self, h: int, min_pairs: int) -> int | None:
        """The horizon nearest h (the nearer one below on a tie) with at least `min_pairs` pairs; None if none."""
        enough = [int(x) for x in self.horizons.loc[self.horizons["pairs"] >= min_pairs, "h"]]
        return min(enough, key=lambda x: (abs(x - h), x)) if enough else None

    def best_band(self, h: int) -> str | None:
        """Which 90% band had the lowest interval score h years ahead: `simulation` (the Monte Carlo's, the one the
        pages draw), `calibrated`, `cross` or `random_walk` (on a tie, the first); None when no pair is that far."""
        rows = self.horizons[self.horizons["h"] == h]
        if rows.empty:
            return None
        scores = {name: float(rows[column].iloc[0]) for name, column in BAND_SCORES.items()}
        return min(scores, key=lambda name: scores[name])

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
                    # the Monte Carlo's chance that the share is at or above the start's (the Brier score's event)
                    "chance_model": 1 - np.searchsorted(sim.sorted_shares[i], shares[origin], "left") / paths,
                }
            )
    pairs = pd.DataFrame(rows, columns=[*PAIR_COLUMNS, "chance_model"])
    pairs = pd.concat([pairs, calibrated_bands(pairs, shares)], axis=1)
    pairs = pd.concat([pairs, cross_bands(pairs)], axis=1)
    return TrackRecord(origins, pairs, summarise(pairs))


def _trend(shares: Mapping[int, float | None], origin: int) -> tuple[float, float]:
    """Slope and intercept of the least-squares line through the known shares of the calibration years."""
    known = [(y, s) for y in range(origin - TREND_YEARS, origin + 1) if (s := shares.get(y)) is not None]
    if len(known) < 2:
        return 0.0, float(shares[origin])  # type: ignore[arg-type]
    slope, intercept = np.polyfit([y for y, _ in known], [s for _, s in known], 1)
    return float(slope), float(intercept)


def summarise(pairs: pd.DataFrame) -> pd.DataFrame:
    """Per horizon: pairs, mean absolute errors of the model and the baselines, the model's bias, how often the
    Monte Carlo's bands and the calibrated ones held, and the scores: interval scores of the 90% bands (Monte
    Carlo, random walk, calibrated) and Brier scores of the chance that the share is at or above the start's
    (Monte Carlo, calibrated band, the record's own frequency)."""
    if pairs.empty:
        return pd.DataFrame(columns=[*HORIZON_COLUMNS, *SCORE_COLUMNS])
    frame = pairs.assign(h=pairs["year"] - pairs["origin"])
    actual = frame["actual"]
    rises = (actual >= frame["constant"]).astype(float)
    alpha = LEVELS[90]
    frame = frame.assign(
        err_model=frame["model"] - actual,
        abs_model=(frame["model"] - actual).abs(),
        abs_constant=(frame["constant"] - actual).abs(),
        abs_trend=(frame["trend"] - actual).abs(),
        in50=_inside(frame, "p25", "p75"),
        in90=_inside(frame, "p05", "p95"),
        cal50=_inside(frame, "band_p25", "band_p75"),
        cal90=_inside(frame, "band_p05", "band_p95"),
        cross50=_inside(frame, "cross_p25", "cross_p75"),
        cross90=_inside(frame, "cross_p05", "cross_p95"),
        is_cross=interval_score(frame["cross_p05"], frame["cross_p95"], actual, alpha),
        is_sim=interval_score(frame["p05"], frame["p95"], actual, alpha),
        is_walk=interval_score(frame["walk_p05"], frame["walk_p95"], actual, alpha),
        is_band=interval_score(frame["band_p05"], frame["band_p95"], actual, alpha),
        brier_m=(frame["chance_model"] - rises) ** 2,
        brier_b=(frame["chance_band"] - rises) ** 2,
        brier_c=(frame["chance_climate"] - rises) ** 2,
    )
    out = frame.groupby("h").agg(
        pairs=("origin", "size"),
        mae_model=("abs_model", "mean"),
        mae_constant=("abs_constant", "mean"),
        mae_trend=("abs_trend", "mean"),
        bias_model=("err_model", "mean"),
        coverage50=("in50", "mean"),
        coverage90=("in90", "mean"),
        coverage50_calibrated=("cal50", "mean"),
        coverage90_calibrated=("cal90", "mean"),
        interval_score=("is_sim", "mean"),
        interval_score_random_walk=("is_walk", "mean"),
        interval_score_calibrated=("is_band", "mean"),
        brier_model=("brier_m", "mean"),
        brier_calibrated=("brier_b", "mean"),
        brier_climate=("brier_c", "mean"),
        coverage50_cross=("cross50", "mean"),
        coverage90_cross=("cross90", "mean"),
        interval_score_cross=("is_cross", "mean"),
    )
    return out.reset_index()[[*HORIZON_COLUMNS, *SCORE_COLUMNS]]


def _inside(frame: pd.DataFrame, low: str, high: str) -> pd.Series:
    return ((frame[low] <= frame["actual"]) & (frame["actual"] <= frame[high])).astype(float)


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
