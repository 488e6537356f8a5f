"""Respondents of gender X in a selection whose X row would be hidden are left out of its figures, not protected
by hiding its women (issue 25: "X left out of a figure is not a hidden cell for the consistency rule").

A hand-worked wave 2025, item q1 (1-5, favourable from 4), one branch:
- military: 20 women (12 answer 5, 8 answer 2), 30 men (24 answer 4, 6 answer 2), 15 X (6 answer 4, 9 answer 2);
- civilian: 12 women (6 answer 5, 6 answer 2), 25 men (20 answer 4, 5 answer 1), 7 X (3 answer 4, 4 answer 2).
Item q2 is answered (4) by every woman and man and by 5 military X only.
The wave's 22 X are a group of their own (at least 10). Civilian X (7) is under 10, so it is left out of the
civilian figures; left out alone, the whole's 22 minus the military 15 would give it back, so the military X is
left out with it (together 22, at least 10). So military shows 20 women at 60% and 30 men at 80%, total 50 at
36/50 = 72%; civilian 12 women at 50%, 25 men at 80%, total 37 at 26/37; the whole 32 women (18/32),
55 men (44/55), 22 X (9/22) and 109 in all (71/109).
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
"""
# (category, gender): [(answer, respondents)]
ANSWERS = {
    ("military", "F"): [(5, 12), (2, 8)],
    ("military", "M"): [(4, 24), (2, 6)],
    ("military", "X"): [(4, 6), (2, 9)],
    ("civilian", "F"): [(5, 6), (2, 6)],
    ("civilian", "M"): [(4, 20), (1, 5)],
    ("civilian", "X"): [(4, 3), (2, 4)],
}
MILITARY = Filters.of({"personnel_category": ["military"]})
CIVILIAN = Filters.of({"personnel_category": ["civilian"]})


def _responses() -> str:
    lines = ["wave,respondent_id,gender,branch,personnel_category,q1,q2"]
    for (category, gender), answers in ANSWERS.items():
        for answer, n in answers:
            for i in range(n):  # q2: every woman and man, and 5 of the military X who answer q1 with 2
                q2 = "4" if gender != "X" or (category, answer, i < 5) == ("military", 2, True) else ""
                lines.append(f"2025,R{len(lines)},{gender},B1,{category},{answer},{q2}")
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
    assert (women.n, women.pct_favourable) == (20, pytest.approx(60.0))
    assert (men.n, men.pct_favourable) == (30, pytest.approx(80.0))
    assert women.x_left_out and men.x_left_out
    total = _rows(surveyed, MILITARY, None)["all"]
    assert (total.n, total.pct_favourable, total.x_left_out) == (50, pytest.approx(72.0), True)
    civilian = _rows(surveyed, CIVILIAN, "gender")
    assert (civilian["F"].n, civilian["M"].n) == (12, 25) and "X" not in civilian
    assert _rows(surveyed, CIVILIAN, None)["all"].pct_favourable == pytest.approx(100 * 26 / 37)


def test_the_whole_keeps_its_x_group(surveyed):
    rows = _rows(surveyed, Filters(), "gender")
    assert {g: (r.n, round(r.pct_favourable, 3)) for g, r in rows.items()} == {
        "F": (32, round(100 * 18 / 32, 3)),
        "M": (55, 80.0),
        "X": (22, round(100 * 9 / 22, 3)),
    }
    assert not any(r.x_left_out for r in rows.values())
    total = _rows(surveyed, Filters(), None)["all"]
    assert (total.n, total.pct_favourable) == (109, pytest.approx(100 * 71 / 109))


def test_x_who_answered_an_item_too_few_are_left_out_of_its_figures_not_hidden(surveyed):
    """q2 is answered by every woman and man but by only 5 of the 22 X (military): its X row would be hidden, so
    the whole leaves that X out of q2 and shows its 32 women and 55 men, all favourable; q1 keeps its X group."""
    rows = _rows(surveyed, Filters(), "gender", "q2")
    assert {g: (r.n, r.pct_favourable, r.suppressed, r.x_left_out) for g, r in rows.items()} == {
        "F": (32, 100.0, False, True),
        "M": (55, 100.0, False, True),
    }
    assert _rows(surveyed, Filters(), None, "q2")["all"].n == 87


def test_a_category_row_shows_what_the_category_alone_shows(surveyed):
    rows = _rows(surveyed, Filters(), "personnel_category")
    assert (rows["military"].n, rows["civilian"].n) == (50, 37)
    two_way = _rows(surveyed, Filters(), "gender+personnel_category")
    assert {g: r.n for g, r in two_way.items()} == {
        "F | civilian": 12,
        "F | military": 20,
        "M | civilian": 25,
        "M | military": 30,
    }


def test_answer_distributions_leave_the_category_x_out(surveyed):
    with store.connect(surveyed) as conn:
        dist = answer_distribution(conn, MILITARY, ["q1"], 2025, "gender")
    assert not dist["suppressed"].any() and dist["x_left_out"].all()
    shares = {(r.group, r.answer): (r.n, r.share) for r in dist.itertuples()}
    assert shares == {
        ("F", 2): (8, pytest.approx(0.4)),
        ("F", 5): (12, pytest.approx(0.6)),
        ("M", 2): (6, pytest.approx(0.2)),
        ("M", 4): (24, pytest.approx(0.8)),
    }


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
