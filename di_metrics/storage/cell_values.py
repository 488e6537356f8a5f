"""A column's text turned into typed values, with the rule each value that cannot be read breaks (its rule code,
rendered from the catalogues). storage/parsing.py applies it to every column of a file."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from di_metrics.storage.formats import BOOL_CODES, CATEGORY_CODES, GENDER_CODES, REPORT_KIND_CODES

__all__ = ["convert"]

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_INT = re.compile(r"^[+-]?\d+(\.0+)?$")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")


def convert(text: pd.Series, kind: str) -> tuple[pd.Series, pd.Series, str]:
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
        bad = ~ok & ~empty
        if kind == "count":
            neg = values.lt(0).fillna(False).astype(bool)
            if neg.any() and not bad.any():
                return values, neg, "negative_count"
            return values, bad, "not_whole_number"
        return values, bad, "not_whole_number"
    # float, weight and pct: a decimal comma is accepted
    normal = text.where(~text.str.match(_DECIMAL_COMMA.pattern), text.str.replace(",", ".", regex=False))
    values = pd.to_numeric(normal.where(~empty), errors="coerce")
    bad = values.isna() & ~empty
    if kind == "pct" and not bad.any():
        out_of_range = (values.lt(0) | values.gt(100)).fillna(False).astype(bool)
        return values, out_of_range, "pct_range"
    if kind == "weight" and not bad.any():
        return values, ~empty & ~(np.isfinite(values) & values.gt(0)), "weight_range"
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
