"""Key messages written from the data, in the chosen language: for page headlines, chart titles and the deck."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from di_metrics.i18n import fmt_number, fmt_pct, fmt_pp, t
from di_metrics.models.metrics import metric_of

if TYPE_CHECKING:
    from di_metrics.analysis.track_record import TrackRecord
    from di_metrics.analysis.verdict import Verdict
    from di_metrics.models.montecarlo import Simulation
    from di_metrics.models.projection import Projection
    from di_metrics.models.standing import TargetStatus

__all__ = [
    "COMPARED_HORIZON",
    "TRACK_ERRORS",
    "band_evidence",
    "forced_exits_note",
    "indicator_name",
    "lever_needed_text",
    "outcome_sentence",
    "required_hiring_headline",
    "simulated_centre_note",
    "slope_text",
    "target_headline",
    "track_comparison",
    "track_table",
    "verdict_text",
    "years_text",
]


def indicator_name(code: str, lang: str) -> str:
    """A measure's indicator as people read it: the women's share, a target by its name, a metric as stored."""
    return metric_of(code).label(lang)


def slope_text(value: float | None, lang: str) -> str:
    """An indicator's slope around a measure's start, in points a year; too few points say so."""
    return t("measures.too_few", lang) if value is None else fmt_pp(value, lang, 2, signed=True)


def target_headline(entry: TargetStatus, lang: str) -> str:
    """One sentence on a women's-share target: where we are, how far off, and when the current pace gets there."""
    share = fmt_pct(entry.latest, lang)
    target = fmt_pct(entry.target.target_value, lang, 0)
    year = entry.target.deadline.year
    if entry.latest is not None and entry.latest >= entry.target.target_value:
        return t("overview.headline_met", lang, share=share, target=target, year=year)
    values = {
        "share": share,
        "target": target,
        "year": year,
        "gap": fmt_pp(entry.gap_pp, lang),
        "needed": fmt_number(entry.women_needed, lang),
        "reach": entry.reach_year_at_pace,
    }
    key = "overview.headline" if entry.reach_year_at_pace else "overview.headline_never"
    return t(key, lang, **values)


def required_hiring_headline(
    required: float | None, full: float, calibrated: float, target: float, deadline: int, start_year: int, lang: str
) -> str:
    """What hiring share the target needs, against what it has been."""
    values = {
        "target": fmt_pct(target, lang, 0),
        "deadline": deadline,
        "from": start_year + 1,
        "required": fmt_pct(required, lang, 0),
        "recent": fmt_pct(calibrated, lang, 0),
        "full": fmt_pct(full, lang),
    }
    return t("whatif.headline" if required is not None else "whatif.headline_infeasible", lang, **values)


def outcome_sentence(
    share: float | None,
    deadline: int,
    target: float,
    target_year: int | None,
    horizon: int,
    probability: float | None,
    lang: str,
) -> str:
    """Where the chosen settings lead, and how likely the target is met."""
    reach = (
        t("whatif.reach_year", lang, year=target_year, target=fmt_pct(target, lang, 0))
        if target_year
        else t("whatif.reach_never", lang, year=horizon)
    )
    text = t(
        "whatif.outcome",
        lang,
        share=fmt_pct(share, lang),
        deadline=deadline,
        target=fmt_pct(target, lang, 0),
        reach=reach,
    )
    if probability is not None:
        text += " " + t("whatif.probability", lang, p=fmt_pct(probability, lang, 0))
    return text


def lever_needed_text(now: float, needed: float | None, limit: float, lang: str) -> str:
    """What one lever needs, in words: the value, 'met already' or 'out of reach, even at' its limit."""
    if needed is None:
        return t("whatif.takes_out_of_reach", lang, limit=fmt_pct(limit, lang, 0))
    return t("whatif.takes_met", lang) if needed == now else fmt_pct(needed, lang)


COMPARED_HORIZON = 3  # the track record's sentence compares the model with a flat line this many years ahead


def track_comparison(record: TrackRecord, lang: str) -> str:
    """One sentence: how far off the projection was against keeping today's share, a few years ahead."""
    h = record.nearest_horizon(COMPARED_HORIZON)
    row = record.horizon(h) if h is not None else None
    if row is None:
        return t("track.none", lang)
    return t(
        "track.comparison_one" if h == 1 else "track.comparison",
        lang,
        origins=len(record.origins),
        h=h,
        model=fmt_number(100 * row.mae_model, lang, 1),
        constant=fmt_number(100 * row.mae_constant, lang, 1),
    )


TRACK_ERRORS = {
    "mae_model": "col_model",
    "mae_constant": "col_constant",
    "mae_trend": "col_trend",
    "bias_model": "col_bias",
}


def track_table(record: TrackRecord, lang: str) -> pd.DataFrame:
    """The track record per horizon as the page and the report show it: errors in pp, the ranges' hits in %."""
    h = record.horizons
    return pd.DataFrame(
        {
            t("track.col_h", lang): h["h"],
            t("track.col_pairs", lang): h["pairs"],
            **{t(f"track.{k}", lang): [fmt_number(100 * v, lang, 2) for v in h[c]] for c, k in TRACK_ERRORS.items()},
            t("track.col_50", lang): [fmt_pct(v, lang, 0) for v in h["coverage50"]],
            t("track.col_90", lang): [fmt_pct(v, lang, 0) for v in h["coverage90"]],
        }
    )


def band_evidence(record: TrackRecord, years_ahead: int, lang: str) -> str | None:
    """How often the 90% range held the actual share at the horizon nearest the deadline that has at least
    MIN_PAIRS past starts; says there are too few when none has (nothing without a record)."""
    from di_metrics.analysis.verdict import MIN_PAIRS

    if record.empty or record.horizons.empty:
        return None
    h = record.evidence_horizon(years_ahead, MIN_PAIRS)
    if h is None:
        return t("track.evidence_too_few", lang, h=years_ahead, n=MIN_PAIRS)
    held, pairs = record.band_held(h)
    return t("track.evidence_one" if h == 1 else "track.evidence", lang, held=held, pairs=pairs, h=h)


def years_text(horizons: tuple[int, ...]) -> str:
    """Horizons as runs: (1, 2, 3, 4, 6) is '1-4, 6'."""
    runs: list[list[int]] = []
    for h in sorted(horizons):
        if runs and h == runs[-1][-1] + 1:
            runs[-1].append(h)
        else:
            runs.append([h])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in runs)


def verdict_text(v: Verdict, lang: str) -> str:
    """The verdict in one sentence: the best of model, flat line and straight line at each judged horizon, and
    plainly, when a baseline beat the model, that the projection is a scenario and not a forecast."""
    from di_metrics.analysis.verdict import BASELINES, MIN_PAIRS, MODEL_BEST, TOO_FEW

    if v.kind == TOO_FEW:
        return t("track.verdict_too_few", lang, n=MIN_PAIRS)
    if v.kind == MODEL_BEST:
        return t("track.verdict_model_best", lang, horizons=years_text(v.horizons))
    clauses = [
        t("track.verdict_clause", lang, who=t(f"track.verdict_{m}", lang), horizons=years_text(v.best_at(m)))
        for m in BASELINES
        if v.best_at(m)
    ]
    text = t("track.verdict_lead", lang) + " " + f" {t('track.verdict_and', lang)} ".join(clauses)
    if v.best_at("model"):
        text += t("track.verdict_model_also", lang, horizons=years_text(v.best_at("model")))
    return text + t("track.verdict_scenario", lang)


def simulated_centre_note(sim: Simulation, share: float | None, deadline: int, lang: str) -> str | None:
    """The simulated paths' median at the deadline beside the projection's share, both labelled: the chance
    comes from the paths, the headline share from the deterministic path."""
    median = sim.median_in(deadline)
    if median is None:
        return None
    values = {"median": fmt_pct(median, lang), "deadline": deadline, "share": fmt_pct(share, lang)}
    return t("track.simulated_centre", lang, **values)


def forced_exits_note(path: Projection, lang: str) -> str | None:
    """Says so when the projection lets people leave beyond attrition to shrink as far as the growth asks."""
    if not path.forced_exits:
        return None
    persons = sum(path.forced_exits.values())
    return t("track.forced_exits", lang, persons=fmt_number(persons, lang), year=max(path.forced_exits))
