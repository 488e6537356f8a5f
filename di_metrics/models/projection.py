"""The stock-flow projection (docs/model.md): deterministic path, required-hiring solver, Monte Carlo.

Pure numpy and Python; calibration from the database lives in `calibration`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np

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
class Spread:
    """How much the rates moved in the history: their year-to-year standard deviations, the number of years
    their mean is taken over, and how fast each drifted (the slope of its least-squares line, per year)."""

    hire_share: float = 0.0
    attrition_women: float = 0.0
    attrition_men: float = 0.0
    growth: float = 0.0
    years: int = 3
    hire_share_drift: float = 0.0
    attrition_women_drift: float = 0.0
    attrition_men_drift: float = 0.0
    growth_drift: float = 0.0


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


def start_counts(s: Scenario) -> tuple[int, int, int]:
    """The whole persons both the deterministic path and every Monte Carlo path start from."""
    return round(s.women), round(s.men), round(s.other)


def project(s: Scenario) -> Projection:
    """The deterministic path: expected exits and hires, year by year, from whole persons.

    When the personnel must shrink by more than attrition takes away, the rest leave as forced exits, in
    proportion to each group (the share does not move by them); `forced_exits` says how many, per year.
    """
    w, m, x = (float(c) for c in start_counts(s))
    years, ws, ms, xs, forced = [s.start_year], [w], [m], [x], {}
    for year in range(s.start_year + 1, max(s.until, s.deadline) + 1):
        n = w + m + x
        w, m, x = w * (1 - s.attrition_women), m * (1 - s.attrition_men), x * (1 - s.attrition_other)
        wanted, stayed = n * (1 + s.growth), w + m + x
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


def _logit(p: float) -> float:
    return float(np.log(p / (1 - p)))


def rate_paths(
    rng: np.random.Generator,
    mean: float,
    sd: float,
    drift: float,
    exposure: float,
    years: int,
    shape: tuple[int, int],
) -> np.ndarray:
    """A rate per path and year, drawn on the logit scale so that it stays inside (0, 1).

    `sd` is the year-to-year spread seen in the history, which holds the binomial chance of `exposure`
    persons a year. Each path draws a long-run rate around `mean` (a `years`-year mean is known to sd/sqrt(years),
    and never better than chance allows), a drift (the rate may keep moving as fast as it did, either way) and,
    each year, the movement beyond chance around them; the binomial draws of the flows add chance itself.
    A rate of exactly 0 or 1 is a certainty and stays so on every path.
    """
    if mean <= 0.0 or mean >= 1.0:
        return np.full(shape, min(max(mean, 0.0), 1.0))
    slope = mean * (1 - mean)  # d rate / d logit: turns a spread in rate units into logit units
    chance = slope / max(exposure, 1.0)  # the binomial variance of one year's rate
    z = rng.standard_normal((shape[0], 1)) * (np.sqrt(max(sd**2, chance) / max(years, 1)) / slope)
    if drift > 0:
        z = z + rng.standard_normal((shape[0], 1)) * (drift / slope) * np.arange(1, shape[1] + 1)
    beyond_chance = np.sqrt(max(sd**2 - chance, 0.0))
    if beyond_chance > 0:
        z = z + rng.standard_normal(shape) * (beyond_chance / slope)
    return np.broadcast_to(1.0 / (1.0 + np.exp(-(_logit(mean) + z))), shape)


def _normal_paths(rng: np.random.Generator, sd: float, drift: float, years: int, shape: tuple[int, int]) -> np.ndarray:
    """Deviations of an unbounded rate (growth): a long-run one and a drift per path, a deviation per year."""
    out = np.zeros(shape)
    if sd > 0:
        out += rng.standard_normal((shape[0], 1)) * sd / np.sqrt(max(years, 1))
    if drift > 0:
        out += rng.standard_normal((shape[0], 1)) * abs(drift) * np.arange(1, shape[1] + 1)
    if sd > 0:
        out += rng.standard_normal(shape) * sd
    return out


NORMAL_FROM_VARIANCE = 1_000.0  # a binomial this wide has a skewness below 0.03: the normal draws it as well


def binomial(rng: np.random.Generator, n: np.ndarray, p: np.ndarray | float) -> np.ndarray:
    """Binomial draws; where the variance is at least NORMAL_FROM_VARIANCE persons, by the rounded normal
    with the same mean and variance (twenty times faster, and the same to well under a person in a thousand)."""
    p = np.broadcast_to(p, n.shape)
    variance = n * p * (1 - p)
    wide = variance >= NORMAL_FROM_VARIANCE
    if not wide.any():
        return rng.binomial(n, p)
    out = np.clip(np.rint(n * p + np.sqrt(variance) * rng.standard_normal(n.shape)), 0, n).astype(np.int64)
    narrow = ~wide
    if narrow.any():
        out[narrow] = rng.binomial(n[narrow], p[narrow])
    return out


def simulate(s: Scenario, paths: int = 10_000, seed: int = 2030) -> Simulation:
    """Binomial exits and hires on every path, with rates drawn from their year-to-year spread (`rate_paths`).

    Growth below what attrition takes away is applied as forced exits, spread over the genders by chance.
    """
    rng = np.random.default_rng(seed)
    sp = s.spread
    steps = max(s.until, s.deadline) - s.start_year
    shape = (paths, steps)
    w0, m0, x0 = start_counts(s)
    k = max(sp.years, 1)
    hires_seen = s.attrition_women * w0 + s.attrition_men * m0 + max(s.growth, 0.0) * (w0 + m0)
    a_w = rate_paths(rng, s.attrition_women, sp.attrition_women, sp.attrition_women_drift, w0, k, shape)
    a_m = rate_paths(rng, s.attrition_men, sp.attrition_men, sp.attrition_men_drift, m0, k, shape)
    room = max(1.0 - s.hire_share_other, 1e-12)  # the women's hiring share is drawn as a fraction of the rest
    h_w = room * rate_paths(
        rng, s.hire_share / room, sp.hire_share / room, sp.hire_share_drift / room, hires_seen, k, shape
    )
    growth = s.growth + _normal_paths(rng, sp.growth, sp.growth_drift, k, shape)
    w = np.full(paths, w0, dtype=np.int64)
    m = np.full(paths, m0, dtype=np.int64)
    x = np.full(paths, x0, dtype=np.int64)
    with_x = x0 > 0 or s.hire_share_other > 0
    p_x = s.hire_share_other / np.maximum(1 - h_w, 1e-12) if with_x else None
    shares = np.empty((steps + 1, paths))
    shares[0] = w / max(w0 + m0 + x0, 1)
    for t in range(steps):
        wanted = np.rint((w + m + x) * (1 + np.maximum(growth[:, t], -1.0))).astype(np.int64)
        w = w - binomial(rng, w, a_w[:, t])
        m = m - binomial(rng, m, a_m[:, t])
        if with_x:
            x = x - binomial(rng, x, s.attrition_other)
        stayed = w + m + x
        if np.any(wanted < stayed):
            keep = np.where(wanted < stayed, wanted / np.maximum(stayed, 1), 1.0)
            w, m, x = binomial(rng, w, keep), binomial(rng, m, keep), binomial(rng, x, keep)
        hires = np.maximum(0, wanted - (w + m + x))
        new_w = binomial(rng, hires, h_w[:, t])
        new_x = binomial(rng, hires - new_w, np.clip(p_x[:, t], 0, 1)) if p_x is not None else 0
        w, x, m = w + new_w, x + new_x, m + hires - new_w - new_x
        shares[t + 1] = w / np.maximum(w + m + x, 1)
    years = list(range(s.start_year, s.start_year + steps + 1))
    ordered = np.sort(shares, axis=1)
    percentiles = {p: _percentile_of_sorted(ordered, p).tolist() for p in PERCENTILES}
    return Simulation(years, percentiles, 0.0, paths, ordered).for_target(s.target, s.deadline)


def _percentile_of_sorted(ordered: np.ndarray, q: float) -> np.ndarray:
    """np.percentile's linear interpolation, per row of an already sorted array (without sorting again)."""
    position = q / 100 * (ordered.shape[1] - 1)
    low = int(np.floor(position))
    high = min(low + 1, ordered.shape[1] - 1)
    return ordered[:, low] + (position - low) * (ordered[:, high] - ordered[:, low])


def decompose(s: Scenario) -> dict[str, float]:
    """How much of the projected change to the deadline comes from hiring, and how much from the attrition gap.

    The hiring part is the change with women leaving as often as men; the attrition-gap part is the rest.
    """
    base = project(s)
    start = base.women_share[0]
    end = base.share_at_deadline or start
    equal = project(dataclasses.replace(s, attrition_women=s.attrition_men)).share_at_deadline or start
    return {"total": end - start, "hiring": equal - start, "attrition_gap": end - equal}
