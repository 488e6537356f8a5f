"""What if: every figure of one scenario, decided once for the What-if page, the briefing and `project`.

`evaluate` is pure: it takes the calibrated baseline, the levers that passed the one door (`ScenarioInput`),
and what the database gave (`load_whatif`), and returns one frozen `WhatIf`. The model is docs/model.md.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from di_metrics.analysis.rank_model import RankScenario, promotion_effect
from di_metrics.models.levers import BY_FIELD, ScenarioInput
from di_metrics.models.projection import (
    Projection,
    Scenario,
    Simulation,
    decompose,
    path_scenario,
    project,
    required_hire_share,
    share_at_deadline,
    simulate,
    what_it_takes,
)
from di_metrics.models.targets import Target
from di_metrics.storage.scenarios import saved_levers

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from di_metrics.queries.filters import Filters

SIMULATIONS = 10_000
Run = Callable[[Scenario], Simulation]


def run_simulation(
    s: Scenario, paths: int = SIMULATIONS, simulate_paths: Callable[[Scenario, int], Simulation] = simulate
) -> Simulation:
    """Monte Carlo on what the paths depend on (`simulate_paths`: a cache may stand in), judged against the
    scenario's target and deadline, so moving the target or deadline reuses one run."""
    return simulate_paths(path_scenario(s), paths).for_target(s.target, s.deadline)


@dataclass(frozen=True)
class Compared:
    """A saved scenario beside the current one: its name, its levers over the baseline, and its path."""

    name: str
    scenario: Scenario
    path: Projection


@dataclass(frozen=True)
class WhatIf:
    """Every figure the What-if page shows for one set of levers."""

    base: Scenario
    scenario: Scenario
    path: Projection
    baseline_path: Projection
    required: float | None  # the women's share of hires that meets the target; None: none up to all hires
    full_hiring_share: float  # the share at the deadline if every hire (but X) were a woman
    simulation: Simulation | None
    takes: dict[str, tuple[float, float | None, float]]
    parts: dict[str, float]  # decomposition of the change to the deadline, with promotion when ranks are modelled
    ranked: RankScenario | None  # the rank model with the scenario's levers; None where it is refused
    glide: Target | None  # the leading target re-aimed at the scenario's target and deadline
    comparisons: tuple[Compared, ...] = ()

    @property
    def years_ahead(self) -> int:
        """How far ahead the deadline lies, for the track record's word on the chance."""
        return self.scenario.deadline - self.base.start_year

    def saved_params(self) -> dict[str, float | int]:
        """The levers as a saved scenario stores them (women's attrition after the retention lever)."""
        return {field: getattr(self.scenario, field) for field in BY_FIELD} | {"deadline": self.scenario.deadline}


def rank_levers(ranks: RankScenario, s: Scenario, parity: float) -> RankScenario:
    """The rank model with the scenario's levers. It knows women and men only, so its hiring share is the
    women's share of the hires who are women or men: the ratio the stock-flow model hires them in."""
    binary = 1.0 - s.hire_share_other
    hire_share = min(1.0, s.hire_share / binary) if binary > 0 else 0.0
    return dataclasses.replace(ranks, hire_share=hire_share, growth=s.growth, parity=parity)


def evaluate(
    base: Scenario,
    given: ScenarioInput,
    *,
    retention: float = 0.0,
    parity: float = 0.0,
    ranks: RankScenario | None = None,
    compared: Sequence[tuple[str, Any]] = (),
    lead: Target | None = None,
    run: Run | None = run_simulation,
    promotion: Callable[[RankScenario, int], float] = promotion_effect,
) -> WhatIf:
    """The scenario (given levers over the baseline, women's attrition lowered by `retention`), its path,
    the hiring it needs, its chance (`run`; None: no Monte Carlo), the decomposition, the rank model at
    promotion `parity`, and the saved scenarios `compared` as (name, stored params)."""
    scenario = dataclasses.replace(base, **given.levers()).with_retention_improvement(retention)
    ranked = rank_levers(ranks, scenario, parity) if ranks is not None else None
    parts = decompose(scenario)
    if ranked is not None:
        parts["promotion"] = promotion(ranked, scenario.deadline)
    glide = None
    if lead is not None:
        glide = dataclasses.replace(lead, target_value=scenario.target, deadline=dt.date(scenario.deadline, 12, 31))
    return WhatIf(
        base=base,
        scenario=scenario,
        path=project(scenario),
        baseline_path=project(base),
        required=required_hire_share(scenario),
        full_hiring_share=share_at_deadline(scenario, 1.0 - scenario.hire_share_other),
        simulation=run(scenario) if run is not None else None,
        takes=what_it_takes(scenario),
        parts=parts,
        ranked=ranked,
        glide=glide,
        comparisons=tuple(_compared(base, name, params) for name, params in compared),
    )


def _compared(base: Scenario, name: str, params: Any) -> Compared:
    """A saved scenario as its levers pass the door today; those that no longer do stay at the baseline."""
    other = dataclasses.replace(base, **saved_levers(params, base.start_year)[0])
    return Compared(name, other, project(other))


# The database reads evaluate needs, in one place.


@dataclass(frozen=True)
class WhatIfData:
    """What the database gives the What-if page beside the calibrated baseline: the rank model of the chosen
    ladder (None where it is refused), the leading target and the saved scenarios (name, stored params)."""

    ranks: RankScenario | None
    lead: Target | None
    saved: tuple[tuple[str, Any], ...]


def ranks_shown(conn: Connection, filters: Filters, ranks: RankScenario) -> bool:
    """The one privacy decision on the rank model: it may be shown only when somebody is on the ladder and the
    Overview's pipeline shows every rank group of it (its path would otherwise show what the Overview hides)."""
    from di_metrics.queries.workforce import pipeline, snapshot_dates

    shown = pipeline(conn, filters, snapshot_dates(conn)[-1])
    return bool(ranks.stock.sum() > 0) and not shown[shown["value"].isin(ranks.ranks)]["suppressed"].any()


def load_ranks(conn: Connection, filters: Filters, ladder: str) -> RankScenario | None:
    """The rank model of one ladder, or None where there is none or it may not be shown (ranks_shown)."""
    from di_metrics.analysis.rank_model import calibrate_ranks

    try:
        ranks = calibrate_ranks(conn, filters, ladder)
    except ValueError:
        return None
    return ranks if ranks_shown(conn, filters, ranks) else None


def load_whatif(conn: Connection, filters: Filters, ladder: str) -> WhatIfData:
    """Everything evaluate needs from the database for a selection and a ladder, beside its calibration."""
    from di_metrics.queries.status import leading_target
    from di_metrics.storage.scenarios import list_scenarios
    from di_metrics.storage.targets import load_targets

    return WhatIfData(
        ranks=load_ranks(conn, filters, ladder),
        lead=leading_target(load_targets(conn), filters),
        saved=tuple((s.name, s.params) for s in list_scenarios(conn)),
    )


__all__ = [
    "SIMULATIONS",
    "Compared",
    "WhatIf",
    "WhatIfData",
    "evaluate",
    "load_ranks",
    "load_whatif",
    "rank_levers",
    "ranks_shown",
    "run_simulation",
]
