"""Allocation: the organisation's target met by its parts, each raising its women's share of hires equally.

Each part (a branch or personnel category) is calibrated on its own and projected on its own; the
organisation is their sum. Equal effort: every part raises its hiring share by the same number of points
(a part that reaches all hires women stays there), and bisection finds the points that make the sum reach
the target at the deadline. Exempt units keep their own hiring share and still count in the sum, so the
other parts make up for them. A part whose calibration would show a group below the minimum size is folded
into one "other" part, with the next-smallest part too when it would otherwise stand alone.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from di_metrics.analysis.calibration import OWN, CannotProject, ScopeTooSmall, calibrate, require_flows
from di_metrics.analysis.claims_notes import rates_claim
from di_metrics.errors import InvalidChoice
from di_metrics.models.claim import Claim
from di_metrics.models.projection import Scenario, project
from di_metrics.queries.filters import Filters
from di_metrics.queries.privacy import output
from di_metrics.queries.status import leading_target
from di_metrics.queries.workforce import dimension_values
from di_metrics.storage.targets import load_targets
from di_metrics.vocab import BRANCH, CATEGORY, CLI_NAME, DEFAULT_DEADLINE, DEFAULT_TARGET, HORIZON, ORG_UNIT

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

__all__ = [
    "EXEMPT",
    "OTHER",
    "SOLVER_TOLERANCE",
    "SPLITS",
    "Allocation",
    "ExemptTooSmall",
    "Part",
    "PartShare",
    "Split",
    "allocate",
    "allocation",
    "allocation_for",
    "calibrated_parts",
    "calibrated_split",
    "equal_effort",
    "first_year_hires",
    "organisation_share",
    "part_row",
    "raised",
]

SPLITS = {CLI_NAME[d]: d for d in (BRANCH, CATEGORY)}  # --by branch or category
OTHER, EXEMPT = "other", "exempt"
SOLVER_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Part:
    """One row: its calibrated scenario, whether it is exempt (keeps its hiring share), and where its rates come
    from (`calibration.OWN`, `OWN_SHOWN` or `PARENT`)."""

    value: str
    scenario: Scenario
    exempt: bool = False
    rates_from: str = OWN
    borrowed: tuple[str, ...] = ()  # the rates taken from the wider population
    rates: Claim | None = None  # where its rates come from, as the table says it (analysis/claims_notes.py)


def first_year_hires(s: Scenario) -> float:
    """The hires of the first projected year: the model's measure of a part's weight in hiring."""
    n = s.women + s.men + s.other
    survivors = n - s.attrition_women * s.women - s.attrition_men * s.men - s.attrition_other * s.other
    return max(0.0, n * (1 + s.growth) - survivors)


def raised(s: Scenario, points: float) -> Scenario:
    """A part's scenario with its hiring share raised by some points, kept between 0 and all hires."""
    return dataclasses.replace(s, hire_share=min(max(s.hire_share + points, 0.0), 1.0 - s.hire_share_other))


def _at_deadline(s: Scenario) -> tuple[float, float]:
    path = project(dataclasses.replace(s, until=s.deadline))
    i = s.deadline - s.start_year
    return path.women[i], path.women[i] + path.men[i] + path.other[i]


def organisation_share(parts: list[Part], points: float) -> float:
    """The sum of the parts' projections at the deadline, the non-exempt ones raised by `points`."""
    women = people = 0.0
    for p in parts:
        w, n = _at_deadline(p.scenario if p.exempt else raised(p.scenario, points))
        women, people = women + w, people + n
    return women / people if people else 0.0


def equal_effort(parts: list[Part], target: float) -> float | None:
    """The points every non-exempt part adds to its hiring share so that the sum meets the target; None if
    even all hires women in every part do not."""
    if organisation_share(parts, 1.0) < target:
        return None
    low, high = -1.0, 1.0
    if organisation_share(parts, low) >= target:
        return low
    while high - low > SOLVER_TOLERANCE:
        mid = (low + high) / 2
        low, high = (mid, high) if organisation_share(parts, mid) < target else (low, mid)
    return high


@dataclass(frozen=True)
class PartShare:
    """One part as the CLI and the page show it: shares only, no counts (None: unknown, or no target reach).
    A new figure per part is a new field here; the CLI's document lists every field in order."""

    value: str
    exempt: bool
    share_now: float | None
    hire_share_now: float
    share_of_hires: float | None
    hire_share_needed: float | None
    share_at_deadline: float | None
    rates_from: str
    rates_borrowed: tuple[str, ...]


@dataclass(frozen=True)
class Allocation:
    """The equal effort (None: out of reach even with all hires women), each part, and the organisation's sum."""

    target: float
    deadline: int
    effort_points: float | None
    parts: tuple[PartShare, ...]
    organisation_share_now: float | None
    organisation_share_at_deadline: float | None
    organisation_share_at_deadline_now: float
    by: str | None = None  # the split (branch or category) when made from a selection
    scenarios: tuple[Scenario, ...] = ()  # each part's calibrated scenario, for the claims' checks (no document)
    rates: tuple[Claim | None, ...] = ()  # each part's claim of where its rates come from (no document)


def part_row(part: Part, points: float | None, all_hires: float) -> PartShare:
    """One part's shares now, with the effort, and at the deadline."""
    s = part.scenario
    needed = None if points is None else (s if part.exempt else raised(s, points))
    share = None
    if needed is not None:
        w, n = _at_deadline(needed)
        share = w / n if n else None
    n_now = s.women + s.men + s.other
    return PartShare(
        value=part.value,
        exempt=part.exempt,
        share_now=s.women / n_now if n_now else None,
        hire_share_now=s.hire_share,
        share_of_hires=first_year_hires(s) / all_hires if all_hires else None,
        hire_share_needed=None if needed is None else needed.hire_share,
        share_at_deadline=share,
        rates_from=part.rates_from,
        rates_borrowed=tuple(part.borrowed),
    )


@output
def allocation(parts: list[Part], target: float, deadline: int) -> Allocation:
    """The allocation for parts already calibrated (pure)."""
    parts = [dataclasses.replace(p, scenario=dataclasses.replace(p.scenario, deadline=deadline)) for p in parts]
    points = equal_effort(parts, target)
    all_hires = sum(first_year_hires(p.scenario) for p in parts)
    return Allocation(
        target=target,
        deadline=deadline,
        effort_points=points,
        parts=tuple(part_row(p, points, all_hires) for p in parts),
        organisation_share_now=_share_now(parts),
        organisation_share_at_deadline=None if points is None else organisation_share(parts, points),
        organisation_share_at_deadline_now=organisation_share(parts, 0.0),
        scenarios=tuple(p.scenario for p in parts),
        rates=tuple(p.rates for p in parts),
    )


def _share_now(parts: list[Part]) -> float | None:
    women = sum(p.scenario.women for p in parts)
    people = sum(p.scenario.women + p.scenario.men + p.scenario.other for p in parts)
    return women / people if people else None


class ExemptTooSmall(CannotProject):
    """The exempt units are too few people to be modelled apart without showing them."""

    reason = "allocation.exempt_too_small"


def _shown(conn: Connection, filters: Filters) -> bool:
    """Whether the population's latest figures pass the disclosure rules (the same test every view uses)."""
    from di_metrics.queries.workforce import share_series

    latest = share_series(conn, filters).tail(1)
    return not latest.empty and not bool(latest["suppressed"].iloc[0] or latest["headcount_hidden"].iloc[0])


def _part(conn: Connection, filters: Filters, value: str, until: int, own_shown: bool = False) -> Part | None:
    """A calibrated part, or None when it cannot be shown; `own_shown` keeps its own shown rates (exempt units)."""
    if not _shown(conn, filters):
        return None
    try:
        calibration = calibrate(conn, filters, until=until, own_shown=own_shown)
    except ScopeTooSmall:
        return None
    rates = rates_claim(calibration, "page", "short", value)
    return Part(value, calibration.scenario, False, calibration.rates_from, calibration.borrowed, rates)


def calibrated_parts(
    conn: Connection, filters: Filters, dimension: str, exempt: tuple[str, ...], until: int
) -> list[Part]:
    """One part per value of the split inside the selection (without exempt units), the hidden ones folded
    into "other", and the exempt units as one part of their own."""
    selection = filters.as_dict()

    def scope(values: list[str]) -> Filters:
        return Filters.of({**selection, dimension: values}, exempt_units=exempt)

    values = dimension_values(conn, dimension, Filters.of(selection, exempt_units=exempt))  # parts left besides
    shown, hidden = [], []
    for v in values:
        part = _part(conn, scope([v]), v, until)
        (shown.append(part) if part else hidden.append(v))
    while hidden:
        other = _part(conn, scope(hidden), OTHER, until)
        if other is not None:
            shown.append(other)
            break
        if not shown:
            raise ScopeTooSmall("the parts of this selection are below the minimum group size")
        smallest = min(shown, key=lambda p: (p.scenario.women + p.scenario.men + p.scenario.other, p.value))
        shown.remove(smallest)
        hidden.append(smallest.value)
    inside = sorted(set(exempt) & set(dimension_values(conn, ORG_UNIT, filters)))
    if inside:
        part = _part(conn, Filters.of({**selection, ORG_UNIT: inside}), EXEMPT, until, own_shown=True)
        if part is None:
            raise ExemptTooSmall("the exempt units are below the minimum group size")
        shown.append(dataclasses.replace(part, exempt=True))
    return shown


@dataclass(frozen=True)
class Split:
    """The calibrated parts of a selection and the target that leads for it (its value, deadline, exemptions)."""

    by: str
    parts: list[Part]
    target: float
    deadline: int


def calibrated_split(conn: Connection, filters: Filters, by: str) -> Split:
    """The slow half of the allocation: every part calibrated, independent of the target and deadline chosen."""
    if by not in SPLITS:
        raise InvalidChoice("unknown_split", option="--by", allowed=list(SPLITS), value=by)
    require_flows(conn, filters)
    lead = leading_target(load_targets(conn), filters)
    exempt = lead.exempt_units if lead else ()
    parts = calibrated_parts(conn, filters, SPLITS[by], exempt, HORIZON)
    if lead is None:
        return Split(by, parts, DEFAULT_TARGET, DEFAULT_DEADLINE)
    return Split(by, parts, lead.target_value, lead.deadline.year)


@output
def allocate(split: Split, given: dict[str, Any]) -> Allocation:
    """The fast half: the equal effort for the target and deadline given (else the leading target's), and
    growth given for every part (else each part's own)."""
    target, deadline = given.get("target", split.target), given.get("deadline", split.deadline)
    if not 0 <= target <= 1:
        raise InvalidChoice("option_fraction", option="--target", value=target)
    parts = split.parts
    if parts and deadline < parts[0].scenario.start_year:
        raise InvalidChoice("option_before_start", option="--deadline")
    if "growth" in given:
        if given["growth"] <= -1:
            raise InvalidChoice("option_growth", option="--growth", value=given["growth"])
        parts = [
            dataclasses.replace(p, scenario=dataclasses.replace(p.scenario, growth=given["growth"])) for p in parts
        ]
    return dataclasses.replace(allocation(parts, target, deadline), by=split.by)


@output
def allocation_for(conn: Connection, filters: Filters, by: str, given: dict[str, Any]) -> Allocation:
    """The allocation of a selection split by branch or category (`python -m di_metrics allocate`)."""
    return allocate(calibrated_split(conn, filters, by), given)
