"""Targets: the registry of goals, edited here or loaded from a TOML or YAML file kept with the organisation."""

import dataclasses
import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

import ui
from di_metrics import i18n
from di_metrics.errors import InvalidInput
from di_metrics.models.measures import Measure
from di_metrics.models.targets import WOMEN_SHARE, Target, parse_target_bytes, targets_to_toml
from di_metrics.present.narrative import indicator_name, slope_text
from di_metrics.queries.filters import Filters
from di_metrics.storage.formats import MEASURE_STATUSES
from di_metrics.storage.measures import delete_measure, problems_of, save_measure
from di_metrics.storage.targets import delete_target, replace_targets, save_target
from di_metrics.vocab import (
    BRANCH,
    CATEGORY,
    DEFAULT_DEADLINE,
    DEFAULT_TARGET,
    DIMENSIONS,
    LADDERS,
    ORG_UNIT,
    RANK_GROUP,
)
from ui.safety import evidence_register

lang, version, _ = ui.page_start(filters=False)
targets = ui.load_all_targets(version)
units = ui.load_dimension_values(ORG_UNIT, Filters(), version)

st.title(ui.tr("targets.title"))
st.caption(ui.tr("targets.caption"))


def registry_table(shown: list[Target]) -> pd.DataFrame:
    """Targets as people read them: the registry at the top, and a file's targets before they replace it."""
    return pd.DataFrame(
        [
            {
                ui.tr("targets.col_name"): i18n.label("target", t.name, lang),
                ui.tr("targets.col_value"): i18n.fmt_pct(t.target_value, lang, 0),
                ui.tr("targets.col_deadline"): i18n.fmt_date(t.deadline, lang),
                ui.tr(
                    "targets.col_baseline"
                ): f"{i18n.fmt_pct(t.baseline_value, lang)} ({i18n.fmt_date(t.baseline_date, lang)})",
                ui.tr("targets.col_scope"): i18n.selection_text(t.scope.items(), lang) or ui.tr("filters.all"),
                ui.tr("targets.col_exempt"): len(t.exempt_units),
            }
            for t in shown
        ]
    )


st.dataframe(registry_table(targets), hide_index=True, width="stretch")

st.subheader(ui.tr("targets.edit"))
for t in targets:
    label = i18n.label("target", t.name, lang)
    with st.expander(label):
        with st.form(f"target_{t.name}"):
            c1, c2 = st.columns(2)
            value = c1.number_input(
                ui.tr("targets.col_value"), 0.0, 100.0, 100 * t.target_value, step=1.0, key=f"value_{t.name}"
            )
            deadline = c2.date_input(ui.tr("targets.col_deadline"), t.deadline, key=f"deadline_{t.name}")
            baseline_value = c1.number_input(
                ui.tr("targets.baseline_value"), 0.0, 100.0, 100 * t.baseline_value, step=0.1, key=f"bv_{t.name}"
            )
            baseline_date = c2.date_input(ui.tr("targets.baseline_date"), t.baseline_date, key=f"bd_{t.name}")
            exempt = st.multiselect(
                ui.tr("targets.col_exempt"),
                units,
                default=[u for u in t.exempt_units if u in units],
                key=f"exempt_{t.name}",
                disabled=t.metric != WOMEN_SHARE,
                placeholder=ui.tr("targets.none"),
            )
            save, delete = st.columns(2)
            if save.form_submit_button(ui.tr("targets.save"), type="primary"):
                changed = dataclasses.replace(
                    t,
                    target_value=value / 100,
                    deadline=deadline,
                    baseline_value=baseline_value / 100,
                    baseline_date=baseline_date,
                    exempt_units=tuple(exempt),
                )
                if changed.deadline <= changed.baseline_date:
                    st.error(ui.tr("targets.deadline_after_baseline"))
                else:
                    ui.write(lambda conn, c=changed: save_target(conn, c))
                    st.toast(ui.tr("targets.saved"))
                    st.rerun()
            delete.form_submit_button(ui.tr("targets.delete"), key=f"delete_target_{t.name}")
        question = ui.tr("targets.delete_confirm", name=label)
        if ui.asked_twice(f"delete_target_{t.name}", t.name, question, ui.tr("targets.delete_yes")):
            ui.write(lambda conn, name=t.name: delete_target(conn, name))
            st.rerun()

st.subheader(ui.tr("targets.add"))
with st.form("target_new", clear_on_submit=True):
    c1, c2 = st.columns(2)
    name = c1.text_input(ui.tr("targets.col_name"), placeholder="women_officers")
    categories = c2.multiselect(
        ui.tr("filters.personnel_category"),
        list(LADDERS),
        format_func=lambda v: i18n.value_label(v, lang),
        placeholder=ui.tr("filters.all"),
    )
    branches = c1.multiselect(
        ui.tr("filters.branch"),
        ui.load_dimension_values(BRANCH, Filters(), version),
        placeholder=ui.tr("filters.all"),
    )
    ranks = c2.multiselect(
        ui.tr("filters.rank_group"),
        ui.load_dimension_values(RANK_GROUP, Filters(), version),
        format_func=lambda v: i18n.value_label(v, lang),
        placeholder=ui.tr("filters.all"),
    )
    value = c1.number_input(ui.tr("targets.col_value"), 0.0, 100.0, round(100 * DEFAULT_TARGET, 1), step=1.0)
    deadline = c2.date_input(ui.tr("targets.col_deadline"), dt.date(DEFAULT_DEADLINE, 12, 31))
    baseline_value = c1.number_input(ui.tr("targets.baseline_value"), 0.0, 100.0, 16.0, step=0.1)
    baseline_date = c2.date_input(ui.tr("targets.baseline_date"), pd.Timestamp("2022-12-31").date())
    if st.form_submit_button(ui.tr("targets.save"), type="primary"):
        scope = {k: tuple(v) for k, v in ((CATEGORY, categories), (BRANCH, branches), (RANK_GROUP, ranks)) if v}
        new = Target(name.strip(), WOMEN_SHARE, value / 100, deadline, baseline_date, baseline_value / 100, scope)
        if not new.name or new.deadline <= new.baseline_date:
            st.error(ui.tr("targets.invalid_new"))
        else:
            ui.write(lambda conn: save_target(conn, new))
            st.rerun()

st.subheader(ui.tr("targets.file"))
left, right = st.columns(2)
with left:
    upload = st.file_uploader(ui.tr("targets.upload"), type=["toml", "yaml", "yml"])
    if upload is not None:
        try:
            loaded = parse_target_bytes(upload.getvalue(), upload.name)
        except InvalidInput as exc:
            st.error(exc.text(lang))
        else:
            st.write(ui.tr("targets.preview", n=len(loaded)))
            st.dataframe(registry_table(loaded), hide_index=True, width="stretch")
            st.button(ui.tr("targets.replace_all"), type="primary", key="replace_all")
            question = ui.tr("targets.replace_confirm", old=len(targets), n=len(loaded), file=upload.name)
            if ui.asked_twice("replace_all", upload.file_id, question, ui.tr("targets.replace_yes")):
                ui.write(lambda conn: replace_targets(conn, loaded))
                st.toast(ui.tr("targets.saved"))
                st.rerun()
with right:
    st.download_button(ui.tr("targets.download"), targets_to_toml(targets), "koers-targets.toml", "application/toml")

# --- Measures (maatregelen): the register, each one's indicator before and after, and editing ---------------

st.divider()
st.header(ui.tr("measures.title"))
st.caption(ui.tr("measures.caption"))
measures = ui.load_measures(version)
compared = {r["name"]: r for r in ui.load_measure_comparison(version)["rows"]}
choices = ui.load_indicator_choices(version)
scope_options = ui.load_scope_values(version)


if not measures:
    st.info(ui.tr("measures.none"))
else:
    st.dataframe(
        pd.DataFrame(
            [
                {
                    ui.tr("measures.col_name"): m.name,
                    ui.tr("measures.col_start"): i18n.fmt_date(m.start_date, lang),
                    ui.tr("measures.col_end"): i18n.fmt_date(m.end_date, lang) if m.end_date else "–",
                    ui.tr("measures.col_owner"): m.owner or "–",
                    ui.tr("measures.col_scope"): i18n.selection_text(((d, (v,)) for d, v in m.scope.items()), lang)
                    or ui.tr("filters.all"),
                    ui.tr("measures.col_indicator"): indicator_name(m.indicator, lang),
                    ui.tr("measures.col_status"): i18n.label("measure_status", m.status, lang),
                }
                for m in measures
            ]
        ),
        hide_index=True,
        width="stretch",
    )
    st.subheader(ui.tr("measures.comparison_title"))
    st.dataframe(
        pd.DataFrame(
            [
                {
                    ui.tr("measures.col_name"): name,
                    ui.tr("measures.col_indicator"): indicator_name(r["indicator"], lang),
                    ui.tr("measures.col_before"): slope_text(r["slope_before"], lang),
                    ui.tr("measures.col_after"): slope_text(r["slope_after"], lang),
                    ui.tr("measures.col_change"): slope_text(r["slope_change"], lang),
                    ui.tr("measures.col_points"): f"{r['points_before']} / {r['points_after']}",
                }
                for name, r in compared.items()
            ]
        ),
        hide_index=True,
        width="stretch",
    )
    st.caption(ui.tr("measures.caveat"))
    evidence_register(lang, version)


def measure_form(key: str, m: Measure | None) -> Measure | None:
    """The fields of one measure; the measure as entered once the form is sent."""
    with st.form(key, clear_on_submit=m is None):
        c1, c2 = st.columns(2)
        name = c1.text_input(ui.tr("measures.col_name"), m.name if m else "", key=f"{key}_name")
        owner = c2.text_input(ui.tr("measures.col_owner"), (m.owner or "") if m else "", key=f"{key}_owner")
        start = c1.date_input(ui.tr("measures.col_start"), m.start_date if m else dt.date.today(), key=f"{key}_start")
        end = c2.date_input(ui.tr("measures.col_end"), m.end_date if m else None, key=f"{key}_end")
        indicator = c1.selectbox(
            ui.tr("measures.col_indicator"),
            choices,
            index=choices.index(m.indicator) if m and m.indicator in choices else 0,
            format_func=lambda code: indicator_name(code, lang),
            key=f"{key}_indicator",
        )
        status = c2.selectbox(
            ui.tr("measures.col_status"),
            MEASURE_STATUSES,
            index=MEASURE_STATUSES.index(m.status) if m and m.status in MEASURE_STATUSES else 1,
            format_func=lambda s: i18n.label("measure_status", s, lang),
            key=f"{key}_status",
        )
        scope = dict(m.scope) if m else {}
        columns = (c1, c2) * 2
        population = {
            d: population_picker(col, d, scope.get(d), f"{key}_{d}") for col, d in zip(columns, DIMENSIONS, strict=True)
        }
        if not st.form_submit_button(ui.tr("measures.save"), type="primary"):
            return None
    chosen = {d: v for d, v in population.items() if v}
    return Measure(name.strip(), start, indicator, status, end, owner.strip() or None, chosen)


def population_picker(col: Any, dimension: str, stored: str | None, key: str) -> str | None:
    """One dimension of a measure's population: everyone, or one value the workforce data holds. A stored value
    the data no longer holds stays visible, so that saving it is refused by the same rule as a file."""
    options = [None, *scope_options.get(dimension, [])]
    if stored is not None and stored not in options:
        options.append(stored)
    return col.selectbox(
        ui.tr(f"filters.{dimension}"),
        options,
        index=options.index(stored),
        format_func=lambda v: i18n.t("filters.all", lang) if v is None else value_text(dimension, v),
        key=key,
    )


def value_text(dimension: str, value: str) -> str:
    return i18n.value_label(value, lang)


def problem_text(key: str, entered: Measure) -> str:
    """A broken rule in the reader's language; a population value names its dimension and the value."""
    dimension = key.removeprefix("unknown_")
    if dimension in DIMENSIONS:
        value = entered.scope[dimension]
        return ui.tr("measures.error_unknown_value", dimension=ui.tr(f"filters.{dimension}"), value=value)
    return ui.tr(f"measures.error_{key}")


def saved_if_valid(entered: Measure, replacing: str | None) -> None:
    """Save a measure the register's rules accept; otherwise say what is wrong, in the reader's language."""
    found = list(problems_of([entered], choices, scope_options))
    if entered.name != replacing and entered.name in {m.name for m in measures}:
        found.append("exists")
    if found:
        st.error(" ".join(problem_text(k, entered) for k in found))
        return
    ui.write(lambda conn: save_measure(conn, entered, replacing))
    st.toast(ui.tr("measures.saved"))
    st.rerun()


for m in measures:
    with st.expander(f"{ui.tr('measures.edit')}: {m.name}"):
        entered = measure_form(f"measure_{m.name}", m)
        if entered is not None:
            saved_if_valid(entered, m.name)
        st.button(ui.tr("measures.delete"), key=f"delete_measure_{m.name}")
        if ui.asked_twice(
            f"delete_measure_{m.name}",
            m.name,
            ui.tr("measures.delete_confirm", name=m.name),
            ui.tr("measures.delete_yes"),
        ):
            ui.write(lambda conn, name=m.name: delete_measure(conn, name))
            st.rerun()

st.subheader(ui.tr("measures.add"))
new_measure = measure_form("measure_new", None)
if new_measure is not None:
    saved_if_valid(new_measure, None)
