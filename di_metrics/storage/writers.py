"""Writing each kind of validated file into its tables: periods already stored are refused, or replaced when
asked, and the workforce summary tables follow the dates written. `ingest` calls these in its transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from di_metrics.errors import InvalidInput, Problem
from di_metrics.storage import store
from di_metrics.storage.aggregates import refresh_dates
from di_metrics.storage.benchmarks import with_years
from di_metrics.storage.bulk import insert_frame
from di_metrics.storage.careers import CAREER_TABLES

__all__ = ["BATCH_TABLES", "DATA_TABLES", "PERIODS", "WRITERS", "replace_stored", "stored_periods"]

Writer = Callable[[Connection, pd.DataFrame, str, bool], tuple[str, ...]]


def _replace_periods(
    conn: Connection, table: sa.Table, column: str, frame: pd.DataFrame, name: str, replace: bool
) -> tuple[str, ...]:
    """Refuse periods already stored unless replacing; when replacing, delete them first."""
    return replace_stored(conn, table, column, sorted(set(frame[column].dropna().tolist())), name, replace)


def replace_stored(
    conn: Connection, table: sa.Table, column: str, periods: list, name: str, replace: bool
) -> tuple[str, ...]:
    stored = sorted(
        set(conn.execute(sa.select(table.c[column]).distinct().where(table.c[column].in_(periods))).scalars())
    )
    if stored and not replace:
        shown = [str(p) for p in stored[:5]]
        raise InvalidInput(name, [Problem(column, "already_stored", params={"periods": shown})])
    if stored:
        conn.execute(table.delete().where(table.c[column].in_(stored)))
    return tuple(str(p) for p in stored)


def stored_periods(conn: Connection, kind: str, frame: pd.DataFrame, name: str) -> list[Problem]:
    """The file's periods already stored, as a problem for the validation report beside the file's others;
    the writer refuses them again inside its transaction."""
    table, column = PERIODS[kind]
    if column not in frame.columns:
        return []  # missing or doubled: the column rules say so
    try:
        replace_stored(conn, table, column, sorted(set(frame[column].dropna().tolist())), name, False)
    except InvalidInput as refused:
        return list(refused.problems)
    return []


def _dates_in(frame: pd.DataFrame) -> set[dt.date]:
    """The distinct snapshot dates of a frame, as dates whatever their dtype."""
    distinct = pd.Series(frame["snapshot_date"].dropna().unique())
    return set(pd.to_datetime(distinct).dt.date)


def _write_workforce(conn: Connection, frame: pd.DataFrame, name: str, replace: bool) -> tuple[str, ...]:
    replaced = _replace_periods(conn, store.workforce_snapshot, "snapshot_date", frame, name, replace)
    insert_frame(conn, store.workforce_snapshot, frame, order=("snapshot_date", "person_id"))
    refresh_dates(conn, _dates_in(frame))
    return replaced


def _write_headcount(conn: Connection, frame: pd.DataFrame, name: str, replace: bool) -> tuple[str, ...]:
    replaced = _replace_periods(conn, store.workforce_headcount, "snapshot_date", frame, name, replace)
    insert_frame(conn, store.workforce_headcount, frame)
    refresh_dates(conn, _dates_in(frame))
    return replaced


def _write_simple(table: sa.Table, period: str) -> Writer:
    def write(conn: Connection, frame: pd.DataFrame, name: str, replace: bool) -> tuple[str, ...]:
        replaced = _replace_periods(conn, table, period, frame, name, replace)
        insert_frame(conn, table, frame)
        return replaced

    return write


def _write_items(conn: Connection, frame: pd.DataFrame, name: str, replace: bool) -> tuple[str, ...]:
    replaced = _replace_periods(conn, store.survey_item, "item", frame, name, replace)
    insert_frame(conn, store.survey_item, frame.assign(reverse=frame.get("reverse", False)))
    return replaced


def _write_survey(conn: Connection, frame: pd.DataFrame, name: str, replace: bool) -> tuple[str, ...]:
    replaced = _replace_periods(conn, store.survey_respondent, "wave", frame, name, replace)
    if replaced:
        conn.execute(store.survey_answer.delete().where(store.survey_answer.c.wave.in_([int(w) for w in replaced])))
    known = {c.name for c in store.survey_respondent.columns}
    insert_frame(conn, store.survey_respondent, frame[[c for c in frame.columns if c in known]])
    item_cols = [c for c in frame.columns if c not in known]
    answers = frame.melt(id_vars=["wave", "respondent_id"], value_vars=item_cols, var_name="item", value_name="answer")
    insert_frame(conn, store.survey_answer, answers.dropna(subset=["answer"]))
    return replaced


def _write_survey_results(conn: Connection, frame: pd.DataFrame, name: str, replace: bool) -> tuple[str, ...]:
    suppressed = frame["n"].isna() | frame["pct_favourable"].isna()
    return _write_simple(store.survey_result, "wave")(conn, frame.assign(suppressed=suppressed), name, replace)


def _write_reports(conn: Connection, frame: pd.DataFrame, name: str, replace: bool) -> tuple[str, ...]:
    """A blank kind is read from the category: integrity where it says so, else social safety."""
    kind = frame["kind"] if "kind" in frame.columns else pd.Series(None, index=frame.index, dtype=object)
    integrity = frame["category"].astype(str).str.lower().str.contains("integr")
    kind = kind.where(kind.notna(), integrity.map({True: "integrity", False: "social_safety"}))
    return _write_simple(store.formal_report, "year")(conn, frame.assign(kind=kind), name, replace)


def _write_benchmarks(conn: Connection, frame: pd.DataFrame, name: str, replace: bool) -> tuple[str, ...]:
    return _write_simple(store.benchmark, "peer")(conn, with_years(frame), name, replace)


WRITERS: dict[str, Writer] = {
    "workforce": _write_workforce,
    "headcount": _write_headcount,
    "items": _write_items,
    "survey": _write_survey,
    "survey-results": _write_survey_results,
    "indicators": _write_simple(store.indicator, "indicator"),
    "reports": _write_reports,
    "benchmarks": _write_benchmarks,
    "measures": _write_simple(store.measure, "name"),
    "names": _write_simple(store.display_name, "dimension"),
}


PERIODS: dict[str, tuple[sa.Table, str]] = {  # what each kind's writer replaces: its table and period column
    "workforce": (store.workforce_snapshot, "snapshot_date"),
    "headcount": (store.workforce_headcount, "snapshot_date"),
    "items": (store.survey_item, "item"),
    "survey": (store.survey_respondent, "wave"),
    "survey-results": (store.survey_result, "wave"),
    "indicators": (store.indicator, "indicator"),
    "reports": (store.formal_report, "year"),
    "benchmarks": (store.benchmark, "peer"),
    "measures": (store.measure, "name"),
    "names": (store.display_name, "dimension"),
}


BATCH_TABLES: dict[str, tuple[sa.Table, ...]] = {
    "workforce": (store.workforce_snapshot,),
    "headcount": (store.workforce_headcount,),
    "items": (store.survey_item,),
    "survey": (store.survey_answer, store.survey_respondent),
    "survey-results": (store.survey_result,),
    "indicators": (store.indicator,),
    "reports": (store.formal_report,),
    "benchmarks": (store.benchmark,),
    "measures": (store.measure,),
    "names": (store.display_name,),
}


DATA_TABLES = (
    store.workforce_snapshot,
    store.workforce_headcount,
    store.headcount_cube,
    store.transition_cube,
    store.snapshot_calendar,
    *CAREER_TABLES,
    store.survey_answer,
    store.survey_respondent,
    store.survey_item,
    store.survey_result,
    store.indicator,
    store.formal_report,
    store.benchmark,
    store.measure,
    store.display_name,
)
