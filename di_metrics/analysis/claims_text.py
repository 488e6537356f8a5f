"""The claims behind the report's, deck's and CLI's remaining sentences about the data, built from the safe
tables and the core's results with the figures each rests on (kinds and checkers: models/claims_text.py)."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import pandas as pd

from di_metrics.config import min_workforce_cell
from di_metrics.models.claim import Claim
from di_metrics.models.claims_text import (
    ALLOCATION_PART,
    FLOWS_FINDING,
    FORCED_EXITS,
    LEVER_TAKES,
    PEER_WINDOW,
    REPORTS_TOTAL,
    SAFETY_WILLING,
    SIM_CENTRE,
    STATUS_HEAD,
    SURVEY_INCLUSION,
    TAKES_NOTE,
    TARGET_STATE,
    TRACK_TABLE,
    TREND_SPAN,
    WATCH_TOP,
)
from di_metrics.models.peer_pace import WINDOW_YEARS, Peers, PeerWindow
from di_metrics.queries.filters import Filters
from di_metrics.queries.survey import load_codebook, survey_table
from di_metrics.vocab import INCLUSION, SAFETY_MEASURES

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from di_metrics.analysis.allocation import Allocation, PartShare
    from di_metrics.analysis.track_record import TrackRecord
    from di_metrics.analysis.watchlist import Watchlist
    from di_metrics.models.montecarlo import Simulation
    from di_metrics.models.projection import Projection, Scenario
    from di_metrics.models.standing import Point, Status, TargetStatus

__all__ = [
    "SurveyFigures",
    "centre_claim",
    "deck_claims",
    "flows_claim",
    "forced_claim",
    "lever_claim",
    "part_claim",
    "peer_window_claim",
    "reports_claims",
    "safety_claim",
    "state_claim",
    "status_claims",
    "status_head_claim",
    "survey_claim",
    "survey_figures",
    "takes_claim",
    "track_table_claim",
    "trend_claim",
    "trend_points",
    "watch_top_claim",
    "willing_shares",
]

# The inclusion table by gender (None: not in the codebook or empty), each safety measure's % favourable per
# wave, and the waves the slides show.
SurveyFigures = tuple[pd.DataFrame | None, dict[str, pd.Series], list]


def _value(v: object) -> float | None:
    return None if v is None or pd.isna(v) else float(v)  # type: ignore[arg-type]


def reports_claims(reports: pd.DataFrame, surface: str = "report") -> list[Claim]:
    """Per kind with every category of the last year shown and known: that year's total (`reports_by_kind`'s
    frame)."""
    if reports.empty:
        return []
    last = int(reports["year"].max())
    columns = zip(reports["kind"], reports["year"], reports["count"], reports["suppressed"], strict=True)
    rows = [(str(k), int(y), _value(n), bool(s)) for k, y, n, s in columns]
    out = []
    for kind in sorted(set(reports.loc[reports["year"] == last, "kind"])):
        cells = reports[(reports["kind"] == kind) & (reports["year"] == last)]
        if cells["suppressed"].any() or cells["count"].isna().any():
            continue  # a total with a hidden or unknown part is not said, nor an earlier year's as the last
        params = {"kind": kind, "year": last, "n": float(cells["count"].sum())}
        out.append(Claim(f"reports:{kind}", REPORTS_TOTAL, surface, params, {"rows": rows}))
    return out


def flows_claim(yearly: pd.DataFrame, surface: str = "page") -> Claim:
    """The flows chart's title: the last year's women's share of hires against their share of personnel at its
    start, each None where the gate withholds it, why a share of hires is missing, and whether the chart has
    anything to draw (`charted`: else the page says the title alone, never an empty chart) (`hiring_vs_stock`'s
    frame, the rows the chart draws)."""
    years = [int(y) for y in yearly["year"]]
    hires = dict(zip(years, map(_value, yearly["hiring_share_women"]), strict=True))
    stock = dict(zip(years, map(_value, yearly["stock_share_start"]), strict=True))
    states = dict(zip(years, map(str, yearly["hires_state"]), strict=True))
    pairs = zip(map(_value, yearly["attrition_women"]), map(_value, yearly["attrition_men"]), strict=True)
    attrition = dict(zip(years, pairs, strict=True))
    last = years[-1]
    drawn = [*hires.values(), *stock.values(), *(v for pair in attrition.values() for v in pair)]
    charted = any(v is not None for v in drawn)
    params = {"year": last, "hires": hires[last], "stock": stock[last], "hires_state": states[last], "charted": charted}
    figures = {"years": years, "hires": hires, "stock": stock, "states": states, "attrition": attrition}
    return Claim("flows_finding", FLOWS_FINDING, surface, params, figures)


def survey_claim(table: pd.DataFrame, waves: Sequence, surface: str = "deck") -> Claim:
    """The inclusion slide's title: the last wave's percentage of women and of men positive, or withheld."""
    shares = {
        g: {w: _value(v) for w, v in zip(part["wave"], part["pct_favourable"], strict=True)}
        for g, part in ((g, table[table["group"] == g]) for g in ("F", "M"))
    }
    women, men = shares["F"].get(waves[-1]), shares["M"].get(waves[-1])
    withheld = women is None or men is None
    params = {"wave": waves[-1], "women": None if withheld else women, "men": None if withheld else men}
    figures = {"waves": list(waves), "women": shares["F"], "men": shares["M"]}
    return Claim("survey_inclusion", SURVEY_INCLUSION, surface, params, figures)


def safety_claim(willing: Mapping | None, waves: Sequence, surface: str = "deck") -> Claim:
    """The safety slide's title: the last wave's share willing to report (a fraction), withheld, or not asked
    (`willing`: wave -> share, None when the survey does not ask it)."""
    said = None if willing is None else _value(willing.get(waves[-1]))
    params = {"wave": waves[-1], "willing": said, "asked": willing is not None}
    figures = {"waves": list(waves), "willing": None if willing is None else dict(willing)}
    return Claim("safety_willing", SAFETY_WILLING, surface, params, figures)


def trend_claim(points: Sequence[tuple[int, float]], surface: str = "deck") -> Claim:
    """The trend slide's note: the share at the first and the last point shown (`points`: (year, share) in date
    order, as the chart draws them)."""
    (start, first), (end, last) = points[0], points[-1]
    params = {"first": first, "start": start, "last": last, "end": end}
    return Claim("trend_span", TREND_SPAN, surface, params, {"points": [tuple(x) for x in points]})


def trend_points(series: Sequence[Point]) -> list[tuple[int, float]]:
    """The points the trend slide draws: the year ends, or every point when the data has no year end; a date the
    selection holds nobody is no point (its share is not hidden, there is none), so a blank end reads 'hidden'."""
    shown = [p for p in series if (p.date.month, p.date.day) == (12, 31)] or list(series)
    held = [p for p in shown if p.headcount != 0] or shown
    return [(p.date.year, p.women_share) for p in held]


def survey_figures(conn: Connection, filters: Filters) -> SurveyFigures:
    """What the survey slides show: the inclusion table, the safety measures' series and the waves (the
    inclusion table's, else the safety measures' own)."""
    codebook = load_codebook(conn)
    if codebook.items.empty:
        return None, {}, []
    constructs = set(codebook.items["construct"])
    table, waves = None, []
    if INCLUSION in constructs:
        found = survey_table(conn, filters, INCLUSION, "gender")
        if not found.empty:
            table, waves = found, sorted(found["wave"].unique())
    present = [(key, measure) for key, measure in SAFETY_MEASURES.items() if measure in constructs]
    parts = {
        key: survey_table(conn, filters, measure, None).set_index("wave")["pct_favourable"] for key, measure in present
    }
    if not waves:
        waves = sorted({w for part in parts.values() for w in part.index})
    return table, parts, waves


def willing_shares(parts: Mapping[str, pd.Series]) -> dict | None:
    """The share willing to report per wave, a fraction (None in a wave without it); None when not asked."""
    willing = parts.get("willingness")
    if willing is None:
        return None
    return {w: None if pd.isna(v) else float(v) / 100 for w, v in willing.items()}


def deck_claims(conn: Connection, filters: Filters, doc: Status) -> list[Claim]:
    """The deck's trend note and survey slide titles, as the briefing builds them."""
    out = [trend_claim(trend_points(doc.series))] if doc.series else []
    table, parts, waves = survey_figures(conn, filters)
    if table is not None:
        out.append(survey_claim(table, waves))
    if parts and waves:
        out.append(safety_claim(willing_shares(parts), waves))
    return out


def watch_top_claim(doc: Watchlist, label: str | None = None, surface: str = "deck") -> Claim:
    """The watchlist slide's title: the first row short of its path (the rows come most short first), or none
    below, or nothing to list; `label` names the part as the slide does (its code by default)."""
    short = [r for r in doc.rows if r.persons_short > 0]
    top = short[0] if short else None
    params = {
        "value": None if top is None else top.value,
        "label": None if top is None else (label or top.value),
        "short": None if top is None else top.persons_short,
        "listed": len(doc.rows),  # 0: every part hidden or none at all, which says nothing of the glide path
    }
    rows = [(r.value, r.glide_path, r.headcount, r.share * r.headcount) for r in doc.rows]
    return Claim("watch_top", WATCH_TOP, surface, params, {"rows": rows})


def peer_window_claim(doc: Peers, w: PeerWindow, surface: str = "deck") -> Claim:
    """A peers note: the peer's fastest window, with the peer's verified values as the figures."""
    yearly = {
        p.year: p.share
        for p in doc.series
        if (p.peer, p.population) == (w.peer, w.population) and not p.needs_verification
    }
    params = {
        "peer": w.peer,
        "population": w.population,
        "start": w.start,
        "end": w.end,
        "best": w.pp_per_year,
        "min_years": WINDOW_YEARS,
    }
    return Claim(f"peer:{w.peer}:{w.population}", PEER_WINDOW, surface, params, {"yearly": yearly})


def centre_claim(sim: Simulation, path: Projection, surface: str = "page") -> Claim | None:
    """The simulated paths' median at the deadline beside the projection's share then; None outside the paths.
    The figures are the deadline year's draws and the projection's path, so each stated figure is re-derived."""
    deadline = path.deadline
    median = sim.median_in(deadline)
    if median is None:
        return None
    draws = [float(x) for x in sim.sorted_shares[deadline - sim.years[0]]]
    params = {"median": median, "deadline": deadline, "share": path.share_at_deadline}
    figures = {
        "draws": draws,
        "deadline": deadline,
        "path_years": list(path.years),
        "path_shares": list(path.women_share),
    }
    return Claim("sim_centre", SIM_CENTRE, surface, params, figures)


def forced_claim(path: Projection, surface: str = "page") -> Claim | None:
    """The exits the projection adds beyond attrition to shrink as the growth asks; None without any."""
    if not path.forced_exits:
        return None
    params = {"persons": sum(path.forced_exits.values()), "year": max(path.forced_exits)}
    return Claim("forced_exits", FORCED_EXITS, surface, params, {"exits": dict(path.forced_exits)})


def lever_claim(s: Scenario, lever: str, takes: tuple, surface: str = "page") -> Claim:
    """What one lever needs (`takes`: now, needed or None, limit, as `what_it_takes` gives it)."""
    now, needed, limit = takes
    params = {"lever": lever, "now": now, "needed": needed, "limit": limit}
    return Claim(f"takes:{lever}", LEVER_TAKES, surface, params, {"scenario": s})


def takes_claim(s: Scenario, takes: Mapping[str, tuple], surface: str = "deck") -> Claim:
    """The What-if slide's note: the women's attrition and the growth each needs, the others as set."""
    params = {lever: tuple(takes[lever]) for lever in ("attrition_women", "growth")}
    return Claim("takes_note", TAKES_NOTE, surface, params, {"scenario": s})


def status_head_claim(doc: Status, surface: str = "cli") -> Claim:
    """The status line: the last snapshot's date, headcount and women's share (the series' last point)."""
    last = doc.series[-1] if doc.series else None
    params = {
        "as_of": None if doc.as_of is None else doc.as_of.isoformat(),
        "headcount": doc.headcount,
        "share": doc.women_share,
    }
    figures = {"last": None if last is None else (last.date.isoformat(), last.headcount, last.women)}
    return Claim("status", STATUS_HEAD, surface, params, figures)


def state_claim(entry: TargetStatus, surface: str = "cli", form: str = "line") -> Claim:
    """A target's line: its latest value and state, with the glide path's ends the state is decided on (`form`
    "note": the status slide's note)."""
    t = entry.target
    params = {
        "target": t.name,
        "metric": t.metric,
        "latest": entry.latest,
        "state": entry.state,
        "value": t.target_value,
        "deadline": t.deadline.isoformat(),
        "form": form,
        "x_left_out": entry.x_left_out,  # the figure counts no X: said, never read as a population without any
        "k": min_workforce_cell(),
    }
    figures = {
        "latest": entry.latest,
        "as_of": entry.as_of.isoformat(),
        "baseline_date": t.baseline_date.isoformat(),
        "baseline_value": t.baseline_value if entry.glide_from is None else entry.glide_from,
        "target_value": t.target_value,
        "deadline": t.deadline.isoformat(),
        "shown": None if entry.shown is None else list(entry.shown),  # what "X left out" is re-derived from
    }
    return Claim(f"state:{t.name}:{form}", TARGET_STATE, surface, params, figures)


def status_claims(doc: Status, surface: str = "cli") -> list[Claim]:
    """`status`'s text: the head line and each target's line."""
    return [status_head_claim(doc, surface), *(state_claim(x, surface) for x in doc.targets)]


def _known(v: object) -> float | None:
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)  # type: ignore[arg-type]


def track_table_claim(record: TrackRecord, surface: str = "cli") -> Claim:
    """`backtest`'s text: per horizon the errors of the projection, the flat and the straight line, and how often
    the 50% and 90% ranges held, with every pair as the figures."""
    columns = ["h", "pairs", "mae_model", "mae_constant", "mae_trend", "coverage50", "coverage90"]
    rows = [] if record.horizons.empty else record.horizons[columns].to_dict("records")
    said = [(int(r["h"]), int(r["pairs"]), *(_known(r[c]) for c in columns[2:])) for r in rows]
    names = ["origin", "year", "actual", "model", "constant", "trend", "p05", "p25", "p75", "p95"]
    frame = record.pairs
    pairs = [] if frame.empty else [(int(x[0]), int(x[1]), *map(_known, x[2:])) for x in frame[names].to_numpy()]
    params = {"origins": len(record.origins), "rows": said}
    return Claim("track_table", TRACK_TABLE, surface, params, {"pairs": pairs})


def part_claim(doc: Allocation, part: PartShare, surface: str = "cli") -> Claim:
    """`allocate`'s line for one part: its shares now and the hiring share the equal effort asks of it."""
    params = {
        "part": part.value,
        "share": part.share_now,
        "hire": part.hire_share_now,
        "of_hires": part.share_of_hires,
        "needed": part.hire_share_needed,
        "at_deadline": part.share_at_deadline,
    }
    figures = {"hire_now": part.hire_share_now, "points": doc.effort_points, "exempt": part.exempt}
    if doc.scenarios:  # the part's own scenario: the checker projects its share at the deadline again
        scenario = doc.scenarios[doc.parts.index(part)]
        figures["scenario"] = {
            f.name: getattr(scenario, f.name) for f in dataclasses.fields(scenario) if f.name != "spread"
        }
    return Claim(f"part:{part.value}", ALLOCATION_PART, surface, params, figures)
