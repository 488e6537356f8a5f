"""Checkers of the claims behind the report's, deck's and CLI's remaining sentences about the data: the formal
reports' total, the survey and safety slide titles and the trend note (docs/definitions.md, "claim").

Each re-derives what its sentence states from the figures it rests on. Pure: no storage, no SQL."""

from __future__ import annotations

from collections.abc import Callable

from di_metrics.models.claim import Claim, close

__all__ = ["REPORTS_TOTAL", "SAFETY_WILLING", "SURVEY_INCLUSION", "TEXT_CHECKERS", "TREND_SPAN"]

REPORTS_TOTAL = "reports_total"  # n formal reports of a kind in the last year, every category shown
SURVEY_INCLUSION = "survey_inclusion"  # the last wave's share of women and of men positive, or withheld
SAFETY_WILLING = "safety_willing"  # the last wave's share willing to report, or withheld, or not asked
TREND_SPAN = "trend_span"  # the women's share from the first to the last year-end shown


def _reports_holds(c: Claim) -> bool:
    """The year is the last with reports of the kind, no category of it hidden, n their sum (rows: kind, year,
    count or None, hidden)."""
    p = c.params
    rows = [(year, n, hidden) for kind, year, n, hidden in c.figures["rows"] if kind == p["kind"]]
    if not rows:
        return False
    last = max(year for year, _n, _hidden in rows)
    cells = [(n, hidden) for year, n, hidden in rows if year == last]
    if p["year"] != last or any(hidden or n is None for n, hidden in cells):
        return False
    return close(p["n"], float(sum(n for n, _hidden in cells)))


def _survey_holds(c: Claim) -> bool:
    """Women's and men's shares positive (in %) are the last wave's; a withheld one is said withheld."""
    p, f = c.params, c.figures
    if not f["waves"] or p["wave"] != max(f["waves"]):
        return False
    women, men = f["women"].get(p["wave"]), f["men"].get(p["wave"])
    if women is None or men is None:
        return p["women"] is None and p["men"] is None
    return close(p["women"], women) and close(p["men"], men)


def _safety_holds(c: Claim) -> bool:
    """The share willing to report is the last wave's; withheld when that wave lacks it; not named when the
    survey does not ask it."""
    p, f = c.params, c.figures
    if not f["waves"] or p["wave"] != max(f["waves"]):
        return False
    if f["willing"] is None:
        return not p["asked"] and p["willing"] is None
    return p["asked"] and close(p["willing"], f["willing"].get(p["wave"]))


def _trend_holds(c: Claim) -> bool:
    """From the first point's share to the last point's, both as shown in the chart (points in date order)."""
    p, points = c.params, c.figures["points"]
    if not points:
        return False
    (start, first), (end, last) = points[0], points[-1]
    return (p["start"], p["end"]) == (start, end) and close(p["first"], first) and close(p["last"], last)


TEXT_CHECKERS: dict[str, Callable[[Claim], bool]] = {
    REPORTS_TOTAL: _reports_holds,
    SURVEY_INCLUSION: _survey_holds,
    SAFETY_WILLING: _safety_holds,
    TREND_SPAN: _trend_holds,
}
