"""The reporting rate and the measures' evidence as a person sees them: formatted tables, the chart, and the
Word report's paragraphs, all from the typed results and the sentence functions of safety_text."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd
import plotly.graph_objects as go

from di_metrics.analysis.claims_career import grade_claim
from di_metrics.i18n import fmt_date, fmt_number, fmt_pct, label, population_text, t
from di_metrics.models.displayed import rounded
from di_metrics.present import safety_text
from di_metrics.present.charts.style import ACTUAL, base_layout, new_figure
from di_metrics.present.claims import render
from di_metrics.present.narrative import indicator_name, slope_text
from di_metrics.present.tables import safe_table
from di_metrics.present.views import View

QUIET = "#6B7785"

if TYPE_CHECKING:
    from di_metrics.analysis.measure_effects import MeasureEffect
    from di_metrics.analysis.reporting import Reporting
    from di_metrics.models.names import Names
    from di_metrics.models.reporting import ReportingRow

YEAR_COLUMNS = ("year", "headcount", "prevalence", "people", "reports", "rate", "told")

__all__ = [
    "YEAR_COLUMNS",
    "effect_chart",
    "effects_table",
    "measures_view",
    "report_cells_table",
    "reporting_chart",
    "reporting_table",
    "write_measure_effects",
    "write_reporting",
]


def _year_cells(r: ReportingRow, lang: str) -> list[str]:
    hidden = t("safety_evidence.hidden", lang)
    people = r.estimated_incidents

    def shown(value: Any, text: str) -> str:  # a value a rule withheld reads 'hidden'; an unknown one a dash
        return hidden if r.suppressed and value is None else text

    return [
        str(r.year),
        shown(r.headcount, fmt_number(r.headcount, lang)),
        fmt_pct(None if r.prevalence is None else r.prevalence.share, lang),
        "–" if people is None else fmt_number(people.value, lang),
        shown(r.formal_reports, fmt_number(r.formal_reports, lang)),
        shown(r.reporting_rate, safety_text.rate_text(r.reporting_rate, lang)),
        fmt_pct(r.survey_reported_share, lang, 0),
    ]


def reporting_table(result: Reporting, lang: str) -> pd.DataFrame:
    """One row a year, as text: a hidden figure reads 'hidden', an unknown one a dash."""
    columns = [t(f"safety_evidence.col_{c}", lang) for c in YEAR_COLUMNS]
    return pd.DataFrame([_year_cells(r, lang) for r in result.rows], columns=columns)


def report_cells_table(reports: pd.DataFrame, lang: str, k: int) -> pd.DataFrame:
    """The formal reports per year, kind, category and branch (`formal_reports`' cells) as a person reads them:
    the newest year first, kinds and categories by name, withheld counts said so."""
    cells = reports[reports["level"] == "cell"].sort_values("year", ascending=False, kind="stable")
    cells = cells.assign(
        kind=[t(f"report.kind_{kind}", lang) for kind in cells["kind"]],
        category=[label("report_category", c, lang) for c in cells["category"]],
    )
    return safe_table(cells, ["year", "kind", "category", "branch", "count"], lang, k, as_text=True)


def effects_table(effects: tuple[MeasureEffect, ...], lang: str, names: Names) -> pd.DataFrame:
    """The register with the grade first, each measure and population by its name; the before/after slopes stay
    as a description."""
    return pd.DataFrame(
        [
            {
                t("measures.col_name", lang): names.label("measure", e.measure.name, lang),
                t("safety_evidence.col_grade", lang): safety_text.grade_label(e.grade.grade, lang),
                t("measures.col_start", lang): fmt_date(e.measure.start_date, lang),
                t("measures.col_scope", lang): population_text(e.measure.scope, lang, names.label),
                t("measures.col_indicator", lang): indicator_name(e.measure.indicator, lang),
                t("measures.col_status", lang): label("measure_status", e.measure.status, lang),
                t("measures.col_before", lang): slope_text(e.slope_before, lang),
                t("measures.col_after", lang): slope_text(e.slope_after, lang),
            }
            for e in effects
        ]
    )


def reporting_chart(result: Reporting, lang: str, title: str) -> go.Figure:
    """Formal reports a year (bars), and reports per 100 who experienced unwanted behaviour (points with their
    intervals, only in survey years: a year without a wave has no point, not a zero)."""
    fig = new_figure()
    shown = [r for r in result.rows if r.formal_reports is not None]
    fig.add_trace(
        go.Bar(
            x=[r.year for r in shown],
            y=[r.formal_reports for r in shown],
            name=t("safety_evidence.col_reports", lang),
            marker={"color": "rgba(127,140,141,0.35)"},
            hovertemplate="%{y}<extra></extra>",
        )
    )
    rated = [(r.year, r.reporting_rate) for r in result.rows if r.reporting_rate is not None]
    per = safety_text.PER
    fig.add_trace(
        go.Scatter(
            x=[y for y, _ in rated],
            y=[per * e.value for _, e in rated],
            name=t("safety_evidence.col_rate", lang),
            mode="markers",
            yaxis="y2",
            marker={"color": ACTUAL, "size": 11},
            error_y={
                "type": "data",
                "symmetric": False,
                "array": rounded([per * (e.high - e.value) if e.high else 0 for _, e in rated]),
                "arrayminus": rounded([per * (e.value - e.low) if e.low else 0 for _, e in rated]),
            },
            hovertemplate="%{y:.1f}<extra></extra>",
        )
    )
    axis2 = {"overlaying": "y", "side": "right", "showgrid": False, "rangemode": "tozero"}
    fig.update_layout(yaxis2={**axis2, "title": t("safety_evidence.col_rate", lang)}, xaxis={"dtick": 1})
    base_layout(fig, title, lang, t("safety_evidence.col_reports", lang), height=420)
    return fig


def effect_chart(effect: MeasureEffect, lang: str, title: str, names: Names) -> go.Figure:
    """The measure's own series, the mean of the parts it did not cover, and its start: what the grade
    compares (the counterfactual lines themselves are in the sentences)."""
    fig = new_figure()
    own = names.label("measure", effect.measure.name, lang)
    fig.add_trace(go.Scatter(x=list(effect.dates), y=list(effect.own), name=own, mode="lines+markers"))
    if effect.comparison:
        name = t("safety_evidence.chart_comparison", lang)
        fig.add_trace(go.Scatter(x=list(effect.dates), y=list(effect.comparison), name=name, mode="lines"))
        fig.data[-1].line.dash = "dot"
    fig.add_vline(x=effect.measure.start_date.isoformat(), line_dash="dash", line_color=QUIET)
    return base_layout(fig, title, lang, "pp", height=360)


def write_reporting(w: Any, result: Reporting) -> None:
    """The Word report's reporting-rate part (of its section on unwanted behaviour): the headline split first,
    then each year's table and every change's sentence. `w` is the report's Writer."""
    w.heading("safety_evidence.title", 2)
    if result.headline is not None:
        w.text(safety_text.change_sentence(result.headline, w.lang))
    if not result.rows:
        w.text(t("safety_evidence.none", w.lang))
        return
    w.table(reporting_table(result, w.lang))
    unknown = safety_text.reports_reason_note(result.rows, w.lang)
    if unknown:
        w.note(unknown)
    for change in result.told:
        if change is not result.headline:
            w.note(safety_text.change_sentence(change, w.lang))
    w.note(t("safety_evidence.caption", w.lang))


def write_measure_effects(w: Any, effects: tuple[MeasureEffect, ...], names: Names) -> None:
    """The Word report's measures section leads with each measure (by its name in the reader's language), its
    grade and reason, then both methods."""
    w.heading("safety_evidence.effects_title", 2)
    w.text(t("safety_evidence.effects_caption", w.lang))
    for e in effects:
        w.text(f"{names.label('measure', e.measure.name, w.lang)}. {safety_text.grade_sentence(e, w.lang)}")
        w.note(safety_text.its_sentence(e, w.lang))
        w.note(safety_text.did_sentence(e, w.lang, names.label))
    w.note(t("safety_evidence.caveat", w.lang))


def measures_view(effects: tuple[MeasureEffect, ...], names: Names, lang: str) -> View | None:
    """Measures: what the evidence says. Each measure by its name in the reader's language with its grade; its
    bar is the change the grade rests on, and a measure without evidence has none (its change is not told apart
    from zero). The notes are each grade line as the Measures page writes it, from the deck's claim."""
    if not effects:
        return None
    named = [names.label("measure", e.measure.name, lang) for e in effects]
    categories = [
        f"{name} · {safety_text.grade_label(e.grade.grade, lang)}" for name, e in zip(named, effects, strict=True)
    ]
    values = [None if e.grade.grade == "no_evidence" else e.lead_effect for e in effects]
    notes = [f"{name}. {render(grade_claim(e, 'deck'), lang)}" for name, e in zip(named, effects, strict=True)]
    notes.append(t("safety_evidence.caveat", lang))
    series: dict[str, list[float | None]] = {t("safety_evidence.measures_series", lang): values}
    title, subtitle = t("safety_evidence.measures_title", lang), t("safety_evidence.measures_subtitle", lang)
    return View("measures", title, "bar", categories, series, notes, False, 1, subtitle=subtitle)
