"""Streamlit glue, the only place that does: cached engine and loaders, language, shared filters in the URL."""

from __future__ import annotations

import logging
from typing import Any

import streamlit as st
from sqlalchemy.engine import Engine

from di_metrics import i18n, store, workforce
from di_metrics.database import has_workforce, open_database
from di_metrics.filters import Filters
from di_metrics.status import status
from di_metrics.targets import Target, load_targets

log = logging.getLogger("koers")
FILTER_PARAMS = {"branch": "branch", "personnel_category": "category", "rank_group": "rank", "org_unit": "unit"}
CACHE = {"ttl": 3600, "max_entries": 256, "show_spinner": False}


@st.cache_resource(show_spinner=False)
def engine() -> Engine:
    """One engine per server; DuckDB files are opened per query so imports from elsewhere can land."""
    return open_database()


def language() -> str:
    """The session's language: the switch once touched, else ?lang=, else Dutch."""
    lang = st.session_state.get("lang_switch") or st.query_params.get("lang") or i18n.DEFAULT_LANGUAGE
    return lang if lang in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE


def tr(key: str, **values: Any) -> str:
    """Text in the session's language."""
    return i18n.t(key, language(), **values)


def language_switch() -> None:
    """NL/EN switch, kept in the session and in ?lang= so a shared link opens in the same language."""
    lang = language()
    st.sidebar.segmented_control(
        tr("app.language"), options=list(i18n.LANGUAGES), default=lang, format_func=str.upper, key="lang_switch"
    )
    if st.query_params.get("lang") != lang:
        st.query_params["lang"] = lang


def ensure_data() -> None:
    """On first start with an empty database, build the demo organisation with a progress bar."""
    if st.session_state.get("has_data"):
        return
    eng = engine()
    if not has_workforce(eng):
        from di_metrics.demo import build_demo

        bar = st.progress(0.0, text=tr("app.building_demo", step="…"))
        build_demo(eng, progress=lambda frac, step: bar.progress(frac, text=tr("app.building_demo", step=step)))
        bar.empty()
        st.cache_data.clear()
    st.session_state["has_data"] = True


def data_version() -> int:
    """Cheap per rerun: changes when an import lands, so cached figures follow the database."""
    with store.connect(engine()) as conn:
        return store.data_version(conn)


@st.cache_data(**CACHE)
def load_status(filters: Filters, version: int) -> dict[str, Any]:
    with store.connect(engine()) as conn:
        return status(conn, filters)


@st.cache_data(**CACHE)
def load_target(name: str, version: int) -> Target | None:
    with store.connect(engine()) as conn:
        return next((t for t in load_targets(conn) if t.name == name), None)


@st.cache_data(**CACHE)
def load_dimension_values(dimension: str, filters: Filters, version: int) -> list[str]:
    with store.connect(engine()) as conn:
        return workforce.dimension_values(conn, dimension, filters)


def filter_sidebar(version: int) -> Filters:
    """Shared filters for every page, read from and written to the URL so a view can be shared."""
    st.sidebar.subheader(tr("filters.title"))
    chosen: dict[str, list[str]] = {}
    for dim, param in FILTER_PARAMS.items():
        narrowed = Filters.of({d: v for d, v in chosen.items() if d in ("branch", "personnel_category")})
        options = load_dimension_values(dim, narrowed, version)
        wanted = [v for v in st.query_params.get_all(param) if v in options]
        picked = st.sidebar.multiselect(
            tr(f"filters.{dim}"),
            options,
            default=wanted,
            placeholder=tr("filters.all"),
            key=f"filter_{dim}",
            format_func=lambda v, d=dim: i18n.label("category", v, language()) if d == "personnel_category" else v,
        )
        chosen[dim] = picked
        if picked != st.query_params.get_all(param):
            st.query_params[param] = picked
    return Filters.of(chosen)


def local_mode_notice() -> None:
    """Without sign-in configured, say plainly that this is a single-user local mode."""
    st.sidebar.caption(tr("app.local_mode"))
