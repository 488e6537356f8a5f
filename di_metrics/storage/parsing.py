"""Reading CSV, XLSX and Parquet files into typed frames, reporting every broken rule at once."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import logging
import re
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from di_metrics.errors import InvalidInput, Problem
from di_metrics.storage import workbook
from di_metrics.storage.formats import BOOL_CODES, CATEGORY_CODES, GENDER_CODES, REPORT_KIND_CODES, Format

__all__ = [
    "FIRST_DATA_LINE",
    "PARQUET_MAX_CELLS",
    "XLSX_MAX_UNPACKED",
    "check_parquet_size",
    "check_workbook_size",
    "parquet_text_chunks",
    "parse_frame",
    "read_text_frame",
]

FIRST_DATA_LINE = 2  # the header is line 1, as a spreadsheet numbers rows
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_INT = re.compile(r"^[+-]?\d+(\.0+)?$")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")


XLSX_MAX_UNPACKED = 100 * 2**20  # bytes a workbook may unpack to; larger tables come as CSV or Parquet
# cells (rows x columns) a Parquet file may declare: equal values pack millions of rows into kilobytes, and
# every cell becomes a text in memory; 20 million is several full snapshots of a large organisation
PARQUET_MAX_CELLS = 20_000_000
_CHUNK = 2**20
_RECENT_MAX = 2
_recent: OrderedDict[tuple[str, str], pd.DataFrame | InvalidInput] = OrderedDict()
_recent_lock = threading.Lock()
_log = logging.getLogger("koers.input")


def read_text_frame(data: bytes, name: str) -> pd.DataFrame:
    """Every cell as text, column names folded to lower case; refuses what is not a table.

    An upload is read once: preview, validation and import of the same bytes (every rerun of the import
    page) share the result, kept for the last few files by content hash. Callers get their own copy.
    """
    key = (hashlib.sha256(data).hexdigest(), name)
    with _recent_lock:
        known = _recent.get(key)
        if known is not None:
            _recent.move_to_end(key)
    if known is None:
        try:
            known = _read_text_frame(data, name)
        except InvalidInput as exc:
            known = exc
        with _recent_lock:
            _recent[key] = known
            while len(_recent) > _RECENT_MAX:
                _recent.popitem(last=False)
    if isinstance(known, InvalidInput):
        raise InvalidInput(known.file, known.problems)
    return known.copy()


def check_workbook_size(data: bytes, name: str, limit: int = XLSX_MAX_UNPACKED) -> None:
    """Refuse a workbook that unpacks to more than `limit` bytes (a zip bomb) before any parser sees it.

    The sizes the archive declares are checked first; every member is then unpacked in chunks and
    counted, so an archive that lies about its sizes is stopped at the limit too.
    """
    too_big = Problem(None, "workbook_too_big", params={"mb": limit // 2**20})
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if sum(m.file_size for m in members) > limit:
                raise InvalidInput(name, [too_big])
            unpacked = 0
            for member in members:
                with archive.open(member) as stream:
                    while chunk := stream.read(_CHUNK):
                        unpacked += len(chunk)
                        if unpacked > limit:
                            raise InvalidInput(name, [too_big])
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, ValueError) as exc:
        raise _unreadable(name, "not_xlsx", exc) from exc


def check_parquet_size(data: bytes, name: str, limit: int | None = None) -> None:
    """Refuse a Parquet file whose footer declares more than `limit` cells, before any row is decoded."""
    import pyarrow.parquet as pq

    limit = PARQUET_MAX_CELLS if limit is None else limit
    try:
        meta = pq.ParquetFile(io.BytesIO(data)).metadata
    except Exception as exc:  # pyarrow raises its own kinds for a damaged footer
        raise _unreadable(name, "not_parquet", exc) from exc
    if meta.num_rows * max(meta.num_columns, 1) > limit:
        values = {"rows": int(meta.num_rows), "columns": int(meta.num_columns), "limit": int(limit)}
        raise InvalidInput(name, [Problem(None, "parquet_too_big", params=values)])


def _unreadable(name: str, code: str, exc: BaseException) -> InvalidInput:
    """A file a parser rejected, as a rule code; the parser's own words go to the server log only."""
    _log.info("%s refused (%s): %s: %s", name, code, type(exc).__name__, exc)
    return InvalidInput(name, [Problem(None, code)])


def _read_text_frame(data: bytes, name: str) -> pd.DataFrame:
    suffix = Path(name).suffix.lower()
    if not data.strip():
        raise InvalidInput(name, [Problem(None, "empty_file")])
    if suffix in (".xlsx", ".xlsm"):
        if not data.startswith(b"PK"):
            raise InvalidInput(name, [Problem(None, "xlsx_misnamed")])
        check_workbook_size(data, name)
        frame = workbook.read_workbook(data, name)
    elif suffix == ".parquet":
        check_parquet_size(data, name)
        try:
            typed = pd.read_parquet(io.BytesIO(data))
        except Exception as exc:
            raise _unreadable(name, "not_parquet", exc) from exc
        return _typed_as_text(typed)
    else:
        frame = _read_csv(data, name)
    return _stripped(frame, range(len(frame.columns)))


def _stripped(frame: pd.DataFrame, text_columns: range | list[int]) -> pd.DataFrame:
    """Column names folded to lower case; cells of the given columns stripped of surrounding white space."""
    names = [str(c).strip().lower() for c in frame.columns]
    strip = set(text_columns)
    out = pd.DataFrame(
        {i: frame.iloc[:, i].astype(str).str.strip() if i in strip else frame.iloc[:, i] for i in range(len(names))}
    )
    out.columns = names
    return out


def _typed_as_text(typed: pd.DataFrame) -> pd.DataFrame:
    """A typed Parquet table as the text a CSV would hold; only its text columns can hold white space to strip."""
    text = [i for i, col in enumerate(typed.columns) if not _never_spaced(typed[col])]
    return _stripped(pd.DataFrame({col: _as_text(typed[col]) for col in typed.columns}), text)


def _never_spaced(values: pd.Series) -> bool:
    """Numbers, booleans and dates written as text have no surrounding white space."""
    return bool(
        pd.api.types.is_numeric_dtype(values)
        or pd.api.types.is_bool_dtype(values)
        or pd.api.types.is_datetime64_any_dtype(values)
    )


PARQUET_STREAM_MAX_CELLS = 2_000_000_000  # read in chunks, a file's memory follows the chunk: this only stops a bomb
STREAM_ROWS = 500_000


def parquet_text_chunks(data: bytes, name: str, rows: int = STREAM_ROWS) -> Iterator[tuple[int, pd.DataFrame]]:
    """A Parquet file as text frames of at most `rows` rows each (as `read_text_frame` gives the whole file),
    with the number of rows before each: memory follows the chunk, not the file."""
    import pyarrow.parquet as pq

    check_parquet_size(data, name, PARQUET_STREAM_MAX_CELLS)
    try:
        batches = pq.ParquetFile(io.BytesIO(data)).iter_batches(batch_size=rows)
        before = 0
        for batch in batches:
            yield before, _typed_as_text(batch.to_pandas())
            before += batch.num_rows
    except (OSError, ValueError) as exc:  # pyarrow's errors for a damaged file derive from these
        raise _unreadable(name, "not_parquet", exc) from exc


def _as_text(values: pd.Series) -> pd.Series:
    """A typed Parquet column as the text a CSV would hold, vectorised."""
    first = values.dropna().iloc[0] if values.notna().any() else None
    if pd.api.types.is_datetime64_any_dtype(values) or isinstance(first, dt.date):
        codes, distinct = pd.factorize(values)  # a file repeats few dates: write each one once
        text = pd.Series(pd.to_datetime(distinct)).dt.strftime("%Y-%m-%d").to_numpy(dtype=object)
        return pd.Series(np.where(codes >= 0, text[codes], ""), index=values.index, dtype=str)
    return values.astype("string").fillna("").astype(str)


def _read_csv(data: bytes, name: str) -> pd.DataFrame:
    if b"\x00" in data[:4096]:
        raise InvalidInput(name, [Problem(None, "binary_not_csv")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InvalidInput(name, [Problem(None, "not_utf8", (line,))]) from exc
    header = text.split("\n", 1)[0]
    sep = ";" if header.count(";") > header.count(",") else ","
    try:
        frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, quoting=csv.QUOTE_MINIMAL)
    except pd.errors.ParserError as exc:
        _log.info("%s refused (not_csv): %s", name, exc)
        ragged = _first_long_row(text, sep)
        raise InvalidInput(name, [Problem(None, "not_csv", (ragged,) if ragged else ())]) from exc
    return frame


def _first_long_row(text: str, sep: str) -> int | None:
    """The line where the first row with more fields than the header starts (what pandas refuses)."""
    rows = csv.reader(io.StringIO(text), delimiter=sep)
    try:
        width = len(next(rows))
        start = rows.line_num + 1
        for row in rows:
            if len(row) > width:
                return start
            start = rows.line_num + 1
    except (StopIteration, csv.Error):
        return None
    return None


def parse_frame(
    raw: pd.DataFrame, fmt: Format, name: str, items: set[str] | None = None, check_key: bool = True
) -> pd.DataFrame:
    """Rename aliases, check the columns, convert each value to its type, and check the key (unless the caller
    checks it over the whole file, as a chunked import does)."""
    lookup = fmt.lookup()
    problems: list[Problem] = []
    renamed = {c: lookup.get(c, c) for c in raw.columns}
    frame = raw.rename(columns=renamed)
    dupes = sorted({c for c in frame.columns if list(frame.columns).count(c) > 1})
    for col in dupes:
        problems.append(Problem(col, "duplicate_column"))
    known = {c.name for c in fmt.columns}
    for col in fmt.columns:
        if col.required and col.name not in frame.columns:
            problems.append(Problem(col.name, "column_missing"))
    extra = [c for c in frame.columns if c not in known]
    if fmt.open_columns:
        if items is not None:
            for col in extra:
                if col not in items:
                    problems.append(Problem(col, "not_in_codebook"))
    else:
        for col in extra:
            problems.append(Problem(col, "unknown_column"))
    if problems:
        raise InvalidInput(name, problems)
    if frame.empty:
        raise InvalidInput(name, [Problem(None, "no_data_rows")])

    out = pd.DataFrame(index=frame.index)
    for col in fmt.columns:
        if col.name not in frame.columns:
            continue
        values, bad, rule = _convert(frame[col.name], col.kind)
        if col.required and not col.blank_ok:
            empty = frame[col.name].eq("")
            if empty.any():
                problems.append(Problem(col.name, "value_required", _lines(empty)))
        if col.choices and not bad.any():
            bad, rule = values.notna() & ~values.isin(col.choices), "unknown_value"
        if bad.any():
            allowed = {"allowed": list(col.choices)} if rule == "unknown_value" else {}
            problems.append(Problem(col.name, rule, _lines(bad), allowed))
        out[col.name] = values
    for col in extra:
        values, bad, rule = _convert(frame[col], "int")
        if bad.any():
            problems.append(Problem(col, rule, _lines(bad)))
        out[col] = values
    if fmt.key and check_key and not problems:
        key = [k for k in fmt.key if k in out.columns]
        dup = _duplicated(out, key)
        if dup.any():
            problems.append(Problem(", ".join(key), "duplicate_key", _lines(dup)))
    if problems:
        raise InvalidInput(name, problems)
    return out.reset_index(drop=True)


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
