"""The career and social-safety claims, built from the core's typed results with the counts each rests on
(kinds and checkers: models/claims_career.py; words: present/claims_career.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from di_metrics.analysis.career import MATRICES, Intake, intake, matrix, pyramid
from di_metrics.analysis.claims_effects import did_claim, its_claim
from di_metrics.analysis.measure_effects import measure_effects
from di_metrics.analysis.promotion import promotion
from di_metrics.analysis.reporting import reporting
from di_metrics.analysis.retention import retention
from di_metrics.models.claim import Claim
from di_metrics.models.claims_career import (
    CHANGE,
    GRADE,
    INTAKE,
    MEDIAN,
    NO_INTAKE,
    NO_MATRIX,
    PROMOTION,
    PYRAMID,
    RATE,
    RETENTION,
)
from di_metrics.queries.names import display_names
from di_metrics.vocab import GROUP_SEPARATOR

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from di_metrics.analysis.career import IntakeYear, Matrix, Pyramid
    from di_metrics.analysis.measure_effects import MeasureEffect
    from di_metrics.analysis.promotion import LevelRate, Promotion
    from di_metrics.analysis.retention import Retention
    from di_metrics.models.reporting import Decomposition, Estimate, ReportingRow
    from di_metrics.queries.filters import Filters

__all__ = [
    "career_claims",
    "change_claim",
    "grade_claim",
    "intake_claim",
    "median_claim",
    "no_intake_claim",
    "no_matrix_claim",
    "promotion_claim",
    "pyramid_claim",
    "rate_claim",
    "retention_claim",
    "safety_claims",
]


def intake_claim(year: IntakeYear, surface: str = "page") -> Claim:
    """A year's intake: the women's share of hires, the needed share and the women hires it was short."""
    params = {
        "year": year.year,
        "hidden": year.suppressed or not year.hires,
        "hires": year.hires,
        "share": year.share,
        "needed": year.needed_share,
        "gap": year.gap_persons,
    }
    figures = {
        "hires": year.hires,
        "women_hired": year.women_hired,
        "needed_share": year.needed_share,
        "suppressed": year.suppressed,
    }
    return Claim(f"{INTAKE}:{year.group}:{year.year}", INTAKE, surface, params, figures)


def no_intake_claim(found: Intake | Retention, surface: str = "page") -> Claim | None:
    """Why a selection has no intake to show: hires cannot be counted (no complete year in the data) or nobody
    joined it; None where it has intake rows (their own claims speak). Retention says the same where nobody was
    hired at all (its hires include intake's, so intake then has no row either); None where some were, or
    where that was not asked (its own claim speaks)."""
    rows = len(found.years) if isinstance(found, Intake) else None if found.hired is None else int(found.hired)
    if rows is None or rows:
        return None
    unseen = found.complete_years == 0
    figures = {"complete_years": found.complete_years, "rows": rows}
    return Claim(NO_INTAKE, NO_INTAKE, surface, {"state": "unseen" if unseen else "none_hired"}, figures)


def no_matrix_claim(found: Matrix, surface: str = "page") -> Claim | None:
    """Why a matrix has nothing to draw: every cell is hidden, or nobody holds both values; None where a cell
    is shown (the chart speaks, its hidden cells marked)."""
    if any(not c.suppressed for c in found.cells):
        return None
    params = {"state": "hidden" if found.cells else "nobody"}
    figures = {"cells": [(c.row, c.column, c.suppressed) for c in found.cells]}
    return Claim(f"{NO_MATRIX}:{found.rows}:{found.columns}", NO_MATRIX, surface, params, figures)


def _group(gender: str, part: str) -> str:
    return f"{gender}{GROUP_SEPARATOR}{part}" if part else gender


def retention_claim(found: Retention, part: str = "", surface: str = "page") -> Claim:
    """Retention of women and men at the longest milestone both show, and the first year the curves part."""
    women, men = _group("F", part), _group("M", part)
    marks = {(m.group, m.years): m.survival for m in found.milestones}
    both = sorted(y for g, y in marks if g == women and (men, y) in marks)
    parted = found.parting_years(part)
    params = {
        "years": both[-1] if both else None,
        "women": marks[(women, both[-1])] if both else None,
        "men": marks[(men, both[-1])] if both else None,
        "first": parted[0] if parted else None,
    }
    figures = {
        "women": women,
        "men": men,
        "milestones": [(m.group, m.years, m.survival) for m in found.milestones],
        "differences": [(d.years, d.low, d.high) for d in found.differences if d.part == part],
    }
    return Claim(f"{RETENTION}:{part}", RETENTION, surface, params, figures)


def promotion_claim(level: LevelRate, surface: str = "page") -> Claim:
    """A level's promotion: both rates, the impact ratio with its interval, and whether the flag is raised."""
    found = None if level.suppressed else level.interval
    ratio, low, high = found if found is not None else (None, None, None)
    params = {
        "rank": level.rank_group,
        "women": level.women_rate,
        "men": level.men_rate,
        "ratio": ratio,
        "low": low,
        "high": high,
        "flag": level.flag,
        "within": found is not None and not level.flag and ratio >= 0.8,
    }
    figures = {
        "suppressed": level.suppressed,
        "women_promoted": level.women_promoted,
        "women_at_risk": level.women_at_risk,
        "men_promoted": level.men_promoted,
        "men_at_risk": level.men_at_risk,
    }
    return Claim(f"{PROMOTION}:{level.rank_group}:{level.year}", PROMOTION, surface, params, figures)


def median_claim(found: Promotion, rank: str, surface: str = "page") -> Claim:
    """A rank's median years to promotion for women and men (the core's), with the rank's incidence points: a
    gender's curve is shown when one of its points is."""
    medians = {m.gender: m.years for m in found.medians if m.rank_group == rank}
    points = [(p.gender, p.t, p.incidence, p.suppressed) for p in found.incidence if p.rank_group == rank]
    shown = {g for g, _t, _share, hidden in points if not hidden}
    params = {
        "rank": rank,
        "women": medians.get("F") if "F" in shown else None,
        "men": medians.get("M") if "M" in shown else None,
        "women_shown": "F" in shown,
        "men_shown": "M" in shown,
    }
    return Claim(f"{MEDIAN}:{rank}", MEDIAN, surface, params, {"points": points})


def pyramid_claim(found: Pyramid, surface: str = "page") -> Claim:
    """The women's share at each shown top level against the top's target (or the general one)."""
    shown = [(lv.rank_group, lv.share) for lv in found.top if not lv.suppressed and lv.share is not None]
    target = found.top_target if found.top_target is not None else found.target
    figures = {
        "top": [(lv.rank_group, lv.women, lv.headcount, lv.suppressed or lv.share is None) for lv in found.top],
        "target": found.target,
        "top_target": found.top_target,
    }
    return Claim("pyramid_top", PYRAMID, surface, {"parts": shown, "target": target}, figures)


def _triple(e: Estimate | None) -> tuple[float, float | None, float | None] | None:
    return None if e is None else (e.value, e.low, e.high)


def rate_claim(row: ReportingRow, surface: str = "page") -> Claim:
    """One year's estimated people, formal reports and reporting rate; or hidden, or without a wave."""
    params = {
        "year": row.year,
        "hidden": row.suppressed,
        "people": _triple(row.estimated_incidents),
        "reports": row.formal_reports,
        "rate": _triple(row.reporting_rate),
        "told": row.survey_reported_share,
    }
    p = row.prevalence
    figures = {
        "suppressed": row.suppressed,
        "headcount": row.headcount,
        "prevalence": None if p is None else (p.share, p.low, p.high),
        "reports": row.formal_reports,
    }
    return Claim(f"reporting:{row.year}", RATE, surface, params, figures)


def change_claim(
    d: Decomposition,
    rows: tuple[ReportingRow, ReportingRow] | None = None,
    form: str = "sentence",
    surface: str = "page",
) -> Claim:
    """A change in reports split into incidents, rate and headcount (or why not); `form` "title" is the slide's
    question answered. With the two years' `rows` the checker re-derives the split from their counts."""
    parts = None if d.parts is None else [_triple(e) for e in d.parts]
    params = {
        "start": d.year_from,
        "end": d.year_to,
        "change": d.change,
        "parts": parts,
        "driver": d.driver,
        "reason": d.reason,
        "form": form,
    }
    figures = {}
    if rows is not None:
        figures["rows"] = [
            {
                "headcount": r.headcount,
                "prevalence": None if r.prevalence is None else r.prevalence.share,
                "reports": r.formal_reports,
            }
            for r in rows
        ]
    return Claim(f"change:{d.year_from}:{d.year_to}:{form}", CHANGE, surface, params, figures)


def _method(r: object | None) -> dict | None:
    if r is None:
        return None
    effect = getattr(r, "effect", None)
    return {
        "effect": _triple(effect),
        "fired": r.placebos_fired,
        "placebos": r.placebos,
        "pre_trend_ok": getattr(r, "pre_trend_ok", True),
    }


def grade_claim(effect: MeasureEffect, surface: str = "page") -> Claim:
    """A measure's evidence grade, its reason and the effect of the method it leads with."""
    params = {"grade": effect.grade.grade, "reason": effect.grade.reason, "effect": effect.lead_effect}
    figures = {"its": _method(effect.its), "did": _method(effect.did)}
    return Claim(f"grade:{effect.measure.name}", GRADE, surface, params, figures)


ALL = ("page", "deck", "report", "cli")


def career_claims(conn: Connection, filters: Filters) -> list[Claim]:
    """The career claims a selection's Career page, slides, report section and CLI make."""
    intakes = intake(conn, filters)
    found = [intake_claim(y) for y in intakes.years]
    empty = no_intake_claim(intakes)  # said where the intake chart would be: page, slide, report section, CLI
    none = [empty.on(s) for s in ALL] if empty else []
    kept = retention(conn, filters)
    if no_intake_claim(kept) is None:  # else it says intake's sentence, registered above
        found.append(retention_claim(kept))
    promoted = promotion(conn, filters)
    found += [promotion_claim(level) for level in promoted.pooled]
    found.append(pyramid_claim(pyramid(conn, filters)))
    medians = [median_claim(promoted, r) for r in dict.fromkeys(m.rank_group for m in promoted.medians)]
    # a matrix with nothing to draw: the page says so for each pair it offers, the deck's slide for its first
    blank = [no_matrix_claim(matrix(conn, filters, rows, columns)) for rows, columns in MATRICES]
    blank = [c.on(s) for i, c in enumerate(blank) if c for s in (("page", "deck") if i == 0 else ("page",))]
    return [c.on(s) for c in found for s in ALL] + [c.on(s) for c in medians for s in ("page", "cli")] + none + blank


def safety_claims(conn: Connection, filters: Filters) -> list[Claim]:
    """The reporting claims (each year's rate, each change's split with the two years' counts, the slide's
    answer) and every measure's evidence grade and its two methods."""
    result = reporting(conn, filters)
    rows = {r.year: r for r in result.rows}
    out = [rate_claim(r, "cli") for r in result.rows]
    for d in result.changes:
        pair = (rows[d.year_from], rows[d.year_to]) if d.year_from in rows and d.year_to in rows else None
        out += [change_claim(d, pair, surface=s) for s in ALL]
    if result.headline is not None:
        out += [change_claim(result.headline, None, "title", s) for s in ("page", "deck")]
    named = display_names(conn).label  # the compared parts by name, as every surface says them
    for e in measure_effects(conn):
        out += [build(e, s) for build in (grade_claim, its_claim) for s in ("page", "report", "cli")]
        out += [did_claim(e, s, named) for s in ("page", "report", "cli")]
        out.append(grade_claim(e, "deck"))  # the briefing's measures slide leads with the grade
    return out
