"""The enumerating attacker (di_metrics/analysis/disclosure.py) on a small demo (`demo --persons 3000`, seed 2030),
per family: no hidden count recovered, none of women, men or a total narrower than 3 persons.

What it reads, to stay within a few minutes on two cores:
- the last complete year: its year-end snapshot and the one before, the flows of that year, the last wave;
- workforce and flows: the whole, every single value of every dimension (7 branches, 2 personnel categories,
  9 rank groups, 60 units) and every branch with a personnel category (a branch cut in two: the branch minus
  its military is its civilians, the subtraction route by a dimension of its own);
- surveys: the whole and every branch, personnel category and rank group (reading a survey selection takes
  seconds; a unit alone holds too few respondents to show anything);
- formal reports: the whole, every branch and personnel category (reports are kept per branch and category
  only, so other selections show the same figures; tests/db/test_report_kind_route.py adds their pairs).
Pairs of two units are left out: 60 units make 1,770 of them; the hand-made organisation and the gate fixture
(tests/db/test_release_attack.py) attack every such pair on a few units.

A family that gives nothing away is searched whole; one that does is shown by its first few narrowed figures
(`narrowed(..., limit=5)`), which is all a failing assertion needs."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from di_metrics.analysis import disclosure
from di_metrics.queries import cells, workforce
from di_metrics.storage import store
from di_metrics.storage.database import open_database


def _branch_with_category(d1: str, v1: str, d2: str, v2: str) -> bool:
    return {d1, d2} == {"branch", "personnel_category"}


def _none(*_: str) -> bool:
    return False


@pytest.fixture(scope="module")
def demo_attacked(tmp_path_factory):
    """Every figure of every family on the 3,000-person demo, for the selections the module's docstring names."""
    from di_metrics.demo.build import build_demo

    engine = open_database(f"duckdb:///{tmp_path_factory.mktemp('demo_attack') / 'demo.duckdb'}")
    build_demo(engine, persons=3000)
    with store.connect(engine) as conn:
        dates = workforce.snapshot_dates(conn)
        year = workforce.complete_years(dates)[-1]
        ends = (max(d for d in dates if d < dt.date(year, 1, 1)), max(d for d in dates if d.year == year))
        waves, item = cells.survey_waves_and_item(conn)
        scope = disclosure.Scope(ends, (year,), tuple(waves[-1:]), item)
        values = cells.dimension_values(conn)
        people = disclosure.selections(values, _branch_with_category)
        coarse = disclosure.selections({d: values[d] for d in ("branch", "personnel_category", "rank_group")}, _none)
        kept = disclosure.selections({d: values[d] for d in ("branch", "personnel_category")}, _none)
        chosen = {"workforce": people, "flows": people, "survey": coarse, "reports": kept}
        figures = disclosure.collect(conn, scope, chosen)
    yield figures
    engine.dispose()


def _narrowed(figures: disclosure.Figures, family: str) -> dict:
    mine = {name: row for name, row in figures.secrets.items() if figures.families[name] == family}
    return disclosure.narrowed(dataclasses.replace(figures, secrets=mine), limit=5)


def test_the_demo_attacker_sees_every_family_hide_something(demo_attacked):
    assert {f for f, (_, hidden, _, _) in demo_attacked.tally.items() if hidden} == {
        "workforce",
        "flows",
        "survey",
        "reports",
    }


@pytest.mark.parametrize("family", ["reports", "survey"])
def test_on_the_demo_no_hidden_count_is_narrowed_under_3(demo_attacked, family):
    assert _narrowed(demo_attacked, family) == {}


# Surveys (session 14): 116 of 791 hidden survey figures were narrowed (76 exactly), all in personnel category and
# rank group selections, where rank groups nest in the categories and cross the branches (`personnel_category=civilian
# by branch 2025 CLAS n` = 16, favourable 0; `rank_group=schaal 13+ by None 2025 all n` = 12); none since the
# branches, categories, rank groups and genders are decided as one linked family (survey_family.family_decision).

# What the attacker still narrows on the demo, per family (strict: each test fails the day its family is protected;
# other work of issue 25 is on these routes). Found with every narrowed figure counted (no limit), session 12,
# after the personnel category, the flows' and the surveys' decisions were merged.
WORKFORCE = pytest.mark.xfail(
    strict=True,
    reason="24 of 7,669 hidden workforce figures narrowed (2 exactly), cells present on one date only whose 0s and "
    "1s the moves give (`rank_group=hoofdofficieren by org_unit=DMO Logistiek 2024-12-31` headcount = 1) and women "
    "held in 0-2 (`org_unit=Directie Financien en Control by rank_group=officieren 2025-12-31`); 37 (19 exactly, "
    "among them hidden 0s: `branch=KMar by rank_group=opperofficieren 2024-12-31` women = 0, read off a shown 0 of "
    "women who left) while a gender's 0 where someone else moved was shown (session 14); 75 (50 exactly) while the "
    "attacker knew each move's gender; 538 before the changes the moves give and the thin lines (session 13)",
)
FLOWS = pytest.mark.xfail(
    strict=True,
    reason="12 of 251 hidden flow figures narrowed (10 exactly), units alone pinned by the shown stocks "
    "(`org_unit=Landmachtstaf 2025 M hires` = 1) and hidden 0s a shown 0 of a population holding them gives "
    "(`org_unit=Defensiestaf 2025 F exits` = 0: the BS military's women who left; `org_unit=43 Gemechaniseerde "
    "Brigade 2025 X hires` = 0, withheld beside its X who left); 6 of 210 while a gender's 0 "
    "where someone else moved was shown (session 14), 28 of 201 while the attacker knew each move's gender",
)


@pytest.mark.parametrize(
    "family",
    [
        pytest.param("workforce", marks=WORKFORCE),
        pytest.param("flows", marks=FLOWS),
    ],
)
def test_on_the_demo_no_hidden_count_is_narrowed_under_3_yet(demo_attacked, family):
    assert _narrowed(demo_attacked, family) == {}
