"""The enumerating attacker (di_metrics/analysis/disclosure.py) on the career outputs, over the hand-made
workforce of tests/support/career.py, which has what the gate organisation lacks: promotions (B1's and B2's
manschappen to onderofficieren) and a returning hire (A4, gone in 2023, back in 2024: a hire of 2024 again).

Every workforce and flow figure for the whole, each value and each pair of branch and category, and beside
them the intake (whole and by branch) and the promotion levels (per year and pooled), as equations over the
true stock and transition cells; then HiGHS bounds each hidden career count. Goal: none narrowed under 3.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from di_metrics.analysis import disclosure
from di_metrics.analysis.career import intake
from di_metrics.analysis.promotion import promotion
from di_metrics.models.ladders import load_ladders
from di_metrics.queries.filters import Filters
from di_metrics.queries.workforce import flows
from di_metrics.storage import store
from di_metrics.storage.database import open_database
from di_metrics.storage.ingest import import_file
from tests.support import career as fixture

DATES = tuple(dt.date(y, 12, 31) for y in fixture.YEARS)
SCOPE = disclosure.Scope(
    dates=DATES, years=tuple(fixture.YEARS[1:]), waves=(), item=None, breakdowns=("branch", "personnel_category")
)
VALUES = {"branch": ["B1", "B2"], "personnel_category": ["civilian", "military"]}


def _year(cells) -> np.ndarray:
    return np.array([getattr(t, "year", 0) for t in cells["time"]])


def read_promotion(conn, figures: disclosure.Figures, f: Filters) -> None:
    """At risk: the stock in the rank at the year's start; promoted: moves from it up its ladder that year. The
    at-risk count is that stock, which the pipeline shows: no secret of its own (not strict), only the promoted."""
    ladders = load_ladders()
    cells = figures.cells
    stock = (cells["kind"] == "s").to_numpy() & disclosure.inside(cells, f)
    moves = (cells["kind"] == "t").to_numpy() & disclosure.inside(cells, f, "f_")
    year = _year(cells)
    found = promotion(conn, f, with_time=False)
    for r in (*found.levels, *found.pooled):
        up = [q for q in ladders.order if ladders.category_of(q) == ladders.category_of(r.rank_group)]
        up = up[up.index(r.rank_group) + 1 :]
        at_risk = stock & (cells["rank_group"] == r.rank_group).to_numpy()
        at_risk &= cells["time"].isin([dt.date(y - 1, 12, 31) for y in r.years]).to_numpy()
        moved = moves & (cells["f_rank_group"] == r.rank_group).to_numpy() & cells["rank_group"].isin(up).to_numpy()
        moved &= np.isin(year, r.years)
        name = f"{disclosure.label(f)} promotion {r.rank_group} {r.year or 'pooled'}"
        for gender, risk, promoted in (("F", r.women_at_risk, r.women_promoted), ("M", r.men_at_risk, r.men_promoted)):
            figures.add(
                at_risk & (cells["gender"] == gender).to_numpy(), risk, f"{name} {gender} at risk", r.suppressed, False
            )
            figures.add(moved & (cells["f_gender"] == gender).to_numpy(), promoted, f"{name} {gender}", r.suppressed)


def _attack(tmp_path_factory, published: tuple[str, ...]) -> tuple[disclosure.Figures, dict]:
    """The career figures of every selection, beside the published families named (workforce, flows)."""
    folder = tmp_path_factory.mktemp("career_attack")
    eng = open_database(f"duckdb:///{folder / 'career.duckdb'}")
    import_file(eng, "workforce", fixture.write_csv(folder / "career.csv"))
    chosen = disclosure.selections(VALUES, lambda *_: True)
    with store.connect(eng) as conn:
        figures = disclosure.collect(conn, SCOPE, {family: chosen for family in published})
        if not published:
            figures = disclosure.Figures(disclosure.read_cells(conn, SCOPE))
        figures.family = "career"
        for f in chosen:
            fixture.read_intake(conn, figures, f, (None, "branch"), SCOPE.years)
            read_promotion(conn, figures, f)
    eng.dispose()
    return figures, disclosure.narrow(figures, disclosure.intervals(figures))


@pytest.fixture(scope="module")
def attacked(tmp_path_factory):
    return _attack(tmp_path_factory, ())


@pytest.fixture(scope="module")
def attacked_with_flows(tmp_path_factory):
    return _attack(tmp_path_factory, ("workforce", "flows"))


def test_every_career_figure_read_is_true(attacked):
    figures, _ = attacked
    truth = disclosure.truth(figures)
    for row, value in zip(figures.rows, figures.values, strict=True):
        assert (row @ truth)[0] == pytest.approx(value)


def test_the_attack_reads_promotions_and_a_returning_hire(attacked):
    figures, _ = attacked
    names = set(figures.families)
    assert figures.tally["career"][0] > 0 and figures.tally["career"][1] > 0  # career figures shown and hidden
    assert any(" promotion " in n for n in names) or any(" promotion " in n for n in figures.secrets)
    truth = disclosure.truth(figures)
    cells = figures.cells
    returned = (cells["kind"] == "t").to_numpy() & cells["f_org_unit"].isna().to_numpy()
    returned &= (_year(cells) == 2024) & (cells["personnel_category"] == "civilian").to_numpy()
    assert truth[returned].sum() == 1  # A4, back in 2024, is the civilian hire of that year


def test_no_hidden_career_count_is_narrowed_under_3(attacked):
    """The career outputs of every selection, read together: intake, promotion levels and pooled levels."""
    figures, narrow = attacked
    assert {n: b for n, b in narrow.items() if figures.families[n] == "career" and n in figures.strict} == {}


def test_no_hidden_career_count_is_narrowed_under_3_beside_the_flows(attacked_with_flows):
    figures, narrow = attacked_with_flows
    assert {n: b for n, b in narrow.items() if figures.families[n] == "career" and n in figures.strict} == {}


# Hires per year of the fixture, worked out from its description (nobody changes branch or category, so a
# selection's spell starts are its flows' hires): (branch, category, year) -> (women, men).
HIRED = {
    ("B1", "civilian", 2019): (10, 12),  # cohorts A and C
    ("B1", "civilian", 2021): (4, 0),  # cohort B
    ("B1", "civilian", 2024): (1, 0),  # A4's return
    ("B2", "military", 2019): (10, 10),  # E and D
}


@pytest.mark.parametrize("chosen", [{}, {"branch": ["B1"]}, {"branch": ["B1"], "personnel_category": ["civilian"]}])
def test_intake_above_the_branch_level_shows_the_flows_hires(tmp_path, chosen):
    """The intake of a selection above the branch level is its flows' hires, shown as the flows show them (the
    4 women of 2021 and A4's return included): one release, no hidden year the flows give back."""
    eng = open_database(f"duckdb:///{tmp_path / 'career.duckdb'}")
    import_file(eng, "workforce", fixture.write_csv(tmp_path / "career.csv"))
    f = Filters.of(chosen)
    with store.connect(eng) as conn:
        rows = {y.year: y for y in intake(conn, f).years}
        flowed = {(r.year, r.gender): r.hires for r in flows(conn, f).rows}
    eng.dispose()
    for year in fixture.YEARS[1:]:
        women = sum(w for (b, c, y), (w, _) in HIRED.items() if y == year and _holds(chosen, b, c))
        men = sum(m for (b, c, y), (_, m) in HIRED.items() if y == year and _holds(chosen, b, c))
        row = rows.get(year)
        assert (row.women_hired, row.hires, row.suppressed) == (women, women + men, False) if row else not women + men
        assert (flowed[year, "F"], flowed[year, "M"]) == (women, men)


def _holds(chosen: dict, branch: str, category: str) -> bool:
    return branch in chosen.get("branch", [branch]) and category in chosen.get("personnel_category", [category])
