"""The answer distributions' margins (queries/survey.py, `_distribution_margins`): a branch hidden in the answer
distribution by branch keeps a hidden cell in the distribution by gender and branch, else its women's and men's
answers add up to its own and give the branch it covers back. Worked by hand, on DuckDB and PostgreSQL (k = 10).

Item q1 on a scale of 1 to 3 (favourable: 3), wave 2025; respondents per branch and gender answering 1, 2, 3:
B1 women 6, 7, 7 and men 6, 7, 7 (40); B2 women 7, 7, 1 and men 7, 7, 1 (30); B3 women 4, 4, 4 (12) and men 16,
17, 17 (50); B4 women 16, 17, 17 (50) and men 4, 4, 4 (12); B5 women and men 10, 10, 10 each (60).
- By branch: B2's answer 3 has 2 respondents (under 3: it pins), so B2 counts as none, and the smallest other
  branch, B1 (40), is its complement. The whole's answers minus B1, B3, B4 and B5 would give B2's 2.
- By gender and branch, decided with the surveys' linked family (queries/survey_decision.py), whose lines take
  the branch table's hidden cells as they are: the whole's branch line holds B2 alone and takes B1 (40, its
  smallest shown branch); B1's gender line then holds its total alone and takes F|B1 (a tie at 20: F, the
  first); the women's line holds F|B1 and F|B2 (35 respondents); the men's line M|B2 alone takes M|B4 (12),
  whose branch line then takes F|B4. B1's total is hidden beside F|B1, so M|B1 stays shown: the two hidden
  cells of B1's line hold each other. Hidden: F|B1, both cells of B2 and of B4; B3, B5 and M|B1 shown (the
  attacker narrows nothing: the second test).
"""

from __future__ import annotations

import pytest

from di_metrics.analysis import disclosure
from di_metrics.queries import survey
from di_metrics.queries.filters import Filters
from di_metrics.storage import store
from tests.support.survey import imported

GROUPS = {  # (branch, gender): respondents answering 1, 2, 3
    ("B1", "F"): (6, 7, 7),
    ("B1", "M"): (6, 7, 7),
    ("B2", "F"): (7, 7, 1),
    ("B2", "M"): (7, 7, 1),
    ("B3", "F"): (4, 4, 4),
    ("B3", "M"): (16, 17, 17),
    ("B4", "F"): (16, 17, 17),
    ("B4", "M"): (4, 4, 4),
    ("B5", "F"): (10, 10, 10),
    ("B5", "M"): (10, 10, 10),
}
CODEBOOK = "item,construct,text_nl,text_en,scale_min,scale_max,favourable_min,reverse\n"
CODEBOOK += "q1,inclusion,Ik hoor erbij,I belong,1,3,3,false\n"


@pytest.fixture
def conn(db_url, tmp_path):
    lines = ["wave,respondent_id,gender,branch,q1"]
    for (branch, gender), counts in GROUPS.items():
        for answer, n in enumerate(counts, start=1):
            lines += [f"2025,R{len(lines) + i},{gender},{branch},{answer}" for i in range(n)]
    eng = imported(db_url, tmp_path, CODEBOOK, lines)
    with store.connect(eng) as c:
        yield c
    eng.dispose()


def _hidden(conn, by: str) -> set[str]:
    table = survey.answer_distribution(conn, Filters(), ["q1"], 2025, by)
    assert table.loc[table["suppressed"].astype(bool), "n"].isna().all()
    return {g for g, s in zip(table["group"], table["suppressed"], strict=True) if s}


def test_a_branch_hidden_by_branch_keeps_a_hidden_cell_by_gender_and_branch(conn):
    assert _hidden(conn, "branch") == {"B1", "B2"}
    assert _hidden(conn, "gender+branch") == {"F | B1", *{f"{g} | {b}" for g in "FM" for b in ("B2", "B4")}}


def test_the_attacker_narrows_no_answer_count(conn):
    """Without the margins the attacker read B1's answers off its shown women and men and B2's 2 answering 3
    (and every other count of B2 and B1) exactly."""
    scope = disclosure.Scope(dates=(), years=(), waves=(2025,), item="q1")
    figures = disclosure.collect(conn, scope, {"survey": [Filters()]})
    b2 = figures.secrets["all answers by branch 2025 B2 3"]
    assert (b2 @ disclosure.truth(figures))[0] == 2 and figures.tally["survey"][1] > 0
    assert disclosure.narrow(figures, disclosure.intervals(figures)) == {}
