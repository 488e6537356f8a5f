"""Two guards of the flow pattern (queries/flow_pattern.py) that no test showed to matter (issue 25: every rule
must matter), each on a small organisation worked by hand and attacked (analysis/disclosure.py), on DuckDB and
PostgreSQL (k = 5). Snapshots 2022-12-31 and 2023-12-31, one branch B1, everyone manschappen and military.

Sums (`_given`): units U1-U4, 40 women and 40 men each on the first date. In 2023 women: 5 join each unit from
outside, U1 and U2 swap 5 each way, U3 and U4 too, and 1 leaves each unit. Men: 5 join and 5 leave each unit.
So each unit's women hired 10 (5 new, 5 from its partner), left 6 (1, and 5 to its partner); nothing is small, so
the pattern hides nothing. U1|U2's own women: hired 10 (the new ones), left 2: their cells add up to 20 and 12,
not to their own counts (the swap is in both cells, in neither of U1|U2's). The 2 left are under k and no shown
figure gives them: the attacker's equations (a, b: women new in U1, U2; the swap: U1's 10 hired is a plus U2's
moves, U2's 6 left is 1 plus them, and so on) leave a + b anywhere from 8 to 12 (the branch's 20 new minus U3's
and U4's, each pair at least 8 by the same equations), U1|U2's left a + b - 8 in 0-4, their hired a + b in 8-12.

Lone counts (`hidden_flows`): units U1-U3, 40 men each who stay. Women: U1 holds 40 on the first date, of whom 5
leave and 3 move to U3, and 2 join (34 on the second); U2 holds 40, 5 join (45); U3 holds 40, 6 join and U1's 3
arrive (49). Women hired: U1 2, U2 5, U3 9; left: U1 8, U2 0, U3 0; the branch hired 13, left 5. U1's intake (2)
is a primary: its cell hidden, hires (2) and exits (8, not the line's 5 minus a known rest: someone moved inside
the line). The hires take U2 (5) as their complement; the exits' line holds U1's 8 alone (U2's and U3's 0 are
known, no cover): a lone hidden count. U1|U2's own women hired 7, left 8 (U2 left none, U1 moved nobody to U2): U1's
8 exactly. Worked by hand with U1|U2 withheld: U2 hired 5 (its stocks: nobody left it), U3 hired 9 (shown) =
U1's 3 plus its new i3, the branch hired 13 = i1 + 5 + i3, U1's stocks fall by 6 = i1 - 5 - 3: with t = i1, U1
hired t in 0-8 and left 6 + t in 6-14.
"""

from __future__ import annotations

import pytest

from di_metrics.analysis import disclosure
from di_metrics.queries.filters import Filters
from di_metrics.queries.workforce import flows
from tests.support import moves

D0, D1 = "2022-12-31", "2023-12-31"
SCOPE = moves.SCOPE


def _swaps() -> list[tuple[str, str, dict]]:
    out = []
    for unit, partner in (("U1", "U2"), ("U2", "U1"), ("U3", "U4"), ("U4", "U3")):
        for g in "FM":
            for i in range(40):
                if g == "F" and i < 5:
                    at = {D0: unit, D1: partner}
                elif i >= 40 - (1 if g == "F" else 5):
                    at = {D0: unit}
                else:
                    at = {D0: unit, D1: unit}
                out.append((f"{unit}{g}{i}", g, at))
            out += [(f"{unit}{g}new{i}", g, {D1: unit}) for i in range(5)]
    return out


def _lone() -> list[tuple[str, str, dict]]:
    out = [(f"{u}M{i}", "M", {D0: u, D1: u}) for u in ("U1", "U2", "U3") for i in range(40)]
    out += [(f"U1F{i}", "F", {D0: "U1", D1: "U1"}) for i in range(32)]
    out += [(f"U1Fleft{i}", "F", {D0: "U1"}) for i in range(5)]
    out += [(f"U1Fmoved{i}", "F", {D0: "U1", D1: "U3"}) for i in range(3)]
    for unit, new in (("U1", 2), ("U2", 5), ("U3", 6)):
        if unit != "U1":
            out += [(f"{unit}F{i}", "F", {D0: unit, D1: unit}) for i in range(40)]
        out += [(f"{unit}Fnew{i}", "F", {D1: unit}) for i in range(new)]
    return out


@pytest.fixture
def swaps(engine, tmp_path):
    with moves.one_branch(engine, tmp_path, _swaps()) as c:
        yield c


@pytest.fixture
def lone(engine, tmp_path):
    with moves.one_branch(engine, tmp_path, _lone()) as c:
        yield c


def _women(conn, units: list[str]) -> tuple:
    row = next(r for r in flows(conn, Filters.of({"org_unit": units})).rows if r.gender == "F")
    return row.hires, row.exits


def _attacked(conn, units: list[str]) -> tuple[disclosure.Figures, dict, dict]:
    """The workforce's and the flows' figures of the whole, every unit and every two units, attacked."""
    chosen = disclosure.selections({"org_unit": units}, lambda *_: True)
    figures = disclosure.collect(conn, SCOPE, {"workforce": chosen, "flows": chosen})
    found = disclosure.intervals(figures)
    return figures, found, disclosure.narrow(figures, found)


def test_the_swaps_are_as_worked_by_hand(swaps):
    mine = moves.own_flows(swaps, {"org_unit": ["U1"]})
    assert (mine[2023, "F", "hires"], mine[2023, "F", "exits"]) == (10, 6)
    pair = moves.own_flows(swaps, {"org_unit": ["U1", "U2"]})
    assert (pair[2023, "F", "hires"], pair[2023, "F", "exits"]) == (10, 2)
    assert _women(swaps, ["U1"]) == (10, 6)  # nothing hidden: each unit's counts shown


def test_a_sum_of_units_someone_moved_between_is_not_given_by_their_counts(swaps):
    """U1's and U2's counts are all shown, but U1|U2's 2 women who left are not their sum (12): withheld (under
    k), and the attacker holds them in 0-4. With the sum guard off they were shown (2, and 10 hired)."""
    assert _women(swaps, ["U1", "U2"]) == (None, None)
    figures, found, narrow = _attacked(swaps, ["U1", "U2", "U3", "U4"])
    assert found["org_unit=U1|U2 2023 F exits"] == pytest.approx((0, 4), abs=1e-6)
    assert found["org_unit=U1|U2 2023 F hires"] == pytest.approx((8, 12), abs=1e-6)
    assert [n for n in narrow if figures.families[n] == "flows"] == []


def test_the_lone_count_is_as_worked_by_hand(lone):
    mine = {u: moves.own_flows(lone, {"org_unit": [u]}) for u in ("U1", "U2", "U3")}
    assert [(m.get((2023, "F", "hires"), 0), m.get((2023, "F", "exits"), 0)) for m in mine.values()] == [
        (2, 8),
        (5, 0),
        (9, 0),
    ]
    pair = moves.own_flows(lone, {"org_unit": ["U1", "U2"]})
    assert (pair[2023, "F", "hires"], pair[2023, "F", "exits"]) == (7, 8)
    assert _women(lone, []) == (13, 5)


def test_a_selection_holding_a_lone_hidden_count_is_withheld(lone):
    """U1|U2 holds U1's lone hidden exits (and both hidden hires, a consistent selection): withheld. With the lone
    rule off it showed 7 hired and 8 left, which gave U1's 8 left exactly and with them its 2 hired."""
    assert _women(lone, ["U1"]) == (None, None)
    assert _women(lone, ["U1", "U2"]) == (None, None)
    _, found, narrow = _attacked(lone, ["U1", "U2", "U3"])
    assert found["org_unit=U1 2023 F hires"] == pytest.approx((0, 8), abs=1e-6)
    assert found["org_unit=U1 2023 F exits"] == pytest.approx((6, 14), abs=1e-6)
    assert {n for n in narrow if n.startswith(("org_unit=U1 ", "org_unit=U1|U2 "))} == set()
