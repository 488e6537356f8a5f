"""Loopbaan / Career: where along the career women are lost. Intake against the need, retention by entry cohort,
promotion per rank level, the pyramid with the top apart, and the intersections; one view at a time."""

import streamlit as st

from di_metrics.analysis.career import (
    MATRICES,
    Intake,
    IntakeRequest,
    Matrix,
    MatrixRequest,
    PromotionRequest,
    Pyramid,
    PyramidRequest,
    RetentionRequest,
)
from di_metrics.analysis.promotion import Promotion
from di_metrics.analysis.retention import Retention
from di_metrics.config import min_workforce_cell
from di_metrics.i18n import t, value_label
from di_metrics.present import career_text
from di_metrics.present.career_report import intake_table, promotion_table, pyramid_table, retention_table
from di_metrics.present.charts.career import (
    incidence_chart,
    intake_chart,
    matrix_chart,
    promotion_chart,
    pyramid_chart,
    retention_chart,
)
from di_metrics.vocab import BRANCH, CATEGORY
from ui import data, state, widgets

VIEWS = ("intake", "retention", "promotion", "pyramid", "matrix")
BREAKDOWNS = (None, CATEGORY, BRANCH)


def settings(lang: str) -> str:
    """Which view to show (one is computed at a time: the career reads take seconds on a large workforce)."""
    return st.radio(
        state.tr("career.view"),
        VIEWS,
        format_func=lambda v: t(f"career.tab_{v}", lang),  # bound: widgets format outside the run too
        horizontal=True,
        key="career_view",
        label_visibility="collapsed",
    )


def show_intake(found: Intake, lang: str) -> None:
    empty = career_text.no_intake_text(found, lang)
    if empty:  # a sentence, not an empty chart
        st.info(empty)
        return
    widgets.chart(intake_chart(found, lang))  # its title is the view's sentence: said once
    st.dataframe(intake_table(found, lang), hide_index=True, width="stretch")


def show_retention(found: Retention, lang: str) -> None:
    empty = career_text.no_intake_text(found, lang)
    if empty:  # nobody hired: intake's sentence, not an empty chart
        st.info(empty)
        return
    if found.by:  # the chart's title names the breakdown; without one, the title is this sentence
        st.subheader(career_text.retention_text(found, lang))
    widgets.chart(retention_chart(found, lang))
    st.dataframe(retention_table(found, lang), hide_index=True, width="stretch")
    st.caption(state.tr("career.retention_note", k=found.minimum))
    if found.cut_at is not None:  # the core's decision: hidden intake years stopped a curve early
        st.caption(state.tr("career.retention_cut"))


def show_promotion(found: Promotion, lang: str, rank: str | None) -> None:
    chart = promotion_chart(found, lang)
    title = chart.layout.title.text.replace("<br>", " ").split()
    for level in found.pooled:  # each flag once: the first flagged level's sentence is already the chart's title
        if level.flag and career_text.promotion_text(level, lang).split() != title:
            st.warning(career_text.promotion_text(level, lang))
    widgets.chart(chart)
    st.dataframe(promotion_table(found, lang), hide_index=True, width="stretch")
    if rank is not None:
        widgets.chart(incidence_chart(found, rank, lang))
    st.caption(state.tr("career.promotion_note", k=found.minimum))


def show_pyramid(found: Pyramid, lang: str) -> None:
    widgets.chart(pyramid_chart(found, lang))  # its title is the view's sentence: said once
    st.dataframe(pyramid_table(found, lang), hide_index=True, width="stretch")


def show_matrix(found: Matrix, lang: str, version: int) -> None:
    empty = career_text.no_matrix_text(found, lang)
    if empty:  # every cell hidden: a sentence, not a plot without axes
        st.info(empty)
    else:  # values by the names the filters show
        widgets.chart(matrix_chart(found, lang, data.load_names(version)))
    st.caption(state.tr("career.matrix_note", k=min_workforce_cell(), hidden=state.tr("career.hidden")))


def options(
    view: str, lang: str
) -> RetentionRequest | MatrixRequest | IntakeRequest | PromotionRequest | PyramidRequest:
    """The chosen view's own settings, as the request the core reads."""
    if view == "retention":
        by = st.selectbox(
            state.tr("career.by"),
            BREAKDOWNS,
            format_func=lambda d: t("career.by_none", lang) if d is None else t(f"career.axis.{d}", lang),
            key="career_by",
        )
        return RetentionRequest(by)
    if view == "matrix":
        rows, columns = st.selectbox(
            state.tr("career.matrix_axes"),
            MATRICES,
            format_func=lambda pair: " × ".join(t(f"career.axis.{a}", lang) for a in pair),
            key="career_matrix",
        )
        return MatrixRequest(rows, columns)
    return {"intake": IntakeRequest, "promotion": PromotionRequest, "pyramid": PyramidRequest}[view]()


def career_page() -> None:
    """Settings (filters, the view and its options), load that one view, show it."""
    lang, version, filters = widgets.page_start()
    st.title(state.tr("career.title"))
    st.caption(state.tr("career.intro"))
    view = settings(lang)
    request = options(view, lang)
    found = data.load_career(filters, request, version)
    if view == "promotion":
        ranks = list(dict.fromkeys(p.rank_group for p in found.incidence))
        rank = (
            st.selectbox(state.tr("career.rank"), ranks, format_func=lambda r: value_label(r, lang), key="career_rank")
            if ranks
            else None
        )
        show_promotion(found, lang, rank)
        return
    if view == "matrix":
        show_matrix(found, lang, version)
        return
    {"intake": show_intake, "retention": show_retention, "pyramid": show_pyramid}[view](found, lang)


career_page()
