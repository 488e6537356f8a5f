"""Measures (maatregelen): the register, each one's indicator before and after, and editing.

A measure entered in the form passes the register's rules, as a measures file does (storage/measure_register.py)."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from di_metrics import i18n
from di_metrics.analysis.measure_effects import MeasureEffect
from di_metrics.analysis.measure_list import MeasureTrend
from di_metrics.models.measure_slopes import Measure
from di_metrics.models.names import Names
from di_metrics.present import safety_text
from di_metrics.present.narrative import indicator_name, slope_text
from di_metrics.present.safety_views import effect_chart, effects_table
from di_metrics.vocab import DIMENSIONS
from ui import data, state, widgets


@dataclass(frozen=True)
class Register:
    """What the page loads once: the measures, the indicators they may follow and the population values."""

    lang: str
    measures: list[Measure]
    choices: list[str]
    scope_options: dict[str, list[str]]
    names: Names


def register_table(reg: Register) -> pd.DataFrame:
    lang = reg.lang
    return pd.DataFrame(
        [
            {
                state.tr("measures.col_name"): reg.names.label("measure", m.name, lang),
                state.tr("measures.col_start"): i18n.fmt_date(m.start_date, lang),
                state.tr("measures.col_end"): i18n.fmt_date(m.end_date, lang) if m.end_date else "–",
                state.tr("measures.col_owner"): m.owner or "–",
                state.tr("measures.col_scope"): i18n.population_text(m.scope, lang, reg.names.label),
                state.tr("measures.col_indicator"): indicator_name(m.indicator, lang),
                state.tr("measures.col_status"): i18n.label("measure_status", m.status, lang),
            }
            for m in reg.measures
        ]
    )


def comparison_table(compared: tuple[MeasureTrend, ...], lang: str, names: Names) -> pd.DataFrame:
    """Per measure: the indicator's slope before and after its start."""
    return pd.DataFrame(
        [
            {
                state.tr("measures.col_name"): names.label("measure", t.measure.name, lang),
                state.tr("measures.col_indicator"): indicator_name(t.measure.indicator, lang),
                state.tr("measures.col_before"): slope_text(t.slopes.slope_before, lang),
                state.tr("measures.col_after"): slope_text(t.slopes.slope_after, lang),
                state.tr("measures.col_change"): slope_text(t.slopes.slope_change, lang),
                state.tr("measures.col_points"): f"{t.slopes.points_before} / {t.slopes.points_after}",
            }
            for t in compared
        ]
    )


def measure_form(key: str, m: Measure | None, reg: Register) -> Measure | None:
    """The fields of one measure; the measure as entered once the form is sent."""
    lang, choices = reg.lang, reg.choices
    with st.form(key, clear_on_submit=m is None):
        c1, c2 = st.columns(2)
        name = c1.text_input(state.tr("measures.col_name"), m.name if m else "", key=f"{key}_name")
        owner = c2.text_input(state.tr("measures.col_owner"), (m.owner or "") if m else "", key=f"{key}_owner")
        start = c1.date_input(
            state.tr("measures.col_start"), m.start_date if m else dt.date.today(), key=f"{key}_start"
        )
        end = c2.date_input(state.tr("measures.col_end"), m.end_date if m else None, key=f"{key}_end")
        indicator = c1.selectbox(
            state.tr("measures.col_indicator"),
            choices,
            index=choices.index(m.indicator) if m and m.indicator in choices else 0,
            format_func=lambda code: indicator_name(code, lang),
            key=f"{key}_indicator",
        )
        status = c2.selectbox(
            state.tr("measures.col_status"),
            data.MEASURE_STATUSES,
            index=data.MEASURE_STATUSES.index(m.status) if m and m.status in data.MEASURE_STATUSES else 1,
            format_func=lambda s: i18n.label("measure_status", s, lang),
            key=f"{key}_status",
        )
        scope = dict(m.scope) if m else {}
        columns = (c1, c2) * 2
        population = {
            d: population_picker(col, d, scope.get(d), f"{key}_{d}", reg)
            for col, d in zip(columns, DIMENSIONS, strict=True)
        }
        if not st.form_submit_button(state.tr("measures.save"), type="primary"):
            return None
    chosen = {d: v for d, v in population.items() if v}
    return Measure(name.strip(), start, indicator, status, end, owner.strip() or None, chosen)


def population_picker(col: Any, dimension: str, stored: str | None, key: str, reg: Register) -> str | None:
    """One dimension of a measure's population: everyone, or one value the workforce data holds. A stored value
    the data no longer holds stays visible, so that saving it is refused by the same rule as a file."""
    options = [None, *reg.scope_options.get(dimension, [])]
    if stored is not None and stored not in options:
        options.append(stored)
    return col.selectbox(
        state.tr(f"filters.{dimension}"),
        options,
        index=options.index(stored),
        format_func=lambda v: i18n.t("filters.all", reg.lang) if v is None else reg.names.label(dimension, v, reg.lang),
        key=key,
    )


def problem_text(key: str, entered: Measure) -> str:
    """A broken rule in the reader's language; a population value names its dimension and the value."""
    dimension = key.removeprefix("unknown_")
    if dimension in DIMENSIONS:
        value = entered.scope[dimension]
        return state.tr("measures.error_unknown_value", dimension=state.tr(f"filters.{dimension}"), value=value)
    return state.tr(f"measures.error_{key}")


def saved_if_valid(entered: Measure, replacing: str | None, reg: Register) -> None:
    """Save a measure the register's rules accept; otherwise say what is wrong, in the reader's language."""
    found = data.measure_problems(entered, reg.choices, reg.scope_options)
    if entered.name != replacing and entered.name in {m.name for m in reg.measures}:
        found.append("exists")
    if found:
        st.error(" ".join(problem_text(k, entered) for k in found))
        return
    data.save_measure(entered, replacing)
    st.toast(state.tr("measures.saved"))
    st.rerun()


def edit_measure(m: Measure, reg: Register) -> None:
    """One measure's form and its delete, asked twice."""
    with st.expander(f"{state.tr('measures.edit')}: {m.name}"):
        entered = measure_form(f"measure_{m.name}", m, reg)
        if entered is not None:
            saved_if_valid(entered, m.name, reg)
        st.button(state.tr("measures.delete"), key=f"delete_measure_{m.name}")
        if widgets.asked_twice(
            f"delete_measure_{m.name}",
            m.name,
            state.tr("measures.delete_confirm", name=m.name),
            state.tr("measures.delete_yes"),
        ):
            data.delete_measure(m.name)
            st.rerun()


def effect_detail(i: int, e: MeasureEffect, lang: str, names: Names) -> None:
    """One measure's grade line, both methods in a line each, and the series they compare."""
    with st.expander(f"{names.label('measure', e.measure.name, lang)}: {safety_text.grade_label(e.grade.grade, lang)}"):
        st.markdown(safety_text.grade_sentence(e, lang))
        st.caption(safety_text.its_sentence(e, lang))
        st.caption(safety_text.did_sentence(e, lang, names.label))
        if e.dates:
            title = safety_text.grade_sentence(e, lang)
            widgets.chart(effect_chart(e, lang, title, names), name=f"koers-measure-effect-{i + 1}", key=f"effect_{i}")


def evidence(effects: tuple[MeasureEffect, ...], lang: str, names: Names) -> None:
    """The register led by each measure's grade; the slopes before and after follow as a description."""
    st.subheader(state.tr("safety_evidence.effects_title"))
    st.caption(state.tr("safety_evidence.effects_caption"))
    st.dataframe(effects_table(effects, lang, names), hide_index=True, width="stretch")
    for i, e in enumerate(effects):
        effect_detail(i, e, lang, names)
    st.caption(state.tr("safety_evidence.caveat"))


def measures_page() -> None:
    """Settings, load, show: the register and the slopes before and after, then each measure's form."""
    lang, version, _ = widgets.page_start(filters=False)
    reg = Register(
        lang,
        data.load_measures(version),
        data.load_indicator_choices(version),
        data.load_scope_values(version),
        data.load_names(version),
    )
    compared = data.load_measure_comparison(version)
    st.title(state.tr("measures.title"))
    st.caption(state.tr("measures.caption"))
    if not reg.measures:
        st.info(state.tr("measures.none"))
    else:
        evidence(data.load_measure_effects(version), lang, reg.names)
        st.dataframe(register_table(reg), hide_index=True, width="stretch")
        st.subheader(state.tr("measures.comparison_title"))
        st.dataframe(comparison_table(compared, lang, reg.names), hide_index=True, width="stretch")
        st.caption(state.tr("measures.caveat"))
    for m in reg.measures:
        edit_measure(m, reg)
    st.subheader(state.tr("measures.add"))
    new_measure = measure_form("measure_new", None, reg)
    if new_measure is not None:
        saved_if_valid(new_measure, None, reg)


measures_page()
