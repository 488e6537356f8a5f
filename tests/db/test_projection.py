"""The projection model against closed forms, an independent recursion, and hand-built histories."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import numpy as np
import pytest

from di_metrics.analysis.calibration import calibrate
from di_metrics.cli.main import main
from di_metrics.models.projection import (
    Scenario,
    Spread,
    decompose,
    lever_needed,
    path_scenario,
    project,
    required_hire_share,
    simulate,
    what_it_takes,
)
from di_metrics.storage import store
from di_metrics.storage.ingest import import_file

BASE = Scenario(
    start_year=2025,
    women=170,
    men=830,
    hire_share=0.3,
    attrition_women=0.1,
    attrition_men=0.1,
    attrition_other=0.1,
    until=2040,
)


@pytest.mark.parametrize(("h", "a", "s0"), [(0.5, 0.1, 0.1), (0.2, 0.07, 0.17), (0.0, 0.15, 0.3), (1.0, 0.05, 0.0)])
def test_closed_form_with_equal_attrition_and_no_growth(h, a, s0):
    """s(t) = h + (s0 - h)(1 - a)^t."""
    s = Scenario(
        start_year=2025,
        women=1000 * s0,
        men=1000 * (1 - s0),
        hire_share=h,
        attrition_women=a,
        attrition_men=a,
        attrition_other=a,
    )
    path = project(s)
    for t, share in enumerate(path.women_share):
        assert share == pytest.approx(h + (s0 - h) * (1 - a) ** t)


def _recursion(w, m, x, h, hx, aw, am, ax, g, steps):
    """The model written out once more, independently of the package."""
    shares = [w / (w + m + x)]
    for _ in range(steps):
        n = w + m + x
        survivors = n - aw * w - am * m - ax * x
        hires = max(0.0, n * (1 + g) - survivors)
        w, m, x = w - aw * w + h * hires, m - am * m + (1 - h - hx) * hires, x - ax * x + hx * hires
        shares.append(w / (w + m + x))
    return shares


@pytest.mark.parametrize("growth", [0.02, -0.01, 0.0, -0.2])
def test_unequal_attrition_and_growth_match_an_independent_recursion(growth):
    s = Scenario(
        start_year=2025,
        women=11_000,
        men=55_000,
        other=130,
        hire_share=0.22,
        hire_share_other=0.002,
        attrition_women=0.113,
        attrition_men=0.094,
        attrition_other=0.09,
        growth=growth,
        until=2036,
    )
    expected = _recursion(11_000, 55_000, 130, 0.22, 0.002, 0.113, 0.094, 0.09, growth, 11)
    assert project(s).women_share == pytest.approx(expected)


def test_solver_round_trip_and_target_year():
    required = required_hire_share(BASE)
    assert 0 < required < 1
    hit = project(dataclasses.replace(BASE, hire_share=required))
    assert hit.share_at_deadline == pytest.approx(0.30, abs=1e-6)
    # With equal attrition the closed form gives h directly: 0.30 = h + (0.17 - h) 0.9^5
    assert required == pytest.approx((0.30 - 0.17 * 0.9**5) / (1 - 0.9**5), abs=1e-6)
    # 0.6 - 0.43 x 0.9^t: 0.213 (2026), 0.252, 0.287, 0.318 (2029)
    assert project(dataclasses.replace(BASE, hire_share=0.6)).target_year == 2029


def test_solver_says_plainly_when_no_share_is_enough():
    shrinking = dataclasses.replace(BASE, growth=-0.15, attrition_women=0.2, attrition_men=0.05)
    assert required_hire_share(shrinking) is None
    full = project(dataclasses.replace(shrinking, hire_share=1.0)).share_at_deadline
    assert full < 0.30
    # Women never leave: with no women hired the share stays at 17%, above a 15% target.
    assert required_hire_share(dataclasses.replace(BASE, target=0.15, attrition_women=0.0)) == 0.0


def test_monte_carlo_properties():
    s = dataclasses.replace(BASE, spread=Spread(0.02, 0.01, 0.01, 0.005), until=2036)
    sim = simulate(s, 10_000, seed=7)
    path = project(s)
    for i in range(len(sim.years)):
        assert sim.percentiles[5][i] <= path.women_share[i] <= sim.percentiles[95][i]
        assert sim.percentiles[50][i] == pytest.approx(path.women_share[i], abs=0.006)
    assert simulate(s, 10_000, seed=7) == sim
    assert simulate(s, 10_000, seed=8) != sim
    assert simulate(dataclasses.replace(s, hire_share=0.9), 2_000).probability_target_met > 0.99
    assert simulate(dataclasses.replace(s, hire_share=0.05), 2_000).probability_target_met < 0.01
    assert np.all(np.diff([sim.percentiles[95][i] - sim.percentiles[5][i] for i in (1, 5, 10)]) > 0)  # fan widens


@pytest.mark.parametrize(("low", "high", "p"), [(0, 1, 0.5), (100, 160, 0.09), (0, 400, 0.02), (390, 400, 0.97)])
def test_small_group_draws_follow_the_binomial(low, high, p):
    """The table sampler for small groups against the closed-form binomial distribution (math.comb), and
    draw for draw against numpy's own sampler, which inverts the same one uniform per draw."""
    import math

    from di_metrics.models.projection import binomial_by_inversion

    sizes = np.random.default_rng(1).integers(low, high + 1, 200_000)
    drawn = binomial_by_inversion(np.random.default_rng(5), sizes, p)
    assert np.all((drawn >= 0) & (drawn <= sizes))
    size = int(sizes[0])
    mine = drawn[sizes == size]
    expected = np.array([math.comb(size, k) * p**k * (1 - p) ** (size - k) for k in range(size + 1)])
    seen = np.bincount(mine, minlength=size + 1) / len(mine)
    assert np.abs(np.cumsum(seen) - np.cumsum(expected)).max() < 5 / np.sqrt(len(mine))  # Kolmogorov-Smirnov
    if size * p < 30:  # numpy inverts below 30 expected events a draw (BTPE above)
        same = np.random.default_rng(5).binomial(sizes, p)
        assert np.mean(same == drawn) > 0.9999


@pytest.mark.parametrize("target", [0.12, 0.2, 0.25, 0.3, 0.45])
@pytest.mark.parametrize("deadline", [2026, 2030, 2036, 2019])
def test_one_set_of_paths_serves_every_target_and_deadline(target, deadline):
    """The dashboard reuses one Monte Carlo run while the target or deadline moves; the chance must not change."""
    s = dataclasses.replace(BASE, spread=Spread(0.02, 0.01, 0.01, 0.005), until=2036, target=target, deadline=deadline)
    own_run = simulate(s, 4_000, seed=3)
    reused = simulate(path_scenario(s), 4_000, seed=3).for_target(target, deadline)
    assert reused == own_run
    assert reused.probability_target_met == own_run.probability_target_met
    # and the chance is the share of paths at or above the target in the deadline year, counted directly
    if deadline in own_run.years:
        at_deadline = own_run.sorted_shares[deadline - own_run.years[0]]
        assert own_run.probability_target_met == pytest.approx(float(np.mean(at_deadline >= target)), abs=1e-12)
    else:
        assert own_run.probability_target_met == 0.0


def test_decomposition_adds_up():
    parts = decompose(dataclasses.replace(BASE, attrition_women=0.14))
    assert parts["hiring"] + parts["attrition_gap"] == pytest.approx(parts["total"])
    assert parts["attrition_gap"] < 0 < parts["hiring"]


def _steady_history(tmp_path):
    """Year-end snapshots 2020-2024 of 100 women and 400 men. Every year 10 women and 20 men leave
    (attrition 0.10 and 0.05) and 10 women and 20 men join (hiring share 1/3, no growth), except in
    2024, when 20 women and 10 men join (the year the backtest must miss)."""
    women, men, nxt = [f"W{i}" for i in range(100)], [f"M{i}" for i in range(400)], [1000]
    lines = ["snapshot_date,person_id,gender,org_unit,branch"]

    def new(prefix, count):
        ids = [f"{prefix}{nxt[0] + i}" for i in range(count)]
        nxt[0] += count
        return ids

    for year in range(2020, 2025):
        if year > 2020:
            hires_w, hires_m = (20, 10) if year == 2024 else (10, 20)
            women = women[10:] + new("W", hires_w)
            men = men[20:] + new("M", hires_m)
        lines += [f"{year}-12-31,{p},F,U1,B1" for p in women] + [f"{year}-12-31,{p},M,U1,B1" for p in men]
    path = tmp_path / "steady.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_calibration_recovers_the_rates(engine, tmp_path):
    import_file(engine, "workforce", _steady_history(tmp_path))
    with store.connect(engine) as conn:
        cal = calibrate(conn, last_year=2023)
    s = cal.scenario
    assert list(cal.rates["year"]) == [2021, 2022, 2023]
    assert (s.start_year, s.women, s.men) == (2023, 100, 400)
    assert s.attrition_women == pytest.approx(0.10) and s.attrition_men == pytest.approx(0.05)
    assert s.hire_share == pytest.approx(1 / 3) and s.growth == pytest.approx(0.0)
    assert s.spread.hire_share == pytest.approx(0.0)


def test_cli_project_without_a_database(capsys):
    args = [
        "project",
        "--start-year",
        "2025",
        "--women",
        "100",
        "--men",
        "900",
        "--hire-share",
        "0.5",
        "--attrition-women",
        "0.1",
        "--attrition-men",
        "0.1",
        "--simulations",
        "500",
        "--seed",
        "3",
        "--json",
    ]
    assert main(args) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["years"][0] == 2025 and doc["years"][5] == 2030
    assert doc["share_at_deadline"] == pytest.approx(0.5 - 0.4 * 0.9**5)
    assert doc["params"]["other"] == 0 and doc["params"]["attrition_other"] == 0.1 and doc["params"]["growth"] == 0
    assert doc["required_hire_share"] == pytest.approx((0.3 - 0.1 * 0.9**5) / (1 - 0.9**5), abs=1e-6)
    assert len(doc["p05"]) == len(doc["years"]) and 0 <= doc["probability_target_met"] <= 1
    assert main(args) == 0 and json.loads(capsys.readouterr().out) == doc


def test_cli_project_refuses_bad_levers(capsys):
    assert (
        main(
            [
                "project",
                "--start-year",
                "2025",
                "--women",
                "1",
                "--men",
                "9",
                "--hire-share",
                "1.5",
                "--attrition-women",
                "0.1",
                "--attrition-men",
                "0.1",
            ]
        )
        == 2
    )
    assert "--hire-share must be a fraction" in capsys.readouterr().err


def test_cli_project_calibrates_from_the_database(engine, tmp_path, capsys):
    import_file(engine, "workforce", _steady_history(tmp_path))
    url = engine.url.render_as_string(hide_password=False)
    assert main(["project", "--db", url, "--json", "--attrition-women", "0.05"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["params"]["start_year"] == 2024 and doc["params"]["attrition_women"] == 0.05
    assert doc["women"][0] == 110 and doc["params"]["hire_share"] == pytest.approx((1 / 3 + 1 / 3 + 2 / 3) / 3)


# One year from 200 women and 800 men, so each lever needed has a closed form:
# W1 = W0(1 - aW) + h (aW W0 + aM M0 + g N),  N1 = N (1 + g).
ONE_YEAR = Scenario(
    start_year=2025,
    women=200,
    men=800,
    hire_share=0.5,
    attrition_women=0.3,
    attrition_men=0.1,
    growth=0.0,
    until=2026,
    deadline=2026,
)


def test_the_womens_attrition_that_reaches_the_target():
    # T N = W0 - aW W0 (1 - h) + h aM M0  =>  aW = (200 + 40 - 220) / 100 = 0.2 (now 0.3: share 21%)
    s = dataclasses.replace(ONE_YEAR, target=0.22)
    assert lever_needed(s, "attrition_women", 0.0) == pytest.approx(0.2, abs=1e-6)
    assert lever_needed(dataclasses.replace(s, target=0.30), "attrition_women", 0.0) is None  # would need -0.6


def test_the_growth_that_reaches_the_target():
    # aW = aM = 0.1: W1 = 180 + 0.5 (100 + 1000 g), N1 = 1000 (1 + g); 25% when 230 + 500 g = 250 + 250 g: g = 0.08
    s = dataclasses.replace(ONE_YEAR, attrition_women=0.1, target=0.25)
    assert lever_needed(s, "growth", 0.5) == pytest.approx(0.08, abs=1e-6)
    assert lever_needed(dataclasses.replace(s, target=0.33), "growth", 0.5) is None  # 32% at g = 0.5
    assert lever_needed(dataclasses.replace(s, target=0.23), "growth", 0.5) == 0.0  # met already: no change


def test_the_hiring_share_needed_agrees_with_the_solver():
    s = dataclasses.replace(ONE_YEAR, target=0.25)
    assert lever_needed(s, "hire_share", 1.0) == pytest.approx(required_hire_share(s), abs=1e-6)
    takes = what_it_takes(dataclasses.replace(s, attrition_women=0.1))
    assert takes["hire_share"] == (0.5, required_hire_share(dataclasses.replace(s, attrition_women=0.1)), 1.0)
    assert takes["growth"][1] == pytest.approx(0.08, abs=1e-6)  # as in the closed form above


def test_a_fractional_first_step_worked_by_hand():
    """Data dated 31 January 2026: 334 of 365 days to the end of 2026. 100 women and 400 men, attrition 0.1 and
    0.05 a year, growth 2%, a third of hires women. Over the fraction f: women 100 (0.9)^f, men 400 (0.95)^f,
    and 500 (1.02)^f wanted; the difference is hired. Then a whole year as usual."""
    from di_metrics.models.scenario import start_of, step_rate

    assert start_of(dt.date(2026, 1, 31)) == (2025, 334 / 365) and start_of(dt.date(2025, 12, 31)) == (2025, 1.0)
    assert step_rate(0.1, 0.5) == pytest.approx(1 - 0.9**0.5)
    f = 334 / 365
    s = Scenario(
        start_year=2025, women=100, men=400, hire_share=1 / 3, attrition_women=0.1, attrition_men=0.05,
        attrition_other=0.1, growth=0.02, until=2027, deadline=2027, first_step=f,
    )  # fmt: skip
    w, m = 100 * 0.9**f, 400 * 0.95**f
    hires = 500 * 1.02**f - w - m
    w, m = w + hires / 3, m + 2 * hires / 3
    path = project(s)
    assert path.years == [2025, 2026, 2027]
    assert path.women[1] == pytest.approx(w) and path.men[1] == pytest.approx(m)
    n = w + m
    w2, m2 = w * 0.9, m * 0.95
    assert path.women[2] == pytest.approx(w2 + (n * 1.02 - w2 - m2) / 3)
    # the Monte Carlo with no spread follows it: its mean share at the end of 2026, within sampling error
    sim = simulate(s, paths=4_000, seed=3)
    assert sim.percentiles[50][1] == pytest.approx(w / (w + m), abs=0.01)


def _monthly_after_yearly(tmp_path):
    """The steady history, then a snapshot on 31 January 2025 that holds the same people as 31 December 2024."""
    path = _steady_history(tmp_path)
    lines = path.read_text().splitlines()
    last = [line.replace("2024-12-31", "2025-01-31") for line in lines if line.startswith("2024-12-31")]
    monthly = tmp_path / "monthly.csv"
    monthly.write_text("\n".join([lines[0], *last]) + "\n")
    return path, monthly


def test_a_monthly_import_keeps_the_current_year_and_the_required_share(engine, tmp_path):
    """Yearly snapshots to 31 December 2024, then the same people on 31 January 2025: the projection still
    holds 2025, the deadline may still be 2025, and the hiring share needed for 30% by 2030 moves by at most
    0.5 pp (the month less to get there)."""
    from di_metrics.models.levers import ScenarioInput

    yearly, monthly = _monthly_after_yearly(tmp_path)
    import_file(engine, "workforce", yearly)
    with store.connect(engine) as conn:
        before = calibrate(conn, target=0.3, deadline=2030).scenario
    import_file(engine, "workforce", monthly)
    with store.connect(engine) as conn:
        cal = calibrate(conn, target=0.3, deadline=2030)
    after = cal.scenario
    assert cal.start_date == dt.date(2025, 1, 31)
    assert 2025 in project(after).years and project(after).years[0] < 2025
    assert ScenarioInput.parse({"deadline": 2025}, after.start_year)[1] == []
    assert (after.women, after.men) == (before.women, before.men)
    assert abs(required_hire_share(after) - required_hire_share(before)) <= 0.005
