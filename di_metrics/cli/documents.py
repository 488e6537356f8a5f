"""The one place JSON is made: every command's `--json` document, built from the core's typed results.

The shapes are the contracts of docs/cli.md and docs/where.md: keys in their documented order, dates as ISO
text, unknown as null. A command's result goes in, a plain dict of JSON values comes out (`document`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from di_metrics.analysis.allocation import Allocation
from di_metrics.analysis.forecast import ProjectRun
from di_metrics.analysis.measure_effects import Effects
from di_metrics.analysis.measure_list import CAVEAT, MeasureTrend
from di_metrics.analysis.track_record import TrackRecord
from di_metrics.analysis.watchlist import Watchlist, WatchRow
from di_metrics.cli.career_documents import intake_document, promotion_document, retention_document
from di_metrics.cli.safety_documents import effects_document, reporting_document
from di_metrics.models.claims import Claim, holds
from di_metrics.models.flows import Flows
from di_metrics.models.frontier import Frontier, LeverPoint
from di_metrics.models.peer_pace import Peers, PeerWindow, Window
from di_metrics.models.standing import Status, TargetStatus
from di_metrics.models.survey import AnswerShare, ReportCount, SurveyResults
from di_metrics.models.targets import Target, describe
from di_metrics.present.claims import texts
from di_metrics.storage.ingest import ImportResult

__all__ = [
    "DOCUMENTS",
    "allocation_document",
    "answers_document",
    "backtest_document",
    "claims_document",
    "document",
    "flows_document",
    "frontier_document",
    "import_document",
    "measures_document",
    "peers_document",
    "project_document",
    "reports_document",
    "status_document",
    "survey_document",
    "target_document",
    "targets_document",
    "watchlist_document",
]

Doc = dict[str, Any]


def iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _fields(value: Any) -> Doc:
    """A flat typed value's fields in their declared order (a new field is a documented addition)."""
    return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}


def status_document(s: Status) -> Doc:
    """`status`: dates as ISO text, each target with its `state`."""
    return {
        "as_of": iso(s.as_of),
        "headcount": s.headcount,
        "women": s.women,
        "women_share": s.women_share,
        "suppressed": s.suppressed,
        "unknown_gender": s.unknown_gender,
        "x_left_out": s.x_left_out,
        "targets": [target_document(x) for x in s.targets],
        "series": [
            {"date": p.date.isoformat(), "headcount": p.headcount, "women": p.women, "women_share": p.women_share}
            for p in s.series
        ],
    }


def target_document(x: TargetStatus) -> Doc:
    """One target of `status`; `on_track` is kept for readers of the older contract."""
    return {
        **describe(x.target),
        "as_of": x.as_of.isoformat(),
        "latest": x.latest,
        "glide_path": x.glide_path,
        "state": x.state,
        "on_track": None if x.state == "no_value" else x.state in ("met", "on_track"),
        "gap_pp": x.gap_pp,
        "women_needed": x.women_needed,
        "change_12m": x.change_12m,
        "required_pace": x.required_pace,
        "actual_pace": x.actual_pace,
        "reach_year_at_pace": x.reach_year_at_pace,
    }


def targets_document(targets: list[Target]) -> Doc:
    return {"targets": [describe(t) for t in targets]}


def import_document(result: ImportResult) -> Doc:
    return {
        "kind": result.kind,
        "file": result.file_name,
        "rows": result.rows,
        "changed": result.changed,
        "batch_id": result.batch_id,
        "replaced": list(result.replaced),
    }


def flows_document(f: Flows) -> Doc:
    return {"rows": [_fields(r) for r in f.rows], "hiring_share": [_fields(h) for h in f.hiring_share]}


def survey_document(result: SurveyResults | tuple[AnswerShare, ...]) -> Doc:
    """`survey`: the results of a measure with their source, or (`--answers`) an item's answer distribution."""
    if isinstance(result, SurveyResults):
        return {"rows": [_fields(r) for r in result.rows], "source": result.source}
    return answers_document(result)


def answers_document(rows: tuple[AnswerShare, ...]) -> Doc:
    return {"rows": [_fields(r) for r in rows]}


def reports_document(rows: tuple[ReportCount, ...]) -> Doc:
    return {"rows": [_fields(r) for r in rows]}


def project_document(run: ProjectRun) -> Doc:
    """`project`: the path, its percentiles and the solver's answers; `ranks` only when asked."""
    path, sim = run.result.path, run.result.simulation
    doc: Doc = {
        "params": {**run.scenario.params(), "simulations": run.simulations, "seed": run.seed},
        "rates_from": run.rates_from,
        "years": path.years,
        "women": path.women,
        "men": path.men,
        "women_share": path.women_share,
        "p05": None if sim is None else sim.percentiles[5],
        "p50": None if sim is None else sim.percentiles[50],
        "p95": None if sim is None else sim.percentiles[95],
        "share_at_deadline": path.share_at_deadline,
        "target_year": path.target_year,
        "required_hire_share": run.result.required,
        "share_at_full_hiring": run.result.full_hiring_share,
        "probability_target_met": None if sim is None else sim.probability_target_met,
        "forced_exits": [{"year": y, "persons": n} for y, n in path.forced_exits.items()],
    }
    if run.ranks is not None:
        doc["ranks"] = [_fields(r) for r in run.ranks]
        fold = run.ranks_fold
        folded = fold is not None and bool(fold.folded)
        doc["ranks_folded"] = (
            {"ladder": fold.ladder, "ranks": list(fold.folded), "group": fold.groups[-1]} if folded else None
        )
    return doc


def backtest_document(record: TrackRecord) -> Doc:
    """`backtest`: origins, horizons and pairs; shares and errors as fractions (0.041 = 4.1 pp)."""
    return {"origins": list(record.origins), "horizons": _rows(record.horizons), "pairs": _rows(record.pairs)}


def _rows(frame: pd.DataFrame) -> list[Doc]:
    """A frame's rows as JSON values (numpy scalars as Python numbers)."""
    return [
        {k: v.item() if isinstance(v, np.generic) else v for k, v in row.items()} for row in frame.to_dict("records")
    ]


def frontier_document(f: Frontier) -> Doc:
    """`frontier` (docs/where.md)."""

    def lever(p: LeverPoint | None) -> Doc | None:
        return None if p is None else p.as_dict()

    return {
        "target": f.target,
        "deadline": f.deadline,
        "start_year": f.start_year,
        "points": [p.as_dict() for p in f.points],
        "today": f.today.as_dict(),
        "single_lever": {"hire_share": lever(f.hire_alone), "attrition_women": lever(f.attrition_alone)},
    }


def allocation_document(a: Allocation) -> Doc:
    """`allocate` (docs/where.md): shares only, no counts."""
    return {
        "by": a.by,
        "target": a.target,
        "deadline": a.deadline,
        "effort_points": a.effort_points,
        "parts": [_fields(p) for p in a.parts],
        "organisation_share_now": a.organisation_share_now,
        "organisation_share_at_deadline": a.organisation_share_at_deadline,
        "organisation_share_at_deadline_now": a.organisation_share_at_deadline_now,
    }


def watchlist_document(w: Watchlist) -> Doc:
    """`watchlist` (docs/where.md): rows by persons short, most first."""
    return {"by": w.by, "as_of": iso(w.as_of), "rows": [_watch_row(r) for r in w.rows]}


def _watch_row(r: WatchRow) -> Doc:
    return {**_fields(r), "as_of": r.as_of.isoformat(), "trend": list(r.trend)}


def peers_document(p: Peers) -> Doc:
    """`peers`: peer series, their fastest five years (fastest first), our pace and the figures' sources."""
    return {
        "series": [_fields(x) for x in p.series],
        "fastest_5y": [{"peer": w.peer, "population": w.population, **_window(w)} for w in p.fastest_5y],
        "needed_pp_per_year": p.needed_pp_per_year,
        "ours": [{"year": y, "share": v} for y, v in p.ours.items()],
        "ours_fastest_5y": None if p.ours_fastest_5y is None else _window(p.ours_fastest_5y),
        "target": None if p.target is None else _peer_target(p.target),
        "latest": p.latest,
        "as_of": iso(p.as_of),
        "figures": [{**_fields(f), "date": iso(f.date)} for f in p.figures],
    }


def _window(w: Window | PeerWindow) -> Doc:
    return {"from": w.start, "to": w.end, "pp_per_year": w.pp_per_year}


def _peer_target(t: Target) -> Doc:
    return {"name": t.name, "value": t.target_value, "deadline": t.deadline.isoformat()}


def measures_document(trends: tuple[MeasureTrend, ...]) -> Doc:
    """`measures list`: each measure with its indicator's slopes before and after its start."""
    rows = []
    for x in trends:
        m = x.measure
        row = {"name": m.name, "start": m.start_date.isoformat(), "end": iso(m.end_date), "owner": m.owner}
        rows.append({**row, "status": m.status, "scope": m.scope, "indicator": m.indicator, **_fields(x.slopes)})
    return {"rows": rows, "caveat": CAVEAT}


def claims_document(claims: tuple[Claim, ...]) -> Doc:
    """`claims`: every claim shown for the selection, in both languages, and whether its figures bear it out."""
    rows = []
    for c in claims:
        nl, en = texts(c)
        rows.append({"id": c.id, "kind": c.kind, "surface": c.surface, "params": dict(c.params)})
        rows[-1] |= {"text_nl": nl, "text_en": en, "holds": holds(c)}
    return {"claims": rows}


def _measures(result: tuple[MeasureTrend, ...] | Effects) -> Doc:
    """`measures list` or `measures effect`, by the result's type."""
    return effects_document(result) if isinstance(result, Effects) else measures_document(result)


def _receipt(doc: Doc) -> Doc:
    """demo, convert-csps, rebuild and export: their receipt is already a plain document."""
    return doc


DOCUMENTS: dict[str, Callable[[Any], Doc]] = {
    "demo": _receipt,
    "import": import_document,
    "targets": targets_document,
    "status": status_document,
    "flows": flows_document,
    "project": project_document,
    "survey": survey_document,
    "reports": reports_document,
    "convert-csps": _receipt,
    "export": _receipt,
    "backtest": backtest_document,
    "frontier": frontier_document,
    "allocate": allocation_document,
    "watchlist": watchlist_document,
    "rebuild": _receipt,
    "privacy": _receipt,  # the audit's cells and loss (cli/privacy_audit.py), already a plain document
    "peers": peers_document,
    "claims": claims_document,
    "intake": intake_document,
    "retention": retention_document,
    "promotion": promotion_document,
    "measures": _measures,
    "reporting": reporting_document,
}


def document(command: str, result: Any) -> Doc:
    """The `--json` document of a command's result."""
    return DOCUMENTS[command](result)
