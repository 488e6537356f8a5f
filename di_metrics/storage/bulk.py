"""Fast bulk inserts inside the caller's transaction: DuckDB reads Arrow, PostgreSQL takes COPY."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import sqlalchemy as sa
from sqlalchemy.engine import Connection

__all__ = ["append_chunk", "insert_frame"]


def insert_frame(conn: Connection, table: sa.Table, frame: pd.DataFrame, order: tuple[str, ...] = ()) -> int:
    """Insert the frame's rows (columns named as the table's) and return how many were written.

    With `order`, DuckDB stores the rows sorted so (its primary-key index fills in order, and a later
    read of one date skips the blocks that cannot hold it)."""
    if frame.empty:
        return 0
    cols = [c.name for c in table.columns if c.name in frame.columns]
    frame = frame[cols]
    dialect = conn.dialect.name
    if dialect == "duckdb":
        arrow = pa.Table.from_pandas(frame, preserve_index=False)
        raw = conn.connection.driver_connection
        raw.register("_koers_bulk", arrow)
        try:
            col_list = _quoted(cols)
            sort = f" ORDER BY {_quoted(order)}" if order else ""
            raw.execute(f'INSERT INTO "{table.name}" ({col_list}) SELECT {col_list} FROM _koers_bulk{sort}')
        finally:
            raw.unregister("_koers_bulk")
    elif dialect == "postgresql":
        raw = conn.connection.driver_connection
        col_list = ", ".join(f'"{c}"' for c in cols)
        with raw.cursor() as cur, cur.copy(f'COPY "{table.name}" ({col_list}) FROM STDIN') as copy:
            cells = frame.astype(object).where(frame.notna(), None)  # missing values as NULL, once per frame
            for row in cells.itertuples(index=False, name=None):
                copy.write_row(row)
    else:
        records = frame.astype(object).where(frame.notna(), None).to_dict("records")
        conn.execute(table.insert(), records)
    return len(frame)


def append_chunk(conn: Connection, table: sa.Table, frame: pd.DataFrame, order: tuple[str, ...]) -> int:
    """One chunk of a long import transaction. On DuckDB it is sorted here and read from a temporary Parquet
    file: DuckDB keeps every Python object a statement read, and an INSERT's sort, until the transaction ends,
    so chunks passed as Arrow (as `insert_frame` does) were all held until commit; read from a file, none is."""
    if conn.dialect.name != "duckdb" or frame.empty:
        return insert_frame(conn, table, frame, order)
    cols = [c.name for c in table.columns if c.name in frame.columns]
    arrow = pa.Table.from_pandas(frame.sort_values(list(order))[cols], preserve_index=False)
    with tempfile.TemporaryDirectory(prefix="koers-chunk-") as folder:
        path = Path(folder) / "chunk.parquet"
        pq.write_table(arrow, path, compression="none")
        del arrow
        col_list = _quoted(cols)
        conn.connection.driver_connection.execute(
            f"INSERT INTO \"{table.name}\" ({col_list}) SELECT {col_list} FROM read_parquet('{path}')"
        )
    return len(frame)


def _quoted(columns: list[str] | tuple[str, ...]) -> str:
    return ", ".join(f'"{c}"' for c in columns)
