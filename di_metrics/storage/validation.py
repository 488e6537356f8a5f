"""Checking a file read as text against its format and converting each value to its type, reporting every
broken rule at once with the column, the lines and the rule's code."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from di_metrics.errors import InvalidInput, Problem
from di_metrics.storage.formats import BOOL_CODES, CATEGORY_CODES, GENDER_CODES, REPORT_KIND_CODES, Column, Format

__all__ = ["FIRST_DATA_LINE", "check_frame", "duplicated_keys", "parse_frame"]

FIRST_DATA_LINE = 2  # the header is line 1, as a spreadsheet numbers rows


_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")


_INT = re.compile(r"^[+-]?\d+(\.0+)?$")


_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")


def parse_frame(
    raw: pd.DataFrame, fmt: Format, name: str, items: set[str] | None = None, check_key: bool = True
) -> pd.DataFrame:
    """Rename aliases, check the columns, convert each value to its type, and check the key (unless the caller
    checks it over the whole file, as a chunked import does); raises InvalidInput naming every broken rule."""
    frame, problems = check_frame(raw, fmt, name, items, check_key)
    if problems:
        raise InvalidInput(name, problems)
    return frame


def check_frame(
    raw: pd.DataFrame, fmt: Format, name: str, items: set[str] | None = None, check_key: bool = True
) -> tuple[pd.DataFrame, list[Problem]]:
    """Every rule over every row in one pass: the columns, each value, and the key (rows whose key is
    incomplete are left to `value_required`). Returns the converted frame (a broken value is None) and the
    problems, so a caller can go on checking what spans files or chunks."""
    renamed = {c: fmt.lookup().get(c, c) for c in raw.columns}
    frame = raw.rename(columns=renamed)
    problems = _column_problems(frame, fmt, items)
    if any(p.code == "duplicate_column" for p in problems):  # a doubled name makes every value ambiguous
        return pd.DataFrame(), problems
    if frame.empty:
        return pd.DataFrame(), [*problems, Problem(None, "no_data_rows")]
    out = pd.DataFrame(index=frame.index)
    for col in fmt.columns:
        if col.name in frame.columns:
            out[col.name] = _check_column(frame[col.name], col, problems)
    known = {c.name for c in fmt.columns}
    for col in [c for c in frame.columns if c not in known] if fmt.open_columns else []:
        values, bad, rule = _convert(frame[col], "int")
        if bad.any():
            problems.append(Problem(col, rule, _lines(bad)))
        out[col] = values
    # An optional key column the file leaves out is one value for every row: compare on the key columns it has.
    required = {c.name for c in fmt.columns if c.required}
    key = [k for k in fmt.key if k in out.columns]
    if key and check_key and all(k in out.columns for k in required & set(fmt.key)):
        dup = duplicated_keys(out, key)
        if dup.any():
            problems.append(Problem(", ".join(key), "duplicate_key", _lines(dup)))
    return out.reset_index(drop=True), problems


def _check_column(text: pd.Series, col: Column, problems: list[Problem]) -> pd.Series:
    """One column's values converted, its problems added: a value that does not parse, and a parsed value out
    of range or not among the choices, each reported on its own rows so one kind never hides another."""
    values, bad, rule = _convert(text, col.kind)
    if col.required and not col.blank_ok and text.eq("").any():
        problems.append(Problem(col.name, "value_required", _lines(text.eq(""))))
    if bad.any():
        problems.append(Problem(col.name, rule, _lines(bad)))
    off, off_rule = _out_of_range(values.where(~bad), col.kind)
    if col.choices:
        off, off_rule = values.notna() & ~bad & ~values.isin(col.choices), "unknown_value"
    if off.any():
        allowed = {"allowed": list(col.choices)} if off_rule == "unknown_value" else {}
        problems.append(Problem(col.name, off_rule, _lines(off), allowed))
    broken = bad | off
    return values.where(~broken, None) if broken.any() else values


def _out_of_range(values: pd.Series, kind: str) -> tuple[pd.Series, str]:
    """Parsed values outside their kind's range (a value that did not parse is None here)."""
    off, rule = pd.Series(False, index=values.index), ""
    if kind == "count":
        off, rule = values.lt(0).fillna(False).astype(bool), "negative_count"
    if kind == "pct":
        off, rule = (values.lt(0) | values.gt(100)).fillna(False).astype(bool), "pct_range"
    if kind == "weight":
        off, rule = values.notna() & ~(np.isfinite(values) & values.gt(0)).fillna(False).astype(bool), "weight_range"
    return off, rule


def _column_problems(frame: pd.DataFrame, fmt: Format, items: set[str] | None) -> list[Problem]:
    """Columns doubled, missing, or unknown to the format (or, for open formats, to the codebook)."""
    problems = [
        Problem(col, "duplicate_column")
        for col in sorted({c for c in frame.columns if list(frame.columns).count(c) > 1})
    ]
    for col in fmt.columns:
        if col.required and col.name not in frame.columns:
            problems.append(Problem(col.name, "column_missing"))
    known = {c.name for c in fmt.columns}
    extra = [c for c in frame.columns if c not in known]
    if not fmt.open_columns:
        problems.extend(Problem(col, "unknown_column") for col in extra)
    elif items is not None:
        problems.extend(Problem(col, "not_in_codebook") for col in extra if col not in items)
    return problems


def duplicated_keys(frame: pd.DataFrame, key: list[str]) -> pd.Series:
    """Rows whose complete key appears more than once; a row missing part of its key is not compared."""
    complete = frame[key].notna().all(axis=1)
    dup = pd.Series(False, index=frame.index)
    dup[complete] = _duplicated(frame.loc[complete], key)
    return dup


def _duplicated(frame: pd.DataFrame, key: list[str]) -> pd.Series:
    """Rows whose key appears more than once, compared on integer codes rather than Python objects."""
    combined, size = np.zeros(len(frame), dtype=np.int64), 1
    for col in key:
        codes, distinct = pd.factorize(frame[col], use_na_sentinel=False)
        size *= len(distinct) + 1
        if size >= 2**62:  # too many combinations for one integer: compare the values themselves
            return frame.duplicated(subset=key, keep=False)
        combined = combined * (len(distinct) + 1) + codes
    return pd.Series(combined, index=frame.index).duplicated(keep=False)


def _lines(mask: pd.Series) -> tuple[int, ...]:
    return tuple(int(i) + FIRST_DATA_LINE for i in np.flatnonzero(mask.to_numpy()))


def _convert(text: pd.Series, kind: str) -> tuple[pd.Series, pd.Series, str]:
    """Returns the converted values, a mask of values that break the rule, and the rule's code."""
    empty = text.eq("")
    if kind == "text":
        return text.where(~empty, None), pd.Series(False, index=text.index), ""
    if kind == "gender":
        codes = _map_codes(text, GENDER_CODES)
        return (
            codes.where(~empty, None),
            codes.isna() & ~empty,
            "unknown_gender",
        )
    if kind == "category":
        codes = _map_codes(text, CATEGORY_CODES)
        return (
            codes.where(~empty, None),
            codes.isna() & ~empty,
            "unknown_category",
        )
    if kind == "report_kind":
        codes = _map_codes(text, REPORT_KIND_CODES)
        return (
            codes.where(~empty, None),
            codes.isna() & ~empty,
            "unknown_report_kind",
        )
    if kind == "bool":
        codes = text.str.lower().map(BOOL_CODES)
        return codes.where(~empty, False).astype(bool), codes.isna() & ~empty, "not_bool"
    if kind == "date":
        return _convert_dates(text, empty)
    if kind == "wave":
        year = text.str.slice(0, 4)
        ok = text.str.match(r"^\d{4}(-\d{2}-\d{2})?$")
        return (
            pd.to_numeric(year.where(ok), errors="coerce").astype("Int64"),
            ~ok & ~empty,
            "not_wave",
        )
    if kind in ("int", "count"):
        ok = text.str.match(_INT.pattern)
        values = pd.to_numeric(text.where(ok), errors="coerce").astype("Int64")
        return values, ~ok & ~empty, "not_whole_number"
    # float, weight and pct: a decimal comma is accepted
    normal = text.where(~text.str.match(_DECIMAL_COMMA.pattern), text.str.replace(",", ".", regex=False))
    values = pd.to_numeric(normal.where(~empty), errors="coerce")
    bad = values.isna() & ~empty
    return values, bad, "not_number"


def _map_codes(text: pd.Series, mapping: dict[str, str]) -> pd.Series:
    """Map spellings to codes once per distinct value rather than once per row."""
    cat = text.astype("category")
    lookup = {v: mapping.get(str(v).lower()) for v in cat.cat.categories}
    return cat.map(lookup).astype(object)


def _convert_dates(text: pd.Series, empty: pd.Series) -> tuple[pd.Series, pd.Series, str]:
    if len(text) > 1000:  # most files repeat a few dates: convert each distinct value once
        cat = text.astype("category")
        values, bad, rule = _convert_dates(
            pd.Series(cat.cat.categories.astype(str)), pd.Series(cat.cat.categories == "")
        )
        codes = cat.cat.codes.to_numpy()
        return (
            pd.Series(values.to_numpy()[codes], index=text.index),
            pd.Series(bad.to_numpy()[codes], index=text.index),
            rule,
        )
    iso = text.str.match(_ISO.pattern)
    parts = text.str.extract(_DMY.pattern).astype("Float64")
    dmy = parts[0].notna()
    day_first_evidence = bool((parts[0] > 12).any()) and not bool((parts[1] > 12).any())
    ambiguous = dmy & (parts[0] <= 12) & (parts[1] <= 12) & (parts[0] != parts[1]) & (not day_first_evidence)
    if ambiguous.fillna(False).any():
        return (
            pd.Series(None, index=text.index, dtype=object),
            ambiguous.fillna(False).astype(bool),
            "ambiguous_date",
        )
    iso_text = text.where(iso, None)
    rebuilt = (
        parts[2].astype("Int64").astype(str)
        + "-"
        + parts[1].astype("Int64").astype(str).str.zfill(2)
        + "-"
        + parts[0].astype("Int64").astype(str).str.zfill(2)
    )
    iso_text = iso_text.where(~dmy.fillna(False).astype(bool), rebuilt)
    parsed = pd.to_datetime(iso_text, format="%Y-%m-%d", errors="coerce")
    bad = parsed.isna() & ~empty
    return parsed.dt.date.where(parsed.notna(), None), bad, "not_date"
