"""The enumerating attacker (di_metrics/analysis/disclosure.py) on the hand-made organisation of the release
attack (tests/support/release.py): every figure of every family for the whole, every single filter value and every
pair of two values (of one dimension or of two), at every date and wave, as equations over the true cells;
then for each hidden count the interval HiGHS gives with counts >= 0.

Goal: no hidden count recovered, and no interval of a count of women, men or a total narrower than 3 persons.
Each family is asserted on its own, so the report says which family still gives something away."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from scipy.optimize import linprog

from di_metrics.analysis import disclosure
from di_metrics.queries import cells as cell_tables
from di_metrics.queries import meldingen, privacy, stock_joint
from di_metrics.queries.filters import Filters
from di_metrics.storage import store
from di_metrics.storage.database import open_database
from di_metrics.storage.ingest import import_file
from tests.support import gate, release

SCOPE = disclosure.Scope(
    dates=(dt.date(2022, 12, 31), dt.date(2023, 12, 31)),
    years=(2023,),
    waves=(2024,),
    item="q1",
    breakdowns=("branch", "rank_group", "org_unit"),
)
VALUES = {
    "branch": ["B1", "B2"],
    "personnel_category": ["military"],  # everyone: a selection that is the whole organisation by another road
    "rank_group": ["manschappen", "officieren"],
    "org_unit": [u for u in release.UNITS],
}
EVERY = disclosure.selections(VALUES, lambda *_: True)  # the whole, 11 single values, 55 pairs
# The survey's figures are the slowest to read (about a second a selection here): the whole, single values, and
# the pairs that cut a branch (a branch with a unit or a rank group, two units).
SURVEY = disclosure.selections(VALUES, lambda d1, v1, d2, v2: "branch" in (d1, d2) or d1 == d2 == "org_unit")
FAMILIES = ("workforce", "flows", "survey", "reports")


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    with release.imported(tmp_path_factory.mktemp("release_attack")) as eng:
        yield eng


def _attack(engine, chosen: dict, secrets: dict | None = None) -> tuple[disclosure.Figures, dict]:
    """Every figure of the chosen families; with `secrets` (name: row), the intervals of those instead."""
    with store.connect(engine) as conn:
        figures = disclosure.collect(conn, SCOPE, chosen)
    if secrets is not None:
        figures.secrets = dict(secrets)
    return figures, disclosure.narrow(figures, disclosure.intervals(figures))


@pytest.fixture(scope="module")
def attacked(engine):
    return _attack(engine, {"workforce": EVERY, "flows": EVERY, "survey": SURVEY, "reports": EVERY})


def test_every_shown_figure_is_true(attacked):
    figures, _ = attacked
    truth = disclosure.truth(figures)
    for row, value in zip(figures.rows, figures.values, strict=True):
        assert (row @ truth)[0] == pytest.approx(value, abs=1e-6)


def test_the_attacker_sees_every_family(attacked):
    figures, _ = attacked
    assert set(figures.tally) == set(FAMILIES)
    assert all(figures.tally[f][1] > 0 for f in FAMILIES)  # each family hides something to attack


# The families the attacker still narrows (strict: the test fails the day one of them is protected).
@pytest.mark.parametrize("family", ["reports", "workforce"])
def test_no_hidden_count_is_narrowed_under_3(attacked, family):
    figures, narrow = attacked
    found = {name: bounds for name, bounds in narrow.items() if figures.families[name] == family}
    assert found == {}


@pytest.mark.parametrize("family", ["survey"])
def test_no_hidden_count_is_narrowed_under_3_yet(attacked, family):
    figures, narrow = attacked
    found = {name: bounds for name, bounds in narrow.items() if figures.families[name] == family}
    assert found == {}


# The flows are decided on each parent's flow table with what the attacker knows (flow_pattern: a count nobody
# moved in and a count the exact totals give are shown and no complement); what is left goes through the stocks:
# a small flow that went one way only (nobody joined, or nobody left) is the change of stocks shown on both dates,
# which no pattern of the flows can hide, only the workforce decision (hiding the stock on one of the dates).
STOCKS_GIVE_ONE_WAY_FLOWS = pytest.mark.xfail(
    strict=True,
    reason="a small flow that went one way only is the change of its stocks, shown on both dates: SMALL's woman "
    "who left the officers (nobody joined them, 60 then 59 women), 40 hidden flow figures narrowed (14 before a "
    "gender's 0 where someone else moved was withheld: more hidden counts that her exit gives back); S2's 3 women "
    "who left in 2025 (no woman hired, 52 then 49), 28 on the gate fixture (11); only the workforce decision could "
    "hide it (test_the_flows_give_away_only_*)",
)


@STOCKS_GIVE_ONE_WAY_FLOWS
@pytest.mark.parametrize("family", ["flows"])
def test_no_hidden_count_is_narrowed_under_3_yet_but_smalls_woman(attacked, family):
    figures, narrow = attacked
    found = {name: bounds for name, bounds in narrow.items() if figures.families[name] == family}
    assert found == {}


def _explained_by(figures: disclosure.Figures, narrow: dict, moves: np.ndarray) -> list[str]:
    """The narrowed flow figures that neither hold one of `moves` nor are pinned but for them (their part outside
    `moves` held to an interval under 0.5 by the shown figures). A figure holding one of them may be narrowed as a
    whole: with the personnel category in the one workforce decision, the whole's manschappen women hired (27) are
    given by the stocks once the officers' one exit is (both shown as a category's too)."""
    a, b = sparse.vstack(figures.rows).tocsr(), np.array(figures.values)
    left = []
    for name in (n for n in narrow if figures.families[n] == "flows"):
        secret = figures.secrets[name].toarray().ravel()
        rest = secret * ~moves
        if (secret * moves).any():
            continue  # it holds one of them: the whole's manschappen women hired (27) follow from her exit too
        low = linprog(rest, A_eq=a, b_eq=b, bounds=(0, None), method="highs").fun
        high = -linprog(-rest, A_eq=a, b_eq=b, bounds=(0, None), method="highs").fun
        if high - low >= 0.5:
            left.append(name)
    return left


def test_the_flows_give_away_only_smalls_woman(attacked):
    """What the attacker narrows in the flows is SMALL's woman who left the officers in 2023, or the woman hired
    in her place (release.UNITS: SMALL's only moves), read back through the stocks: every narrowed flow figure
    holds one of them, or its part outside them is pinned by the shown figures (B1's manschappen: B1 minus her).
    Before the flows were decided with what the attacker knows: 29 figures of the flows alone, among them U3's,
    V2's and the rank groups' (a hidden 0 as primary or complement, while the attacker knows where nobody moved)."""
    figures, narrow = attacked
    cells = figures.cells
    smalls = ((cells["kind"] == "t") & (cells["f_org_unit"].eq("SMALL") | cells["org_unit"].eq("SMALL"))).to_numpy()
    assert release.UNITS["SMALL"][4:] == (1, 0) and cells.loc[smalls, "n"].sum() == 2
    assert [n for n in narrow if figures.families[n] == "flows"]
    assert _explained_by(figures, narrow, smalls) == []


def test_no_answer_a_shown_group_never_gives_pins_a_hidden_groups_answers(attacked):
    """B2's 4 women are hidden (1 answers 5, 3 answer 2), but the whole's men never answer 5: so B2's answer-5
    count was its women's, and from there every hidden answer count followed (97 of them, exactly). A group's
    distribution is now shown only where every answer of the scale has at least 3 respondents."""
    figures, narrow = attacked
    assert [n for n in narrow if figures.families[n] == "survey" and " answers by " in n] == []


ROUTES = [Filters(), Filters.of({"branch": ["B1"]}), Filters.of({"org_unit": ["SMALL"]})]
ROUTES += [Filters.of({"org_unit": ["U1", "U2", "U3"]}), Filters.of({"branch": ["B1"], "org_unit": ["U1"]})]
ROUTES += [Filters.of({"branch": ["B1"], "org_unit": ["U2"]})]


def _ancestors_off(filters, dimensions=None):
    return [(d, filters.without(d)) for d in filters.as_dict() if dimensions is None or d in dimensions]


def _years_and_branches(cells, k=None):
    year = cells["year"].astype(str)
    first = privacy.primary(cells["count"], k or 5)
    return privacy.hide_lines(first, cells["count"], [year, year + "/" + cells["branch"]])


# rule: (module, function, what it is replaced by, the family whose figures show the effect)
RULES = {
    "primary": (privacy, "primary", lambda size, k: size < 0, "reports"),
    # On formal reports a hidden figure the lines leave pinned is widened by linear programming as well
    # (meldingen.widen), and the flows' lines hold two hidden counts or more here (a gender's 0 where someone else
    # moved is a count under k, session 15; a unit hidden by its stock): so the complements' effect is read on the
    # workforce, the consistency rule's on the survey (the flows' sums of units are hidden by their stocks too).
    "complementary": (privacy, "complementary", lambda hidden, size, group: hidden, "workforce"),
    "consistent": (privacy, "consistent", lambda selected, hidden: True, "survey"),
    "leave_out_x": (privacy, "leave_out_x", lambda other, k, forced, group: other < 0, "workforce"),
    "parents": (privacy, "parents", _ancestors_off, "survey"),
    "category_lines": (meldingen, "hidden_reports", _years_and_branches, "reports"),
    # Off: each workforce view decides its own one-way patterns again (units along a branch, ranks along a unit).
    "one_workforce_decision": (stock_joint, "read", lambda *args: None, "workforce"),
}


@pytest.fixture(scope="module")
def baselines(engine):
    """Per family, the hidden figures with every rule on, and those the attacker narrows all the same."""
    out = {}
    for family in {family for *_, family in RULES.values()}:
        figures, narrow = _attack(engine, {family: ROUTES})
        out[family] = (figures.secrets, set(narrow))
    return out


# The ancestor check's only effect on this organisation's survey was on rows holding the same respondents as a
# simpler selection (B1 with U2 is U2), which now take that selection's decision (queries/survey_same.py): its survey
# dimensions nest. Where they cross (branch x personnel category) the survey is open with or without it (issue 25).
SURVEY_PARENTS = pytest.mark.xfail(
    strict=True, reason="the survey's dimensions nest here: no route left for the ancestor check to close"
)


@pytest.mark.parametrize("rule", [pytest.param(r, marks=SURVEY_PARENTS) if r == "parents" else r for r in RULES])
def test_disabling_any_rule_gives_more_away(engine, baselines, monkeypatch, rule):
    """With one rule off, the attacker narrows to under 3 persons a figure that every rule on keeps hidden."""
    module, name, off, family = RULES[rule]
    secrets, narrow = baselines[family]
    monkeypatch.setattr(module, name, off)
    monkeypatch.setattr(privacy, "_DECISIONS", {})  # every view decided afresh with the rule off
    assert set(_attack(engine, {family: ROUTES}, secrets)[1]) - narrow


def test_the_intervals_hold_the_truth(attacked):
    figures, _ = attacked
    truth = disclosure.truth(figures)
    found = disclosure.intervals(figures)
    for name, (low, high) in found.items():
        value = (figures.secrets[name] @ truth)[0]
        assert low - 1e-6 <= value <= high + 1e-6 or np.isinf(high), name


def test_privacy_audit_prints_intervals_and_loss_but_no_hidden_value(engine, capfd):
    """capfd: the solver is C++ and could write on the process's stdout past Python's (HiGHS's banner did)."""
    import json

    from di_metrics.cli.main import main

    assert main(["privacy", "audit", "--json", "--db", str(engine.url)]) == 0
    doc = json.loads(capfd.readouterr().out)
    assert {x["family"] for x in doc["information_loss"]} == set(FAMILIES)
    assert all(0 < x["cells_hidden"] < 1 and 0 < x["persons_hidden"] < 1 for x in doc["information_loss"])
    assert doc["cells"] and set(doc["cells"][0]) == {"family", "cell", "low", "high", "narrow"}
    for c in doc["cells"]:
        if c["narrow"]:
            assert c["low"] is None and c["high"] is None, c  # an interval under 3 wide would say too much
        else:
            assert c["high"] is None or c["high"] - c["low"] >= 3, c
    small = next(c for c in doc["cells"] if c["cell"] == "org_unit=SMALL 2023 F hires")
    assert small["family"] == "flows"


@pytest.fixture(scope="module")
def gate_attacked(tmp_path_factory):
    """The gate fixture's organisation (tests/support/gate.py), attacked over the whole, every single value and
    the pairs that cut a branch (two of its units, or a branch with a unit or rank group)."""
    folder = tmp_path_factory.mktemp("gate_attack")
    gate.write(folder)
    eng = open_database(f"duckdb:///{folder / 'gate.duckdb'}")
    for kind, name in gate.FILES:
        import_file(eng, kind, folder / name)
    scope = disclosure.Scope(
        dates=tuple(dt.date.fromisoformat(d) for d in gate.DATES),
        years=tuple(gate.YEARS),
        waves=(2024,),
        item="q1",
        breakdowns=("branch", "rank_group", "org_unit"),
    )
    values = {"branch": ["B1", "B2"], "personnel_category": ["military"], "rank_group": ["manschappen", "officieren"]}
    values["org_unit"] = list(gate.BRANCH)
    chosen = disclosure.selections(values, lambda d1, v1, d2, v2: d1 == d2 == "org_unit" or "branch" in (d1, d2))
    with store.connect(eng) as conn:
        figures = disclosure.collect(conn, scope, {family: chosen for family in FAMILIES})
    yield figures, disclosure.narrow(figures, disclosure.intervals(figures))
    eng.dispose()


def test_on_the_gate_fixture_formal_reports_give_nothing_away(gate_attacked):
    figures, narrow = gate_attacked
    assert figures.tally["reports"][1] > 0
    assert [n for n in narrow if figures.families[n] == "reports"] == []


@pytest.mark.parametrize("family", ["workforce"])
def test_on_the_gate_fixture_no_hidden_count_is_narrowed_under_3(gate_attacked, family):
    figures, narrow = gate_attacked
    assert [n for n in narrow if figures.families[n] == family] == []


@pytest.mark.parametrize("family", ["survey"])
def test_on_the_gate_fixture_no_hidden_count_is_narrowed_under_3_yet(gate_attacked, family):
    figures, narrow = gate_attacked
    assert [n for n in narrow if figures.families[n] == family] == []


def test_on_the_gate_fixture_the_flows_give_away_only_the_women_who_left_s2_and_s4(gate_attacked):
    """In 2025 no woman joined B1 (gate.persons): S2's 3 women who left (52, then 49) and S4's 8 (10, then 2) are
    the fall of their stocks, shown on both dates. Every narrowed flow figure holds those moves or is pinned but
    for them (S2|T1's hires: T1's). Before the flows were decided with what the attacker knows: 84 figures of the
    flows alone (S2, the only unit of B1 that moved in 2024, taken as the complement of its siblings' 0s)."""
    figures, narrow = gate_attacked
    cells = figures.cells
    when = np.array([getattr(t, "year", 0) for t in cells["time"]]) == 2025
    left = (cells["kind"] == "t").to_numpy() & when & cells["f_org_unit"].isin(["S2", "S4"]).to_numpy()
    left &= (cells["f_gender"] == "F").to_numpy() & cells["org_unit"].isna().to_numpy()
    assert cells.loc[left, "n"].sum() == 3 + 8
    assert [n for n in narrow if figures.families[n] == "flows"]
    assert _explained_by(figures, narrow, left) == []


@STOCKS_GIVE_ONE_WAY_FLOWS
@pytest.mark.parametrize("family", ["flows"])
def test_on_the_gate_fixture_no_hidden_flow_is_narrowed_under_3(gate_attacked, family):
    figures, narrow = gate_attacked
    assert [n for n in narrow if figures.families[n] == family] == []


def test_the_cells_are_read_in_one_order_whatever_order_the_database_gives(engine, monkeypatch):
    """A hidden figure's row names cells by position: two reads of the same data must agree on them (the rule-off
    attacks above read the baseline's rows against a second read; DuckDB's groups come in any order)."""
    with store.connect(engine) as conn:
        first = disclosure.read_cells(conn, SCOPE)
        for name in ("stock_cells", "move_cells", "answer_cells"):
            read = getattr(cell_tables, name)
            monkeypatch.setattr(cell_tables, name, lambda *a, read=read: read(*a).sample(frac=1, random_state=7))
        again = disclosure.read_cells(conn, SCOPE)
    pd.testing.assert_frame_equal(first, again)
