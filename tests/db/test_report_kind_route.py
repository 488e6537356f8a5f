"""Issue 30's route on the demo: a branch's hidden formal-report count as the difference of two branch selections
of `reports_by_kind` (the reporting rate's counts). The enumerating attacker (analysis/disclosure.py) reads the
formal reports and the counts per kind for the whole, every branch and personnel category and every pair of
them (two branches, two categories, a branch with a category), and asks HiGHS
the interval of every hidden report cell: none may come back exactly, and none narrower than 3 reports."""

from __future__ import annotations

import pytest

from di_metrics.analysis import disclosure
from di_metrics.queries import cells, meldingen
from di_metrics.queries.filters import Filters
from di_metrics.queries.workforce import snapshot_dates
from di_metrics.storage import store
from di_metrics.storage.database import open_database


@pytest.fixture(scope="module")
def attacked(demo_db):
    engine = open_database(demo_db)
    with store.connect(engine) as conn:
        scope = disclosure.Scope(dates=(snapshot_dates(conn)[-1],), years=(), waves=(), item=None)
        values = cells.dimension_values(conn)
        values = {d: values[d] for d in ("branch", "personnel_category")}
        chosen = disclosure.selections(values, lambda *_: True)  # the whole, each branch or category, each pair
        figures = disclosure.collect(conn, scope, {"reports": chosen})
        hidden_kind_lines = int(meldingen.reports_by_kind(conn, Filters())["suppressed"].sum())
    engine.dispose()
    return figures, disclosure.intervals(figures), hidden_kind_lines, len(chosen)


def test_branch_differences_of_the_counts_per_kind_give_no_hidden_report_back(attacked):
    figures, found, _, selections = attacked
    cell_secrets = [name for name in found if " cell " in name]
    assert selections == 1 + 9 + 36  # the demo's seven branches and two categories: the whole, each, each pair
    assert len(cell_secrets) >= 20  # the demo hides report cells worth attacking
    recovered = {name: found[name] for name in cell_secrets if found[name][1] - found[name][0] < 0.5}
    assert recovered == {}
    assert disclosure.narrow(figures, found) == {}
