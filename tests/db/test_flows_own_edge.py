"""The flows of a selection are decided on its own edge (queries/flow_pattern.py): a promotion or a transfer inside
the parent is a hire of the group it goes to and an exit of the group it leaves, though it moves nobody across
the parent's edge. Worked by hand on a small organisation, on DuckDB and PostgreSQL (k = 5).

One branch B1, units U1 and U2, snapshots 2022-12-31 and 2023-12-31, all military. On the first date each unit
holds 20 women and 20 men officers and 40 women and 40 men manschappen. In 2023:
- women: 10 manschappen leave each unit and 20 join each unit's manschappen; in U1 8 manschappen are promoted
  to officer and 3 manschappen move to U2's manschappen;
- men: 10 manschappen leave each unit, 1 joins each unit's manschappen, in U1 2 are promoted to officer.
So, each group counted on its own edge (the moves crossing the parent's edge, the whole's, in brackets):
- officieren women hired 8 (0), left 0; manschappen women hired 40 (40), left 20 + 8 = 28 (20); the whole:
  40 hired, 20 left (the transfer moves nobody across a rank group's edge nor the whole's);
- officieren men hired 2 (0: read as "nobody moved"), left 0; manschappen men hired 2 (2), left 22 (20);
  the whole: 2 hired, 20 left. The whole's 2 men hired and the officers' 2 are as many, not the same men.
"""

from __future__ import annotations

import pandas as pd
import pytest

from di_metrics.queries import flow_given, flow_pattern
from di_metrics.queries.filters import Filters
from di_metrics.queries.workforce import breakdown, flows, snapshot_dates
from di_metrics.storage import store
from di_metrics.storage.ingest import import_file
from tests.support import moves

D0, D1 = "2022-12-31", "2023-12-31"


def _persons() -> list[tuple[str, str, str, tuple[tuple[str, str, str], ...]]]:
    """(id, gender, (date, unit, rank group) per date present) for every person."""
    out = []
    for unit in ("U1", "U2"):
        for g in "FM":
            promoted = {"U1": {"F": 8, "M": 2}, "U2": {"F": 0, "M": 0}}[unit][g]
            moved = 3 if (unit, g) == ("U1", "F") else 0
            for i in range(20):
                out.append((f"{unit}{g}o{i}", g, ((D0, unit, "officieren"), (D1, unit, "officieren"))))
            for i in range(40):
                if i < 10:  # left the organisation
                    at = ((D0, unit, "manschappen"),)
                elif i < 10 + promoted:
                    at = ((D0, unit, "manschappen"), (D1, unit, "officieren"))
                elif i < 10 + promoted + moved:
                    at = ((D0, unit, "manschappen"), (D1, "U2", "manschappen"))
                else:
                    at = ((D0, unit, "manschappen"), (D1, unit, "manschappen"))
                out.append((f"{unit}{g}m{i}", g, at))
            for i in range(20 if g == "F" else 1):
                out.append((f"{unit}{g}new{i}", g, ((D1, unit, "manschappen"),)))
    return out


@pytest.fixture
def conn(engine, tmp_path):
    lines = ["snapshot_date,person_id,gender,org_unit,branch,rank_group,personnel_category"]
    for pid, gender, at in _persons():
        lines += [f"{d},{pid},{gender},{unit},B1,{rank},military" for d, unit, rank in at]
    path = tmp_path / "workforce.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    import_file(engine, "workforce", path)
    with store.connect(engine) as c:
        yield c


def _counts(conn, selection: dict, gender: str) -> tuple:
    row = next(r for r in flows(conn, Filters.of(selection)).rows if r.year == 2023 and r.gender == gender)
    return row.hires, row.exits


def test_the_whole_counts_moves_across_its_own_edge(conn):
    assert _counts(conn, {}, "F") == (40, 20)
    assert _counts(conn, {}, "M") == (2, 20)


def test_a_promotion_read_as_nobody_moved_is_a_primary_with_its_complements(conn):
    """The officers' men hired 2 (both promoted), which the whole's edge reads as 0 (nobody moved, known): before,
    no complement was taken for them (their own 2 were withheld only as a count under k), and the officers' women
    (8, 0) and the manschappen's women (40, 28) were shown. On their own edges the 2 are a primary; the officers'
    women go as their complement on the year's line across the genders (the officers' hires of every gender), the
    manschappen's women as the officers' women's on the women's line, the manschappen's men (2 hired) are a primary
    of their own. Every rank group's row is withheld; the whole's are shown."""
    for rank in ("officieren", "manschappen"):
        for gender in "FM":
            assert _counts(conn, {"rank_group": [rank]}, gender) == (None, None), (rank, gender)
    officers = Filters.of({"rank_group": ["officieren"]})
    _, given = flow_pattern.hidden_flows(conn, officers, (snapshot_dates, breakdown))
    assert given[2023, "M"] == {"exits"}  # 0 left: known; 2 hired: not given (they were, as the whole's 0)
    assert given[2023, "F"] == {"exits"}  # 0 left: known; 8 hired: hidden, the men's complement


def _yearly(conn, filters: Filters) -> pd.DataFrame:
    """A selection's 2023 hires and exits per gender, read by the test's own SQL (tests/support/moves.py), the
    truth as_parents is given in place of the code's own raw flows."""
    moved = moves.own_flows(conn, filters.as_dict())
    rows = [(2023, g, *(moved.get((2023, g, m), 0) for m in ("hires", "exits"))) for g in "FM"]
    return pd.DataFrame(rows, columns=["year", "gender", "hires", "exits"])


def test_the_test_reads_the_flows_worked_by_hand(conn):
    """The SQL the next test reads as truth gives the docstring's counts."""
    assert _yearly(conn, Filters()).set_index("gender").loc[:, ["hires", "exits"]].to_dict("index") == {
        "F": {"hires": 40, "exits": 20},
        "M": {"hires": 2, "exits": 20},
    }
    officers = _yearly(conn, Filters.of({"rank_group": ["officieren"]})).set_index("gender")
    assert officers.loc[:, ["hires", "exits"]].to_dict("index") == {
        "F": {"hires": 8, "exits": 0},
        "M": {"hires": 2, "exits": 0},
    }
    in_u1 = _yearly(conn, Filters.of({"rank_group": ["officieren"], "org_unit": ["U1"]})).set_index("gender")
    assert in_u1.at["F", "hires"] == 8 and in_u1.at["M", "hires"] == 2


def test_as_many_as_the_parent_is_not_the_parents_figure(conn):
    """The whole's men hired (2, shown: the whole is shown exactly) and the officers' men hired (2) are as many
    but not the same men (the officers' are promoted manschappen): the officers' count is not the whole's figure
    (before, it was given by it). The officers' women hired in U1 (8) are the officers' (8): the same women (all
    promoted in U1), so withheld with the officers'. U2's manschappen women hired (20 + 3 moved from U1) are U2's
    women hired (23): the same women."""
    officers = Filters.of({"rank_group": ["officieren"]})
    given, forced = flow_given.as_parents(conn, officers, _yearly(conn, officers), {}, (_yearly, flows))
    assert "hires" not in given.get((2023, "M"), set()) | forced.get((2023, "M"), set())
    in_u1 = Filters.of({"rank_group": ["officieren"], "org_unit": ["U1"]})
    given, forced = flow_given.as_parents(conn, in_u1, _yearly(conn, in_u1), {}, (_yearly, flows))
    assert "hires" in forced[2023, "F"] and "hires" not in given.get((2023, "F"), set())
    assert _counts(conn, {"rank_group": ["officieren"], "org_unit": ["U1"]}, "F") == (None, None)
    in_u2 = Filters.of({"rank_group": ["manschappen"], "org_unit": ["U2"]})
    assert _yearly(conn, in_u2).set_index("gender").at["F", "hires"] == 20 + 3
    given, forced = flow_given.as_parents(conn, in_u2, _yearly(conn, in_u2), {}, (_yearly, flows))
    assert "hires" in given.get((2023, "F"), set()) | forced.get((2023, "F"), set())
