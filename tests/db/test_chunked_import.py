"""A workforce Parquet file imported chunk by chunk: the same rows, cubes and messages as a whole file, lines
counted over the whole file, and nothing written when any chunk breaks a rule (DuckDB and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest
import sqlalchemy as sa

from di_metrics.errors import InvalidInput
from di_metrics.storage import chunked, parsing, store
from di_metrics.storage.careers import CAREER_TABLES
from di_metrics.storage.ingest import import_file, rebuild_cubes
from tests.support import ROOT
from tests.support.handmade import rows

CHUNK = 7  # rows per chunk in these tests: the hand-made file (33 rows) spans five chunks


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):
    monkeypatch.setattr(parsing, "STREAM_ROWS", CHUNK)
    real = parsing.parquet_text_chunks
    monkeypatch.setattr(chunked, "parquet_text_chunks", lambda data, name: real(data, name, CHUNK))


def _frame() -> pd.DataFrame:
    frame = pd.DataFrame(rows())
    frame["snapshot_date"] = pd.to_datetime(frame["snapshot_date"])  # typed dates, as an export writes them
    return frame


def _write(frame: pd.DataFrame, path):
    frame.to_parquet(path, index=False)
    return path


def _table(engine, table: sa.Table) -> list[tuple]:
    cols = [c for c in table.columns if c.name not in ("batch_id", "id")]
    with store.connect(engine) as conn:
        return sorted(conn.execute(sa.select(*cols)).all(), key=repr)


def _count(engine) -> tuple[int, int]:
    with store.connect(engine) as conn:
        snapshots = conn.execute(sa.select(sa.func.count()).select_from(store.workforce_snapshot)).scalar()
        log = store.import_log
        logged = conn.execute(sa.select(sa.func.count()).where(log.c.result == "imported")).scalar()
    return snapshots, logged


def test_chunks_give_the_rows_and_cubes_of_the_whole_file(engine, tmp_path):
    frame = _frame()
    assert chunked.streams("workforce", _write(frame, tmp_path / "w.parquet").read_bytes(), "w.parquet", {})
    result = import_file(engine, "workforce", tmp_path / "w.parquet")
    assert result.rows == len(frame) == 33
    names = [c.name for c in store.workforce_snapshot.columns if c.name != "batch_id"]
    given = [
        {**r, "snapshot_date": r["snapshot_date"].date(), "birth_year": None, "hire_date": None}
        for r in frame.to_dict("records")
    ]
    expected = [tuple(r[n] for n in names) for r in given]
    assert _table(engine, store.workforce_snapshot) == sorted(expected, key=repr)
    summaries = (store.headcount_cube, store.transition_cube, *CAREER_TABLES)
    cubes = tuple(_table(engine, t) for t in summaries)
    rebuild_cubes(engine)  # the independent full formulation
    assert cubes == tuple(_table(engine, t) for t in summaries)
    # hand-worked: 3 women, 8 men on the first date; P3 leaves by the third
    heads = _table(engine, store.headcount_cube)
    first = [r for r in heads if r[0] == dt.date(2023, 12, 31)]
    assert sum(r[-1] for r in first if r[1] == "F") == 3 and sum(r[-1] for r in first if r[1] == "M") == 8


def test_a_bad_row_in_a_late_chunk_writes_nothing_and_lines_count_over_the_file(engine, tmp_path):
    frame = _frame()
    frame.loc[3, "gender"] = "Q"  # line 5, first chunk
    frame.loc[30, "gender"] = "zz"  # line 32, fifth chunk
    frame.loc[20, "person_id"] = ""  # line 22, third chunk
    with pytest.raises(InvalidInput) as refused:
        import_file(engine, "workforce", _write(frame, tmp_path / "bad.parquet"))
    problems = {p.column: p for p in refused.value.problems}
    assert problems["gender"].lines == (5, 32)
    assert problems["gender"].code == "unknown_gender"
    assert problems["person_id"].lines == (22,) and problems["person_id"].code == "value_required"
    assert _count(engine) == (0, 0)


def test_a_key_twice_in_different_chunks_names_both_lines(engine, tmp_path):
    frame = _frame()
    frame.loc[31, ["snapshot_date", "person_id"]] = frame.loc[1, ["snapshot_date", "person_id"]].to_list()
    with pytest.raises(InvalidInput) as refused:
        import_file(engine, "workforce", _write(frame, tmp_path / "dup.parquet"))
    (problem,) = refused.value.problems
    assert problem.code == "duplicate_key" and problem.lines == (3, 33)
    assert _count(engine) == (0, 0)


def test_stored_dates_are_refused_or_replaced_as_for_a_whole_file(engine, tmp_path):
    frame = _frame()
    import_file(engine, "workforce", _write(frame, tmp_path / "a.parquet"))
    later = frame[frame["snapshot_date"] == "2024-12-31"].assign(org_unit="U9")
    with pytest.raises(InvalidInput) as refused:
        import_file(engine, "workforce", _write(later, tmp_path / "b.parquet"))
    assert "already stored for 2024-12-31" in str(refused.value)
    result = import_file(engine, "workforce", tmp_path / "b.parquet", replace=True)
    assert result.replaced == ("2024-12-31",)
    stored = _table(engine, store.workforce_snapshot)
    assert {r[6] for r in stored if r[0] == dt.date(2024, 12, 31)} == {"U9"}
    assert len(stored) == 33


def test_a_missing_column_is_reported_once(engine, tmp_path):
    with pytest.raises(InvalidInput) as refused:
        import_file(engine, "workforce", _write(_frame().drop(columns="gender"), tmp_path / "nog.parquet"))
    assert [(p.column, p.code) for p in refused.value.problems] == [("gender", "column_missing")]
    assert _count(engine) == (0, 0)


def test_dates_written_as_text_are_read_whole(duckdb_url, tmp_path):
    """Whether 03-04-2024 is day-first is decided over the whole column, so such a file is not chunked."""
    frame = pd.DataFrame(rows())
    frame["snapshot_date"] = pd.to_datetime(frame["snapshot_date"]).dt.strftime("%d-%m-%Y")
    data = _write(frame, tmp_path / "text.parquet").read_bytes()
    assert not chunked.streams("workforce", data, "text.parquet", {})
    assert chunked.streams("workforce", _write(_frame(), tmp_path / "typed.parquet").read_bytes(), "t.parquet", {})
    assert not chunked.streams("workforce", data, "text.csv", {})


def _big(path, persons=60_000, months=12):
    dates = pd.date_range("2024-01-31", periods=months, freq="ME")
    pd.DataFrame(
        {
            "snapshot_date": dates.repeat(persons),
            "person_id": [f"P{i}" for i in range(persons)] * months,
            "gender": (["F", "M", "M", "M", "M"] * (persons // 5)) * months,
            "org_unit": [f"U{i % 40}" for i in range(persons)] * months,
        }
    ).to_parquet(path, index=False)
    return persons * months


@pytest.mark.parametrize("delay", [1.0, 3.0])
def test_a_chunked_import_killed_at_any_moment_leaves_nothing_or_everything(duckdb_url, tmp_path, delay):
    total = _big(tmp_path / "big.parquet")  # two chunks of the real size
    engine = store.make_engine(duckdb_url)
    proc = subprocess.Popen(
        [sys.executable, "-m", "di_metrics", "import", "workforce", str(tmp_path / "big.parquet"), "--db", duckdb_url],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(delay)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    from di_metrics.storage.database import open_database

    engine = open_database(duckdb_url)
    snapshots, logged = _count(engine)
    assert (snapshots, logged) in ((0, 0), (total, 1))
    engine.dispose()
