"""Targets: the registry of goals, edited here or loaded from a TOML or YAML file kept with the organisation.

A target entered in a form passes exactly the checks a target file's entry passes (models/targets.py), and is
refused with the same rules; the Measures page is its own page (pages/measures.py)."""

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from di_metrics import i18n
from di_metrics.errors import InvalidInput
from di_metrics.models.metrics import SHARE, metric_of
from di_metrics.models.names import Names
from di_metrics.models.targets import Target, checked_target, parse_target_bytes, targets_to_toml
from di_metrics.queries.filters import Filters
from di_metrics.vocab import BRANCH, CATEGORY, DEFAULT_DEADLINE, DEFAULT_TARGET, LADDERS, ORG_UNIT, RANK_GROUP
from ui import data, state, widgets


def registry_table(shown: list[Target], lang: str, names: Names) -> pd.DataFrame:
    """Targets as people read them, populations by their names: the registry at the top, and a file's targets
    before they replace it."""
    return pd.DataFrame(
        [
            {
                state.tr("targets.col_name"): i18n.label("target", t.name, lang),
                state.tr("targets.col_value"): i18n.fmt_pct(t.target_value, lang, 0),
                state.tr("targets.col_deadline"): i18n.fmt_date(t.deadline, lang),
                state.tr(
                    "targets.col_baseline"
                ): f"{i18n.fmt_pct(t.baseline_value, lang)} ({i18n.fmt_date(t.baseline_date, lang)})",
                state.tr("targets.col_scope"): i18n.population_text(t.scope, lang, names.label),
                state.tr("targets.col_exempt"): len(t.exempt_units),
            }
            for t in shown
        ]
    )


def entry(t: Target | None, **changed: Any) -> dict[str, Any]:
    """A target's fields as a target file's `[[target]]` entry holds them, with the form's changes."""
    fields = (
        {}
        if t is None
        else {
            "name": t.name,
            "metric": t.metric,
            "scope": {k: list(v) for k, v in t.scope.items()},
            "exempt_units": list(t.exempt_units),
        }
    )
    return {"metric": SHARE.code(), **fields, **changed}


def saved_if_valid(fields: dict[str, Any], lang: str) -> None:
    """Save a target the file's rules accept; otherwise name each broken rule in the reader's language."""
    try:
        target = checked_target(fields, state.tr("targets.form"))
    except InvalidInput as exc:
        st.error("\n\n".join(p.describe(lang) for p in exc.problems))
        return
    data.save_target(target)
    st.toast(state.tr("targets.saved"))
    st.rerun()


def edit_form(t: Target, units: list[str], lang: str) -> None:
    """One target's values, exemptions and delete (asked twice)."""
    label = i18n.label("target", t.name, lang)
    with st.expander(label):
        with st.form(f"target_{t.name}"):
            c1, c2 = st.columns(2)
            value = c1.number_input(
                state.tr("targets.col_value"), 0.0, 100.0, 100 * t.target_value, step=1.0, key=f"value_{t.name}"
            )
            deadline = c2.date_input(state.tr("targets.col_deadline"), t.deadline, key=f"deadline_{t.name}")
            baseline_value = c1.number_input(
                state.tr("targets.baseline_value"), 0.0, 100.0, 100 * t.baseline_value, step=0.1, key=f"bv_{t.name}"
            )
            baseline_date = c2.date_input(state.tr("targets.baseline_date"), t.baseline_date, key=f"bd_{t.name}")
            exempt = st.multiselect(
                state.tr("targets.col_exempt"),
                units,
                default=[u for u in t.exempt_units if u in units],
                key=f"exempt_{t.name}",
                disabled=not metric_of(t.metric).takes_exemptions,
                placeholder=state.tr("targets.none"),
            )
            save, delete = st.columns(2)
            if save.form_submit_button(state.tr("targets.save"), type="primary"):
                changed = entry(
                    t,
                    target_value=value / 100,
                    deadline=deadline,
                    baseline_value=baseline_value / 100,
                    baseline_date=baseline_date,
                    exempt_units=list(exempt),
                )
                saved_if_valid(changed, lang)
            delete.form_submit_button(state.tr("targets.delete"), key=f"delete_target_{t.name}")
        question = state.tr("targets.delete_confirm", name=label)
        if widgets.asked_twice(f"delete_target_{t.name}", t.name, question, state.tr("targets.delete_yes")):
            data.delete_target(t.name)
            st.rerun()


def new_form(lang: str, version: int) -> None:
    """A new women's-share target for a population."""
    st.subheader(state.tr("targets.add"))
    names = data.load_names(version)
    with st.form("target_new", clear_on_submit=True):
        c1, c2 = st.columns(2)
        name = c1.text_input(state.tr("targets.col_name"), placeholder="women_officers", key="new_name")
        categories = c2.multiselect(
            state.tr("filters.personnel_category"),
            list(LADDERS),
            format_func=lambda v: names.label(CATEGORY, v, lang),
            placeholder=state.tr("filters.all"),
        )
        branches = c1.multiselect(
            state.tr("filters.branch"),
            data.load_dimension_values(BRANCH, Filters(), version),
            format_func=lambda v: names.label(BRANCH, v, lang),
            placeholder=state.tr("filters.all"),
        )
        ranks = c2.multiselect(
            state.tr("filters.rank_group"),
            data.load_dimension_values(RANK_GROUP, Filters(), version),
            format_func=lambda v: names.label(RANK_GROUP, v, lang),
            placeholder=state.tr("filters.all"),
        )
        value = c1.number_input(state.tr("targets.col_value"), 0.0, 100.0, round(100 * DEFAULT_TARGET, 1), step=1.0)
        deadline = c2.date_input(
            state.tr("targets.col_deadline"), dt.date(DEFAULT_DEADLINE, 12, 31), key="new_deadline"
        )
        baseline_value = c1.number_input(state.tr("targets.baseline_value"), 0.0, 100.0, 16.0, step=0.1)
        baseline_date = c2.date_input(
            state.tr("targets.baseline_date"), pd.Timestamp("2022-12-31").date(), key="new_baseline_date"
        )
        if st.form_submit_button(state.tr("targets.save"), type="primary"):
            scope = {k: list(v) for k, v in ((CATEGORY, categories), (BRANCH, branches), (RANK_GROUP, ranks)) if v}
            fields = entry(
                None,
                name=name.strip(),
                target_value=value / 100,
                deadline=deadline,
                baseline_date=baseline_date,
                baseline_value=baseline_value / 100,
                scope=scope,
            )
            saved_if_valid(fields, lang)


def file_section(targets: list[Target], lang: str, names: Names) -> None:
    """Replace the registry from a file (previewed, asked twice), or take the registry away as a file."""
    st.subheader(state.tr("targets.file"))
    left, right = st.columns(2)
    with left:
        upload = st.file_uploader(state.tr("targets.upload"), type=["toml", "yaml", "yml"])
        if upload is not None:
            try:
                loaded = parse_target_bytes(upload.getvalue(), upload.name)
            except InvalidInput as exc:
                st.error(exc.text(lang))
            else:
                st.write(state.tr("targets.preview", n=len(loaded)))
                st.dataframe(registry_table(loaded, lang, names), hide_index=True, width="stretch")
                st.button(state.tr("targets.replace_all"), type="primary", key="replace_all")
                question = state.tr("targets.replace_confirm", old=len(targets), n=len(loaded), file=upload.name)
                if widgets.asked_twice("replace_all", upload.file_id, question, state.tr("targets.replace_yes")):
                    data.replace_targets(loaded)
                    st.toast(state.tr("targets.saved"))
                    st.rerun()
    with right:
        toml = targets_to_toml(targets)
        st.download_button(state.tr("targets.download"), toml, "koers-targets.toml", "application/toml")


def targets_page() -> None:
    """Settings, load, show: the registry, each target's form, a new one, and the file."""
    lang, version, _ = widgets.page_start(filters=False)
    targets = data.load_all_targets(version)
    units = data.load_dimension_values(ORG_UNIT, Filters(), version)
    st.title(state.tr("targets.title"))
    st.caption(state.tr("targets.caption"))
    names = data.load_names(version)
    st.dataframe(registry_table(targets, lang, names), hide_index=True, width="stretch")
    st.subheader(state.tr("targets.edit"))
    for t in targets:
        edit_form(t, units, lang)
    new_form(lang, version)
    file_section(targets, lang, names)


targets_page()
