"""A unit of 50 or more is not hidden because of its few persons of gender X (issue 25, "count every group that is
large enough"): its X is left out, and so is the X of a partner row of the same line, so the branch total minus the
shown headcounts gives only their sum back, never one unit's X.

Hand-made: one snapshot (2023-12-31), branch B1 with unit A (30 women, 30 men, 1 X), unit B (20, 20, 2 X) and
unit C (10, 10, no X); branch B2 with D (30, 30, 2 X) and E (20, 20, no X). Worked by hand (k = 5):
- B1 shows 123 persons, 3 of them X. A's 1 and B's 2 X are left out (each under 5) and 123 - 60 - 40 - 20 = 3 is
  their sum, which two units share: each lies anywhere in 0..3, so A, B and C show women, men and headcount
  (A 60, B 40, C 20). Before, A and B were hidden whole for their X.
- In B2, D alone holds X: 62 - 60 - 40 would give its 2 X back (E's X shows 0 in other views, so E is no
  cover). D's headcount is hidden, and E's as its complement."""

from __future__ import annotations

import pandas as pd
import pytest
import sqlalchemy as sa

from di_metrics.queries.filters import Filters
from di_metrics.queries.workforce import breakdown, share_series
from di_metrics.storage import store
from di_metrics.storage.ingest import import_file

UNITS = {"A": ("B1", 30, 30, 1), "B": ("B1", 20, 20, 2), "C": ("B1", 10, 10, 0), "D": ("B2", 30, 30, 2)}
UNITS["E"] = ("B2", 20, 20, 0)
SHOWN = ("A", "B", "C")


@pytest.fixture
def conn(engine, tmp_path):
    lines = ["snapshot_date,person_id,gender,org_unit,branch,rank_group,personnel_category"]
    for unit, (branch, *counts) in UNITS.items():
        for gender, n in zip("FMX", counts, strict=True):
            lines += [f"2023-12-31,{unit}{gender}{i},{gender},{unit},{branch},manschappen,military" for i in range(n)]
    path = tmp_path / "workforce.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    import_file(engine, "workforce", path)
    with store.connect(engine) as c:
        yield c


def test_two_units_sharing_a_small_x_group_show_their_figures(conn):
    rows = breakdown(conn, Filters(), "org_unit").set_index("value")
    shown = rows.loc[list(SHOWN)]
    assert not shown["headcount_hidden"].any() and not shown["suppressed"].any()
    assert {u: int(shown.loc[u, "headcount"]) for u in SHOWN} == {"A": 60, "B": 40, "C": 20}
    assert (int(shown.loc["A", "women"]), int(shown.loc["A", "men"])) == (30, 30)
    assert shown["x_left_out"].to_dict() == {"A": True, "B": True, "C": False}
    assert pd.isna(shown.loc["A", "other"]) and pd.isna(shown.loc["B", "other"])
    assert int(shown.loc["C", "other"]) == 0


def test_a_unit_alone_holding_the_small_x_group_is_still_hidden(conn):
    rows = breakdown(conn, Filters(), "org_unit").set_index("value")
    assert rows.loc[["D", "E"], "headcount_hidden"].tolist() == [True, True]


def test_the_unit_alone_shows_what_its_row_shows(conn):
    for unit in SHOWN:
        _, women, men, _ = UNITS[unit]
        alone = share_series(conn, Filters.of({"org_unit": [unit]})).iloc[-1]
        assert not alone["suppressed"] and not alone["headcount_hidden"], unit
        assert (int(alone["women"]), int(alone["headcount"])) == (women, women + men), unit


def test_in_the_demo_no_unit_of_50_or_more_is_hidden_on_the_last_date(demo_db):
    """The full demo's last date: no unit of 50 or more persons is hidden (before, the Directie Communicatie, 1 X,
    and the MIVD, 1,046 persons and 2 X, were hidden whole for their X). On earlier dates where the MIVD alone
    holds its branch's X it is still hidden (docs/privacy.md says why)."""
    from di_metrics.storage.database import open_database
    from di_metrics.storage.store import headcount_cube as cube

    engine = open_database(demo_db)
    with store.connect(engine) as c:
        rows = breakdown(c, Filters(), "org_unit")
        last = rows["date"].max()
        query = sa.select(cube.c.org_unit, sa.func.sum(cube.c.headcount)).where(cube.c.snapshot_date == last)
        sizes = dict(c.execute(query.group_by(cube.c.org_unit)).all())
    engine.dispose()
    rows = rows[rows["date"] == last]
    big = rows[rows["value"].map(sizes) >= 50]
    assert len(big) > 40
    assert big[big["suppressed"] | big["headcount_hidden"]]["value"].tolist() == []
