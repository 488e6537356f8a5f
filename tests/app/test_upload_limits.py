"""Uploads: a workbook that unpacks to too much is refused before any parser sees it; an upload is read once."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import pandas as pd
import pytest

from di_metrics.errors import InvalidInput
from di_metrics.present.export import xlsx_bytes
from di_metrics.storage import parsing, workbook

GB = 2**30


def _bomb(unpacked: int = GB) -> bytes:
    """A real .xlsx with one extra sheet of `unpacked` zero bytes, deflated to about a thousandth of that.

    The deflate stream is one fully flushed block of 1 MB repeated, so building it costs no compression of
    the whole; sizes and CRC in the headers are the true ones.
    """
    honest = zipfile.ZipFile(io.BytesIO(xlsx_bytes(pd.DataFrame({"a": [1]}))))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in honest.infolist():
            z.writestr(item, honest.read(item))
    block = 2**20
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = packer.compress(bytes(block)) + packer.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    zeros = bytes(block)
    for _ in range(unpacked // block):
        crc = zlib.crc32(zeros, crc)
    stream = piece * (unpacked // block) + b"\x03\x00"  # an empty final block ends the stream
    return _append_member(out.getvalue(), "xl/worksheets/sheet2.xml", stream, unpacked, crc)


def _append_member(archive: bytes, name: str, stream: bytes, size: int, crc: int) -> bytes:
    """Add a deflated member whose compressed bytes are given, rewriting the central directory."""
    end = archive.rindex(b"PK\x05\x06")
    entries, cd_size, cd_offset = struct.unpack("<HII", archive[end + 10 : end + 20])
    body, directory = archive[:cd_offset], archive[cd_offset : cd_offset + cd_size]
    raw = name.encode()
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(stream), size, len(raw), 0)
    offset = len(body)
    body += local + raw + stream
    central = struct.pack(
        "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(stream), size, len(raw), 0, 0, 0, 0, 0, offset
    )
    directory += central + raw
    tail = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, entries + 1, entries + 1, len(directory), len(body), 0)
    return body + directory + tail


@pytest.fixture(autouse=True)
def _fresh_cache():
    parsing._recent.clear()
    yield
    parsing._recent.clear()


def test_a_zip_bomb_is_refused_with_a_clear_message_before_any_parser_sees_it(monkeypatch):
    bomb = _bomb()
    assert len(bomb) < 1.5 * 2**20  # about 1 MB on the wire
    with zipfile.ZipFile(io.BytesIO(bomb)) as z:  # a well-formed archive that says what it holds
        assert sum(i.file_size for i in z.infolist()) > GB

    def no_parsing(*args, **kwargs):
        raise AssertionError("the workbook reached the parser")

    monkeypatch.setattr(pd, "read_excel", no_parsing)
    with pytest.raises(InvalidInput) as refused:
        parsing.read_text_frame(bomb, "personnel.xlsx")
    assert refused.value.file == "personnel.xlsx"
    assert "unpacks to more than 100 MB" in str(refused.value) and "CSV" in str(refused.value)


def test_an_archive_that_understates_its_size_is_stopped_at_the_limit():
    small = 3 * 2**20
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    stream = packer.compress(bytes(small)) + packer.flush()
    archive = xlsx_bytes(pd.DataFrame({"a": [1]}))
    lying = _append_member(archive, "xl/worksheets/sheet2.xml", stream, 1000, zlib.crc32(bytes(small)))
    with pytest.raises(InvalidInput, match=r"cannot be read|unpacks to more than"):
        workbook.check_workbook_size(lying, "x.xlsx", limit=2 * 2**20)


def test_a_normal_workbook_passes_and_reads():
    frame = parsing.read_text_frame(xlsx_bytes(pd.DataFrame({"Unit": ["A", "B"], "n": [1, 2]})), "t.xlsx")
    assert list(frame.columns) == ["unit", "n"] and list(frame["unit"]) == ["A", "B"]


def test_an_upload_is_parsed_once_however_often_it_is_read(monkeypatch):
    calls = []
    real = workbook.read_workbook
    monkeypatch.setattr(workbook, "read_workbook", lambda *a, **k: calls.append(1) or real(*a, **k))
    data = xlsx_bytes(pd.DataFrame({"unit": ["A"], "n": [1]}))
    first = parsing.read_text_frame(data, "t.xlsx")
    first.loc[0, "unit"] = "changed by a caller"
    for _ in range(5):  # preview, validation and import, on every rerun
        again = parsing.read_text_frame(data, "t.xlsx")
    assert calls == [1]
    assert again.loc[0, "unit"] == "A"  # each caller has its own copy
    parsing.read_text_frame(xlsx_bytes(pd.DataFrame({"unit": ["B"], "n": [1]})), "t.xlsx")
    assert calls == [1, 1]  # other bytes are another file


def test_a_refused_upload_is_not_parsed_again_either(monkeypatch):
    calls = []
    real = parsing._read_text_frame
    monkeypatch.setattr(parsing, "_read_text_frame", lambda *a: calls.append(1) or real(*a))
    for _ in range(3):
        with pytest.raises(InvalidInput, match="not an Excel workbook"):
            parsing.read_text_frame(b"just text", "t.xlsx")
    assert calls == [1]


def test_the_import_page_refuses_a_zip_bomb_with_a_plain_message(demo_db, monkeypatch, modern_pages):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from tests.support import ROOT

    monkeypatch.setenv("KOERS_DATABASE_URL", demo_db)
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page("pages/import.py").run()
    mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    at.file_uploader(key="import_file").upload("personnel.xlsx", _bomb(), mime).run()
    assert not at.exception
    (error,) = [e.value for e in at.error]
    assert error.startswith("personnel.xlsx: invalid input, nothing was imported.")
    assert "unpacks to more than 100 MB" in error
    assert not [b for b in at.button if b.key == "import_go"]  # nothing to import
    st.cache_data.clear()
    st.cache_resource.clear()


def _parquet_bomb(rows: int) -> bytes:
    """A real Parquet file of `rows` equal values: dictionary and run-length encoding pack them into bytes."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = io.BytesIO()
    pq.write_table(pa.table({"headcount": pa.array(np.zeros(rows, dtype=np.int8))}), out, compression="zstd")
    return out.getvalue()


def test_a_parquet_file_declaring_too_many_cells_is_refused_before_it_is_read(monkeypatch):
    monkeypatch.setattr(parsing, "PARQUET_MAX_CELLS", 1_000_000)
    data = _parquet_bomb(2_000_000)
    assert len(data) < 50_000  # two million values in a few kilobytes
    with pytest.raises(InvalidInput) as refused:
        parsing.read_text_frame(data, "bomb.parquet")
    assert refused.value.file == "bomb.parquet"
    assert "2,000,000 rows" in str(refused.value) and "1,000,000 cells" in str(refused.value)
    small = parsing.read_text_frame(_parquet_bomb(10), "small.parquet")  # within the rule it reads as before
    assert list(small["headcount"]) == ["0"] * 10


# --- cell-grid bombs: a few bytes that span billions of cells once a reader pads rows to a rectangle ---

_CORNERS = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>unit</t></is></c></row>'
    '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
)
_DENSE_ROW = "<row>" + "<c><v>1</v></c>" * 200 + "</row>"  # cells without addresses: 15 bytes each


def _workbook(sheet_data: str, dimension: str | None) -> bytes:
    """A real .xlsx whose first sheet holds `sheet_data`, declaring `dimension` (or nothing)."""
    honest = zipfile.ZipFile(io.BytesIO(xlsx_bytes(pd.DataFrame({"a": [1]}))))
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{declared}<sheetData>{sheet_data}</sheetData></worksheet>"
    ).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in honest.infolist():
            z.writestr(item.filename, sheet if item.filename == "xl/worksheets/sheet1.xml" else honest.read(item))
    return out.getvalue()


# name: (sheet data, declared dimension, cell limit or None for the real one, rows and columns the refusal names)
CELL_BOMBS = {
    # A1 and XFD1048576: the sheet declares its grid of 2^20 rows x 2^14 columns
    "corners": (_CORNERS, "A1:XFD1048576", None, "1,048,576 rows of 16,384 columns"),
    # the same two cells declaring one cell: the rows are counted as they stream, up to the last one
    "lying": (_CORNERS, "A1:A1", None, "1,048,576 rows of 16,384 columns"),
    # 30,000 full rows of 200 columns, honestly declared: 6 million cells in 90 MB unpacked
    "many_rows_many_columns": (_DENSE_ROW * 30_000, "A1:GR30000", None, "30,000 rows of 200 columns"),
    # 3,000 full rows of 200 columns declaring nothing, against a limit of 500,000: 2,500 rows fit
    "undeclared": (_DENSE_ROW * 3_000, None, 500_000, "2,501 rows of 200 columns"),
}

_CHILD = """
import resource, sys
from pathlib import Path
resource.setrlimit(resource.RLIMIT_AS, (3 * 2**30, 3 * 2**30))  # a regression fails here, not on the machine
from di_metrics.errors import InvalidInput
from di_metrics.storage import parsing, workbook
if sys.argv[2] != "None":
    workbook.XLSX_MAX_CELLS = int(sys.argv[2])
try:
    parsing.read_text_frame(Path(sys.argv[1]).read_bytes(), "personnel.xlsx")
    print("accepted")
except InvalidInput as exc:
    print(exc.problems[0].code, str(exc), sep="\\n")
# this process's own peak resident memory in kB (ru_maxrss would also hold the parent's, kept across exec)
print(next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:")))
"""


@pytest.mark.parametrize("kind", CELL_BOMBS)
def test_a_cell_grid_bomb_is_refused_through_the_parsing_door_within_500_mb(kind, tmp_path):
    import subprocess
    import sys

    from tests.support import ROOT

    sheet_data, dimension, limit, grid = CELL_BOMBS[kind]
    bomb = tmp_path / "personnel.xlsx"
    bomb.write_bytes(_workbook(sheet_data, dimension))
    assert bomb.stat().st_size < 300_000  # small on the wire, and within the 100 MB unpack limit:
    workbook.check_workbook_size(bomb.read_bytes(), "personnel.xlsx")
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(bomb), str(limit)], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-2000:]
    code, *message, peak_kb = done.stdout.strip().splitlines()
    assert code == "xlsx_too_many_cells"
    assert message[0] == "personnel.xlsx: invalid input, nothing was imported."
    assert f"at least {grid}" in message[1]
    assert int(peak_kb) < 500 * 1024
    print(f"{kind}: peak {int(peak_kb) / 1024:.0f} MB")


def test_the_cell_limit_is_said_in_dutch_naming_the_file(monkeypatch):
    monkeypatch.setattr(workbook, "XLSX_MAX_CELLS", 500_000)
    with pytest.raises(InvalidInput) as refused:
        parsing.read_text_frame(_workbook(_DENSE_ROW * 3_000, None), "personeel.xlsx")
    text = refused.value.text("nl")
    assert text.startswith("personeel.xlsx:")
    assert "minstens 2.501 rijen van 200 kolommen, meer dan 500.000 cellen" in text


def test_a_workbook_within_the_cell_limit_reads_as_pandas_reads_it(tmp_path):
    import datetime as dt

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Unit", "n", "share", "date", "flag", "Unit", None, "note"])
    sheet.append(["A", 1, 0.5, dt.datetime(2024, 1, 31), True, "x", None, " padded "])
    sheet.append([])  # an empty row inside the table
    sheet.append(["B", 2.0, 1.25, dt.date(2023, 12, 1), False])
    sheet["D6"] = "late"  # a row after a gap, trailing empty cells and rows after it
    path = tmp_path / "t.xlsx"
    book.save(path)
    data = path.read_bytes()
    ours = workbook.read_workbook(data, "t.xlsx")
    theirs = pd.read_excel(io.BytesIO(data), dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(ours, theirs)
    assert list(ours.columns)[:2] == ["Unit", "n"] and list(ours["n"])[:1] == ["1"]


_PAGE_CHILD = """
import resource, sys
from pathlib import Path
resource.setrlimit(resource.RLIMIT_AS, (4 * 2**30, 4 * 2**30))  # a regression fails here, not on the machine
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

original = PagesManager.__init__
def modern(self, *args, **kwargs):  # as the conftest's modern_pages: the server's mode after its first request
    original(self, *args, **kwargs)
    PagesManager.uses_pages_directory = False
PagesManager.__init__ = modern
at = AppTest.from_file(sys.argv[2], default_timeout=120)
at.query_params["lang"] = "en"
at.run()
at.switch_page("pages/import.py").run()
import ctypes, gc
gc.collect()
ctypes.CDLL("libc.so.6").malloc_trim(0)  # heap the first page freed goes back, so the upload cannot reuse it unseen
page_peak = next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:"))
resident = next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmRSS:"))
with open("/proc/self/clear_refs", "w") as refs:  # the high-water mark from here on is the upload's
    refs.write("5")
mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
at.file_uploader(key="import_file").upload("personnel.xlsx", Path(sys.argv[1]).read_bytes(), mime).run()
print(repr(at.exception[0].value) if at.exception else "no exception")
print(" | ".join(e.value for e in at.error).replace("\\n", " "))
print(page_peak)
print(resident)
print(next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:")))
"""


@pytest.mark.parametrize("kind", ["corners", "lying", "many_rows_many_columns"])
def test_the_import_page_refuses_a_cell_grid_bomb_in_bounded_memory(kind, demo_db, tmp_path):
    """The whole server process, page and all, in a child of its own. The upload's peak is the process's
    high-water mark from the upload on, over what the page held before it: what refusing the bomb costs, whatever
    the decisions the first page read keep resident (about 400 MB on the demo, more on machines with more cores):
    under 100 MB. The whole process, first page and all, stays under 1 GB."""
    import os
    import subprocess
    import sys

    from tests.support import ROOT

    sheet_data, dimension, _, grid = CELL_BOMBS[kind]
    bomb = tmp_path / "personnel.xlsx"
    bomb.write_bytes(_workbook(sheet_data, dimension))
    env = {**os.environ, "KOERS_DATABASE_URL": demo_db, "KOERS_SINGLE_USER": "1"}
    done = subprocess.run(
        [sys.executable, "-c", _PAGE_CHILD, str(bomb), str(ROOT / "app.py")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    exception, error, page_kb, resident_kb, peak_kb = done.stdout.strip().splitlines()[-5:]
    assert exception == "no exception"
    assert error.startswith("personnel.xlsx: invalid input, nothing was imported.")
    assert f"at least {grid}, more than 5,000,000 cells" in error
    upload_kb = int(peak_kb) - int(resident_kb)
    assert upload_kb < 100 * 1024  # parsing the grid would take gigabytes (the child's 4 GiB limit stops it)
    assert max(int(page_kb), int(peak_kb)) < 1024 * 1024
    print(f"{kind} through the page: the upload's peak {upload_kb / 1024:.0f} MB over {int(resident_kb) / 1024:.0f}")
