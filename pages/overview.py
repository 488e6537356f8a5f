"""Op koers? The latest women's share, every target's status, and the trend against the 30% target."""

import dataclasses

import pandas as pd
import streamlit as st

from di_metrics import i18n
from di_metrics.config import min_workforce_cell
from di_metrics.models.metrics import SHARE
from di_metrics.models.projection import Projection, project
from di_metrics.models.standing import Status, TargetStatus
from di_metrics.present.charts.workforce import share_trend
from di_metrics.present.narrative import card_lines, projection_note, target_headline, trend_finding
from di_metrics.queries.filters import Filters
from di_metrics.queries.status import year_change
from ui import data, sections, state, widgets

BADGES = {
    "met": ("✓ ", "green"),
    "on_track": ("✓ ", "green"),
    "missed": ("✗ ", "red"),
    "off_track": ("✗ ", "orange"),
    "no_value": ("", "gray"),
}


# The target cards wrap to a second row where a row of them would be narrower than their words (six at 1366x768
# split "burgerpersoneel" mid-word).
CARDS = """<style>
.st-key-target_cards [data-testid=stHorizontalBlock]{flex-wrap:wrap}
.st-key-target_cards [data-testid=stColumn]{flex:1 1 14rem;min-width:14rem}
</style>"""


def key_figures(doc: Status, lang: str) -> None:
    """The latest share, personnel and women, each with its change over a year, and what is left out."""
    col1, col2, col3 = st.columns(3)
    share_change, headcount_change, women_change = (
        year_change(doc.series, k) for k in ("women_share", "headcount", "women")
    )
    col1.metric(
        state.tr("overview.latest_share"),
        i18n.fmt_pct(doc.women_share, lang),
        delta=None if share_change is None else i18n.fmt_pp(100 * share_change, lang, signed=True),
        border=True,
        help=SHARE.definition(lang),
    )
    for col, key, value, change, colour in (
        (col2, "overview.headcount", doc.headcount, headcount_change, "off"),  # more personnel is neither good nor bad
        (col3, "overview.women", doc.women, women_change, "normal"),
    ):
        delta = None if change is None else ("+" if change > 0 else "") + i18n.fmt_number(change, lang)
        help_text = state.tr(f"metric_definition.{key.removeprefix('overview.')}")
        col.metric(
            state.tr(key), i18n.fmt_number(value, lang), delta=delta, delta_color=colour, border=True, help=help_text
        )
    if doc.suppressed:
        st.warning(state.tr("overview.suppressed", k=min_workforce_cell()))
    if doc.x_left_out:
        st.caption(state.tr("overview.x_left_out", k=min_workforce_cell()))
    if doc.unknown_gender:
        st.caption(state.tr("overview.unknown_gender", count=i18n.fmt_number(doc.unknown_gender, lang)))


def target_card(entry: TargetStatus, lang: str) -> None:
    """One target: its value, its state (decided in the core), and the figures behind it."""
    target = entry.target
    st.markdown(f"**{i18n.label('target', target.name, lang)}**")
    st.caption(
        state.tr(
            "overview.card_deadline",
            value=i18n.fmt_pct(target.target_value, lang, 0),
            date=i18n.fmt_date(target.deadline, lang),
        )
    )
    if entry.latest is not None:  # not shown: the badge says so, never a dash
        st.markdown(f"### {i18n.fmt_pct(entry.latest, lang)}")
    mark, colour = BADGES[entry.state]
    st.badge(mark + state.tr(f"status.{entry.state}"), color=colour)
    rows, note = card_lines(entry, lang)
    if rows:
        st.markdown(rows)
    if note:
        st.caption(note)  # a note (X left out, or why the figures are not known), not a figure: small, under them
    if target.exempt_units:
        st.caption(state.tr("filters.exempt_note", units=", ".join(target.exempt_units)))


def trend_chart(
    doc: Status, main: TargetStatus | None, baseline: Projection | None, filters: Filters, version: int, lang: str
) -> None:
    """The share over time against the leading target's glide path, the baseline projection and the measures."""
    series = pd.DataFrame([dataclasses.asdict(p) for p in doc.series])
    target = main.target if main else None
    title = state.tr("overview.series_title")
    if main and main.latest is not None:
        title = trend_finding(main, doc.series[-1].women_share if doc.series else None, lang)
    marks = data.load_names(version).measures(data.load_share_marks(version), lang)
    figure = share_trend(series, target, lang, title, baseline, marks, filters.values)
    widgets.chart(figure)
    if marks:
        st.caption(state.tr("measures.chart_note"))
    if baseline is not None:
        st.caption(projection_note(baseline, lang))


def overview_page() -> None:
    """Settings (the filters), load the status, show the headline, the figures, the targets and the trend."""
    lang, version, filters = widgets.page_start()
    doc = data.load_status(filters, version)

    st.title(state.tr("overview.title"))
    st.caption(state.tr("app.tagline"))
    if doc.as_of is None:
        st.info(state.tr("overview.no_data"))
        return
    as_of = doc.as_of
    main = data.load_leading_target(filters, version)

    calibration = data.load_calibration(filters, version)
    baseline = None if isinstance(calibration, str) else project(calibration.scenario)
    if main and main.latest is not None:
        st.subheader(target_headline(main, lang, baseline))
    st.caption(state.tr("app.data_as_of", date=i18n.fmt_date(as_of, lang)))
    key_figures(doc, lang)
    st.html(CARDS)
    cards = st.container(key="target_cards").columns(max(1, len(doc.targets)))
    for col, entry in zip(cards, doc.targets, strict=False):
        with col.container(border=True):
            target_card(entry, lang)
    trend_chart(doc, main, baseline, filters, version, lang)
    sections.watchlist_section(filters, version)


overview_page()
