"""The `--json` documents of the social-safety evidence (reporting, measures effect), made from their typed
results; documents.py lists every command's document."""

from __future__ import annotations

from typing import Any

from di_metrics.analysis.claims_effects import part_names
from di_metrics.analysis.measure_effects import Effects, MeasureEffect
from di_metrics.analysis.reporting import Reporting
from di_metrics.models.effects import DidResult, ItsResult
from di_metrics.models.names import Names
from di_metrics.models.reporting import Decomposition, Estimate, ReportingRow

__all__ = ["effects_document", "reporting_document"]

Doc = dict[str, Any]


SHARE_DECIMALS = 4
COUNT_DECIMALS = 1


def _round(value: float | None, decimals: int) -> float | None:
    return None if value is None else round(float(value), decimals)


def _estimate(e: Estimate | None, decimals: int) -> Doc | None:
    if e is None:
        return None
    return {"value": _round(e.value, decimals), "low": _round(e.low, decimals), "high": _round(e.high, decimals)}


def _row(r: ReportingRow) -> Doc:
    p, people, rate = r.prevalence, r.estimated_incidents, r.reporting_rate
    return {
        "year": r.year,
        "headcount": r.headcount,
        "prevalence": None if p is None else _round(p.share, SHARE_DECIMALS),
        "prevalence_low": None if p is None else _round(p.low, SHARE_DECIMALS),
        "prevalence_high": None if p is None else _round(p.high, SHARE_DECIMALS),
        "estimated_incidents": None if people is None else _round(people.value, COUNT_DECIMALS),
        "formal_reports": r.formal_reports,
        "reporting_rate": None if rate is None else _round(rate.value, SHARE_DECIMALS),
        "low": None if rate is None else _round(rate.low, SHARE_DECIMALS),
        "high": None if rate is None else _round(rate.high, SHARE_DECIMALS),
        "survey_reported_share": _round(r.survey_reported_share, SHARE_DECIMALS),
        "suppressed": r.suppressed,
        "formal_reports_reason": r.reports_reason,
    }


def _change(d: Decomposition) -> Doc:
    parts = {k: _estimate(getattr(d, k), COUNT_DECIMALS) for k in ("incidents", "rate", "headcount")}
    return {"from": d.year_from, "to": d.year_to, "change": d.change, **parts, "driver": d.driver, "reason": d.reason}


def reporting_document(result: Reporting) -> Doc:
    """`reporting`: the rows of the issue's contract, and the splits of each change (a documented addition)."""
    return {"rows": [_row(r) for r in result.rows], "changes": [_change(d) for d in result.changes]}


def _its(r: ItsResult) -> Doc:
    fits = {k: _estimate(getattr(r, k), 3) for k in ("level", "slope", "effect")}
    counts = {"points_before": r.points_before, "points_after": r.points_after}
    return {**counts, **fits, "placebos": r.placebos, "placebos_fired": r.placebos_fired, "reason": r.reason}


def _did(r: DidResult | None, e: MeasureEffect, names: Names) -> Doc | None:
    """The difference in differences; its parts by code (the contract) and, as the page and the text name them,
    by name in each language (as its claim names them, so the document and the sentence cannot differ)."""
    if r is None:
        return None
    counts = {"points_before": r.points_before, "points_after": r.points_after, "parts": list(e.comparison_parts)}
    counts["part_names"] = part_names(e, names.label)
    fits = {"effect": _estimate(r.effect, 3), "pre_trend": _estimate(r.pre_trend, 3), "pre_trend_ok": r.pre_trend_ok}
    return {**counts, **fits, "placebos": r.placebos, "placebos_fired": r.placebos_fired, "reason": r.reason}


def effects_document(effects: Effects) -> Doc:
    """`measures effect [NAME]`: each measure's grade and reason code first, then both methods (in pp)."""
    rows = []
    for e in effects.rows:
        slopes = {"slope_before": _round(e.slope_before, 3), "slope_after": _round(e.slope_after, 3)}
        head = {"name": e.measure.name, "start": e.measure.start_date.isoformat(), "indicator": e.measure.indicator}
        grade = {"scope": e.measure.scope, "grade": e.grade.grade, "reason": e.grade.reason}
        rows.append({**head, **grade, "its": _its(e.its), "did": _did(e.did, e, effects.names), **slopes})
    return {"rows": rows}
