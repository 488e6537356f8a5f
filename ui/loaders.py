"""Cached loaders: the one engine, the data version in every cache key, the cached queries, models and
figures, the one way to write, and the demo built on first start."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st
from sqlalchemy.engine import Connection, Engine

from di_metrics.analysis import evaluate
from di_metrics.analysis.calibration import Calibration, CannotProject, calibrate
from di_metrics.analysis.evaluate import WhatIfData
from di_metrics.analysis.rank_model import RankScenario, project_ranks, promotion_effect
from di_metrics.analysis.track_record import TrackRecord, track_record
from di_metrics.models.projection import Projection, Scenario, Simulation, path_scenario, project, simulate
from di_metrics.models.standing import Status, TargetStatus
from di_metrics.models.targets import Target
from di_metrics.present.briefing import Briefing, build_briefing
from di_metrics.present.charts.whatif import decomposition_bars, projection_fan, rank_projection, track_record_chart
from di_metrics.present.images import figure_image
from di_metrics.queries import survey, workforce
from di_metrics.queries.filters import Filters
from di_metrics.queries.status import leading_status, status
from di_metrics.shell import first_start
from di_metrics.storage import ingest, store
from di_metrics.storage.database import has_workforce, open_database
from di_metrics.storage.scenarios import SavedScenario, list_scenarios
from di_metrics.storage.targets import load_targets
from ui.state import tr

if TYPE_CHECKING:
    from di_metrics.analysis.measures import MeasureTrend
    from di_metrics.models.flows import Flows
    from di_metrics.models.peers import Peers

__all__ = [
    "CACHE",
    "chart_image",
    "data_version",
    "decomposition_figure",
    "engine",
    "ensure_data",
    "fan_figure",
    "load_all_targets",
    "load_breakdown",
    "load_briefing",
    "load_calibration",
    "load_codebook",
    "load_compare",
    "load_dates",
    "load_dimension_values",
    "load_distribution",
    "load_flows",
    "load_import_log",
    "load_indicator_choices",
    "load_indicator_series",
    "load_leading_target",
    "load_mapping",
    "load_marks",
    "load_measure_comparison",
    "load_measures",
    "load_peers",
    "load_pipeline",
    "load_published",
    "load_published_measures",
    "load_reports",
    "load_result_dimensions",
    "load_result_measures",
    "load_results",
    "load_scenarios",
    "load_scope_values",
    "load_share_marks",
    "load_status",
    "load_survey",
    "load_target",
    "load_track_record",
    "load_whatif",
    "promotion_gain",
    "rank_figure",
    "report_bytes",
    "run_simulation",
    "track_record_figure",
    "write",
]

CACHE = {"ttl": 3600, "max_entries": 256, "show_spinner": False}


CACHE = {"ttl": 3600, "max_entries": 256, "show_spinner": False}


@st.cache_resource(show_spinner=False)
def engine() -> Engine:
    """One engine per server; DuckDB files are opened per query so imports from elsewhere can land."""
    return open_database()


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
def load_flows(filters: Filters, version: int) -> tuple[Flows, pd.DataFrame]:
    with store.connect(engine()) as conn:
        return workforce.flows(conn, filters), workforce.hiring_vs_stock(conn, filters)


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
    return projection_fan(history, project(scenario), run_simulation(scenario), glide, lang, title, list(comparisons))


@st.cache_resource(max_entries=256, show_spinner=False)
def rank_figure(ranked: RankScenario, until: int, lang: str, title: str) -> Any:
    return rank_projection(project_ranks(ranked, until), ranked.ranks, lang, title)


@st.cache_resource(max_entries=256, show_spinner=False)
def decomposition_figure(parts: tuple[tuple[str, float], ...], lang: str, title: str) -> Any:
    """The what-if decomposition, built once per set of parts: moving the target leaves them as they are."""
    return decomposition_bars(dict(parts), lang, title)


@st.cache_resource(max_entries=64, show_spinner=False)
def track_record_figure(filters: Filters, version: int, lang: str, title: str) -> Any:
    """The track-record chart, which no lever changes, built once per selection and data version."""
    return track_record_chart(load_track_record(filters, version).horizons, lang, title)


@st.cache_data(max_entries=256, show_spinner=False)
def promotion_gain(ranks: RankScenario, deadline: int) -> float:
    """What promotion parity adds by the deadline; the target does not change it."""
    return promotion_effect(ranks, deadline)


@st.cache_data(**CACHE)
def load_scenarios(version: int) -> list[SavedScenario]:
    with store.connect(engine()) as conn:
        return list_scenarios(conn)


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


@st.cache_data(**CACHE)
def load_peers(filters: Filters, version: int) -> Peers:
    from di_metrics.analysis.peers import peers

    with store.connect(engine()) as conn:
        return peers(conn, filters)


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
    from di_metrics.storage.measures import scope_values

    with store.connect(engine()) as conn:
        return scope_values(conn)


@st.cache_data(**CACHE)
def load_measure_comparison(version: int) -> tuple[MeasureTrend, ...]:
    from di_metrics.analysis.measures import measure_trends

    with store.connect(engine()) as conn:
        return measure_trends(conn)


@st.cache_data(**CACHE)
def load_indicator_choices(version: int) -> list[str]:
    from di_metrics.storage.measures import known_indicators

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


def write(change: Callable[[Connection], None]) -> None:
    """Write through the one engine. The write counts the data revision up, which is in every cache key,
    so this and every other process read afresh, and nobody else's unrelated cache is thrown away."""
    with store.connect(engine(), write=True) as conn:
        change(conn)


@st.cache_data(max_entries=64, show_spinner=False)
def chart_image(fig_json: str, fmt: str) -> bytes:
    """PNG or SVG of a chart, from the one kaleido browser the server keeps."""
    import plotly.io as pio

    return figure_image(pio.from_json(fig_json), fmt)


def report_bytes(filters: Filters, lang: str, levers: tuple[tuple[str, float], ...]) -> bytes:
    """The integrated report (Word), made when someone clicks."""
    from di_metrics.present.report import build_report

    with store.connect(engine()) as conn:
        return build_report(conn, filters, lang, dict(levers))
