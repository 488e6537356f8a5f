"""The input formats of docs/formats.md as data: columns, aliases, types and keys."""

from __future__ import annotations

from dataclasses import dataclass

from di_metrics.models.names import NAME_DIMENSIONS
from di_metrics.vocab import CIVILIAN, DIMENSIONS, MILITARY

__all__ = [
    "BENCHMARK_MEASURES",
    "BOOL_CODES",
    "CATEGORY_CODES",
    "FORMATS",
    "GENDER_CODES",
    "MEASURE_STATUSES",
    "REPORT_KIND_CODES",
    "Column",
    "Format",
]


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # date, text, gender, category, int, count, pct, float, weight, bool, wave
    required: bool = False
    aliases: tuple[str, ...] = ()
    blank_ok: bool = False  # a required column whose cells may still be blank
    choices: tuple[str, ...] = ()  # a text column that takes only these values


@dataclass(frozen=True)
class Format:
    kind: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    open_columns: bool = False  # survey responses: every other column is an item

    def lookup(self) -> dict[str, str]:
        """Every accepted spelling of a column name, lower case, to its canonical name."""
        names = {}
        for col in self.columns:
            for alias in (col.name, *col.aliases):
                names[alias.lower()] = col.name
        return names


_DIMS = (
    Column("branch", "text", aliases=("krijgsmachtdeel",)),
    Column("personnel_category", "category", aliases=("categorie",)),
    Column("rank_group", "text", aliases=("rang_groep",)),
    Column("org_unit", "text", aliases=("eenheid",)),
)
assert tuple(c.name for c in _DIMS) == DIMENSIONS
_GENDER = Column("gender", "gender", aliases=("geslacht",))

FORMATS: dict[str, Format] = {
    "workforce": Format(
        "workforce",
        (
            Column("snapshot_date", "date", True, ("peildatum",)),
            Column("person_id", "text", True),
            Column("gender", "gender", True, ("geslacht",), blank_ok=True),
            Column("org_unit", "text", True, ("eenheid",)),
            *(c for c in _DIMS if c.name != "org_unit"),
            Column("birth_year", "int"),
            Column("hire_date", "date"),
        ),
        key=("snapshot_date", "person_id"),
    ),
    "headcount": Format(
        "headcount",
        (
            Column("snapshot_date", "date", True, ("peildatum",)),
            Column("gender", "gender", True, ("geslacht",)),
            Column("headcount", "count", True),
            Column("hires", "count"),
            Column("exits", "count"),
            *_DIMS,
        ),
        key=("snapshot_date", "gender", *DIMENSIONS),
    ),
    "items": Format(
        "items",
        (
            Column("item", "text", True),
            Column("construct", "text", True),
            Column("text_nl", "text"),
            Column("text_en", "text"),
            Column("scale_min", "int", True),
            Column("scale_max", "int", True),
            Column("favourable_min", "int", True),
            Column("reverse", "bool"),
        ),
        key=("item",),
    ),
    "survey": Format(
        "survey",
        (
            Column("wave", "wave", True),
            Column("respondent_id", "text", True),
            _GENDER,
            *_DIMS,
            Column("weight", "weight"),
        ),
        key=("wave", "respondent_id"),
        open_columns=True,
    ),
    "survey-results": Format(
        "survey-results",
        (
            Column("wave", "wave", True),
            Column("measure", "text", True),
            Column("n", "count", True, blank_ok=True),
            Column("pct_favourable", "pct", True, blank_ok=True),
            Column("mean", "float"),
            _GENDER,
            *_DIMS,
        ),
        key=("wave", "measure", "gender", *DIMENSIONS),
    ),
    "indicators": Format(
        "indicators",
        (
            Column("indicator", "text", True),
            Column("date", "date", True),
            Column("value", "float", True),
            Column("numerator", "float"),
            Column("denominator", "float"),
            *_DIMS,
        ),
        key=("indicator", "date", *DIMENSIONS),
    ),
    "reports": Format(
        "reports",
        (
            Column("year", "int", True),
            Column("category", "text", True),
            Column("count", "count", True),
            *_DIMS,
            Column("kind", "report_kind", aliases=("soort",)),
        ),
        key=("year", "category", *DIMENSIONS),
    ),
}

# What a benchmark row measures: a share of women, or a yearly attrition rate by gender, all in percent.
BENCHMARK_MEASURES = ("women_share_strength", "women_share_intake", "attrition_women", "attrition_men")
MEASURE_STATUSES = ("planned", "running", "completed", "stopped")

FORMATS["benchmarks"] = Format(
    "benchmarks",
    (
        Column("peer", "text", True, ("organisation", "organisatie")),
        Column("population", "text", True, ("populatie",)),
        Column("date", "date", aliases=("reference_date", "peildatum")),
        Column("year", "int", aliases=("jaar",)),
        Column("measure", "text", True, ("maat",), choices=BENCHMARK_MEASURES),
        Column("value", "pct", True, ("waarde",)),
        Column("source", "text", True, ("bron",)),
        Column("url", "text", aliases=("source_url",)),
        Column("needs_verification", "bool", aliases=("te_controleren",)),
        Column("notes", "text", aliases=("toelichting",)),
    ),
    key=("peer", "population", "measure", "year", "date", "source"),
)
FORMATS["measures"] = Format(
    "measures",
    (
        Column("name", "text", True, ("naam", "maatregel")),
        Column("start_date", "date", True, ("start", "startdatum")),
        Column("end_date", "date", aliases=("end", "einddatum")),
        Column("owner", "text", aliases=("eigenaar",)),
        *_DIMS,
        Column("indicator", "text", True),
        Column("status", "text", True, choices=MEASURE_STATUSES),
    ),
    key=("name",),
)
FORMATS["names"] = Format(
    "names",
    (
        Column("dimension", "text", True, ("dimensie",), choices=NAME_DIMENSIONS),
        Column("code", "text", True),
        Column("name_nl", "text", aliases=("naam_nl",)),
        Column("name_en", "text", aliases=("naam_en",)),
    ),
    key=("dimension", "code"),
)

GENDER_CODES = {
    "f": "F",
    "v": "F",
    "vrouw": "F",
    "female": "F",
    "woman": "F",
    "m": "M",
    "man": "M",
    "male": "M",
    "x": "X",
    "other": "X",
    "anders": "X",
}
CATEGORY_CODES = {MILITARY: MILITARY, "militair": MILITARY, CIVILIAN: CIVILIAN, "burger": CIVILIAN}
REPORT_KIND_CODES = {
    "social_safety": "social_safety",
    "sociale_veiligheid": "social_safety",
    "social safety": "social_safety",
    "sociale veiligheid": "social_safety",
    "integrity": "integrity",
    "integriteit": "integrity",
}
BOOL_CODES = {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False, "ja": True, "nee": False}
