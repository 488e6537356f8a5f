"""Briefing: one view at a time for a projector, its message as the title, and the deck to take away."""

import plotly.graph_objects as go
import streamlit as st

from di_metrics.present.charts.briefing import view_figure
from di_metrics.present.deck import build_deck
from di_metrics.present.views import Briefing
from di_metrics.present.views import View as BriefingView
from di_metrics.queries.filters import Filters
from ui import data, state, widgets


def view_picker(n: int) -> int:
    """The view shown (1 to n), from ?view= and the previous and next buttons (arrow keys)."""
    try:
        index = min(max(int(st.query_params.get("view", 1)), 1), n)
    except ValueError:
        index = 1
    left, middle, right = st.columns([1, 6, 1], vertical_alignment="center")
    if left.button(state.tr("briefing.previous"), shortcut="left", disabled=index == 1, width="stretch", key="prev"):
        index -= 1
    if right.button(state.tr("briefing.next"), shortcut="right", disabled=index == n, width="stretch", key="next"):
        index += 1
    st.query_params["view"] = str(index)
    middle.markdown(
        f"<div style='text-align:center'>{state.tr('briefing.view_of', i=index, n=n)}</div>", unsafe_allow_html=True
    )
    return index


def presenter_notes(briefing: Briefing, view: BriefingView, figure: go.Figure, filters: Filters, lang: str) -> None:
    """What the presenter reads and takes away: the notes, the chart's images, the deck and the report."""
    st.markdown("\n".join(f"- {note}" for note in view.notes))
    st.caption(state.tr("briefing.keys"))
    widgets.chart_downloads(figure, f"koers-{view.key}")
    st.download_button(
        state.tr("briefing.download_deck"),
        lambda: build_deck(briefing),
        f"koers-briefing-{lang}.pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        type="primary",
        key="deck",
        on_click="ignore",
    )
    levers = state.scenario_levers()
    st.download_button(
        state.tr("report.download"),
        lambda: data.report_bytes(filters, lang, levers),
        f"koers-report-{lang}.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        key="report",
        on_click="ignore",
    )


def briefing_page() -> None:
    """Settings (the filters and the levers in the link), load the briefing, show one view."""
    st.set_page_config(layout="wide", initial_sidebar_state="collapsed")
    lang, version, filters = widgets.page_start()
    briefing = data.load_briefing(filters, lang, state.scenario_levers(), version)
    views = briefing.views
    n = len(views)
    index = view_picker(n)
    view = views[index - 1]
    figure = view_figure(
        view.categories,
        view.series,
        view.kind,
        lang,
        view.title,
        view.percent,
        large=True,
        decimals=view.decimals,
        codes=view.codes,
    )
    st.header(view.title, anchor=False)
    shown = go.Figure(figure).update_layout(title=None, margin={"t": 60})
    widgets.chart(shown, key="view_chart", projector=True)
    st.caption(briefing.stamp)
    with st.expander(state.tr("briefing.presenter_title")):
        presenter_notes(briefing, view, figure, filters, lang)


briefing_page()
