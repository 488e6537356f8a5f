"""The claims a selection's pages, deck, report and CLI make, built from the core's typed results with the
figures each rests on (`python -m di_metrics claims`; the kinds and checkers: models/claims.py)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pandas as pd

from di_metrics.analysis.calibration import Calibration, CannotProject, calibrate
from di_metrics.analysis.claims_career import career_claims, safety_claims
from di_metrics.analysis.claims_notes import fold_claim, hidden_selection_claim, rates_claim
from di_metrics.analysis.claims_text import (
    deck_claims,
    flows_claim,
    peer_window_claim,
    reports_claims,
    state_claim,
    status_claims,
    watch_top_claim,
)
from di_metrics.analysis.claims_whatif import overview_claims, pipeline_claim, pipeline_ladder, whatif_claims
from di_metrics.analysis.peer_comparison import peers as peers_of
from di_metrics.analysis.watchlist import Watchlist, WatchRow, watchlist
from di_metrics.config import min_workforce_cell
from di_metrics.models.claims import HEADLINE, HIDDEN, PEERS, REQUIRED, WATCH_ROW, Claim
from di_metrics.models.peer_pace import WINDOW_YEARS, Peers
from di_metrics.models.projection import Projection, Scenario, project, required_hire_share, share_at_deadline
from di_metrics.queries.filters import Filters
from di_metrics.queries.meldingen import reports_by_kind
from di_metrics.queries.privacy import output
from di_metrics.queries.status import PACE_YEARS, leading_status, status
from di_metrics.queries.workforce import breakdown, hiring_vs_stock, pipeline, rank_folds, share_series, snapshot_dates
from di_metrics.vocab import BRANCH, CLI_NAME

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from di_metrics.models.standing import TargetStatus

__all__ = [
    "baseline_path",
    "claims_for",
    "headline_claim",
    "hidden_claims",
    "peers_claim",
    "required_claim",
    "watch_claim",
    "watch_claims",
]


def headline_claim(entry: TargetStatus, path: Projection | None, surface: str = "page") -> Claim:
    """The headline: the share, the gap, the straight line of the last PACE_YEARS years and, when the flows
    were measured (`path`), where today's hiring and leaving rates lead. Both are stated, named apart."""
    target = entry.target.target_value
    latest = float(entry.latest) if entry.latest is not None else float("nan")
    params = {
        "share": latest,
        "target": target,
        "deadline": entry.target.deadline.year,
        "met": latest >= target,
        "gap_pp": entry.gap_pp,
        "needed": entry.women_needed,
        "reach_year": entry.reach_year_at_pace,
        "pace_years": PACE_YEARS,
        "flows_known": path is not None,
        "flows_reach": None if path is None else _first_at(path, target),
        "flows_level": None,
        "flows_level_year": None,
    }
    figures = {"latest": latest, "as_of": entry.as_of.isoformat(), "pace": entry.actual_pace}
    if path is not None:
        figures |= {"path_years": list(path.years), "path_shares": list(path.women_share)}
        if params["flows_reach"] is None:
            params["flows_level"], params["flows_level_year"] = path.women_share[-1], path.years[-1]
    return Claim(f"headline:{entry.target.name}", HEADLINE, surface, params, figures)


def _first_at(path: Projection, target: float) -> int | None:
    return next((y for y, s in zip(path.years, path.women_share, strict=True) if s >= target - 1e-12), None)


def required_claim(
    scenario: Scenario, calibrated: float, required: float | None, full: float, surface: str = "page"
) -> Claim:
    """The What-if headline: the hiring share the target needs every year from the year after the start, beside
    the calibrated share of the last years; or that hiring alone cannot do it."""
    params = {
        "required": required,
        "full": full,
        "recent": calibrated,
        "target": scenario.target,
        "deadline": scenario.deadline,
        "from": scenario.start_year + 1,
    }
    return Claim("whatif_required", REQUIRED, surface, params, {"scenario": scenario, "calibrated": calibrated})


def peers_claim(doc: Peers, surface: str = "page") -> Claim:
    """The peers finding: the fastest peer over any WINDOW_YEARS years or more, ours named apart, and the pace
    the leading target needs; the figures are every peer's verified values and ours."""
    series: dict[str, dict[int, float]] = {}
    for p in doc.series:
        if not p.needs_verification:
            series.setdefault(f"{p.peer} · {p.population}", {})[p.year] = p.share
    best = doc.fastest_5y[0] if doc.fastest_5y else None
    own = doc.ours_fastest_5y
    params = {
        "min_years": WINDOW_YEARS,
        "best": None if best is None else best.pp_per_year,
        "peer": None if best is None else f"{best.peer} · {best.population}",
        "peer_label": None if best is None else best.peer,
        "start": None if best is None else best.start,
        "end": None if best is None else best.end,
        "ours": None if own is None else own.pp_per_year,
        "ours_start": None if own is None else own.start,
        "ours_end": None if own is None else own.end,
        "needed": doc.needed_pp_per_year if doc.target is not None else None,
        "target": None if doc.target is None else doc.target.target_value,
        "deadline": None if doc.target is None else doc.target.deadline.year,
    }
    return Claim("peers", PEERS, surface, params, {"peers": series, "ours": dict(doc.ours)})


def watch_claim(row: WatchRow, surface: str = "page", label: str | None = None) -> Claim:
    """One part against its glide path: persons short, or persons ahead (never a negative shortfall); `label` names
    the part as its surface does (its code by default)."""
    params = {
        "value": row.value,
        "label": label or row.value,
        "share": row.share,
        "glide": row.glide_path,
        "persons": abs(row.persons_short),
        "ahead": row.persons_short < 0,
        "change_12m": row.change_12m,
    }
    figures = {"glide": row.glide_path, "headcount": row.headcount, "women": row.share * row.headcount}
    return Claim(f"watch:{row.value}", WATCH_ROW, surface, params, figures)


def watch_claims(doc: Watchlist, surface: str = "page") -> list[Claim]:
    return [watch_claim(r, surface) for r in doc.rows]


def hidden_claims(table: pd.DataFrame, surface: str = "page") -> list[Claim]:
    """One claim per hidden cell of a safe table: it says 'hidden', whether hidden as primary or complement."""
    hidden = table[table["suppressed"].fillna(False).astype(bool)] if "suppressed" in table else table.iloc[:0]
    k = min_workforce_cell()
    return [
        Claim(f"hidden:{r.value}:{r.date}", HIDDEN, surface, {"reason": "either", "k": k, "fewer_than": None})
        for r in hidden.itertuples()
    ]


def calibration_of(conn: Connection, filters: Filters) -> Calibration | None:
    """The calibration, or None when the selection cannot be projected (its flows unknown, or too small)."""
    try:
        return calibrate(conn, filters)
    except CannotProject:
        return None


def baseline(conn: Connection, filters: Filters) -> Scenario | None:
    """The calibrated baseline, or None when the selection cannot be projected (its flows unknown, or too small)."""
    cal = calibration_of(conn, filters)
    return None if cal is None else cal.scenario


def baseline_path(conn: Connection, filters: Filters) -> Projection | None:
    """The projection at today's hiring and leaving rates, or None when the selection's flows are unknown."""
    base = baseline(conn, filters)
    return None if base is None else project(base)


def _unprojected_claim(conn: Connection, filters: Filters) -> Claim:
    """Whether the selection's figures are hidden on the data's last date (the stamp's scenario part)."""
    dates = snapshot_dates(conn)
    return hidden_selection_claim(share_series(conn, filters), dates[-1] if dates else dt.date.min)


@output
def claims_for(conn: Connection, filters: Filters = Filters()) -> tuple[Claim, ...]:
    """Every claim the pages, deck, report and CLI would show for a selection, once per surface."""
    doc = status(conn, filters)
    out: list[Claim] = []
    main = leading_status(doc, filters)
    cal = calibration_of(conn, filters)
    base = None if cal is None else cal.scenario
    path = None if base is None else project(base)
    if main is not None and main.latest is not None:
        out += [headline_claim(main, path).on(s) for s in ("page", "deck", "report")]
    out += overview_claims(doc, main, path, filters)
    out += status_claims(doc)  # the CLI's status text
    out += [state_claim(x, "deck", "note") for x in doc.targets]  # the status slide's notes
    out += [state_claim(x, "report", "note") for x in doc.targets if x.x_left_out]  # the report's X notes
    if cal is None:  # the briefing's stamp says why nothing is projected
        out += [c.on(s) for c in [_unprojected_claim(conn, filters)] for s in ("page", "deck", "report")]
    if cal is not None and base is not None:
        full = share_at_deadline(base, 1.0 - base.hire_share_other)
        need = required_claim(base, base.hire_share, required_hire_share(base), full)
        out += [need.on(s) for s in ("page", "deck")]
        out += whatif_claims(conn, filters, base)
        out += [rates_claim(cal, s) for s in ("page", "cli")]  # What if?'s caption, `project`'s line
    found = peers_of(conn, filters, doc)
    if found.series:
        out += [peers_claim(found).on(s) for s in ("page", "deck")]
        out += [peer_window_claim(found, w) for w in found.fastest_5y]
    listed = watchlist(conn, filters, CLI_NAME[BRANCH])
    out.append(watch_top_claim(listed))
    rows = watch_claims(listed)
    out += [c.on(s) for c in rows for s in ("page", "cli")]
    out += [c.on("deck") for c in rows if not c.params["ahead"]]  # the slide lists the parts short only
    yearly = hiring_vs_stock(conn, filters)
    if not yearly.empty:  # the Explorer's flows title
        out.append(flows_claim(yearly))
    table = breakdown(conn, filters, BRANCH)
    if not table.empty:
        out += hidden_claims(table[table["date"] == table["date"].max()])
    if doc.as_of is not None:
        out += [pipeline_claim(pipeline_ladder(pipeline(conn, filters, doc.as_of))).on(s) for s in ("deck", "report")]
        folds = [c for fold in rank_folds(conn, filters).values() if (c := fold_claim(fold)) is not None]
        out += [c.on(s) for c in folds for s in ("page", "deck", "cli")]  # Explorer, What if?; notes; --ranks
    out += career_claims(conn, filters) + safety_claims(conn, filters)
    out += deck_claims(conn, filters, doc)
    if not filters.is_fine:  # reports are kept per branch: the Word summary's totals
        out += reports_claims(reports_by_kind(conn, filters))
    return tuple(out)
