"""What a failed connection means: another process holds the embedded file, or the server cannot be reached."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Engine

__all__ = ["DatabaseBusy", "DatabaseUnreachable", "is_lock_error", "unreachable"]


class DatabaseBusy(RuntimeError):
    """Another process holds the embedded database file."""


class DatabaseUnreachable(RuntimeError):
    """The database server cannot be reached or dropped the connection (a restart, a failover): a moment's wait."""


def unreachable(engine: Engine, exc: BaseException) -> bool:
    """A server database that refused or lost the connection; the pool's pre-ping reconnects on the next use."""
    lost = isinstance(exc, sa.exc.DBAPIError) and exc.connection_invalidated
    return engine.dialect.name != "duckdb" and (lost or isinstance(exc, sa.exc.OperationalError))


def is_lock_error(exc: BaseException) -> bool:
    text = str(exc)
    return "Could not set lock" in text or "Conflicting lock" in text
