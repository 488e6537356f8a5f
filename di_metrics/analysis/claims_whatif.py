"""The Overview's and What if?'s claims beyond the headline, built from the core's typed results with the
figures each rests on (kinds and checkers: models/claims_whatif.py; words: present/claims_whatif.py)."""

from __future__ import annotations

import contextlib
import math
from typing import TYPE_CHECKING

import pandas as pd

from di_metrics.analysis.allocation import allocation_for
from di_metrics.analysis.calibration import CannotProject
from di_metrics.analysis.claims_text import (
    centre_claim,
    forced_claim,
    lever_claim,
    part_claim,
    takes_claim,
    track_table_claim,
)
from di_metrics.analysis.evaluate import run_simulation, within_sliders
from di_metrics.analysis.track_record import track_record
from di_metrics.analysis.verdict import MIN_PAIRS, verdict
from di_metrics.config import min_workforce_cell
from di_metrics.models.claim import Claim
from di_metrics.models.claims_whatif import (
    ALLOCATION,
    CARD,
    EVIDENCE,
    FINDING,
    FRONTIER,
    OUTCOME,
    PIPELINE,
    PROJECTION_NOTE,
    TRACK,
    VERDICT,
)
from di_metrics.models.frontier import lever_frontier
from di_metrics.models.metrics import SHARE, metric_of
from di_metrics.models.projection import project, what_it_takes
from di_metrics.vocab import BRANCH, CLI_NAME, MILITARY

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from di_metrics.analysis.allocation import Allocation
    from di_metrics.analysis.track_record import TrackRecord
    from di_metrics.models.frontier import Frontier, LeverPoint
    from di_metrics.models.montecarlo import Simulation
    from di_metrics.models.projection import Projection, Scenario
    from di_metrics.models.standing import Status, TargetStatus
    from di_metrics.queries.filters import Filters

__all__ = [
    "COMPARED_HORIZON",
    "allocation_claim",
    "card_claim",
    "evidence_claim",
    "finding_claim",
    "frontier_claim",
    "note_claim",
    "outcome_claim",
    "overview_claims",
    "pipeline_claim",
    "pipeline_ladder",
    "track_claim",
    "verdict_claim",
    "whatif_claims",
]

COMPARED_HORIZON = 3  # the track record's sentence compares the model with the baselines this many years ahead


def _path(path: Projection) -> dict:
    return {"path_years": list(path.years), "path_shares": list(path.women_share)}


def finding_claim(entry: TargetStatus, series_latest: float | None, surface: str = "page") -> Claim:
    """The trend chart's title: the share now (the chart's last point) and the target by its deadline."""
    target = entry.target
    params = {"share": entry.latest, "target": target.target_value, "deadline": target.deadline.year}
    figures = {"latest": series_latest, "target": target.target_value, "deadline": target.deadline.year}
    return Claim(f"finding:{target.name}", FINDING, surface, params, figures)


def note_claim(path: Projection, surface: str = "page") -> Claim:
    """The note under the dashed line: where today's rates lead in the deadline year."""
    params = {"share": path.share_at_deadline, "year": path.deadline}
    return Claim("projection_note", PROJECTION_NOTE, surface, params, _path(path))


def card_claim(
    entry: TargetStatus, headcount: int | None = None, women: int | None = None, surface: str = "page"
) -> Claim:
    """A target's card; `headcount` and `women` of the target's population let the checker re-count the women
    needed (without them the card's count is the status's)."""
    t = entry.target
    pct = lambda v: None if v is None else 100 * v  # noqa: E731
    params = {
        "target": t.name,
        "value": t.target_value,
        "deadline": t.deadline.isoformat(),
        "latest": entry.latest,
        "metric": t.metric,
        "change_pp": pct(entry.change_12m),
        "gap_pp": entry.gap_pp,
        "needed": None if entry.women_needed is None else max(0, entry.women_needed),
        "required_pp": pct(entry.required_pace),
        "actual_pp": pct(entry.actual_pace),
        "deadline_passed": entry.as_of >= t.deadline,
        # a narrower selection is judged on its own line: the card says where that line starts
        "own_from": None if entry.glide_from in (None, t.baseline_value) else entry.glide_from,
        "baseline_date": t.baseline_date.isoformat(),
        "x_left_out": entry.x_left_out,  # the figure counts no X: said, never read as a population without any
        "k": min_workforce_cell(),
    }
    figures = {
        "latest": entry.latest,
        "target": t.target_value,
        "own_at_baseline": entry.own_at_baseline,  # the selection's own value on the baseline date, from its series
        "target_baseline": t.baseline_value,
        "as_of": entry.as_of.isoformat(),
        "deadline": t.deadline.isoformat(),
        "headcount": headcount,
        "women": women,
        "change": entry.change_12m,
        "pace": entry.actual_pace,
        "shown": None if entry.shown is None else list(entry.shown),  # what "X left out" is re-derived from
    }
    return Claim(f"card:{t.name}", CARD, surface, params, figures)


def outcome_claim(
    path: Projection, simulation: Simulation | None, surface: str = "page", form: str = "sentence"
) -> Claim:
    """Where the settings lead: the share in the deadline year, the year the target is reached (or not by the
    last year), and the chance from the simulated paths; `form` "note" is the slide's shorter note."""
    draws = None
    if simulation is not None and len(simulation.sorted_shares) and path.deadline in simulation.years:
        draws = simulation.sorted_shares[path.deadline - simulation.years[0]].tolist()
    params = {
        "share": path.share_at_deadline,
        "deadline": path.deadline,
        "target": path.target,
        "reach_year": path.target_year,
        "horizon": path.years[-1],
        "chance": None if simulation is None else simulation.probability_target_met,
        "form": form,
    }
    return Claim("whatif_outcome", OUTCOME, surface, params, _path(path) | {"deadline_draws": draws})


def _rows(record: TrackRecord) -> list[dict]:
    cols = ["h", "pairs", "mae_model", "mae_constant", "mae_trend"]
    if record.horizons.empty:
        return []
    return [
        {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in r.items()}
        for r in record.horizons[cols].to_dict("records")
    ]


def track_claim(record: TrackRecord, surface: str = "page") -> Claim:
    """How far off the projection was a few years ahead, against the flat line and the straight line."""
    h = record.nearest_horizon(COMPARED_HORIZON)
    row = record.horizon(h) if h is not None else None
    params = {
        "compared": COMPARED_HORIZON,
        "h": None if row is None else h,
        "origins": len(record.origins),
        "model": None if row is None else row.mae_model,
        "constant": None if row is None else row.mae_constant,
        "trend": None if row is None else row.mae_trend,
    }
    return Claim("track_comparison", TRACK, surface, params, {"rows": _rows(record), "origins": len(record.origins)})


def verdict_claim(record: TrackRecord, surface: str = "page") -> Claim:
    """The verdict: which method forecast best at each horizon with at least MIN_PAIRS past starts."""
    v = verdict(record)
    params = {"kind": v.kind, "horizons": list(v.horizons), "best": list(v.best), "min_pairs": MIN_PAIRS}
    return Claim("track_verdict", VERDICT, surface, params, {"rows": _rows(record)})


def evidence_claim(record: TrackRecord, years_ahead: int, surface: str = "page") -> Claim:
    """How often the 90% range held the actual share, at the horizon nearest the deadline with enough pairs."""
    h = record.evidence_horizon(years_ahead, MIN_PAIRS) if not record.horizons.empty else None
    held, pairs = record.band_held(h) if h is not None else (None, None)
    params = {"years_ahead": years_ahead, "h": h, "held": held, "pairs": pairs, "min_pairs": MIN_PAIRS}
    frame = record.pairs
    rows = (
        []
        if frame.empty
        else [
            (int(y - o), lo, a, hi)
            for o, y, lo, a, hi in zip(
                frame["origin"], frame["year"], frame["p05"], frame["actual"], frame["p95"], strict=True
            )
        ]
    )
    return Claim("band_evidence", EVIDENCE, surface, params, {"pairs": rows})


def _lever(x: LeverPoint | None) -> tuple[float, float, float] | None:
    return None if x is None else (x.hire_share, x.attrition_women, x.share_at_deadline)


def frontier_claim(doc: Frontier, surface: str = "deck") -> Claim:
    """The frontier's message: the hiring share at today's attrition, and the lowest, with no woman leaving."""
    params = {
        "target": doc.target,
        "deadline": doc.deadline,
        "hire": None if doc.hire_alone is None else doc.hire_alone.hire_share,
        "hire_low": doc.points[0].hire_share if doc.points else None,
    }

    figures = {
        "points": [_lever(x) for x in doc.points],
        "hire_alone": _lever(doc.hire_alone),
        "today_attrition": doc.today.attrition_women,
    }
    return Claim("frontier", FRONTIER, surface, params, figures)


def allocation_claim(doc: Allocation, surface: str = "deck") -> Claim:
    """The allocation's message: the equal rise in every part's women's share of hires, or out of reach."""
    params = {"target": doc.target, "deadline": doc.deadline, "points": doc.effort_points}
    figures = {
        "parts": [(x.hire_share_now, x.hire_share_needed, x.exempt) for x in doc.parts],
        "at_deadline": doc.organisation_share_at_deadline,
    }
    return Claim("allocation", ALLOCATION, surface, params, figures)


def pipeline_ladder(pipe: pd.DataFrame) -> pd.DataFrame:
    """The ladder the pipeline slide shows: the military one where the selection has it, else the whole."""
    military = pipe["category"] == MILITARY
    return pipe[military] if military.any() else pipe


def pipeline_claim(pipe: pd.DataFrame, surface: str = "deck") -> Claim:
    """The pipeline's message: the women's share at entry level and at the top, or that one is withheld."""
    shares = [None if pd.isna(v) else float(v) for v in pipe["women_share"]]
    shown = bool(shares) and None not in (shares[0], shares[-1])
    params = {"bottom": shares[0] if shown else None, "top": shares[-1] if shown else None}
    return Claim("pipeline", PIPELINE, surface, params, {"shares": shares})


def overview_claims(doc: Status, main: TargetStatus | None, path: Projection | None, filters: Filters) -> list[Claim]:
    """The Overview's chart title (also the trend slide's), its projection note and every target's card; a card
    of the selection's own women's-share target carries the counts its women needed are re-counted from."""
    out: list[Claim] = []
    if main is not None and main.latest is not None:
        finding = finding_claim(main, doc.series[-1].women_share if doc.series else None)
        out += [finding.on(s) for s in ("page", "deck")]
    if path is not None:
        out.append(note_claim(path))
    for entry in doc.targets:
        t = entry.target
        own = t.is_population(filters.values) and not t.exempt_units and metric_of(t.metric).kind is SHARE
        out.append(card_claim(entry, *((doc.headcount, doc.women) if own else (None, None))))
    return out


def whatif_claims(conn: Connection, filters: Filters, base: Scenario) -> list[Claim]:
    """What if? at the calibrated levers: the outcome and its chance, the frontier's and the allocation's
    slide titles, and the track record's comparison, verdict and evidence (as each surface shows them)."""
    path = project(base)
    simulation = run_simulation(base)
    out = [outcome_claim(path, simulation), outcome_claim(path, simulation, "deck", "note")]
    out.append(outcome_claim(path, simulation, "cli"))
    centre = centre_claim(simulation, path)
    out += [] if centre is None else [centre.on(s) for s in ("page", "deck")]
    out += [c for c in (forced_claim(path),) if c is not None]
    takes = within_sliders(what_it_takes(base))  # as the page and the slide say it
    out += [takes_claim(base, takes)] + [lever_claim(base, lever, v) for lever, v in takes.items()]
    frontier = lever_frontier(base)
    out += [frontier_claim(frontier, s) for s in ("deck", "cli")]  # the slide's title, the CLI's first line
    with contextlib.suppress(CannotProject):  # a selection whose parts cannot be shown has no allocation
        target = {"target": base.target, "deadline": base.deadline}
        shares = allocation_for(conn, filters, CLI_NAME[BRANCH], target)
        out += [allocation_claim(shares), allocation_claim(shares, "cli")]
        out += [part_claim(shares, p) for p in shares.parts]
        out += [c for c in shares.rates if c is not None]  # the allocation table's column of where rates come from
    record = track_record(conn, filters)
    out += [track_claim(record).on(s) for s in ("page", "report")] + [track_table_claim(record)]
    if not record.empty:
        out += [verdict_claim(record).on(s) for s in ("page", "deck", "report")]
        out += [evidence_claim(record, base.deadline - base.start_year).on(s) for s in ("page", "deck")]
    return out
