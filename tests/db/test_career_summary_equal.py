"""Issue #29: each career read from its summary returns exactly what a scan of the snapshots returns (the scans
in tests/support/career_scan.py are plain SQL, written apart from the package), on the hand-made fixture and
the demo, on DuckDB and PostgreSQL, and after an out-of-order import, a replaced date and an undo."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from di_metrics.models.ladders import load_ladders
from di_metrics.queries import career as reads
from di_metrics.queries.filters import Filters
from di_metrics.storage import store
from di_metrics.storage.careers import CAREER_TABLES
from di_metrics.storage.database import open_database
from di_metrics.storage.ingest import import_bytes, import_file, undo_batch
from tests.support import career as fixture
from tests.support import career_scan as scan

B1 = Filters.of({"branch": ["B1"]})


def _same_spells(conn) -> None:
    assert scan.as_rows(reads.spell_counts(conn)) == scan.spells(conn)
    assert scan.as_rows(reads.spell_counts(conn, B1, "rank_group")) == scan.spells(conn, "rank_group", "B1")
    assert scan.as_rows(reads.spell_counts(conn, Filters(), "org_unit")) == scan.spells(conn, "org_unit")


def _same_stays(conn) -> None:
    ladders = load_ladders()
    assert scan.as_rows(reads.rank_stays(conn, ladders)) == scan.stays(conn, ladders)
    assert scan.as_rows(reads.rank_stays(conn, ladders, B1)) == scan.stays(conn, ladders, "B1")


def _same_promotions(conn) -> None:
    ladders = load_ladders()
    assert scan.as_rows(reads.promotion_counts(conn, ladders)) == scan.promotions(conn, ladders)
    assert scan.as_rows(reads.promotion_counts(conn, ladders, B1)) == scan.promotions(conn, ladders, "B1")


def _same(conn) -> None:
    _same_spells(conn)
    _same_stays(conn)
    _same_promotions(conn)


@pytest.fixture
def fixture_db(engine, tmp_path):
    import_file(engine, "workforce", fixture.write_csv(tmp_path / "career.csv"))
    return engine


def test_spells_equal_the_scan_on_the_fixture(fixture_db):
    with store.connect(fixture_db) as conn:
        assert len(scan.spells(conn)) > 5  # the scan itself finds the fixture's spells
        _same_spells(conn)


@pytest.fixture
def demo_engine(request, db_url, demo_db):
    """The demo: the session's full DuckDB demo, and a smaller demo built on PostgreSQL (same code, fewer
    persons: a full build there costs minutes on a shared machine)."""
    if db_url.startswith("duckdb"):
        engine = open_database(demo_db)
    else:
        from di_metrics.demo.build import build_demo

        engine = open_database(db_url)
        build_demo(engine, persons=600)
    yield engine
    engine.dispose()


def test_summaries_equal_the_scan_on_the_demo(demo_engine):
    with store.connect(demo_engine) as conn:
        assert len(scan.spells(conn)) > 50 and len(scan.stays(conn, load_ladders())) > 50
        assert sum(r[4] for r in scan.promotions(conn, load_ladders())) > 20
        _same(conn)


def _csv(rows: list[dict[str, str]]) -> bytes:
    header = list(rows[0])
    return ("\n".join([",".join(header), *(",".join(r[c] for c in header) for r in rows)]) + "\n").encode()


def _of(years: set[int]) -> list[dict[str, str]]:
    return [r for r in fixture.rows() if int(r["snapshot_date"][:4]) in years]


def test_stays_equal_the_scan_on_the_fixture(fixture_db):
    with store.connect(fixture_db) as conn:
        found = scan.stays(conn, load_ladders())
        assert {r[4] for r in found} == {0, 1, 2}  # censored, promoted and left stays all occur
        _same_stays(conn)


def test_promotions_equal_the_scan_on_the_fixture(fixture_db):
    with store.connect(fixture_db) as conn:
        found = scan.promotions(conn, load_ladders())
        assert sum(r[4] for r in found) == 35  # W1-W10 and M1-M15 (2019, 2020), D3-D7 (2021), E3-E7 (2022)
        _same_promotions(conn)


def test_summaries_equal_the_scan_after_out_of_order_replace_and_undo(engine):
    """2018-2019 and 2022-2024 first, then 2020-2021 in the middle; a replaced 2022 that drops the women of
    cohort A (breaking their spells in two) and E3, promoted that year (so E3 left instead), and moves W11 up
    for that year only; a later 2025 undone again."""
    import_bytes(engine, "workforce", _csv(_of({2018, 2019, 2022, 2023, 2024})), "a.csv")
    with store.connect(engine) as conn:
        _same(conn)
    import_bytes(engine, "workforce", _csv(_of({2020, 2021})), "b.csv")
    with store.connect(engine) as conn:
        _same(conn)
    without_a = [r for r in _of({2022}) if not r["person_id"].startswith("A") and r["person_id"] != "E3"]
    without_a = [{**r, "rank_group": "onderofficieren"} if r["person_id"] == "W11" else r for r in without_a]
    import_bytes(engine, "workforce", _csv(without_a), "c.csv", replace=True)
    with store.connect(engine) as conn:
        _same(conn)
        broken = scan.spells(conn, branch="B1")
    later = [{**r, "snapshot_date": "2025-12-31"} for r in _of({2024}) if r["person_id"][0] in "ABW"]
    batch = import_bytes(engine, "workforce", _csv(later), "d.csv").batch_id
    with store.connect(engine) as conn:
        _same(conn)
    undo_batch(engine, batch)
    with store.connect(engine) as conn:
        _same(conn)
        assert scan.spells(conn, branch="B1") == broken


def test_a_database_made_before_the_career_summaries_gets_them_filled(fixture_db, db_url):
    with store.connect(fixture_db, write=True) as conn:
        for table in CAREER_TABLES:
            conn.execute(sa.text(f"DROP TABLE {table.name}"))  # as an earlier version left it
    fixture_db.dispose()
    engine = open_database(db_url)
    with store.connect(engine) as conn:
        _same(conn)
    engine.dispose()


def test_a_year_with_several_moves_from_the_census_rank_counts_each_person_once(engine):
    """Worked by hand: P1 moves up, back and up again (one promoted woman, not two); P2 moves across to the
    civilian ladder; P3 moves down, back, then up (promoted from the census rank); P4 is away in January
    (no move between consecutive snapshots); P5 stays."""
    dates = ("2023-12-31", "2024-01-31", "2024-02-29", "2024-06-30", "2024-12-31")
    man, oo, off, s16 = "manschappen", "onderofficieren", "officieren", "schaal 1-6"
    careers = {
        ("P1", "F"): (man, oo, man, off, off),
        ("P2", "F"): (man, s16, s16, s16, s16),
        ("P3", "M"): (oo, man, oo, off, off),
        ("P4", "M"): (man, None, oo, oo, oo),
        ("P5", "M"): (man, man, man, man, man),
    }
    rows = [
        {"snapshot_date": d, "person_id": p, "gender": g, "org_unit": "U1", "branch": "B1", "rank_group": r}
        for (p, g), ranks in careers.items()
        for d, r in zip(dates, ranks, strict=True)
        if r
    ]
    import_bytes(engine, "workforce", _csv(rows), "moves.csv")
    with store.connect(engine) as conn:
        found = reads.promotion_counts(conn, load_ladders())
        assert scan.as_rows(found) == [(2024, man, "F", 2, 1), (2024, man, "M", 2, 0), (2024, oo, "M", 1, 1)]
        _same(conn)
