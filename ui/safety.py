"""The social-safety evidence on screen: the Survey page's reporting panel and the Measures register's grades.
Each reads one typed result (cached on the data version) and shows what di_metrics/present made of it."""

from __future__ import annotations

import streamlit as st

from di_metrics.analysis.measure_effects import MeasureEffect, measure_effects
from di_metrics.analysis.reporting import Reporting, reporting
from di_metrics.present import safety_text
from di_metrics.present.safety_views import effect_chart, effects_table, reporting_chart, reporting_table
from di_metrics.queries.filters import Filters
from di_metrics.storage import store
from ui.loaders import CACHE, engine
from ui.state import tr
from ui.widgets import chart

__all__ = ["evidence_register", "load_effects", "load_reporting", "reporting_panel"]


@st.cache_data(**CACHE)
def load_reporting(filters: Filters, version: int) -> Reporting:
    """The reporting rate per year and the splits of its changes for a selection."""
    with store.connect(engine()) as conn:
        return reporting(conn, filters)


@st.cache_data(**CACHE)
def load_effects(version: int) -> tuple[MeasureEffect, ...]:
    """Every measure's effect and grade."""
    with store.connect(engine()) as conn:
        return measure_effects(conn)


def reporting_panel(filters: Filters, lang: str, version: int) -> None:
    """Reporting: more incidents or more willingness? The answer from a split, or why there is none; the
    rate per year; each further change."""
    result = load_reporting(filters, version)
    st.subheader(tr("safety_evidence.title"))
    if not result.rows:
        st.info(tr("safety_evidence.none"))
        return
    if result.headline is not None:
        st.markdown(safety_text.change_sentence(result.headline, lang))
    chart(reporting_chart(result, lang, safety_text.slide_title(result.headline, lang)))
    st.dataframe(reporting_table(result, lang), hide_index=True, width="stretch")
    for change in result.told:
        if change is not result.headline:
            st.caption(safety_text.change_sentence(change, lang))
    st.caption(tr("safety_evidence.caption"))


def _effect(e: MeasureEffect, lang: str) -> None:
    with st.expander(f"{e.measure.name}: {safety_text.grade_label(e.grade.grade, lang)}"):
        st.markdown(safety_text.grade_sentence(e, lang))
        st.caption(safety_text.its_sentence(e.its, lang))
        st.caption(safety_text.did_sentence(e.did, e.comparison_parts, lang))
        if e.dates:
            chart(effect_chart(e, lang, safety_text.grade_sentence(e, lang)), name=f"koers-effect-{e.measure.name}")


def evidence_register(lang: str, version: int) -> None:
    """The register led by each measure's grade, then each measure's grade line, both methods and its chart."""
    effects = load_effects(version)
    if not effects:
        return
    st.subheader(tr("safety_evidence.effects_title"))
    st.caption(tr("safety_evidence.effects_caption"))
    st.dataframe(effects_table(effects, lang), hide_index=True, width="stretch")
    for e in effects:
        _effect(e, lang)
    st.caption(tr("safety_evidence.caveat"))
