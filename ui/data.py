"""The one way pages reach the data: the engine, the data version in every cache key, the cached reads (each
made by `loader` from a core read), the cached figures and models, and the writes (each made by `writer`). No page
imports storage, so every write passes here; models and figures are cached on the values they come from."""

from __future__ import annotations

import functools
import pickle
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy.engine import Connection, Engine

from di_metrics.analysis import career, evaluate, measure_effects, reporting
from di_metrics.analysis.allocation import Allocation, Split, allocate, calibrated_split
from di_metrics.analysis.calibration import Calibration, CannotProject, calibrate
from di_metrics.analysis.measure_list import measure_trends
from di_metrics.analysis.peer_comparison import peers
from di_metrics.analysis.rank_model import RankScenario, project_ranks, promotion_effect
from di_metrics.analysis.track_record import track_record
from di_metrics.analysis.watchlist import watchlist
from di_metrics.models.flows import Flows
from di_metrics.models.frontier import Frontier, lever_frontier
from di_metrics.models.measure_slopes import Measure
from di_metrics.models.projection import Scenario, simulate
from di_metrics.models.standing import TargetStatus
from di_metrics.present.briefing import build_briefing
from di_metrics.present.charts.whatif import decomposition_bars, rank_projection, track_record_chart
from di_metrics.present.images import figure_image
from di_metrics.present.views import Briefing
from di_metrics.queries import measure_reads, meldingen, names, representation, survey, survey_results, workforce
from di_metrics.queries.filters import Filters
from di_metrics.queries.status import indicator_series, leading_status, status
from di_metrics.shell import first_start
from di_metrics.storage import ingest, scenarios, store, targets
from di_metrics.storage import measure_register as measure_store
from di_metrics.storage.database import has_workforce, open_database
from di_metrics.storage.formats import FORMATS, MEASURE_STATUSES
from di_metrics.storage.parsing import read_text_frame
from ui.state import tr

__all__ = [
    "CACHE",
    "IMPORTED",
    "IMPORT_KINDS",
    "MAX_COMPARED",
    "MEASURE_STATUSES",
    "chart_image",
    "data_version",
    "decomposition_figure",
    "delete_measure",
    "delete_scenario",
    "delete_target",
    "engine",
    "ensure_data",
    "frontier",
    "import_columns",
    "import_upload",
    "load_all_targets",
    "load_allocation",
    "load_breakdown",
    "load_briefing",
    "load_calibration",
    "load_career",
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
    "load_names",
    "load_peers",
    "load_pipeline",
    "load_published",
    "load_published_measures",
    "load_rank_folds",
    "load_reports",
    "load_representation",
    "load_result_dimensions",
    "load_result_measures",
    "load_results",
    "load_scenarios",
    "load_scope_values",
    "load_share_marks",
    "load_split",
    "load_status",
    "load_track_record",
    "load_watchlist",
    "load_whatif",
    "loader",
    "measure_problems",
    "outcome_text",
    "preview",
    "promotion_gain",
    "rank_figure",
    "remember_mapping",
    "replace_targets",
    "report_bytes",
    "run_simulation",
    "save_measure",
    "save_scenario",
    "save_target",
    "saved_levers",
    "track_record_figure",
    "undo_import",
    "validate_upload",
    "writer",
]

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


def loader(query: Callable[..., Any]) -> Callable[..., Any]:
    """A cached read from a core read `query(conn, *args)`: called as `query`'s arguments followed by the data
    version, which is in the cache key (an import or a write counts it up) and is not passed on."""

    def load(*args: Any) -> Any:
        *given, _version = args
        with store.connect(engine()) as conn:
            return query(conn, *given)

    # Streamlit keys a cache on the function's module and name: each loader gets its own.
    load.__qualname__ = f"loader[{query.__module__}.{query.__qualname__}]"
    load.__doc__ = query.__doc__
    load.__annotations__ = {"return": query.__annotations__.get("return", "")}  # what a reader gets back
    return st.cache_data(**CACHE)(load)


def writer(change: Callable[..., Any]) -> Callable[..., Any]:
    """A write `change(conn, *args)` through the one engine. The write counts the data revision up, which is
    in every cache key, so this and every other process read afresh and nobody's unrelated cache is dropped."""

    @functools.wraps(change)
    def write(*args: Any) -> Any:
        with store.connect(engine(), write=True) as conn:
            return change(conn, *args)

    return write


def _flows(conn: Connection, filters: Filters) -> tuple[Flows, pd.DataFrame]:
    return workforce.flows(conn, filters), workforce.hiring_vs_stock(conn, filters)


def _calibration(conn: Connection, filters: Filters) -> Calibration | str:
    """The calibrated baseline, or the message key saying why this selection cannot be projected."""
    try:
        return calibrate(conn, filters)
    except CannotProject as exc:
        return exc.reason


def _split(conn: Connection, filters: Filters, by: str) -> Split | str:
    """The calibrated parts (the slow half, kept while the levers move), or why there are none."""
    try:
        return calibrated_split(conn, filters, by)
    except CannotProject as exc:  # the exempt units too small, or the selection
        return exc.reason


def _codebook(conn: Connection) -> pd.DataFrame:
    return survey.load_codebook(conn).items


def _distribution(
    conn: Connection, filters: Filters, items: tuple[str, ...], wave: int, by: str | None
) -> pd.DataFrame:
    return survey.answer_distribution(conn, filters, list(items), wave, by)


def _briefing(conn: Connection, filters: Filters, lang: str, levers: tuple[tuple[str, float], ...]) -> Briefing:
    return build_briefing(conn, filters, lang, dict(levers))


load_status = loader(status)
load_all_targets = loader(targets.load_targets)
load_dimension_values = loader(workforce.dimension_values)
load_dates = loader(workforce.snapshot_dates)
load_compare = loader(workforce.compare_breakdown)
load_breakdown = loader(workforce.breakdown)
load_pipeline = loader(workforce.pipeline)
load_rank_folds = loader(workforce.rank_folds)
load_flows = loader(_flows)
load_calibration = loader(_calibration)
load_track_record = loader(track_record)
load_whatif = loader(evaluate.load_whatif)
load_split = loader(_split)
load_watchlist = loader(watchlist)
load_scenarios = loader(scenarios.list_scenarios)
load_codebook = loader(_codebook)
load_distribution = loader(_distribution)
load_reports = loader(meldingen.formal_reports)
load_published = loader(survey.published_results)
load_published_measures = loader(survey.published_measures)
load_briefing = loader(_briefing)
load_peers = loader(peers)
load_measures = loader(measure_store.load_measures)
load_share_marks = loader(measure_reads.share_marks)
load_marks = loader(measure_reads.marks_for)  # women_share, indicator:NAME or survey:NAME
load_indicator_series = loader(indicator_series)
load_scope_values = loader(measure_store.scope_values)
load_measure_comparison = loader(measure_trends)
load_indicator_choices = loader(measure_store.known_indicators)
load_mapping = loader(ingest.remembered_mapping)  # a new mapping counts the version up
load_import_log = loader(ingest.import_log)
load_result_measures = loader(survey_results.all_measures)  # respondent answers (codebook) and vendor tables
load_result_dimensions = loader(survey_results.result_dimensions)
load_results = loader(survey_results.results_table)
load_representation = loader(representation.representation)
load_career = loader(career.career_view)  # one view at a time, as the request says
load_reporting = loader(reporting.reporting)  # the reporting rate per year and the splits of its changes
load_measure_effects = loader(measure_effects.measure_effects)  # every measure's grade and both methods
load_names = loader(names.display_names)  # the display names for codes (the `names` import)

save_target = writer(targets.save_target)
delete_target = writer(targets.delete_target)
replace_targets = writer(targets.replace_targets)
save_measure = writer(measure_store.save_measure)
delete_measure = writer(measure_store.delete_measure)
save_scenario = writer(scenarios.save_scenario)
delete_scenario = writer(scenarios.delete_scenario)
remember_mapping = writer(ingest.remember_mapping)


def load_leading_target(filters: Filters, version: int) -> TargetStatus | None:
    """The status of the women's-share target that speaks for the selection, as every page leads with it."""
    return leading_status(load_status(filters, version), filters)


# What the Import page needs from the one door in (storage/ingest.py).
IMPORT_KINDS = ingest.KINDS
IMPORTED = ingest.IMPORTED
outcome_text = ingest.outcome_text
preview = read_text_frame  # an upload read within the size limits, for the preview; refused by rule


def import_columns(kind: str, columns: list[str], version: int) -> tuple[list[str], list[str]]:
    """A kind's own column names, and the file's columns neither the format nor a remembered mapping knows
    (none for a format with open columns)."""
    form = FORMATS[kind]
    known = set(form.lookup()) | set(load_mapping(kind, version))
    unknown = [] if form.open_columns else [c for c in columns if c not in known]
    return [c.name for c in form.columns], unknown


def validate_upload(kind: str, raw: bytes, name: str, replace: bool = False) -> None:
    """Raises InvalidInput with every broken rule (periods already stored among them unless replacing);
    writes nothing."""
    ingest.validate_bytes(engine(), kind, raw, name, replace)


def import_upload(kind: str, raw: bytes, name: str, **options: Any) -> ingest.ImportResult:
    """The whole file in one transaction (replace, user, progress as ingest.import_bytes takes them)."""
    return ingest.import_bytes(engine(), kind, raw, name, **options)


def undo_import(batch: int, user: str) -> int:
    return ingest.undo_batch(engine(), batch, user)


saved_levers = scenarios.saved_levers  # a saved scenario's levers through the door, and the ones it refused
MAX_COMPARED = scenarios.MAX_COMPARED


def measure_problems(entered: Measure, known: list[str], values: dict[str, list[str]]) -> list[str]:
    """The register's rule keys a measure entered in the form breaks (as a measures file would)."""
    return list(measure_store.problems_of([entered], known, values))


@st.cache_data(max_entries=64, show_spinner=False)
def frontier(scenario: Scenario, today: Scenario) -> Frontier:
    """The lever frontier; the scenarios carry the calibration, and so the data it came from."""
    return lever_frontier(scenario, today)


# shared, never changed (no copy); keyed on the frozen scenario's repr, exact and quicker than Streamlit's hasher
_simulate_paths = st.cache_resource(max_entries=64, show_spinner=False, hash_funcs={Scenario: repr})(simulate)
run_simulation = functools.partial(evaluate.run_simulation, simulate_paths=_simulate_paths)  # once per path scenario
# the target does not change it; the rank model keyed on its pickle, exact and quicker than Streamlit's hasher
_BY_PICKLE = {RankScenario: pickle.dumps}
promotion_gain = st.cache_data(max_entries=256, show_spinner=False, hash_funcs=_BY_PICKLE)(promotion_effect)


@st.cache_data(max_entries=256, show_spinner=False)
def load_allocation(filters: Filters, by: str, version: int, given: tuple[tuple[str, Any], ...]) -> Allocation | str:
    split = load_split(filters, by, version)  # the slow half, cached apart; the allocation per levers it reads
    return split if isinstance(split, str) else allocate(split, dict(given))


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
