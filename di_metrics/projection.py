"""The stock-flow projection of DESIGN section 4: deterministic path, required-hiring solver, Monte Carlo.

Pure numpy and Python; calibration from the database lives in `calibration`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np

SOLVER_TOLERANCE = 1e-7


@dataclass(frozen=True)
class Spread:
    """Year-to-year standard deviations of the rates in the calibration years (0: no uncertainty)."""

    hire_share: float = 0.0
    attrition_women: float = 0.0
    attrition_men: float = 0.0
    growth: float = 0.0
    years: int = 3


@dataclass(frozen=True)
class Scenario:
    """Every lever of the model; what-if variants come from dataclasses.replace(baseline, ...)."""

    start_year: int
    women: float
    men: float
    other: float = 0.0
    hire_share: float = 0.2
    hire_share_other: float = 0.0
    attrition_women: float = 0.1
    attrition_men: float = 0.1
    attrition_other: float = 0.1
    growth: float = 0.0
    until: int = 2040
    target: float = 0.30
    deadline: int = 2030
    spread: Spread = field(default_factory=Spread)

    def with_retention_improvement(self, fraction: float) -> Scenario:
        """Women's attrition lowered by a fraction, e.g. 0.25 for 'retention improvement for women: -25%'."""
        return dataclasses.replace(self, attrition_women=self.attrition_women * (1 - fraction))

    def params(self) -> dict[str, float | int]:
        """The parameters as the CLI names them."""
        out = {k: v for k, v in dataclasses.asdict(self).items() if k != "spread"}
        return out


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
    """The deterministic path: expected exits and hires, year by year (DESIGN 4)."""
    w, m, x = float(s.women), float(s.men), float(s.other)
    years, ws, ms, xs = [s.start_year], [w], [m], [x]
    for year in range(s.start_year + 1, max(s.until, s.deadline) + 1):
        n = w + m + x
        exits_w, exits_m, exits_x = s.attrition_women * w, s.attrition_men * m, s.attrition_other * x
        hires = max(0.0, n * (1 + s.growth) - (n - exits_w - exits_m - exits_x))
        w = w - exits_w + s.hire_share * hires
        x = x - exits_x + s.hire_share_other * hires
        m = m - exits_m + (1 - s.hire_share - s.hire_share_other) * hires
        years.append(year)
        ws.append(w)
        ms.append(m)
        xs.append(x)
    shares = [wi / (wi + mi + xi) if wi + mi + xi > 0 else 0.0 for wi, mi, xi in zip(ws, ms, xs, strict=True)]
    return Projection(years, ws, ms, xs, shares, s.target, s.deadline)


def share_at_deadline(s: Scenario, hire_share: float) -> float:
    """The deterministic share at the deadline for one hiring share, the others fixed."""
    share = project(dataclasses.replace(s, hire_share=hire_share, until=s.deadline)).share_at_deadline
    return float(share if share is not None else 0.0)


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

    def meets(value: float) -> bool:
        share = project(dataclasses.replace(s, **{lever: value}, until=s.deadline)).share_at_deadline
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


MAX_GROWTH = 0.10  # a tenth more personnel every year: beyond any plan, so "out of reach" means it


def what_it_takes(s: Scenario) -> dict[str, tuple[float, float | None, float]]:
    """Per lever (hiring share, women's attrition, growth): its value now, the value that meets the target
    with the others as they are (None: not within the limit), and the limit searched to. For the hiring
    share that is the solver's exact share, as the headline gives it; for the others, the nearest to now."""
    return {
        "hire_share": (s.hire_share, required_hire_share(s), 1.0 - s.hire_share_other),
        "attrition_women": (s.attrition_women, lever_needed(s, "attrition_women", 0.0), 0.0),
        "growth": (s.growth, lever_needed(s, "growth", MAX_GROWTH), MAX_GROWTH),
    }


@dataclass(frozen=True)
class Simulation:
    """Monte Carlo percentiles of the women's share per year, and the chance of meeting the target."""

    years: list[int]
    percentiles: dict[int, list[float]]
    probability_target_met: float
    paths: int
    sorted_shares: np.ndarray = field(default_factory=lambda: np.empty((0, 0)), repr=False, compare=False)

    def for_target(self, target: float, deadline: int) -> Simulation:
        """The same paths judged against another target or deadline: neither changes a path."""
        if deadline not in self.years:
            return dataclasses.replace(self, probability_target_met=0.0)
        row = self.sorted_shares[deadline - self.years[0]]
        below = int(np.searchsorted(row, target, side="left"))
        return dataclasses.replace(self, probability_target_met=(len(row) - below) / len(row))


def path_scenario(s: Scenario) -> Scenario:
    """What the Monte Carlo paths depend on: the target, and a deadline inside the horizon, do not change them."""
    return dataclasses.replace(s, target=0.0, deadline=max(s.until, s.deadline))


PERCENTILES = (5, 25, 50, 75, 95)


def simulate(s: Scenario, paths: int = 10_000, seed: int = 2030) -> Simulation:
    """Binomial exits and hires on every path, with rates drawn from their year-to-year spread.

    Each path draws its own long-run rates (the uncertainty of a 3-year mean) and, each year, that
    year's rates around them (the spread seen between years), so the fan widens as it should.
    """
    rng = np.random.default_rng(seed)
    sp = s.spread
    steps = max(s.until, s.deadline) - s.start_year

    def rates(mean: float, sd: float, low: float = 0.0, high: float = 1.0) -> np.ndarray:
        base = mean + rng.normal(0.0, sd / np.sqrt(max(sp.years, 1)), paths) if sd > 0 else np.full(paths, mean)
        yearly = np.repeat(base[:, None], steps, axis=1)
        if sd > 0:
            yearly += rng.normal(0.0, sd, (paths, steps))
        return np.clip(yearly, low, high)

    a_w, a_m = rates(s.attrition_women, sp.attrition_women), rates(s.attrition_men, sp.attrition_men)
    h_w = rates(s.hire_share, sp.hire_share, 0.0, 1.0 - s.hire_share_other)
    growth = rates(s.growth, sp.growth, -1.0, 10.0)
    w = np.full(paths, round(s.women), dtype=np.int64)
    m = np.full(paths, round(s.men), dtype=np.int64)
    x = np.full(paths, round(s.other), dtype=np.int64)
    shares = np.empty((steps + 1, paths))
    shares[0] = w / np.maximum(w + m + x, 1)
    for t in range(steps):
        n = w + m + x
        w = w - rng.binomial(w, a_w[:, t])
        m = m - rng.binomial(m, a_m[:, t])
        x = x - rng.binomial(x, s.attrition_other)
        hires = np.maximum(0, np.rint(n * (1 + growth[:, t])).astype(np.int64) - (w + m + x))
        new_w = rng.binomial(hires, h_w[:, t])
        p_x = np.clip(s.hire_share_other / np.maximum(1 - h_w[:, t], 1e-12), 0, 1)
        new_x = rng.binomial(hires - new_w, p_x)
        w, x, m = w + new_w, x + new_x, m + hires - new_w - new_x
        shares[t + 1] = w / np.maximum(w + m + x, 1)
    years = list(range(s.start_year, s.start_year + steps + 1))
    pct = np.percentile(shares, PERCENTILES, axis=1)
    percentiles = {p: pct[i].tolist() for i, p in enumerate(PERCENTILES)}
    return Simulation(years, percentiles, 0.0, paths, np.sort(shares, axis=1)).for_target(s.target, s.deadline)


def decompose(s: Scenario) -> dict[str, float]:
    """How much of the projected change to the deadline comes from hiring, and how much from the attrition gap.

    The hiring part is the change with women leaving as often as men; the attrition-gap part is the rest.
    """
    base = project(s)
    start = base.women_share[0]
    end = base.share_at_deadline or start
    equal = project(dataclasses.replace(s, attrition_women=s.attrition_men)).share_at_deadline or start
    return {"total": end - start, "hiring": equal - start, "attrition_gap": end - equal}
