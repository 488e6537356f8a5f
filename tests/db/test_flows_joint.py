"""The flows decided with what an attacker knows (queries/flow_pattern.py), worked by hand on the hand-made
organisation of the release attack (tests/support/release.py), on DuckDB and PostgreSQL.

release.UNITS: 2023 hires = exits per unit, women / men: U1 5/6, U2 5/5, U3 5/5, SMALL 1/0 (branch B1), V1 6/6,
V2 5/5 (B2); every hire joins the manschappen; the leavers are a unit's last persons, who are manschappen except
SMALL's one woman (SMALL's 6 women are all officers). So:
- nobody joined or left the officers but SMALL's woman: the manschappen's flows are the whole's (women hired
  5+5+5+1+6+5 = 27, left 27 - 1 = 26; men 27 and 27), which the whole shows exactly;
- the officers' women fell from 60 (10 per unit) to 59 with nobody joining: 1 left, as the stocks say, so
  beside those stocks neither her exit nor the 0 hired is shown;
- SMALL moved no man: 0 hired and 0 left, a count nobody moved in;
- SMALL's 1 woman hired and 1 who left stay hidden, and the branch minus U1, U2 and U3 does not give them.
Before the change the manschappen's men, the officers' men and SMALL's men were all withheld (a 0 taken as a hidden
count, with the manschappen as its complement), though the whole's flows gave them back exactly."""

from __future__ import annotations

import pytest

from di_metrics.queries.filters import Filters
from di_metrics.queries.workforce import flows
from di_metrics.storage import store
from di_metrics.storage.ingest import import_file
from tests.support import release


@pytest.fixture
def conn(engine, tmp_path):
    for kind, path in release.write(tmp_path).items():
        import_file(engine, kind, path)
    with store.connect(engine) as c:
        yield c


def _row(conn, selection: dict, gender: str):
    return next(r for r in flows(conn, Filters.of(selection)).rows if r.year == 2023 and r.gender == gender)


def _hired_left(gender: int) -> tuple[int, int]:
    hired = sum(v[4 + gender] for v in release.UNITS.values())
    return hired, hired - (1 if gender == 0 else 0)  # SMALL's woman left the officers, not the manschappen


def test_a_rank_group_nobody_else_moved_in_shows_the_wholes_flows(conn):
    assert _hired_left(1) == (27, 27)  # no man joined or left the officers
    men = _row(conn, {"rank_group": ["manschappen"]}, "M")
    assert (men.hires, men.exits) == (27, 27)
    officers = _row(conn, {"rank_group": ["officieren"]}, "M")
    assert (officers.hires, officers.exits) == (0, 0)


def test_a_count_beside_a_withheld_one_is_withheld_where_both_stocks_are_shown(conn):
    """The officers' women: 0 hired and 1 who left (SMALL's), her exit under the minimum; both stocks shown (60,
    then 59), so a 0 hired shown beside them would give her exit: both withheld. The manschappen's women (27
    hired, 26 left) are her complement on the whole's line (27 left), and with their stocks shown the 27 hired
    would give the 26: both withheld."""
    assert _hired_left(0) == (27, 26)
    for rank in ("officieren", "manschappen"):
        women = _row(conn, {"rank_group": [rank]}, "F")
        assert (women.hires, women.exits) == (None, None), rank


def test_a_count_nobody_moved_in_is_shown_as_0_and_is_no_complement(conn):
    small = _row(conn, {"org_unit": ["SMALL"]}, "M")
    assert (small.hires, small.exits) == (0, 0)
    u1 = _row(conn, {"org_unit": ["U1"]}, "M")  # was SMALL's men's complement (the smallest sibling)
    assert (u1.hires, u1.exits) == (6, 6)


def test_smalls_woman_stays_hidden_and_the_branch_minus_its_siblings_does_not_give_her(conn):
    small = _row(conn, {"org_unit": ["SMALL"]}, "F")
    assert small.hires is None and small.exits is None
    branch, siblings = _row(conn, {"branch": ["B1"]}, "F"), _row(conn, {"org_unit": ["U1", "U2", "U3"]}, "F")
    assert branch.hires == 16
    assert siblings.hires is None and siblings.exits is None


def test_a_sum_of_units_none_hidden_that_nobody_moved_between_is_shown(conn):
    """U1's men (6 hired, 6 left) and SMALL's (0, 0) are shown, and nobody moved between the two units: their sum
    (6, 6) is given by their cells, so `org_unit=SMALL|U1` shows it (a move between them would be in both cells
    but not in the sum)."""
    assert (_row(conn, {"org_unit": ["U1"]}, "M").hires, _row(conn, {"org_unit": ["SMALL"]}, "M").hires) == (6, 0)
    both = _row(conn, {"org_unit": ["SMALL", "U1"]}, "M")
    assert (both.hires, both.exits) == (6, 6)
