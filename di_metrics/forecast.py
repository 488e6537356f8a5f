"""The `project` document of DESIGN section 5: a scenario from given options and calibration, and its results."""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy.engine import Connection

from di_metrics.calibration import calibrate
from di_metrics.filters import Filters
from di_metrics.projection import Scenario, project, required_hire_share, share_at_deadline, simulate

DEFAULT_TARGET, DEFAULT_DEADLINE, HORIZON = 0.30, 2030, 2040
LEVERS = (
    "hire_share",
    "hire_share_other",
    "attrition_women",
    "attrition_men",
    "attrition_other",
    "growth",
    "until",
    "target",
    "deadline",
)
REQUIRED_WITHOUT_DATABASE = ("hire_share", "attrition_women", "attrition_men")


def scenario_from(conn: Connection | None, filters: Filters, given: dict[str, Any]) -> Scenario:
    """Given options over the calibrated baseline; with explicit start counts, no database is needed."""
    return scenario_and_source(conn, filters, given)[0]


def scenario_and_source(
    conn: Connection | None, filters: Filters, given: dict[str, Any]
) -> tuple[Scenario, str | None]:
    """The scenario, and where its calibrated rates come from ("own" or "parent"; None without a database)."""
    source = None
    target = given.get("target", DEFAULT_TARGET)
    deadline = given.get("deadline", DEFAULT_DEADLINE)
    until = given.get("until", max(HORIZON, deadline))
    if conn is None:
        missing = [k for k in REQUIRED_WITHOUT_DATABASE if k not in given]
        if missing:
            raise ValueError(
                "with explicit start counts, give " + ", ".join(f"--{m.replace('_', '-')}" for m in missing)
            )
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
        base, source = calibration.scenario, calibration.rates_from
    scenario = dataclasses.replace(base, **{k: given[k] for k in LEVERS if k in given})
    _check(scenario)
    return scenario, source


def _check(s: Scenario) -> None:
    for name in ("hire_share", "hire_share_other", "attrition_women", "attrition_men", "attrition_other", "target"):
        value = getattr(s, name)
        if not 0 <= value <= 1:
            raise ValueError(f"--{name.replace('_', '-')} must be a fraction between 0 and 1, not {value}")
    if s.hire_share + s.hire_share_other > 1:
        raise ValueError("--hire-share and --hire-share-other add up to more than 1")
    if s.growth <= -1:
        raise ValueError("--growth must be above -1")
    if min(s.women, s.men, s.other) < 0:
        raise ValueError("start counts cannot be negative")
    if s.deadline < s.start_year or s.until < s.start_year:
        raise ValueError("--deadline and --until must not lie before the start year")


def project_document(conn: Connection | None, filters: Filters, given: dict[str, Any]) -> dict[str, Any]:
    """Everything `python -m di_metrics project` prints."""
    scenario, source = scenario_and_source(conn, filters, given)
    path = project(scenario)
    simulations = int(given.get("simulations") or 0)
    seed = int(given.get("seed", 2030))
    required = required_hire_share(scenario)
    doc: dict[str, Any] = {
        "params": {**scenario.params(), "simulations": simulations, "seed": seed},
        "rates_from": source,
        "years": path.years,
        "women": path.women,
        "men": path.men,
        "women_share": path.women_share,
        "p05": None,
        "p50": None,
        "p95": None,
        "share_at_deadline": path.share_at_deadline,
        "target_year": path.target_year,
        "required_hire_share": required,
        "share_at_full_hiring": share_at_deadline(scenario, 1.0 - scenario.hire_share_other),
        "probability_target_met": None,
    }
    if simulations > 0:
        sim = simulate(scenario, simulations, seed)
        doc.update(
            p05=sim.percentiles[5],
            p50=sim.percentiles[50],
            p95=sim.percentiles[95],
            probability_target_met=sim.probability_target_met,
        )
    return doc
