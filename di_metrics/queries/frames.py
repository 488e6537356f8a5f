"""Query results as small frames, the same on DuckDB and PostgreSQL (dates as datetime.date)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

__all__ = ["as_date", "frame"]


def frame(conn: Connection, query: sa.Select, columns: list[str]) -> pd.DataFrame:
    """A query's rows as a frame; dates as datetime.date whatever the driver gives."""
    if conn.dialect.name == "duckdb":
        return _duckdb_frame(conn, query, columns)
    rows = conn.execute(query).all()
    out = pd.DataFrame([tuple(r) for r in rows], columns=columns)
    if "date" in out.columns:
        out["date"] = [as_date(d) for d in out["date"]]
    return out


def _duckdb_frame(conn: Connection, query: sa.Select, columns: list[str]) -> pd.DataFrame:
    """On DuckDB, the same statement with the same bound parameters, fetched as Arrow columns: building Python
    tuples row by row and converting each date cost more than the query itself (thousands of rows a page)."""
    compiled = query.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    params = [compiled.params[name] for name in compiled.positiontup or ()]
    table = conn.connection.driver_connection.sql(str(compiled), params=params).to_arrow_table()
    return table.rename_columns(columns).to_pandas(date_as_object=True)  # DATE as datetime.date, as below


def as_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return pd.Timestamp(value).date()
