"""The claims of a measure's two methods, built from its effect with the series each rests on (kinds and
checkers: models/claims_effects.py; words: present/claims_effects.py). A point hidden or missing in a series
is counted as left out, never read as 0."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from di_metrics.analysis.measure_effects import in_years
from di_metrics.i18n import LANGUAGES, value_label
from di_metrics.models.claim import Claim
from di_metrics.models.claims_effects import DID, ITS

if TYPE_CHECKING:
    from di_metrics.analysis.measure_effects import MeasureEffect
    from di_metrics.models.reporting import Estimate

__all__ = ["did_claim", "its_claim", "part_names"]


def _triple(e: Estimate | None) -> tuple[float, float | None, float | None] | None:
    return None if e is None else (e.value, e.low, e.high)


def its_claim(effect: MeasureEffect, surface: str = "page") -> Claim:
    """The interrupted time series on the measure's own series: level, slope and effect with their intervals,
    the placebos that fire; or too few points. Either way how many points were left out as unknown."""
    r = effect.its
    params = {
        "measure": effect.measure.name,
        "before": r.points_before,
        "after": r.points_after,
        "hidden": sum(v is None for v in effect.own),
        "level": _triple(r.level),
        "slope": _triple(r.slope),
        "effect": _triple(r.effect),
        "fired": r.placebos_fired,
        "placebos": r.placebos,
    }
    figures = {
        "times": [in_years(d) for d in effect.dates],
        "values": list(effect.own),
        "start": in_years(effect.measure.start_date),
    }
    return Claim(f"its:{effect.measure.name}", ITS, surface, params, figures)


def part_names(effect: MeasureEffect, label: Callable[[str, str, str], str] | None = None) -> dict[str, list[str]]:
    """The compared parts by name in each language, as `label` (dimension, code, language) names them, e.g.
    `Names.label`; without it, each part is its catalogue word or its code. The parts are of the measure's one
    scope dimension."""
    dimension = next(iter(effect.measure.scope)) if len(effect.measure.scope) == 1 else None
    named = label or (lambda _dim, code, lang: value_label(code, lang))
    return {lang: [named(dimension, x, lang) for x in effect.comparison_parts] for lang in LANGUAGES}


def did_claim(
    effect: MeasureEffect, surface: str = "page", label: Callable[[str, str, str], str] | None = None
) -> Claim:
    """The difference in differences against the parts the measure did not cover: the effect with its
    interval, the pre-trend check and the placebo parts that fire; or why there is none (no uncovered parts,
    too few points). With parts, how many points were left out as unknown in the series or any part.
    `label` (dimension, code, language), e.g. `Names.label`, names the parts as the rest of the page or report
    does; without it, a part is its code."""
    r = effect.did
    rows = list(zip(effect.own, *effect.untreated, strict=True)) if effect.untreated else []
    params = {
        "measure": effect.measure.name,
        "parts": list(effect.comparison_parts),
        "part_names": part_names(effect, label),
        "reason": "no_comparison" if r is None else r.reason,
        "before": None if r is None else r.points_before,
        "after": None if r is None else r.points_after,
        "hidden": sum(None in row for row in rows),
        "effect": None if r is None else _triple(r.effect),
        "pre_trend_ok": None if r is None or r.effect is None else r.pre_trend_ok,
        "fired": 0 if r is None else r.placebos_fired,
        "placebos": 0 if r is None else r.placebos,
    }
    figures = {
        "times": [in_years(d) for d in effect.dates],
        "start": in_years(effect.measure.start_date),
        "treated": list(effect.own),
        "untreated": [list(u) for u in effect.untreated],
        "parts": list(effect.comparison_parts),
        "pre_trend": None if r is None else _triple(r.pre_trend),
    }
    return Claim(f"did:{effect.measure.name}", DID, surface, params, figures)
