"""The stock-flow projection (docs/model.md): the deterministic path and the solvers on it.

Pure numpy and Python; the levers live in `scenario`, the Monte Carlo in `montecarlo` (both re-exported here),
calibration from the database in `di_metrics.analysis.calibration`.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from di_metrics.models.montecarlo import (
    NORMAL_FROM_VARIANCE,
    PERCENTILES,
    Simulation,
    binomial,
    binomial_by_inversion,
    path_scenario,
    rate_paths,
    simulate,
)
from di_metrics.models.scenario import Scenario, Spread, start_counts, step_rate

__all__ = [
    "MAX_GROWTH",
    "NORMAL_FROM_VARIANCE",
    "PERCENTILES",
    "SOLVER_TOLERANCE",
    "Projection",
    "Scenario",
    "Simulation",
    "Spread",
    "binomial",
    "binomial_by_inversion",
    "decompose",
    "lever_needed",
    "path_scenario",
    "project",
    "rate_paths",
    "required_hire_share",
    "share_at_deadline",
    "simulate",
    "start_counts",
    "what_it_takes",
]

SOLVER_TOLERANCE = 1e-7


@dataclass(frozen=True)
class Projection:
    """A deterministic path, one entry per year from the start year."""

    years: list[int]
    women: list[float]
    men: list[float]
    other: list[float]
    women_share: list[float]
    target: float
    deadline: int
    forced_exits: dict[int, float] = field(default_factory=dict)  # year: persons beyond attrition

    @property
    def share_at_deadline(self) -> float | None:
        return self.share_in(self.deadline)

    def share_in(self, year: int) -> float | None:
        return self.women_share[year - self.years[0]] if self.years[0] <= year <= self.years[-1] else None

    @property
    def target_year(self) -> int | None:
        """The first year whose share is at or above the target."""
        return next((y for y, s in zip(self.years, self.women_share, strict=True) if s >= self.target - 1e-12), None)


def project(s: Scenario) -> Projection:
    """The deterministic path: expected exits and hires, year by year, from whole persons.

    When the personnel must shrink by more than attrition takes away, the rest leave as forced exits, in
    proportion to each group (the share does not move by them); `forced_exits` says how many, per year.
    The first step covers `first_step` of a year (data dated before December): rates at a constant hazard,
    1 - (1 - a) ** f, and growth (1 + g) ** f.
    """
    w, m, x = (float(c) for c in start_counts(s))
    years, ws, ms, xs, forced = [s.start_year], [w], [m], [x], {}
    for year in range(s.start_year + 1, max(s.until, s.deadline) + 1):
        f, n = (s.first_step if year == s.start_year + 1 else 1.0), w + m + x
        a_w, a_m, a_x = (step_rate(a, f) for a in (s.attrition_women, s.attrition_men, s.attrition_other))
        w, m, x = w * (1 - a_w), m * (1 - a_m), x * (1 - a_x)
        wanted, stayed = n * (1 + s.growth) ** f, w + m + x
        if wanted < stayed - 1e-9:
            forced[year] = stayed - wanted
            w, m, x = (c * wanted / stayed for c in (w, m, x))
        hires = max(0.0, wanted - (w + m + x))
        w, x = w + s.hire_share * hires, x + s.hire_share_other * hires
        m = m + (1 - s.hire_share - s.hire_share_other) * hires
        years.append(year)
        ws.append(w)
        ms.append(m)
        xs.append(x)
    shares = [wi / (wi + mi + xi) if wi + mi + xi > 0 else 0.0 for wi, mi, xi in zip(ws, ms, xs, strict=True)]
    return Projection(years, ws, ms, xs, shares, s.target, s.deadline, forced)


def share_at_deadline(s: Scenario, hire_share: float) -> float:
    """The deterministic share at the deadline for one hiring share, the others fixed."""
    share = project(dataclasses.replace(s, hire_share=hire_share, until=s.deadline)).share_at_deadline
    return float(share if share is not None else 0.0)


def by_scenario(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Remembered per frozen scenario: a What-if move back to levers seen before, or a figure asked for twice in
    one move, costs nothing. A scenario that cannot be hashed is worked out afresh."""
    remembered = functools.lru_cache(maxsize=256)(fn)

    @functools.wraps(fn)
    def call(s: Scenario, *args: Any) -> Any:
        try:
            hash(s)
        except TypeError:
            return fn(s, *args)
        return remembered(s, *args)

    return call


@by_scenario
def required_hire_share(s: Scenario) -> float | None:
    """The constant women's share of hires that meets the target exactly at the deadline; None if none up to 1 does.

    The share at the deadline rises with the hiring share, so bisection finds it.
    """
    ceiling = 1.0 - s.hire_share_other
    if share_at_deadline(s, ceiling) < s.target - SOLVER_TOLERANCE:
        return None
    if share_at_deadline(s, 0.0) >= s.target:
        return 0.0
    low, high = 0.0, ceiling
    while high - low > SOLVER_TOLERANCE:
        mid = (low + high) / 2
        low, high = (mid, high) if share_at_deadline(s, mid) < s.target else (low, mid)
    return (low + high) / 2


def lever_needed(s: Scenario, lever: str, end: float, steps: int = 100) -> float | None:
    """One lever moved from its value toward `end`, the others fixed: the first value that meets the target at
    the deadline; None if none on the way does. A grid finds the first crossing and bisection refines it,
    so the lever need not act in one direction (growth, for one, helps only while hires are more female)."""

    free = dataclasses.replace(s, target=0.0)  # the target moves no path: a target move re-reads the grid

    def meets(value: float) -> bool:
        share = _share_with(free, lever, value)
        return share is not None and share >= s.target

    start = float(getattr(s, lever))
    if meets(start):
        return start
    previous = start
    for value in np.linspace(start, end, steps + 1)[1:]:
        if meets(value):
            low, high = previous, float(value)  # fails at low, meets at high
            while abs(high - low) > SOLVER_TOLERANCE:
                mid = (low + high) / 2
                low, high = (low, mid) if meets(mid) else (mid, high)
            return high
        previous = float(value)
    return None


def _share_with(s: Scenario, lever: str, value: float) -> float | None:
    """The share at the deadline with one lever set to `value`, remembered per scenario (a scenario that cannot
    be hashed is worked out afresh): the same grid serves every target."""
    try:
        return _remembered_share(s, lever, value)
    except TypeError:
        return project(dataclasses.replace(s, **{lever: value}, until=s.deadline)).share_at_deadline


@functools.lru_cache(maxsize=4096)
def _remembered_share(s: Scenario, lever: str, value: float) -> float | None:
    return project(dataclasses.replace(s, **{lever: value}, until=s.deadline)).share_at_deadline


MAX_GROWTH = 0.10  # a tenth more personnel every year: beyond any plan, so "out of reach" means it


def what_it_takes(s: Scenario) -> dict[str, tuple[float, float | None, float]]:
    """Per lever (hiring share, women's attrition, growth): its value now, the value that meets the target
    with the others as they are (None: not within the limit), and the limit searched to. For the hiring
    share that is the solver's exact share, as the headline gives it; for the others, the nearest to now."""
    return dict(_what_it_takes(s))  # a copy: the remembered one is never handed out


@by_scenario
def _what_it_takes(s: Scenario) -> dict[str, tuple[float, float | None, float]]:
    return {
        "hire_share": (s.hire_share, required_hire_share(s), 1.0 - s.hire_share_other),
        "attrition_women": (s.attrition_women, lever_needed(s, "attrition_women", 0.0), 0.0),
        "growth": (s.growth, lever_needed(s, "growth", MAX_GROWTH), MAX_GROWTH),
    }


def decompose(s: Scenario) -> dict[str, float]:
    """How much of the projected change to the deadline comes from hiring, and how much from the attrition gap.

    The hiring part is the change with women leaving as often as men; the attrition-gap part is the rest.
    """
    base = project(s)
    start = base.women_share[0]
    end = base.share_at_deadline or start
    equal = project(dataclasses.replace(s, attrition_women=s.attrition_men)).share_at_deadline or start
    return {"total": end - start, "hiring": equal - start, "attrition_gap": end - equal}
