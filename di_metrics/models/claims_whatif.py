"""Checkers of the claims on the Overview and What if? beyond the headline: the trend chart's finding, the
projection note, a target card, the What-if outcome and its chance, the track record's comparison, verdict and
evidence. Each re-derives what the sentence states from the figures it rests on (docs/definitions.md, "claim")."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from di_metrics.models.claim import Claim, close

__all__ = [
    "ALLOCATION",
    "CARD",
    "EVIDENCE",
    "FINDING",
    "FRONTIER",
    "OUTCOME",
    "PIPELINE",
    "PROJECTION_NOTE",
    "TRACK",
    "VERDICT",
    "WHATIF_CHECKERS",
    "x_left_out_holds",
]

FINDING = "trend_finding"  # the trend chart's title: today's share, the target and its deadline
PROJECTION_NOTE = "projection_note"  # the dashed line's share in the deadline year
CARD = "target_card"  # a target's card: change, gap, women needed, pace needed, pace had
OUTCOME = "whatif_outcome"  # where the settings lead by the deadline, the year the target is reached, the chance
TRACK = "track_comparison"  # the projection's error a few years ahead, against the flat and the straight line
VERDICT = "track_verdict"  # which of model, flat line and straight line forecast best at each judged horizon
FRONTIER = "frontier_title"  # the hiring share the target needs at today's attrition, and with no woman leaving
ALLOCATION = "allocation_title"  # the equal rise in every part's women's share of hires that meets the target
PIPELINE = "pipeline_title"  # the women's share at entry level and at the top of the ladder
EVIDENCE = "band_evidence"  # how often the 90% range held the actual share, at the horizon nearest the deadline
METHODS = ("model", "constant", "trend")  # the order a tie is won in
SHARE = 1e-9


def _finding_holds(c: Claim) -> bool:
    p, f = c.params, c.figures
    return close(p["share"], f["latest"], SHARE) and p["target"] == f["target"] and p["deadline"] == f["deadline"]


def _share_in(f: Mapping[str, Any], year: int) -> float | None:
    years, shares = list(f["path_years"]), list(f["path_shares"])
    return shares[years.index(year)] if year in years else None


def _note_holds(c: Claim) -> bool:
    """The note's share is the projection's share in the stated year."""
    return close(c.params["share"], _share_in(c.figures, c.params["year"]), SHARE)


def x_left_out_holds(said: bool, shown: Sequence[int | None] | None) -> bool:
    """'Gender X is left out of this figure' is said exactly where the figure (`shown`: its women, men, X and
    headcount as the gate shows them) shows no X count and its headcount counts women and men only; not said where
    it shows its X count (0 or more) and counts it. A withheld figure, or one that counts no persons, says nothing
    of X. The count left out is never in a claim (the gate leaves it out: under k, or its cover); the checker reads
    that none is shown and none is counted."""
    if shown is None or any(v is None for v in (shown[0], shown[1], shown[3])):
        return not said
    women, men, x, headcount = shown
    if said:
        return x is None and headcount == women + men
    return x is not None and headcount == women + men + x


def _card_holds(c: Claim) -> bool:
    """The line's start is named exactly when the selection has its own (its value on the baseline date, read
    off its series, where that is not the target's baseline), and is that value; gap = target - latest in pp;
    women needed = the women to add at today's size, at least 0; the pace needed spreads the gap over the years
    to the deadline; change and actual pace are the status's, in pp."""
    p, f = c.params, c.figures
    latest, target = f["latest"], f["target"]
    own = f.get("own_at_baseline")
    start = None if own is None or close(own, f.get("target_baseline"), SHARE) else own
    if not close(p.get("own_from"), start, SHARE) or not x_left_out_holds(p["x_left_out"], f.get("shown")):
        return False
    if latest is None:
        return all(p[k] is None for k in ("gap_pp", "required_pp"))
    years = (dt.date.fromisoformat(f["deadline"]) - dt.date.fromisoformat(f["as_of"])).days / 365.25
    required = 100 * (target - latest) / years if years > 0 else None
    needed = None
    if f.get("headcount"):
        needed = max(0, math.ceil(target * f["headcount"] - f["women"] - 1e-9))
    return (
        close(p["gap_pp"], 100 * (target - latest), 1e-6)
        and close(p["required_pp"], required, 1e-6)
        and p["deadline_passed"] == (years <= 0)
        and (f.get("headcount") is None or p["needed"] == needed)
        and close(p["change_pp"], None if f["change"] is None else 100 * f["change"], 1e-9)
        and close(p["actual_pp"], None if f["pace"] is None else 100 * f["pace"], 1e-9)
    )


def _outcome_holds(c: Claim) -> bool:
    """The share is the path's in the deadline year; the reach year its first year at the target (or none by
    the last year); the chance the share of simulated paths at or above the target in the deadline year."""
    p, f = c.params, c.figures
    if not close(p["share"], _share_in(f, p["deadline"]), SHARE):
        return False
    reached = next(
        (y for y, s in zip(f["path_years"], f["path_shares"], strict=True) if s >= p["target"] - 1e-12), None
    )
    if p["reach_year"] != reached or (reached is None and p["horizon"] != list(f["path_years"])[-1]):
        return False
    if p["chance"] is None:
        return True
    drawn = f.get("deadline_draws")
    if drawn is None or len(drawn) == 0:
        return False
    return close(p["chance"], sum(1 for x in drawn if x >= p["target"]) / len(drawn), 1e-12)


def _mae(row: Mapping[str, Any], method: str) -> float:
    value = row.get(f"mae_{method}")
    return math.inf if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


def _track_holds(c: Claim) -> bool:
    """The horizon is the one nearest the compared one within those that have pairs, and the three errors are
    that horizon's."""
    p, rows = c.params, c.figures["rows"]
    if not rows:
        return p["h"] is None
    hs = [int(r["h"]) for r in rows]
    h = min(max(p["compared"], min(hs)), max(hs))
    row = next((r for r in rows if int(r["h"]) == h), None)
    if row is None or p["h"] != h or p["origins"] != c.figures["origins"]:
        return False
    return all(close(p[m], None if math.isinf(_mae(row, m)) else _mae(row, m), 1e-12) for m in METHODS)


def best_methods(rows: Sequence[Mapping[str, Any]], min_pairs: int) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """The horizons with at least `min_pairs` pairs and, at each, the method with the smallest mean absolute
    error (a tie goes to the model, then the flat line)."""
    judged = [r for r in rows if r["pairs"] >= min_pairs]
    best = tuple(min(METHODS, key=lambda m, r=r: (_mae(r, m), METHODS.index(m))) for r in judged)
    return tuple(int(r["h"]) for r in judged), best


def _verdict_holds(c: Claim) -> bool:
    p = c.params
    horizons, best = best_methods(c.figures["rows"], p["min_pairs"])
    if not horizons:
        return p["kind"] == "too_few"
    kind = "model_best" if all(m == "model" for m in best) else "model_beaten"
    return p["kind"] == kind and tuple(p["horizons"]) == horizons and tuple(p["best"]) == best


def _evidence_holds(c: Claim) -> bool:
    """The horizon nearest the deadline with enough pairs (the nearer below on a tie), and the count of its
    pairs whose actual share lay within the 90% range."""
    p, f = c.params, c.figures
    counts: dict[int, int] = {}
    for h, _low, _actual, _high in f["pairs"]:
        counts[h] = counts.get(h, 0) + 1
    enough = [h for h, n in counts.items() if n >= p["min_pairs"]]
    if not enough:
        return p["h"] is None
    h = min(enough, key=lambda x: (abs(x - p["years_ahead"]), x))
    held = sum(1 for x, low, actual, high in f["pairs"] if x == h and low <= actual <= high)
    return p["h"] == h and p["held"] == held and p["pairs"] == counts[h]


def _frontier_holds(c: Claim) -> bool:
    """'x of hires at today's attrition': the hiring-alone point, at today's attrition, meets the target; 'y with
    no woman leaving': the frontier's lowest hiring share, at an attrition of 0, meets it; 'out of reach': no
    point on the frontier."""
    p, f = c.params, c.figures
    if not f["points"]:
        return p["hire_low"] is None
    low = min(f["points"], key=lambda x: x[0])
    if not (close(p["hire_low"], low[0]) and abs(low[1]) < 1e-6 and low[2] >= p["target"] - 1e-6):
        return False
    alone = f["hire_alone"]
    if alone is None:
        return p["hire"] is None
    return close(p["hire"], alone[0]) and close(alone[1], f["today_attrition"]) and alone[2] >= p["target"] - 1e-6


def _allocation_holds(c: Claim) -> bool:
    """Every part not exempt hires `points` more women's share than now (kept between 0 and all hires), and the
    organisation then meets the target by the deadline; 'out of reach' only without such an effort."""
    p, f = c.params, c.figures
    if p["points"] is None:
        return f["at_deadline"] is None or f["at_deadline"] < p["target"]
    for now, needed, exempt in f["parts"]:
        want = now if exempt else now + p["points"]
        if needed is None or not (close(needed, want) or (needed < want and needed >= now) or needed == 0.0):
            return False
    return f["at_deadline"] is not None and f["at_deadline"] >= p["target"] - 1e-6


def _pipeline_holds(c: Claim) -> bool:
    """The entry level's share is the ladder's first, the top's its last; withheld when either is hidden (the
    highest shown level is not 'the top')."""
    p, shares = c.params, list(c.figures["shares"])
    if p["bottom"] is None or p["top"] is None:
        return not shares or shares[0] is None or shares[-1] is None
    return bool(shares) and close(p["bottom"], shares[0]) and close(p["top"], shares[-1])


WHATIF_CHECKERS: dict[str, Callable[[Claim], bool]] = {
    FINDING: _finding_holds,
    PROJECTION_NOTE: _note_holds,
    CARD: _card_holds,
    OUTCOME: _outcome_holds,
    TRACK: _track_holds,
    VERDICT: _verdict_holds,
    EVIDENCE: _evidence_holds,
    FRONTIER: _frontier_holds,
    ALLOCATION: _allocation_holds,
    PIPELINE: _pipeline_holds,
}
