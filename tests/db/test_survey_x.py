"""Respondents of gender X in a selection whose X row would be hidden are left out of its figures, not protected
by hiding its women (issue 25: "X left out of a figure is not a hidden cell for the consistency rule").

A hand-worked wave 2025, item q1 (1-5, favourable from 4), one branch; every group gives every answer at least
3 times (a distribution with an answer given fewer times is hidden, docs/privacy.md):
- military: 20 women (answers 5, 4, 3, 2, 1: 6, 3, 3, 5, 3), 30 men (6, 15, 3, 3, 3), 15 X (3 of each);
- civilian: 15 women (3 of each), 25 men (5, 10, 3, 4, 3), 7 X (answers 4 and 2: 3 and 4).
Item q2 is answered as q1 by every woman and man and (4) by 5 military X only (one of each q1 answer). Item q3 is
answered as q1 by every woman and man, and with 4 by all 22 X.
The wave's 22 X are a group of their own (at least 10). Civilian X (7) is under 10, so it is left out of the
civilian figures; left out alone, the whole's 22 minus the military 15 would give it back, so the military X is
left out with it (together 22, at least 10). So military shows 20 women at 9/20 = 45% and 30 men at 21/30 = 70%,
total 50 at 30/50 = 60%; civilian 15 women at 40%, 25 men at 60%, total 40 at 21/40; the whole 35 women
(15/35), 55 men (36/55), 22 X (9/22) and 112 in all (60/112).
"""

from __future__ import annotations

import numpy as np
import pytest

from di_metrics.analysis import disclosure
from di_metrics.cli.main import main
from di_metrics.queries.filters import Filters
from di_metrics.queries.survey import answer_distribution, survey_table
from di_metrics.storage import store

CODEBOOK = """item,construct,text_nl,text_en,scale_min,scale_max,favourable_min,reverse
q1,inclusion,Ik hoor erbij,I belong,1,5,4,false
q2,safety,Ik kan fouten maken,I can make mistakes,1,5,4,false
q3,safety,Ik word gehoord,I am heard,1,5,4,false
"""
# (category, gender): [(answer, respondents)]
EVERY = [(5, 3), (4, 3), (3, 3), (2, 3), (1, 3)]
ANSWERS = {
    ("military", "F"): [(5, 6), (4, 3), (3, 3), (2, 5), (1, 3)],
    ("military", "M"): [(5, 6), (4, 15), (3, 3), (2, 3), (1, 3)],
    ("military", "X"): EVERY,
    ("civilian", "F"): EVERY,
    ("civilian", "M"): [(5, 5), (4, 10), (3, 3), (2, 4), (1, 3)],
    ("civilian", "X"): [(4, 3), (2, 4)],
}
MILITARY = Filters.of({"personnel_category": ["military"]})
CIVILIAN = Filters.of({"personnel_category": ["civilian"]})


def _responses() -> str:
    lines = ["wave,respondent_id,gender,branch,personnel_category,q1,q2,q3"]
    for (category, gender), answers in ANSWERS.items():
        for answer, n in answers:
            for i in range(n):  # q2: every woman and man, and 5 military X (the first of each q1 answer)
                q2 = str(answer) if gender != "X" else "4" if (category, i) == ("military", 0) else ""
                q3 = 4 if gender == "X" else answer
                lines.append(f"2025,R{len(lines)},{gender},B1,{category},{answer},{q2},{q3}")
    return "\n".join(lines) + "\n"


@pytest.fixture
def surveyed(db_url, tmp_path):
    (tmp_path / "items.csv").write_text(CODEBOOK)
    (tmp_path / "answers.csv").write_text(_responses())
    assert main(["import", "items", str(tmp_path / "items.csv"), "--db", db_url]) == 0
    assert main(["import", "survey", str(tmp_path / "answers.csv"), "--db", db_url]) == 0
    eng = store.make_engine(db_url)
    yield eng
    eng.dispose()


def _rows(engine, filters, by, measure="q1"):
    with store.connect(engine) as conn:
        table = survey_table(conn, filters, measure, by)
    return {r.group: r for r in table.itertuples() if r.wave == 2025}


def test_a_category_shows_its_women_and_men_and_leaves_its_x_out(surveyed):
    rows = _rows(surveyed, MILITARY, "gender")
    assert set(rows) == {"F", "M"}  # no X row: left out, not a hidden cell
    women, men = rows["F"], rows["M"]
    assert not women.suppressed and not men.suppressed
    assert (women.n, women.pct_favourable) == (20, pytest.approx(45.0))
    assert (men.n, men.pct_favourable) == (30, pytest.approx(70.0))
    assert women.x_left_out and men.x_left_out
    total = _rows(surveyed, MILITARY, None)["all"]
    assert (total.n, total.pct_favourable, total.x_left_out) == (50, pytest.approx(60.0), True)
    civilian = _rows(surveyed, CIVILIAN, "gender")
    assert (civilian["F"].n, civilian["M"].n) == (15, 25) and "X" not in civilian
    assert _rows(surveyed, CIVILIAN, None)["all"].pct_favourable == pytest.approx(100 * 21 / 40)


def test_the_whole_keeps_its_x_group(surveyed):
    rows = _rows(surveyed, Filters(), "gender")
    assert {g: (r.n, round(r.pct_favourable, 3)) for g, r in rows.items()} == {
        "F": (35, round(100 * 15 / 35, 3)),
        "M": (55, round(100 * 36 / 55, 3)),
        "X": (22, round(100 * 9 / 22, 3)),
    }
    assert not any(r.x_left_out for r in rows.values())
    total = _rows(surveyed, Filters(), None)["all"]
    assert (total.n, total.pct_favourable) == (112, pytest.approx(100 * 60 / 112))


def test_x_who_answered_an_item_too_few_are_left_out_of_its_figures_not_hidden(surveyed):
    """q2 is answered by every woman and man but by only 5 of the 22 X (military): its X row would be hidden, so
    the whole leaves that X out of q2 and shows its 35 women (15 favourable) and 55 men (36); q1 keeps its X group.
    (Were they all favourable, 100% would pin every hidden group inside them: docs/privacy.md, "% favourable".)"""
    rows = _rows(surveyed, Filters(), "gender", "q2")
    assert {g: (r.n, r.pct_favourable, r.suppressed, r.x_left_out) for g, r in rows.items()} == {
        "F": (35, pytest.approx(100 * 15 / 35, abs=1e-3), False, True),
        "M": (55, pytest.approx(100 * 36 / 55, abs=1e-3), False, True),
    }
    assert _rows(surveyed, Filters(), None, "q2")["all"].n == 90


def test_a_category_row_shows_what_the_category_alone_shows(surveyed):
    rows = _rows(surveyed, Filters(), "personnel_category")
    assert (rows["military"].n, rows["civilian"].n) == (50, 40)
    two_way = _rows(surveyed, Filters(), "gender+personnel_category")
    assert {g: r.n for g, r in two_way.items()} == {
        "F | civilian": 15,
        "F | military": 20,
        "M | civilian": 25,
        "M | military": 30,
    }


def test_answer_distributions_leave_the_category_x_out(surveyed):
    with store.connect(surveyed) as conn:
        dist = answer_distribution(conn, MILITARY, ["q1"], 2025, "gender")
    assert not dist["suppressed"].any() and dist["x_left_out"].all()
    shares = {(r.group, r.answer): (r.n, r.share) for r in dist.itertuples()}
    women, men = dict(ANSWERS["military", "F"]), dict(ANSWERS["military", "M"])
    assert shares == {
        **{("F", a): (n, pytest.approx(n / 20)) for a, n in women.items()},
        **{("M", a): (n, pytest.approx(n / 30)) for a, n in men.items()},
    }


def test_an_x_distribution_that_would_be_hidden_is_left_out_not_protected_by_the_women(surveyed):
    """On q3 all 22 X answer 4: their distribution would say that no X anywhere gave another answer, so it is
    hidden; the whole leaves that X out of q3's distributions instead of hiding its women beside it."""
    with store.connect(surveyed) as conn:
        split = answer_distribution(conn, Filters(), ["q3"], 2025, "gender")
        whole = answer_distribution(conn, Filters(), ["q3"], 2025, None)
    assert set(split["group"]) == {"F", "M"} and not split["suppressed"].any() and split["x_left_out"].all()
    assert split.groupby("group")["n"].sum().to_dict() == {"F": 35, "M": 55}
    assert whole["n"].sum() == 90 and whole["x_left_out"].all()


def test_the_attacker_cannot_narrow_the_left_out_x(surveyed):
    """Every survey figure of the whole, each category and both, by gender and category: each category's X
    lies anywhere between 0 and the whole's 22."""
    scope = disclosure.Scope(
        dates=(),
        years=(),
        waves=(2025,),
        item="q1",
        survey_by=(None, "gender", "personnel_category", "gender+personnel_category"),
    )
    chosen = disclosure.selections({"personnel_category": ["civilian", "military"]}, lambda *_: True)
    with store.connect(surveyed) as conn:
        figures = disclosure.collect(conn, scope, {"survey": chosen})
    cells = figures.cells
    for category in ("civilian", "military"):
        on = (cells["gender"] == "X").to_numpy() & (cells["personnel_category"] == category).to_numpy()
        figures.add(on, None, f"{category} X", True)
    found = disclosure.intervals(figures)
    truth = disclosure.truth(figures)
    for category, n in (("civilian", 7), ("military", 15)):
        low, high = found[f"{category} X"]
        assert (figures.secrets[f"{category} X"] @ truth)[0] == n
        assert (low, high) == (pytest.approx(0.0), pytest.approx(22.0))
    assert disclosure.narrow(figures, found) == {}
    assert np.isfinite(list(found.values())).all()
