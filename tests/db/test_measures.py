"""Measures: slopes before and after worked out by hand, the register's import refusing bad rows whole on both
databases, and the comparison reading only the privacy-safe series."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa

from di_metrics.analysis.measure_list import measure_trends
from di_metrics.cli.main import main
from di_metrics.errors import InvalidInput
from di_metrics.models.measure_slopes import Measure, before_after, slope_pp_per_year
from di_metrics.storage import store
from di_metrics.storage.ingest import import_file
from di_metrics.storage.measure_register import load_measures, save_measure

D = dt.date


def test_slope_by_hand():
    # t = 0, 1, 2 years; y = 10, 11, 13 %: mean t 1, mean y 34/3; sum (t - 1)(y - 34/3) = 4/3 + 0 + 5/3 = 3;
    # sum (t - 1)^2 = 2; slope 1.5 pp a year. Calendar years are 365 or 366 days, hence the tolerance.
    points = [(D(2019, 1, 1), 0.10), (D(2020, 1, 1), 0.11), (D(2021, 1, 1), 0.13)]
    assert slope_pp_per_year(points) == pytest.approx(1.5, abs=0.005)


def test_before_and_after_a_start():
    points = [
        (D(2018, 1, 1), 0.10),
        (D(2019, 1, 1), 0.11),
        (D(2020, 1, 1), None),  # withheld: not a point
        (D(2020, 7, 1), 0.12),  # the start day itself counts as after
        (D(2021, 7, 1), 0.15),
        (D(2022, 7, 1), 0.18),
    ]
    result = before_after(points, D(2020, 7, 1))
    # before: 10 -> 11 over one year, 1 pp a year; after: 12, 15, 18 one year apart, 3 pp a year.
    assert result.points_before == 2 and result.points_after == 3
    assert result.slope_before == pytest.approx(1.0, abs=0.005)
    assert result.slope_after == pytest.approx(3.0, abs=0.01)
    assert result.slope_change == pytest.approx(2.0, abs=0.015)


def test_fewer_than_two_points_on_a_side_give_no_slope():
    points = [(D(2019, 1, 1), 0.10), (D(2020, 1, 1), 0.12), (D(2021, 1, 1), 0.13)]
    result = before_after(points, D(2019, 6, 1))
    assert result.points_before == 1 and result.slope_before is None and result.slope_change is None
    assert result.slope_after == pytest.approx(1.0, abs=0.005)
    assert slope_pp_per_year([(D(2019, 1, 1), 0.1), (D(2019, 1, 1), 0.2)]) is None  # one date: no slope


HEADER = "name,start_date,end_date,owner,personnel_category,indicator,status\n"


def _workforce(engine, tmp_path) -> None:
    """Yearly snapshots of 100 persons: 10, 12, 14, 20, 26 women, so 10% -> 14% before 2023, 20% -> 26% after."""
    lines = ["snapshot_date,person_id,gender,org_unit,personnel_category"]
    for year, women in ((2020, 10), (2021, 12), (2022, 14), (2023, 20), (2024, 26)):
        lines += [f"{year}-12-31,P{i},{'F' if i < women else 'M'},U1,military" for i in range(100)]
    (tmp_path / "w.csv").write_text("\n".join(lines) + "\n")
    import_file(engine, "workforce", tmp_path / "w.csv")


def _count(engine) -> tuple[int, int]:
    with store.connect(engine) as conn:
        rows = conn.execute(sa.select(sa.func.count()).select_from(store.measure)).scalar()
        logged = conn.execute(
            sa.select(sa.func.count())
            .select_from(store.import_log)
            .where(store.import_log.c.kind == "measures", store.import_log.c.result == "imported")
        ).scalar()
    return rows, logged


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Mentoring,2023-02-30,,HR,,women_share,running\n", ["'start_date'", "not a valid date", "line 3"]),
        ("Mentoring,2023-06-01,2023-01-01,HR,,women_share,running\n", ["'end_date'", "before the start", "line 3"]),
        (
            "Mentoring,2023-06-01,,HR,,women_in_space,running\n",
            ["'indicator'", "unknown indicator or target", "line 3"],
        ),
        ("Mentoring,2023-06-01,,HR,,women_share,ongoing\n", ["'status'", "unknown value", "line 3"]),
        (
            "Mentoring,2023-06-01,,HR,navy,women_share,running\n",
            ["'personnel_category'", "unknown personnel", "line 3"],
        ),
        (
            "Mentoring,2023-06-01,,HR,,women_share,running\nMentoring,2024-01-01,,HR,,women_share,running\n",
            ["more than one row", "lines 3, 4"],
        ),
    ],
)
def test_a_bad_measures_file_is_refused_whole(engine, tmp_path, body, expected):
    path = tmp_path / "measures.csv"
    path.write_text(HEADER + "Campaign,2022-01-01,,Recruitment,,women_total,completed\n" + body, encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        import_file(engine, "measures", path)
    text = str(caught.value)
    for fragment in ["measures.csv", *expected]:
        assert fragment in text
    assert _count(engine) == (0, 0)


def test_measures_import_and_the_comparison_on_both_databases(engine, tmp_path, capsys):
    _workforce(engine, tmp_path)
    path = tmp_path / "measures.csv"
    path.write_text(
        HEADER
        + "Campaign,2023-01-01,2024-06-30,Recruitment,military,women_share,completed\n"
        + "Mentoring,2021-06-01,,HR,,women_total,running\n",
        encoding="utf-8",
    )
    assert import_file(engine, "measures", path).rows == 2
    again = tmp_path / "again.csv"
    again.write_text(path.read_text() + "Buddies,2024-01-01,,HR,,women_share,planned\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="already stored"):
        import_file(engine, "measures", again)
    with store.connect(engine) as conn:
        rows = {r.measure.name: r for r in measure_trends(conn)}
    campaign = rows["Campaign"].slopes
    # Before 2023-01-01: 10, 12, 14 % one year apart, 2 pp a year; from it on: 20, 26 %, 6 pp a year.
    assert (campaign.points_before, campaign.points_after) == (3, 2)
    assert campaign.slope_before == pytest.approx(2.0, abs=0.01)
    assert campaign.slope_after == pytest.approx(6.0, abs=0.02)
    assert rows["Campaign"].measure.scope == {"personnel_category": "military"}
    # Mentoring is linked to the target women_total (the whole organisation): 10 before, 12, 14, 20, 26 after.
    mentoring = rows["Mentoring"].slopes
    assert (mentoring.points_before, mentoring.points_after) == (1, 4)
    assert mentoring.slope_before is None


def test_measures_cli_contract(duckdb_url, tmp_path, capsys):
    path = tmp_path / "m.csv"
    path.write_text(HEADER + "Campaign,2023-01-01,,Recruitment,,women_share,running\n", encoding="utf-8")
    assert main(["import", "measures", str(path), "--db", duckdb_url]) == 0
    capsys.readouterr()
    assert main(["measures", "list", "--json", "--db", duckdb_url]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert set(doc["rows"][0]) >= {
        "name",
        "start",
        "indicator",
        "slope_before",
        "slope_after",
        "points_before",
        "points_after",
    }
    assert doc["rows"][0]["start"] == "2023-01-01" and doc["rows"][0]["points_before"] == 0


def test_a_measure_on_a_small_unit_reads_only_what_may_be_shown(engine, tmp_path):
    """A unit of 2 women and 30 men is withheld in the safe series, so its measure has no points at all."""
    lines = ["snapshot_date,person_id,gender,org_unit,branch"]
    for year in (2022, 2023, 2024, 2025):
        for unit, women, men in (("U1", 40, 60), ("U2", 2, 30)):
            lines += [f"{year}-12-31,{unit}F{i},F,{unit},B1" for i in range(women)]
            lines += [f"{year}-12-31,{unit}M{i},M,{unit},B1" for i in range(men)]
    (tmp_path / "w.csv").write_text("\n".join(lines) + "\n")
    import_file(engine, "workforce", tmp_path / "w.csv")
    with store.connect(engine, write=True) as conn:
        save_measure(conn, Measure("Buddy scheme", D(2024, 1, 1), "women_share", scope={"org_unit": "U2"}))
    with store.connect(engine) as conn:
        row = measure_trends(conn)[0].slopes
        assert [m.name for m in load_measures(conn)] == ["Buddy scheme"]
    assert (row.points_before, row.points_after, row.slope_before) == (0, 0, None)
