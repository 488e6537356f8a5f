"""The enumerating attacker (di_metrics/analysis/disclosure.py) on intake and flows below the branch level, over
the units of tests/support/career.py (B1: U1, U2, U3 and SMALL; B2: V1 and V2; in 2022 and 2023 nobody moves
between units, so there a unit's flows' hires are its intake).

Every workforce and flow figure, the intake (whole, by branch and by unit) and the retention curves' numbers at
risk at 0 years (whole and by unit), of the whole, each branch, each unit, each pair of sibling units and each
branch with one of its units, as equations over the true stock and transition cells; then HiGHS bounds each
hidden intake and flow count. Goal: none narrowed under 3.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from di_metrics.analysis import disclosure
from di_metrics.analysis.career import intake
from di_metrics.analysis.retention import retention
from di_metrics.queries.filters import Filters
from di_metrics.storage import store
from di_metrics.storage.database import open_database
from di_metrics.storage.ingest import import_file
from di_metrics.vocab import GROUP_SEPARATOR
from tests.support import career as fixture

SCOPE = disclosure.Scope(
    dates=tuple(dt.date(y, 12, 31) for y in fixture.UNIT_YEARS),
    years=tuple(fixture.UNIT_YEARS[1:]),
    waves=(),
    item=None,
    breakdowns=("branch", "org_unit"),
)


def unit_selections() -> list[Filters]:
    """The whole, each branch, each unit, each pair of sibling units, each branch with one of its units."""
    branches = sorted(set(fixture.UNIT_BRANCH.values()))
    out = [Filters(), *(Filters.of({"branch": [b]}) for b in branches)]
    out += [Filters.of({"org_unit": [u]}) for u in fixture.UNIT_BRANCH]
    for u, v in itertools.combinations(fixture.UNIT_BRANCH, 2):
        if fixture.UNIT_BRANCH[u] == fixture.UNIT_BRANCH[v]:
            out.append(Filters.of({"org_unit": [u, v]}))
    out += [Filters.of({"branch": [b], "org_unit": [u]}) for u, b in fixture.UNIT_BRANCH.items()]
    return out


def read_retention(conn, figures: disclosure.Figures, f: Filters) -> None:
    """A retention curve's number at risk at 0 years is its gender's hires of all years (the first snapshot's
    stock is no hire): the total the years of intake add up to."""
    cells, hired = figures.cells, fixture.hired(figures, f)
    for by in (None, "org_unit"):
        for p in retention(conn, f, by).curves:
            if p.t != 0:
                continue
            gender, _, part = p.group.partition(GROUP_SEPARATOR)
            mask = hired & (cells["gender"] == gender).to_numpy() & ((cells[by] == part).to_numpy() if by else True)
            name = f"{disclosure.label(f)} retention{f' by {by}' if by else ''} {p.group} at risk at 0"
            figures.add(mask, p.at_risk, name, p.suppressed)


@pytest.fixture(scope="module")
def attacked(tmp_path_factory):
    folder = tmp_path_factory.mktemp("career_units")
    eng = open_database(f"duckdb:///{folder / 'units.duckdb'}")
    import_file(eng, "workforce", fixture.write_csv(folder / "units.csv", units=True))
    chosen = unit_selections()
    with store.connect(eng) as conn:
        figures = disclosure.collect(conn, SCOPE, {"workforce": chosen, "flows": chosen})
        figures.family = "career"
        for f in chosen:
            fixture.read_intake(conn, figures, f, (None, "branch", "org_unit"), SCOPE.years)
        figures.family = "retention"
        for f in chosen:
            read_retention(conn, figures, f)
    eng.dispose()
    return figures, disclosure.narrow(figures, disclosure.intervals(figures))


def test_every_figure_read_is_true(attacked):
    figures, _ = attacked
    truth = disclosure.truth(figures)
    for row, value in zip(figures.rows, figures.values, strict=True):
        assert (row @ truth)[0] == pytest.approx(value)


def test_the_attack_reads_unit_intake_shown_and_hidden(attacked):
    figures, _ = attacked
    assert figures.tally["career"][0] > figures.tally["career"][1] > 0
    assert any(n.startswith("org_unit=U1 intake") for n in figures.secrets)
    assert figures.tally["retention"][0] > 0


def test_no_hidden_intake_or_flow_count_below_the_branch_level_is_narrowed_under_3(attacked):
    figures, narrow = attacked
    read = ("career", "flows", "retention")
    found = {n: b for n, b in narrow.items() if figures.families[n] in read and n in figures.strict}
    assert found == {}


def test_the_retention_curve_does_not_give_a_hidden_intake_year_back(tmp_path):
    """U1's 2 women hired in 2023 are hidden in intake (under 5) and in the flows. None of U1's hires leave, so
    U1's women's curve has 6 + 2 + 7 = 15 at risk at 0 years, 6 + 2 = 8 at 1 year (the 2024 hires are censored
    at 0) and 6 at 2 years (the 2023 hires censored at 1): 8 - 6 = 2. U1's intake is hidden in every year (its
    flows are, beside SMALL's), so the curve stops at the censoring time of its latest hidden cohort, 2024's at
    0 years (retention.hidden_cap): only the 15 at risk at 0 years, the total the years line protects."""
    eng = open_database(f"duckdb:///{tmp_path / 'units.duckdb'}")
    import_file(eng, "workforce", fixture.write_csv(tmp_path / "units.csv", units=True))
    u1 = Filters.of({"org_unit": ["U1"]})
    with store.connect(eng) as conn:
        hidden = {y.year for y in intake(conn, u1).years if y.suppressed}
        at_risk = {p.t: p.at_risk for p in retention(conn, u1).curves if p.group == "F" and not p.suppressed}
    eng.dispose()
    assert hidden == {2022, 2023, 2024}
    assert at_risk == {0.0: 15}
