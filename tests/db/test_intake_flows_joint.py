"""Intake and flows below the branch level are one decision (flow_pattern): worked out by hand, on DuckDB and
PostgreSQL.

Snapshots 2022-12-31, 2023-12-31 and 2024-12-31; branch B1 holds U1, U2 and U3, each starting with 20 women and
20 men of whom 5 women and 5 men leave in 2023 and 5 more in 2024. New hires (women/men), each staying:
- 2023: U1 3/6, U2 8/8, U3 10/10;  2024: U1 7/6, U2 9/9, U3 11/11.
In 2023, 4 women of U3's stock move to U1. So U1's women's flows in 2023 are 7 hires (3 new and 4 moved in)
and 5 exits, U3's 10 hires and 9 exits (5 left, 4 moved out); every other flow is its unit's intake and 5 exits.

By hand (k = 5): every flow count is at least 5, so the flows alone hide nothing. Intake's 3 women of U1 in 2023
are under 5: a primary of the one decision. Its complements, chosen once for both views:
- along the branch's 2023 women (the branch's flows and intake are shown): the smallest other unit, U2
  (5 exits, against U3's 9);
- along each unit's 2023 genders (the hiring share shows the year's hires): U1's and U2's men;
- along each unit's years (retention shows a unit's hires of all years): U1's and U2's 2024, women and men.
So U1 and U2 are hidden in both years, U3 is shown; U1+U2 together (the branch minus U3) is shown.
"""

from __future__ import annotations

import pytest

from di_metrics.analysis.career import intake
from di_metrics.queries.filters import Filters
from di_metrics.queries.workforce import flows
from di_metrics.storage import store
from di_metrics.storage.ingest import import_file

HIRES = {2023: {"U1": (3, 6), "U2": (8, 8), "U3": (10, 10)}, 2024: {"U1": (7, 6), "U2": (9, 9), "U3": (11, 11)}}
DATES = (2022, 2023, 2024)
MOVERS = 4


def _write(path):
    lines = ["snapshot_date,person_id,gender,org_unit,branch,rank_group,personnel_category"]

    def person(pid, gender, units):
        return [f"{y}-12-31,{pid},{gender},{u},B1,manschappen,military" for y, u in sorted(units.items())]

    for unit in ("U1", "U2", "U3"):
        for g in "FM":
            for i in range(20):
                gone = 2023 if i < 5 else 2024 if i < 10 else 2025
                span = {y: unit for y in DATES if y < gone}
                if unit == "U3" and g == "F" and 10 <= i < 10 + MOVERS:
                    span.update({2023: "U1", 2024: "U1"})
                lines += person(f"{unit}-{g}s{i}", g, span)
    for year, parts in HIRES.items():
        for unit, counts in parts.items():
            for g, n in zip("FM", counts, strict=True):
                lines += [
                    row
                    for i in range(n)
                    for row in person(f"{unit}-{g}h{year}-{i}", g, {y: unit for y in DATES if y >= year})
                ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def conn(engine, tmp_path):
    import_file(engine, "workforce", _write(tmp_path / "joint.csv"))
    with store.connect(engine) as c:
        yield c


def _flows(conn, units):
    return {(r.year, r.gender): None if r.suppressed else (r.hires, r.exits) for r in flows(conn, _of(units)).rows}


def _intake(conn, units, by=None):
    return {
        (y.year, y.group): None if y.suppressed else (y.women_hired, y.hires)
        for y in intake(conn, _of(units), by=by).years
    }


def _of(units):
    return Filters.of({"org_unit": units}) if units else Filters()


def test_the_flows_hide_the_intake_primary_and_its_complements(conn):
    for unit in ("U1", "U2"):
        assert _flows(conn, [unit]) == {(y, g): None for y in (2023, 2024) for g in "FM"}
    assert _flows(conn, ["U3"]) == {
        (2023, "F"): (10, 9),
        (2023, "M"): (10, 5),
        (2024, "F"): (11, 5),
        (2024, "M"): (11, 5),
    }
    # U1 and U2 together are the branch minus U3: shown, as the branch minus U3 would give them anyway
    assert _flows(conn, ["U1", "U2"]) == {
        (2023, "F"): (15, 10),
        (2023, "M"): (14, 10),
        (2024, "F"): (16, 10),
        (2024, "M"): (15, 10),
    }
    assert {s.year: s.hiring_share_women for s in flows(conn, _of(["U1"])).hiring_share} == {2023: None, 2024: None}


def test_intake_hides_exactly_what_the_flows_hide(conn):
    assert _intake(conn, ["U1"]) == {(2023, ""): None, (2024, ""): None}
    assert _intake(conn, ["U2"]) == {(2023, ""): None, (2024, ""): None}
    assert _intake(conn, ["U3"]) == {(2023, ""): (10, 20), (2024, ""): (11, 22)}
    assert _intake(conn, ["U1", "U2"]) == {(2023, ""): (11, 25), (2024, ""): (16, 31)}
    assert _intake(conn, ["U2", "U3"]) == {(2023, ""): None, (2024, ""): None}  # holds U2, not U1: splits
    by_unit = _intake(conn, [], by="org_unit")
    assert by_unit == {
        (2023, "U1"): None,
        (2023, "U2"): None,
        (2023, "U3"): (10, 20),
        (2024, "U1"): None,
        (2024, "U2"): None,
        (2024, "U3"): (11, 22),
    }
