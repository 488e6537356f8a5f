"""The surveys' linked family counted fast (queries/survey_decision.py): its cells summed from the finest cells, its
X rule decided in memory (queries/survey_x.py) and its attacker's programs set up at once, checked against direct
recomputations on a small hand-made organisation, on DuckDB and PostgreSQL (k = 10).

Two waves, 2023 and 2025; branches B1, B2, B3 and blank; personnel categories civilian (rank groups c1, c2) and
military (m1, m2), some blank; genders F, M, X and blank; items q1 and q2 (q2 reversed, not everyone answers it).
X: in 2025 11 in B1 and 3 in B2 (a wave with an X group: 14, at least k), in 2023 4 (no X group).
- Counts: every cell of the family holds what the release's own table for it counts (item_counts,
  respondents_answering, answer_counts: one SQL query per table, X folded by fold_x).
- X, worked by hand: the whole keeps its 14 X of 2025 and leaves its 4 of 2023 out (under k, all in B1); B2
  leaves its 3 of 2025 out (under k), and so does B1 its 11: the whole's pattern by branch leaves B2's 3 out,
  then the smallest next (B1's 11) until what is left out reaches k.
- Programs: with only the cells under k hidden, the cells the family's programs hold narrower than 3 respondents
  are those an independent attacker (scipy's linprog over the respondents per finest cell, counted here from
  the answer lines) holds narrower than 3; on the family's own decision, that attacker narrows none.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import sqlalchemy as sa
from scipy.optimize import linprog

from di_metrics.queries import privacy, survey_x
from di_metrics.queries import survey_family as sf
from di_metrics.queries import survey_family_counts as sfc
from di_metrics.queries.filters import Filters
from di_metrics.queries.survey_counts import answer_counts, item_counts, respondents_answering
from di_metrics.storage import store
from di_metrics.storage.store import survey_respondent
from di_metrics.vocab import CATEGORY, RANK_GROUP, group_parts
from tests.support.survey import imported

K = 10
CODEBOOK = "item,construct,text_nl,text_en,scale_min,scale_max,favourable_min,reverse\n"
CODEBOOK += (
    "q1,inclusion,Ik hoor erbij,I belong,1,5,4,false\nq2,inclusion,Ik word buitengesloten,I am left out,1,5,4,true\n"
)
RANKS = {"c1": "civilian", "c2": "civilian", "m1": "military", "m2": "military", "": ""}
ALL = sfc.WHOLE


def _people() -> list[dict]:
    """The respondents, drawn once from a fixed seed: (wave, id, gender, branch, category, rank, q1, q2)."""
    draw = np.random.default_rng(25)
    out = []
    for wave, size in ((2023, 160), (2025, 190)):
        for i in range(size):
            rank = draw.choice(["c1", "c2", "m1", "m2", ""], p=[0.25, 0.15, 0.35, 0.2, 0.05])
            category = RANKS[rank] or draw.choice(["civilian", ""])
            out.append(
                {
                    "wave": wave,
                    "id": f"R{wave}-{i}",
                    "gender": draw.choice(["F", "M", ""], p=[0.3, 0.67, 0.03]),
                    "branch": draw.choice(["B1", "B2", "B3", ""], p=[0.45, 0.3, 0.22, 0.03]),
                    "category": category,
                    "rank": rank,
                    "q1": int(draw.integers(1, 6)),
                    "q2": int(draw.integers(1, 6)) if draw.random() < 0.8 else None,
                }
            )
    for wave, branch, n in ((2025, "B1", 11), (2025, "B2", 3), (2023, "B1", 4)):
        for i in range(n):
            rank = ["c1", "m1", "m2"][i % 3]
            row = {"wave": wave, "id": f"X{wave}{branch}{i}", "gender": "X", "branch": branch, "rank": rank}
            out.append({**row, "category": RANKS[rank], "q1": 1 + i % 5, "q2": 5 - i % 5})
    return out


PEOPLE = _people()


@pytest.fixture
def conn(db_url, tmp_path):
    lines = ["wave,respondent_id,gender,branch,personnel_category,rank_group,q1,q2"]
    for p in PEOPLE:
        q2 = "" if p["q2"] is None else p["q2"]
        lines.append(f"{p['wave']},{p['id']},{p['gender']},{p['branch']},{p['category']},{p['rank']},{p['q1']},{q2}")
    eng = imported(db_url, tmp_path, CODEBOOK, lines)
    with store.connect(eng) as c:
        yield c
    eng.dispose()


def _values(conn) -> dict[str, list[str]]:
    r = survey_respondent
    return {
        d: sorted(v for v in conn.execute(sa.select(r.c[d]).distinct()).scalars() if v is not None)
        for d in (CATEGORY, RANK_GROUP)
    }


def _tables(values: dict[str, list[str]]):
    """Every family table (its filters and breakdown) with the level its cells stand for."""
    levels = [(Filters(), ALL)]
    levels += [(Filters.of({CATEGORY: [v]}), ("c", v)) for v in values[CATEGORY]]
    levels += [(Filters.of({RANK_GROUP: [v]}), ("r", v)) for v in values[RANK_GROUP]]
    for (f, level), by in itertools.product(levels, (None, "gender", "branch", "gender+branch")):
        yield f, by, level


def _cell(by: str | None, group: str, wave: int, level) -> tuple:
    named = dict(zip(by.split("+"), group_parts(group), strict=True)) if by else {}
    return (int(wave), named.get("gender", ALL), named.get("branch", ALL), level)


@pytest.mark.parametrize("items", [("q1",), ("q1", "q2")])
def test_every_family_cell_counts_what_its_own_table_counts(conn, items):
    fast = sfc.family_counts(conn, items, _values(conn), None)
    expected, order = {}, []
    for f, by, level in _tables(_values(conn)):
        per_item = item_counts(conn, f, by, list(items))
        people = respondents_answering(conn, f, by, list(items)) if len(items) > 1 else per_item
        for (wave, group), n in people.groupby(["wave", "group"])["n"].sum().items():
            cell = _cell(by, group, wave, level)
            mine = per_item[(per_item["wave"] == wave) & (per_item["group"] == group)].set_index("item")
            row = {"n": n}
            for item in items:
                n_item = mine["n"].get(item, 0)
                row |= {f"nfav/{item}": mine["nfav"].get(item, 0), f"no/{item}": n_item - mine["nfav"].get(item, 0)}
            expected[cell] = row
            order.append(cell)
    assert list(fast.index) == order  # the tables' order: the line rules read the cells in it
    assert {c: {k: float(v) for k, v in r.items()} for c, r in fast.to_dict("index").items()} == expected
    assert (2025, "X", ALL, ALL) in fast.index and (2023, "X", ALL, ALL) not in fast.index  # X kept, X left out


def test_every_family_cell_counts_the_answers_its_distribution_counts(conn):
    fast = sfc.family_counts(conn, ("q1",), _values(conn), 2025)
    expected = {}
    for f, by, level in _tables(_values(conn)):
        given = answer_counts(conn, f, ["q1"], 2025, by)
        for (group, answer), n in given.groupby(["group", "answer"])["n"].sum().items():
            expected[_cell(by, group, 2025, level), f"answer/{int(answer)}"] = n
    answers = [c for c in fast.columns if c.startswith("answer/")]
    assert answers == [f"answer/{a}" for a in range(1, 6)]
    got = {(cell, c): v for cell, row in fast[answers].to_dict("index").items() for c, v in row.items() if v}
    assert got == expected
    assert {c[0] for c in fast.index} == {2025}


def test_the_x_rule_in_memory_leaves_out_what_the_hand_worked_counts_say(conn):
    rule = survey_x.left_out_rule(conn)
    for items, pins in ((("q1",), False), (("q1", "q2"), False)):
        assert rule(Filters(), items, pins) == {2023}
        assert rule(Filters.of({"branch": ["B2"]}), items, pins) == {2025}  # no X of B2 in 2023 to leave out
        assert rule(Filters.of({"branch": ["B1"]}), items, pins) == {2023, 2025}
        assert survey_x.left_out_waves(conn, Filters.of({"branch": ["B1"]}), items, pins) == {2023, 2025}


def _finest(wave: int) -> tuple[list[tuple], np.ndarray]:
    """The respondents answering q1 per finest cell of a wave (X left out: 2023 has no X group), from the lines."""
    cells: dict[tuple, int] = {}
    for p in PEOPLE:
        if p["wave"] == wave and p["gender"] != "X":
            key = tuple(p[d] or privacy.MISSING for d in ("gender", "branch", "category", "rank"))
            cells[key] = cells.get(key, 0) + 1
    names = sorted(cells)
    return names, np.array([cells[n] for n in names], dtype=float)


def _holds(cell: tuple, finest: list[tuple]) -> np.ndarray:
    _, g, b, level = cell
    return np.array(
        [
            (g == ALL or f[0] == g)
            and (b == ALL or f[1] == b)
            and (level == ALL or f[2 if level[0] == "c" else 3] == level[1])
            for f in finest
        ],
        dtype=float,
    )


def _attacker(cells: list[tuple], hidden: set[tuple], wave: int) -> set[tuple]:
    """The hidden cells a linear program over the finest cells holds narrower than 3, given the shown ones."""
    finest, truth = _finest(wave)
    shown = [c for c in cells if c not in hidden]
    a = np.array([_holds(c, finest) for c in shown])
    b = a @ truth
    out = set()
    for cell in hidden:
        row = _holds(cell, finest)
        low = linprog(row, A_eq=a, b_eq=b, bounds=(0, None), method="highs")
        high = linprog(-row, A_eq=a, b_eq=b, bounds=(0, None), method="highs")
        assert low.status == 0 and high.status in (0, 3)
        if high.status == 0 and -high.fun - low.fun < 3 - 1e-6:
            out.add(cell)
    return out


def test_the_family_programs_narrow_what_an_independent_attacker_narrows(conn):
    counts = sfc.family_counts(conn, ("q1",), _values(conn), None)
    counts = counts[[c[0] == 2023 for c in counts.index]][["n"]]
    finest, truth = _finest(2023)
    assert all(counts.loc[[c], "n"].iloc[0] == _holds(c, finest) @ truth for c in counts.index)  # the lines' counts
    hidden = {c: bool(n < K) for c, n in counts["n"].items()}
    found = set(sf._narrowed_cells(counts, hidden, sfc.atoms(conn, ("q1",), False), {2023}))
    expected = _attacker(list(counts.index), {c for c, h in hidden.items() if h}, 2023)
    assert found == expected
    assert len(expected) >= 3  # cells under k alone give some away: the programs have something to find


def test_the_family_decision_leaves_the_independent_attacker_nothing_narrow(conn):
    hidden, _ = sf.family_decision(conn, ("q1",), K)
    mine = [c for c in hidden if c[0] == 2023]
    assert any(hidden[c] for c in mine)
    assert _attacker(mine, {c for c in mine if hidden[c]}, 2023) == set()
