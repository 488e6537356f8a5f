"""Review of session 16's flow zeros (queries/flow_pattern.py `_known`): a line whose branch is blank has no shown
total (a blank value is a sibling group for the rules, never shown), yet the pattern reads every line's total as
shown exactly (`exact=not parent.is_fine`). Mended in session 16: a blank branch's line is not exact. DuckDB and
PostgreSQL (k = 5). Snapshots 2022-12-31 and 2023-12-31, everyone manschappen and military.

Units: U1 in branch B1; U8 and U9 with a blank branch. Each unit holds 40 women and 40 men who stay. In 2023: 3
women leave the organisation from U1, 1 man moves from U1 to U8 and 1 from U1 to U9; 5 men leave the
organisation from U8, 6 from U9. Shown exactly: the whole (women left 3, men left 11, nobody hired) and B1
(women left 3, men left 2); stocks U1 43 -> 40 women, 42 -> 40 men; U8 40 -> 40 women, 45 -> 41 men; U9 40 -> 40
women, 46 -> 41 men.

Worked by hand, U8's women hired 0 and left 0 are not given: another organisation meets every one of those
figures where one of U1's 3 women who left went to U8 instead, and one of U8's women left the organisation (U1's
women left still 3, 2 of them out and 1 to U8; the whole's women left 2 + 1 = 3; B1's 3; U8's women 40 + 1 - 1 =
40). Moves from U1 to U8 and out of U8 happened (the men), so the attacker cannot rule either out. Session 16's
rule takes the blank-branch line's women who left (its "exact total", 0, shown nowhere) minus nothing as 0 and
shows U8's and U9's women's 0s (before 60beb36 they were withheld, and the attacker, without U8|U9's row, held
them in 0-3). U8|U9 (the whole blank branch) shows men hired 2 (under k) as the line's shown total, since
before 60beb36 too: another organisation where one of U1's men who left went out of the organisation instead of
to U9, and U9 lost 5 men out instead of 6, meets every shown figure (U1's men left 2, the whole's 1 + 5 + 5 = 11,
U9's men 46 + 0 - 5 = 41) with U8|U9 hiring 1 man and losing 10.
"""

from __future__ import annotations

import pytest

from di_metrics.analysis import disclosure
from di_metrics.queries.filters import Filters
from di_metrics.queries.workforce import flows
from tests.support import moves

D0, D1 = "2022-12-31", "2023-12-31"
SCOPE = moves.SCOPE
BRANCH = {"U1": "B1", "U8": "", "U9": ""}  # U8's and U9's branch is blank


def _persons() -> list[tuple[str, str, dict]]:
    """(id, gender, {date: unit}) for every person."""
    out = [(f"{u}{g}{i}", g, {D0: u, D1: u}) for u in BRANCH for g in "FM" for i in range(40)]
    out += [(f"U1Fleft{i}", "F", {D0: "U1"}) for i in range(3)]
    out += [(f"U1to{u}", "M", {D0: "U1", D1: u}) for u in ("U8", "U9")]
    return out + [(f"{u}Mleft{i}", "M", {D0: u}) for u, n in (("U8", 5), ("U9", 6)) for i in range(n)]


@pytest.fixture
def blank(engine, tmp_path):
    with moves.one_branch(engine, tmp_path, _persons(), BRANCH) as conn:
        yield conn


def _row(conn, units: list[str], gender: str) -> tuple:
    row = next(r for r in flows(conn, Filters.of({"org_unit": units})).rows if r.year == 2023 and r.gender == gender)
    return row.hires, row.exits


def test_the_organisation_is_as_worked_by_hand(blank):
    assert _row(blank, [], "F") == (0, 3) and _row(blank, [], "M") == (0, 11)
    shown_b1 = {r.gender: (r.hires, r.exits) for r in flows(blank, Filters.of({"branch": ["B1"]})).rows}
    assert (shown_b1["F"], shown_b1["M"]) == ((0, 3), (0, 2))


def test_a_blank_branchs_units_women_0s_are_not_known(blank):
    """A leak with 60beb36 (reverted), and with a blank branch's line read as exact (mended: it is not): U8's and
    U9's women's 0 hired and 0 left were shown, or held in 0-3, though no shown figure gives them (see the module's
    other organisation); the attacker must not hold them (nor U8|U9's) under 3 wide."""
    assert [_row(blank, [u], "F") for u in ("U8", "U9")] == [(None, None), (None, None)]
    chosen = disclosure.selections({"org_unit": list(BRANCH)}, lambda *_: True)
    figures = disclosure.collect(blank, SCOPE, {"workforce": chosen, "flows": chosen})
    narrow = disclosure.narrow(figures, disclosure.intervals(figures))
    mine = ("org_unit=U8 2023 F", "org_unit=U9 2023 F", "org_unit=U8|U9 2023 F")
    assert [n for n in narrow if n.startswith(mine)] == []


def test_a_blank_branchs_units_together_do_not_show_its_men_hired(blank):
    """A leak before 60beb36 too (`_given`'s whole line; mended: a blank branch's line is not exact): U8|U9,
    every unit of the blank branch, showed its 2 men hired (under k) as the line's total, which no shown figure
    gives (1 in the module's other organisation)."""
    assert _row(blank, ["U8", "U9"], "M")[0] is None
