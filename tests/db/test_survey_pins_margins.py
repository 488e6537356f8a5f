"""A branch hidden as the complement of a pinned % favourable stays hidden in the table by gender and branch
(queries/survey_decision.py, survey_pins.under_hidden_margins; docs/privacy.md, "No shown % favourable pins a hidden
count").

Respondents of wave 2025 per branch and gender (n, of whom favourable: answer 5; the rest answer 2):
B1 women 20 (10), men 20 (10); B2 women 15 (1), men 15 (1); B3 women 12 (6), men 50 (25); B4 women 50 (25), men
12 (6); B5 women 30 (15), men 30 (15). B2's 2 favourable of 30 pin its % (fewer than 3 favourable), and each of its
gender cells (1 of 15).

Worked by hand, with k = 10:
- by branch: B2 pinned counts as none, the next smallest branch B1 (40) is its complement.
- by gender and branch: F|B2 and M|B2 pinned; alone, the rules would take F|B3 and M|B4 (12 each, the next
  smallest along the gender lines) and with them M|B3 and F|B4 (their branch lines), leaving B1's line shown. But
  B1 is hidden in the table by branch: its women and men would give B1's favourable (20) and with it B2's, the
  whole's 89 minus 20, 31, 31 and 30 (the attacker held it to exactly 2 before). So B1's smaller cell (a tie at 20:
  F|B1, the first) counts as none beside F|B2 and M|B2. Then the women's line holds two hidden cells; the men's
  takes M|B4 (12, its smallest shown), B1's line M|B1 and B4's line F|B4: the % of B1, B2 and B4's cells is hidden,
  B3's and B5's shown.
- decided as one linked family (session 14, survey_family.family_decision: the whole, its branches, its genders
  and their cells, a line being a total with the cells it sums): B1's line is its hidden total (40) with F|B1 and
  M|B1, which already holds two hidden cells once F|B1 is taken, so M|B1 (20) stays shown. B1's women are then
  B1 minus its 20 men, and B1 is the whole minus B3-B5 minus B2: two unknowns (B2 and F|B1) on that line, B2 =
  F|B2 + M|B2 on B2's, and M|B2 + M|B4 = the men minus M|B1, M|B3, M|B5: every hidden cell still moves with
  another (the attacker test below).
"""

from __future__ import annotations

import numpy as np
import pytest

from di_metrics.analysis import disclosure
from di_metrics.queries import survey
from di_metrics.queries.filters import Filters
from di_metrics.storage import store
from tests.support.survey import ONE_ITEM, imported

GROUPS = {
    ("B1", "F"): (20, 10),
    ("B1", "M"): (20, 10),
    ("B2", "F"): (15, 1),
    ("B2", "M"): (15, 1),
    ("B3", "F"): (12, 6),
    ("B3", "M"): (50, 25),
    ("B4", "F"): (50, 25),
    ("B4", "M"): (12, 6),
    ("B5", "F"): (30, 15),
    ("B5", "M"): (30, 15),
}
CODEBOOK = ONE_ITEM


@pytest.fixture
def pinned(db_url, tmp_path):
    lines = ["wave,respondent_id,gender,branch,q1"]
    for (branch, gender), (n, favourable) in GROUPS.items():
        lines += [f"2025,R{len(lines) + i},{gender},{branch},{5 if i < favourable else 2}" for i in range(n)]
    eng = imported(db_url, tmp_path, CODEBOOK, lines)
    yield eng
    eng.dispose()


def _rows(table):
    return {r.group: (None if np.isnan(r.n) else int(r.n), bool(r.suppressed)) for r in table.itertuples()}


def test_a_pinned_pct_favourable_is_hidden_with_its_complement(pinned):
    with store.connect(pinned) as conn:
        table = survey.survey_table(conn, Filters(), "q1", "branch")
    assert _rows(table) == {
        "B1": (None, True),
        "B2": (None, True),
        "B3": (62, False),
        "B4": (62, False),
        "B5": (60, False),
    }


def test_a_branch_hidden_by_branch_is_hidden_by_gender_and_branch(pinned):
    with store.connect(pinned) as conn:
        table = survey.survey_table(conn, Filters(), "q1", "gender+branch")
    rows = _rows(table)
    assert {g for g, (_, h) in rows.items() if h} == {"F | B1", "F | B2", "M | B2", "F | B4", "M | B4"}
    assert {g: n for g, (n, _) in rows.items() if n is not None} == {
        "M | B1": 20,
        "F | B3": 12,
        "M | B3": 50,
        "F | B5": 30,
        "M | B5": 30,
    }


def test_the_attacker_narrows_no_survey_count_of_the_whole(pinned):
    scope = disclosure.Scope(dates=(), years=(), waves=(2025,), item="q1")
    with store.connect(pinned) as conn:
        figures = disclosure.collect(conn, scope, {"survey": [Filters()]})
    assert figures.tally["survey"][1] > 0
    assert disclosure.narrow(figures, disclosure.intervals(figures)) == {}
