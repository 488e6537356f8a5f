"""The workforce decision's X exception (queries/stock_joint.py, `x_only`): a figure hidden for its few X (1 to
k-1) is not tied across dates by its change, but a big figure hidden only as a headcount complement is. Before the
review narrowed it, every big hidden headcount was exempt, and the complement's women and men, shown on a date its
change ties to, gave its hidden ones back. On DuckDB and PostgreSQL (k = 5).

One branch B2 with units V1 and V2, ranks manschappen and officieren, snapshots 2021-12-31, 2022-12-31 and
2023-12-31. Persons per cell (women, men, X) on the three dates:
- V1 manschappen (5, 12, 0) on every date; V1 officieren (5, 20, 0), (5, 18, 0), (7, 21, 1);
- V2 manschappen (2, 8, 0), (1, 8, 1), (0, 8, 1); V2 officieren (5, 2, 2), (5, 2, 2), (5, 0, 2).
The moves (`PATHS`): 2022: a man leaves V1's officers and one V1 manschap, a V1 officer becomes a V2 manschap and a
V2 manschap a V1 manschap, a V2 manschap woman leaves, an X joins V2's manschappen; 2023: 2 women, 2 men and an X
join V1's officers, a V2 manschap woman and a V2 officer leave, another V2 officer moves to V1's officers.

Worked by hand: on 2021 and 2022 V2 alone holds B2's X (2, then 3), so its headcount is hidden and V1's (no X on
those dates) as its complement, and with them their women and men. On 2023 V1's officers' women changed by the 2
hired, the only change of women among B2's officers (V2's officer women stayed 5), and V1's manschappen women
stayed 5: V1's women's change is known, so V1 hidden on 2022 is hidden on 2023 too (its women and men), V2 with it
as its complement. With the wider exception V1 on 2022 counted as hidden for its X: untied, V1 and V2 showed their
women and men on 2023 (12 and 33, 5 and 8), and the attacker read the hidden women of both back on the dates before.
"""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from di_metrics.analysis import disclosure
from di_metrics.queries.filters import Filters
from di_metrics.queries.workforce import breakdown
from di_metrics.storage import store
from di_metrics.storage.ingest import import_file

DATES = ("2021-12-31", "2022-12-31", "2023-12-31")
MAN, OFF = "manschappen", "officieren"
# gender, (unit, rank) or None on each date, persons
PATHS = [
    ("F", (("V1", MAN), ("V1", MAN), ("V1", MAN)), 5),
    ("F", (("V1", OFF), ("V1", OFF), ("V1", OFF)), 5),
    ("F", (None, None, ("V1", OFF)), 2),
    ("F", (("V2", MAN), None, None), 1),
    ("F", (("V2", MAN), ("V2", MAN), None), 1),
    ("F", (("V2", OFF), ("V2", OFF), ("V2", OFF)), 5),
    ("M", (("V1", MAN), ("V1", MAN), ("V1", MAN)), 11),
    ("M", (("V1", MAN), None, None), 1),
    ("M", (("V1", OFF), ("V1", OFF), ("V1", OFF)), 18),
    ("M", (("V1", OFF), None, None), 1),
    ("M", (None, None, ("V1", OFF)), 2),
    ("M", (("V1", OFF), ("V2", MAN), ("V2", MAN)), 1),
    ("M", (("V2", MAN), ("V1", MAN), ("V1", MAN)), 1),
    ("M", (("V2", MAN), ("V2", MAN), ("V2", MAN)), 7),
    ("M", (("V2", OFF), ("V2", OFF), None), 1),
    ("M", (("V2", OFF), ("V2", OFF), ("V1", OFF)), 1),
    ("X", (None, None, ("V1", OFF)), 1),
    ("X", (None, ("V2", MAN), ("V2", MAN)), 1),
    ("X", (("V2", OFF), ("V2", OFF), ("V2", OFF)), 2),
]
VALUES = {"branch": ["B2"], "rank_group": [MAN, OFF], "org_unit": ["V1", "V2"]}


@pytest.fixture
def conn(engine, tmp_path):
    lines = ["snapshot_date,person_id,gender,org_unit,branch,rank_group,personnel_category"]
    for j, (gender, path, n) in enumerate(PATHS):
        for i in range(n):
            lines += [f"{d},P{j}_{i},{gender},{c[0]},B2,{c[1]},military" for d, c in zip(DATES, path, strict=True) if c]
    path = tmp_path / "workforce.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    import_file(engine, "workforce", path)
    with store.connect(engine) as c:
        yield c


CELLS = {  # the docstring's table: (unit, rank): (women, men, X) on each date
    ("V1", MAN): [(5, 12, 0), (5, 12, 0), (5, 12, 0)],
    ("V1", OFF): [(5, 20, 0), (5, 18, 0), (7, 21, 1)],
    ("V2", MAN): [(2, 8, 0), (1, 8, 1), (0, 8, 1)],
    ("V2", OFF): [(5, 2, 2), (5, 2, 2), (5, 0, 2)],
}


def test_the_cells_are_as_described(conn):
    rows = conn.execute(
        sa.text(
            "SELECT snapshot_date, org_unit, rank_group, gender, COUNT(*) FROM workforce_snapshot "
            "GROUP BY snapshot_date, org_unit, rank_group, gender"
        )
    ).all()
    found = {(str(d), u, r, g): n for d, u, r, g, n in rows}
    for (unit, rank), per_date in CELLS.items():
        for day, counts in zip(DATES, per_date, strict=True):
            assert tuple(found.get((day, unit, rank, g), 0) for g in "FMX") == counts, (day, unit, rank)


def test_a_big_headcount_complement_stays_tied_across_dates(conn):
    rows = breakdown(conn, Filters(), "org_unit").set_index(["date", "value"])
    for day in DATES:
        for unit in ("V1", "V2"):
            row = rows.loc[(dt.date.fromisoformat(day), unit)]
            assert row["suppressed"] and row[["women", "men"]].isna().all(), (day, unit)


def test_the_attacker_narrows_no_workforce_figure(conn):
    scope = disclosure.Scope(
        dates=tuple(dt.date.fromisoformat(d) for d in DATES),
        years=(2022, 2023),
        waves=(),
        item=None,
        breakdowns=("branch", "rank_group", "org_unit"),
    )
    chosen = disclosure.selections(VALUES, lambda d1, v1, d2, v2: d1 != d2 or d1 == "org_unit")
    figures = disclosure.collect(conn, scope, {"workforce": chosen})
    assert figures.tally["workforce"][1] > 0
    assert disclosure.narrow(figures, disclosure.intervals(figures)) == {}
