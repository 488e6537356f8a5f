"""Checkers of the career and social-safety claims: intake against the needed share, retention at a milestone
and where the curves part, a level's promotion and its four-fifths flag, the top of the pyramid, a year's
reporting rate, the split of a change in reports, a measure's evidence grade, a rank's median time to
promotion, why there is no intake to show, and why an intersections matrix has nothing to draw. Each re-derives what the
sentence states from the counts it rests on (docs/definitions.md, "claim")."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from di_metrics.models.claim import Claim, close

__all__ = [
    "CAREER_CHECKERS",
    "CHANGE",
    "GRADE",
    "INTAKE",
    "MEDIAN",
    "NO_INTAKE",
    "NO_MATRIX",
    "PROMOTION",
    "PYRAMID",
    "RATE",
    "RETENTION",
    "shapley",
]

INTAKE = "career_intake"  # a year's women's share of hires against the needed share, and the women hires short
RETENTION = "career_retention"  # women's and men's retention at the longest shared milestone; the first parting
PROMOTION = "career_promotion"  # a level's promotion rates, impact ratio and its interval, and the flag
PYRAMID = "career_pyramid"  # the women's share at each shown top level against the top's target
RATE = "safety_rate"  # a year's estimated people, formal reports and reporting rate
CHANGE = "safety_change"  # a change in reports between two years, split into incidents, rate and headcount
GRADE = "safety_grade"  # a measure's evidence grade and its reason
MEDIAN = "career_median"  # a rank's median years to promotion for women and men, or not reached, or no curve
NO_INTAKE = "career_no_intake"  # why a selection has no intake to show: nobody hired, or hires cannot be seen
NO_MATRIX = "career_no_matrix"  # why a matrix has nothing to draw: every cell hidden, or nobody in any cell
FOUR_FIFTHS = 0.8
PARTS = ("incidents", "rate", "headcount")


def _intake_holds(c: Claim) -> bool:
    """share = women hired / hires; gap = the women hires that would have met the needed share, at least 0."""
    p, f = c.params, c.figures
    if f["suppressed"] or not f["hires"]:
        return p["hidden"]
    share = f["women_hired"] / f["hires"]
    if f["needed_share"] is None:
        return close(p["share"], share) and p["gap"] is None
    gap = max(0, math.ceil(f["needed_share"] * f["hires"] - f["women_hired"] - 1e-9))
    return not p["hidden"] and close(p["share"], share) and p["gap"] == gap and close(p["needed"], f["needed_share"])


def _retention_holds(c: Claim) -> bool:
    """The milestone is the longest both genders show; the first parting year the first whose difference's
    interval lies wholly on one side of zero."""
    p, f = c.params, c.figures
    marks = {(g, y): s for g, y, s in f["milestones"]}
    both = sorted(y for g, y in marks if g == f["women"] and (f["men"], y) in marks)
    if not both:
        return p["years"] is None
    years = both[-1]
    parted = sorted(y for y, low, high in f["differences"] if high < 0 or low > 0)
    return (
        p["years"] == years
        and close(p["women"], marks[(f["women"], years)])
        and close(p["men"], marks[(f["men"], years)])
        and p["first"] == (parted[0] if parted else None)
    )


def _promotion_holds(c: Claim) -> bool:
    """Each rate = promoted / at risk; the ratio is women's over men's, inside its stated interval; flagged only
    under four fifths with the whole interval under 1; 'within the rule' only at four fifths or more."""
    p, f = c.params, c.figures
    if f["suppressed"] or not f["men_promoted"]:
        return p["ratio"] is None
    women, men = f["women_promoted"] / f["women_at_risk"], f["men_promoted"] / f["men_at_risk"]
    ratio = women / men
    flag = ratio < FOUR_FIFTHS and p["high"] < 1.0
    return (
        close(p["women"], women)
        and close(p["men"], men)
        and close(p["ratio"], ratio)
        and p["low"] <= ratio <= p["high"]
        and p["flag"] == flag
        and p["within"] == (not flag and ratio >= FOUR_FIFTHS)
    )


def _pyramid_holds(c: Claim) -> bool:
    """Every top level shown with its share = women / headcount, none hidden among them; the target is the
    top's own, else the general one."""
    p, f = c.params, c.figures
    shown = [(r, w / h) for r, w, h, hidden in f["top"] if not hidden and h]
    target = f["top_target"] if f["top_target"] is not None else f["target"]
    stated = list(p["parts"])
    return (
        close(p["target"], target)
        and [r for r, _ in stated] == [r for r, _ in shown]
        and all(close(a, b) for (_, a), (_, b) in zip(stated, shown, strict=True))
    )


def _rate_holds(c: Claim) -> bool:
    """People = prevalence × headcount (its interval carried through); rate = reports / people, its interval
    reports over the people's high and low ends; no rate without a wave, nothing said of a hidden year."""
    p, f = c.params, c.figures
    if f["suppressed"]:
        return p["hidden"]
    if f["prevalence"] is None or f["headcount"] is None:
        return p["people"] is None and p["reports"] == f["reports"]
    share, low, high = f["prevalence"]
    people = (share * f["headcount"], low * f["headcount"], high * f["headcount"])
    if not all(close(a, b, 1e-6) for a, b in zip(p["people"], people, strict=True)) or p["reports"] != f["reports"]:
        return False
    if f["reports"] is None or people[0] <= 0:
        return p["rate"] is None
    r = f["reports"]
    rate = (r / people[0], r / people[2] if people[2] else None, r / people[1] if people[1] else None)
    return all(close(a, b, 1e-9) for a, b in zip(p["rate"], rate, strict=True))


def shapley(h: tuple[float, float], p: tuple[float, float], r: tuple[float, float]) -> tuple[float, float, float]:
    """The parts of the change in H·p·r from prevalence, rate and headcount: each factor's change times the
    mean, over the six orders of change, of the other two (written out, not the model's own function)."""
    orders = (("h", "p", "r"), ("h", "r", "p"), ("p", "h", "r"), ("p", "r", "h"), ("r", "h", "p"), ("r", "p", "h"))
    parts = {"h": 0.0, "p": 0.0, "r": 0.0}
    for order in orders:
        now = {"h": h[0], "p": p[0], "r": r[0]}
        for x in order:
            before = now["h"] * now["p"] * now["r"]
            now[x] = {"h": h, "p": p, "r": r}[x][1]
            parts[x] += (now["h"] * now["p"] * now["r"] - before) / 6
    return parts["p"], parts["r"], parts["h"]


def _change_holds(c: Claim) -> bool:
    """The parts add up to the change, and the driver is the largest part whose interval excludes zero
    (undetermined when none does); with the two years' counts, change = the later year's reports - the
    earlier's and the parts are the Shapley split of H·p·r."""
    p, rows = c.params, c.figures.get("rows")
    if rows is not None and p["change"] is not None and p["change"] != rows[1]["reports"] - rows[0]["reports"]:
        return False
    if p["reason"] is not None or p["parts"] is None:
        return p["parts"] is None and p["reason"] is not None
    said = [v for v, _low, _high in p["parts"]]
    if not close(sum(said), p["change"], 1e-6):
        return False
    carrying = [
        (abs(v), n) for (v, lo, hi), n in zip(p["parts"], PARTS, strict=True) if lo is not None and (lo > 0 or hi < 0)
    ]
    if p["driver"] != (max(carrying)[1] if carrying else "undetermined"):
        return False
    if rows is None:
        return True
    a, b = rows
    h, pr = (a["headcount"], b["headcount"]), (a["prevalence"], b["prevalence"])
    parts = shapley(h, pr, (a["reports"] / (h[0] * pr[0]), b["reports"] / (h[1] * pr[1])))
    return all(close(x, y, 1e-6) for x, y in zip(said, parts, strict=True))


def _finds(m: Mapping[str, Any] | None) -> bool:
    """A method finds an effect: interval excluding 0, at most one placebo in four firing, and (for the
    difference in differences) no drift before the start."""
    if m is None or m["effect"] is None:
        return False
    _value, low, high = m["effect"]
    return (low > 0 or high < 0) and m["fired"] <= 0.25 * m["placebos"] and m.get("pre_trend_ok", True)


def _grade_holds(c: Claim) -> bool:
    """Consistent: both methods find an effect of one sign; suggestive: one does; else no evidence. The effect
    said is the one of the method the grade leads with (the difference in differences only when it alone finds)."""
    p, f = c.params, c.figures
    its, did = f["its"], f["did"]
    lead = did if p["reason"] == "did_only" else its
    said = None if lead is None or lead["effect"] is None else lead["effect"][0]
    if not close(p["effect"], said, 1e-12):
        return False
    if _finds(its) and _finds(did):
        same = (its["effect"][0] > 0) == (did["effect"][0] > 0)
        return p["grade"] == ("consistent" if same else "no_evidence")
    if _finds(its) or _finds(did):
        return p["grade"] == "suggestive" and p["reason"] == ("its_only" if _finds(its) else "did_only")
    return p["grade"] == "no_evidence"


def _median_holds(c: Claim) -> bool:
    """Per gender: a curve is shown when it has a shown point; the median is the first shown year whose share
    promoted is half or more (to the hundredth of a year), 'not reached' when none is, nothing said without a
    curve (figures: the rank's points as gender, years, share promoted, hidden)."""
    p = c.params
    for gender, said in (("F", "women"), ("M", "men")):
        shown = [(t, share) for g, t, share, hidden in c.figures["points"] if g == gender and not hidden]
        reached = [t for t, share in sorted(shown) if share >= 0.5 - 1e-9]
        if p[f"{said}_shown"] != bool(shown) or not close(p[said], reached[0] if reached else None, 0.005 + 1e-9):
            return False
    return True


def _no_intake_holds(c: Claim) -> bool:
    """Said only of a selection without an intake row; hires 'cannot be counted' without a complete year in the
    data (intake counts complete years' hires), 'nobody joined' with one or more; never when the years were not
    counted (unknown is not none)."""
    years = c.figures["complete_years"]
    if c.figures["rows"] or years is None:
        return False
    return c.params["state"] == ("unseen" if years == 0 else "none_hired")


def _no_matrix_holds(c: Claim) -> bool:
    """Said only of a matrix with no cell shown: 'hidden' where it has cells and every one is hidden, 'nobody'
    where it has none (figures: its cells as row, column, hidden)."""
    cells = c.figures["cells"]
    if any(not hidden for _row, _column, hidden in cells):
        return False
    return c.params["state"] == ("hidden" if cells else "nobody")


CAREER_CHECKERS: dict[str, Callable[[Claim], bool]] = {
    INTAKE: _intake_holds,
    RETENTION: _retention_holds,
    PROMOTION: _promotion_holds,
    PYRAMID: _pyramid_holds,
    RATE: _rate_holds,
    CHANGE: _change_holds,
    GRADE: _grade_holds,
    MEDIAN: _median_holds,
    NO_INTAKE: _no_intake_holds,
    NO_MATRIX: _no_matrix_holds,
}
