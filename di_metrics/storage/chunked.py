"""A large workforce Parquet file imported in chunks: memory follows the chunk, not the file; all or nothing.

Each chunk is read, checked by the same rules as a whole file, and written to a staging table inside the
import's one transaction. The rules that look across rows (one row per person and date, dates already
stored) are checked on the staging table in SQL; only then do the rows move into the snapshot table, sorted.
A broken rule anywhere, or a killed process, rolls the whole transaction back: nothing is written.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from di_metrics.errors import InvalidInput, Problem
from di_metrics.storage import store
from di_metrics.storage.bulk import insert_frame
from di_metrics.storage.formats import FORMATS
from di_metrics.storage.parsing import parquet_text_chunks
from di_metrics.storage.validation import FIRST_DATA_LINE, parse_frame

__all__ = [
    "DUCKDB_IMPORT_MEMORY",
    "check_key",
    "declared_rows",
    "duckdb_memory",
    "move_staged",
    "stage_file",
    "stage_table",
    "staged_dates",
    "streams",
]

DUCKDB_IMPORT_MEMORY = "1GB"  # DuckDB spills its sorts and the staging table to disk beyond this


def streams(kind: str, data: bytes, name: str, mapping: dict[str, str]) -> bool:
    """Whether a file is read in chunks: a workforce Parquet file whose date columns are typed as dates.

    Dates stored as text are read whole, since whether 03-04-2024 is day-first is decided over the column."""
    if kind != "workforce" or Path(name).suffix.lower() != ".parquet":
        return False
    try:
        schema = pq.ParquetFile(io.BytesIO(data)).schema_arrow
    except Exception:  # a damaged file: the whole-file reader reports it
        return False
    lookup = FORMATS[kind].lookup()
    kinds = {c.name: c.kind for c in FORMATS[kind].columns}
    for field in schema:
        source = str(field.name).strip().lower()
        column = lookup.get(mapping.get(source, source), mapping.get(source, source))
        if kinds.get(column) == "date" and not (
            str(field.type).startswith(("date", "timestamp")) or str(field.type) == "null"
        ):
            return False
    return True


def declared_rows(data: bytes) -> int:
    return int(pq.ParquetFile(io.BytesIO(data)).metadata.num_rows)


def stage_table() -> sa.Table:
    """The snapshot table's columns, without the batch, with the line each row came from. Temporary, and private
    to the import's connection: dropped once its rows have moved, gone with a rollback or a killed process.
    (An ordinary table on DuckDB was tried: the import's peak memory stayed the same, 6.7 GB at
    57M rows, as it is the transaction that holds the new rows until commit, and the file kept its freed blocks.)"""
    cols = [sa.Column(c.name, c.type) for c in store.workforce_snapshot.columns if c.name != "batch_id"]
    return sa.Table("koers_stage", sa.MetaData(), *cols, sa.Column("line", sa.BigInteger), prefixes=["TEMPORARY"])


def stage_file(conn: Connection, stage: sa.Table, data: bytes, name: str, mapping: dict[str, str]) -> int:
    """Check every chunk by the file rules and write it to the staging table; raises InvalidInput naming every
    broken rule (lines counted over the whole file) and then writes nothing more. Returns the rows staged."""
    fmt, found, rows = FORMATS["workforce"], {}, 0
    for before, raw in parquet_text_chunks(data, name):
        try:
            frame = parse_frame(raw.rename(columns=mapping), fmt, name, check_key=False)
        except InvalidInput as exc:
            for p in exc.problems:
                lines = found.setdefault((p.column, p.code, json.dumps(p.params, sort_keys=True)), [])
                lines.extend(n + before for n in p.lines)
            if any(not p.lines for p in exc.problems):
                break  # a rule about the columns: every chunk would break it again
            continue
        if not found:
            insert_frame(
                conn, stage, frame.assign(line=range(before + FIRST_DATA_LINE, before + FIRST_DATA_LINE + len(frame)))
            )
        rows += len(frame)
    if found:
        merged = [Problem(col, code, tuple(lines), json.loads(params)) for (col, code, params), lines in found.items()]
        raise InvalidInput(name, merged)
    if rows == 0:
        raise InvalidInput(name, [Problem(None, "no_data_rows")])
    return rows


def check_key(conn: Connection, stage: sa.Table, name: str) -> None:
    """One row per person and snapshot date over the whole file, checked in SQL on the staging table."""
    key = [stage.c[k] for k in FORMATS["workforce"].key]
    twice = sa.select(sa.literal(1)).select_from(stage).group_by(*key).having(sa.func.count() > 1).limit(1)
    if conn.execute(twice).first() is None:
        return
    counted = sa.select(stage.c.line, sa.func.count().over(partition_by=key).label("n")).subquery()
    lines = conn.execute(sa.select(counted.c.line).where(counted.c.n > 1).order_by(counted.c.line)).scalars()
    key_name = ", ".join(FORMATS["workforce"].key)
    raise InvalidInput(name, [Problem(key_name, "duplicate_key", tuple(int(n) for n in lines))])


def staged_dates(conn: Connection, stage: sa.Table) -> set[dt.date]:
    return set(conn.execute(sa.select(stage.c.snapshot_date).distinct()).scalars())


def move_staged(conn: Connection, stage: sa.Table, batch_id: int) -> None:
    """The staged rows into the snapshot table, sorted by date and person (see `bulk.insert_frame`)."""
    cols = [c.name for c in stage.columns if c.name != "line"]
    conn.execute(
        store.workforce_snapshot.insert().from_select(
            [*cols, "batch_id"],
            sa.select(*(stage.c[c] for c in cols), sa.literal(batch_id, sa.Integer)).order_by(stage.c.snapshot_date),
        )
    )
    stage.drop(conn)


class duckdb_memory:
    """On DuckDB, a memory limit for the import's own work (sorts and staging spill to disk beyond it), and no
    progress bar drawn on the terminal of a command-line import."""

    def __init__(self, conn: Connection) -> None:
        self.raw = conn.connection.driver_connection if conn.dialect.name == "duckdb" else None

    def __enter__(self) -> None:
        if self.raw is not None:
            self.before = self.raw.execute("SELECT current_setting('memory_limit')").fetchone()[0]
            self.raw.execute(f"SET memory_limit = '{DUCKDB_IMPORT_MEMORY}'")
            self.raw.execute("SET enable_progress_bar = false")

    def __exit__(self, *exc: object) -> None:
        if self.raw is not None:
            self.raw.execute(f"SET memory_limit = '{self.before}'")
