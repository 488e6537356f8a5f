"""evaluate() on a scenario worked by hand: 20 women and 80 men, 10% leave a year, the personnel stays at
100, so 10 are hired a year; two years from 2024 to the 2026 deadline, target 30%.

With half the hires women and women leaving as often as men:
  2025: 18 + 5 = 23 women of 100;  2026: 20.7 + 5 = 25.7 women of 100.
The hiring share that makes 30 women in 2026: 0.9 (18 + 10 h) + 10 h = 30, so h = 13.8 / 19.
Every hire a woman: 28 in 2025, 25.2 + 10 = 35.2 in 2026.
With women leaving at 15% (the baseline): 2025: 17 women, 72 men, 11 hired, 22.5 women;
2026: 19.125 women, 69.75 men, 11.125 hired, 24.6875 women: 24.6875%.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from di_metrics.analysis.evaluate import evaluate, rank_levers
from di_metrics.analysis.rank_model import RankScenario
from di_metrics.models.levers import ScenarioInput
from di_metrics.models.projection import Scenario

BASE = Scenario(
    start_year=2024,
    women=20,
    men=80,
    hire_share=0.2,
    attrition_women=0.15,
    attrition_men=0.1,
    growth=0.0,
    until=2026,
    target=0.30,
    deadline=2026,
)
HALF = ScenarioInput(hire_share=0.5)


def test_the_levers_over_the_baseline_with_retention():
    # a third fewer women leaving: 15% becomes 10%, so the path is the one worked above
    result = evaluate(BASE, HALF, retention=1 / 3, run=None)
    assert result.scenario.attrition_women == pytest.approx(0.10)
    assert result.path.women_share == pytest.approx([0.20, 0.23, 0.257])
    assert result.required == pytest.approx(13.8 / 19, abs=1e-6)
    assert result.full_hiring_share == pytest.approx(0.352)
    assert result.path.target_year is None
    assert result.simulation is None
    assert result.saved_params() == {
        "hire_share": 0.5,
        "attrition_women": pytest.approx(0.10),
        "attrition_men": 0.1,
        "growth": 0.0,
        "target": 0.30,
        "deadline": 2026,
    }


def test_the_decomposition_by_hand():
    result = evaluate(BASE, HALF, run=None)
    assert result.path.share_at_deadline == pytest.approx(0.246875)
    # hiring: the change with women leaving as often as men (25.7%); the attrition gap: the rest
    assert result.parts == pytest.approx({"total": 0.046875, "hiring": 0.057, "attrition_gap": -0.010125})
    assert result.baseline_path.share_at_deadline < result.path.share_at_deadline  # 20% of hires women


def test_saved_scenarios_compared_as_their_levers_pass_the_door_today():
    saved = [("half", {"hire_share": 0.5, "attrition_women": 0.1}), ("old", {"hire_share": 0.5, "deadline": 2020})]
    result = evaluate(BASE, ScenarioInput(), compared=saved, run=None)
    half, old = result.comparisons
    assert half.name == "half" and half.path.women_share == pytest.approx([0.20, 0.23, 0.257])
    assert old.scenario.deadline == BASE.deadline  # a deadline before the start year falls back to the baseline's
    assert old.scenario.hire_share == 0.5


def test_the_chance_comes_from_the_run_given():
    seen = []

    def run(s):
        seen.append(s)
        return "simulation"

    assert evaluate(BASE, HALF, run=run).simulation == "simulation"
    assert seen[0].hire_share == 0.5


RANKS = RankScenario(
    ladder="military",
    start_year=2024,
    stock=np.array([[10.0, 2.0, 1.0], [40.0, 20.0, 9.0]]),
    attrition=np.full((2, 3), 0.1),
    promotion=np.array([[0.1, 0.05, 0.0], [0.2, 0.1, 0.0]]),
    hire_ranks=np.array([[1.0, 0.0, 0.0], [1.0, 0.0, 0.0]]),
    hire_share=0.15,
    growth=0.0,
)


def test_the_rank_chart_and_the_decomposition_hire_as_the_scenario_does():
    """30% of hires women and 10% X: the rank model, which knows women and men only, hires women and men
    3 to 6, as the stock-flow model does, so one third; and the decomposition's promotion part is worked
    with that same rank model."""
    with_x = dataclasses.replace(BASE, hire_share_other=0.1)
    used = []

    def promotion(ranked, deadline):
        used.append(ranked)
        return 0.0123

    result = evaluate(
        with_x, ScenarioInput(hire_share=0.3, growth=0.02), parity=0.5, ranks=RANKS, run=None, promotion=promotion
    )
    assert result.ranked.hire_share == pytest.approx(1 / 3)
    assert (result.ranked.growth, result.ranked.parity) == (0.02, 0.5)
    assert used == [result.ranked]
    assert result.parts["promotion"] == 0.0123


def test_rank_levers_without_x_hires_keep_the_share():
    assert rank_levers(RANKS, dataclasses.replace(BASE, hire_share=0.4), 0.0).hire_share == 0.4
    assert rank_levers(RANKS, dataclasses.replace(BASE, hire_share=0.0, hire_share_other=1.0), 0.0).hire_share == 0.0


def test_no_rank_model_no_promotion_part_and_the_glide_path_follows_the_scenario():
    import datetime as dt

    from di_metrics.models.targets import Target

    lead = Target("women_total", "women_share", 0.30, dt.date(2030, 12, 31), dt.date(2022, 12, 31), 0.16)
    result = evaluate(BASE, ScenarioInput(target=0.25, deadline=2026), lead=lead, run=None)
    assert "promotion" not in result.parts and result.ranked is None
    assert (result.glide.target_value, result.glide.deadline) == (0.25, dt.date(2026, 12, 31))
    assert result.glide.baseline_value == 0.16
    assert result.years_ahead == 2
