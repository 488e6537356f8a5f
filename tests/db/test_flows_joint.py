"""The flows decided with what an attacker knows (queries/flow_pattern.py), worked by hand on the hand-made
organisation of the release attack (tests/support/release.py), on DuckDB and PostgreSQL.

release.UNITS: 2023 hires = exits per unit, women / men: U1 5/6, U2 5/5, U3 5/5, SMALL 1/0 (branch B1), V1 6/6,
V2 5/5 (B2); every hire joins the manschappen; the leavers are a unit's last persons, who are manschappen except
SMALL's one woman (SMALL's 6 women are all officers). So:
- nobody joined or left the officers but SMALL's woman: the manschappen's flows are the whole's (women hired
  5+5+5+1+6+5 = 27, left 27 - 1 = 26; men 27 and 27), which the whole shows exactly; that the manschappen's men
  are the whole's is not shown (the attacker knows someone left the officers, not that she was a woman);
- the officers' women fell from 60 (10 per unit) to 59 with nobody joining: 1 left, as the stocks say, so
  beside those stocks neither her exit nor the 0 hired is shown;
- SMALL moved no man but a woman: its men's 0 hired and 0 left are counts under k (the attacker knows where
  someone moved, not their gender), withheld with a complement;
- SMALL's 1 woman hired and 1 who left stay hidden, and the branch minus U1, U2 and U3 does not give them.
Before the change the manschappen's men, the officers' men and SMALL's men were all withheld (a 0 taken as a hidden
count, with the manschappen as its complement), though the whole's flows gave them back exactly."""

from __future__ import annotations

import pytest

from di_metrics.queries.filters import Filters
from di_metrics.queries.flow_pattern import hidden_flows
from di_metrics.queries.workforce import breakdown, flows, snapshot_dates
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


def test_the_officers_men_who_left_0_is_withheld_where_a_woman_left_them(conn):
    """No man joined or left the officers, but SMALL's woman left them: the attacker knows someone left the
    officers, not of which gender, so the officers' men who left (0) are a count under k, with the manschappen's
    men who left (27, the whole's 27: its only sibling on the whole's line) as its complement. Before, the 0 was
    shown and the manschappen's 27 taken as the whole's figure: 27 minus 27 told that nobody who left the
    officers was a man. With both stocks shown, a count beside a withheld one would give it: both rows are
    withheld whole (the officers' men hired, 0, nobody of any gender joining, too)."""
    assert _hired_left(1) == (27, 27)
    for rank in ("officieren", "manschappen"):
        men = _row(conn, {"rank_group": [rank]}, "M")
        assert (men.hires, men.exits) == (None, None), rank


def test_a_count_beside_a_withheld_one_is_withheld_where_both_stocks_are_shown(conn):
    """The officers' women: 0 hired and 1 who left (SMALL's), her exit under the minimum; both stocks shown (60,
    then 59), so a 0 hired shown beside them would give her exit: both withheld. The manschappen's women (27
    hired, 26 left) are her complement on the whole's line (27 left), and with their stocks shown the 27 hired
    would give the 26: both withheld."""
    assert _hired_left(0) == (27, 26)
    for rank in ("officieren", "manschappen"):
        women = _row(conn, {"rank_group": [rank]}, "F")
        assert (women.hires, women.exits) == (None, None), rank


def test_a_count_nobody_of_any_gender_moved_in_is_known_and_no_primary(conn):
    """Nobody joined the officers (every hire joins the manschappen): their men hired, 0, is known to an attacker
    who knows where someone moved, so the pattern takes it as no primary (only the men who left, 0 where a woman
    left, is one); the row withholds it beside the withheld count all the same, both stocks being shown. U1
    holds no X and every move of U1 crossed B1's edge (hires from outside, leavers out of the organisation): B1's
    X hired and left, shown as 0, give U1's, which are shown."""
    officers = Filters.of({"rank_group": ["officieren"]})
    hidden, _given = hidden_flows(conn, officers, (snapshot_dates, breakdown))
    assert hidden[2023, "M"] == {"exits"}
    assert _row(conn, {"branch": ["B1"]}, "X").hires == 0
    u1 = _row(conn, {"org_unit": ["U1"]}, "X")
    assert (u1.hires, u1.exits) == (0, 0)


def test_a_genders_0_where_another_gender_moved_is_withheld_as_a_count_under_k(conn):
    """SMALL moved no man but one woman joined and one left: the attacker knows someone moved in SMALL, not of
    which gender, so its men's 0 hired and 0 left are counts under k like any, withheld with a complement: B1's
    men hired (6 + 5 + 5 + 0 = 16) minus the units whose men's hires are shown leave at least k (U3's 5 and
    SMALL's 0 together, or more)."""
    small = _row(conn, {"org_unit": ["SMALL"]}, "M")
    assert (small.hires, small.exits) == (None, None)
    shown = [_row(conn, {"org_unit": [u]}, "M").hires for u in ("U1", "U2", "U3")]
    assert _row(conn, {"branch": ["B1"]}, "M").hires - sum(h for h in shown if h is not None) >= 5


def test_smalls_woman_stays_hidden_and_the_branch_minus_its_siblings_does_not_give_her(conn):
    small = _row(conn, {"org_unit": ["SMALL"]}, "F")
    assert small.hires is None and small.exits is None
    branch, siblings = _row(conn, {"branch": ["B1"]}, "F"), _row(conn, {"org_unit": ["U1", "U2", "U3"]}, "F")
    assert branch.hires == 16
    assert siblings.hires is None and siblings.exits is None


def test_a_sum_of_units_none_hidden_that_nobody_moved_between_is_shown(conn):
    """U1's men (6 hired, 6 left) and U2's (5, 5) are shown, and nobody moved between the two units: their sum
    (11, 11) is given by their cells, so `org_unit=U1|U2` shows it (a move between them would be in both cells
    but not in the sum); likewise their women (5 + 5 = 10)."""
    assert (_row(conn, {"org_unit": ["U1"]}, "M").hires, _row(conn, {"org_unit": ["U2"]}, "M").hires) == (6, 5)
    assert (_row(conn, {"org_unit": ["U1"]}, "F").hires, _row(conn, {"org_unit": ["U2"]}, "F").hires) == (5, 5)
    men, women = (_row(conn, {"org_unit": ["U1", "U2"]}, g) for g in "MF")
    assert (men.hires, men.exits, women.hires, women.exits) == (11, 11, 10, 10)
