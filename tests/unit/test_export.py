"""Downloads: formula escaping, the language's CSV conventions, readable workbooks, hidden cells explained."""

from __future__ import annotations

import io

import pandas as pd

from di_metrics.present.export import csv_bytes, escape_formulas, xlsx_bytes
from di_metrics.present.tables import safe_table


def test_cells_that_would_run_as_formulas_are_escaped():
    frame = pd.DataFrame({"unit": ['=HYPERLINK("http://x")', "+31", "-1", "@SUM(A1)", "Korps"], "n": [1, 2, 3, 4, 5]})
    out = escape_formulas(frame)
    assert list(out["unit"]) == ['\'=HYPERLINK("http://x")', "'+31", "'-1", "'@SUM(A1)", "Korps"]
    assert list(out["n"]) == [1, 2, 3, 4, 5]


def test_csv_follows_the_language():
    frame = pd.DataFrame({"unit": ["A"], "share": [16.4]})
    assert csv_bytes(frame, "nl").decode("utf-8-sig").splitlines() == ["unit;share", "A;16,4"]
    assert csv_bytes(frame, "en").decode("utf-8-sig").splitlines() == ["unit,share", "A,16.4"]


def test_workbook_reads_back():
    frame = pd.DataFrame({"unit": ["=1+1", "B"], "share": [16.4, 30.0]})
    back = pd.read_excel(io.BytesIO(xlsx_bytes(frame, "pipeline")), sheet_name="pipeline")
    assert list(back["unit"]) == ["'=1+1", "B"] and list(back["share"]) == [16.4, 30.0]


def test_hidden_cells_say_fewer_than_k_and_show_no_value():
    frame = pd.DataFrame(
        {
            "value": ["A", "B"],
            "headcount": [40.0, 32.0],
            "women": [pd.NA, 12.0],
            "women_share": [pd.NA, 0.375],
            "suppressed": [True, False],
            "headcount_hidden": [False, False],
            "x_left_out": [False, True],
        }
    )
    table = safe_table(frame, ["value", "headcount", "women", "women_share"], "nl", 5, as_text=True)
    assert table.to_dict("records") == [
        {"Groep": "A", "Personeel": "40", "Vrouwen": "–", "Vrouwen (%)": "–", "Opmerking": "afgeschermd"},
        {
            "Groep": "B",
            "Personeel": "32",
            "Vrouwen": "12",
            "Vrouwen (%)": "37,5",
            "Opmerking": "X-groep van minder dan 5 weggelaten",
        },
    ]
