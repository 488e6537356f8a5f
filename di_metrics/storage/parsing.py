"""Reading CSV, XLSX and Parquet files into frames of text within size limits, once per upload; `validation`
then checks them and gives each value its type."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import logging
import threading
from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from di_metrics.errors import InvalidInput, Problem
from di_metrics.storage import workbook

__all__ = [
    "PARQUET_MAX_CELLS",
    "check_parquet_size",
    "parquet_text_chunks",
    "read_text_frame",
]


# cells (rows x columns) a Parquet file may declare: equal values pack millions of rows into kilobytes, and
# every cell becomes a text in memory; 20 million is several full snapshots of a large organisation
PARQUET_MAX_CELLS = 20_000_000
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
        workbook.check_workbook_size(data, name)
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
