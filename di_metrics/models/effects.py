"""Did a measure move its indicator more than it would have moved anyway? Two counterfactuals and a grade
(docs/definitions.md, *Measure effects*).

- **Interrupted time series** on the measure's own population: the pre-start line, extended, is what would
  have happened; the effect is the mean gap after the start (level change plus slope change at the mean
  time after the start). Placebos: false starts inside the pre-start period, where nothing happened.
- **Difference in differences** against the parts the measure did not cover: the gap between the treated
  and the untreated mean, after minus before. The pre-trend check asks whether that gap already drifted
  before the start; placebos treat each untreated part as if it were treated.

Least squares by hand, with HC3 standard errors and Student-t intervals (small samples); times in years.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import stats

from di_metrics.models.reporting import Estimate

__all__ = [
    "MIN_SIDE",
    "DidResult",
    "Grade",
    "ItsResult",
    "did",
    "grade",
    "its",
    "ols",
    "quiet",
]

MIN_SIDE = 4  # points needed before and after a start, for a line on each side with room to spare
MAX_PLACEBOS = 4
QUIET_SHARE = 0.25
LEVEL = 0.95


def ols(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """Coefficients, their HC3 covariance, and the residual degrees of freedom."""
    xtx_inv = np.linalg.pinv(x.T @ x)
    beta = xtx_inv @ x.T @ y
    resid = y - x @ beta
    leverage = np.einsum("ij,jk,ik->i", x, xtx_inv, x)
    scale = (resid / np.clip(1 - leverage, 1e-9, None)) ** 2
    cov = xtx_inv @ (x.T * scale) @ x @ xtx_inv
    return beta, cov, len(y) - x.shape[1]


@lru_cache(maxsize=256)
def _critical(df: int) -> float:
    return float(stats.t.ppf(0.5 + LEVEL / 2, max(df, 1)))


def _estimate(weights: np.ndarray, beta: np.ndarray, cov: np.ndarray, df: int) -> Estimate:
    value = float(weights @ beta)
    se = float(np.sqrt(max(weights @ cov @ weights, 0.0)))
    half = _critical(df) * se
    return Estimate(value, value - half, value + half)


@dataclass(frozen=True)
class ItsResult:
    """The interrupted time series: level and slope change, the mean effect after the start, and placebos.
    `reason` is `too_few_points` when there is no fit."""

    points_before: int
    points_after: int
    level: Estimate | None = None
    slope: Estimate | None = None
    effect: Estimate | None = None
    placebos: int = 0
    placebos_fired: int = 0
    reason: str | None = None


def _its_fit(t: np.ndarray, y: np.ndarray, start: float) -> tuple[Estimate, Estimate, Estimate]:
    after = (t >= start).astype(float)
    since = t - start
    x = np.column_stack([np.ones_like(t), since, after, since * after])
    beta, cov, df = ols(x, y)
    mean_since = float(since[after == 1].mean())
    level = _estimate(np.array([0, 0, 1.0, 0]), beta, cov, df)
    slope = _estimate(np.array([0, 0, 0, 1.0]), beta, cov, df)
    return level, slope, _estimate(np.array([0, 0, 1.0, mean_since]), beta, cov, df)


def _false_starts(t: np.ndarray) -> list[float]:
    """Up to MAX_PLACEBOS false starts inside the given (pre-start) times, each with MIN_SIDE points either side."""
    spots = list(range(MIN_SIDE, len(t) - MIN_SIDE + 1))
    if len(spots) > MAX_PLACEBOS:
        spots = [spots[i] for i in np.linspace(0, len(spots) - 1, MAX_PLACEBOS).round().astype(int)]
    return [float(t[i]) for i in spots]


def its(times: np.ndarray, values: np.ndarray, start: float) -> ItsResult:
    """The interrupted time series of one series (times in years) at `start`; unknown values are left out."""
    t, y = np.asarray(times, dtype=float), np.asarray(values, dtype=float)
    keep = np.isfinite(y)
    t, y = t[keep], y[keep]
    before, after = int((t < start).sum()), int((t >= start).sum())
    if before < MIN_SIDE or after < MIN_SIDE:
        return ItsResult(before, after, reason="too_few_points")
    level, slope, effect = _its_fit(t, y, start)
    pre = t < start
    fired = [_its_fit(t[pre], y[pre], s)[2].excludes_zero for s in _false_starts(t[pre])]
    return ItsResult(before, after, level, slope, effect, len(fired), sum(fired))


@dataclass(frozen=True)
class DidResult:
    """Difference in differences of the treated mean against the untreated mean; `reason` is `too_few_points`
    or `no_comparison` (no untreated part) when there is no estimate."""

    points_before: int
    points_after: int
    effect: Estimate | None = None
    pre_trend: Estimate | None = None
    placebos: int = 0
    placebos_fired: int = 0
    reason: str | None = None

    @property
    def pre_trend_ok(self) -> bool:
        """The gap did not drift before the start (its slope's interval holds zero)."""
        return self.pre_trend is not None and not self.pre_trend.excludes_zero


def _did_fit(t: np.ndarray, gap: np.ndarray, start: float) -> tuple[Estimate, Estimate]:
    after = (t >= start).astype(float)
    beta, cov, df = ols(np.column_stack([np.ones_like(t), after]), gap)
    effect = _estimate(np.array([0, 1.0]), beta, cov, df)
    pre = t < start
    b, c, d = ols(np.column_stack([np.ones(pre.sum()), t[pre] - start]), gap[pre])
    return effect, _estimate(np.array([0, 1.0]), b, c, d)


def did(times: np.ndarray, treated: np.ndarray, untreated: np.ndarray, start: float) -> DidResult:
    """Difference in differences; `treated` and `untreated` are parts × times (rows of one part's series).
    Times where a part's value is unknown are left out of every mean at that time."""
    t = np.asarray(times, dtype=float)
    tr, un = np.atleast_2d(np.asarray(treated, dtype=float)), np.atleast_2d(np.asarray(untreated, dtype=float))
    if un.size == 0 or len(un) == 0:
        return DidResult(int((t < start).sum()), int((t >= start).sum()), reason="no_comparison")
    keep = np.isfinite(tr).all(axis=0) & np.isfinite(un).all(axis=0)
    t, tr, un = t[keep], tr[:, keep], un[:, keep]
    before, after = int((t < start).sum()), int((t >= start).sum())
    if before < MIN_SIDE or after < MIN_SIDE:
        return DidResult(before, after, reason="too_few_points")
    effect, pre_trend = _did_fit(t, tr.mean(axis=0) - un.mean(axis=0), start)
    fired = []
    if len(un) >= 2:
        for i in range(len(un)):
            rest = np.delete(un, i, axis=0).mean(axis=0)
            fired.append(_did_fit(t, un[i] - rest, start)[0].excludes_zero)
    return DidResult(before, after, effect, pre_trend, len(fired), sum(fired))


@dataclass(frozen=True)
class Grade:
    """The evidence grade of a measure (`no_evidence`, `suggestive`, `consistent`) and its one-line reason code."""

    grade: str
    reason: str


def quiet(result: ItsResult | DidResult) -> bool:
    """The placebos are quiet: at most one in four fires (each fires by chance one time in twenty)."""
    return result.placebos_fired <= QUIET_SHARE * result.placebos


def _finds(result: ItsResult | DidResult) -> bool:
    """A method finds an effect: its interval excludes zero, its placebos are quiet, and (for the difference
    in differences) the gap did not drift before the start."""
    if result.effect is None or not result.effect.excludes_zero or not quiet(result):
        return False
    return not isinstance(result, DidResult) or result.pre_trend_ok


def _why_not(its_result: ItsResult, did_result: DidResult | None) -> str:
    fitted = [r for r in (its_result, did_result) if r is not None and r.effect is not None]
    if not fitted:
        return "too_few_points"
    if any(r.effect.excludes_zero and not quiet(r) for r in fitted):
        return "placebos_fire"
    if any(isinstance(r, DidResult) and r.effect.excludes_zero and not r.pre_trend_ok for r in fitted):
        return "pre_trend"
    return "interval_includes_zero"


def grade(its_result: ItsResult, did_result: DidResult | None) -> Grade:
    """Consistent: both methods find an effect of the same sign. Suggestive: one method finds one. Otherwise
    no evidence, with the reason: too few points, placebos that fire, a drifting pre-trend, methods that
    disagree in sign, or intervals that hold zero."""
    its_finds = _finds(its_result)
    did_finds = did_result is not None and _finds(did_result)
    if its_finds and did_finds:
        same = (its_result.effect.value > 0) == (did_result.effect.value > 0)
        return Grade("consistent", "both_agree") if same else Grade("no_evidence", "methods_disagree")
    if its_finds:
        return Grade("suggestive", "its_only")
    if did_finds:
        return Grade("suggestive", "did_only")
    return Grade("no_evidence", _why_not(its_result, did_result))
