"""Settings kept as data: paths, dimensions, rank order and privacy thresholds."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "BRANCHES",
    "CIVILIAN_SCALES",
    "DATA_DIR",
    "DEFAULT_DB_PATH",
    "DEFAULT_MIN_SURVEY_CELL",
    "DEFAULT_MIN_WORKFORCE_CELL",
    "DIMENSIONS",
    "FINE_DIMENSIONS",
    "FLOOR_SURVEY_CELL",
    "FLOOR_WORKFORCE_CELL",
    "GENDERS",
    "MILITARY_RANKS",
    "PACKAGE_DIR",
    "PROJECT_DIR",
    "RANK_ORDER",
    "database_url",
    "min_survey_cell",
    "min_workforce_cell",
]

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
DATA_DIR = PROJECT_DIR / "data"
DEFAULT_DB_PATH = DATA_DIR / "koers.duckdb"

GENDERS = ("F", "M", "X")

# Dimensions a user may filter or break down by: the allow-list for every query.
DIMENSIONS = ("branch", "personnel_category", "rank_group", "org_unit")
# Dimensions whose cells are small enough to need the minimum group size.
FINE_DIMENSIONS = ("rank_group", "org_unit")

BRANCHES = ("CZSK", "CLAS", "CLSK", "KMar", "DOSCO", "DMO", "BS")
MILITARY_RANKS = ("manschappen", "onderofficieren", "officieren", "hoofdofficieren", "opperofficieren")
CIVILIAN_SCALES = ("schaal 1-6", "schaal 7-9", "schaal 10-12", "schaal 13+")
RANK_ORDER = MILITARY_RANKS + CIVILIAN_SCALES

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
