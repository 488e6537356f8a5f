"""Downloads: CSV and XLSX of tables that were already made safe, escaped against formula injection."""

from __future__ import annotations

import io

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula with an apostrophe."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(lambda v: "'" + v if isinstance(v, str) and v.startswith(FORMULA_START) else v)
    return out


def csv_bytes(frame: pd.DataFrame, lang: str) -> bytes:
    """CSV the way the language's spreadsheet opens it: `;` and decimal commas in Dutch."""
    sep, decimal = (";", ",") if lang == "nl" else (",", ".")
    return escape_formulas(frame).to_csv(index=False, sep=sep, decimal=decimal).encode("utf-8-sig")


def xlsx_bytes(frame: pd.DataFrame, sheet: str = "Koers") -> bytes:
    """An Excel workbook with one sheet."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        escape_formulas(frame).to_excel(writer, index=False, sheet_name=sheet[:31])
    return buffer.getvalue()
