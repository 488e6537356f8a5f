"""The projection `project` prints (docs/cli.md): a scenario from the given options and calibration."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from di_metrics.analysis.calibration import Calibration, calibrate
from di_metrics.analysis.claims_notes import rates_claim
from di_metrics.analysis.evaluate import WhatIf, evaluate, rank_levers, ranks_shown
from di_metrics.analysis.rank_model import calibrate_ranks, project_ranks
from di_metrics.errors import InvalidChoice
from di_metrics.models.claim import Claim
from di_metrics.models.levers import ScenarioInput, check_start
from di_metrics.models.projection import Scenario, simulate
from di_metrics.models.rank_fold import RankFold
from di_metrics.queries.filters import Filters
from di_metrics.queries.privacy import output
from di_metrics.vocab import DEFAULT_DEADLINE, DEFAULT_TARGET, HORIZON

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

__all__ = [
    "REQUIRED_WITHOUT_DATABASE",
    "ProjectRun",
    "RankPoint",
    "project_run",
    "rank_path",
    "scenario_and_source",
    "scenario_from",
]

REQUIRED_WITHOUT_DATABASE = ("hire_share", "attrition_women", "attrition_men")


def scenario_from(conn: Connection | None, filters: Filters, given: dict[str, Any]) -> Scenario:
    """Given options over the calibrated baseline; with explicit start counts, no database is needed.

    Every lever passes the one door (di_metrics.models.levers): a refusal raises ScenarioRejected (a ValueError).
    """
    return scenario_and_source(conn, filters, given)[0]


def scenario_and_source(
    conn: Connection | None, filters: Filters, given: dict[str, Any]
) -> tuple[Scenario, Calibration | None]:
    """The scenario, and the calibration its rates come from (None without a database)."""
    calibration = None
    if conn is None:
        check_start(given.get("start_year"), {k: given[k] for k in ("women", "men", "other") if k in given})
    ScenarioInput.validated(given, given.get("start_year"))
    target = given.get("target", DEFAULT_TARGET)
    deadline = given.get("deadline", DEFAULT_DEADLINE)
    until = given.get("until", max(HORIZON, deadline))
    if conn is None:
        missing = [k for k in REQUIRED_WITHOUT_DATABASE if k not in given]
        if missing:
            options = ["--" + m.replace("_", "-") for m in missing]
            raise InvalidChoice("start_counts_missing", options=options)
        base = Scenario(
            start_year=given["start_year"],
            women=given["women"],
            men=given["men"],
            other=given.get("other", 0.0),
            hire_share=given["hire_share"],
            attrition_women=given["attrition_women"],
            attrition_men=given["attrition_men"],
            attrition_other=given.get("attrition_other", given["attrition_men"]),
            hire_share_other=given.get("hire_share_other", 0.0),
            growth=given.get("growth", 0.0),
            until=until,
            target=target,
            deadline=deadline,
        )
    else:
        calibration = calibrate(conn, filters, target=target, deadline=deadline, until=until)
        base = calibration.scenario
    # with the data's start year the deadline can be checked; the door's values (-0 made 0) go in
    scenario = dataclasses.replace(base, **ScenarioInput.validated(given, base.start_year).levers())
    _check(scenario)
    return scenario, calibration


def _check(s: Scenario) -> None:
    for name in ("hire_share", "hire_share_other", "attrition_women", "attrition_men", "attrition_other", "target"):
        value = getattr(s, name)
        if not 0 <= value <= 1:
            option = "--" + name.replace("_", "-")
            raise InvalidChoice("option_fraction", option=option, value=value)
    if s.hire_share + s.hire_share_other > 1:
        raise InvalidChoice("hire_shares_over_one")
    if s.growth <= -1:
        raise InvalidChoice("option_growth", option="--growth", value=s.growth)
    if min(s.women, s.men, s.other) < 0:
        raise InvalidChoice("start_counts_negative")
    if s.deadline < s.start_year or s.until < s.start_year:
        raise InvalidChoice("option_before_start", option="--deadline, --until")


@dataclass(frozen=True)
class RankPoint:
    """One rank in one year of the rank model's path (persons as fractions of the model)."""

    rank: str
    year: int
    women: float
    men: float
    women_share: float


@dataclass(frozen=True)
class ProjectRun:
    """Everything `python -m di_metrics project` shows: the scenario, where its rates come from ("own", "parent";
    None with start counts given), the Monte Carlo's size and seed, the figures, and the rank path if asked."""

    scenario: Scenario
    rates_from: str | None
    simulations: int
    seed: int
    result: WhatIf
    ranks: tuple[RankPoint, ...] | None = None
    ranks_fold: RankFold | None = None  # the rank path's top folded into the ranks below (models/rank_fold.py)
    rates: Claim | None = None  # where the rates come from, as a claim (None with start counts given)


@output
def project_run(
    conn: Connection | None, filters: Filters, given: dict[str, Any], ranks: str | None = None
) -> ProjectRun:
    """The projection for the given options; with `ranks` (a ladder), the rank model's path too."""
    scenario, calibration = scenario_and_source(conn, filters, given)
    source = None if calibration is None else calibration.rates_from
    simulations = int(given.get("simulations") or 0)
    seed = int(given.get("seed", 2030))
    run = (lambda s: simulate(s, simulations, seed)) if simulations > 0 else None
    result = evaluate(scenario, ScenarioInput(), run=run)
    path, fold = None, None
    if ranks is not None:
        if conn is None:
            raise InvalidChoice("ranks_need_database")
        path, fold = rank_path(conn, filters, ranks, scenario)
    rates = None if calibration is None else rates_claim(calibration, "cli")
    return ProjectRun(scenario, source, simulations, seed, result, path, fold, rates)


def rank_path(
    conn: Connection, filters: Filters, ladder: str, scenario: Scenario
) -> tuple[tuple[RankPoint, ...], RankFold | None]:
    """The rank model's path per rank and year, with the scenario's levers, as the What-if page's rank chart
    draws it, and the fold of a hidden top (None: none). Refused when a rank group of the ladder is hidden on
    the Overview's pipeline even with its top folded."""
    try:
        ranks = calibrate_ranks(conn, filters, ladder)
    except ValueError:
        raise InvalidChoice("ranks_hidden", ladder=ladder) from None
    if not ranks_shown(conn, filters, ranks):
        raise InvalidChoice("ranks_hidden", ladder=ladder)
    ranked = rank_levers(ranks, scenario, parity=0.0)
    frame = project_ranks(ranked, max(scenario.until, scenario.deadline))
    points = tuple(
        RankPoint(
            rank=row.rank_group,
            year=int(row.year),
            women=float(row.women_share * row.persons),
            men=float(row.persons - row.women_share * row.persons),
            women_share=float(row.women_share),
        )
        for row in frame.itertuples()
    )
    return points, ranks.fold
