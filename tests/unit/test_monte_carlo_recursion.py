"""The Monte Carlo follows its own model (docs/model.md, section 3): forced exits take exactly what the
recursion takes, no year both shrinks and hires, rates carry their counts' uncertainty, and a second
implementation written from the documentation alone gives the same distribution."""

from __future__ import annotations

import dataclasses
from math import comb

import numpy as np
import pytest

from di_metrics.models.projection import Scenario, Spread, project, rate_paths, simulate
from tests.support.university import university

CERTAIN = Spread(years=10**9)  # no spread, and counts so large that every Beta draw is the rate itself


def _mean_share(s: Scenario, paths: int, seed: int) -> np.ndarray:
    """The mean over paths of each year's share (the sorted rows hold every path)."""
    return simulate(s, paths, seed).sorted_shares.mean(axis=1)


def test_the_issues_figures_shrinking_without_attrition_stays_flat():
    """1,000 women, 5,000 men, nobody leaving, 90% women among hires, growth -5%: the personnel only shrinks,
    so nobody is hired and the share stays at 16.67%. Before, forced exits thinned at random and the
    shortfall was hired at 90% women: a median of 18.1% by 2030."""
    s = Scenario(
        start_year=2024, women=1000, men=5000, hire_share=0.9, attrition_women=0.0, attrition_men=0.0,
        attrition_other=0.0, growth=-0.05, until=2030, deadline=2030, spread=CERTAIN,
    )  # fmt: skip
    assert project(s).women_share == pytest.approx([1 / 6] * 7)
    sim = simulate(s, 4_000, seed=1)
    # a hypergeometric draw leaves the expected share where it is; its spread is a fraction of a point
    assert sim.sorted_shares.mean(axis=1) == pytest.approx([1 / 6] * 7, abs=5e-4)
    assert sim.percentiles[50][-1] == pytest.approx(1 / 6, abs=0.002)


def test_the_department_shrinking_without_attrition_stays_flat():
    """The department (19 women, 70 men) with the same levers: the issue measured a median of 30.6%."""
    scenarios, _, _ = university()
    s = dataclasses.replace(
        scenarios[2013], attrition_women=0.0, attrition_men=0.0, attrition_other=0.0, hire_share=0.9,
        growth=-0.05, until=2030, deadline=2030, target=0.3,
    )  # fmt: skip
    flat = 19 / 89
    assert project(s).share_at_deadline == pytest.approx(flat)
    sim = simulate(s, 4_000, seed=2)
    assert float(sim.sorted_shares[-1].mean()) == pytest.approx(flat, abs=0.005)
    # nobody is hired, so the 2030 personnel is a simple random sample of the 89: a hypergeometric chance
    size = 89
    for _ in range(2013, 2030):
        size = round(size * 0.95)
    chance = sum(comb(19, k) * comb(70, size - k) for k in range(19 + 1) if k >= 0.3 * size) / comb(89, size)
    assert sim.probability_target_met == pytest.approx(chance, abs=3 * np.sqrt(chance * (1 - chance) / 4_000))
    assert chance < 0.05  # the issue's Monte Carlo median alone was 30.6%


@pytest.mark.parametrize(
    ("growth", "attrition"),
    [(0.03, 0.08), (-0.2, 0.05)],  # every path hires every year / every path shrinks every year
)
def test_with_every_spread_at_zero_the_paths_mean_is_the_deterministic_path(growth, attrition):
    s = Scenario(
        start_year=2024, women=3000, men=12000, hire_share=0.4, attrition_women=attrition + 0.02,
        attrition_men=attrition, attrition_other=attrition, growth=growth, until=2031, deadline=2031, spread=CERTAIN,
    )  # fmt: skip
    assert _mean_share(s, 2_000, 3) == pytest.approx(project(s).women_share, abs=1e-3)


def test_a_measured_zero_rate_carries_the_uncertainty_of_its_counts():
    """0 exits of women in 3 years of 11: the Jeffreys posterior Beta(1/2, 33 + 1/2), not 0 on every path."""
    rng = np.random.default_rng(4)
    drawn = rate_paths(rng, 0.0, 0.0, 0.0, 11, 3, (20_000, 4), measured=True)
    assert (drawn > 0).all() and np.all(drawn == drawn[:, :1])  # one long-run rate per path, no spread between years
    posterior = np.random.default_rng(40).beta(0.5, 33.5, 200_000)  # Beta(1/2, 33 + 1/2), sampled apart
    for q in (0.5, 0.95):
        assert float(np.quantile(drawn[:, 0], q)) == pytest.approx(float(np.quantile(posterior, q)), rel=0.05)
    assert np.quantile(posterior, 0.95) > 0.05  # 0 of 33 is compatible with several percent
    # a lever set at 0 by hand ("no attrition") is a plan: 0 on every path
    assert np.all(rate_paths(rng, 0.0, 0.0, 0.0, 11, 3, (100, 4), measured=False) == 0.0)


def test_the_departments_zero_attrition_origins_are_not_certain():
    scenarios, _, _ = university()
    zero = [o for o, s in scenarios.items() if s.attrition_women == 0.0]
    assert zero  # the department has start years with no woman leaving in the three years before
    s = dataclasses.replace(scenarios[zero[0]], hire_share=0.0, growth=0.0, until=zero[0] + 5, deadline=zero[0] + 5)
    s = dataclasses.replace(s, spread=dataclasses.replace(s.spread, growth=0.0, growth_drift=0.0, hire_share=0.0))
    # no woman is hired: the share falls on a path exactly when a woman leaves
    sim = simulate(s, 2_000, seed=5)
    assert float(sim.sorted_shares[-1][0]) < s.women / (s.women + s.men) - 1e-9


def test_no_attrition_and_no_growth_gives_a_chance_consistent_with_the_flat_path():
    """Before, a growth lever of 0 kept the history's growth spread (5.4% a year): a flat path at 21% with a
    28% chance of 30% by 2030. Now a growth set by hand is a plan, kept on every path (docs/model.md)."""
    scenarios, _, _ = university()
    base = dataclasses.replace(scenarios[2013], until=2030, deadline=2030, target=0.3)
    s = dataclasses.replace(base, attrition_women=0.0, attrition_men=0.0, attrition_other=0.0, growth=0.0)
    sim = simulate(s, 4_000, seed=6)
    assert project(s).share_at_deadline == pytest.approx(19 / 89)
    assert sim.percentiles[5][-1] == sim.percentiles[95][-1] == pytest.approx(19 / 89)
    assert sim.probability_target_met == 0.0
    # left at its calibrated value, growth keeps the history's spread
    left = simulate(base, 4_000, seed=6)
    assert left.percentiles[95][-1] - left.percentiles[5][-1] > 0.05


# A second implementation, written from docs/model.md section 3 alone, path by path.


def _literal_rate(rng, p, sigma, delta, n, k, paths, years):
    a, b = p * k * n + 0.5, (1 - p) * k * n + 0.5
    c = a / (a + b)
    d = c * (1 - c)
    beyond = np.sqrt(max(sigma**2 - d / n, 0.0))
    logit = np.log(rng.beta(a, b, size=(paths, 1)))
    logit = logit - np.log1p(-np.exp(logit))
    t = np.arange(1, years + 1)
    logit = logit + rng.normal(size=(paths, 1)) * beyond / np.sqrt(k) / d
    logit = logit + rng.normal(size=(paths, 1)) * delta * t / d + rng.normal(size=(paths, years)) * beyond / d
    return 1 / (1 + np.exp(-logit))


def _literal(s: Scenario, paths: int, seed: int) -> np.ndarray:
    """The share at the last year on every path; women and men only, every lever left where it was measured."""
    rng = np.random.default_rng(seed)
    sp, k, years = s.spread, s.spread.years, s.until - s.start_year
    w0, m0 = round(s.women), round(s.men)
    first_hires = s.attrition_women * w0 + s.attrition_men * m0 + max(s.growth, 0) * (w0 + m0)
    a_w = _literal_rate(rng, s.attrition_women, sp.attrition_women, sp.attrition_women_drift, w0, k, paths, years)
    a_m = _literal_rate(rng, s.attrition_men, sp.attrition_men, sp.attrition_men_drift, m0, k, paths, years)
    h = _literal_rate(rng, s.hire_share, sp.hire_share, sp.hire_share_drift, first_hires, k, paths, years)
    t = np.arange(1, years + 1)
    g = s.growth + rng.normal(size=(paths, 1)) * sp.growth / np.sqrt(k)
    g = g + rng.normal(size=(paths, 1)) * sp.growth_drift * t
    g = g + rng.normal(size=(paths, years)) * sp.growth
    out = np.empty(paths)
    for i in range(paths):
        w, m = w0, m0
        for y in range(years):
            wanted = round((w + m) * (1 + max(g[i, y], -1)))
            w, m = w - rng.binomial(w, a_w[i, y]), m - rng.binomial(m, a_m[i, y])
            if w + m > wanted:
                gone = rng.multivariate_hypergeometric([w, m], w + m - wanted)
                w, m = w - gone[0], m - gone[1]
            else:
                women = rng.binomial(wanted - w - m, h[i, y])
                w, m = w + women, wanted - w - women
        out[i] = w / (w + m)
    return out


@pytest.mark.parametrize(("growth", "hire_share"), [(None, None), (-0.05, None), (-0.08, 0.9)])
def test_a_docs_literal_monte_carlo_gives_the_same_distribution(growth, hire_share):
    """The department calibrated on 2004-2013: levers left where measured; growth -5% set as a plan; growth -8%
    with 90% women among hires, where the old Monte Carlo hired in shrinking years (a median 4 pp too high)."""
    scenarios, _, _ = university()
    s = dataclasses.replace(scenarios[2013], until=2020, deadline=2020)
    if growth is not None:
        s = dataclasses.replace(s, growth=growth, spread=dataclasses.replace(s.spread, growth=0.0, growth_drift=0.0))
    if hire_share is not None:
        s = dataclasses.replace(s, hire_share=hire_share)
    ours = simulate(s, 4_000, seed=7).sorted_shares[-1]
    theirs = _literal(s, 2_000, seed=8)
    assert float(ours.mean()) == pytest.approx(float(theirs.mean()), abs=0.006)
    for q in (0.05, 0.5, 0.95):
        assert float(np.quantile(ours, q)) == pytest.approx(float(np.quantile(theirs, q)), abs=0.025)
