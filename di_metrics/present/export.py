"""Downloads: CSV, XLSX and JSON of tables that were already made safe, escaped against formula injection.

A spreadsheet runs a cell as a formula when it starts with = + - @ (or a tab, CR or whitespace before them),
also on a line after a line break inside the cell, which a careless CSV reader turns into a row of its own. Every
such line start gets an apostrophe; control characters, which an XLSX file cannot hold, are dropped.
"""

from __future__ import annotations

import io
import json
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "FORMULA_START",
    "SHEET_MAX",
    "csv_bytes",
    "escape_formulas",
    "file_name",
    "json_text",
    "safe_text",
    "sheet_name",
    "strict",
    "strip_control",
    "whole_numbers",
    "xlsx_bytes",
]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
# A formula may hide behind whitespace (spaces, a no-break space, a byte order mark) that a reader trims,
# and a line may also break at U+2028, U+2029 or NEL, as str.splitlines and some readers do.
_FORMULA_AHEAD = r"(?=[=+\-@\t]|[\s\ufeff]*[=+\-@])"
_LINE_START = re.compile(r"(\r\n|\r|\n|\u2028|\u2029|\x85)" + _FORMULA_AHEAD)
_FORMULA_FIRST = re.compile(_FORMULA_AHEAD)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_MAX = 31
FILE_NAME_MAX = 120


def strip_control(value: str) -> str:
    """Text without the control characters that XML (and so XLSX and PPTX) cannot hold."""
    return _CONTROL.sub("", value)


def safe_text(value: str) -> str:
    """A text cell no spreadsheet runs: no control characters, and no line that starts a formula."""
    value = _LINE_START.sub(r"\1'", strip_control(value))
    return "'" + value if value.startswith(FORMULA_START) or _FORMULA_FIRST.match(value) else value


def escape_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Every text cell and column name made safe with safe_text; numbers stay numbers."""
    out = frame.copy()
    out.columns = [safe_text(c) if isinstance(c, str) else c for c in out.columns]
    for i in range(out.shape[1]):
        col = out.iloc[:, i]
        if col.dtype == object or pd.api.types.is_string_dtype(col):
            out.isetitem(i, col.map(lambda v: safe_text(v) if isinstance(v, str) else v))
    return out


def sheet_name(name: str) -> str:
    """A name Excel accepts for a sheet: no []:*?/\\ or control characters, not quoted, 1 to 31 characters."""
    cleaned = _SHEET_FORBIDDEN.sub("_", _CONTROL.sub("", str(name))).strip().strip("'")
    cleaned = cleaned[:SHEET_MAX].strip()
    return "Koers" if not cleaned or cleaned.lower() == "history" else cleaned


def whole_numbers(frame: pd.DataFrame) -> pd.DataFrame:
    """Float columns that hold only whole numbers (a headcount with a hidden cell is float) as integers,
    so a download says 3836, never 3836.0; a missing value stays missing."""
    out = frame.copy()
    for i in range(out.shape[1]):
        values = out.iloc[:, i]
        if pd.api.types.is_float_dtype(values):
            present = values.dropna().astype(float)
            if len(present) and (present == present.round()).all() and present.abs().max() < 2**53:
                out.isetitem(i, values.round().astype("Int64"))
    return out


def file_name(*parts: object, filters: Mapping[str, Sequence[str]] | None = None) -> str:
    """A download's file name after its view and its filters (`koers-breakdown-org_unit-2025-12-31-CLAS`):
    letters, digits, `_` and `-` only, so every system and browser keeps it as it is."""
    chosen = [v for values in (filters or {}).values() for v in values]
    words = [re.sub(r"[^A-Za-z0-9_-]+", "_", str(p)).strip("_-") for p in ("koers", *parts, *chosen)]
    return "-".join(w for w in words if w)[:FILE_NAME_MAX].rstrip("-_")


def csv_bytes(frame: pd.DataFrame, lang: str) -> bytes:
    """CSV the way the language's spreadsheet opens it: `;` and decimal commas in Dutch.

    Rows end in CRLF (RFC 4180): Python's CSV writer quotes a cell only for the characters of its line
    ending, so with a bare LF a CR inside a cell would go out unquoted and start a new row.
    """
    sep, decimal = (";", ",") if lang == "nl" else (",", ".")
    text = escape_formulas(whole_numbers(frame)).to_csv(index=False, sep=sep, decimal=decimal, lineterminator="\r\n")
    return text.encode("utf-8-sig")


def xlsx_bytes(frame: pd.DataFrame, sheet: str = "Koers") -> bytes:
    """An Excel workbook with one sheet."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        escape_formulas(whole_numbers(frame)).to_excel(writer, index=False, sheet_name=sheet_name(sheet))
    return buffer.getvalue()


def strict(value: Any) -> Any:
    """A document with every NaN, infinity and missing value as None, so JSON stays JSON."""
    if isinstance(value, dict):
        return {k: strict(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [strict(v) for v in value]
    if isinstance(value, float | np.floating) and not math.isfinite(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    return value


def json_text(doc: Any) -> str:
    """Strict JSON (no NaN or Infinity, which JSON does not have) for `--json`."""
    return json.dumps(strict(doc), ensure_ascii=False, default=str, allow_nan=False)
