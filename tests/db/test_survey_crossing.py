"""Open route (issue 25): survey dimensions that cross. The release attack's fixtures have surveys whose dimensions
nest (a unit lies in one branch); here branches B1-B3 cross the two personnel categories (docs/privacy.md, "What the
release attack found"). Respondents per branch, category and gender, every group half answering 5 and half 2:
B1 16 in each of its four groups; B2 10 military and 10 civilian women, 16 military and 16 civilian men; B3 4
civilian women and 16 military men. The whole by gender and branch hides B3's 4 women (under 10) with B2's women
and, along the branch lines, B2's and B3's men; but the categories by gender and branch, the whole's margins and
B2's military (each shown) give them back: the attacker's linear programs held B3's women to exactly 4, before
session 12's survey rules as after, with or without the ancestor check. Closed in session 14: the branches,
categories and genders are decided as one linked family (survey_family.family_decision), and a selection of two
values reads its parents' decision from it."""

from __future__ import annotations

import pytest

from di_metrics.analysis import disclosure
from di_metrics.storage import store
from tests.support.survey import halves

GROUPS = {
    ("B1", "military", "F"): 16,
    ("B1", "military", "M"): 16,
    ("B1", "civilian", "F"): 16,
    ("B1", "civilian", "M"): 16,
    ("B2", "military", "F"): 10,
    ("B2", "military", "M"): 16,
    ("B2", "civilian", "F"): 10,
    ("B2", "civilian", "M"): 16,
    ("B3", "civilian", "F"): 4,
    ("B3", "military", "M"): 16,
}


@pytest.fixture
def crossed(db_url, tmp_path):
    with halves(db_url, tmp_path, ("branch", "personnel_category", "gender"), GROUPS) as eng:
        yield eng


def test_no_survey_count_is_narrowed_under_3_where_dimensions_cross(crossed):
    scope = disclosure.Scope(dates=(), years=(), waves=(2025,), item="q1")
    values = {"branch": ["B1", "B2", "B3"], "personnel_category": ["military", "civilian"]}
    with store.connect(crossed) as conn:
        figures = disclosure.collect(conn, scope, {"survey": disclosure.selections(values, lambda *_: True)})
    assert figures.tally["survey"][1] > 0
    narrowed = disclosure.narrow(figures, disclosure.intervals(figures))
    assert "all by gender+branch 2025 F | B3 n" not in narrowed
    assert narrowed == {}
