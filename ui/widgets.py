"""Widgets every page shares: the page start, the language switch, the filters and dates in the URL, charts
and tables with their downloads, the question before removing data, and the plain message when a page fails."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import logging
import re
import types
from collections.abc import Iterator, Mapping
from typing import Any

import pandas as pd
import streamlit as st

from di_metrics import i18n
from di_metrics.models.levers import SLIDER_KEY
from di_metrics.present import export
from di_metrics.queries.filters import Filters
from di_metrics.shell import access
from di_metrics.storage.failures import DatabaseBusy, DatabaseUnreachable
from di_metrics.vocab import BRANCH, CATEGORY
from ui.auth import role
from ui.data import chart_image, data_version, load_dates, load_dimension_values, load_names
from ui.state import (
    FILTER_PARAMS,
    drive_from_url,
    guard_page,
    history_landing,
    language,
    remember_view,
    tr,
    url_drives,
    view_params,
)

__all__ = [
    "asked_twice",
    "chart",
    "chart_downloads",
    "date_pickers",
    "downloads",
    "filter_sidebar",
    "filter_to",
    "friendly_errors",
    "language_switch",
    "lever_label",
    "page_start",
]

log = logging.getLogger("koers")


def page_start(filters: bool = True) -> tuple[str, int, Filters]:
    """What every page does first: run through app.py, and read the language, data version and filters."""
    guard_page()
    version = data_version()
    return language(), version, filter_sidebar(version) if filters else Filters()


@contextlib.contextmanager
def friendly_errors() -> Iterator[None]:
    """A plain message for people and the details in the server log; also for fragments rerun on their own."""
    try:
        yield
    except DatabaseBusy:
        st.warning(tr("app.busy"))
    except DatabaseUnreachable:
        log.warning("database unreachable", exc_info=True)
        st.warning(tr("app.unreachable"))
    except Exception:
        log.exception("page failed")
        st.error(tr("app.error"))
    finally:
        remember_view()  # the view this run leaves, for the next sidebar link


def language_switch() -> None:
    """NL/EN switch, kept in the session; state.arrive writes it to ?lang= (so a shared link opens in the same
    language) in the same write as the rest of the view."""
    st.sidebar.segmented_control(
        tr("app.language"), options=list(i18n.LANGUAGES), default=language(), format_func=str.upper, key="lang_switch"
    )


def filter_sidebar(version: int) -> Filters:
    """Shared filters for every page, read from and written to the URL so a view can be shared."""
    st.sidebar.subheader(tr("filters.title"))
    chosen: dict[str, list[str]] = {}
    names, lang = load_names(version), language()
    for dim, param in FILTER_PARAMS.items():
        narrowed = Filters.of({d: v for d, v in chosen.items() if d in (BRANCH, CATEGORY)})
        options = load_dimension_values(dim, narrowed, version)
        wanted = [v for v in st.query_params.get_all(param) if v in options]
        kept = st.session_state.get(f"filter_{dim}")
        if url_drives() or kept is None:  # a link, Back or Forward, a first visit: the URL's filters
            st.session_state[f"filter_{dim}"] = wanted
        elif not set(kept) <= set(options):  # a unit outside the branch now chosen
            st.session_state[f"filter_{dim}"] = [v for v in kept if v in options]
        picked = st.sidebar.multiselect(
            tr(f"filters.{dim}"),
            options,
            placeholder=tr("filters.all"),
            key=f"filter_{dim}",
            format_func=lambda v, d=dim: names.label(d, v, lang),
        )
        chosen[dim] = picked
        if picked != st.query_params.get_all(param) and not history_landing():
            st.query_params[param] = picked
    return Filters.of(chosen)


def filter_to(dimension: str, value: str) -> None:
    """Click to filter: the page narrowed to one value of a dimension, in the URL, from the next run on."""
    if st.query_params.get_all(FILTER_PARAMS[dimension]) == [value]:
        return
    st.query_params[FILTER_PARAMS[dimension]] = [value]
    drive_from_url()
    st.rerun()


def date_pickers(version: int) -> tuple[dt.date, dt.date]:
    """The snapshot to show and the earlier one to compare with, shared across pages through the URL."""
    dates = load_dates(version)
    latest = dates[-1]
    year_before = latest - pd.DateOffset(years=1)  # 29 February: the 28th a year before
    default_then = max((d for d in dates if d <= year_before.date()), default=dates[0])

    def from_url(param: str, fallback: dt.date) -> dt.date:
        try:
            wanted = dt.date.fromisoformat(st.query_params.get(param, ""))
        except ValueError:
            return fallback
        return wanted if wanted in dates else fallback

    fmt = functools.partial(i18n.fmt_date, lang=language())
    for key, param, fallback in (("as_of", "date", latest), ("vs", "vs", default_then)):
        if url_drives() or key not in st.session_state:  # a link, Back or Forward: the URL's dates
            st.session_state[key] = from_url(param, fallback)
    on = st.sidebar.selectbox(tr("filters.as_of"), dates[::-1], format_func=fmt, key="as_of")
    then = st.sidebar.selectbox(tr("filters.compare_with"), dates[::-1], format_func=fmt, key="vs")
    wanted = {"date": on.isoformat(), "vs": then.isoformat()}
    if any(st.query_params.get(p) != v for p, v in wanted.items()) and not history_landing():  # one write
        st.query_params.update(wanted)
    return on, then


def chart(
    fig: Any,
    where: Any = None,
    name: str | None = None,
    key: str | None = None,
    projector: bool = False,
    height: int | str = "content",
    select: str | None = None,
) -> None:
    """The one way a chart reaches a page: at full width, with PNG and SVG downloads for those who may export.
    The chart builders have rounded it to what is displayed. On a projector (the Briefing) there is no toolbar
    and no download popover: the presenter's notes hold the downloads. `height="stretch"` fills its container.
    With `select` (a dimension), clicking a bar filters the page to it (the bar's code is its customdata, else
    its label)."""
    target = where or st
    config = {"displaylogo": False, **({"displayModeBar": False} if projector else {})}
    if select is None:
        target.plotly_chart(fig, width="stretch", height=height, config=config, key=key)
    else:  # a new key per view, so an old click never applies again after the filters change
        view = "&".join(f"{p}={v}" for p, v in sorted(view_params().items()) if p != "lang")
        key = f"{key or 'select'}_{select}_{view}"
        event = target.plotly_chart(
            fig, width="stretch", height=height, config=config, key=key, on_select="rerun", selection_mode="points"
        )
        points = (event or {}).get("selection", {}).get("points", [])
        if points:
            filter_to(select, str(points[0].get("customdata", points[0].get("y"))))
    if access.may_export(role()) and not projector:
        title = str(fig.layout.title.text or "chart").split("<br>")[0]
        slug = name or "koers-" + "-".join(re.findall(r"[a-z0-9]+", title.lower()))[:60]
        with target.popover(tr("app.download_chart")):
            chart_downloads(fig, slug)


def chart_downloads(fig: Any, name: str) -> None:
    """PNG and SVG buttons for a chart; the images are made on demand."""
    if not access.may_export(role()):
        return
    left, right, _ = st.columns([1, 1, 3])
    for col, fmt in ((left, "png"), (right, "svg")):
        col.download_button(
            tr(f"briefing.download_{fmt}"),
            lambda f=fmt: chart_image(fig.to_json(), f),  # serialised on a click, not on every rerun
            f"{name}.{fmt}",
            f"image/{'svg+xml' if fmt == 'svg' else 'png'}",
            key=f"{fmt}_{name}",
            width="stretch",
            on_click="ignore",
        )


def downloads(frame: pd.DataFrame, name: str) -> None:
    """CSV and XLSX of a table that is already safe to show; exports are for analysts and admins."""
    if not access.may_export(role()):
        return
    lang = language()
    left, right, _ = st.columns([1, 1, 3])
    # The files are made when someone clicks, not on every rerun.
    for col, label_key, data, ext, mime in (
        (left, "app.download_csv", lambda: export.csv_bytes(frame, lang), "csv", "text/csv"),
        (
            right,
            "app.download_xlsx",
            lambda: export.xlsx_bytes(frame, name),
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ):
        col.download_button(
            tr(label_key), data, f"{name}.{ext}", mime, key=f"{ext}_{name}", width="stretch", on_click="ignore"
        )


def asked_twice(key: str, subject: Any, question: str, yes: str) -> bool:
    """For what removes data: a click on the button `key` asks `question`; True once the user says yes.

    The question stays until it is answered, and belongs to `subject`, so choosing another one drops it.
    """
    asked = f"{key}_asked"
    if st.session_state.get(key):
        st.session_state[asked] = subject
    if st.session_state.get(asked) != subject:
        return False
    st.warning(question)
    answers = st.container(horizontal=True)  # buttons as wide as their words, also in a narrow column
    if answers.button(yes, type="primary", key=f"{key}_yes"):
        del st.session_state[asked]
        return True
    if answers.button(tr("app.cancel"), key=f"{key}_no"):
        del st.session_state[asked]
        st.rerun()
    return False


def number_slider(
    label: str,
    low: float,
    high: float,
    step: float,
    key: str,
    decimals: int = 1,
    percent: bool = True,
    value: float | None = None,
    **kw: Any,
) -> Any:
    """A slider (in percent, or a plain number) that writes its numbers as the reader's language does (22,6% and
    0,25 in Dutch). Streamlit's own number formats follow the browser's locale, not the page's language, so this
    is a select slider over the step grid and the value it holds (such as a calibrated 22.63). It is created
    with `value`, the value it shows, so a browser that re-mounts it never falls back to its lowest option."""
    lang, held = language(), st.session_state.get(key, value)
    options, labels = slider_options(low, high, step, decimals, percent, lang, held)
    if held in labels:
        kw["value"] = held

    def shown(v: float) -> str:
        return labels.get(v) or slider_text(v, lang, decimals, percent)

    return st.select_slider(label, options, key=key, format_func=shown, **kw)


def slider_text(v: float, lang: str, decimals: int, percent: bool) -> str:
    return i18n.fmt_pct(v / 100, lang, decimals) if percent else i18n.fmt_number(v, lang, decimals)


@functools.lru_cache(maxsize=512)
def slider_options(
    low: float, high: float, step: float, decimals: int, percent: bool, lang: str, held: Any
) -> tuple[tuple[float, ...], Mapping[float, str]]:
    """A number slider's options and their texts, worked out once per grid, language and held value (a move
    formats some thousand options otherwise). A held 22.63 replaces the grid's 22.6: one option per text. The
    texts are cached and shared, so they are read-only: a write fails instead of changing every slider's."""

    def shown(v: float) -> str:
        return slider_text(v, lang, decimals, percent)

    grid = {round(low + i * step, 6) for i in range(round((high - low) / step) + 1)}
    if isinstance(held, int | float):
        text = shown(held)
        grid = {v for v in grid if shown(v) != text} | {held}
    options = tuple(sorted(grid))
    return options, types.MappingProxyType({v: shown(v) for v in options})


def lever_label(field: str) -> str:
    """A lever's name as its slider shows it, for messages about values that were refused."""
    key = SLIDER_KEY.get(field)
    return tr(f"whatif.lever_{key}") if key else tr("whatif.lever_deadline") if field == "deadline" else field
