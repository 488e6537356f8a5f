"""The briefing: the six views a presenter shows, each with its key message, data and speaker notes.

The presenter page draws them with Plotly; the deck draws the same data as native PowerPoint charts.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import pandas as pd

from di_metrics.analysis.calibration import CannotProject, calibrate
from di_metrics.analysis.claims_notes import hidden_selection_claim
from di_metrics.analysis.claims_text import (
    peer_window_claim,
    safety_claim,
    state_claim,
    survey_claim,
    survey_figures,
    takes_claim,
    trend_claim,
    trend_points,
    willing_shares,
)
from di_metrics.analysis.claims_whatif import pipeline_claim, pipeline_ladder
from di_metrics.analysis.evaluate import SIMULATIONS, WhatIf, evaluate
from di_metrics.analysis.measure_effects import measure_effects
from di_metrics.analysis.peer_comparison import peers as peers_of
from di_metrics.analysis.reporting import Reporting, reporting
from di_metrics.analysis.track_record import TrackRecord, track_record
from di_metrics.config import min_survey_cell, min_workforce_cell
from di_metrics.errors import InvalidChoice
from di_metrics.i18n import fmt_date, fmt_pct, label, selection_text, t, value_label
from di_metrics.models.levers import ScenarioInput
from di_metrics.models.metrics import SHARE, SURVEY
from di_metrics.models.names import with_peer_names
from di_metrics.models.projection import Projection, Scenario, project, simulate
from di_metrics.models.standing import Status, TargetStatus
from di_metrics.present import safety_text
from di_metrics.present.career_views import career_views
from di_metrics.present.claims import hidden_text, render
from di_metrics.present.narrative import (
    band_evidence,
    outcome_sentence,
    required_hiring_headline,
    simulated_centre_note,
    target_headline,
    trend_finding,
    verdict_text,
)
from di_metrics.present.peers_text import peers_message
from di_metrics.present.rank_fold_text import fold_notes
from di_metrics.present.safety_text import PER
from di_metrics.present.safety_views import measures_view
from di_metrics.present.views import Briefing, View
from di_metrics.present.where_views import where_views
from di_metrics.queries.filters import Filters
from di_metrics.queries.measure_reads import marks_for
from di_metrics.queries.names import display_names
from di_metrics.queries.privacy import output
from di_metrics.queries.status import leading_status, status
from di_metrics.queries.workforce import pipeline, rank_folds, share_series, snapshot_dates
from di_metrics.vocab import INCLUSION, SAFETY_MEASURES

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

__all__ = ["build_briefing", "pipeline_view", "scenario_presented", "scenario_text", "survey_views"]


def scenario_text(s: Scenario, lang: str) -> str:
    return t(
        "briefing.scenario",
        lang,
        hire=fmt_pct(s.hire_share, lang),
        aw=fmt_pct(s.attrition_women, lang),
        am=fmt_pct(s.attrition_men, lang),
        growth=fmt_pct(s.growth, lang),
        target=fmt_pct(s.target, lang, 0),
        deadline=s.deadline,
    )


def _baseline(conn: Connection, filters: Filters) -> Scenario | None:
    """The calibrated baseline, or None when the selection cannot be projected (the stamp says why)."""
    try:
        return calibrate(conn, filters).scenario
    except CannotProject:
        return None


@output
def build_briefing(conn: Connection, filters: Filters, lang: str, levers: dict[str, Any] | None = None) -> Briefing:
    """Every view for the current filters and scenario levers (given ones over the calibrated baseline)."""
    doc = status(conn, filters)
    as_of = doc.as_of
    if as_of is None:  # nobody in the selection on any date: no briefing to stand on (the CLI exits 2)
        raise InvalidChoice("no_workforce_in_selection")
    main = leading_status(doc, filters)
    base, scenario = _baseline(conn, filters), None
    views = [_status_view(doc, main, None if base is None else project(base), lang), _trend_view(doc, main, lang)]
    if base is not None:
        try:
            given, _refused = ScenarioInput.parse(levers or {}, base.start_year)  # the page said so already
            result = evaluate(base, given, run=lambda s: simulate(s, SIMULATIONS))
            scenario = result.scenario
            views.append(_whatif_view(result, track_record(conn, filters), lang))
        except CannotProject:
            pass  # the stamp says why from the data (_unprojected)
    views.append(pipeline_view(conn, filters, as_of, lang))
    views += survey_views(conn, filters, lang)
    views.append(_reporting_view(reporting(conn, filters), lang))
    views.append(measures_view(measure_effects(conn), display_names(conn), lang))  # the grades lead
    views += where_views(conn, filters, base, scenario, lang)
    views += career_views(conn, filters, lang)
    views.append(_peers_view(conn, filters, doc, lang))
    for view in views:
        if view is not None and view.key in MARKED:
            view.notes.extend(_measures_note(conn, MARKED[view.key], view.categories, lang))
    stamp = t(
        "briefing.stamp",
        lang,
        date=fmt_date(as_of, lang),
        filters=selection_text(filters.values, lang, display_names(conn).label) or t("briefing.all_personnel", lang),
        scenario=scenario_text(scenario, lang) if scenario else _unprojected(conn, filters, lang),
        kw=min_workforce_cell(),
        ks=min_survey_cell(),
    )
    shown = scenario_presented(scenario, base, lang) if scenario and base else ""
    return Briefing([v for v in views if v is not None], as_of, stamp, lang, shown)


def _unprojected(conn: Connection, filters: Filters, lang: str) -> str:
    """The stamp's scenario part when there is none, in words (never a bare dash), from its claim: the selection's
    figures are hidden on the data date, or there are no rates to project with."""
    dates = snapshot_dates(conn)  # none: no row on any date, so not hidden
    return render(hidden_selection_claim(share_series(conn, filters), dates[-1] if dates else dt.date.min), lang)


def scenario_presented(scenario: Scenario, base: Scenario, lang: str) -> str:
    """Which scenario the briefing presents: the calibrated baseline, or the one set on What if?, with its levers."""
    key = "briefing.scenario_baseline" if scenario == base else "briefing.scenario_given"
    return t(key, lang, scenario=scenario_text(scenario, lang))


# The briefing's trend views (share, inclusion, safety) and the metrics whose measures they name: their axis is
# years as categories, so the measures started within those years are listed in the notes rather than drawn.
MARKED = {
    "trend": (SHARE.code(),),
    "survey": (SURVEY.code(INCLUSION),),
    "safety": tuple(SURVEY.code(m) for m in SAFETY_MEASURES.values()),
}


def _measures_note(conn: Connection, metrics: tuple[str, ...], years: list[str], lang: str) -> list[str]:
    """One note naming each measure on these metrics that started within the view's years (by its name in the
    reader's language), with its start."""
    marks = sorted({m for metric in metrics for m in marks_for(conn, metric)}, key=lambda m: (m[1], m[0]))
    inside = [(name, start) for name, start in marks if years and years[0] <= str(start.year) <= years[-1]]
    if not inside:
        return []
    named = display_names(conn).measures(inside, lang)
    listed = "; ".join(f"{name} ({fmt_date(start, lang)})" for name, start in named)
    return [t("briefing.measures_note", lang, measures=listed)]


def _status_view(doc: Status, main: TargetStatus | None, path: Projection | None, lang: str) -> View:
    targets = doc.targets
    title = target_headline(main, lang, path) if main and main.latest is not None else t("briefing.status_title", lang)
    notes = [render(state_claim(x, "deck", "note"), lang) for x in targets]
    return View(
        "status",
        title,
        "bar",
        [label("target", x.target.name, lang) for x in targets],
        {
            t("briefing.latest", lang): [x.latest for x in targets],
            t("briefing.target", lang): [x.target.target_value for x in targets],
            t("overview.chart_glide", lang): [x.glide_path for x in targets],
        },
        notes,
        codes=("latest", "target", "glide"),
    )


def _trend_view(doc: Status, main: TargetStatus | None, lang: str) -> View:
    points = trend_points(doc.series)
    cats = [str(year) for year, _share in points]
    values: dict[str, list[float | None]] = {t("overview.chart_actual", lang): [share for _year, share in points]}
    codes = ["actual"]
    title = t("overview.series_title", lang)
    if main and main.latest is not None:
        values[t("briefing.target", lang)] = [main.target.target_value] * len(points)
        codes.append("target")
        title = trend_finding(main, doc.series[-1].women_share, lang)
    notes = [render(trend_claim(points), lang)]
    return View("trend", title, "line", cats, values, notes, codes=tuple(codes))


def _whatif_view(result: WhatIf, record: TrackRecord, lang: str) -> View:
    """The scenario's path against the calibrated baseline's; where the two are the same path (no lever that
    moves it was set) one line is drawn, and the view says so."""
    base, s = result.base, result.scenario
    title = required_hiring_headline(s, base.hire_share, result.required, result.full_hiring_share, lang)
    path, baseline, takes = result.path, result.baseline_path, result.takes
    sim = result.simulation  # evaluate ran the Monte Carlo (run= above)
    cats = [str(y) for y in path.years]
    notes = [
        scenario_text(s, lang),
        outcome_sentence(path, sim, lang, "note"),
        *filter(None, [simulated_centre_note(sim, path, lang)]),
        *_evidence(record, s.deadline - s.start_year, lang),
        render(takes_claim(s, takes), lang),
    ]
    series = {
        t("whatif.projection", lang): path.women_share,
        t("whatif.baseline", lang): baseline.women_share,
        t("briefing.range_low", lang): sim.percentiles[5],
        t("briefing.range_high", lang): sim.percentiles[95],
        t("briefing.target", lang): [s.target] * len(cats),
    }
    codes = ("projection", "baseline", "range_low", "range_high", "target")
    same = _same_path(path.women_share, baseline.women_share)
    if same:
        del series[t("whatif.baseline", lang)]
        codes = tuple(c for c in codes if c != "baseline")
    subtitle = t("briefing.whatif_is_baseline" if same else "briefing.whatif_against_baseline", lang)
    return View("whatif", title, "line", cats, series, notes, codes=codes, subtitle=subtitle)


def _same_path(one: list[float], other: list[float]) -> bool:
    """Whether two projected paths from the same start would draw as one line: equal to a hundredth of a
    percentage point over the years both cover (a later deadline only makes one longer)."""
    return all(abs(a - b) < 1e-4 for a, b in zip(one, other, strict=False))


def _evidence(record: TrackRecord, years_ahead: int, lang: str) -> list[str]:
    """The track record's word on the range behind the chance and its verdict on the projection, or none when
    there is no record to speak of."""
    sentence = band_evidence(record, years_ahead, lang)
    return [sentence, verdict_text(record, lang)] if sentence else []


def pipeline_view(conn: Connection, filters: Filters, on: dt.date, lang: str) -> View:
    pipe = pipeline_ladder(pipeline(conn, filters, on))
    shares = [None if pd.isna(v) else float(v) for v in pipe["women_share"]]
    title = render(pipeline_claim(pipe), lang)  # the top hidden: withheld, never the next level down as 'the top'
    ranks = [value_label(v, lang) for v in pipe["value"]]  # named as the chart names them, never a code
    notes = [f"{r}: {hidden_text(lang) if v is None else fmt_pct(v, lang)}" for r, v in zip(ranks, shares, strict=True)]
    notes += fold_notes(rank_folds(conn, filters), lang)
    return View("pipeline", title, "column", ranks, {t("gender.F", lang): shares}, notes, codes=("F",))


def survey_views(conn: Connection, filters: Filters, lang: str) -> list[View]:
    """Inclusion by gender, and the social-safety measures over the waves: each where the codebook has it."""
    table, parts, waves = survey_figures(conn, filters)
    views = [] if table is None else [_inclusion_view(table, waves, lang)]
    if parts and waves:
        views.append(_safety_view(parts, waves, lang))
    return views


def _inclusion_view(table: pd.DataFrame, waves: list, lang: str) -> View:
    series = {}
    for g in ("F", "M"):
        part = table[table["group"] == g].set_index("wave")
        series[label("gender", g, lang)] = [
            None if pd.isna(part["pct_favourable"].get(w)) else float(part["pct_favourable"].get(w)) / 100
            for w in waves
        ]
    title = render(survey_claim(table, waves), lang)
    notes = [t("survey.many_comparisons", lang)]
    return View("survey", title, "column", [str(w) for w in waves], series, notes, codes=("F", "M"))


def _safety_view(parts: dict[str, pd.Series], waves: list, lang: str) -> View:
    safety = {
        t(f"survey.safety_{key}", lang): [None if pd.isna(part.get(w)) else float(part.get(w)) / 100 for w in waves]
        for key, part in parts.items()
    }
    title = render(safety_claim(willing_shares(parts), waves), lang)
    return View("safety", title, "line", [str(w) for w in waves], safety, [t("survey.reports_note", lang)])


def _reporting_view(result: Reporting, lang: str) -> View | None:
    """Reporting: more incidents or more willingness? Reports per 100 who experienced unwanted behaviour, in
    survey years only; the notes carry every change's split or why there is none."""
    if not result.rows:
        return None
    rates = [None if r.reporting_rate is None else PER * r.reporting_rate.value for r in result.rows]
    notes = [safety_text.change_sentence(c, lang) for c in result.told] + [t("safety_evidence.caption", lang)]
    series = {t("safety_evidence.col_rate", lang): rates}
    title = safety_text.slide_title(result.headline, lang)
    return View("reporting", title, "column", [str(r.year) for r in result.rows], series, notes, False, 1)


def _peers_view(conn: Connection, filters: Filters, doc: Status, lang: str) -> View | None:
    """Has anyone grown this fast: each peer's fastest five years, ours, and the pace our target needs."""
    peers = with_peer_names(peers_of(conn, filters, doc), display_names(conn), lang)  # as the Peers page names them
    if not peers.fastest_5y:
        return None
    cats = [f"{w.peer} · {w.population} ({w.start}–{w.end})" for w in peers.fastest_5y]
    values = [w.pp_per_year for w in peers.fastest_5y]
    notes = [render(peer_window_claim(peers, w), lang) for w in peers.fastest_5y]
    own = peers.ours_fastest_5y
    if own is not None:
        cats.append(t("peers.ours_fastest", lang, start=own.start, end=own.end))
        values.append(own.pp_per_year)
    target = peers.target
    if peers.needed_pp_per_year is not None and target is not None:
        cats.append(
            t("peers.needed_bar", lang, target=fmt_pct(target.target_value, lang, 0), deadline=target.deadline.year)
        )
        values.append(peers.needed_pp_per_year)
    notes += [t("peers.flagged_note", lang), t("peers.definitions_note", lang), t("peers.notes_sources", lang)]
    series: dict[str, list[float | None]] = {t("peers.col_pace", lang): list(values)}
    return View("peers", peers_message(peers, lang), "bar", cats, series, notes, percent=False, decimals=2)
