"""Bands calibrated on the track record itself (docs/model.md, section 5): at each start year, the errors of
the projections made before it, and only those whose outcome was known by then, set the band's width.

The Monte Carlo's spread says what the model believes; these bands say how far off it has been. Each start
year's band uses the pairs whose target year is at most that start year (leave the future out), on the logit
scale: the errors at the same horizon once there are MIN_ERRORS of them, else every known error per year of
horizon grown with the horizon; while there are few, the share's own yearly moves up to the start year join
them (a random walk's errors).

The cross-validated band (`cross_bands`) is the track record's coverage measure: each pair's band comes from
the other start years' errors at the same horizon (leave one start year out), around whichever of projection,
flat line and straight line those other start years say forecast best.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

__all__ = [
    "BAND_COLUMNS",
    "CROSS_COLUMNS",
    "LEVELS",
    "MIN_ERRORS",
    "MIN_OTHERS",
    "calibrated_bands",
    "cross_bands",
    "interval_score",
    "logit",
    "student_quantile",
]

LEVELS = {90: 0.10, 50: 0.50}  # central band: the share of outcomes it leaves outside, alpha
MIN_ERRORS = 6  # below this many past errors, the share's own yearly moves join them
BAND_COLUMNS = [
    *(f"band_p{q:02d}" for q in (5, 25, 75, 95)),
    *(f"walk_p{q:02d}" for q in (5, 25, 75, 95)),
    "chance_band",
    "chance_climate",
]
CROSS_COLUMNS = [*(f"cross_p{q:02d}" for q in (5, 25, 75, 95)), "cross_from"]
CENTRES = ("model", "constant", "trend")  # the projection, the flat line, the straight line (a tie: the first)
MIN_OTHERS = 4  # other start years' errors at a horizon below which the cross band is the random walk's
SHRINK = 2  # a bias seen n times counts n / (n + SHRINK) of itself
GROWTH = 1.0  # pooled errors per horizon to this power: a drift's errors grow linearly (a random walk's: 0.5)
_EDGE = 1e-4  # a share of exactly 0 or 1 is taken as this close to it on the logit scale


def logit(p: np.ndarray | float) -> np.ndarray:
    p = np.clip(np.asarray(p, dtype=float), _EDGE, 1 - _EDGE)
    return np.log(p / (1 - p))


def _expit(z: np.ndarray | float) -> np.ndarray:
    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))


def _normal_quantile(q: float) -> float:
    """The standard normal quantile, by bisection on math.erf (no scipy needed for two numbers)."""
    low, high = -10.0, 10.0
    for _ in range(80):
        mid = (low + high) / 2
        low, high = (mid, high) if 0.5 * (1 + math.erf(mid / math.sqrt(2))) < q else (low, mid)
    return (low + high) / 2


def student_quantile(q: float, df: float) -> float:
    """Student's t quantile by the Cornish-Fisher expansion around the normal (within 0.01 from 3 degrees of
    freedom on): few past errors give a wider band than many with the same spread."""
    z = _normal_quantile(q)
    g1 = (z**3 + z) / 4
    g2 = (5 * z**5 + 16 * z**3 + 3 * z) / 96
    g3 = (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384
    return z + g1 / df + g2 / df**2 + g3 / df**3


def interval_score(low: np.ndarray, high: np.ndarray, actual: np.ndarray, alpha: float) -> np.ndarray:
    """Gneiting and Raftery's interval score of a central (1 - alpha) band: its width, plus 2/alpha times how
    far outside it the outcome fell. Lower is better; a band earns nothing by being narrow and missing."""
    low, high, actual = (np.asarray(v, dtype=float) for v in (low, high, actual))
    return (high - low) + (2 / alpha) * (np.maximum(low - actual, 0) + np.maximum(actual - high, 0))


def _moves(shares: Mapping[int, float | None], origin: int) -> list[float]:
    """The share's yearly moves on the logit scale up to the start year: a random walk's one-year errors."""
    return [
        float(logit(b) - logit(a))
        for y in range(min(shares), origin + 1)
        if (a := shares.get(y - 1)) is not None and (b := shares.get(y)) is not None
    ]


def _scale(errors: np.ndarray) -> tuple[float, float, int]:
    """Centre, spread and number of the normalised errors (an error per square-root year of horizon)."""
    n = len(errors)
    if n == 0:
        return 0.0, 0.0, 0
    centre = float(errors.mean()) * n / (n + SHRINK)  # a bias seen a few times is shrunk toward none
    spread = float(np.sqrt(((errors - centre) ** 2).sum() / max(n - 1, 1)))
    return centre, spread, n


def _band(centre: float, spread: float, n: int, h: int, level: int) -> tuple[float, float]:
    """A central band on the logit scale around 0, h years ahead, from n normalised errors."""
    half = student_quantile(1 - LEVELS[level] / 2, max(n - 1, 1)) * spread * math.sqrt(1 + 1 / max(n, 1))
    return (centre - half) * math.sqrt(h), (centre + half) * math.sqrt(h)


def calibrated_bands(pairs: pd.DataFrame, shares: Mapping[int, float | None]) -> pd.DataFrame:
    """Per pair: the calibrated band around the projection, its width from the projection's past errors; the
    random walk's band around the share at the start; the band's chance that the share is at or above the
    start's, and the climatological chance."""
    h = (pairs["year"] - pairs["origin"]).to_numpy()
    years = pairs["year"].to_numpy()
    raw = logit(pairs["actual"]) - logit(pairs["model"])
    rows = []
    for i, (origin, model, start) in enumerate(pairs[["origin", "model", "constant"]].itertuples(index=False)):
        known = years <= origin  # leave the future out: only outcomes known at the start year
        moves = np.array(_moves(shares, origin))
        fit, grown = _fit(raw, known, known & (h == h[i]), h, int(h[i]), moves)
        rows.append(_pair_bands(origin, int(years[i]), float(model), float(start), fit, grown, _scale(moves), shares))
    return pd.DataFrame(rows, columns=BAND_COLUMNS, index=pairs.index)


def _fit(
    raw: np.ndarray, known: np.ndarray, same: np.ndarray, h: np.ndarray, ahead: int, moves: np.ndarray
) -> tuple[tuple[float, float, int], float]:
    """The centre, spread and number of the past errors, and the factor that grows them to `ahead` years:
    with MIN_ERRORS at that horizon, those as they are; else all of them per horizon**GROWTH, joined by the
    share's own yearly moves while there are fewer than MIN_ERRORS."""
    if same.sum() >= MIN_ERRORS:
        return _scale(raw[same]), 1.0
    pooled = raw[known] / h[known] ** GROWTH
    if len(pooled) < MIN_ERRORS:
        pooled = np.concatenate([pooled, moves])
    return _scale(pooled), ahead**GROWTH


def _pair_bands(
    origin: int,
    year: int,
    centre: float,
    start: float,
    fit: tuple[float, float, int],
    grown: float,
    walk: tuple[float, float, int],
    shares: Mapping[int, float | None],
) -> list[float]:
    h = year - origin
    at, zero = float(logit(centre)), float(logit(start))
    (l50, u50), (l90, u90) = (_band(*fit, 1, level) for level in (50, 90))
    (w50, v50), (w90, v90) = (_band(0.0, walk[1], walk[2], h, level) for level in (50, 90))
    band = _expit([at + grown * l90, at + grown * l50, at + grown * u50, at + grown * u90])
    out = [*band, *_expit([zero + w90, zero + w50, zero + v50, zero + v90])]
    chance = _band_chance(at + grown * fit[0], grown * fit[1], fit[2], zero)
    return [*map(float, out), chance, _climate(shares, origin, h)]


def _band_chance(centre: float, spread: float, n: int, level: float) -> float:
    """The calibrated band's chance that the share is at or above `level` (both on the logit scale)."""
    if spread <= 0 or n == 0:
        return float(centre >= level)
    return 0.5 * (1 + math.erf((centre - level) / (spread * math.sqrt(1 + 1 / n)) / math.sqrt(2)))


def _climate(shares: Mapping[int, float | None], origin: int, h: int) -> float:
    """How often, up to the start year, the share h years later was at or above where it started: the chance
    a forecaster with no model but the record would give; one half with no such pair yet."""
    seen = [
        b >= a
        for y in range(min(shares), origin - h + 1)
        if (a := shares.get(y)) is not None and (b := shares.get(y + h)) is not None
    ]
    return float(np.mean(seen)) if seen else 0.5


def cross_bands(pairs: pd.DataFrame) -> pd.DataFrame:
    """Per pair, a band from every other start year's errors at its horizon (the pair itself is never used):
    centred on the forecaster with the smallest mean absolute error over those others, widened by Student's
    prediction interval of their logit errors (mean, so the centre's bias is corrected, +- t * s * sqrt(1 +
    1/n)). With fewer than MIN_OTHERS others, the random walk's band (`walk_p..`, needed in `pairs`)."""
    h = (pairs["year"] - pairs["origin"]).to_numpy()
    origin, actual = pairs["origin"].to_numpy(), pairs["actual"].to_numpy(dtype=float)
    rows = []
    for i in range(len(pairs)):
        others = (h == h[i]) & (origin != origin[i])
        if others.sum() < MIN_OTHERS:
            rows.append([*(float(pairs[f"walk_p{q:02d}"].iat[i]) for q in (5, 25, 75, 95)), "walk"])
            continue
        best = min(CENTRES, key=lambda m: float(np.abs(pairs[m].to_numpy()[others] - actual[others]).mean()))
        errors = logit(actual[others]) - logit(pairs[best].to_numpy()[others])
        at = float(logit(pairs[best].iat[i])) + float(errors.mean())
        (l50, u50), (l90, u90) = (_band(0.0, float(errors.std(ddof=1)), len(errors), 1, lv) for lv in (50, 90))
        rows.append([*map(float, _expit([at + l90, at + l50, at + u50, at + u90])), best])
    return pd.DataFrame(rows, columns=CROSS_COLUMNS, index=pairs.index)
