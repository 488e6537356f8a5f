"""Streamlit glue, the only place that does: cached engine and loaders, language, shared filters in the URL."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import logging
import os
import re
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy.engine import Connection, Engine

from di_metrics import i18n
from di_metrics.analysis import evaluate
from di_metrics.analysis.calibration import Calibration, CannotProject, calibrate
from di_metrics.analysis.evaluate import WhatIfData
from di_metrics.analysis.rank_model import RankScenario, project_ranks, promotion_effect
from di_metrics.analysis.track_record import TrackRecord, track_record
from di_metrics.models.displayed import displayed
from di_metrics.models.levers import LEVERS, ScenarioInput
from di_metrics.models.projection import Projection, Scenario, Simulation, path_scenario, project, simulate
from di_metrics.models.standing import Status, TargetStatus
from di_metrics.models.targets import Target
from di_metrics.present import charts, export
from di_metrics.present.briefing import Briefing, build_briefing
from di_metrics.present.images import figure_image
from di_metrics.queries import survey, workforce
from di_metrics.queries.filters import Filters
from di_metrics.queries.status import leading_status, status
from di_metrics.shell import access, first_start
from di_metrics.storage import ingest, store
from di_metrics.storage.database import has_workforce, open_database
from di_metrics.storage.scenarios import list_scenarios
from di_metrics.storage.store import DatabaseBusy
from di_metrics.storage.targets import load_targets

log = logging.getLogger("koers")
FILTER_PARAMS = {"branch": "branch", "personnel_category": "category", "rank_group": "rank", "org_unit": "unit"}
CACHE = {"ttl": 3600, "max_entries": 256, "show_spinner": False}


_run = threading.local()


@contextlib.contextmanager
def running_page() -> Iterator[None]:
    """Marks the pages app.py runs, so a page started any other way can tell."""
    _run.via_app = True
    try:
        yield
    finally:
        _run.via_app = False


@contextlib.contextmanager
def friendly_errors() -> Iterator[None]:
    """A plain message for people and the details in the server log; also for fragments rerun on their own."""
    try:
        yield
    except DatabaseBusy:
        st.warning(tr("app.busy"))
    except Exception:
        log.exception("page failed")
        st.error(tr("app.error"))


def guard_page() -> None:
    """Every page starts here: a page run without app.py (role checks, language, filters) reruns through it."""
    if getattr(_run, "via_app", False):
        return
    leave_pages_directory_mode()
    st.rerun()


def leave_pages_directory_mode() -> None:
    """Streamlit runs the very first request after a server start in its old `pages/` directory mode: it lists
    every file in pages/ (hidden by client.showSidebarNavigation = false in .streamlit/config.toml, so nobody
    sees pages their role does not give them) and may run a deep-linked page file on its own. Leave that mode,
    let st.navigation show the role's pages from now on, and rerun through app.py like every other request.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory is False and st.get_option("client.showSidebarNavigation"):
        return
    PagesManager.uses_pages_directory = False
    st.set_option("client.showSidebarNavigation", True)
    st.rerun()


@st.cache_resource(show_spinner=False)
def engine() -> Engine:
    """One engine per server; DuckDB files are opened per query so imports from elsewhere can land."""
    return open_database()


def page_start(filters: bool = True) -> tuple[str, int, Filters]:
    """What every page does first: run through app.py, and read the language, data version and filters."""
    guard_page()
    version = data_version()
    return language(), version, filter_sidebar(version) if filters else Filters()


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
    """On first start with an empty database, build the demo organisation in the background with a progress bar.

    One build per server (di_metrics.shell.first_start): it goes on when this visitor leaves, and a second
    visitor watches the same build.
    """
    if st.session_state.get("has_data"):
        return
    eng = engine()
    key = eng.url.render_as_string(hide_password=True)
    build = first_start.build_for(key, functools.partial(_build_demo, eng))
    waiting = build.running
    if not waiting and not has_workforce(eng):
        if build.started:  # an earlier build ended, yet the database is empty again
            first_start.forget(key)
            build = first_start.build_for(key, functools.partial(_build_demo, eng))
        build.start()
        waiting = True
    if waiting:
        bar = st.progress(build.fraction, text=tr("app.building_demo", step=build.step))
        while not build.wait(0.5):
            bar.progress(build.fraction, text=tr("app.building_demo", step=build.step))
        bar.empty()
        if build.error is not None:
            first_start.forget(key)  # the next visitor may try again
            raise build.error
        st.cache_data.clear()
    st.session_state["has_data"] = True


def _build_demo(eng: Engine, progress: first_start.Progress) -> None:
    from di_metrics.demo.build import build_demo

    build_demo(eng, progress=progress)


def data_version() -> int:
    """Changes when an import lands, so cached figures follow the database; read again only if the file changed."""
    stamp = store.file_stamp(engine())
    return _version_at(stamp) if stamp else _read_version()


@st.cache_data(max_entries=4, show_spinner=False)
def _version_at(stamp: tuple[int, ...]) -> int:
    return _read_version()


def _read_version() -> int:
    with store.connect(engine()) as conn:
        return store.data_version(conn)


@st.cache_data(**CACHE)
def load_status(filters: Filters, version: int) -> Status:
    with store.connect(engine()) as conn:
        return status(conn, filters)


def load_leading_target(filters: Filters, version: int) -> TargetStatus | None:
    """The status of the women's-share target that speaks for the selection, as every page leads with it."""
    return leading_status(load_status(filters, version), filters)


@st.cache_data(**CACHE)
def load_target(name: str, version: int) -> Target | None:
    with store.connect(engine()) as conn:
        return next((t for t in load_targets(conn) if t.name == name), None)


@st.cache_data(**CACHE)
def load_all_targets(version: int) -> list[Target]:
    with store.connect(engine()) as conn:
        return load_targets(conn)


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
            format_func=lambda v: i18n.value_label(v, language()),
        )
        chosen[dim] = picked
        if picked != st.query_params.get_all(param):
            st.query_params[param] = picked
    return Filters.of(chosen)


@st.cache_data(**CACHE)
def load_dates(version: int) -> list[dt.date]:
    with store.connect(engine()) as conn:
        return workforce.snapshot_dates(conn)


@st.cache_data(**CACHE)
def load_compare(filters: Filters, dimension: str, on: dt.date, then: dt.date, version: int) -> pd.DataFrame:
    with store.connect(engine()) as conn:
        return workforce.compare_breakdown(conn, filters, dimension, on, then)


@st.cache_data(**CACHE)
def load_breakdown(filters: Filters, dimension: str, version: int) -> pd.DataFrame:
    with store.connect(engine()) as conn:
        return workforce.breakdown(conn, filters, dimension)


@st.cache_data(**CACHE)
def load_pipeline(filters: Filters, on: dt.date, version: int) -> pd.DataFrame:
    with store.connect(engine()) as conn:
        return workforce.pipeline(conn, filters, on)


@st.cache_data(**CACHE)
def load_flows(filters: Filters, version: int) -> tuple[dict[str, Any], pd.DataFrame]:
    with store.connect(engine()) as conn:
        return workforce.flows_document(conn, filters), workforce.hiring_vs_stock(conn, filters)


@st.cache_data(**CACHE)
def load_calibration(filters: Filters, version: int) -> Calibration | str:
    """The calibrated baseline, or the message key saying why this selection cannot be projected."""
    with store.connect(engine()) as conn:
        try:
            return calibrate(conn, filters)
        except CannotProject as exc:
            return exc.reason


@st.cache_data(**CACHE)
def load_track_record(filters: Filters, version: int) -> TrackRecord:
    """The rolling-origin track record of the calibrated model for the selection."""
    with store.connect(engine()) as conn:
        return track_record(conn, filters)


@st.cache_data(**CACHE)
def load_whatif(filters: Filters, ladder: str, version: int) -> WhatIfData:
    """What the What-if page's evaluate needs from the database; no lever but the ladder changes it."""
    with store.connect(engine()) as conn:
        return evaluate.load_whatif(conn, filters, ladder)


@st.cache_data(max_entries=64, show_spinner=False)
def _simulate_paths(scenario: Scenario, paths: int) -> Simulation:
    return simulate(scenario, paths)


def run_simulation(scenario: Scenario, paths: int = 10_000) -> Simulation:
    """Monte Carlo cached on what the paths depend on, so moving the target or deadline reuses one run."""
    return _simulate_paths(path_scenario(scenario), paths).for_target(scenario.target, scenario.deadline)


@st.cache_resource(max_entries=256, show_spinner=False)  # one shared figure, never changed: no copy per rerun
def fan_figure(
    history: pd.DataFrame,
    scenario: Scenario,
    glide: Target | None,
    lang: str,
    title: str,
    comparisons: tuple[tuple[str, Projection], ...],
) -> Any:
    """The what-if fan chart, built once per scenario: Plotly figures cost more than the model."""
    return charts.projection_fan(
        history, project(scenario), run_simulation(scenario), glide, lang, title, list(comparisons)
    )


@st.cache_resource(max_entries=256, show_spinner=False)
def rank_figure(ranked: RankScenario, until: int, lang: str, title: str) -> Any:
    return charts.rank_projection(project_ranks(ranked, until), ranked.ranks, lang, title)


@st.cache_resource(max_entries=256, show_spinner=False)
def decomposition_figure(parts: tuple[tuple[str, float], ...], lang: str, title: str) -> Any:
    """The what-if decomposition, built once per set of parts: moving the target leaves them as they are."""
    return charts.decomposition_bars(dict(parts), lang, title)


@st.cache_resource(max_entries=64, show_spinner=False)
def track_record_figure(filters: Filters, version: int, lang: str, title: str) -> Any:
    """The track-record chart, which no lever changes, built once per selection and data version."""
    return charts.track_record_chart(load_track_record(filters, version).horizons, lang, title)


@st.cache_data(max_entries=256, show_spinner=False)
def promotion_gain(ranks: RankScenario, deadline: int) -> float:
    """What promotion parity adds by the deadline; the target does not change it."""
    return promotion_effect(ranks, deadline)


@st.cache_data(**CACHE)
def load_scenarios(version: int) -> list[dict[str, Any]]:
    with store.connect(engine()) as conn:
        return list_scenarios(conn)


def write(change: Callable[[Connection], None]) -> None:
    """Write through the one engine. The write counts the data revision up, which is in every cache key,
    so this and every other process read afresh, and nobody else's unrelated cache is thrown away."""
    with store.connect(engine(), write=True) as conn:
        change(conn)


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


def user_name() -> str:
    """Who is signed in, for the record of who saved what; 'local' in single-user mode."""
    try:
        return str(st.user.get("email") or "local") if st.user.get("is_logged_in") else "local"
    except Exception:  # st.user raises without an auth configuration in some contexts
        return "local"


@st.cache_data(**CACHE)
def load_codebook(version: int) -> pd.DataFrame:
    with store.connect(engine()) as conn:
        return survey.load_codebook(conn).items


@st.cache_data(**CACHE)
def load_survey(filters: Filters, measure: str, by: str | None, reference: str | None, version: int) -> pd.DataFrame:
    with store.connect(engine()) as conn:
        return survey.survey_table(conn, filters, measure, by, reference)


@st.cache_data(**CACHE)
def load_distribution(
    filters: Filters, items: tuple[str, ...], wave: int, by: str | None, version: int
) -> pd.DataFrame:
    with store.connect(engine()) as conn:
        return survey.answer_distribution(conn, filters, list(items), wave, by)


@st.cache_data(**CACHE)
def load_reports(filters: Filters, version: int) -> pd.DataFrame:
    with store.connect(engine()) as conn:
        return survey.formal_reports(conn, filters)


@st.cache_data(**CACHE)
def load_published(measure: str, version: int) -> pd.DataFrame:
    with store.connect(engine()) as conn:
        return survey.published_results(conn, measure)


@st.cache_data(**CACHE)
def load_published_measures(version: int) -> list[str]:
    with store.connect(engine()) as conn:
        return survey.published_measures(conn)


@st.cache_data(**CACHE)
def load_briefing(filters: Filters, lang: str, levers: tuple[tuple[str, float], ...], version: int) -> Briefing:
    with store.connect(engine()) as conn:
        return build_briefing(conn, filters, lang, dict(levers))


@st.cache_data(max_entries=64, show_spinner=False)
def chart_image(fig_json: str, fmt: str) -> bytes:
    """PNG or SVG of a chart, from the one kaleido browser the server keeps."""
    import plotly.io as pio

    return figure_image(pio.from_json(fig_json), fmt)


def chart(fig: Any, where: Any = None, name: str | None = None) -> None:
    """A chart at full width, with PNG and SVG downloads for those who may export."""
    target = where or st
    fig = displayed(fig)
    target.plotly_chart(fig, width="stretch", config={"displaylogo": False})
    if access.may_export(role()):
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


def scenario_levers() -> tuple[tuple[str, float], ...]:
    """The what-if levers in the URL (as the what-if page writes them) that pass the door, for the briefing."""
    given, _refused = ScenarioInput.from_url(st.query_params, None)  # build_briefing checks the deadline again
    return tuple(sorted(given.levers().items()))


def lever_label(field: str) -> str:
    """A lever's name as its slider shows it, for messages about values that were refused."""
    key = next((k for k, lever in LEVERS.items() if lever.field == field), None)
    return tr(f"whatif.lever_{key}") if key else tr("whatif.lever_deadline") if field == "deadline" else field


@st.cache_data(**CACHE)
def load_peers(filters: Filters, version: int) -> dict[str, Any]:
    from di_metrics.analysis.peers import peers_document

    with store.connect(engine()) as conn:
        return peers_document(conn, filters)


@st.cache_data(**CACHE)
def load_measures(version: int) -> list[Any]:
    from di_metrics.storage.measures import load_measures as stored

    with store.connect(engine()) as conn:
        return stored(conn)


@st.cache_data(**CACHE)
def load_share_marks(version: int) -> list[tuple[str, dt.date]]:
    from di_metrics.queries.measures import share_marks

    with store.connect(engine()) as conn:
        return share_marks(conn)


@st.cache_data(**CACHE)
def load_marks(metric: str, version: int) -> list[tuple[str, dt.date]]:
    """The measures a trend chart of this metric marks (women_share, indicator:NAME or survey:NAME)."""
    from di_metrics.queries.measures import marks_for

    with store.connect(engine()) as conn:
        return marks_for(conn, metric)


@st.cache_data(**CACHE)
def load_indicator_series(name: str, version: int) -> list[tuple[dt.date, float]]:
    from di_metrics.queries.status import indicator_series

    with store.connect(engine()) as conn:
        return indicator_series(conn, name)


@st.cache_data(**CACHE)
def load_scope_values(version: int) -> dict[str, list[str]]:
    from di_metrics.queries.measures import scope_values

    with store.connect(engine()) as conn:
        return scope_values(conn)


@st.cache_data(**CACHE)
def load_measure_comparison(version: int) -> dict[str, Any]:
    from di_metrics.analysis.measures import measures_document

    with store.connect(engine()) as conn:
        return measures_document(conn)


@st.cache_data(**CACHE)
def load_indicator_choices(version: int) -> list[str]:
    from di_metrics.queries.measures import known_indicators

    with store.connect(engine()) as conn:
        return known_indicators(conn)


@st.cache_data(**CACHE)
def load_mapping(kind: str, version: int) -> dict[str, str]:
    """Column names mapped once for this kind of file; a new mapping clears the cache through write()."""
    with store.connect(engine()) as conn:
        return ingest.remembered_mapping(conn, kind)


@st.cache_data(**CACHE)
def load_import_log(version: int) -> pd.DataFrame:
    with store.connect(engine()) as conn:
        return ingest.import_log(conn)


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
    on = st.sidebar.selectbox(
        tr("filters.as_of"),
        dates[::-1],
        index=dates[::-1].index(from_url("date", latest)),
        format_func=fmt,
        key="as_of",
    )
    then = st.sidebar.selectbox(
        tr("filters.compare_with"),
        dates[::-1],
        index=dates[::-1].index(from_url("vs", default_then)),
        format_func=fmt,
        key="vs",
    )
    st.query_params["date"], st.query_params["vs"] = on.isoformat(), then.isoformat()
    return on, then


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


def _read_secrets() -> dict[str, Any]:
    """The secrets as a plain dict; no file at all is FileNotFoundError, a file that does not parse ValueError."""
    try:
        return st.secrets.to_dict()
    except FileNotFoundError as exc:  # Streamlit's StreamlitSecretNotFoundError covers both cases
        if getattr(exc, "error_id", "") == "no-secrets-found":
            raise
        raise ValueError(str(exc)) from exc


def _read_user() -> dict[str, Any]:
    return st.user.to_dict()


def access_now() -> access.Access:
    """The visitor's access, decided by di_metrics.shell.access: single-user opt-in, a role, or a refusal."""
    return access.resolve(os.environ, _read_secrets, _read_user)


def auth_configured() -> bool:
    """Whether visitors sign in (rather than the explicit single-user mode)."""
    return not access_now().single_user


def role() -> str:
    """The visitor's role; 'none' for whoever has not signed in or meets a configuration problem."""
    return access_now().role or access.SIGNED_OUT


def sign_in_or_stop() -> None:
    """Nobody sees anything before signing in, and a broken configuration shows why and nothing else."""
    now = access_now()
    if now.problem:
        log.error("access refused: %s (%s)", now.problem, now.detail)
        st.title(tr("app.title"))
        st.error(tr("access.config_error"))
        st.markdown(tr(now.problem, detail=now.detail))
        st.caption(tr("access.config_hint", env=access.SINGLE_USER_ENV))
        st.stop()
    if now.role == access.SIGNED_OUT:
        st.title(tr("app.title"))
        st.write(tr("app.sign_in_needed"))
        st.button(tr("app.sign_in"), on_click=st.login, type="primary")
        st.stop()


def account_box() -> None:
    """Who is signed in and as what, or the notice that this is a local single-user mode."""
    if auth_configured():
        st.sidebar.caption(tr("app.signed_in", user=user_name(), role=tr(f"app.role_{role()}")))
        st.sidebar.button(tr("app.sign_out"), on_click=st.logout, key="sign_out")
    else:
        st.sidebar.caption(tr("app.local_mode"))


@st.cache_data(**CACHE)
def load_result_measures(version: int) -> dict[str, list[str]]:
    """Measures per source: respondent answers (codebook) and vendor tables."""
    from di_metrics.queries import survey_results

    with store.connect(engine()) as conn:
        return survey_results.all_measures(conn)


@st.cache_data(**CACHE)
def load_result_dimensions(measure: str, version: int) -> list[str]:
    from di_metrics.queries import survey_results

    with store.connect(engine()) as conn:
        return survey_results.result_dimensions(conn, measure)


@st.cache_data(**CACHE)
def load_results(
    filters: Filters, measure: str, by: str | None, reference: str | None, source: str, version: int
) -> pd.DataFrame:
    """Safe survey results from respondent answers or a vendor's tables."""
    from di_metrics.queries import survey_results

    with store.connect(engine()) as conn:
        return survey_results.results_table(conn, filters, measure, by, reference, source)


def report_bytes(filters: Filters, lang: str, levers: tuple[tuple[str, float], ...]) -> bytes:
    """The integrated report (Word), made when someone clicks."""
    from di_metrics.present.report import build_report

    with store.connect(engine()) as conn:
        return build_report(conn, filters, lang, dict(levers))
