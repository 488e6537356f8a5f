"""Saved scenarios on the What-if page: save (asking before replacing one), the comparison kept in the URL so it
is a link, each scenario's population beside it, and the link that presents the scenario on the Briefing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from di_metrics import i18n
from di_metrics.analysis.evaluate import WhatIf
from di_metrics.models.levers import DEADLINE_PARAM, SLIDER_LEVERS
from di_metrics.queries.filters import Filters
from di_metrics.shell import access
from di_metrics.storage.scenarios import SavedScenario
from ui import auth, data, state, widgets

__all__ = ["COMPARE_PARAM", "compare_notes", "compare_picker", "save_and_present", "saved_list", "scenario_population"]

COMPARE_PARAM = state.COMPARE_PARAM
_ASKED = "scenario_overwrite_asked"


def scenario_population(population: dict[str, tuple[str, ...]] | None, lang: str, version: int) -> str:
    """A saved scenario's population in words: that none was recorded (never "everyone"), the whole organisation,
    or its filters, each value by its display name as a target's population is (`i18n.population_text`)."""
    if population is None:
        return i18n.t("whatif.population_unknown", lang)
    if not population:
        return i18n.t("whatif.population_all", lang)
    return i18n.population_text(population, lang, data.load_names(version).label)


def compare_picker(where: Any, names: list[str]) -> None:
    """The scenarios compared, kept in ?cmp= so a comparison is a link; a link, Back or Forward sets them."""
    wanted = [n for n in st.query_params.get_all(COMPARE_PARAM) if n in names][: data.MAX_COMPARED]
    kept = st.session_state.get("compare")
    if state.url_drives() or kept is None or not set(kept) <= set(names):
        st.session_state["compare"] = wanted if state.url_drives() or kept is None else [n for n in kept if n in names]
    picked = where.multiselect(
        state.tr("whatif.compare"),
        names,
        max_selections=data.MAX_COMPARED,
        placeholder=state.tr("whatif.compare_placeholder"),
        key="compare",
    )
    if picked != st.query_params.get_all(COMPARE_PARAM) and not state.history_landing():
        st.query_params[COMPARE_PARAM] = picked


def compare_notes(where: Any, filters: Filters, version: int, lang: str) -> None:
    """For each compared scenario saved on another population: say so, and link to it on its own population."""
    current = filters.as_dict()
    for entry in data.load_scenarios(version):
        if entry.name not in (st.session_state.get("compare") or []) or entry.population == current:
            continue
        saved, now = scenario_population(entry.population, lang, version), scenario_population(current, lang, version)
        where.caption(state.tr("whatif.compare_other_population", name=entry.name, saved=saved, current=now))
        if entry.population is not None:
            where.page_link(
                "pages/whatif.py",
                label=state.tr("whatif.open_own_population", name=entry.name),
                query_params=_own_view(entry),
            )


def load(entry: SavedScenario) -> None:
    """A scenario is a whole object: its levers and, where it was recorded, its population (the sidebar and the
    URL follow); the data date and the compared scenarios stay as they are."""
    st.session_state["pending_levers"] = entry.params
    kept = state.view_params()
    if entry.population is not None:
        kept = {p: v for p, v in kept.items() if p not in state.FILTER_PARAMS.values()}
    # population and levers in one write: the browser keeps one history entry, and Back returns to before the load
    st.query_params.from_dict({**kept, **_own_view(entry)})
    state.drive_from_url()
    st.rerun()


def _own_view(entry: SavedScenario) -> dict[str, list[str]]:
    """The address of a saved scenario on its own population: its filters and levers, this language."""
    levers, _refused = data.saved_levers(entry.params, 0)
    view = {state.FILTER_PARAMS[dim]: list(values) for dim, values in (entry.population or {}).items()}
    params = {lever.field: lever.param for lever in SLIDER_LEVERS.values()}
    for field, value in levers.items():
        if field == "deadline":
            view[DEADLINE_PARAM] = [str(value)]
        elif field in params:
            view[params[field]] = [f"{100 * value:g}"]
    return {"lang": [state.language()], **view}


def save_and_present(result: WhatIf, filters: Filters, data_date: dt.date, version: int) -> None:
    """Save the current settings under a name (a name in use is replaced only after a yes; an empty one gets a
    message), and the link that opens the Briefing with this scenario, population and data date."""
    if "briefing" in access.PAGES[auth.role()]:
        st.page_link(
            "pages/briefing.py",
            label=state.tr("whatif.present"),
            help=state.tr("whatif.present_help"),
            query_params=state.view_params(),
        )
    name_col, button_col = st.columns([3, 1], vertical_alignment="bottom")
    name = name_col.text_input(
        state.tr("whatif.save_name"), placeholder=state.tr("whatif.save_placeholder"), key="scenario_name"
    ).strip()
    if button_col.button(state.tr("whatif.save"), key="save_scenario", width="stretch", type="primary"):
        if not name:
            st.warning(state.tr("whatif.save_empty"))
            return
        if name in {s.name for s in data.load_scenarios(version)}:
            st.session_state[_ASKED] = name
        else:
            _save(name, result, filters, data_date)
    asked = st.session_state.get(_ASKED)
    if not asked:
        return
    st.warning(state.tr("whatif.overwrite_confirm", name=asked))
    answers = st.container(horizontal=True)
    if answers.button(state.tr("whatif.overwrite_yes"), type="primary", key="overwrite_yes"):
        _save(asked, result, filters, data_date)
    if answers.button(state.tr("app.cancel"), key="overwrite_no"):
        del st.session_state[_ASKED]
        st.rerun()


def _save(name: str, result: WhatIf, filters: Filters, data_date: dt.date) -> None:
    """Store the scenario with its population, data date and the signed-in user; then the page shows it."""
    data.save_scenario(name, result.saved_params(), auth.user_name(), filters.as_dict(), data_date)
    st.session_state.pop(_ASKED, None)
    st.toast(state.tr("whatif.saved", name=name))
    st.rerun()


def saved_list(version: int, lang: str) -> None:
    """The named scenarios saved so far: population, data date, who and when, to load or delete (asked twice)."""
    saved = data.load_scenarios(version)
    if not saved:
        return
    with st.expander(state.tr("whatif.saved_list", n=len(saved))):
        for entry in saved:
            a, b, c, d = st.columns([3, 2, 1, 1], vertical_alignment="center")
            a.markdown(f"**{entry.name}**")
            when = i18n.fmt_date(entry.created_at.date(), lang)
            data_date = i18n.fmt_date(entry.data_date, lang) if entry.data_date else "–"
            population = scenario_population(entry.population, lang, version)
            a.caption(state.tr("whatif.saved_on", population=population, date=data_date))
            b.caption(state.tr("whatif.saved_by", user=entry.created_by, when=when))
            if c.button(state.tr("whatif.load"), key=f"load_{entry.name}"):
                load(entry)
            d.button(state.tr("targets.delete"), key=f"delete_scenario_{entry.name}")
            question = state.tr("whatif.delete_confirm", name=entry.name)
            if widgets.asked_twice(
                f"delete_scenario_{entry.name}", entry.name, question, state.tr("targets.delete_yes")
            ):
                data.delete_scenario(entry.name)
                st.rerun()
