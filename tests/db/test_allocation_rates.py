"""The allocation's exempt part keeps its own shown rates and says which it borrowed (docs/where.md): on the demo
organisation with Korps Mariniers and 11 Luchtmobiele Brigade exempt, the plan re-added part by part through
`project` reaches the target. Before, one withheld rate made the exempt part take every rate of the whole
organisation, and following the plan fell short of the target."""

from __future__ import annotations

import dataclasses
import json
import shutil

import pytest

from di_metrics.analysis.calibration import CALIBRATION_YEARS, calibrate, yearly_rates
from di_metrics.cli.main import main
from di_metrics.models.projection import Scenario, project
from di_metrics.queries.filters import Filters
from di_metrics.queries.workforce import share_series
from di_metrics.storage import store
from di_metrics.storage.database import open_database
from di_metrics.storage.targets import load_targets, save_target
from di_metrics.vocab import BRANCH, ORG_UNIT

EXEMPT = ("11 Luchtmobiele Brigade", "Korps Mariniers")


@pytest.fixture
def exempt_demo(demo_db, tmp_path) -> str:
    """A copy of the demo whose organisation target exempts the two units."""
    copy = tmp_path / "demo.duckdb"
    shutil.copy(demo_db.removeprefix("duckdb:///"), copy)
    url = f"duckdb:///{copy}"
    engine = open_database(url)
    with store.connect(engine, write=True) as conn:
        total = next(t for t in load_targets(conn) if t.name == "women_total")
        save_target(conn, dataclasses.replace(total, exempt_units=EXEMPT))
    engine.dispose()
    return url


def _at_deadline(s: Scenario, hire_share: float, deadline: int) -> tuple[float, float]:
    path = project(dataclasses.replace(s, hire_share=hire_share, until=deadline, deadline=deadline))
    return path.women[-1], path.women[-1] + path.men[-1] + path.other[-1]


def _exempt_by_hand(conn) -> Scenario:
    """The exempt units' own shown rates (the mean of the last complete years that show each), and for the
    hiring share, which they withhold in every year, the organisation's."""
    units = Filters.of({ORG_UNIT: list(EXEMPT)})
    own = yearly_rates(conn, units).tail(CALIBRATION_YEARS)
    whole = yearly_rates(conn, Filters()).tail(CALIBRATION_YEARS)
    assert own["hire_share"].isna().all() and own["attrition_women"].notna().all()
    last = share_series(conn, units).iloc[-1]
    x_column = "attrition_other" if own["attrition_other"].notna().any() else "attrition_men"
    return Scenario(
        start_year=last["date"].year,
        women=float(last["women"]),
        men=float(last["men"]),
        other=0.0 if last["other"] != last["other"] else float(last["other"]),
        hire_share=float(whole["hire_share"].mean()),
        hire_share_other=float(whole["hire_share_other"].mean()),
        attrition_women=float(own["attrition_women"].mean()),
        attrition_men=float(own["attrition_men"].mean()),
        # X's attrition, where not shown, is the men's (docs/model.md, calibration)
        attrition_other=float(own[x_column].mean()),
        growth=float(own["growth"].mean()),
    )


def test_the_exempt_allocation_re_added_through_project_meets_the_target(exempt_demo, capsys):
    assert main(["allocate", "--db", exempt_demo, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    deadline, parts = doc["deadline"], {p["value"]: p for p in doc["parts"]}
    exempt = parts.pop("exempt")
    assert exempt["rates_from"] == "mixed" and exempt["rates_borrowed"] == ["hire_share"]
    assert {p["rates_from"] for p in parts.values()} == {"own"}
    assert all(p["rates_borrowed"] == [] for p in parts.values())
    engine = open_database(exempt_demo)
    women = people = 0.0
    with store.connect(engine) as conn:
        by_hand = _exempt_by_hand(conn)
        assert exempt["hire_share_now"] == pytest.approx(by_hand.hire_share)
        w, n = _at_deadline(by_hand, exempt["hire_share_needed"], deadline)
        assert exempt["share_at_deadline"] == pytest.approx(w / n, abs=1e-9)
        women, people = women + w, people + n
        shown = {v for v in parts if v != "other"}
        for value, part in parts.items():
            branches = [value] if value != "other" else sorted(_branches(conn) - shown)
            scope = Filters.of({BRANCH: branches}, exempt_units=EXEMPT)
            w, n = _at_deadline(calibrate(conn, scope).scenario, part["hire_share_needed"], deadline)
            women, people = women + w, people + n
    engine.dispose()
    assert women / people == pytest.approx(doc["target"], abs=1e-6)


def _branches(conn) -> set[str]:
    from di_metrics.queries.workforce import dimension_values

    return set(dimension_values(conn, BRANCH, Filters()))
