"""Exports that no spreadsheet runs: line breaks inside cells, control characters, sheet names, strict JSON,
and the deck's embedded chart workbooks."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest

from di_metrics.cli import main as cli
from di_metrics.present.deck import build_deck
from di_metrics.present.export import csv_bytes, json_text, sheet_name, xlsx_bytes
from di_metrics.present.views import Briefing, View

NASTY = [
    "ok\n=cmd|' /C calc'!A0",
    "ok\r=1+1",
    "ok\r\n@SUM(A1:A9)",
    "a\n\n+31 6",
    "x\n-2+3",
    "tab\n\t=1",
    '=HYPERLINK("http://evil")',
    "Korps\nMariniers",
]


def _line_starts(text: str) -> list[str]:
    """Every line a naive reader (split on any CR or LF) would see, with the CSV quote taken off."""
    return [line.lstrip('"') for line in re.split(r"\r\n|\r|\n", text)]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_no_line_of_a_csv_starts_a_formula_even_after_a_break_inside_a_cell(lang):
    frame = pd.DataFrame({"unit": NASTY, "n": range(len(NASTY))})
    text = csv_bytes(frame, lang).decode("utf-8-sig")
    starts = [line for line in _line_starts(text) if line]
    assert not [line for line in starts if line[0] in "=+-@\t"], starts
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";" if lang == "nl" else ","))
    units = [row[0] for row in rows[1:]]  # a proper reader sees the same rows, line breaks kept
    assert len(units) == len(NASTY)
    assert units[0] == "ok\n'=cmd|' /C calc'!A0" and units[1] == "ok\r'=1+1"
    assert units[7] == "Korps\nMariniers"  # plain text keeps its line break untouched


def test_a_formula_in_a_column_name_is_escaped_too():
    text = csv_bytes(pd.DataFrame({"=1+1": [1]}), "en").decode("utf-8-sig")
    assert text.splitlines()[0] == "'=1+1"


def test_control_characters_are_dropped_and_the_workbook_reads_back():
    frame = pd.DataFrame({"unit": ["bell\x07", "nul\x00l", "esc\x1b[0m", "line\nbreak"], "n": [1, 2, 3, 4]})
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(frame, "units")))
    values = [c.value for c in book["units"]["A"]][1:]
    assert values == ["bell", "null", "esc[0m", "line\nbreak"]
    assert all(c.data_type != "f" for row in book["units"].iter_rows() for c in row)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("pipeline", "pipeline"),
        ("a/b:c*?[x]\\y", "a_b_c___x__y"),
        ("x" * 40, "x" * 31),
        ("", "Koers"),
        ("'quoted'", "quoted"),
        ("History", "Koers"),
        ("bell\x07", "bell"),
    ],
)
def test_sheet_names_are_made_safe(given, expected):
    assert sheet_name(given) == expected
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(pd.DataFrame({"a": [1]}), given)))
    assert book.sheetnames == [expected]


def test_json_never_carries_nan_or_infinity():
    doc = {"a": float("nan"), "b": [float("inf"), np.float32("nan"), np.float64(-np.inf), 0.5], "c": pd.NA}
    text = json_text(doc)
    strict = json.loads(text, parse_constant=lambda c: pytest.fail(f"{c} in JSON"))
    assert strict == {"a": None, "b": [None, None, None, 0.5], "c": None}


def test_cli_json_is_strict(monkeypatch, capsys):
    # rebuild's receipt is already a plain document (cli.documents passes it through): NaN where a figure would be
    monkeypatch.setitem(cli.COMMANDS, "rebuild", lambda args: {"share": float("nan"), "rows": [{"x": np.nan}]})
    assert cli.main(["rebuild", "--json"]) == 0
    out = capsys.readouterr().out
    assert "NaN" not in out
    assert json.loads(out, parse_constant=lambda c: pytest.fail(c)) == {"share": None, "rows": [{"x": None}]}


def test_the_decks_embedded_workbooks_hold_values_never_formulas():
    labels = ['=HYPERLINK("http://evil","click")', "+31", "@SUM(A1)", "bell\x07", "http://example.org"]
    view = View("x", "A title", "column", labels, {"=1+1": [0.1, 0.2, 0.3, 0.4, 0.5]})
    deck = build_deck(Briefing([view], dt.date(2026, 1, 1), "stamp", "en"))
    with zipfile.ZipFile(io.BytesIO(deck)) as z:
        embedded = [n for n in z.namelist() if n.endswith(".xlsx")]
        assert embedded
        book = openpyxl.load_workbook(io.BytesIO(z.read(embedded[0])))
    cells = [c for row in book.active.iter_rows() for c in row if c.value is not None]
    assert cells and not [c.coordinate for c in cells if c.data_type == "f" or c.hyperlink]
    texts = {c.value for c in cells}
    assert '=HYPERLINK("http://evil","click")' in texts and "=1+1" in texts and "bell" in texts


def test_tables_offer_no_download_of_their_own():
    """st.dataframe's built-in CSV download skips Koers' escaping and the export role; Koers' buttons replace it."""
    import tomllib

    from tests.support import ROOT

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["disableDataExport"] is True


SNEAKY = [
    "  =1+1",  # spaces before the formula: some readers trim them
    "\u00a0=1+1",  # a no-break space
    "\ufeff=1+1",  # a byte order mark inside the cell
    " \t@SUM(A1)",
    "ok\u2028=1+1",  # Unicode line separator: str.splitlines and some readers break the line here
    "ok\u2029+1",  # paragraph separator
    "ok\x85-1",  # next line (NEL)
    "ok\n  =1+1",  # a break, then spaces, then the formula
]


def _starts_formula(text: str) -> bool:
    return text.lstrip(" \t\u00a0\ufeff\u3000").startswith(("=", "+", "-", "@"))


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_no_line_starts_a_formula_after_whitespace_or_a_unicode_line_break(lang):
    frame = pd.DataFrame({"label": SNEAKY, "n": range(len(SNEAKY))})
    text = csv_bytes(frame, lang).decode("utf-8-sig")
    lines = [line.lstrip('"') for line in text.splitlines()]  # splitlines breaks at U+2028, U+2029 and NEL too
    assert [line for line in lines if _starts_formula(line)] == []
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=";" if lang == "nl" else ",")
    cells = [c for row in rows for c in row]
    assert [c for c in cells if _starts_formula(c)] == []
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(frame))).active
    texts = [v for row in sheet.iter_rows(values_only=True) for v in row if isinstance(v, str)]
    assert [v for v in texts if _starts_formula(v)] == []
    assert "'  =1+1" in texts  # escaped, not changed: the reader still sees what was written
