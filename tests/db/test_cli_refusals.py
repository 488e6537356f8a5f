"""The CLI's refusals are what docs/cli.md promises: with --json a coded document on stderr, never an English
sentence; on an empty database `export` is refused with a rule code in --lang and exit code 2."""

from __future__ import annotations

import json

import pytest

from di_metrics.cli.main import main

LEVERS = ["--attrition-men", "0.9", "--attrition-women", "nan"]  # attrition lies in 0-0.3, and is a number


@pytest.mark.parametrize("command", [["project"], ["frontier"], ["export", "briefing", "--out", "deck.pptx"]])
def test_refused_levers_with_json_are_a_coded_document(command, duckdb_url, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main([*command, *LEVERS, "--db", duckdb_url, "--json", "--lang", "nl"]) == 2
    err = capsys.readouterr().err
    doc = json.loads(err)  # one JSON document and nothing else
    assert doc["error"] == "invalid_levers"
    assert sorted(doc["levers"], key=lambda r: r["option"]) == [
        {"option": "--attrition-men", "code": "out_of_range", "value": "0.9"},
        {"option": "--attrition-women", "code": "not_finite", "value": "nan"},
    ]


def test_refused_levers_without_json_are_said_in_the_language(duckdb_url, capsys):
    assert main(["project", "--attrition-men", "0.9", "--db", duckdb_url, "--lang", "nl"]) == 2
    assert "--attrition-men" in capsys.readouterr().err


# Nothing to export: an empty database, or a selection nobody is in on any date (Defensiestaf is a unit of BS,
# never of CLAS; the deck crashed on it, an empty trend, and would have stamped its date as a dash).
REFUSALS = {
    "no_workforce_data": (
        "duckdb_url",
        [],
        {
            "nl": "de database bevat nog geen personeelsgegevens: "
            "importeer eerst een personeelsbestand of bouw de demo",
            "en": "the database holds no workforce data yet: import a workforce file or build the demo first",
        },
    ),
    "no_workforce_in_selection": (
        "demo_db",
        ["--branch", "CLAS", "--org-unit", "Defensiestaf"],
        {
            "nl": "in deze selectie zit op geen enkele datum van de gegevens iemand: kies andere filters",
            "en": "nobody is in this selection on any date of the data: choose other filters",
        },
    ),
}


@pytest.mark.parametrize("code", list(REFUSALS))
@pytest.mark.parametrize("what", ["briefing", "report"])
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_export_with_nothing_to_export_is_a_clear_refusal(code, what, lang, request, capsys, tmp_path):
    database, selection, said = REFUSALS[code]
    db = request.getfixturevalue(database)
    out = tmp_path / f"out.{'pptx' if what == 'briefing' else 'docx'}"
    assert main(["export", what, "--out", str(out), *selection, "--db", db, "--lang", lang]) == 2
    assert capsys.readouterr().err.strip() == said[lang]
    assert not out.exists()
    assert main(["export", what, "--out", str(out), *selection, "--db", db, "--json"]) == 2
    doc = json.loads(capsys.readouterr().err)
    assert doc["error"] == "invalid_choice" and doc["code"] == code
