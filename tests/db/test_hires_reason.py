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
