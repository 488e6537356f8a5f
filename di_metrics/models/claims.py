"""Claims: what a sentence Koers writes says about the data, typed, with the figures it rests on, and one
checker per kind that re-derives the claim from those figures (docs/definitions.md, "claim").

A sentence is rendered from a claim (present/claims.py), so its Dutch and English state the same values; the
checker says whether those values follow from the figures. Pure: no storage, no SQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from di_metrics.models.claim import SURFACES, TOLERANCE, Claim
from di_metrics.models.claims_career import CAREER_CHECKERS
from di_metrics.models.claims_effects import EFFECT_CHECKERS
from di_metrics.models.claims_notes import NOTES_CHECKERS
from di_metrics.models.claims_text import TEXT_CHECKERS, fastest_over
from di_metrics.models.claims_whatif import WHATIF_CHECKERS
from di_metrics.models.projection import share_at_deadline

__all__ = [
    "CHECKERS",
    "HEADLINE",
    "HIDDEN",
    "PEERS",
    "REQUIRED",
    "SURFACES",
    "WATCH_ROW",
    "Claim",
    "fastest_over",
    "holds",
    "line_at",
    "reach_year",
]

HEADLINE = "pace_headline"  # where we are, and when the straight line and the flows projection reach the target
PEERS = "peers_fastest"  # no peer grew faster than x over any period the rule admits; ours named apart
REQUIRED = "required_hiring"  # the women's share of hires every year that meets the target by the deadline
HIDDEN = "hidden_cell"  # a cell is hidden (primary or complement); never a number
WATCH_ROW = "watch_row"  # a part short of, or ahead of, its glide path, in persons


def line_at(latest: float, on: dt.date, pace: float, day: dt.date) -> float:
    """The straight line through today's share at `pace` (a fraction a year), on `day`."""
    return latest + pace * (day - on).days / 365.25


def reach_year(years: list[int], shares: list[float], target: float) -> int | None:
    """The first year whose share is at or above the target, the one before it below (None: never)."""
    return next((y for y, s in zip(years, shares, strict=True) if s >= target - TOLERANCE), None)


def _straight_holds(p: Mapping[str, Any], f: Mapping[str, Any]) -> bool:
    """'Reached in Y at the pace of the last years': the line is at or above the target at the end of Y and
    below it at the end of Y-1; 'not reached' only when the pace does not rise."""
    year, target = p["reach_year"], p["target"]
    latest, on, pace = f["latest"], dt.date.fromisoformat(f["as_of"]), f["pace"]
    if latest >= target:
        return year == on.year
    if year is None:
        return pace is None or pace <= 0
    if pace is None:
        return False
    at_end = line_at(latest, on, pace, dt.date(year, 12, 31))
    before = line_at(latest, on, pace, dt.date(year - 1, 12, 31))
    return at_end >= target - TOLERANCE and (before < target or year == on.year)


def _flows_holds(p: Mapping[str, Any], f: Mapping[str, Any]) -> bool:
    """The flows projection's year and level: the stated year is its first year at the target, the stated
    level its share in the stated year; no flows claim without a measured projection."""
    if not p.get("flows_known"):
        return p.get("flows_reach") is None and p.get("flows_level") is None
    years, shares = list(f["path_years"]), list(f["path_shares"])
    if p["flows_reach"] != reach_year(years, shares, p["target"]):
        return False
    if p["flows_reach"] is not None:
        return True
    level_year = p["flows_level_year"]
    return level_year in years and abs(shares[years.index(level_year)] - p["flows_level"]) < 5e-4


def _headline_holds(c: Claim) -> bool:
    p, f = c.params, c.figures
    if abs(p["share"] - f["latest"]) > TOLERANCE:
        return False
    if p.get("met"):
        return f["latest"] >= p["target"]
    return _straight_holds(p, f) and _flows_holds(p, f)


def _peers_holds(c: Claim) -> bool:
    """x is the maximum over every peer's every admitted window; ours, named apart, is our own maximum."""
    p, f = c.params, c.figures
    windows = [(w, peer) for peer, yearly in f["peers"].items() if (w := fastest_over(yearly, p["min_years"]))]
    if not windows:
        return p["best"] is None
    (pace, start, end), peer = max(windows, key=lambda x: x[0][0])
    if abs(pace - p["best"]) > 5e-3 or peer != p["peer"] or (start, end) != (p["start"], p["end"]):
        return False
    ours = fastest_over(f["ours"], p["min_years"])
    return (ours is None and p["ours"] is None) or (ours is not None and abs(ours[0] - (p["ours"] or 0)) < 5e-3)


def _hidden_holds(c: Claim) -> bool:
    """A hidden cell says only that it is hidden; 'fewer than k' only of a primary cell below k."""
    p, f = c.params, c.figures
    if p.get("fewer_than") is not None:
        count = f.get("count")
        return p["reason"] == "primary" and count is not None and count < p["fewer_than"]
    return p["reason"] in ("primary", "complement", "either")  # the safe tables do not say which


def _watch_holds(c: Claim) -> bool:
    """Short of the glide path by n persons (n > 0), or ahead of it by n: never a negative shortfall."""
    p, f = c.params, c.figures
    gap = f["glide"] * f["headcount"] - f["women"]
    return p["persons"] >= 0 and p["ahead"] == (gap < 0) and abs(abs(gap) - p["persons"]) < 0.5 + TOLERANCE


def _required_holds(c: Claim) -> bool:
    """'x of hires from Y meets the target': the deadline share at x is at or above the target and at x less
    half a point below it; 'cannot be reached by hiring alone': even all hires women stay below it, at `full`."""
    p, s = c.params, c.figures["scenario"]
    if p["from"] != s.start_year + 1 or abs(p["recent"] - c.figures["calibrated"]) > TOLERANCE:
        return False
    if p["required"] is None:
        full = share_at_deadline(s, 1.0 - s.hire_share_other)
        return full < p["target"] and abs(full - p["full"]) < 5e-4
    at = share_at_deadline(s, p["required"])
    return at >= p["target"] - 1e-6 and share_at_deadline(s, max(p["required"] - 0.005, 0.0)) < p["target"]


CHECKERS: dict[str, Callable[[Claim], bool]] = {
    HEADLINE: _headline_holds,
    PEERS: _peers_holds,
    HIDDEN: _hidden_holds,
    WATCH_ROW: _watch_holds,
    REQUIRED: _required_holds,
    **WHATIF_CHECKERS,
    **CAREER_CHECKERS,
    **TEXT_CHECKERS,
    **EFFECT_CHECKERS,
    **NOTES_CHECKERS,
}


def holds(claim: Claim) -> bool:
    """Whether the claim follows from its own figures (its kind's checker)."""
    return CHECKERS[claim.kind](claim)
