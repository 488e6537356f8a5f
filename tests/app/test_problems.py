"""Problems speak the reader's language: a rule code and its values, one catalogue entry per code, and no
parser's own words on a page, in the CLI or in the import log."""

from __future__ import annotations

import ast
import json
import re
import shutil

import pytest
import sqlalchemy as sa
import streamlit as st
from streamlit.testing.v1 import AppTest

from di_metrics import i18n
from di_metrics.cli.main import main
from di_metrics.errors import InvalidInput, Problem, render
from di_metrics.storage import store
from di_metrics.storage.database import open_database
from di_metrics.storage.ingest import import_bytes, import_log, outcome_text
from di_metrics.storage.parsing import read_text_frame
from tests.support import ROOT

PACKAGE = ROOT / "di_metrics"
FRAMING = {"head", "where_column", "where_file", "where_rule", "lines_one", "lines_many", "lines_more"}
# Where a rule code is passed on in a variable, the function that does so, and where its codes are written.
PASSED_ON = {
    ("validation.py", "check_frame"),
    ("validation.py", "_check_column"),  # a converter's code, or a range's (`_out_of_range`)
    ("parsing.py", "_unreadable"),
    ("measure_register.py", "check_measures"),
    ("chunked.py", "import_chunks"),  # the parsing rules' problems, their lines counted over the whole file
}
PRODUCERS = {"Problem": 1, "InvalidChoice": 0, "_unreadable": 1}  # the call and the position of its code


def _placeholders(text: str) -> set[str]:
    return set(re.findall(r"{(\w+)}", text))


def _code_calls() -> list[tuple[str, str, ast.Call, ast.expr | None]]:
    """Every call that makes a problem, with its module, enclosing function and code argument."""
    found = []
    for path in sorted(p for p in PACKAGE.rglob("*.py") if p.name != "errors.py"):  # errors.py defines them
        tree = ast.parse(path.read_text(), str(path))
        for func in [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]:
            for call in [n for n in ast.walk(func) if isinstance(n, ast.Call)]:
                name = getattr(call.func, "id", getattr(call.func, "attr", None))
                if name in PRODUCERS:
                    pos = PRODUCERS[name]
                    code = call.args[pos] if len(call.args) > pos else None
                    code = next((k.value for k in call.keywords if k.arg == "code"), code)
                    found.append((path.name, func.name, call, code))
    return found


def _literal_codes(node: ast.expr) -> set[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _literal_codes(node.body) | _literal_codes(node.orelse)
    return set()


def _passed_on_codes() -> set[str]:
    """The codes written where they are passed on: the converters (storage/validation.py) return them,
    `check_frame` names one, and the measures' RULES table and `_unreadable`'s callers hold the rest."""
    codes: set[str] = set()
    storage = PACKAGE / "storage"
    modules = [ast.parse((storage / name).read_text()) for name in ("validation.py", "parsing.py")]
    for node in (n for tree in modules for n in ast.walk(tree)):
        if isinstance(node, ast.Return) and isinstance(node.value, ast.Tuple) and len(node.value.elts) == 3:
            codes |= _literal_codes(node.value.elts[2])
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Tuple) and len(node.value.elts) == 2:
            codes |= _literal_codes(node.value.elts[1])
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_unreadable":
            codes |= _literal_codes(node.args[1])
    from di_metrics.storage.measure_register import RULES

    codes.discard("")  # a text column breaks no rule
    return codes | {code for _, code, _ in RULES.values()}


def used_codes() -> set[str]:
    codes = _passed_on_codes()
    for module, func, _, code in _code_calls():
        literal = _literal_codes(code) if code is not None else set()
        assert literal or (module, func) in PASSED_ON, f"{module}:{func} passes a code this test cannot see"
        codes |= literal
    return codes


def test_every_rule_code_has_an_entry_in_both_catalogues_with_the_same_placeholders():
    used = used_codes()
    assert len(used) > 40  # the walk found the producers
    section = {
        lang: {k.removeprefix("problem."): v for k, v in i18n.catalogue(lang).items() if k.startswith("problem.")}
        for lang in i18n.LANGUAGES
    }
    for code in sorted(used | FRAMING):
        assert code in section["en"] and code in section["nl"], code
        assert _placeholders(section["en"][code]) == _placeholders(section["nl"][code]), code
        assert section["en"][code] != section["nl"][code] or code == "where_rule", code  # Dutch is translated
    assert set(section["en"]) == set(section["nl"]) == used | FRAMING  # no entry that no code uses


def test_the_values_given_with_a_code_are_the_ones_its_texts_ask_for():
    text = {k.removeprefix("problem."): v for k, v in i18n.catalogue("en").items()}
    for module, func, call, code in _code_calls():
        given = next((k.value for k in call.keywords if k.arg == "params"), None)
        given = given or (call.args[3] if len(call.args) > 3 else None)
        codes = _literal_codes(code) if code is not None else set()
        if isinstance(given, ast.Dict) and all(isinstance(k, ast.Constant) for k in given.keys) and codes:
            for c in codes:
                assert {k.value for k in given.keys} == _placeholders(text[c]), (module, func, c)
        if getattr(call.func, "id", None) == "InvalidChoice":
            for c in codes:
                assert {k.arg for k in call.keywords} == _placeholders(text[c]), (module, func, c)


def test_no_problem_is_built_from_a_sentence():
    """A code is a constant without spaces, never an f-string or text glued together; no file name either."""
    for path in sorted(PACKAGE.rglob("*.py")):
        for call in [n for n in ast.walk(ast.parse(path.read_text())) if isinstance(n, ast.Call)]:
            name = getattr(call.func, "id", getattr(call.func, "attr", None))
            if name not in ("Problem", "InvalidInput", "InvalidChoice"):
                continue
            for arg in [*call.args, *(k.value for k in call.keywords)]:
                assert not any(isinstance(n, ast.JoinedStr) for n in ast.walk(arg)), (path.name, ast.unparse(call))
                assert not (isinstance(arg, ast.BinOp) and isinstance(arg.op, ast.Add)), (path.name, ast.unparse(call))
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and name != "InvalidInput":
                    assert " " not in arg.value or "," in arg.value, (path.name, ast.unparse(call))


# --- rendering --------------------------------------------------------------------------------------------


def test_a_problem_renders_in_both_languages_with_its_values_and_lines():
    problem = Problem("gender", "unknown_value", tuple(range(2, 10)), {"allowed": ["F", "M", "X"]})
    assert render(problem, "en") == "column 'gender': unknown value (use F, M, X) (lines 2, 3, 4, 5, 6 and 3 more)"
    assert render(problem, "nl") == "kolom 'gender': onbekende waarde (gebruik F, M, X) (regels 2, 3, 4, 5, 6 en nog 3)"
    big = Problem(None, "parquet_too_big", params={"rows": 2_000_000, "columns": 3, "limit": 1_000_000})
    assert "2.000.000 rijen van 3 kolommen, meer dan 1.000.000 cellen" in render(big, "nl")
    stored = Problem.from_dict(json.loads(json.dumps(problem.as_dict(most=2))))
    assert (stored.lines, stored.more_lines) == ((2, 3), 6)
    assert render(stored, "nl").endswith("(regels 2, 3 en nog 6)")


@pytest.mark.parametrize(
    ("data", "name", "code", "raw"),
    [
        (b"a,b\n1,2\n3,4,5\n", "staff.csv", "not_csv", "Expected 2 fields"),
        (b"PK\x03\x04 not really a zip", "staff.xlsx", "not_xlsx", "File is not a zip file"),
        (b"PAR1 not really parquet", "staff.parquet", "not_parquet", "magic bytes"),
    ],
)
def test_a_parser_exception_becomes_a_code_and_its_words_go_to_the_log_only(data, name, code, raw, caplog):
    with caplog.at_level("INFO", logger="koers.input"), pytest.raises(InvalidInput) as refused:
        read_text_frame(data, name)
    (problem,) = refused.value.problems
    assert (problem.code, refused.value.file) == (code, name)
    assert raw in caplog.text  # the server log keeps what the parser said
    for lang in i18n.LANGUAGES:
        assert raw not in refused.value.text(lang) and name in refused.value.text(lang)
    if code == "not_csv":
        assert problem.lines == (3,)  # the row pandas stopped at, found without reading its message


# --- the command line -------------------------------------------------------------------------------------


def test_the_cli_says_a_bad_file_in_dutch_and_gives_codes_in_json(tmp_path, duckdb_url, capsys):
    path = tmp_path / "personeel.csv"
    path.write_text("snapshot_date,person_id,gender,org_unit\n2024-01-31,P1,Q,U1\n2024-01-31,P2,F,U1\n")
    assert main(["import", "workforce", str(path), "--db", duckdb_url, "--lang", "nl"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("personeel.csv: ongeldige invoer, er is niets geïmporteerd.")
    assert "kolom 'gender': onbekende geslachtscode" in err and "(regel 2)" in err
    assert main(["import", "workforce", str(path), "--db", duckdb_url, "--json"]) == 2
    doc = json.loads(capsys.readouterr().err)
    assert doc == {
        "error": "invalid_input",
        "file": "personeel.csv",
        "problems": [{"code": "unknown_gender", "column": "gender", "lines": [2], "more_lines": 0, "params": {}}],
    }


def test_an_unknown_survey_measure_is_refused_in_the_cli_language(demo_db, tmp_path, capsys):
    copy = tmp_path / "k.duckdb"
    shutil.copy(demo_db.removeprefix("duckdb:///"), copy)
    args = ["survey", "--measure", "shoe_size", "--db", f"duckdb:///{copy}"]
    assert main([*args, "--lang", "nl"]) == 2
    assert capsys.readouterr().err.startswith("onbekende maat 'shoe_size'; gebruik een van ")
    assert main([*args, "--json"]) == 2
    doc = json.loads(capsys.readouterr().err)
    assert (doc["error"], doc["code"], doc["params"]["value"]) == ("invalid_choice", "unknown_measure", "shoe_size")


# --- the import log ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "code", "dutch"),
    [
        (["frontier", "--points", "1"], "option_points", "--points moet een geheel getal van 2 tot 201 zijn, niet 1"),
        (["project", "--women", "5"], "start_counts_missing", "geef bij eigen startaantallen ook --start-year"),
        (["project", "--start-year", "2025", "--women", "9", "--men", "90"], "start_counts_missing", "--hire-share"),
    ],
)
def test_a_refused_command_line_option_is_said_in_the_cli_language_and_coded_in_json(args, code, dutch, capsys):
    assert main([*args, "--lang", "nl"]) == 2
    assert dutch in capsys.readouterr().err
    assert main([*args, "--json"]) == 2
    doc = json.loads(capsys.readouterr().err)
    assert (doc["error"], doc["code"]) == ("invalid_choice", code)


def test_a_refused_import_writes_nothing_not_even_a_log_line_and_carries_its_codes(engine):
    bad = b"year,category,count,branch\n2026,integriteit,12,KMar\n2026,integriteit,-3,CLAS\n"
    with store.connect(engine) as conn:
        logged = len(import_log(conn))
    with pytest.raises(InvalidInput) as refused:
        import_bytes(engine, "reports", bad, "meldingen.csv", user="alice")
    with store.connect(engine) as conn:
        stored = conn.execute(sa.select(sa.func.count()).select_from(store.formal_report)).scalar()
        assert (stored, len(import_log(conn))) == (0, logged)
    assert refused.value.as_dict()["problems"] == [
        {"code": "negative_count", "column": "count", "lines": [3], "more_lines": 0, "params": {}}
    ]
    assert refused.value.text("nl").endswith("kolom 'count': een aantal kan niet negatief zijn (regel 3)")


def test_outcomes_an_older_version_wrote_in_english_are_migrated_to_codes(db_url):
    """An older database: no detail column, outcomes as sentences. Opening it rewrites them as codes once."""
    engine = open_database(db_url)
    log = store.import_log
    with store.connect(engine, write=True) as conn:
        conn.execute(sa.text("ALTER TABLE import_log DROP COLUMN detail"))
        for i, result in enumerate(["imported", "undone by alice", "replaced by a rebuild", "kept as written"]):
            conn.execute(
                sa.text(
                    "INSERT INTO import_log (kind, file_name, file_hash, rows, imported_by, imported_at, result) "
                    "VALUES ('indicators', :f, 'h', 1, 'bob', TIMESTAMP '2025-01-01 00:00:00', :r)"
                ),
                {"f": f"f{i}.csv", "r": result},
            )
    engine.dispose()
    engine = open_database(db_url)
    with store.connect(engine) as conn:
        rows = conn.execute(sa.select(log.c.file_name, log.c.result, log.c.detail).order_by(log.c.file_name)).all()
    engine.dispose()
    assert [(r.result, r.detail and json.loads(r.detail)) for r in rows] == [
        ("imported", None),
        ("undone", {"user": "alice"}),
        ("replaced", None),
        ("kept as written", None),
    ]
    shown = {lang: [outcome_text(r.result, r.detail, lang) for r in rows] for lang in i18n.LANGUAGES}
    assert shown["en"] == ["imported", "undone by alice", "replaced by a rebuild", "kept as written"]
    assert shown["nl"] == [
        "geïmporteerd",
        "ongedaan gemaakt door alice",
        "vervangen bij een herberekening",
        "kept as written",
    ]


# --- the pages --------------------------------------------------------------------------------------------


@pytest.fixture
def page(demo_db, tmp_path, monkeypatch, modern_pages):
    """A page in a language on a copy of the demo database."""
    copy = tmp_path / "k.duckdb"
    shutil.copy(demo_db.removeprefix("duckdb:///"), copy)
    monkeypatch.setenv("KOERS_DATABASE_URL", f"duckdb:///{copy}")
    st.cache_data.clear()
    st.cache_resource.clear()

    def run(path: str, lang: str) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.query_params["lang"] = lang
        at.run()
        at.switch_page(path).run()
        assert not at.exception
        return at

    yield run
    st.cache_data.clear()
    st.cache_resource.clear()


def test_a_bad_upload_in_dutch_names_file_column_rows_and_rule(page):
    at = page("pages/import.py", "nl")
    at.selectbox(key="import_kind").set_value("reports").run()
    bad = "year,category,count,branch\n2026,integriteit,12,KMar\n2026,integriteit,-3,CLAS\n2026,x,-4,CLAS\n"
    at.file_uploader(key="import_file").upload("meldingen.csv", bad.encode(), "text/csv").run()
    assert not at.exception
    assert [c.value for c in at.caption if "meldingen.csv" in c.value] == ["Bestand: meldingen.csv"]
    report = next(d.value for d in at.dataframe if "Overtreden regel" in d.value.columns)
    assert report.to_dict("records") == [
        {"Kolom": "count", "Overtreden regel": "een aantal kan niet negatief zijn", "Regels": "3, 4"}
    ]


def test_a_refused_import_on_the_page_is_said_in_the_session_language_and_not_logged(page):
    at = page("pages/import.py", "nl")
    with store.connect(open_database(None)) as conn:
        year = conn.execute(sa.select(sa.func.max(store.formal_report.c.year))).scalar()
    again = f"year,category,count,branch\n{year},integriteit,99,KMar\n"
    at.selectbox(key="import_kind").set_value("reports").run()
    logged = len(at.dataframe[-1].value)
    at.file_uploader(key="import_file").upload("opnieuw.csv", again.encode(), "text/csv").run()
    assert not at.exception
    assert at.button(key="import_go").disabled  # the stored year is in the validation report, before importing
    assert [e.value for e in at.error] == [
        "Het bestand overtreedt 1 regels. Er kan niets worden geïmporteerd tot het is verbeterd."
    ]
    report = at.dataframe[-2].value
    assert list(report.iloc[0]) == [
        "year",
        f"al opgeslagen voor {year}; importeer opnieuw met vervangen (--replace) om te overschrijven",
        "",
    ]
    assert len(at.dataframe[-1].value) == logged


def test_replacing_stored_periods_stays_asked_while_the_file_is_swapped(page):
    """Asked once, the replace stays asked through the run between taking one file away and dropping the next
    (a browser swapping the file sends that run; a widget shown only with a file was forgotten in it)."""
    at = page("pages/import.py", "en")
    with store.connect(open_database(None)) as conn:
        year = conn.execute(sa.select(sa.func.max(store.formal_report.c.year))).scalar()
    at.selectbox(key="import_kind").set_value("reports").run()
    uploader = at.file_uploader(key="import_file")
    uploader.upload("first.csv", f"year,category,count,branch\n{year},integriteit,99,KMar\n".encode(), "text/csv")
    at.run()
    at.checkbox(key="import_replace").check().run()
    assert not at.button(key="import_go").disabled
    at.file_uploader(key="import_file").clear().run()
    at.file_uploader(key="import_file").upload(
        "second.csv", f"year,category,count,branch\n{year},integriteit,98,KMar\n".encode(), "text/csv"
    ).run()
    assert not at.exception
    assert at.checkbox(key="import_replace").value
    assert not at.button(key="import_go").disabled
    assert [s.value for s in at.success] == ["The file is valid."]


def test_a_damaged_targets_file_is_refused_in_dutch_without_the_parser_words(page):
    at = page("pages/targets.py", "nl")
    at.file_uploader[0].upload("doelen.toml", b"this is = not toml =", "application/toml").run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "doelen.toml: ongeldige invoer, er is niets geïmporteerd.\n  - bestand: het bestand is geen geldige TOML"
    ]
    at.file_uploader[0].upload("doelen.toml", b"\xff\xfe[[target]]", "application/toml").run()
    assert [e.value for e in at.error] == [
        "doelen.toml: ongeldige invoer, er is niets geïmporteerd.\n"
        "  - bestand: het bestand is geen UTF-8-tekst; sla het op als UTF-8 (regel 1)"
    ]


def test_docs_list_every_rule_code():
    table = (ROOT / "docs" / "formats.md").read_text()
    listed = set(re.findall(r"^\| `(\w+)` \|", table, re.M))
    assert listed == used_codes()
