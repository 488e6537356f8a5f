"""What a What-if move reuses: the parts of the page a lever leaves as they were, kept by what they depend on,
so that a move costs what it changes (issue 31). A target or deadline move changes neither the Monte Carlo's
paths nor the fan chart's body, nor what the track record says; every hit is shared, never copied on a read."""

from __future__ import annotations

import copy
import dataclasses
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from di_metrics.analysis.evaluate import WhatIfData
from di_metrics.analysis.rank_model import RankScenario, promotion_effect
from di_metrics.models.projection import Scenario, path_scenario, project
from di_metrics.models.targets import Target
from di_metrics.present.charts.whatif import (
    decomposition_bars,
    fan_body,
    fan_from_body,
    refill_decomposition,
    refill_fan_body,
)
from di_metrics.present.narrative import band_evidence, simulated_centre_note, verdict_text
from di_metrics.queries.filters import Filters
from ui import data

__all__ = ["centre_note", "decomposition_figure", "fan_figure", "promotion_gain", "track_notes", "whatif_data"]

# A frozen scenario's repr names every field exactly and takes microseconds; Streamlit's hasher walks them all
# (the selection's too: it turned each Filters into a dict on every cached call of every move).
KEYS = {Scenario: repr, Target: repr, Filters: repr}
Compared = tuple[tuple[str, Scenario], ...]  # the compared scenarios by name


@st.cache_resource(max_entries=64, show_spinner=False, hash_funcs=KEYS)
def whatif_data(filters: Filters, ladder: str, version: int) -> WhatIfData:
    """What the database gives the page beside its calibration, read once per selection, ladder and data
    version and shared, never changed (a move unpickled its rank model twice otherwise)."""
    return data.load_whatif(filters, ladder, version)


@st.cache_data(max_entries=256, show_spinner=False, hash_funcs=KEYS)
def track_notes(filters: Filters, version: int, years_ahead: int, lang: str) -> tuple[str | None, str | None]:
    """What the track record says beside the headline (its evidence for the deadline's horizon, its verdict):
    no lever but the deadline changes it."""
    track = data.load_track_record(filters, version)
    return band_evidence(track, years_ahead, lang), None if track.empty else verdict_text(track, lang)


@st.cache_data(max_entries=256, show_spinner=False, hash_funcs=KEYS)
def centre_note(paths: Scenario, deadline: int, lang: str) -> str | None:
    """The simulated paths' median beside the projection's share at the deadline (`simulated_centre_note`): a
    target move changes neither, so the note is said once per path scenario and deadline."""
    path = project(dataclasses.replace(paths, deadline=deadline))  # the paths' projection, to the deadline
    return simulated_centre_note(data.run_simulation(paths), path, lang)


@st.cache_resource(max_entries=64, show_spinner=False, hash_funcs=KEYS)
def _fan_body(filters: Filters, version: int, paths: Scenario, lang: str, compared: Compared) -> dict[str, Any]:
    """The fan chart's body for one path scenario (no target, a deadline in the horizon), as a dict to copy: the
    kept body of the selection with this scenario's fans and projection (`refill_fan_body`), no Plotly figure."""
    years = (paths.start_year, max(paths.until, paths.deadline))
    kept = _kept_body(filters, version, lang, compared, years, paths)
    body = refill_fan_body(kept, project(paths), data.run_simulation(paths))
    return body if body is not None else _built_body(filters, version, paths, lang, compared)


@st.cache_resource(max_entries=64, show_spinner=False, hash_funcs=KEYS)
def _kept_body(
    filters: Filters, version: int, lang: str, compared: Compared, years: tuple[int, int], _paths: Scenario
) -> dict[str, Any]:
    """The fan's body built whole once per selection, language, compared scenarios and years, for the first
    path scenario asked (`_paths`, not in the key): what the others share, the history first of all."""
    return _built_body(filters, version, _paths, lang, compared)


def _built_body(filters: Filters, version: int, paths: Scenario, lang: str, compared: Compared) -> dict[str, Any]:
    history = pd.DataFrame(data.load_status(filters, version).series)  # pandas reads dataclasses as rows
    comparisons = [(name, project(s)) for name, s in compared]
    return fan_body(history, project(paths), data.run_simulation(paths), lang, comparisons).to_dict()


@st.cache_resource(max_entries=256, show_spinner=False, hash_funcs=KEYS)
def fan_figure(
    filters: Filters, version: int, s: Scenario, glide: Target | None, lang: str, title: str, compared: Compared
) -> go.Figure:
    """The what-if fan chart (`projection_fan`), built once per scenario: its body once per path scenario, then
    the target's parts on a copy, which needs no second validation (the body was validated when built)."""
    body = _fan_body(filters, version, path_scenario(s), lang, compared)
    return fan_from_body(body, project(s), data.run_simulation(s), glide, lang, title)


Parts = tuple[tuple[str, float], ...]  # the decomposition's parts by name


@st.cache_resource(max_entries=256, show_spinner=False)
def decomposition_figure(parts: Parts, lang: str, title: str) -> go.Figure:
    """The decomposition chart once per set of parts (a target move leaves them): the chart kept for the parts
    shown, language and title with these parts' bars (`refill_decomposition`), not validated again; built whole
    where none fits."""
    body = refill_decomposition(_kept_decomposition(lang, title, tuple(k for k, _ in parts), parts), dict(parts), lang)
    if body is None:
        return decomposition_bars(dict(parts), lang, title)
    return go.Figure(copy.deepcopy(body), _validate=False)  # Plotly may write to what it is given


@st.cache_resource(max_entries=64, show_spinner=False)
def _kept_decomposition(lang: str, title: str, shown: tuple[str, ...], _parts: Parts) -> dict[str, Any]:
    """The decomposition chart built whole once per language, title and parts shown, for the first parts asked
    (`_parts`, not in the key), as a dict."""
    return decomposition_bars(dict(_parts), lang, title).to_dict()


def promotion_gain(ranked: RankScenario, until: int) -> float:
    """The promotion part of the decomposition: from the cache, keyed on the rank model, where parity is set; at
    parity 0 the core says 0 at once, so every move no longer pickles the rank model to look that up."""
    return promotion_effect(ranked, until) if ranked.parity == 0.0 else data.promotion_gain(ranked, until)
