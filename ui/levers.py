"""The what-if levers' state: seeded from a link or a saved scenario, held for the whole session, and written to
the URL in one step, so that Back and Forward bring back the levers of that moment and never a slider's minimum.

Why it is kept beside the sliders: Streamlit forgets a keyed widget's value when its page is left, and a slider
created without a value then falls to its minimum; a browser that re-mounts a slider while a fragment reruns
also falls back to the value the slider was created with. So every slider is created with the value last seen
(`LAST`), and the URL is read again whenever it differs from what the page last wrote (a link, Back, Forward).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from di_metrics.models.levers import DEADLINE_PARAM, MAX_YEAR, SLIDER_LEVERS, URL_PARAMS, ScenarioInput
from di_metrics.models.projection import Scenario
from ui import state

LAST = "whatif_levers"  # widget key -> the value last seen, kept across pages (not a widget key itself)
WRITTEN = "whatif_written"  # the lever parameters as the page last wrote them to the URL
KEYS = (*(f"lever_{key}" for key in SLIDER_LEVERS), "lever_deadline", "lever_retention", "lever_parity")


def fallback_deadline(base: Scenario) -> int:
    return min(max(base.deadline, base.start_year + 1), MAX_YEAR)


def seed(base: Scenario, chosen: dict, refused: list[str], retention: float | None = None) -> None:
    """Put validated levers on the sliders, the calibrated value where none (valid) was given; a calibrated
    value beyond its slider (a unit growing 20% a year) starts at the slider's edge (its help names it)."""
    values: dict[str, Any] = {}
    for key, lever in SLIDER_LEVERS.items():
        percent = 100 * chosen.get(lever.field, getattr(base, lever.field))
        values[f"lever_{key}"] = round(min(max(percent, lever.low), lever.high), 2)
    values["lever_deadline"] = int(chosen.get("deadline", fallback_deadline(base)))
    values["lever_parity"] = 0.0
    if retention is not None:
        values["lever_retention"] = retention
    for key, value in values.items():
        st.session_state[key] = value
    st.session_state[LAST] = {**st.session_state.get(LAST, {}), **values}
    st.session_state["lever_refused"] = refused


def url_levers() -> tuple[str | None, ...]:
    """The lever parameters the URL holds now."""
    return tuple(st.query_params.get(p) for p in URL_PARAMS)


def from_link_if_changed(base: Scenario, selection: Any, label: Any) -> None:
    """Seed from the link when the selection or data changed, or when the URL's levers are not the ones the
    page last wrote: a link opened, or Back or Forward to another moment. Otherwise the session's levers stay."""
    if st.session_state.get("whatif_base") == selection and st.session_state.get(WRITTEN) == url_levers():
        return
    st.session_state["whatif_base"] = selection
    given, rejected = ScenarioInput.from_url(st.query_params, base.start_year)
    refused = [f"{label(r.field)} ({r.value}: {state.tr(f'levers.{r.reason}')})" for r in rejected]
    seed(base, given.levers(), refused)
    st.session_state[WRITTEN] = url_levers()


def value(key: str, default: Any = None) -> Any:
    """The value a slider is created with: the one it has (the user's move), else the one last seen, so a
    slider whose state was dropped comes back where the user left it."""
    if key in st.session_state:
        return st.session_state[key]
    return st.session_state.get(LAST, {}).get(key, default)


def remember() -> None:
    """Keep the sliders' values as last seen, after the controls ran."""
    st.session_state[LAST] = {key: st.session_state[key] for key in KEYS if key in st.session_state}


def write_url(deadline: int) -> None:
    """The levers into the URL in one step (one history entry per move, not one per lever)."""
    wanted = {lever.param: f"{st.session_state[f'lever_{key}']:g}" for key, lever in SLIDER_LEVERS.items()}
    wanted[DEADLINE_PARAM] = str(deadline)
    if any(st.query_params.get(p) != v for p, v in wanted.items()) and not state.history_landing():
        st.query_params.update(wanted)
    st.session_state[WRITTEN] = url_levers()
