"""A large workforce Parquet file imported in chunks: memory follows the chunk, not the file; all or nothing.

Each chunk is read, checked by the same rules as a whole file, and written straight into the snapshot table
inside the import's one transaction (no staging table: a first import holds each row once, not twice). Every
rule runs over every chunk, so one pass names every problem. A key written by an earlier chunk is found in SQL:
on PostgreSQL, whose primary key would refuse it, before the chunk is written (the chunk's keys, in a
temporary table of one chunk, joined to the rows this batch wrote); on DuckDB, which has no key index, in one
aggregation over the batch's rows at the end. Those keys' lines are then found in a second read of the key
columns, only when there are any. A broken rule anywhere, or a killed process, rolls the whole transaction
back: nothing is written.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.compute as pc
import pyarrow.parquet as pq
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from di_metrics.errors import InvalidInput, Problem
from di_metrics.storage import store
from di_metrics.storage.bulk import append_chunk, insert_frame
from di_metrics.storage.formats import FORMATS
from di_metrics.storage.parsing import parquet_text_chunks
from di_metrics.storage.validation import FIRST_DATA_LINE, check_frame
from di_metrics.storage.writers import replace_stored

__all__ = [
    "DUCKDB_IMPORT_MEMORY",
    "NAMED_KEYS",
    "declared_rows",
    "duckdb_memory",
    "file_dates",
    "import_chunks",
    "key_table",
    "streams",
]

DUCKDB_IMPORT_MEMORY = "1GB"  # DuckDB spills its sorts and joins to disk beyond this
NAMED_KEYS = 100_000  # keys seen twice across chunks whose lines are named: bounds the memory a bad file costs
KEY = tuple(FORMATS["workforce"].key)
Found = dict[tuple[str | None, str, str], list[int]]


def streams(kind: str, data: bytes, name: str, mapping: dict[str, str]) -> bool:
    """Whether a file is read in chunks: a workforce Parquet file whose date columns are typed as dates.

    Dates stored as text are read whole, since whether 03-04-2024 is day-first is decided over the column."""
    if kind != "workforce" or Path(name).suffix.lower() != ".parquet":
        return False
    try:
        schema = pq.ParquetFile(io.BytesIO(data)).schema_arrow
    except Exception:  # a damaged file: the whole-file reader reports it
        return False
    kinds = {c.name: c.kind for c in FORMATS[kind].columns}
    for field in schema:
        if kinds.get(_target(field.name, mapping)) == "date" and not (
            str(field.type).startswith(("date", "timestamp")) or str(field.type) == "null"
        ):
            return False
    return True


def _target(source: str, mapping: dict[str, str]) -> str:
    """The format's name for a file's column, through the remembered mapping and the aliases."""
    source = str(source).strip().lower()
    return FORMATS["workforce"].lookup().get(mapping.get(source, source), mapping.get(source, source))


def declared_rows(data: bytes) -> int:
    return int(pq.ParquetFile(io.BytesIO(data)).metadata.num_rows)


def file_dates(data: bytes, mapping: dict[str, str]) -> set[dt.date]:
    """The file's distinct snapshot dates, read from that one column batch by batch (before any row is written,
    so stored dates are refused or cleared first)."""
    file = pq.ParquetFile(io.BytesIO(data))
    source = [f.name for f in file.schema_arrow if _target(f.name, mapping) == "snapshot_date"]
    if len(source) != 1:
        return set()  # missing or doubled: the chunks' column rules say so
    dates: set[dt.date] = set()
    for batch in file.iter_batches(columns=source):
        for value in pc.unique(batch.column(0)).to_pylist():
            if value is not None:
                dates.add(value.date() if isinstance(value, dt.datetime) else value)
    return dates


def key_table() -> sa.Table:
    """One chunk's keys, to find in SQL the ones an earlier chunk wrote. Temporary, private to the import's
    connection, emptied after each chunk: it holds one chunk, never the file."""
    snap = store.workforce_snapshot
    return sa.Table(
        "koers_chunk_keys", sa.MetaData(), *(sa.Column(k, snap.c[k].type) for k in KEY), prefixes=["TEMPORARY"]
    )


def import_chunks(
    conn: Connection, data: bytes, name: str, mapping: dict[str, str], batch_id: int, replace: bool
) -> tuple[int, set[dt.date], tuple[str, ...]]:
    """Check every chunk by every rule and write its rows to the snapshot table; raises InvalidInput naming
    every broken rule over the whole file (lines counted over the file), after which the caller's transaction
    rolls back. Returns the rows written, the dates they cover and the stored dates replaced."""
    found: Found = {}
    dates = file_dates(data, mapping)
    replaced = _clear_dates(conn, dates, name, replace, found)
    keys, twice, rows = key_table(), set(), 0
    keys.create(conn)
    for before, raw in parquet_text_chunks(data, name):
        frame, problems = check_frame(raw.rename(columns=mapping), FORMATS["workforce"], name)
        _merge(found, problems, before)
        if frame.columns.empty:
            break  # a doubled column: every chunk would say so again
        if all(k in frame.columns for k in KEY):
            fresh = _fresh_rows(conn, keys, frame, batch_id, twice)
            append_chunk(conn, store.workforce_snapshot, frame[fresh].assign(batch_id=batch_id), KEY)
        rows += len(frame)
    keys.drop(conn)
    if conn.dialect.name == "duckdb":
        twice = _twice_in_batch(conn, batch_id)
    if twice:
        _merge(found, [Problem(", ".join(KEY), "duplicate_key", _lines_of(data, name, mapping, twice))], 0)
    if found:
        raise InvalidInput(
            name, [Problem(c, code, tuple(sorted(set(n))), json.loads(p)) for (c, code, p), n in found.items()]
        )
    if rows == 0:
        raise InvalidInput(name, [Problem(None, "no_data_rows")])
    return rows, dates, replaced


def _merge(found: Found, problems: list[Problem], before: int) -> None:
    """A chunk's problems into the file's, one per column, rule and values, lines counted over the file."""
    for p in problems:
        lines = found.setdefault((p.column, p.code, json.dumps(p.params, sort_keys=True)), [])
        lines.extend(n + before for n in p.lines)


def _clear_dates(conn: Connection, dates: set[dt.date], name: str, replace: bool, found: Found) -> tuple[str, ...]:
    """Stored dates replaced when asked; else refused, as a problem among the file's others. The refused dates
    are cleared too, so the key check below meets only this file's rows: the refusal rolls the clearing back."""
    snap = store.workforce_snapshot
    try:
        return replace_stored(conn, snap, "snapshot_date", sorted(dates), name, replace)
    except InvalidInput as refused:
        _merge(found, refused.problems, 0)
        replace_stored(conn, snap, "snapshot_date", sorted(dates), name, True)
        return ()


def _fresh_rows(conn: Connection, keys: sa.Table, frame: pd.DataFrame, batch_id: int, twice: set) -> pd.Series:
    """The chunk's rows to write: a complete key, the first of its kind in the chunk (a key twice within the
    chunk is already a problem), and not written by an earlier chunk (such keys are added to `twice`)."""
    key = list(KEY)
    fresh = frame[key].notna().all(axis=1) & ~frame.duplicated(key, keep="first")
    if conn.dialect.name == "duckdb":
        return fresh  # no key index to refuse a row: `_twice_in_batch` finds them all at the end, once
    insert_frame(conn, keys, frame.loc[fresh, key])
    snap = store.workforce_snapshot
    chunk_dates = sorted(set(frame.loc[fresh, "snapshot_date"]))
    on = sa.and_(*(snap.c[k] == keys.c[k] for k in key), snap.c.batch_id == batch_id)
    seen = conn.execute(
        sa.select(*(keys.c[k] for k in key))
        .select_from(keys.join(snap, on))
        .where(snap.c.snapshot_date.in_(chunk_dates))
    ).all()
    conn.execute(keys.delete())
    if not seen:
        return fresh
    seen_set = {(d.isoformat(), p) for d, p in seen}
    twice.update(list(seen_set)[: max(0, NAMED_KEYS - len(twice))])
    pairs = pd.Series(
        [
            (d.isoformat() if d is not None else None, p)
            for d, p in zip(frame["snapshot_date"], frame["person_id"], strict=True)
        ],
        index=frame.index,
    )
    return fresh & ~pairs.isin(seen_set)


def _twice_in_batch(conn: Connection, batch_id: int) -> set[tuple[str, str]]:
    """On DuckDB, the keys this batch wrote more than once, in one aggregation over its rows (it spills to disk
    beyond the import's memory limit): cheaper than joining every chunk to all the rows before it."""
    snap = store.workforce_snapshot
    key = [snap.c[k] for k in KEY]
    twice = sa.select(*key).where(snap.c.batch_id == batch_id).group_by(*key).having(sa.func.count() > 1)
    return {(d.isoformat(), p) for d, p in conn.execute(twice.limit(NAMED_KEYS))}


def _lines_of(data: bytes, name: str, mapping: dict[str, str], twice: set[tuple[str, str]]) -> tuple[int, ...]:
    """Every line holding one of the keys seen in more than one chunk: a second read, only when there are any."""
    wanted = {f"{d}\x00{p}" for d, p in twice}
    lines: list[int] = []
    for before, raw in parquet_text_chunks(data, name):
        raw = raw.rename(columns=lambda c: _target(c, mapping))
        hit = (raw[KEY[0]] + "\x00" + raw[KEY[1]]).isin(wanted).to_numpy()
        lines.extend(int(n) + before + FIRST_DATA_LINE for n in np.flatnonzero(hit))
    return tuple(lines)


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
