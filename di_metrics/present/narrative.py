"""Key messages written from the data, in the chosen language: for page headlines, chart titles and the deck."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from di_metrics.analysis.claims import headline_claim, required_claim
from di_metrics.analysis.claims_text import centre_claim, forced_claim, lever_claim
from di_metrics.analysis.claims_whatif import (
    COMPARED_HORIZON,
    card_claim,
    evidence_claim,
    finding_claim,
    note_claim,
    outcome_claim,
    track_claim,
    verdict_claim,
)
from di_metrics.i18n import fmt_number, fmt_pct, fmt_pp, t
from di_metrics.models.metrics import metric_of
from di_metrics.present.claims import render
from di_metrics.present.claims_whatif import card_parts, years_text

if TYPE_CHECKING:
    from di_metrics.analysis.track_record import TrackRecord
    from di_metrics.models.montecarlo import Simulation
    from di_metrics.models.projection import Projection, Scenario
    from di_metrics.models.standing import TargetStatus

__all__ = [
    "COMPARED_HORIZON",
    "TRACK_ERRORS",
    "band_evidence",
    "card_lines",
    "forced_exits_note",
    "indicator_name",
    "lever_needed_text",
    "outcome_sentence",
    "projection_note",
    "required_hiring_headline",
    "simulated_centre_note",
    "slope_text",
    "target_headline",
    "track_comparison",
    "track_table",
    "trend_finding",
    "verdict_text",
    "years_text",
]


def indicator_name(code: str, lang: str) -> str:
    """A measure's indicator as people read it: the women's share, a target by its name, a metric as stored."""
    return metric_of(code).label(lang)


def slope_text(value: float | None, lang: str) -> str:
    """An indicator's slope around a measure's start, in points a year; too few points say so."""
    return t("measures.too_few", lang) if value is None else fmt_pp(value, lang, 2, signed=True)


def target_headline(entry: TargetStatus, lang: str, path: Projection | None = None) -> str:
    """One sentence on a women's-share target, rendered from its headline claim: where we are, how far off,
    when the straight line of the last years gets there and, with the flows projection (`path`), where
    today's hiring and leaving rates lead."""
    return render(headline_claim(entry, path), lang)


def trend_finding(entry: TargetStatus, series_latest: float | None, lang: str) -> str:
    """The trend chart's title (page and slide), rendered from its claim: the share now, the target by when."""
    return render(finding_claim(entry, series_latest), lang)


def projection_note(path: Projection, lang: str) -> str:
    """The note under the dashed line, rendered from its claim: today's rates' share in the deadline year."""
    return render(note_claim(path), lang)


def card_lines(entry: TargetStatus, lang: str) -> tuple[str, str | None]:
    """A target card's figures as a list, and the note under them (or None), rendered from its claim."""
    return card_parts(card_claim(entry), lang)


def required_hiring_headline(
    scenario: Scenario, calibrated: float, required: float | None, full: float, lang: str
) -> str:
    """What hiring share the target needs, against what it has been: rendered from its claim."""
    return render(required_claim(scenario, calibrated, required, full), lang)


def outcome_sentence(path: Projection, simulation: Simulation | None, lang: str, form: str = "sentence") -> str:
    """Where the chosen settings lead, and how likely the target is met: rendered from its claim (`form` "note":
    the slide's note)."""
    return render(outcome_claim(path, simulation, form=form), lang)


def lever_needed_text(
    now: float, needed: float | None, limit: float, lang: str, s: Scenario | None = None, lever: str = ""
) -> str:
    """What one lever needs, in words (from its claim): the value, 'met already' or 'out of reach, even at' its
    limit; `s` and `lever` give the claim the scenario its checker re-runs."""
    return render(lever_claim(s, lever, (now, needed, limit)), lang)


def track_comparison(record: TrackRecord, lang: str) -> str:
    """One sentence: how far off the projection was against keeping today's share and against continuing the
    straight line (the baselines the chart beside it draws), a few years ahead; rendered from its claim."""
    return render(track_claim(record), lang)


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
    """How often the 90% range held the actual share at the horizon nearest the deadline that has enough past
    starts, or that there are too few (nothing without a record); rendered from its claim."""
    if record.empty or record.horizons.empty:
        return None
    return render(evidence_claim(record, years_ahead), lang)


def verdict_text(record: TrackRecord, lang: str) -> str:
    """The verdict in one sentence, rendered from its claim: the best of model, flat line and straight line at
    each judged horizon, and plainly, when a baseline beat the model, that the projection is a scenario."""
    return render(verdict_claim(record), lang)


def simulated_centre_note(sim: Simulation, path: Projection, lang: str) -> str | None:
    """The simulated paths' median at the deadline beside the projection's share, both labelled: the chance
    comes from the paths, the headline share from the deterministic path."""
    claim = centre_claim(sim, path)
    return None if claim is None else render(claim, lang)


def forced_exits_note(path: Projection, lang: str) -> str | None:
    """Says so when the projection lets people leave beyond attrition to shrink as far as the growth asks."""
    claim = forced_claim(path)
    return None if claim is None else render(claim, lang)
