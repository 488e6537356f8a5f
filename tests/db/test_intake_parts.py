"""Intake by part and the filtered parents (issue 29): the parts add up to their parent where nothing is
hidden, and a selection that holds some but not all of the parts its parent hides in a year is hidden that
year (or the parent minus the selection gives the hidden part). On DuckDB and PostgreSQL, on a hand-made
organisation whose every figure is worked out here.

Snapshots 2022-12-31, 2023-12-31 and 2024-12-31; a stock of 20 women and 20 men per unit from 2022 (no hires),
of whom 5 women and 5 men leave in 2023 and 5 more in 2024, so each unit's flows have the minimum of exits and
show a year unless its hires are hidden there (intake hides what the flows hide).
Hires (women/men), each staying to the end:
- 2023: U1 (branch B1) 8/9, U2 (B1) 6/7, V1 (B2) 10/12;
- 2024: U1 2/8, U2 7/6, V1 9/9.
By unit, U1's 2 women of 2024 are hidden; the complement on that year's line is the next smallest part, U2
(6 men fewer than V1's 9); U1 and U2 are then alone hidden on their own years' lines, so 2023 is hidden for
both too. V1 is shown in both years.
"""

from __future__ import annotations

import pytest

from di_metrics.analysis.career import intake
from di_metrics.queries.filters import Filters
from di_metrics.storage import store
from di_metrics.storage.ingest import import_file

UNITS = {"U1": "B1", "U2": "B1", "V1": "B2"}
HIRES = {2023: {"U1": (8, 9), "U2": (6, 7), "V1": (10, 12)}, 2024: {"U1": (2, 8), "U2": (7, 6), "V1": (9, 9)}}
DATES = ("2022-12-31", "2023-12-31", "2024-12-31")


def _write(path, leavers=True):
    lines = ["snapshot_date,person_id,gender,org_unit,branch,rank_group,personnel_category"]

    def person(pid, gender, unit, first, last=2024):
        days = [d for d in DATES if first <= int(d[:4]) <= last]
        return [f"{d},{pid},{gender},{unit},{UNITS[unit]},manschappen,military" for d in days]

    for unit in UNITS:
        for g in "FM":
            for i in range(20):
                last = 2022 if i < 5 else 2023 if i < 10 else 2024
                lines += person(f"{unit}-{g}s{i}", g, unit, 2022, last if leavers else 2024)
    for year, parts in HIRES.items():
        for unit, (women, men) in parts.items():
            for g, n in (("F", women), ("M", men)):
                for i in range(n):
                    lines += person(f"{unit}-{g}h{year}-{i}", g, unit, year)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def conn(engine, tmp_path):
    import_file(engine, "workforce", _write(tmp_path / "intake.csv"))
    with store.connect(engine) as c:
        yield c


def _rows(found) -> dict:
    """(year, part): (women hired, hires) or None where hidden; the years with hires only."""
    return {
        (y.year, y.group): None if y.suppressed else (y.women_hired, y.hires) for y in found.years if y.year in HIRES
    }


def _sum(year: int, units: list[str]) -> tuple[int, int]:
    women = sum(HIRES[year][u][0] for u in units)
    return women, women + sum(HIRES[year][u][1] for u in units)


def test_the_parts_add_up_to_their_parent_where_nothing_is_hidden(conn):
    whole = _rows(intake(conn))
    by_branch = _rows(intake(conn, by="branch"))
    for year in HIRES:
        assert whole[year, ""] == _sum(year, list(UNITS))
        assert by_branch[year, "B1"] == _sum(year, ["U1", "U2"])
        assert by_branch[year, "B2"] == _sum(year, ["V1"])
        parts = [by_branch[year, b] for b in ("B1", "B2")]
        assert tuple(map(sum, zip(*parts, strict=True))) == whole[year, ""]  # the parts add up to the parent


def test_intake_by_unit_hides_the_small_part_and_its_complements(conn):
    by_unit = _rows(intake(conn, by="org_unit"))
    assert by_unit == {
        (2023, "U1"): None,
        (2023, "U2"): None,
        (2023, "V1"): _sum(2023, ["V1"]),
        (2024, "U1"): None,
        (2024, "U2"): None,
        (2024, "V1"): _sum(2024, ["V1"]),
    }


@pytest.mark.parametrize(
    ("chosen", "shown"),
    [
        (["U1", "U2"], True),  # all the hidden parts: their sum is the whole minus V1, already shown
        (["U2", "V1"], False),  # some hidden parts: the whole minus this selection would be U1's 2 women
        (["U1"], False),
        (["V1"], True),
    ],
)
def test_a_selection_that_splits_its_parents_hidden_parts_is_hidden(conn, chosen, shown):
    rows = _rows(intake(conn, Filters.of({"org_unit": chosen})))
    expected = {(year, ""): _sum(year, chosen) if shown else None for year in HIRES}
    assert rows == expected


def test_a_unit_within_its_branch_follows_the_branch_parent_too(conn):
    # B1 by unit hides U1's 2024 and, as its complement, U2's (the only other part of B1)
    rows = _rows(intake(conn, Filters.of({"branch": ["B1"], "org_unit": ["U2"]})))
    assert rows[2024, ""] is None


def test_intake_hides_the_years_the_units_flows_hide(engine, tmp_path):
    """Without leavers a unit's exits are 0: a count nobody moved in, which hides nothing (an attacker who knows
    nobody left reads the hires off the stocks), so it no longer hides the year (flow_pattern, session 12). V1's
    hires (10/12, 9/9) are at least the minimum and are intake's own count of the same persons (nobody moves
    between units): shown, for V1 alone and as V1's part by unit; U1's 2024 women (2) stay hidden, with U2."""
    import_file(engine, "workforce", _write(tmp_path / "intake.csv", leavers=False))
    with store.connect(engine) as c:
        alone = _rows(intake(c, Filters.of({"org_unit": ["V1"]})))
        by_unit = _rows(intake(c, by="org_unit"))
    assert alone == {(2023, ""): _sum(2023, ["V1"]), (2024, ""): _sum(2024, ["V1"])}
    assert (by_unit[2023, "V1"], by_unit[2024, "V1"]) == (_sum(2023, ["V1"]), _sum(2024, ["V1"]))
    assert by_unit[2024, "U1"] is None and by_unit[2024, "U2"] is None
