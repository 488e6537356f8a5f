"""Storage: the table definitions, engines from a URL, and one writing transaction at a time (making a database
ready is `schema`)."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import NullPool

from di_metrics.config import database_url
from di_metrics.storage.failures import DatabaseBusy, DatabaseUnreachable, is_lock_error, unreachable
from di_metrics.vocab import DIMENSIONS

__all__ = [
    "ADDED_COLUMNS",
    "SERVER_INDEXES",
    "DatabaseBusy",
    "DatabaseUnreachable",
    "benchmark",
    "column_mapping",
    "connect",
    "data_version",
    "display_name",
    "file_stamp",
    "formal_report",
    "headcount_cube",
    "import_log",
    "indicator",
    "make_engine",
    "md",
    "measure",
    "revision",
    "scenario",
    "schema_version",
    "snapshot_calendar",
    "survey_answer",
    "survey_item",
    "survey_respondent",
    "survey_result",
    "take_turn",
    "target",
    "transition_cube",
    "workforce_headcount",
    "workforce_snapshot",
]


md = sa.MetaData()


def _dimension_columns(prefix: str = "") -> list[sa.Column]:
    return [sa.Column(f"{prefix}{d}", sa.String) for d in DIMENSIONS]


def _id_column(name: str) -> sa.Column:
    # DuckDB has no SERIAL: a named sequence works on DuckDB and PostgreSQL alike.
    seq = sa.Sequence(f"{name}_id_seq", metadata=md)
    return sa.Column("id", sa.Integer, seq, server_default=seq.next_value(), primary_key=True)


schema_version = sa.Table("schema_version", md, sa.Column("version", sa.Integer, nullable=False))

# One row, counted up by every writing transaction: the data version every server process compares.
revision = sa.Table(
    "data_revision",
    md,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("revision", sa.BigInteger, nullable=False),
)

import_log = sa.Table(
    "import_log",
    md,
    _id_column("import_log"),
    sa.Column("kind", sa.String, nullable=False),
    sa.Column("file_name", sa.String, nullable=False),
    sa.Column("file_hash", sa.String, nullable=False),
    sa.Column("rows", sa.Integer, nullable=False),
    sa.Column("imported_by", sa.String, nullable=False),
    sa.Column("imported_at", sa.DateTime, nullable=False),
    sa.Column("result", sa.String, nullable=False),  # an outcome code: imported, undone, replaced, refused
    sa.Column("detail", sa.String),  # the outcome's values as JSON: who undid it, the problems of a refusal
)

# The key (snapshot_date, person_id) is checked over every file before it is written, and a file's dates are
# new or replaced whole, so no two rows share it. PostgreSQL also keeps it as its primary key, whose index
# serves the refresh's reads of one date; on DuckDB that index cost more than half of a large import
# (docs/storage.md), and sorted storage serves those reads instead.
workforce_snapshot = sa.Table(
    "workforce_snapshot",
    md,
    sa.Column("snapshot_date", sa.Date, nullable=False),
    sa.Column("person_id", sa.String, nullable=False),
    sa.Column("gender", sa.String(1)),
    *_dimension_columns(),
    sa.Column("birth_year", sa.Integer),
    sa.Column("hire_date", sa.Date),
    sa.Column("batch_id", sa.Integer, nullable=False),
    sa.PrimaryKeyConstraint("snapshot_date", "person_id", name="workforce_snapshot_pkey").ddl_if(dialect="postgresql"),
)

workforce_headcount = sa.Table(
    "workforce_headcount",
    md,
    sa.Column("snapshot_date", sa.Date, nullable=False),
    sa.Column("gender", sa.String(1), nullable=False),
    *_dimension_columns(),
    sa.Column("headcount", sa.Integer, nullable=False),
    sa.Column("hires", sa.Integer),
    sa.Column("exits", sa.Integer),
    sa.Column("batch_id", sa.Integer, nullable=False),
)

# Pre-aggregated at import so that dashboards never scan the snapshot table.
headcount_cube = sa.Table(
    "headcount_cube",
    md,
    sa.Column("snapshot_date", sa.Date, nullable=False),
    sa.Column("gender", sa.String(1)),
    *_dimension_columns(),
    sa.Column("headcount", sa.Integer, nullable=False),
)

# Every change of a person between consecutive snapshots: a hire has no from_ side,
# an exit no to_ side, a move both. Flows for any filter follow from it exactly.
transition_cube = sa.Table(
    "transition_cube",
    md,
    sa.Column("snapshot_date", sa.Date, nullable=False),
    sa.Column("prev_date", sa.Date),
    sa.Column("from_gender", sa.String(1)),
    *_dimension_columns("from_"),
    sa.Column("to_gender", sa.String(1)),
    *_dimension_columns("to_"),
    sa.Column("persons", sa.Integer, nullable=False),
)

# The dates that have person-level snapshots, one row each: the career reads number snapshots from it, so they
# need no DISTINCT over the snapshots. Kept by the same refresh as the cubes.
snapshot_calendar = sa.Table("snapshot_calendar", md, sa.Column("snapshot_date", sa.Date, nullable=False))

# An import's refresh deletes and rewrites a few dates of the summary tables; on PostgreSQL these indexes find
# them. The dashboard's reads group whole summary tables and need none; DuckDB scans faster than it indexes.
SERVER_INDEXES = (
    sa.Index("headcount_cube_date", headcount_cube.c.snapshot_date).ddl_if(dialect="postgresql"),
    sa.Index("transition_cube_date", transition_cube.c.snapshot_date).ddl_if(dialect="postgresql"),
    sa.Index("workforce_headcount_date", workforce_headcount.c.snapshot_date).ddl_if(dialect="postgresql"),
)

survey_item = sa.Table(
    "survey_item",
    md,
    sa.Column("item", sa.String, primary_key=True),
    sa.Column("construct", sa.String, nullable=False),
    sa.Column("text_nl", sa.String),
    sa.Column("text_en", sa.String),
    sa.Column("scale_min", sa.Integer, nullable=False),
    sa.Column("scale_max", sa.Integer, nullable=False),
    sa.Column("favourable_min", sa.Integer, nullable=False),
    sa.Column("reverse", sa.Boolean, nullable=False),
    sa.Column("batch_id", sa.Integer, nullable=False),
)

survey_respondent = sa.Table(
    "survey_respondent",
    md,
    sa.Column("wave", sa.Integer, primary_key=True),
    sa.Column("respondent_id", sa.String, primary_key=True),
    sa.Column("gender", sa.String(1)),
    *_dimension_columns(),
    sa.Column("weight", sa.Double),
    sa.Column("batch_id", sa.Integer, nullable=False),
)

survey_answer = sa.Table(
    "survey_answer",
    md,
    sa.Column("wave", sa.Integer, nullable=False),
    sa.Column("respondent_id", sa.String, nullable=False),
    sa.Column("item", sa.String, nullable=False),
    sa.Column("answer", sa.Integer, nullable=False),
)

survey_result = sa.Table(
    "survey_result",
    md,
    sa.Column("wave", sa.Integer, nullable=False),
    sa.Column("measure", sa.String, nullable=False),
    sa.Column("gender", sa.String(1)),
    *_dimension_columns(),
    sa.Column("n", sa.Integer),
    sa.Column("pct_favourable", sa.Double),
    sa.Column("mean", sa.Double),
    sa.Column("suppressed", sa.Boolean, nullable=False),
    sa.Column("batch_id", sa.Integer, nullable=False),
)

indicator = sa.Table(
    "indicator",
    md,
    sa.Column("indicator", sa.String, nullable=False),
    sa.Column("date", sa.Date, nullable=False),
    sa.Column("value", sa.Double, nullable=False),
    sa.Column("numerator", sa.Double),
    sa.Column("denominator", sa.Double),
    *_dimension_columns(),
    sa.Column("batch_id", sa.Integer, nullable=False),
)

formal_report = sa.Table(
    "formal_report",
    md,
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("category", sa.String, nullable=False),
    sa.Column("count", sa.Integer, nullable=False),
    *_dimension_columns(),
    sa.Column("batch_id", sa.Integer, nullable=False),
    sa.Column("kind", sa.String),  # social_safety or integrity; added later, so last and nullable
)

target = sa.Table(
    "target",
    md,
    sa.Column("name", sa.String, primary_key=True),
    sa.Column("metric", sa.String, nullable=False),
    sa.Column("scope", sa.JSON, nullable=False),
    sa.Column("exempt_units", sa.JSON, nullable=False),
    sa.Column("baseline_date", sa.Date, nullable=False),
    sa.Column("baseline_value", sa.Double, nullable=False),
    sa.Column("target_value", sa.Double, nullable=False),
    sa.Column("deadline", sa.Date, nullable=False),
)

scenario = sa.Table(
    "scenario",
    md,
    sa.Column("name", sa.String, primary_key=True),
    sa.Column("params", sa.JSON, nullable=False),
    sa.Column("created_by", sa.String, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    # The population the scenario was built on ({dimension: [values]}, {} = everyone) and the data date its
    # baseline was calibrated on; both NULL for a scenario saved before they were kept (population not recorded).
    sa.Column("filters", sa.JSON),
    sa.Column("data_date", sa.Date),
)

# Columns added after a table first shipped: an older database gets them on first use.
ADDED_COLUMNS = (
    (formal_report, "kind", "VARCHAR"),
    (import_log, "detail", "VARCHAR"),
    (scenario, "filters", "JSON"),
    (scenario, "data_date", "DATE"),
)

# Public figures of peer organisations: a share of women or an attrition rate, in percent, with its source.
benchmark = sa.Table(
    "benchmark",
    md,
    sa.Column("peer", sa.String, nullable=False),
    sa.Column("population", sa.String, nullable=False),
    sa.Column("date", sa.Date),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("measure", sa.String, nullable=False),
    sa.Column("value", sa.Double, nullable=False),
    sa.Column("source", sa.String, nullable=False),
    sa.Column("url", sa.String),
    sa.Column("needs_verification", sa.Boolean, nullable=False),
    sa.Column("notes", sa.String),
    sa.Column("batch_id", sa.Integer, nullable=False),
)

# The register of improvement measures (maatregelen); batch_id is empty for those entered on the page.
measure = sa.Table(
    "measure",
    md,
    sa.Column("name", sa.String, primary_key=True),
    sa.Column("start_date", sa.Date, nullable=False),
    sa.Column("end_date", sa.Date),
    sa.Column("owner", sa.String),
    *_dimension_columns(),
    sa.Column("indicator", sa.String, nullable=False),
    sa.Column("status", sa.String, nullable=False),
    sa.Column("batch_id", sa.Integer),
)

# Display names for codes (the `names` import): a branch, unit, rank group, peer or measure in Dutch and English.
display_name = sa.Table(
    "display_name",
    md,
    sa.Column("dimension", sa.String, primary_key=True),
    sa.Column("code", sa.String, primary_key=True),
    sa.Column("name_nl", sa.String),
    sa.Column("name_en", sa.String),
    sa.Column("batch_id", sa.Integer, nullable=False),
)


# Column names an admin mapped once to the expected ones, remembered per kind of import.
column_mapping = sa.Table(
    "column_mapping",
    md,
    sa.Column("kind", sa.String, primary_key=True),
    sa.Column("source", sa.String, primary_key=True),
    sa.Column("target", sa.String, nullable=False),
)


def make_engine(url: str | None = None) -> Engine:
    """An engine for the URL. DuckDB files are opened per connection, so other processes can write between reads."""
    url = database_url(url)
    if url.startswith("duckdb:///"):
        path = url.removeprefix("duckdb:///")
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        return sa.create_engine(url, poolclass=NullPool)
    return sa.create_engine(url, pool_pre_ping=True)


@contextlib.contextmanager
def connect(engine: Engine, write: bool = False, wait: float | None = None) -> Iterator[Connection]:
    """A connection (in a transaction when writing), waiting while another process holds the DuckDB file.

    A writing transaction also counts the data revision up, in the same commit, so every server process
    (each replica, the CLI) sees that something changed. The wait is `KOERS_LOCK_WAIT` seconds (30 unless set).
    """
    deadline = time.monotonic() + (float(os.environ.get("KOERS_LOCK_WAIT", "30")) if wait is None else wait)
    while True:
        try:
            conn = engine.connect()
            break
        except sa.exc.DBAPIError as exc:
            if unreachable(engine, exc):
                raise DatabaseUnreachable(str(engine.url.database)) from exc
            if not is_lock_error(exc):
                raise
            if time.monotonic() >= deadline:
                raise DatabaseBusy(str(engine.url.database)) from exc
            time.sleep(0.2)
    try:
        with conn:
            if write:
                with conn.begin():
                    yield conn
                    _count_revision(conn)
            else:
                yield conn
    except sa.exc.DBAPIError as exc:
        if unreachable(engine, exc):
            raise DatabaseUnreachable(str(engine.url.database)) from exc
        raise


def take_turn(conn: Connection) -> None:
    """Wait until other writing transactions on a PostgreSQL server have committed (DuckDB has one writer).

    An import's refresh of a date's neighbours must see every import committed before it, or two imports of
    adjacent months on two replicas would each miss the other's month. Locking the revision row, which every
    write updates anyway, makes the writers take turns."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.select(revision.c.revision).where(revision.c.id == 1).with_for_update())


def _count_revision(conn: Connection) -> None:
    bumped = conn.execute(revision.update().where(revision.c.id == 1).values(revision=revision.c.revision + 1))
    if not bumped.rowcount:
        conn.execute(revision.insert().values(id=1, revision=1))


def file_stamp(engine: Engine) -> tuple[int, ...] | None:
    """When a DuckDB file and its write-ahead log last changed; None for a server database.

    Reading does not touch the file, so an unchanged stamp means no import has landed since.
    """
    path = engine.url.database
    if engine.dialect.name != "duckdb" or not path or path == ":memory:":
        return None
    stamp: list[int] = []
    for part in (Path(path), Path(path + ".wal")):
        info = part.stat() if part.exists() else None
        stamp += [info.st_mtime_ns, info.st_size] if info else [0, 0]
    return tuple(stamp)


def data_version(conn: Connection) -> int:
    """Changes with every write (an import, an undo, a target or a scenario), from whichever process:
    the cache key that lets every replica see new data without a restart."""
    return int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(revision.c.revision), 0))).scalar())
