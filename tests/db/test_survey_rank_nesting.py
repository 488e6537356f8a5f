"""Rank groups nest in the personnel categories (issue 25): the survey figures of a category are the sums of its
rank groups', so a small rank group hidden in its own selection must not be its category minus its siblings.

Wave 2025, one branch B1, q1 answered 5 by half of each group and 2 by the other half (the one-person group: 2):
military R1 (20 women, 20 men), R2 (20, 20) and R3 (1 man); civilian S1 (20, 20) and S2 (12, 12). Worked by hand,
with k = 10: R3 (1) is under k. Decided per table, as before session 14, `rank_group=R3` alone is hidden (the whole
by rank group hides it with S2, its smallest sibling there), but the military (81), R1 (40) and R2 (40) are shown
alone, so R3 was 81 - 40 - 40 = 1 exactly: the demo's `rank_group=opperofficieren by None 2025 all n` = 1. Decided
as one linked family (the whole, each category and rank group, by gender and branch), the military's line is R1 +
R2 + R3: R3 hidden takes the smallest of R1 and R2 (a tie at 40: R1, the first), so R1 is hidden alone too and the
military shows 81 beside R2's 40."""

from __future__ import annotations

import numpy as np
import pytest

from di_metrics.analysis import disclosure
from di_metrics.queries import survey
from di_metrics.queries.filters import Filters
from di_metrics.storage import store
from tests.support.survey import halves

GROUPS = {
    ("military", "R1", "F"): 20,
    ("military", "R1", "M"): 20,
    ("military", "R2", "F"): 20,
    ("military", "R2", "M"): 20,
    ("military", "R3", "M"): 1,
    ("civilian", "S1", "F"): 20,
    ("civilian", "S1", "M"): 20,
    ("civilian", "S2", "F"): 12,
    ("civilian", "S2", "M"): 12,
}


@pytest.fixture
def nested(db_url, tmp_path):
    with halves(db_url, tmp_path, ("personnel_category", "rank_group", "gender"), GROUPS, branch="B1") as eng:
        yield eng


def _n(conn, filters: dict) -> float | None:
    row = survey.survey_table(conn, Filters.of(filters), "q1", None).iloc[0]
    return None if np.isnan(row["n"]) else int(row["n"])


def test_a_small_rank_group_is_hidden_with_a_sibling_of_its_category(nested):
    with store.connect(nested) as conn:
        shown = {rank: _n(conn, {"rank_group": [rank]}) for rank in ("R1", "R2", "R3", "S1", "S2")}
        military = _n(conn, {"personnel_category": ["military"]})
    assert military == 81
    assert shown == {"R1": None, "R2": 40, "R3": None, "S1": 40, "S2": 24}


def test_the_attacker_narrows_no_survey_count_where_rank_groups_nest(nested):
    scope = disclosure.Scope(dates=(), years=(), waves=(2025,), item="q1")
    values = {"branch": ["B1"], "personnel_category": ["military", "civilian"], "rank_group": ["R1", "R2", "R3"]}
    values["rank_group"] += ["S1", "S2"]
    with store.connect(nested) as conn:
        figures = disclosure.collect(conn, scope, {"survey": disclosure.selections(values, lambda *_: False)})
    assert figures.tally["survey"][1] > 0
    assert disclosure.narrow(figures, disclosure.intervals(figures)) == {}
