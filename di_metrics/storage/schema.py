"""Making a database ready: the tables created on first use, and a database made by an earlier version brought
up to date (columns and indexes added since, outcomes stored as words rewritten as codes)."""

from __future__ import annotations

import json

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from di_metrics.storage.careers import CAREER_TABLES, rebuild_careers
from di_metrics.storage.store import (
    ADDED_COLUMNS,
    SERVER_INDEXES,
    connect,
    import_log,
    md,
    schema_version,
    snapshot_calendar,
    workforce_snapshot,
)

__all__ = ["SCHEMA_VERSION", "current_schema_version", "ensure_schema"]

SCHEMA_VERSION = 1


def ensure_schema(engine: Engine) -> None:
    """Create the tables on first use and record the schema version; a complete database is only read."""
    with connect(engine) as conn:
        tables = set(sa.inspect(conn).get_table_names())
        complete = set(md.tables) <= tables and current_schema_version(conn)
        calendar_missing = workforce_snapshot.name in tables and snapshot_calendar.name not in tables
        careers_missing = workforce_snapshot.name in tables and any(t.name not in tables for t in CAREER_TABLES)
        indexes_missing = bool(_missing_indexes(conn))
    if complete:
        _add_missing_columns(engine)
        _migrate_import_outcomes(engine)
        if not indexes_missing:
            return
    with connect(engine, write=True) as conn:
        md.create_all(conn)
        if calendar_missing:  # a database made before the calendar was kept: filled once from its snapshots
            dates = sa.select(workforce_snapshot.c.snapshot_date).distinct()
            conn.execute(snapshot_calendar.insert().from_select(["snapshot_date"], dates))
        if careers_missing:  # a database made before the career summaries: filled once from its snapshots
            rebuild_careers(conn)
        for index in _missing_indexes(conn):
            index.create(conn)
        if conn.execute(sa.select(sa.func.count()).select_from(schema_version)).scalar() == 0:
            conn.execute(schema_version.insert().values(version=SCHEMA_VERSION))


def _missing_indexes(conn: Connection) -> list[sa.Index]:
    """The server indexes a PostgreSQL database made by an earlier version lacks (none on DuckDB)."""
    if conn.dialect.name != "postgresql":
        return []
    inspector = sa.inspect(conn)
    tables = set(inspector.get_table_names())
    have = {i["name"] for t in {x.table.name for x in SERVER_INDEXES} & tables for i in inspector.get_indexes(t)}
    return [i for i in SERVER_INDEXES if i.name not in have and i.table.name in tables]


def _add_missing_columns(engine: Engine) -> None:
    """ALTER TABLE for the columns added since a database was made (reflection is unreliable, so probe)."""
    for table, column, sql_type in ADDED_COLUMNS:
        if _has_column(engine, table, column):
            continue
        try:
            with connect(engine, write=True) as conn:
                conn.execute(sa.text(f"ALTER TABLE {table.name} ADD COLUMN {column} {sql_type}"))
        except sa.exc.DBAPIError:
            if not _has_column(engine, table, column):  # another process may have added it just now
                raise


def _migrate_import_outcomes(engine: Engine) -> None:
    """Rewrite the English outcomes an older version stored ("undone by X", "replaced by a rebuild") as codes.

    Runs once per database: afterwards no such row is left, and the check is one small read.
    """
    log = import_log
    legacy = sa.or_(log.c.result.like("undone by %"), log.c.result == "replaced by a rebuild")
    with connect(engine) as conn:
        if not conn.execute(sa.select(sa.func.count()).select_from(log).where(legacy)).scalar():
            return
    with connect(engine, write=True) as conn:
        rows = conn.execute(sa.select(log.c.id, log.c.result).where(legacy)).all()
        for row_id, result in rows:
            if result == "replaced by a rebuild":
                conn.execute(log.update().where(log.c.id == row_id).values(result="replaced"))
            else:
                user = json.dumps({"user": result.removeprefix("undone by ")})
                conn.execute(log.update().where(log.c.id == row_id).values(result="undone", detail=user))


def _has_column(engine: Engine, table: sa.Table, column: str) -> bool:
    with connect(engine) as conn:
        try:
            conn.execute(sa.select(table.c[column]).limit(0))
            return True
        except sa.exc.DBAPIError:
            conn.rollback()
            return False


def current_schema_version(conn: Connection) -> int:
    """The stored schema version."""
    return int(conn.execute(sa.select(sa.func.max(schema_version.c.version))).scalar() or 0)
