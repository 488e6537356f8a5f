"""`status` and flows on the hand-built fixture: every expected number is worked out by hand."""

from __future__ import annotations

import datetime as dt
import json
import math

import pytest

from di_metrics.cli.main import main
from di_metrics.models.flows import HiringShare
from di_metrics.models.targets import Target
from di_metrics.queries.filters import Filters
from di_metrics.queries.status import leading_target, status, year_change
from di_metrics.queries.workforce import flows
from di_metrics.storage import store
from di_metrics.storage.ingest import import_file
from tests.support.handmade import write_csv

# The default target: 16% on 2022-12-31 to 30% on 2030-12-31 (2,922 days). On 2024-12-31, 731 days in:
GLIDE_TOTAL = 0.16 + 0.14 * 731 / 2922
GLIDE_MILITARY = 0.11 + 0.19 * 731 / 2922


@pytest.fixture
def handmade(engine, tmp_path):
    import_file(engine, "workforce", write_csv(tmp_path / "workforce.csv"))
    return engine


def test_status_latest_figures(handmade):
    with store.connect(handmade) as conn:
        doc = status(conn)
    assert doc.as_of == dt.date(2024, 12, 31)
    assert (doc.headcount, doc.women) == (12, 3)
    assert doc.women_share == pytest.approx(3 / 12)
    assert doc.suppressed is False
    assert [(p.date.isoformat(), p.headcount, p.women) for p in doc.series] == [
        ("2023-12-31", 11, 3),
        ("2024-06-30", 10, 4),
        ("2024-12-31", 12, 3),
    ]
    assert doc.series[1].women_share == pytest.approx(0.4)


def test_status_targets(handmade):
    with store.connect(handmade) as conn:
        targets = {x.target.name: x for x in status(conn).targets}
    total = targets["women_total"]
    assert total.latest == pytest.approx(0.25)
    assert total.glide_path == pytest.approx(GLIDE_TOTAL)
    assert total.state == "on_track"
    assert total.gap_pp == pytest.approx(5.0)
    assert total.women_needed == 1  # 0.30 x 12 - 3 = 0.6: one more woman
    assert total.change_12m == pytest.approx(0.25 - 3 / 11)
    military = targets["women_military"]  # 3 F, 6 M, 1 X on d3
    assert military.latest == pytest.approx(0.3)
    assert military.glide_path == pytest.approx(GLIDE_MILITARY)
    assert military.gap_pp == pytest.approx(0.0, abs=1e-9)
    assert military.women_needed == 0
    civilian = targets["women_civilian"]  # P4 and P5, both men
    assert civilian.latest == 0.0
    assert civilian.state == "off_track"
    assert civilian.women_needed == 1  # 0.30 x 2 = 0.6
    assert "training_social_safety" not in targets  # no indicator data


def test_status_suppresses_small_unit(handmade):
    with store.connect(handmade) as conn:
        doc = status(conn, Filters.of({"org_unit": ["U1"]}))
    # U1 on d3: women P1, P2, P11; men P4-P8, P14: 3 women is fewer than the minimum of 5.
    assert doc.suppressed is True
    assert doc.women is None and doc.women_share is None
    # Its sibling U2 (P9, P13 and X P12) has 2 reportable persons, so its headcount is hidden; with the
    # branch total of 12 shown, U1's headcount of 9 would give it away, so that is hidden too.
    assert doc.headcount is None


def test_flows_by_hand(handmade):
    with store.connect(handmade) as conn:
        doc = flows(conn)
    rows = {(r.year, r.gender): r for r in doc.rows}
    assert set(rows) == {(2024, "F"), (2024, "M"), (2024, "X")}  # 2024 is the only complete year
    f, m, x = rows[2024, "F"], rows[2024, "M"], rows[2024, "X"]
    assert (f.headcount_start, f.hires, f.exits) == (3, 1, 1)
    assert f.attrition_rate == pytest.approx(1 / 3)
    assert (m.headcount_start, m.hires, m.exits) == (8, 2, 2)  # P14 left and came back: exit and hire
    assert m.attrition_rate == pytest.approx(0.25)
    assert (x.headcount_start, x.hires, x.exits) == (0, 1, 0)
    assert x.attrition_rate is None
    assert doc.hiring_share == (HiringShare(2024, pytest.approx(0.25), "shown"),)


def test_changes_over_twelve_months(handmade):
    with store.connect(handmade) as conn:
        doc = status(conn)
    # 2024-12-31 against 2023-12-31: 12 persons (3 women) against 11 (3 women)
    assert year_change(doc.series, "headcount") == 1
    assert year_change(doc.series, "women") == 0
    assert year_change(doc.series, "women_share") == pytest.approx(3 / 12 - 3 / 11)
    assert year_change(doc.series[1:], "headcount") is None  # nothing a year before


def test_a_change_of_recorded_gender_is_no_hire_and_no_exit(engine, tmp_path):
    """By definition (docs/definitions.md): a hire is someone absent at t-1, an exit someone absent at t. P5 (a man,
    present throughout) recorded as a woman at d3 is neither, so 2024's flows are those of the plain fixture."""
    import pandas as pd

    from tests.support.handmade import D3, rows

    frame = pd.DataFrame(rows())
    frame.loc[(frame["person_id"] == "P5") & (frame["snapshot_date"] == D3), "gender"] = "F"
    frame.to_csv(tmp_path / "workforce.csv", index=False)
    import_file(engine, "workforce", tmp_path / "workforce.csv")
    with store.connect(engine) as conn:
        doc = flows(conn)
        latest = status(conn)
    assert (latest.headcount, latest.women) == (12, 4)  # the stock does follow the record
    rows_2024 = {r.gender: (r.headcount_start, r.hires, r.exits) for r in doc.rows}
    assert rows_2024 == {"F": (3, 1, 1), "M": (8, 2, 2), "X": (0, 1, 0)}
    assert doc.hiring_share[0].hiring_share_women == pytest.approx(1 / 4)


def test_cli_status_json(db_url, tmp_path, capsys):
    csv = write_csv(tmp_path / "workforce.csv", sep=";")
    assert main(["import", "workforce", str(csv), "--db", db_url, "--json"]) == 0
    capsys.readouterr()
    assert main(["status", "--db", db_url, "--json", "--category", "military"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert (doc["headcount"], doc["women"]) == (10, 3)
    assert math.isclose(doc["women_share"], 0.3)
    assert {t["name"] for t in doc["targets"]} == {"women_total", "women_military"}
    military = next(t for t in doc["targets"] if t["name"] == "women_military")
    assert (military["state"], military["on_track"]) == ("on_track", True)  # 30% against the glide path


def test_aggregate_headcounts_feed_status_and_flows(engine, tmp_path):
    """An organisation with counts only: 2023 and 2024 year ends, women and men, with hires and exits."""
    path = tmp_path / "counts.csv"
    path.write_text(
        "peildatum;geslacht;headcount;hires;exits;krijgsmachtdeel\n"
        "31-12-2023;V;150;;;CZSK\n31-12-2023;M;850;;;CZSK\n"
        "31-12-2024;V;170;40;20;CZSK\n31-12-2024;M;830;90;110;CZSK\n"
    )
    import_file(engine, "headcount", path)
    with store.connect(engine) as conn:
        doc = status(conn)
        shown = flows(conn, Filters.of({"branch": ["CZSK"]}))
    assert (doc.as_of, doc.headcount, doc.women) == (dt.date(2024, 12, 31), 1000, 170)
    rows = {r.gender: r for r in shown.rows}
    assert (rows["F"].headcount_start, rows["F"].hires, rows["F"].exits) == (150, 40, 20)
    assert rows["F"].attrition_rate == pytest.approx(20 / 150)
    assert shown.hiring_share[0].hiring_share_women == pytest.approx(40 / 130)


def _entry(name: str, scope: dict[str, list[str]], metric: str = "women_share") -> Target:
    day = dt.date(2022, 12, 31)
    return Target(name, metric, 0.3, dt.date(2030, 12, 31), day, 0.2, {k: tuple(v) for k, v in scope.items()})


LEADERS = [
    _entry("training", {}, metric="indicator:training_social_safety"),
    _entry("women_total", {}),
    _entry("women_military", {"personnel_category": ["military"]}),
    _entry("women_civilian", {"personnel_category": ["civilian"]}),
    _entry("women_navy_officers", {"branch": ["CZSK"], "rank_group": ["officieren", "hoofdofficieren"]}),
]


@pytest.mark.parametrize(
    ("selection", "leader"),
    [
        ({}, "women_total"),  # nothing selected: the organisation's target, never a narrower one
        ({"personnel_category": ["civilian"]}, "women_civilian"),
        ({"personnel_category": ["civilian"], "org_unit": ["U1"]}, "women_civilian"),
        ({"personnel_category": ["civilian", "military"]}, "women_total"),
        ({"branch": ["CZSK"]}, "women_total"),
        ({"branch": ["CZSK"], "rank_group": ["officieren"]}, "women_navy_officers"),
        ({"branch": ["CZSK"], "rank_group": ["officieren", "manschappen"]}, "women_total"),
    ],
)
def test_the_leading_target_speaks_for_exactly_the_selection(selection, leader):
    assert leading_target(LEADERS, Filters.of(selection)).name == leader


def test_no_leading_target_without_a_womens_share_target():
    assert leading_target(LEADERS[:1], Filters()) is None
