"""Settings kept as data: paths, the database and the privacy thresholds (the shared names are in vocab.py)."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "DATA_DIR",
    "DEFAULT_DB_PATH",
    "DEFAULT_MIN_SURVEY_CELL",
    "DEFAULT_MIN_WORKFORCE_CELL",
    "FLOOR_SURVEY_CELL",
    "FLOOR_WORKFORCE_CELL",
    "PACKAGE_DIR",
    "PROJECT_DIR",
    "database_url",
    "min_survey_cell",
    "min_workforce_cell",
]

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
DATA_DIR = PROJECT_DIR / "data"
DEFAULT_DB_PATH = DATA_DIR / "koers.duckdb"

DEFAULT_MIN_WORKFORCE_CELL = 5
DEFAULT_MIN_SURVEY_CELL = 10
FLOOR_WORKFORCE_CELL = 3
FLOOR_SURVEY_CELL = 5


def database_url(explicit: str | None = None) -> str:
    """The database to use: an explicit URL, else KOERS_DATABASE_URL, else the embedded DuckDB file."""
    return explicit or os.environ.get("KOERS_DATABASE_URL") or f"duckdb:///{DEFAULT_DB_PATH}"


def min_workforce_cell() -> int:
    """The workforce minimum group size, never below the floor."""
    return max(FLOOR_WORKFORCE_CELL, int(os.environ.get("KOERS_MIN_WORKFORCE_CELL", DEFAULT_MIN_WORKFORCE_CELL)))


def min_survey_cell() -> int:
    """The survey minimum group size, never below the floor."""
    return max(FLOOR_SURVEY_CELL, int(os.environ.get("KOERS_MIN_SURVEY_CELL", DEFAULT_MIN_SURVEY_CELL)))
