"""Imports that never lose data: a catalogue of bad inputs, kill -9 at any moment, a database in use, undo."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pandas as pd
import pytest
import sqlalchemy as sa

from di_metrics.cli.main import main
from di_metrics.storage import schema, store
from di_metrics.storage.ingest import import_file, remember_mapping, undo_batch
from tests.support import ROOT, held_by_another_process
from tests.support.handmade import write_csv

HEAD = "snapshot_date,person_id,gender,org_unit"
ITEMS = (
    "item,construct,text_nl,text_en,scale_min,scale_max,favourable_min,reverse\n"
    "q1,inclusion,Ik hoor erbij,I belong,1,5,4,false\n"
)

# (kind, file name, content, fragments the message must hold)
CATALOGUE = [
    ("workforce", "missing.csv", "snapshot_date,person_id,org_unit\n2024-01-31,P1,U1\n", ["'gender'", "missing"]),
    ("workforce", "unknown.csv", HEAD + ",shoe\n2024-01-31,P1,F,U1,42\n", ["'shoe'", "unknown column"]),
    ("workforce", "empty.csv", "", ["empty"]),
    ("workforce", "header.csv", HEAD + "\n", ["no data rows"]),
    ("workforce", "garbage.csv", b"\x00\x01\x02\xff\xfe binary", ["binary"]),
    ("workforce", "text.xlsx", HEAD + "\n2024-01-31,P1,F,U1\n", ["not an Excel workbook"]),
    ("workforce", "baddate.csv", HEAD + "\n2024-02-30,P1,F,U1\n", ["'snapshot_date'", "not a valid date", "line 2"]),
    ("workforce", "ambiguous.csv", HEAD + "\n03-04-2024,P1,F,U1\n", ["ambiguous", "line 2"]),
    ("workforce", "gender.csv", HEAD + "\n2024-01-31,P1,F,U1\n2024-01-31,P2,W,U1\n", ["unknown gender code", "line 3"]),
    ("workforce", "noid.csv", HEAD + "\n2024-01-31,,F,U1\n", ["'person_id'", "required", "line 2"]),
    (
        "workforce",
        "twice.csv",
        HEAD + "\n2024-01-31,P1,F,U1\n2024-01-31,P1,F,U2\n",
        ["more than one row", "lines 2, 3"],
    ),
    (
        "workforce",
        "latin1.csv",
        (HEAD + "\n2024-01-31,P1,F,Eenheid Noordwijk\n2024-01-31,P2,M,Caf\xe9\n").encode("latin-1"),
        ["not UTF-8", "line 3"],
    ),
    (
        "workforce",
        "category.csv",
        HEAD + ",personnel_category\n2024-01-31,P1,F,U1,soldier\n",
        ["'personnel_category'", "unknown personnel category"],
    ),
    ("workforce", "birth.csv", HEAD + ",birth_year\n2024-01-31,P1,F,U1,nineteen\n", ["'birth_year'", "whole number"]),
    ("headcount", "negative.csv", "snapshot_date,gender,headcount\n2024-01-31,F,-4\n", ["'headcount'", "negative"]),
    (
        "headcount",
        "dupkey.csv",
        "snapshot_date,gender,headcount\n2024-01-31,F,4\n2024-01-31,F,5\n",
        ["more than one row"],
    ),
    (
        "survey-results",
        "over100.csv",
        "wave,measure,n,pct_favourable\n2024,incl,120,104.5\n",
        ["'pct_favourable'", "between 0 and 100", "line 2"],
    ),
    ("survey-results", "wave.csv", "wave,measure,n,pct_favourable\nlast year,incl,120,64\n", ["'wave'", "not a wave"]),
    (
        "survey",
        "offscale.csv",
        "wave,respondent_id,q1\n2025,R1,4\n2025,R2,9\n",
        ["'q1'", "off the item's scale", "line 3"],
    ),
    ("survey", "notitem.csv", "wave,respondent_id,q1,q7\n2025,R1,4,2\n", ["'q7'", "not an item in the codebook"]),
    ("reports", "count.csv", "year,category,count\n2024,integriteit,twelve\n", ["'count'", "whole number"]),
    ("indicators", "value.csv", "indicator,date,value\ntraining,2024-12-31,high\n", ["'value'", "not a number"]),
]


def _state(url: str) -> dict[str, int]:
    eng = store.make_engine(url)
    with store.connect(eng) as conn:
        counts = {
            t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar() for t in store.md.sorted_tables
        }
    eng.dispose()
    return counts


@pytest.fixture
def stocked(duckdb_url, tmp_path):
    """A database that already holds data, so that 'nothing lost' means something."""
    (tmp_path / "items.csv").write_text(ITEMS)
    assert main(["import", "items", str(tmp_path / "items.csv"), "--db", duckdb_url]) == 0
    assert main(["import", "workforce", str(write_csv(tmp_path / "w.csv")), "--db", duckdb_url]) == 0
    return duckdb_url


@pytest.mark.parametrize(("kind", "name", "content", "fragments"), CATALOGUE, ids=[c[1] for c in CATALOGUE])
def test_bad_input_is_refused_clearly_and_nothing_changes(stocked, tmp_path, capsys, kind, name, content, fragments):
    before = _state(stocked)
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    capsys.readouterr()
    assert main(["import", kind, str(path), "--db", stocked]) == 2
    err = capsys.readouterr().err
    assert name in err and "Traceback" not in err
    for fragment in fragments:
        assert fragment in err
    assert _state(stocked) == before


def test_accepted_oddities_bom_decimal_comma_and_formula_text(duckdb_url, tmp_path):
    path = tmp_path / "odd.csv"
    path.write_bytes("\ufeffindicator;date;value;numerator\n=cmd|' /C calc'!A0;31-12-2024;0,917;220\n".encode())
    assert main(["import", "indicators", str(path), "--db", duckdb_url]) == 0
    eng = store.make_engine(duckdb_url)
    with store.connect(eng) as conn:
        row = conn.execute(sa.select(store.indicator)).mappings().one()
    assert row["indicator"] == "=cmd|' /C calc'!A0" and row["value"] == pytest.approx(0.917)  # kept as text


def _big_workforce(path, persons=60_000, months=6):
    dates = pd.date_range("2024-01-31", periods=months, freq="ME").strftime("%Y-%m-%d")
    frame = pd.DataFrame(
        {
            "snapshot_date": dates.repeat(persons),
            "person_id": [f"P{i}" for i in range(persons)] * months,
            "gender": (["F", "M", "M", "M", "M"] * (persons // 5)) * months,
            "org_unit": ([f"U{i % 40}" for i in range(persons)]) * months,
        }
    )
    frame.to_csv(path, index=False)
    return len(frame)


# Runs the CLI import with one step inside its transaction wrapped: after the step, it says "inside" and waits,
# so the test kills it exactly there, with the transaction open and that step's writes made.
PAUSED_IMPORT = """
import sys, time
from di_metrics.storage import ingest, writers
from di_metrics.cli.main import main

module = {"ingest": ingest, "writers": writers}[sys.argv[1].split(".")[0]]
name = sys.argv[1].split(".")[1]
step = getattr(module, name)

def paused(*args, **kwargs):
    out = step(*args, **kwargs)
    print("inside", flush=True)
    time.sleep(600)
    return out

setattr(module, name, paused)
sys.exit(main(["import", "workforce", sys.argv[2], "--db", sys.argv[3]]))
"""


# log row, snapshot rows, cubes
@pytest.mark.parametrize("step", ["ingest._log", "writers.insert_frame", "writers.refresh_dates"])
def test_an_import_killed_inside_its_transaction_leaves_nothing_and_the_file_imports_after(stocked, tmp_path, step):
    rows = _big_workforce(tmp_path / "big.csv", persons=2_000, months=3)
    before = _state(stocked)
    proc = subprocess.Popen(
        [sys.executable, "-c", PAUSED_IMPORT, step, str(tmp_path / "big.csv"), stocked],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout.readline().strip() == "inside"
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert _state(stocked) == before
    assert main(["import", "workforce", str(tmp_path / "big.csv"), "--db", stocked]) == 0
    after = _state(stocked)
    assert after["workforce_snapshot"] - before["workforce_snapshot"] == rows
    assert after["import_log"] - before["import_log"] == 1


def test_a_database_in_use_gives_a_clear_message_then_the_import_succeeds(duckdb_url, tmp_path):
    schema.ensure_schema(store.make_engine(duckdb_url))
    csv = write_csv(tmp_path / "w.csv")
    env = {**os.environ, "KOERS_LOCK_WAIT": "1"}
    with held_by_another_process(duckdb_url):
        done = subprocess.run(
            [sys.executable, "-m", "di_metrics", "import", "workforce", str(csv), "--db", duckdb_url],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env=env,
        )
    assert done.returncode == 2
    assert "in use by another process" in done.stderr and "Traceback" not in done.stderr
    assert main(["import", "workforce", str(csv), "--db", duckdb_url]) == 0


def test_a_remembered_mapping_and_undo(engine, tmp_path):
    path = tmp_path / "hr.csv"
    path.write_text("peildatum,medewerker_nr,geslacht,afdeling\n2024-12-31,P1,V,U1\n2024-12-31,P2,M,U1\n")
    with store.connect(engine, write=True) as conn:
        remember_mapping(conn, "workforce", {"medewerker_nr": "person_id", "Afdeling": "org_unit"})
    result = import_file(engine, "workforce", path)
    assert result.rows == 2
    with store.connect(engine) as conn:
        assert conn.execute(sa.select(sa.func.sum(store.headcount_cube.c.headcount))).scalar() == 2
    assert undo_batch(engine, result.batch_id) == 2
    with store.connect(engine) as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(store.headcount_cube)).scalar() == 0
        assert conn.execute(sa.select(store.import_log.c.result)).scalar().startswith("undone")
