"""Why a year's women's share of hires is shown or missing is decided once, with the share (`HiringShare.reason`,
set by workforce.flows), and read from there by `hiring_vs_stock` and the flows title's claim.

A hand-made aggregate headcount file, year-ends 2021-2025, women and men: 2022 hired 3 women and 7 men (30%),
2023 nobody, 2024's flows are blank (not measured), 2025 hired 4 women and 6 men (40%)."""

from __future__ import annotations

import pytest

from di_metrics.analysis.claims import claims_for
from di_metrics.cli.main import main
from di_metrics.models.claims import holds
from di_metrics.models.flows import HiringShare
from di_metrics.present.claims import texts
from di_metrics.queries.workforce import flows, hiring_vs_stock
from di_metrics.storage import store
from di_metrics.storage.database import open_database

# (year, women, men, women hired, men hired, women left, men left); None: not measured
YEARS = [
    (2021, 100, 400, 0, 0, 0, 0),
    (2022, 100, 400, 3, 7, 3, 7),
    (2023, 95, 390, 0, 0, 5, 10),
    (2024, 95, 390, None, None, None, None),
    (2025, 96, 392, 4, 6, 3, 4),
]


def _cell(v: int | None) -> str:
    return "" if v is None else str(v)


CSV = "snapshot_date,gender,headcount,hires,exits\n" + "".join(
    f"{y}-12-31,F,{w},{_cell(wh)},{_cell(wl)}\n{y}-12-31,M,{m},{_cell(mh)},{_cell(ml)}\n"
    for y, w, m, wh, mh, wl, ml in YEARS
)


@pytest.fixture
def hires_years(db_url, tmp_path):
    path = tmp_path / "headcount.csv"
    path.write_text(CSV)
    assert main(["import", "headcount", str(path), "--db", db_url]) == 0
    return db_url


def test_each_years_share_of_hires_carries_the_reason_it_was_decided_with(hires_years):
    with store.connect(open_database(hires_years)) as conn:
        doc = flows(conn)
        yearly = hiring_vs_stock(conn)
        (title,) = [c for c in claims_for(conn) if c.kind == "flows_finding"]
    assert doc.hiring_share == (
        HiringShare(2022, pytest.approx(0.3), "shown"),  # 3 of 3 + 7
        HiringShare(2023, None, "none_hired"),
        HiringShare(2024, None, "not_measured"),  # unknown, never 0
        HiringShare(2025, pytest.approx(0.4), "shown"),  # 4 of 4 + 6
    )
    assert [s.suppressed for s in doc.hiring_share] == [False] * 4
    assert dict(zip(yearly["year"], yearly["hires_state"], strict=True)) == {
        2022: "shown",
        2023: "none_hired",
        2024: "not_measured",
        2025: "shown",
    }
    assert holds(title) and title.params["hires_state"] == "shown" and title.params["charted"]
    assert texts(title)[1] == (
        "In 2025 women were 40.0% of hires, against 19.6% of personnel at the start of the year"  # 95 of 485
    )


def test_below_the_branch_level_a_year_nobody_joined_says_so_not_withheld(tmp_path):
    """Red before: a unit nobody joined or left in 2025 showed its women's and men's hires as 0, and its share of
    hires read 'withheld' (a total of 0 is under k), so the title said the gate hid what the table shows.

    Branch B1, by hand: U1 holds 20 women and 20 men on every year-end; in 2024 5 women and 5 men of U1 leave and
    as many join (share of hires 50%), in 2025 nobody joins or leaves U1. U2 (20 and 20) replaces 5 and 5 each
    year."""
    rows = ["snapshot_date,person_id,gender,org_unit,branch,rank_group,personnel_category"]
    for unit in ("U1", "U2"):
        for gender in "FM":
            for year in (2023, 2024, 2025):
                for i in range(20):
                    replaced = i < 5 and year >= 2024  # U1's first five once, in 2024; U2's every year
                    generation = 0 if not replaced else (year - 2023 if unit == "U2" else 1)
                    person = f"{unit}{gender}{i}g{generation}"
                    rows.append(f"{year}-12-31,{person},{gender},{unit},B1,manschappen,military")
    path = tmp_path / "workforce.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    engine = open_database(f"duckdb:///{tmp_path / 'u1.duckdb'}")
    assert main(["import", "workforce", str(path), "--db", f"duckdb:///{tmp_path / 'u1.duckdb'}"]) == 0
    from di_metrics.queries.filters import Filters

    with store.connect(engine) as conn:
        doc = flows(conn, Filters.of({"org_unit": ["U1"]}))
    engine.dispose()
    assert [(r.year, r.gender, r.hires, r.exits) for r in doc.rows] == [
        (2024, "F", 5, 5),
        (2024, "M", 5, 5),
        (2025, "F", 0, 0),
        (2025, "M", 0, 0),
    ]
    assert doc.hiring_share == (
        HiringShare(2024, pytest.approx(0.5), "shown"),
        HiringShare(2025, None, "none_hired"),  # every gender's hires shown as 0
    )
