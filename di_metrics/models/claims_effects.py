"""Checkers of the two measure-effect method claims: the interrupted time series and the difference in
differences of one measure (docs/definitions.md, "Measure effects" and "claim"). Each re-derives the point
estimates from the series the sentence rests on, written out by hand rather than through the model's own
least squares: the segmented line is two straight lines, one each side of the start, and the difference in
differences with one step is a difference of means. Points unknown in the series are counted, never read as 0."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from di_metrics.models.claim import Claim, close

__all__ = ["DID", "EFFECT_CHECKERS", "ITS", "MIN_SIDE", "line_at_start", "placebo_count"]

ITS = "safety_its"  # a measure's interrupted time series: level, slope, effect, placebos; or too few points
DID = "safety_did"  # a measure's difference in differences against the parts it did not cover; or why none
MIN_SIDE = 4  # points needed either side of a start (models/effects.py)
MAX_PLACEBOS = 4
WITHIN = 1e-6  # pp: the closed forms against the model's least squares


def line_at_start(points: Sequence[tuple[float, float]], start: float) -> tuple[float, float]:
    """The least-squares line through (time, value) points: its value at `start` and its slope."""
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    slope = sum((x - mx) * (y - my) for x, y in points) / sxx
    return my + slope * (start - mx), slope


def placebo_count(points_before: int) -> int:
    """False starts inside the pre-start period, each with MIN_SIDE points either side, at most MAX_PLACEBOS."""
    return min(MAX_PLACEBOS, max(0, points_before - 2 * MIN_SIDE + 1))


def _interval_ok(said: Sequence[float | None]) -> bool:
    """A stated estimate lies inside its interval, which is symmetric around it (Student-t)."""
    value, low, high = said
    return low is not None and high is not None and low <= value <= high and close(value - low, high - value)


def _placebos_ok(p: Mapping[str, Any], placebos: int) -> bool:
    return p["placebos"] == placebos and 0 <= p["fired"] <= placebos


def _its_holds(c: Claim) -> bool:
    """Points before, after and left out are counted from the series; with MIN_SIDE each side, level = the
    after-line minus the before-line at the start, slope = their slopes' difference, effect = level + slope ×
    the mean time after the start; too few points states no estimate at all."""
    p, f = c.params, c.figures
    known = [(x, v) for x, v in zip(f["times"], f["values"], strict=True) if v is not None]
    before = [(x, v) for x, v in known if x < f["start"]]
    after = [(x, v) for x, v in known if x >= f["start"]]
    counts = (p["before"], p["after"], p["hidden"]) == (len(before), len(after), len(f["values"]) - len(known))
    if not counts:
        return False
    if len(before) < MIN_SIDE or len(after) < MIN_SIDE:
        return p["level"] is None and p["slope"] is None and p["effect"] is None and _placebos_ok(p, 0)
    if any(p[k] is None or not _interval_ok(p[k]) for k in ("level", "slope", "effect")):
        return False
    (a0, b0), (a1, b1) = line_at_start(before, f["start"]), line_at_start(after, f["start"])
    mean_since = sum(x - f["start"] for x, _ in after) / len(after)
    level, slope = a1 - a0, b1 - b0
    stated = (p["level"][0], p["slope"][0], p["effect"][0])
    derived = (level, slope, level + slope * mean_since)
    fits = all(close(s, d, WITHIN) for s, d in zip(stated, derived, strict=True))
    return fits and _placebos_ok(p, placebo_count(len(before)))


def _did_holds(c: Claim) -> bool:
    """No uncovered parts: said so. Else the times where the measure's series and every part are known give
    the points before, after and left out; with MIN_SIDE each side, effect = the mean gap (series minus the
    parts' mean) after the start minus the mean gap before; the pre-trend is said to pass exactly when its
    interval holds zero; each part is one placebo when there are two or more."""
    p, f = c.params, c.figures
    if not f["untreated"]:
        return p["reason"] == "no_comparison" and p["effect"] is None
    rows = list(zip(f["times"], f["treated"], *f["untreated"], strict=True))
    kept = [(x, v, sum(u) / len(u)) for x, v, *u in rows if v is not None and None not in u]
    gap_before = [v - m for x, v, m in kept if x < f["start"]]
    gap_after = [v - m for x, v, m in kept if x >= f["start"]]
    counts = (p["before"], p["after"], p["hidden"]) == (len(gap_before), len(gap_after), len(rows) - len(kept))
    if not counts or list(p["parts"]) != list(f["parts"]):
        return False
    if len(gap_before) < MIN_SIDE or len(gap_after) < MIN_SIDE:
        return p["reason"] == "too_few_points" and p["effect"] is None and p["pre_trend_ok"] is None
    if p["reason"] is not None or p["effect"] is None or not _interval_ok(p["effect"]):
        return False
    effect = sum(gap_after) / len(gap_after) - sum(gap_before) / len(gap_before)
    _value, low, high = f["pre_trend"]
    drift_free = low <= 0 <= high
    placebos = len(f["untreated"]) if len(f["untreated"]) >= 2 else 0
    return close(p["effect"][0], effect, WITHIN) and p["pre_trend_ok"] == drift_free and _placebos_ok(p, placebos)


EFFECT_CHECKERS: dict[str, Callable[[Claim], bool]] = {ITS: _its_holds, DID: _did_holds}
