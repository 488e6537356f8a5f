"""Checkers of the claims behind the report's, deck's and CLI's remaining sentences about the data: the formal
reports' total, the survey and safety slide titles, the trend note, and the CLI's status, track-record and
allocation lines (docs/definitions.md, "claim").

Each re-derives what its sentence states from the figures it rests on. Pure: no storage, no SQL."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Callable, Mapping
from typing import Any

from di_metrics.models.claim import TOLERANCE, Claim, close
from di_metrics.models.claims_whatif import x_left_out_holds
from di_metrics.models.projection import MAX_GROWTH, project
from di_metrics.models.scenario import Scenario
from di_metrics.models.targets import Target

__all__ = [
    "ALLOCATION_PART",
    "FLOWS_FINDING",
    "FORCED_EXITS",
    "LEVER_TAKES",
    "PEER_WINDOW",
    "REPORTS_TOTAL",
    "SAFETY_WILLING",
    "SIM_CENTRE",
    "STATUS_HEAD",
    "SURVEY_INCLUSION",
    "TAKES_NOTE",
    "TARGET_STATE",
    "TEXT_CHECKERS",
    "TRACK_TABLE",
    "TREND_SPAN",
    "WATCH_TOP",
    "fastest_over",
]

REPORTS_TOTAL = "reports_total"  # n formal reports of a kind in the last year, every category shown
SURVEY_INCLUSION = "survey_inclusion"  # the last wave's share of women and of men positive, or withheld
SAFETY_WILLING = "safety_willing"  # the last wave's share willing to report, or withheld, or not asked
TREND_SPAN = "trend_span"  # the women's share from the first to the last year-end shown
WATCH_TOP = "watch_top"  # the part furthest below its glide path, in persons; or that none is below
SIM_CENTRE = "sim_centre"  # the simulated paths' median at the deadline, beside the projection's share
FORCED_EXITS = "forced_exits"  # persons the projection lets leave beyond attrition, up to the last such year
LEVER_TAKES = "lever_takes"  # what one lever needs for the target, the others as set: a value, met, or out of reach
TAKES_NOTE = "takes_note"  # the women's attrition and the growth each needs, one at a time
PEER_WINDOW = "peer_window"  # one peer's fastest pace over any window the rule admits, and its years
SEARCH_END = {"attrition_women": 0.0, "growth": MAX_GROWTH}  # where what_it_takes searches each lever to
GRID_STEPS = 100  # the steps of that search (lever_needed)
HIRE_STEP = 0.001  # the hiring share is the solver's lowest: a tenth of a point less misses
STATUS_HEAD = "status_head"  # the last snapshot's date, headcount and women's share
TARGET_STATE = "target_state"  # a target's latest value, its state against its glide path, its value and deadline
TRACK_TABLE = "track_table"  # per horizon: the projection's and the baselines' errors and how often the ranges held
ALLOCATION_PART = "allocation_part"  # one part's shares now and its hiring share under the equal effort
FLOWS_FINDING = "flows_finding"  # the last year's share of hires against the stock at its start; whether charted


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


def _flows_holds(c: Claim) -> bool:
    """The year is the chart's last; each share is that year's bar or line point, and one the chart leaves out is
    said missing, never a number, for the year's own reason (withheld, nobody hired, not measured); the chart is
    drawn exactly when some year shows a share of hires or of personnel, or an attrition rate."""
    p, f = c.params, c.figures
    if not f["years"] or p["year"] != max(f["years"]):
        return False
    drawn = [*f["hires"].values(), *f["stock"].values(), *(v for pair in f["attrition"].values() for v in pair)]
    if p["charted"] != any(v is not None for v in drawn):
        return False
    if p["hires_state"] != f["states"].get(p["year"]) or (p["hires"] is None) == (p["hires_state"] == "shown"):
        return False
    return close(p["hires"], f["hires"].get(p["year"])) and close(p["stock"], f["stock"].get(p["year"]))


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


def fastest_over(yearly: Mapping[int, float], min_years: int) -> tuple[float, int, int] | None:
    """The fastest change, in pp a year, over every window of at least `min_years` years with a value at both
    ends: (pace, start, end), the earliest window on a tie; None without such a window."""
    best: tuple[float, int, int] | None = None
    years = sorted(yearly)
    for i, start in enumerate(years):
        for end in years[i + 1 :]:
            if end - start < min_years:
                continue
            pace = 100 * (yearly[end] - yearly[start]) / (end - start)
            if best is None or pace > best[0] + TOLERANCE:
                best = (pace, start, end)
    return best


def _watch_top_holds(c: Claim) -> bool:
    """The named part has the largest shortfall (glide path x headcount - women) and it is positive; 'none
    below' only when no part's is, and 'nothing to list' only without a part (`listed`: how many there are)."""
    p, rows = c.params, c.figures["rows"]  # rows: (value, glide, headcount, women)
    if p["listed"] != len(rows):
        return False
    gaps = {value: glide * headcount - women for value, glide, headcount, women in rows}
    short = {v: g for v, g in gaps.items() if g > 0}
    if not short:
        return p["value"] is None
    top = max(short.values())
    return p["value"] in short and short[p["value"]] >= top - 0.5 and abs(short[p["value"]] - p["short"]) < 0.5


def _peer_window_holds(c: Claim) -> bool:
    """The pace and years are the peer's fastest over every window of at least `min_years` years."""
    p = c.params
    found = fastest_over(c.figures["yearly"], p["min_years"])
    return found is not None and (found[1], found[2]) == (p["start"], p["end"]) and abs(found[0] - p["best"]) < 5e-3


def _centre_holds(c: Claim) -> bool:
    """Every figure the note states: the median is the median of the simulated shares in the deadline year
    (`draws`, sorted or not), the deadline is the draws' year, and the projection's share is the path's share
    in that year."""
    p, f = c.params, c.figures
    draws = sorted(f["draws"])
    if not draws or p["deadline"] != f["deadline"]:
        return False
    mid = len(draws) // 2
    median = draws[mid] if len(draws) % 2 else (draws[mid - 1] + draws[mid]) / 2
    years, shares = list(f["path_years"]), list(f["path_shares"])
    share = shares[years.index(p["deadline"])] if p["deadline"] in years else None
    return abs(p["median"] - median) < 5e-4 and close(p["share"], share, 1e-12)


def _forced_holds(c: Claim) -> bool:
    """The persons are the sum of the exits beyond attrition, the year the last with any."""
    p, exits = c.params, c.figures["exits"]
    return bool(exits) and p["year"] == max(exits) and abs(p["persons"] - sum(exits.values())) < 0.5


def _meets(s: Any, lever: str, value: float) -> bool:
    share = project(dataclasses.replace(s, **{lever: value})).share_at_deadline
    return share is not None and share >= s.target - 1e-6


def _grid(s: Any, lever: str) -> list[float]:
    """The values `lever_needed` tries, in order from today's value toward the end it searches to."""
    now = float(getattr(s, lever))
    return [now + (SEARCH_END[lever] - now) * i / GRID_STEPS for i in range(1, GRID_STEPS + 1)]


def _nearest(s: Any, lever: str, now: float, needed: float) -> bool:
    """The stated value is the nearest to today's that meets: the hiring share a tenth of a point lower misses;
    for a searched lever it lies in the first step of the search grid whose end meets (every grid value before
    it misses), and meets itself."""
    if lever not in SEARCH_END:
        return needed < HIRE_STEP or not _meets(s, lever, needed - HIRE_STEP)
    grid = _grid(s, lever)
    first = next((i for i, g in enumerate(grid) if _meets(s, lever, g)), None)
    if first is None:
        return False
    low, high = (grid[first - 1] if first else now), grid[first]
    return min(low, high) - TOLERANCE <= needed <= max(low, high) + TOLERANCE and abs(needed - low) > TOLERANCE


def _lever_ok(s: Any, lever: str, now: float, needed: float | None, limit: float) -> bool:
    """'Out of reach' only when no value the search tries up to the limit, nor the limit, meets; 'met' only when
    today's value meets; a value meets the target where today's does not, and is the nearest that does (the
    hiring share is the lowest that meets, also below today's where today's is more than enough)."""
    if abs(now - getattr(s, lever)) > TOLERANCE:
        return False
    if needed is None:
        tried = [g for g in _grid(s, lever) if min(now, limit) <= g <= max(now, limit)] if lever in SEARCH_END else []
        return not any(_meets(s, lever, v) for v in [*tried, limit])
    if needed == now:
        return _meets(s, lever, now)
    searched = lever in SEARCH_END
    return _meets(s, lever, needed) and not (searched and _meets(s, lever, now)) and _nearest(s, lever, now, needed)


def _lever_holds(c: Claim) -> bool:
    p = c.params
    return _lever_ok(c.figures["scenario"], p["lever"], p["now"], p["needed"], p["limit"])


def _takes_holds(c: Claim) -> bool:
    return all(_lever_ok(c.figures["scenario"], lever, *c.params[lever]) for lever in ("attrition_women", "growth"))


def _status_head_holds(c: Claim) -> bool:
    """The date and headcount are the last snapshot's; the share its women / headcount (unknown when either is)."""
    p, last = c.params, c.figures["last"]
    if last is None:
        return p["as_of"] is None and p["share"] is None
    day, headcount, women = last
    share = women / headcount if women is not None and headcount else None
    return p["as_of"] == day and p["headcount"] == headcount and close(p["share"], share, 1e-12)


def _state_of(f: Mapping[str, Any]) -> str:
    """The state the one decision (`Target.state`) gives on the glide path's ends the claim rests on."""
    day = dt.date.fromisoformat
    line = Target("", "", f["target_value"], day(f["deadline"]), day(f["baseline_date"]), f["baseline_value"])
    return line.state(f["latest"], day(f["as_of"]))


def _target_state_holds(c: Claim) -> bool:
    p, f = c.params, c.figures
    return (
        p["state"] == _state_of(f)
        and close(p["latest"], f["latest"], 1e-12)
        and close(p["value"], f["target_value"], 1e-12)
        and p["deadline"] == f["deadline"]
        and x_left_out_holds(p["x_left_out"], f.get("shown"))
    )


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _horizon_row(h: int, pairs: list[tuple]) -> tuple:
    """One horizon written out from its pairs (origin, year, actual, model, flat, straight, p05, p25, p75, p95):
    the mean absolute errors, and the share of pairs whose actual lay within the 50% and the 90% range."""
    rows = [x for x in pairs if x[1] - x[0] == h]
    errors = [[abs(x[i] - x[2]) for x in rows if x[i] is not None and not math.isnan(x[i])] for i in (3, 4, 5)]
    c50 = _mean([float(x[7] <= x[2] <= x[8]) for x in rows])
    c90 = _mean([float(x[6] <= x[2] <= x[9]) for x in rows])
    return (h, len(rows), *(_mean(e) for e in errors), c50, c90)


def _track_table_holds(c: Claim) -> bool:
    """The start years counted, and every horizon with pairs, each row re-derived from its pairs."""
    p, pairs = c.params, c.figures["pairs"]
    if p["origins"] != len({x[0] for x in pairs}):
        return False
    derived = [_horizon_row(h, pairs) for h in sorted({x[1] - x[0] for x in pairs})]
    said = list(p["rows"])
    return len(said) == len(derived) and all(
        a[:2] == b[:2] and all(close(x, y, 1e-9) for x, y in zip(a[2:], b[2:], strict=True))
        for a, b in zip(said, derived, strict=True)
    )


def _part_holds(c: Claim) -> bool:
    """The part hires its women's share now; an exempt part keeps it; another adds the effort's points, kept
    between 0 and all hires; without an effort (out of reach) no share is needed and none follows."""
    p, f = c.params, c.figures
    if not close(p["hire"], f["hire_now"], 1e-12):
        return False
    if f["points"] is None:
        return p["needed"] is None and p["at_deadline"] is None
    if p["needed"] is None:
        return False
    if f["exempt"]:
        return close(p["needed"], f["hire_now"], 1e-12)
    if "scenario" in f:
        return _part_projected_holds(c, Scenario(**f["scenario"]))
    want = f["hire_now"] + f["points"]
    return close(p["needed"], want, 1e-9) or f["hire_now"] <= p["needed"] < want or (p["needed"] == 0.0 and want < 0)


def _part_projected_holds(c: Claim, s: Scenario) -> bool:
    """With the part's scenario: the hiring share needed is exactly today's plus the effort, kept between none and
    all hires that are not X, and the share at the deadline is that scenario projected."""
    p, f = c.params, c.figures
    want = f["hire_now"] if f["exempt"] else min(max(f["hire_now"] + f["points"], 0.0), 1.0 - s.hire_share_other)
    path = project(dataclasses.replace(s, hire_share=want, until=s.deadline))
    i = s.deadline - s.start_year
    people = path.women[i] + path.men[i] + path.other[i]
    share = path.women[i] / people if people else None
    return close(p["needed"], want, 1e-12) and p["at_deadline"] is not None and close(p["at_deadline"], share, 1e-9)


TEXT_CHECKERS: dict[str, Callable[[Claim], bool]] = {
    REPORTS_TOTAL: _reports_holds,
    SURVEY_INCLUSION: _survey_holds,
    SAFETY_WILLING: _safety_holds,
    TREND_SPAN: _trend_holds,
    WATCH_TOP: _watch_top_holds,
    PEER_WINDOW: _peer_window_holds,
    SIM_CENTRE: _centre_holds,
    FORCED_EXITS: _forced_holds,
    LEVER_TAKES: _lever_holds,
    TAKES_NOTE: _takes_holds,
    STATUS_HEAD: _status_head_holds,
    TARGET_STATE: _target_state_holds,
    TRACK_TABLE: _track_table_holds,
    ALLOCATION_PART: _part_holds,
    FLOWS_FINDING: _flows_holds,
}
