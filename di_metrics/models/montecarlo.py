"""The Monte Carlo of the stock-flow projection (docs/model.md, section 3): every path draws its own rates
and then follows the deterministic recursion with whole persons, so that its expectation is the path's.

Pure numpy; the levers live in `scenario`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np

from di_metrics.models.scenario import Scenario, start_counts, step_rate

__all__ = [
    "NORMAL_FROM_VARIANCE",
    "PERCENTILES",
    "Simulation",
    "binomial",
    "binomial_by_inversion",
    "forced_exits",
    "path_scenario",
    "rate_paths",
    "simulate",
]


@dataclass(frozen=True)
class Simulation:
    """Monte Carlo percentiles of the women's share per year, and the chance of meeting the target."""

    years: list[int]
    percentiles: dict[int, list[float]]
    probability_target_met: float
    paths: int
    sorted_shares: np.ndarray = field(default_factory=lambda: np.empty((0, 0)), repr=False, compare=False)

    def median_in(self, year: int) -> float | None:
        """The simulated paths' median share in a year; None outside the simulated years."""
        return self.percentiles[50][year - self.years[0]] if self.years[0] <= year <= self.years[-1] else None

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


def rate_paths(
    rng: np.random.Generator,
    mean: float,
    sd: float,
    drift: float,
    exposure: float,
    years: int,
    shape: tuple[int, int],
    measured: bool = False,
) -> np.ndarray:
    """A rate per path and year, on the logit scale so that it stays inside (0, 1).

    Each path's long-run rate is drawn from the Jeffreys Beta posterior of `years` years of `exposure` persons
    at rate `mean` (the sampling uncertainty of the counts: 0 exits in 33 person-years is no certainty), moved
    by the history's spread beyond chance (`sd` holds the binomial chance of one year) and by a drift (the
    rate may keep moving as fast as it did, either way); each year adds the movement beyond chance.
    A lever set at exactly 0 or 1 (not `measured` there) is a plan and the same on every path.
    """
    if (mean <= 0.0 or mean >= 1.0) and not measured:
        return np.full(shape, min(max(mean, 0.0), 1.0))
    mean, k = min(max(mean, 0.0), 1.0), max(years, 1)
    persons = k * max(exposure, 0.0)
    if persons > 0:
        drawn = rng.beta(mean * persons + 0.5, (1 - mean) * persons + 0.5, size=(shape[0], 1))
        centre = (mean * persons + 0.5) / (persons + 1)
    else:
        drawn, centre = np.full((shape[0], 1), mean), mean
    slope = centre * (1 - centre)  # d rate / d logit: turns a spread in rate units into logit units
    z = np.log(np.clip(drawn, 1e-12, 1 - 1e-12) / np.clip(1 - drawn, 1e-12, 1))
    beyond_chance = np.sqrt(max(sd**2 - slope / max(exposure, 1.0), 0.0))
    if beyond_chance > 0:
        z = z + rng.standard_normal((shape[0], 1)) * (beyond_chance / np.sqrt(k) / slope)
    if drift > 0:
        z = z + rng.standard_normal((shape[0], 1)) * (drift / slope) * np.arange(1, shape[1] + 1)
    if beyond_chance > 0:
        z = z + rng.standard_normal(shape) * (beyond_chance / slope)
    return np.broadcast_to(1.0 / (1.0 + np.exp(-z)), shape)


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
    with the same mean and variance (twenty times faster, and the same to well under a person in a thousand).

    A draw with no persons or a chance of 0 is 0 and takes nothing from the generator, so those are skipped:
    the same seed gives the same numbers as drawing them."""
    if np.ndim(p) == 0:
        if p <= 0.0:
            return np.zeros(n.shape, dtype=np.int64)
        if p < 1.0 and n.size and n.max() <= INVERSION_MAX_N:
            return binomial_by_inversion(rng, n, float(p))
        mean = n * float(p)
        variance = mean * (1.0 - float(p))
    else:
        mean = n * p
        variance = mean * (1.0 - p)
    wide = variance >= NORMAL_FROM_VARIANCE
    if not wide.any():
        return rng.binomial(n, p)
    noise = rng.standard_normal(n.shape)
    noise *= np.sqrt(variance, out=variance)
    noise += mean
    out = np.rint(noise, out=noise).astype(np.int64)
    np.clip(out, 0, n, out=out)
    narrow = ~wide
    if narrow.any():
        out[narrow] = rng.binomial(n[narrow], p if np.ndim(p) == 0 else p[narrow])
    return out


INVERSION_MAX_N = 400  # up to this many persons, one chance for all paths: a table of the distribution is quicker


def binomial_by_inversion(rng: np.random.Generator, n: np.ndarray, p: float) -> np.ndarray:
    """Exact binomial draws for small groups with one chance: one uniform per draw, looked up in the table of
    the cumulative distribution of each group size present. numpy's own sampler for these sizes inverts the
    same uniform by stepping through that distribution draw by draw, which made the small 'other' group the
    costliest part of a path; the table gives the same draws.

    As numpy does, a chance above one half draws the persons who stay, and an empty group takes no uniform.
    Row i of the table (size low + i) is shifted by 2i, so that one sorted search finds each draw inside its
    own row. Columns from the first one where every row has reached the largest uniform drawn are left out:
    no draw counts past it, so the draws are the same, and the search is over a third of the table or less (a
    sum of probabilities seldom reaches exactly 1, so leaving out the columns past 1 left none out). The table
    is first worked out only as far as ten standard deviations past the largest group's mean (its columns are
    the whole table's: a cumulative sum runs left to right), and whole only where that is not far enough."""
    if p > 0.5:
        return n - binomial_by_inversion(rng, n, 1.0 - p)
    out = np.zeros(n.shape, dtype=np.int64)
    some = n > 0
    if not some.any():
        return out
    n = n[some]
    low, top = int(n.min()), int(n.max())
    uniform = rng.random(n.shape)
    rows = 2.0 * np.arange(top - low + 1)[:, None]
    reach = uniform.max() + rows  # a draw in row i is (its uniform + 2i), at most this after rounding
    for columns in dict.fromkeys((min(top + 1, int(top * p + 10 * np.sqrt(top * p) + 12)), top + 1)):
        shifted = _shifted_cdf(low, top, p, columns) + rows
        reached = (shifted >= reach).all(axis=0)
        if reached.any():
            break
    width = int(np.argmax(reached)) + 1
    found = np.searchsorted(shifted[:, :width].ravel(), uniform + 2.0 * (n - low), side="left")
    out[some] = found - (n - low) * width
    return out


def _shifted_cdf(low: int, top: int, p: float, columns: int) -> np.ndarray:
    """The binomial distribution function of each group size from `low` to `top` (a row each) at 0, 1, ...,
    columns - 1; 1 from a row's own size on."""
    sizes, k = np.arange(low, top + 1)[:, None], np.arange(columns)[None, :]
    log_fact = np.concatenate(([0.0], np.cumsum(np.log(np.arange(1, top + 1)))))
    inside = k <= sizes
    spare = np.where(inside, sizes - k, 0)
    log_pmf = log_fact[sizes] - log_fact[k] - log_fact[spare] + k * np.log(p) + spare * np.log1p(-p)
    cdf = np.cumsum(np.where(inside, np.exp(log_pmf), 0.0), axis=1)
    cdf[k >= sizes] = 1.0
    return cdf


def forced_exits(
    rng: np.random.Generator, w: np.ndarray, m: np.ndarray, x: np.ndarray, out: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Exactly `out` persons leave, drawn without replacement from the women, men and X of each path: a
    multivariate hypergeometric draw, by its marginals (women from everyone, then X from the rest)."""
    women = rng.hypergeometric(w, m + x, out)
    other = rng.hypergeometric(x, m, out - women)
    return w - women, m - (out - women - other), x - other


def _paths_of_rates(rng: np.random.Generator, s: Scenario, shape: tuple[int, int]) -> tuple[np.ndarray, ...]:
    """Per path and year (stored year by year): women's and men's attrition, the women's hiring share and
    1 + growth. A growth the user moved from its calibrated value is a plan, kept on every path."""
    sp, (w0, m0, _) = s.spread, start_counts(s)
    k = max(sp.years, 1)
    hires_seen = s.attrition_women * w0 + s.attrition_men * m0 + max(s.growth, 0.0) * (w0 + m0)
    a_w = rate_paths(
        rng,
        s.attrition_women,
        sp.attrition_women,
        sp.attrition_women_drift,
        w0,
        k,
        shape,
        sp.measured_at("attrition_women", s.attrition_women),
    )
    a_m = rate_paths(
        rng,
        s.attrition_men,
        sp.attrition_men,
        sp.attrition_men_drift,
        m0,
        k,
        shape,
        sp.measured_at("attrition_men", s.attrition_men),
    )
    room = max(1.0 - s.hire_share_other, 1e-12)  # the women's hiring share is drawn as a fraction of the rest
    h_w = room * rate_paths(
        rng,
        s.hire_share / room,
        sp.hire_share / room,
        sp.hire_share_drift / room,
        hires_seen,
        k,
        shape,
        sp.measured_at("hire_share", s.hire_share),
    )
    planned = bool(sp.measured) and not sp.measured_at("growth", s.growth)
    sd, drift = (0.0, 0.0) if planned else (sp.growth, sp.growth_drift)
    growth = np.maximum(s.growth + _normal_paths(rng, sd, drift, k, shape), -1.0) + 1.0
    return tuple(np.ascontiguousarray(r.T) for r in (a_w, a_m, h_w, growth))


def simulate(s: Scenario, paths: int = 10_000, seed: int = 2030) -> Simulation:
    """Each path draws its rates (`rate_paths`) and then, year by year, the recursion of the deterministic
    path in whole persons: binomial exits; the size the growth wants; if more stayed, exactly the surplus
    leaves (`forced_exits`) and nobody is hired; otherwise the shortfall is hired, women binomially. The first
    step covers `first_step` of a year, as in `project`."""
    rng = np.random.default_rng(seed)
    steps = max(s.until, s.deadline) - s.start_year
    a_w, a_m, h_w, growth = _paths_of_rates(rng, s, (paths, steps))
    w0, m0, x0 = start_counts(s)
    w, m, x = (np.full(paths, c, dtype=np.int64) for c in (w0, m0, x0))
    with_x = x0 > 0 or s.hire_share_other > 0
    # with no hiring share for other, none is hired: a chance of 0 draws nothing (see `binomial`)
    p_x = np.clip(s.hire_share_other / np.maximum(1 - h_w, 1e-12), 0, 1) if s.hire_share_other > 0 else None
    shares = np.empty((steps + 1, paths))
    shares[0] = w / max(w0 + m0 + x0, 1)
    f = s.first_step
    for t in range(steps):
        part = f if t == 0 else 1.0  # the first step's fraction of a year: rates at a constant hazard
        aw, am = (a[t] if part == 1.0 else 1.0 - (1.0 - a[t]) ** part for a in (a_w, a_m))
        wanted = np.rint((w + m + x) * (growth[t] if part == 1.0 else growth[t] ** part)).astype(np.int64)
        w = w - binomial(rng, w, aw)
        m = m - binomial(rng, m, am)
        if with_x:
            x = x - binomial(rng, x, step_rate(s.attrition_other, part))
        surplus = w + m + x - wanted
        over = surplus > 0
        if over.any():
            w[over], m[over], x[over] = forced_exits(rng, w[over], m[over], x[over], surplus[over])
        hires = np.maximum(0, -surplus)
        new_w = binomial(rng, hires, h_w[t])
        new_x = binomial(rng, hires - new_w, p_x[t]) if p_x is not None else 0
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
