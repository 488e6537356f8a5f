"""The integrated report on social safety and integrity: a Word document, in Dutch or English, written from the
data and the targets.

Every figure comes from the privacy-safe query functions (status, workforce.breakdown, survey_results,
meldingen, track_record) and every table and chart carries the briefing's stamp. Charts are images
rendered by the one kaleido browser; where no image can be made, the table beside it carries the figures.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import plotly.graph_objects as go
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_BREAK
from docx.shared import Cm, Pt, RGBColor

from di_metrics.analysis.claims_text import reports_claims, state_claim
from di_metrics.analysis.measure_effects import measure_effects
from di_metrics.analysis.measure_list import measure_trends
from di_metrics.analysis.reporting import reporting
from di_metrics.analysis.track_record import track_record
from di_metrics.config import min_survey_cell, min_workforce_cell
from di_metrics.i18n import catalogue, fmt_date, fmt_number, fmt_pct, fmt_pp, label, population_text, t, value_label
from di_metrics.models.metrics import INDICATOR, metric_of, names_of
from di_metrics.models.standing import Status
from di_metrics.present.briefing import build_briefing
from di_metrics.present.career_report import career_section
from di_metrics.present.charts.briefing import view_figure
from di_metrics.present.charts.survey import survey_groups
from di_metrics.present.claims import hidden_text, render
from di_metrics.present.claims_whatif import x_left_out
from di_metrics.present.narrative import indicator_name, slope_text, track_comparison, track_table, verdict_text
from di_metrics.present.safety_text import no_category_note
from di_metrics.present.safety_views import write_measure_effects, write_reporting
from di_metrics.present.tables import safe_table
from di_metrics.present.views import Briefing
from di_metrics.queries.filters import Filters
from di_metrics.queries.meldingen import reports_by_kind
from di_metrics.queries.names import display_names
from di_metrics.queries.privacy import output
from di_metrics.queries.status import indicator_series, status
from di_metrics.queries.survey_results import all_measures, results_table
from di_metrics.queries.workforce import breakdown
from di_metrics.vocab import SAFETY_MEASURES, SURVEY_MEASURES

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

__all__ = [
    "BEHAVIOUR_MEASURES",
    "QUIET",
    "SURVEY_COLUMNS",
    "SURVEY_MEASURES",
    "Writer",
    "build_report",
    "write_report",
]

log = logging.getLogger("koers")
QUIET = RGBColor(0x6B, 0x77, 0x85)
BEHAVIOUR_MEASURES = (SAFETY_MEASURES["experienced"], SAFETY_MEASURES["reported"])
SURVEY_COLUMNS = ["wave", "value", "n", "pct_favourable", "ci_low", "ci_high", "change", "reference"]


class Writer:
    """The document being written, with the stamp every table and chart carries and the image switch."""

    def __init__(self, briefing: Briefing, images: bool) -> None:
        self.doc: DocxDocument = Document()
        self.lang, self.stamp, self.images = briefing.lang, briefing.stamp, images
        self.doc.core_properties.title = t("report.title", self.lang)
        self.doc.core_properties.language = "nl-NL" if self.lang == "nl" else "en-GB"
        self.doc.sections[0].footer.paragraphs[0].text = self.stamp

    def heading(self, key: str, level: int = 1, **values: Any) -> None:
        self.doc.add_heading(t(key, self.lang, **values), level)

    def text(self, text: str, style: str | None = None) -> None:
        self.doc.add_paragraph(text, style)

    def note(self, text: str) -> None:
        run = self.doc.add_paragraph().add_run(text)
        run.font.size, run.font.color.rgb = Pt(8), QUIET

    def table(self, frame: pd.DataFrame) -> None:
        """A table of already formatted text, then the stamp."""
        table = self.doc.add_table(rows=1, cols=len(frame.columns))
        table.style = "Light Grid Accent 1"
        for cell, name in zip(table.rows[0].cells, frame.columns, strict=True):
            cell.text = str(name)
        for values in frame.itertuples(index=False):
            for cell, value in zip(table.add_row().cells, values, strict=True):
                cell.text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
        self.note(self.stamp)

    def chart(self, fig: go.Figure) -> None:
        """The chart as an image with the stamp; nothing when images cannot be made (the table carries it)."""
        if not self.images:
            return
        from di_metrics.present.images import figure_image

        # room for the category labels and the axis: a static image does not grow its margins as a page does
        fig = go.Figure(fig).update_layout(margin={"l": 190, "r": 60, "t": 80, "b": 70})
        try:
            png = figure_image(fig, "png", width=1100, scale=1.5)
        except Exception:  # no browser here: the tables carry the figures
            log.warning("report chart not rendered", exc_info=True)
            self.images = False
            return
        self.doc.add_picture(io.BytesIO(png), width=Cm(16))
        self.note(self.stamp)

    def page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()


@output
def build_report(
    conn: Connection, filters: Filters, lang: str, levers: dict[str, Any] | None = None, images: bool = True
) -> bytes:
    """The report as .docx bytes."""
    briefing = build_briefing(conn, filters, lang, levers)
    doc = status(conn, filters)
    w = Writer(briefing, images)
    _summary(w, briefing, conn, filters)
    _targets(w, doc)
    _branches(w, conn, filters)
    _survey(w, conn, filters)
    _behaviour(w, conn, filters)
    write_reporting(w, reporting(conn, filters))
    _formal_reports(w, conn, filters)
    _training(w, conn, doc, filters)
    _measures(w, conn)
    career_section(w, conn, filters)
    _annex(w, conn, filters)
    return w.bytes()


def write_report(
    conn: Connection, filters: Filters, path: Path, lang: str, levers: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Write the report; returns what the CLI prints."""
    data = build_report(conn, filters, lang, levers)
    path.write_bytes(data)
    return {"out": str(path), "bytes": len(data), "lang": lang}


def _summary(w: Writer, briefing: Briefing, conn: Connection, filters: Filters) -> None:
    w.doc.add_heading(t("report.title", w.lang), 0)
    w.note(w.stamp)
    w.heading("report.summary")
    w.text(t("report.summary_intro", w.lang))
    for view in briefing.views:
        w.text(view.title, "List Bullet")  # a headline on a withheld figure says so in words
    reports = reports_by_kind(conn, filters)
    if not filters.is_fine:  # reports are kept per branch, not for a unit or rank group
        for claim in reports_claims(reports):  # a kind with a hidden category in the last year has no total
            w.text(render(claim, w.lang), "List Bullet")
    w.page_break()


def _targets(w: Writer, doc: Status) -> None:
    w.heading("report.targets")
    if not doc.targets:
        w.text(t("report.no_targets", w.lang))
        return
    rows, unknown = [], t("report.not_known", w.lang)  # in words, never a dash
    for x in doc.targets:
        kind, state = metric_of(x.target.metric), t(f"status.{x.state}", w.lang)  # a hidden figure's: not shown
        rows.append(
            {
                t("report.col_target", w.lang): label("target", x.target.name, w.lang),
                t("report.col_latest", w.lang): state if x.latest is None else kind.shown(x.latest, w.lang),
                t("report.col_value", w.lang): fmt_pct(x.target.target_value, w.lang, 0),
                t("report.col_deadline", w.lang): x.target.deadline.year,
                t("report.col_glide", w.lang): unknown if x.glide_path is None else kind.shown(x.glide_path, w.lang),
                t("report.col_gap", w.lang): unknown if x.gap_pp is None else fmt_pp(x.gap_pp, w.lang),
                t("report.col_status", w.lang): state,
            }
        )
    w.table(pd.DataFrame(rows))
    w.text(t("report.targets_note", w.lang))
    for x in (x for x in doc.targets if x.x_left_out):  # the figure counts no X: said, as on the cards
        w.note(f"{label('target', x.target.name, w.lang)}: {x_left_out(state_claim(x, 'report', 'note'), w.lang)}")


def _branches(w: Writer, conn: Connection, filters: Filters) -> None:
    w.heading("report.branches")
    table = breakdown(conn, filters, "branch")
    if table.empty:
        w.text(t("report.no_data", w.lang))
        return
    latest = table[table["date"] == table["date"].max()].sort_values("women_share", ascending=False)
    names = display_names(conn)
    latest = latest.assign(value=[names.label("branch", v, w.lang) for v in latest["value"]])
    w.text(t("report.branches_intro", w.lang, date=fmt_date(pd.Timestamp(latest["date"].iloc[0]).date(), w.lang)))
    shares = [None if pd.isna(v) else float(v) for v in latest["women_share"]]
    w.chart(
        view_figure(
            list(latest["value"]),
            {t("gender.F", w.lang): shares},
            "bar",
            w.lang,
            t("report.branches", w.lang),
            codes=("F",),
        )
    )
    k = min_workforce_cell()
    w.table(safe_table(latest, ["value", "headcount", "women", "women_share"], w.lang, k, as_text=True))


def _survey_rows(table: pd.DataFrame, lang: str, waves: int = 2) -> pd.DataFrame:
    """The last waves of a safe results table as table text: change markers and 'differs from the rest'."""
    recent = table[table["wave"].isin(sorted(table["wave"].unique())[-waves:])]
    view = recent.assign(
        value=recent["group"].map(lambda g: value_label(g, lang) if g != "all" else t("survey_results.everyone", lang)),
        change=[
            "↑" if d and z > 0 else "↓" if d else ""
            for d, z in zip(recent["differs_from_previous"], recent["z_previous"], strict=True)
        ],
        reference=[t("survey.differs", lang) if d else "" for d in recent["differs_from_reference"]],
    )
    return safe_table(view, SURVEY_COLUMNS, lang, min_survey_cell(), as_text=True)


def _measure_name(measure: str, lang: str) -> str:
    return catalogue(lang).get(f"survey.construct_{measure}", measure)


def _survey(w: Writer, conn: Connection, filters: Filters) -> None:
    w.heading("report.survey")
    known = {m for ms in all_measures(conn).values() for m in ms}
    shown = [m for m in SURVEY_MEASURES if m in known]
    if not shown:
        w.text(t("report.no_survey", w.lang))
        return
    w.text(t("report.survey_intro", w.lang, k=min_survey_cell()))
    for measure in shown:
        table = results_table(conn, filters, measure, "gender")
        w.heading("report.survey_measure", 2, measure=_measure_name(measure, w.lang))
        if table.empty:
            w.text(t("report.no_data", w.lang))
            continue
        recent = table[table["wave"].isin(sorted(table["wave"].unique())[-2:])]
        title = t(
            "survey.groups_title",
            w.lang,
            measure=_measure_name(measure, w.lang),
            by=t("survey.by_gender", w.lang).lower(),
        )
        w.chart(
            survey_groups(
                recent.assign(group=recent["group"].map(lambda g: label("gender", g, w.lang))),
                w.lang,
                title,
                min_survey_cell(),
            )
        )
        w.table(_survey_rows(table.assign(group=table["group"].map(lambda g: label("gender", g, w.lang))), w.lang))
    w.note(t("survey.many_comparisons", w.lang))


def _behaviour(w: Writer, conn: Connection, filters: Filters) -> None:
    w.heading("report.behaviour")
    known = {m for ms in all_measures(conn).values() for m in ms}
    shown = [m for m in BEHAVIOUR_MEASURES if m in known]
    if not shown:
        w.text(t("report.no_survey", w.lang))
        return
    w.text(t("report.behaviour_intro", w.lang))
    for measure in shown:
        w.heading("report.survey_measure", 2, measure=_measure_name(measure, w.lang))
        table = results_table(conn, filters, measure, None)
        w.table(_survey_rows(table, w.lang, waves=len(table["wave"].unique())))
        by_gender = results_table(conn, filters, measure, "gender")
        w.table(
            _survey_rows(
                by_gender.assign(group=by_gender["group"].map(lambda g: label("gender", g, w.lang))), w.lang, 1
            )
        )


def _formal_reports(w: Writer, conn: Connection, filters: Filters) -> None:
    w.heading("report.reports")
    reports = reports_by_kind(conn, filters)
    if reports.empty:
        w.text(t("report.no_reports", w.lang))
        return
    if filters.is_fine:
        w.text(t("report.reports_branch_only", w.lang))
    years = sorted(reports["year"].unique())[-5:]
    hidden, unknown = hidden_text(w.lang), t("report.not_known", w.lang)
    reports = reports[reports["year"].isin(years)]
    for kind in sorted(set(reports["kind"]), reverse=True):
        part = reports[reports["kind"] == kind]
        w.heading(f"report.kind_{kind}", 2)
        cells = part.assign(
            text=[
                hidden if s else fmt_number(c, w.lang) if known else unknown
                for c, s, known in zip(part["count"], part["suppressed"], part["known"], strict=True)
            ],
            category=part["category"].map(lambda c: label("report_category", c, w.lang)),
        ).pivot(index="category", columns="year", values="text")
        cells = cells.reset_index().rename(columns={"category": t("report.col_category", w.lang)})
        w.table(cells.rename(columns=str).fillna("–"))
    blank = no_category_note(reports.loc[~reports["known"], "year"].tolist(), w.lang)
    if blank:
        w.note(blank)
    w.text(t("survey.reports_note", w.lang))


def _training(w: Writer, conn: Connection, doc: Status, filters: Filters) -> None:
    w.heading("report.training")
    names = sorted(set(names_of((x.target.metric for x in doc.targets), INDICATOR)))
    if filters.values:
        w.text(t("report.training_whole", w.lang))
    names = names or ["training_social_safety"]
    for name in names:
        series = indicator_series(conn, name)
        if not series:
            w.text(t("report.no_training", w.lang))
            continue
        yearly: dict[int, float] = {}
        for day, value in series:
            yearly[day.year] = value  # the last value of each year
        w.text(t("report.training_intro", w.lang, name=label("target", name, w.lang)))
        frame = pd.DataFrame(
            {
                t("col.year", w.lang): [str(y) for y in yearly],
                t("report.col_value_pct", w.lang): [fmt_pct(v, w.lang) for v in yearly.values()],
            }
        )
        w.table(frame)


def _measures(w: Writer, conn: Connection) -> None:
    """The register as the Targets page shows it: each measure, its indicator, and the indicator's slope before
    and after the start (from the privacy-safe series; timing, not cause)."""
    w.heading("report.measures")
    rows = measure_trends(conn)
    if not rows:
        w.text(t("report.no_measures", w.lang))
        return
    names = display_names(conn)
    write_measure_effects(w, measure_effects(conn), names)  # the grade leads; the register's slopes describe
    w.text(t("measures.caption", w.lang))
    w.table(
        pd.DataFrame(
            {
                t("measures.col_name", w.lang): names.label("measure", m.name, w.lang),
                t("measures.col_start", w.lang): fmt_date(m.start_date, w.lang),
                t("measures.col_scope", w.lang): population_text(m.scope, w.lang, names.label),
                t("measures.col_indicator", w.lang): indicator_name(m.indicator, w.lang),
                t("measures.col_status", w.lang): label("measure_status", m.status, w.lang),
                t("measures.col_before", w.lang): slope_text(slopes.slope_before, w.lang),
                t("measures.col_after", w.lang): slope_text(slopes.slope_after, w.lang),
            }
            for m, slopes in ((r.measure, r.slopes) for r in rows)
        )
    )


def _annex(w: Writer, conn: Connection, filters: Filters) -> None:
    w.page_break()
    w.heading("report.annex")
    w.heading("report.definitions", 2)
    for key in (
        "def_share",
        "def_on_track",
        "def_favourable",
        "def_interval",
        "def_significance",
        "def_vendor",
        "def_kind",
    ):
        w.text(t(f"report.{key}", w.lang), "List Bullet")
    w.heading("report.suppression", 2)
    w.text(t("report.suppression_text", w.lang, kw=min_workforce_cell(), ks=min_survey_cell()))
    w.heading("report.model", 2)
    w.text(t("report.model_text", w.lang))
    track = track_record(conn, filters)
    w.text(track_comparison(track, w.lang))
    if track.empty:
        return
    w.text(verdict_text(track, w.lang))
    w.table(track_table(track, w.lang))
