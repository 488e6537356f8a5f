"""The `--json` documents of the career commands (intake, retention, promotion), made from their typed
results; documents.py lists every command's document."""

from __future__ import annotations

import math
from typing import Any

from di_metrics.analysis.career import Intake
from di_metrics.analysis.claims_career import no_intake_claim
from di_metrics.analysis.promotion import LevelRate, Promotion
from di_metrics.analysis.retention import Retention
from di_metrics.present.claims_career import no_intake_state
from di_metrics.vocab import GENDER, RANK_GROUP

__all__ = ["intake_document", "promotion_document", "retention_document"]

Doc = dict[str, Any]


def _finite(value: float | None) -> float | None:
    """A figure for JSON: infinity (an interval without an upper end) and nan are unknown, null."""
    return None if value is None or not math.isfinite(value) else value


def intake_document(x: Intake) -> Doc:
    """`intake`: per entry year (and part, with --by), hires against the share the target needs; without a row,
    why (`no_intake`, the state of the sentence the page and the text say), so an empty list never reads as 0."""
    rows = []
    for y in x.years:
        row = {"year": y.year, **({"group": y.group} if x.by else {})}
        rows.append(
            row
            | {
                "hires": y.hires,
                "women_hired": y.women_hired,
                "share": y.share,
                "needed_share": y.needed_share,
                "gap_persons": y.gap_persons,
                "suppressed": y.suppressed,
            }
        )
    empty = no_intake_claim(x)
    return {"rows": rows, "no_intake": no_intake_state(empty) if empty else None}


def retention_document(x: Retention) -> Doc:
    """`retention`: the curves and milestones of the contract, then the differences and parting years."""
    return {
        "curves": [
            {
                "group": p.group,
                "t": p.t,
                "at_risk": p.at_risk,
                "survival": p.survival,
                "low": p.low,
                "high": p.high,
                "suppressed": p.suppressed,
            }
            for p in x.curves
        ],
        "milestones": [
            {"group": m.group, "years": m.years, "survival": m.survival, "low": m.low, "high": m.high}
            for m in x.milestones
        ],
        "differences": [
            {"part": d.part, "years": d.years, "difference": d.difference, "low": d.low, "high": d.high}
            for d in x.differences
        ],
        "parting_years": {part: list(x.parting_years(part)) for part in dict.fromkeys(d.part for d in x.differences)},
        "minimum": x.minimum,
    }


def _level(r: LevelRate) -> Doc:
    ratio, low, high = r.interval or (None, None, None)
    return {
        RANK_GROUP: r.rank_group,
        "women_rate": r.women_rate,
        "men_rate": r.men_rate,
        "impact_ratio": ratio,
        "low": low,
        "high": _finite(high),
        "flag": r.flag,
        "women_promoted": r.women_promoted,
        "men_promoted": r.men_promoted,
        "suppressed": r.suppressed,
        "women_at_risk": r.women_at_risk,
        "men_at_risk": r.men_at_risk,
        "years": list(r.years),
    }


def promotion_document(x: Promotion) -> Doc:
    """`promotion`: each level pooled over the last three years (the contract's `levels`), then each level per
    year, the time-to-promotion curves and the median years in rank."""
    return {
        "levels": [_level(r) for r in x.pooled],
        "time_to_promotion": [
            {
                RANK_GROUP: p.rank_group,
                GENDER: p.gender,
                "t": p.t,
                "at_risk": p.at_risk,
                "incidence": p.incidence,
                "low": p.low,
                "high": p.high,
                "suppressed": p.suppressed,
            }
            for p in x.incidence
        ],
        "by_year": [{"year": r.year, **_level(r)} for r in x.levels],
        "median_years": [{RANK_GROUP: m.rank_group, GENDER: m.gender, "years": m.years} for m in x.medians],
        "minimum": x.minimum,
    }
