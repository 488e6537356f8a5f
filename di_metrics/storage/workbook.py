"""Reading an Excel workbook's first sheet as text, bounded by its bytes and by its cell grid.

An archive can unpack a thousand times its size: what it unpacks to is counted before any parser sees it.

A few bytes can place one cell at XFD1048576: every reader that pads rows to a rectangle then builds
17 billion cells. The grid a sheet declares is checked before any row is read, and the grid its rows
really span is counted while they stream, so a missing or lying declaration is stopped at the limit too.
"""

from __future__ import annotations

import io
import logging
import zipfile
from typing import TYPE_CHECKING, Any

import pandas as pd

from di_metrics.errors import InvalidInput, Problem

if TYPE_CHECKING:
    from openpyxl.cell.read_only import ReadOnlyCell
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

__all__ = ["XLSX_MAX_CELLS", "XLSX_MAX_UNPACKED", "check_workbook_size", "read_workbook"]

XLSX_MAX_UNPACKED = 100 * 2**20  # bytes a workbook may unpack to; larger tables come as CSV or Parquet
_CHUNK = 2**20

# cells (rows x columns, empty ones included) a sheet may span; a workbook unpacks to at most 100 MB, which
# holds about this many of the smallest cells, and larger tables come as CSV or Parquet
XLSX_MAX_CELLS = 5_000_000
_EMPTY: tuple = ()  # every empty row shares one object: a million of them cost a pointer each
_log = logging.getLogger("koers.input")


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
        raise _not_xlsx(name, exc) from exc


def read_workbook(data: bytes, name: str, limit: int | None = None) -> pd.DataFrame:
    """The first sheet with its first row as header and every cell as text, as `pd.read_excel(dtype=str,
    keep_default_na=False)` gives it; refused with `xlsx_too_many_cells` beyond `limit` cells."""
    import openpyxl

    limit = XLSX_MAX_CELLS if limit is None else limit
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise _not_xlsx(name, exc) from exc
    try:
        sheet = book.worksheets[0]
        _refuse_if_too_big(name, sheet.max_row or 0, sheet.max_column or 0, limit)
        rows = _bounded_rows(sheet, name, limit)
    except InvalidInput:
        raise
    except Exception as exc:
        raise _not_xlsx(name, exc) from exc
    finally:
        book.close()
    return _as_frame(rows, name)


def _refuse_if_too_big(name: str, rows: int, columns: int, limit: int) -> None:
    if rows * columns > limit:
        values = {"rows": int(rows), "columns": int(columns), "limit": int(limit)}
        raise InvalidInput(name, [Problem(None, "xlsx_too_many_cells", params=values)])


def _bounded_rows(sheet: ReadOnlyWorksheet, name: str, limit: int) -> list[list]:
    """The sheet's rows, trailing empty cells and rows dropped, each as pandas converts cells; the grid
    (rows so far x widest row so far) is checked after every row, so memory stays within `limit` cells."""
    sheet.reset_dimensions()  # a declared size can be wrong: read the rows the sheet really holds
    rows: list[list] = []
    width = last_filled = 0
    for number, row in enumerate(sheet.rows, start=1):
        values = [_cell_value(cell) for cell in row]
        while values and values[-1] == "":
            values.pop()
        if values:
            last_filled = number
            width = max(width, len(values))
        _refuse_if_too_big(name, number, max(width, 1), limit)  # an empty row counts as one cell
        rows.append(values or _EMPTY)
    del rows[last_filled:]
    return [list(r) + [""] * (width - len(r)) for r in rows]


def _cell_value(cell: ReadOnlyCell) -> Any:
    """A cell as pandas' openpyxl reader gives it: empty as "", whole numbers as int, errors as missing."""
    from openpyxl.cell.cell import TYPE_ERROR, TYPE_NUMERIC

    value = cell.value
    if value is None:
        return ""
    if cell.data_type == TYPE_ERROR:
        return float("nan")
    if cell.data_type == TYPE_NUMERIC:
        whole = int(value)
        return whole if whole == value else float(value)
    return value


def _as_frame(rows: list[list], name: str) -> pd.DataFrame:
    """Header and values through pandas' own text parser, so names and text match `pd.read_excel`."""
    from pandas.io.parsers import TextParser

    if not rows:
        return pd.DataFrame()
    try:
        return TextParser(rows, header=0, dtype=str, keep_default_na=False).read()
    except Exception as exc:
        raise _not_xlsx(name, exc) from exc


def _not_xlsx(name: str, exc: BaseException) -> InvalidInput:
    """A workbook openpyxl rejected, as a rule code; the parser's own words go to the server log only."""
    _log.info("%s refused (not_xlsx): %s: %s", name, type(exc).__name__, exc)
    return InvalidInput(name, [Problem(None, "not_xlsx")])
