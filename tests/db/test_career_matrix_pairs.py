"""Career's intersections list their pairs of values from the aggregates, never from the person-level
snapshots (red before: `cross_counts` read `workforce_snapshot` only to list them), and list the same pairs: on
the hand-made workforce of tests/support/career.py, worked out from its story on 31 December 2024."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from di_metrics.analysis.career import matrix
from di_metrics.queries.filters import Filters
from di_metrics.storage import store
from di_metrics.storage.ingest import import_file
from di_metrics.vocab import BRANCH, CATEGORY, RANK_GROUP
from tests.support import career as fixture

# B1: the civilians in "schaal 1-6" (A4-A10, B2-B4, C2-C12); the military W11-W20 and M16-M20 still in
# "manschappen", W1-W10 and M1-M15 promoted to "onderofficieren". B2: E8-E10 and D8-D10 in "manschappen",
# E3-E7 and D3-D7 promoted.
BY_BRANCH = {
    ("schaal 1-6", "B1"),
    ("manschappen", "B1"),
    ("onderofficieren", "B1"),
    ("manschappen", "B2"),
    ("onderofficieren", "B2"),
}
BY_CATEGORY = {("schaal 1-6", "civilian"), ("manschappen", "military"), ("onderofficieren", "military")}


@pytest.fixture
def conn(engine, tmp_path):
    import_file(engine, "workforce", fixture.write_csv(tmp_path / "career.csv"))
    with store.connect(engine) as c:
        yield c


@pytest.mark.parametrize(("columns", "pairs"), [(BRANCH, BY_BRANCH), (CATEGORY, BY_CATEGORY)])
def test_the_matrix_lists_its_pairs_from_the_aggregates(conn, columns, pairs):
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args):
        statements.append(statement)

    sa.event.listen(conn.engine, "before_cursor_execute", seen)
    try:
        found = matrix(conn, Filters(), RANK_GROUP, columns)
    finally:
        sa.event.remove(conn.engine, "before_cursor_execute", seen)
    assert {(c.row, c.column) for c in found.cells} == pairs
    assert statements  # the listener saw the reads
    assert not [s for s in statements if "workforce_snapshot" in s.lower()]
