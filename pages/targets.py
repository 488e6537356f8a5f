"""Targets: the registry of goals, edited here or loaded from a TOML or YAML file kept with the organisation."""

import dataclasses

import pandas as pd
import streamlit as st

import ui
from di_metrics import i18n
from di_metrics.errors import InvalidInput
from di_metrics.filters import Filters
from di_metrics.targets import (
    WOMEN_SHARE,
    Target,
    delete_target,
    parse_targets,
    replace_targets,
    save_target,
    targets_to_toml,
)

lang, version, _ = ui.page_start(filters=False)
targets = ui.load_all_targets(version)
units = ui.load_dimension_values("org_unit", Filters(), version)

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
        ["military", "civilian"],
        format_func=lambda v: i18n.label("category", v, lang),
        placeholder=ui.tr("filters.all"),
    )
    branches = c1.multiselect(
        ui.tr("filters.branch"),
        ui.load_dimension_values("branch", Filters(), version),
        placeholder=ui.tr("filters.all"),
    )
    ranks = c2.multiselect(
        ui.tr("filters.rank_group"),
        ui.load_dimension_values("rank_group", Filters(), version),
        format_func=lambda v: i18n.value_label(v, lang),
        placeholder=ui.tr("filters.all"),
    )
    value = c1.number_input(ui.tr("targets.col_value"), 0.0, 100.0, 30.0, step=1.0)
    deadline = c2.date_input(ui.tr("targets.col_deadline"), pd.Timestamp("2030-12-31").date())
    baseline_value = c1.number_input(ui.tr("targets.baseline_value"), 0.0, 100.0, 16.0, step=0.1)
    baseline_date = c2.date_input(ui.tr("targets.baseline_date"), pd.Timestamp("2022-12-31").date())
    if st.form_submit_button(ui.tr("targets.save"), type="primary"):
        scope = {
            k: tuple(v)
            for k, v in (("personnel_category", categories), ("branch", branches), ("rank_group", ranks))
            if v
        }
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
            loaded = parse_targets(upload.getvalue().decode("utf-8"), upload.name)
        except (InvalidInput, UnicodeDecodeError) as exc:
            st.error(str(exc))
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
