"""Routes the enumerating attacker took through the one workforce decision on the 3,000-person demo
(queries/stock_joint.py), each rebuilt by hand on a small organisation, on DuckDB and PostgreSQL.

Thin complements. One date, 2023-12-31, everyone military and an officer. Branch B1: BIG1 40 women and 40 men,
BIG2 30 and 30, TINY 1 woman and 10 men, ZERO no woman and 12 men; branch B2: V 20 and 20. TINY's 1 woman is
under 5, so its women and men are hidden. B1's units are a line whose total the branch shows exactly (71
women), so a second unit is hidden with it: the cheapest is ZERO (no woman). But then the hidden units hold 1
woman between them: 71 - 40 - 30 = 1 = TINY's + ZERO's women, so TINY's woman lies in 0-1 (the demo's
`all by org_unit=Defensie Pijpleiding Organisatie` women in 0-2, for a hidden 1 beside a hidden 0 and 1). The
hidden figures of a line must hold at least 3 persons of each hidden count between them: BIG2 (30 women) is
hidden too, and TINY's woman lies in 0-11 (its shown total)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from di_metrics.analysis import disclosure
from di_metrics.queries.filters import Filters
from di_metrics.queries.workforce import breakdown
from di_metrics.storage import store
from di_metrics.storage.ingest import import_file

DATE = dt.date(2023, 12, 31)
UNITS = {"BIG1": ("B1", 40, 40), "BIG2": ("B1", 30, 30), "TINY": ("B1", 1, 10), "ZERO": ("B1", 0, 12)}
UNITS["V"] = ("B2", 20, 20)


def _imported(engine, folder, lines: list[str]):
    """The engine with these snapshot lines imported through the one door, as a user would."""
    path = folder / "workforce.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    import_file(engine, "workforce", path)
    return engine


@pytest.fixture
def thin(engine, tmp_path):
    lines = ["snapshot_date,person_id,gender,org_unit,branch,rank_group,personnel_category"]
    for unit, (branch, women, men) in UNITS.items():
        for gender, n in (("F", women), ("M", men)):
            lines += [f"{DATE},{unit}-{gender}{i},{gender},{unit},{branch},officieren,military" for i in range(n)]
    return _imported(engine, tmp_path, lines)


def test_a_lines_hidden_units_hold_at_least_3_women_between_them(thin):
    with store.connect(thin) as conn:
        rows = breakdown(conn, Filters.of({"branch": ["B1"]}), "org_unit")
    hidden = set(rows.loc[rows["suppressed"], "value"])
    assert hidden == {"TINY", "ZERO", "BIG2"}  # 1 + 0 + 30 women hidden; ZERO alone beside TINY held 1


def test_the_attacker_cannot_narrow_a_hidden_unit_beside_a_hidden_zero(thin):
    scope = disclosure.Scope((DATE,), (), (), None, breakdowns=("branch", "org_unit", "rank_group"))
    values = {"branch": ["B1", "B2"], "org_unit": list(UNITS)}
    with store.connect(thin) as conn:
        figures = disclosure.collect(conn, scope, {"workforce": disclosure.selections(values, lambda *_: True)})
    name = f"all by org_unit=TINY {DATE} women"
    assert name in figures.secrets
    low, high = disclosure.intervals(figures)[name]
    assert high - low >= 3, (low, high)  # before: 0-1


# Changes the moves give. Two dates, 2022-12-31 and 2023-12-31, everyone military, nobody moves but in U1's
# manschappen. Branch B1: U1's manschappen hold 4 women and 41 men, then 5 and 40 (a woman hired, a man left);
# its officieren 2 women and 20 men, its onderofficieren 1 woman and 20 men, on both dates. U2: 30 women and 30
# men in each rank group, but its manschappen 31 and 29 on the second date. Branch B2: V, 20 women and 20 men
# in manschappen. U1's women are shown (7, then 8); its
# officieren and onderofficieren are hidden on both dates (under 5 women) and nobody moved in or out of them, so
# their women are the same on both dates: 8 - 5 = 3 = 7 - U1's manschappen women on the first date, hidden there
# (4) and shown on the second (5): 4 exactly (the demo's `Korps Mariniers` manschappen women in 2024). A figure
# whose change the attacker knows (here: the last change on U1's ranks not known) is hidden on both dates or none.
D0 = dt.date(2022, 12, 31)
MOVING = {  # (branch, unit, rank): (women then, men then, women now, men now)
    ("B1", "U1", "manschappen"): (4, 41, 5, 40),
    ("B1", "U1", "officieren"): (2, 20, 2, 20),
    ("B1", "U1", "onderofficieren"): (1, 20, 1, 20),
    ("B1", "U2", "manschappen"): (30, 30, 31, 29),
    **{("B1", "U2", rank): (30, 30, 30, 30) for rank in ("officieren", "onderofficieren")},
    ("B2", "V", "manschappen"): (20, 20, 20, 20),
}


@pytest.fixture
def moving(engine, tmp_path):
    lines = ["snapshot_date,person_id,gender,org_unit,branch,rank_group,personnel_category"]
    for (branch, unit, rank), counts in MOVING.items():
        for gender, then, now in (("F", counts[0], counts[2]), ("M", counts[1], counts[3])):
            stay = min(then, now)
            people = [(f"{unit}-{rank}-{gender}{i}", (D0, DATE)) for i in range(stay)]
            people += [(f"{unit}-{rank}-{gender}{i}-left", (D0,)) for i in range(stay, then)]
            people += [(f"{unit}-{rank}-{gender}{i}-hired", (DATE,)) for i in range(stay, now)]
            lines += [f"{d},{p},{gender},{unit},{branch},{rank},military" for p, dates in people for d in dates]
    return _imported(engine, tmp_path, lines)


def test_a_figure_whose_change_the_moves_give_is_hidden_on_both_dates(moving):
    with store.connect(moving) as conn:
        rows = breakdown(conn, Filters.of({"org_unit": ["U1"]}), "rank_group").set_index(["date", "value"])
        scope = disclosure.Scope((D0, DATE), (2023,), (), None, breakdowns=("branch", "org_unit", "rank_group"))
        values = {"branch": ["B1", "B2"], "org_unit": ["U1", "U2", "V"], "rank_group": ["manschappen"]}
        figures = disclosure.collect(conn, scope, {"workforce": disclosure.selections(values, lambda *_: True)})
    name = f"org_unit=U1 by rank_group=manschappen {D0} women"
    low, high = disclosure.intervals(dataclasses.replace(figures, secrets={name: figures.secrets[name]}))[name]
    assert high - low >= 3, (low, high)  # before: 4 exactly
    assert rows.loc[(D0, "manschappen"), "suppressed"] and rows.loc[(DATE, "manschappen"), "suppressed"]
