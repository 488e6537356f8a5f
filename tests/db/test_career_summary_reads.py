"""Issue #29: the career reads should read summary tables, not the person-level snapshots, so their cost
follows the summaries, not the history. Structural, never timed: every statement a read sends is recorded
(SQLAlchemy's `before_cursor_execute`) and none may name `workforce_snapshot`.

Each read was a strict expected failure until it was moved onto its summary (storage/careers.py,
storage/promotions.py). The intersections' pairs: test_career_matrix_pairs.py."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from di_metrics.models.ladders import load_ladders
from di_metrics.queries import career as reads
from di_metrics.queries.filters import Filters
from di_metrics.storage import store
from di_metrics.storage.aggregates import refresh_workforce_cubes
from di_metrics.storage.database import open_database
from di_metrics.storage.ingest import import_bytes, import_file, undo_batch
from tests.support import career as fixture


@pytest.fixture
def conn(engine, tmp_path):
    import_file(engine, "workforce", fixture.write_csv(tmp_path / "career.csv"))
    with store.connect(engine) as c:
        yield c


@contextmanager
def statements(conn) -> Iterator[list[str]]:
    """Every SQL text the connection sends while the block runs."""
    sent: list[str] = []

    def record(_conn, _cursor, statement, _parameters, _context, _many):
        sent.append(statement)

    sa.event.listen(conn.engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        sa.event.remove(conn.engine, "before_cursor_execute", record)


def _snapshot_reads(conn, read: Callable[[], object]) -> list[str]:
    with statements(conn) as sent:
        read()
    assert sent, "the read sent no statement: the recorder is not listening"
    return [s for s in sent if "workforce_snapshot" in s.lower()]


def test_the_recorder_sees_a_snapshot_read(conn):
    """The check itself: a statement that does read the snapshots is caught."""
    found = _snapshot_reads(
        conn, lambda: conn.execute(sa.select(sa.func.count()).select_from(store.workforce_snapshot))
    )
    assert len(found) == 1


def test_spell_counts_read_no_snapshots(conn):
    assert _snapshot_reads(conn, lambda: reads.spell_counts(conn, Filters(), "branch")) == []


def test_snapshot_index_reads_no_snapshots(conn):
    assert _snapshot_reads(conn, lambda: reads.snapshot_index(conn)) == []


def test_promotion_counts_read_no_snapshots(conn):
    ladders = load_ladders()
    assert _snapshot_reads(conn, lambda: reads.promotion_counts(conn, ladders, Filters())) == []


def test_rank_stays_read_no_snapshots(conn):
    ladders = load_ladders()
    assert _snapshot_reads(conn, lambda: reads.rank_stays(conn, ladders, Filters())) == []


def test_the_career_views_and_series_read_no_snapshots(conn):
    """What the Career page, the deck and the target registry read, the matrix apart."""
    from di_metrics.analysis import career, promotion, retention

    ladders = load_ladders()
    views = [
        lambda: career.intake(conn, Filters.of({"branch": ["B1"]})),
        lambda: retention.retention(conn, Filters(), "branch"),
        lambda: promotion.promotion(conn, Filters(), ladders),
        lambda: reads.intake_points(conn, Filters(), 3),
        lambda: reads.retention_points(conn, Filters(), 1, 3),
        lambda: reads.promotion_points(conn, ladders, Filters(), "manschappen", 3),
    ]
    for view in views:
        assert _snapshot_reads(conn, view) == []


def _calendar(conn) -> list:
    rows = conn.execute(sa.select(store.snapshot_calendar.c.snapshot_date).order_by("snapshot_date")).scalars()
    return [str(d)[:10] for d in rows]


def _rebuilt_calendar(engine) -> list:
    with engine.connect() as conn, conn.begin() as tx:
        refresh_workforce_cubes(conn)
        dates = _calendar(conn)
        tx.rollback()
    return dates


def test_imports_and_an_undo_keep_the_calendar_a_rebuild_would_make(engine):
    def csv(*dates: str) -> bytes:
        return ("snapshot_date,person_id,gender,org_unit\n" + "".join(f"{d},P1,F,U1\n" for d in dates)).encode()

    import_bytes(engine, "workforce", csv("2024-01-31", "2024-03-31"), "a.csv")
    later = import_bytes(engine, "workforce", csv("2024-05-31"), "b.csv").batch_id
    import_bytes(engine, "workforce", csv("2024-02-29"), "c.csv")  # out of order, between two stored dates
    expected = ["2024-01-31", "2024-02-29", "2024-03-31", "2024-05-31"]
    with store.connect(engine) as conn:
        assert _calendar(conn) == expected == _rebuilt_calendar(engine)
        assert [str(d) for d in reads.snapshot_index(conn)["snapshot_date"]] == expected
    undo_batch(engine, later)
    with store.connect(engine) as conn:
        assert _calendar(conn) == expected[:3] == _rebuilt_calendar(engine)


def test_a_database_made_before_the_calendar_gets_it_filled(tmp_path):
    url = f"duckdb:///{tmp_path / 'old.duckdb'}"
    engine = open_database(url)
    import_bytes(
        engine,
        "workforce",
        b"snapshot_date,person_id,gender,org_unit\n2024-01-31,P1,F,U1\n2024-02-29,P1,F,U1\n",
        "a.csv",
    )
    with store.connect(engine, write=True) as conn:
        conn.execute(sa.text("DROP TABLE snapshot_calendar"))  # as an earlier version left it
    engine.dispose()
    engine = open_database(url)
    with store.connect(engine) as conn:
        assert _calendar(conn) == ["2024-01-31", "2024-02-29"]
    engine.dispose()
