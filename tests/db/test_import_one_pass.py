"""One import names every problem of a file at once, duplicate keys included, whole (CSV) or in chunks
(Parquet), and writes nothing; a chunked first import writes its rows straight into the snapshot table
(DuckDB and PostgreSQL). Lines are worked out by hand from the hand-made file (header is line 1)."""

from __future__ import annotations

import json

import pandas as pd
import pyarrow as pa
import pytest
import sqlalchemy as sa

from di_metrics.errors import InvalidInput
from di_metrics.storage import bulk, chunked, parsing, store
from di_metrics.storage.database import open_database
from di_metrics.storage.ingest import import_bytes, import_file
from tests.support.handmade import rows

CHUNK = 7  # the hand-made file's 33 rows span five chunks: lines 2-8, 9-15, 16-22, 23-29, 30-34


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):
    monkeypatch.setattr(parsing, "STREAM_ROWS", CHUNK)
    real = parsing.parquet_text_chunks
    monkeypatch.setattr(chunked, "parquet_text_chunks", lambda data, name: real(data, name, CHUNK))


def _broken() -> pd.DataFrame:
    """Three kinds of problem, in different chunks: a bad value, a missing value, a key twice."""
    frame = pd.DataFrame(rows())
    frame.loc[3, "gender"] = "Q"  # line 5, first chunk
    frame.loc[20, "person_id"] = ""  # line 22, third chunk
    frame.loc[31, ["snapshot_date", "person_id"]] = frame.loc[1, ["snapshot_date", "person_id"]].to_list()
    return frame  # the key of line 3 (first chunk) again on line 33 (fifth chunk)


EXPECTED = {
    ("gender", "unknown_gender", (5,)),
    ("person_id", "value_required", (22,)),
    ("snapshot_date, person_id", "duplicate_key", (3, 33)),
}


def _stored(engine) -> tuple[int, int]:
    with store.connect(engine) as conn:
        snapshots = conn.execute(sa.select(sa.func.count()).select_from(store.workforce_snapshot)).scalar()
        log = store.import_log
        logged = conn.execute(sa.select(sa.func.count()).where(log.c.result == "imported")).scalar()
    return snapshots, logged


def _named(refused: pytest.ExceptionInfo) -> set[tuple]:
    return {(p.column, p.code, p.lines) for p in refused.value.problems}


def test_a_whole_file_names_every_kind_of_problem_at_once(engine):
    data = _broken().to_csv(index=False).encode()
    with pytest.raises(InvalidInput) as refused:
        import_bytes(engine, "workforce", data, "broken.csv")
    assert _named(refused) == EXPECTED
    assert _stored(engine) == (0, 0)


def test_a_chunked_file_names_every_kind_of_problem_at_once(engine, tmp_path):
    frame = _broken().assign(snapshot_date=lambda f: pd.to_datetime(f["snapshot_date"]))
    frame.to_parquet(tmp_path / "broken.parquet", index=False)
    with pytest.raises(InvalidInput) as refused:
        import_file(engine, "workforce", tmp_path / "broken.parquet")
    assert _named(refused) == EXPECTED
    assert _stored(engine) == (0, 0)


def test_a_stored_date_is_named_with_the_files_other_problems(engine, tmp_path):
    typed = pd.DataFrame(rows()).assign(snapshot_date=lambda f: pd.to_datetime(f["snapshot_date"]))
    typed.to_parquet(tmp_path / "first.parquet", index=False)
    import_file(engine, "workforce", tmp_path / "first.parquet")
    again = typed[typed["snapshot_date"] == "2024-12-31"].reset_index(drop=True)  # 12 rows, lines 2-13
    again.loc[10, "gender"] = "zz"  # line 12, second chunk
    again.to_parquet(tmp_path / "again.parquet", index=False)
    with pytest.raises(InvalidInput) as refused:
        import_file(engine, "workforce", tmp_path / "again.parquet")
    assert {p.code for p in refused.value.problems} == {"already_stored", "unknown_gender"}
    assert _stored(engine) == (33, 1)  # the refusal cleared nothing it did not put back


def test_a_chunked_first_import_writes_each_chunk_straight_into_the_snapshot_table(engine, tmp_path, monkeypatch):
    """No staging table: whole rows go only to the snapshot table; the one temporary table (PostgreSQL's key
    check) holds a chunk's keys."""
    writes: list[tuple[str, int, tuple[str, ...]]] = []

    def spy(real):
        def counted(conn, table, frame, order=()):
            writes.append((table.name, len(frame), tuple(frame.columns)))
            return real(conn, table, frame, order)

        return counted

    monkeypatch.setattr(chunked, "insert_frame", spy(bulk.insert_frame))
    monkeypatch.setattr(chunked, "append_chunk", spy(bulk.append_chunk))
    typed = pd.DataFrame(rows()).assign(snapshot_date=lambda f: pd.to_datetime(f["snapshot_date"]))
    typed.to_parquet(tmp_path / "w.parquet", index=False)
    import_file(engine, "workforce", tmp_path / "w.parquet")
    assert {name for name, _, _ in writes} <= {"workforce_snapshot", "koers_chunk_keys"}
    snapshot = [n for name, n, _ in writes if name == "workforce_snapshot"]
    assert snapshot == [7, 7, 7, 7, 5]  # five chunks, each written as it was checked
    assert all(
        n <= CHUNK and cols == ("snapshot_date", "person_id")
        for name, n, cols in writes
        if name != "workforce_snapshot"
    )
    assert _stored(engine) == (33, 1)


def test_a_chunked_import_on_duckdb_holds_no_earlier_chunk(duckdb_url, tmp_path, monkeypatch):
    """Arrow memory in use when each chunk is read stays at one chunk's worth: DuckDB holds any Arrow data a
    statement read until the transaction ends, so a chunk passed to it as Arrow would stay until commit."""
    persons, months, chunk = 4_000, 6, 4_000
    dates = pd.date_range("2024-01-31", periods=months, freq="ME")
    pd.DataFrame(
        {
            "snapshot_date": dates.repeat(persons),
            "person_id": [f"P{i:07d}" for i in range(persons)] * months,
            "gender": ["F", "M"] * (persons * months // 2),
            "org_unit": [f"U{i % 40}" for i in range(persons)] * months,
        }
    ).to_parquet(tmp_path / "w.parquet", index=False)
    in_use: list[int] = []
    real = parsing.parquet_text_chunks

    def watched(data, name):
        for before, frame in real(data, name, chunk):
            in_use.append(pa.total_allocated_bytes())
            yield before, frame

    monkeypatch.setattr(chunked, "parquet_text_chunks", watched)
    engine = open_database(duckdb_url)
    assert import_file(engine, "workforce", tmp_path / "w.parquet").rows == persons * months
    engine.dispose()
    assert len(in_use) == months
    one_chunk = in_use[1] - in_use[0]  # the first chunk's Arrow data, read and held while it is written
    assert max(in_use[1:]) - min(in_use[1:]) < one_chunk // 2  # flat: no earlier chunk is still held


def _problems(refused: pytest.ExceptionInfo) -> set[tuple]:
    return {(p.column, p.code, p.lines, json.dumps(p.params, sort_keys=True)) for p in refused.value.problems}


BENCHMARKS = """peer,population,date,year,measure,value,source
Politie,total,2023-12-31,2023,women_share_strength,20.5,CBS
Politie,intake,2023-12-31,,women_share_intake,abc,CBS
Politie,total,,,women_share_intake,30,CBS
Brandweer,total,2023-06-30,2022,women_share_strength,15,CBS
Brandweer,intake,31-31-2023,,women_share_intake,140,CBS
"""


def test_a_whole_files_own_rules_join_the_basic_checks_in_one_report(engine):
    """Line 3's value is no number; line 4 has no date and no year; line 5's date lies in 2023, its year says
    2022; line 6's date is no date and its value lies above 100. Line 6 is not called undated: its date did not
    parse, so the benchmark rule runs on the rows that did."""
    with pytest.raises(InvalidInput) as refused:
        import_bytes(engine, "benchmarks", BENCHMARKS.encode(), "peers.csv")
    assert _problems(refused) == {
        ("value", "not_number", (3,), "{}"),
        ("value", "pct_range", (6,), "{}"),
        ("date", "not_date", (6,), "{}"),
        ("date, year", "benchmark_undated", (4,), "{}"),
        ("year", "benchmark_year_mismatch", (5,), "{}"),
    }
    with store.connect(engine) as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(store.benchmark)).scalar() == 0
    assert _stored(engine) == (0, 0)


def test_a_whole_file_names_a_stored_date_beside_its_other_problems(engine):
    first = pd.DataFrame(rows())
    import_bytes(engine, "workforce", first.to_csv(index=False).encode(), "first.csv")
    again = first[first["snapshot_date"] == "2024-12-31"].reset_index(drop=True)  # 12 rows, lines 2-13
    again.loc[10, "gender"] = "zz"  # line 12
    data = again.to_csv(index=False).encode()
    with pytest.raises(InvalidInput) as refused:
        import_bytes(engine, "workforce", data, "again.csv")
    assert _problems(refused) == {
        ("snapshot_date", "already_stored", (), '{"periods": ["2024-12-31"]}'),
        ("gender", "unknown_gender", (12,), "{}"),
    }
    with pytest.raises(InvalidInput) as replacing:  # replacing the stored date leaves the other problem
        import_bytes(engine, "workforce", data, "again.csv", replace=True)
    assert _named(replacing) == {("gender", "unknown_gender", (12,))}
    assert _stored(engine) == (33, 1)


def test_a_column_names_a_negative_count_beside_a_value_that_is_no_whole_number(engine):
    """Lines 3 and 5 hold negative counts, line 4 a fraction: two kinds of problem in one column."""
    data = (
        "year,category,count,branch\n"
        "2030,integriteit,3,KMar\n"
        "2030,sociale veiligheid,-2,KMar\n"
        "2030,pesten,2.5,KMar\n"
        "2030,discriminatie,-1,CLAS\n"
    )
    with pytest.raises(InvalidInput) as refused:
        import_bytes(engine, "reports", data.encode(), "reports.csv")
    assert _named(refused) == {("count", "not_whole_number", (4,)), ("count", "negative_count", (3, 5))}
    with store.connect(engine) as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(store.formal_report)).scalar() == 0


def test_the_measures_rules_run_on_the_rows_that_parsed_and_name_nothing_twice(engine):
    """Line 2 ends before it starts; line 3's start is no date (the register's rules still run on its other
    values, which pass); line 4 links an unknown indicator; line 5's status is not a status, named once by the
    column's choices and not again by the register."""
    data = (
        "name,start_date,end_date,indicator,status\n"
        "A,2024-01-01,2023-01-01,women_share,running\n"
        "B,soon,,women_share,running\n"
        "C,2024-01-01,,nonsense,running\n"
        "D,2024-01-01,,women_share,bogus\n"
    )
    with pytest.raises(InvalidInput) as refused:
        import_bytes(engine, "measures", data.encode(), "measures.csv")
    assert _named(refused) == {
        ("end_date", "measure_end_before_start", (2,)),
        ("start_date", "not_date", (3,)),
        ("indicator", "measure_unknown_indicator", (4,)),
        ("status", "unknown_value", (5,)),
    }
