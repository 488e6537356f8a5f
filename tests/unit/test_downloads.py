"""Downloads: whole numbers written as integers (a hidden cell makes a headcount column float), a name column
beside the codes, and file names after the view and its filters."""

from __future__ import annotations

import io

import pandas as pd

from di_metrics.present.export import csv_bytes, file_name, xlsx_bytes
from di_metrics.present.tables import safe_table, with_codes


def _rows() -> pd.DataFrame:
    # a hidden cell (NaN) makes the counts float, as the privacy gate leaves them
    return pd.DataFrame(
        {
            "value": ["Commando Landstrijdkrachten", "Bestuursstaf"],
            "headcount": [3836.0, float("nan")],
            "women": [412.0, float("nan")],
            "women_share": [412 / 3836, float("nan")],
            "suppressed": [False, True],
        }
    )


def test_dutch_csv_writes_a_headcount_as_an_integer_and_a_share_with_a_comma():
    table = safe_table(_rows(), ["value", "headcount", "women", "women_share"], "nl", 10)
    text = csv_bytes(with_codes(table, pd.Series(["CLAS", "BS"]), "nl"), "nl").decode("utf-8-sig")
    header, army, staff = text.splitlines()
    assert header.split(";")[:5] == ["Code", "Groep", "Personeel", "Vrouwen", "Vrouwen (%)"]
    # 412 / 3836 = 10.740...% -> 10,7 with one decimal; 3836 and 412 as they are, no ",0"
    assert army.split(";")[:5] == ["CLAS", "Commando Landstrijdkrachten", "3836", "412", "10,7"]
    # the hidden cells stay empty, never 0
    assert staff.split(";")[:5] == ["BS", "Bestuursstaf", "", "", ""]


def test_any_float_column_of_whole_numbers_is_written_as_integers():
    frame = pd.DataFrame({"a": [1.0, 2.0, None], "b": [0.5, 1.0, 2.0]})
    lines = csv_bytes(frame, "en").decode("utf-8-sig").splitlines()
    assert lines == ["a,b", "1,0.5", "2,1.0", ",2.0"]
    sheet = pd.read_excel(io.BytesIO(xlsx_bytes(frame)))
    assert sheet["a"].dropna().tolist() == [1, 2]


def test_a_file_is_named_after_its_view_and_filters():
    name = file_name("breakdown", "org_unit", "2025-12-31", filters={"branch": ["CLAS"], "personnel_category": []})
    assert name == "koers-breakdown-org_unit-2025-12-31-CLAS"
    # whatever a code holds, the name keeps to letters, digits, _ and -
    assert file_name("flows", filters={"org_unit": ["43 Gemechaniseerde Brigade/?"]}) == (
        "koers-flows-43_Gemechaniseerde_Brigade"
    )
