"""Importing through the CLI: clear messages naming file, column, rule and lines; exit 2; nothing written."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from di_metrics.cli.main import main
from di_metrics.storage import store
from tests.support.handmade import write_csv

HEADER = "snapshot_date,person_id,gender,org_unit"


def _count(url: str) -> int:
    eng = store.make_engine(url)
    with store.connect(eng) as conn:
        n = conn.execute(sa.select(sa.func.count()).select_from(store.workforce_snapshot)).scalar()
    eng.dispose()
    return n


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", ["empty"]),
        (HEADER + "\n", ["no data rows"]),
        ("snapshot_date,person_id,org_unit\n2024-01-31,P1,U1\n", ["'gender'", "required column is missing"]),
        (HEADER + ",shoe_size\n2024-01-31,P1,F,U1,42\n", ["'shoe_size'", "unknown column"]),
        (HEADER + "\n2024-01-31,P1,F,U1\n2024-13-45,P2,M,U1\n", ["'snapshot_date'", "not a valid date", "line 3"]),
        (HEADER + "\n03-04-2024,P1,F,U1\n", ["'snapshot_date'", "ambiguous", "line 2"]),
        (
            HEADER + "\n2024-01-31,P1,Q,U1\n2024-01-31,P2,F,U1\n2024-01-31,P3,zz,U1\n",
            ["'gender'", "unknown gender code", "lines 2, 4"],
        ),
        (HEADER + "\n2024-01-31,,F,U1\n", ["'person_id'", "a value is required", "line 2"]),
        (
            HEADER + "\n2024-01-31,P1,F,U1\n2024-01-31,P1,M,U2\n",
            ["snapshot_date, person_id", "more than one row", "lines 2, 3"],
        ),
    ],
)
def test_bad_workforce_file(tmp_path, duckdb_url, capsys, content, expected):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    assert main(["import", "workforce", str(path), "--db", duckdb_url]) == 2
    err = capsys.readouterr().err
    assert "bad.csv" in err and "Traceback" not in err
    for fragment in expected:
        assert fragment in err
    assert _count(duckdb_url) == 0


def test_text_file_named_xlsx(tmp_path, duckdb_url, capsys):
    path = tmp_path / "staff.xlsx"
    path.write_text(HEADER + "\n2024-01-31,P1,F,U1\n")
    assert main(["import", "workforce", str(path), "--db", duckdb_url]) == 2
    assert "not an Excel workbook" in capsys.readouterr().err


def test_same_file_twice_changes_nothing_and_new_file_for_stored_date_needs_replace(tmp_path, db_url, capsys):
    csv = write_csv(tmp_path / "workforce.csv")
    assert main(["import", "workforce", str(csv), "--db", db_url, "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert (first["rows"], first["changed"]) == (33, True)
    assert main(["import", "workforce", str(csv), "--db", db_url, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["changed"] is False
    other = tmp_path / "other.csv"
    other.write_text(HEADER + "\n2024-12-31,P99,F,U1\n")
    assert main(["import", "workforce", str(other), "--db", db_url]) == 2
    assert "2024-12-31" in capsys.readouterr().err
    assert _count(db_url) == 33
    assert main(["import", "workforce", str(other), "--db", db_url, "--replace"]) == 0
    assert _count(db_url) == 33 - 12 + 1


def test_dutch_aliases_bom_and_semicolons(tmp_path, duckdb_url):
    path = tmp_path / "peildata.csv"
    path.write_bytes(
        "\ufeffPeildatum;person_id;Geslacht;Eenheid;Categorie\n31-12-2024;P1;vrouw;U1;militair\n"
        "31-12-2024;P2;man;U1;burger\n".encode()
    )
    assert main(["import", "workforce", str(path), "--db", duckdb_url]) == 0
    assert _count(duckdb_url) == 2


def test_rebuild_repairs_damaged_summary_tables(tmp_path, db_url, capsys):
    assert main(["import", "workforce", str(write_csv(tmp_path / "workforce.csv")), "--db", db_url]) == 0
    engine = store.make_engine(db_url)
    cube, moves = store.headcount_cube, store.transition_cube
    with store.connect(engine) as conn:
        made = sorted(tuple(r) for r in conn.execute(sa.select(moves.c.snapshot_date, moves.c.persons)))
    with store.connect(engine, write=True) as conn:  # damage, as a crash of an old version could leave it
        conn.execute(cube.delete())
        conn.execute(moves.delete().where(moves.c.persons > 1))
    capsys.readouterr()
    assert main(["rebuild", "--db", db_url, "--lang", "nl"]) == 0
    assert "opnieuw opgebouwd" in capsys.readouterr().out
    with store.connect(engine) as conn:
        assert conn.execute(sa.select(sa.func.sum(cube.c.headcount))).scalar() == 33  # the file's 33 rows
        assert sorted(tuple(r) for r in conn.execute(sa.select(moves.c.snapshot_date, moves.c.persons))) == made
    engine.dispose()
