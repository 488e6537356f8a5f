"""The lever frontier: every mix of the women's share of hires and women's attrition that meets the target.

Pure: the deterministic projection only. The share at the deadline rises with the hiring share and falls
with women's attrition (a woman who leaves is replaced by a hire that is a woman only with the hiring
share), so for each hiring share there is one highest attrition that still meets the target, found by
regula falsi within a bracket (`last_meeting`). The frontier runs from the hiring share that needs no
attrition at all to the one that meets the target even if every woman left each year (or to all hires women).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from di_metrics.models.projection import Scenario, lever_needed, project, required_hire_share

__all__ = [
    "DEFAULT_POINTS",
    "SHARE_TOLERANCE",
    "SOLVER_TOLERANCE",
    "Frontier",
    "LeverPoint",
    "attrition_allowed",
    "frontier",
    "last_meeting",
    "lever_frontier",
    "point",
    "single_lever_points",
]

SOLVER_TOLERANCE = 1e-9
SHARE_TOLERANCE = 1e-6  # the hiring-share solver stops within 1e-7; a ten-thousandth of a point is "met"
DEFAULT_POINTS = 41


@dataclass(frozen=True)
class LeverPoint:
    """One mix of the two levers, with the people behind it (yearly means from the start to the deadline)."""

    hire_share: float
    attrition_women: float
    women_hired_per_year: float
    leavers_avoided_per_year: float
    share_at_deadline: float

    def as_dict(self) -> dict[str, float]:
        return dataclasses.asdict(self)


def point(s: Scenario, hire_share: float, attrition_women: float, reference_attrition: float) -> LeverPoint:
    """The projection of one mix: women hired per year, and women's exits avoided against a reference rate."""
    mix = dataclasses.replace(s, hire_share=hire_share, attrition_women=attrition_women, until=s.deadline)
    path = project(mix)
    years = len(path.years) - 1
    hired = avoided = 0.0
    for before, after in zip(path.women, path.women[1:], strict=False):
        hired += after - before * (1 - attrition_women)
        avoided += (reference_attrition - attrition_women) * before
    return LeverPoint(
        hire_share,
        attrition_women,
        hired / years if years else 0.0,
        avoided / years if years else 0.0,
        float(path.share_at_deadline or 0.0),
    )


def attrition_allowed(s: Scenario, hire_share: float) -> float | None:
    """The highest women's attrition (0 to 1) that still meets the target with this hiring share; None if none."""

    def short(a: float) -> float:  # how far the share at the deadline falls short of the target
        mix = dataclasses.replace(s, hire_share=hire_share, attrition_women=a, until=s.deadline)
        return s.target - (project(mix).share_at_deadline or 0.0)

    at_zero = short(0.0)
    if at_zero > SHARE_TOLERANCE:
        return None
    if at_zero > 0:  # met only within the hiring-share solver's tolerance: no room for attrition
        return 0.0
    at_one = short(1.0)
    if at_one <= 0:
        return 1.0
    return last_meeting(short, 0.0, at_zero, 1.0, at_one)


def last_meeting(short: Callable[[float], float], good: float, at_good: float, bad: float, at_bad: float) -> float:
    """Where `short` turns from meeting (<= 0, at `good`) to falling short (> 0, at `bad`), to SOLVER_TOLERANCE,
    on the meeting side. Regula falsi with the Illinois step: on these smooth, monotone curves it needs about a
    third of bisection's projections (41 points a frontier, on every move of a lever), with the same bracket.
    A step that does not halve the bracket is followed by a bisection step, so it never needs more than twice
    bisection's steps, whatever the curve."""
    kept = 0  # +1: the meeting end moved last, -1: the short end did
    width = abs(bad - good)
    slow = False
    while width > SOLVER_TOLERANCE:
        x = (good + bad) / 2
        if not slow:
            secant = good - at_good * (bad - good) / (at_bad - at_good)
            x = secant if min(good, bad) < secant < max(good, bad) else x
        at_x = short(x)
        if at_x <= 0:
            good, at_good = x, at_x
            at_bad = at_bad / 2 if kept == 1 else at_bad
            kept = 1
        else:
            bad, at_bad = x, at_x
            at_good = at_good / 2 if kept == -1 else at_good
            kept = -1
        width, before = abs(bad - good), width
        slow = not slow and width > before / 2
    return good


def frontier(s: Scenario, points: int = DEFAULT_POINTS, reference: float | None = None) -> list[LeverPoint]:
    """The curve, from the lowest feasible hiring share to the highest that still matters; [] if out of reach.

    Leavers avoided count against `reference`, the women's attrition of today (default: the scenario's)."""
    reference = s.attrition_women if reference is None else reference
    lowest = required_hire_share(dataclasses.replace(s, attrition_women=0.0))
    if lowest is None:
        return []
    highest = required_hire_share(dataclasses.replace(s, attrition_women=1.0))
    highest = 1.0 - s.hire_share_other if highest is None else highest
    curve = []
    for i in range(points):
        h = lowest + (highest - lowest) * i / max(points - 1, 1)
        a = attrition_allowed(s, h)
        if a is not None:
            curve.append(point(s, h, a, reference))
    return curve


def single_lever_points(s: Scenario) -> dict[str, LeverPoint | None]:
    """What each lever alone would take from the scenario's mix: the hiring share, then women's attrition."""
    hire = required_hire_share(s)
    attrition = lever_needed(s, "attrition_women", 0.0)
    return {
        "hire_share": None if hire is None else point(s, hire, s.attrition_women, s.attrition_women),
        "attrition_women": None if attrition is None else point(s, s.hire_share, attrition, s.attrition_women),
    }


@dataclass(frozen=True)
class Frontier:
    """The curve for one scenario, today's mix on it, and what each lever alone would take (None: out of reach)."""

    target: float
    deadline: int
    start_year: int
    points: tuple[LeverPoint, ...]  # lowest feasible hiring share first; empty when the target is out of reach
    today: LeverPoint
    hire_alone: LeverPoint | None
    attrition_alone: LeverPoint | None


def lever_frontier(s: Scenario, today: Scenario | None = None, points: int = DEFAULT_POINTS) -> Frontier:
    """The frontier with its marked points; `today` is the calibrated mix (default: the scenario)."""
    today = today or s
    now = dataclasses.replace(s, hire_share=today.hire_share, attrition_women=today.attrition_women)
    singles = single_lever_points(now)
    return Frontier(
        target=s.target,
        deadline=s.deadline,
        start_year=s.start_year,
        points=tuple(frontier(s, points, today.attrition_women)),
        today=point(now, now.hire_share, now.attrition_women, now.attrition_women),
        hire_alone=singles["hire_share"],
        attrition_alone=singles["attrition_women"],
    )
