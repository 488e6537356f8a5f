"""Briefing: one view at a time for a projector, its message as the title, and the deck to take away.

Each view fits the screen (1280×720 up to 1920×1080) without scrolling: the page is one screen high and the
chart takes what the bar, the title and the stamp leave (FIT). `?present=1` is presenter mode: no sidebar and
no Streamlit chrome, the view number as "3 / 16", arrows to move and Esc to leave; `?view=` keeps the view.
"""

import plotly.graph_objects as go
import streamlit as st

from di_metrics.present.charts.briefing import view_figure
from di_metrics.present.deck import build_deck
from di_metrics.present.views import Briefing
from di_metrics.present.views import View as BriefingView
from di_metrics.queries.filters import Filters
from ui import data, state, widgets

# The page is one screen high; only the chart's box gives way, to the height the rest leaves (the chart stretches
# to its box).
FIT = """<style>
[data-testid=stMainBlockContainer]{height:100dvh;padding-top:3.75rem;padding-bottom:.75rem}
[data-testid=stMainBlockContainer] > [data-testid=stVerticalBlock]{height:100%;gap:.5rem}
[data-testid=stMainBlockContainer] > [data-testid=stVerticalBlock] > *{flex-shrink:0}
[data-testid=stMainBlockContainer] > [data-testid=stVerticalBlock] > :has(> .st-key-briefing_chart){
  flex:1 1 0;min-height:240px}
.st-key-briefing_chart{height:100%;min-height:0;overflow:hidden}
.st-key-briefing_bar p{margin:0}
[data-testid=stMainBlockContainer] [data-testid=stCaptionContainer]{margin-bottom:0}
[data-testid=stMainBlockContainer] [data-testid=stCaptionContainer] p{margin:0}
</style>"""
# Presenter mode: no sidebar, no header bar, no toolbar; the view alone.
PRESENT = """<style>
[data-testid=stSidebar],[data-testid=stHeader],[data-testid=stSidebarCollapsedControl],
[data-testid=stToolbar],[data-testid=stDecoration]{display:none !important}
[data-testid=stMainBlockContainer]{padding-top:.75rem;max-width:100%}
</style>"""


def presenting() -> bool:
    """Whether the link asks for presenter mode."""
    return st.query_params.get("present") == "1"


def _set_presenting(on: bool) -> None:
    if on:
        st.query_params["present"] = "1"
    elif "present" in st.query_params:
        del st.query_params["present"]


def view_number(n: int) -> int:
    """The view shown, 1 to n, from ?view= (a reload stays on it)."""
    try:
        return min(max(int(st.query_params.get("view", 1)), 1), n)
    except ValueError:
        return 1


def _step(by: int, n: int) -> None:
    """Previous or next, before the run: no ?view= is view 1 (no extra history entry on arrival)."""
    st.query_params["view"] = str(min(max(view_number(n) + by, 1), n))


def top_bar(briefing: Briefing, filters: Filters, lang: str) -> int:
    """The bar above the view: previous, the view number, next; presenter mode; the deck and the report.
    Returns the view to show."""
    n, on = len(briefing.views), presenting()
    index = view_number(n)  # a click's step is taken before the run (_step): the buttons' states are the view's
    bar = st.container(horizontal=True, vertical_alignment="center", key="briefing_bar")
    previous, following = state.tr("briefing.previous"), state.tr("briefing.next")
    bar.button(previous, shortcut="left", key="prev", disabled=index == 1, on_click=_step, args=(-1, n))
    bar.markdown(state.tr("briefing.counter" if on else "briefing.view_of", i=index, n=n))
    bar.button(following, shortcut="right", key="next", disabled=index == n, on_click=_step, args=(1, n))
    bar.space("stretch")
    if on:
        bar.button(state.tr("briefing.leave"), shortcut="Esc", key="leave", on_click=_set_presenting, args=(False,))
        return index
    bar.button(
        state.tr("briefing.present"),
        help=state.tr("briefing.present_help"),
        shortcut="P",
        key="present",
        on_click=_set_presenting,
        args=(True,),
    )
    downloads(bar, briefing, filters, lang)
    return index


def downloads(where, briefing: Briefing, filters: Filters, lang: str) -> None:
    """The deck and the report, made when someone clicks."""
    where.download_button(
        state.tr("briefing.download_deck"),
        lambda: build_deck(briefing),
        f"koers-briefing-{lang}.pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        type="primary",
        key="deck",
        on_click="ignore",
    )
    levers = state.scenario_levers()
    where.download_button(
        state.tr("report.download"),
        lambda: data.report_bytes(filters, lang, levers),
        f"koers-report-{lang}.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        key="report",
        on_click="ignore",
    )


def presenter_notes(view: BriefingView, figure: go.Figure) -> None:
    """What the presenter reads: the notes, and the chart's images."""
    with st.expander(state.tr("briefing.presenter_title")):
        st.markdown("\n".join(f"- {note}" for note in view.notes))
        st.caption(state.tr("briefing.keys"))
        widgets.chart_downloads(figure, f"koers-{view.key}")


def briefing_page() -> None:
    """Settings (the filters and the levers in the link), load the briefing, show one view."""
    st.set_page_config(layout="wide", initial_sidebar_state="collapsed")
    lang, version, filters = widgets.page_start()
    briefing = data.load_briefing(filters, lang, state.scenario_levers(), version)
    st.html(FIT + (PRESENT if presenting() else ""))
    index = top_bar(briefing, filters, lang)
    view = briefing.views[index - 1]
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
    said = [view.subtitle, briefing.scenario if view.key == "whatif" or not presenting() else ""]
    if any(said):
        st.caption("  \n".join(filter(None, said)))
    if view.categories:  # a view with nothing to draw is its title alone, as on its slide
        shown = go.Figure(figure).update_layout(title=None, height=None, margin={"t": 50, "b": 10})
        with st.container(key="briefing_chart", height="stretch"):
            widgets.chart(shown, key="view_chart", projector=True, height="stretch")
    st.caption(briefing.stamp)
    if not presenting():
        presenter_notes(view, figure)


briefing_page()
