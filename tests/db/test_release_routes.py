"""The routes of the release attack (tests/support/release.py): two views, each safe alone, whose difference
gave a hidden value back; and the figures the gate hid that it need not."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from di_metrics.analysis.calibration import yearly_rates
from di_metrics.cli import documents
from di_metrics.config import min_survey_cell, min_workforce_cell
from di_metrics.queries import cells, meldingen, survey, survey_results
from di_metrics.queries.filters import Filters
from di_metrics.queries.meldingen import reports_by_kind
from di_metrics.queries.workforce import breakdown, dimension_values, flows, share_series
from di_metrics.storage import store
from di_metrics.storage.database import open_database
from tests.support import moves, release

B1 = Filters.of({"branch": ["B1"]})
SIBLINGS = Filters.of({"org_unit": ["U1", "U2", "U3"]})


@pytest.fixture(scope="module")
def conn(tmp_path_factory):
    with release.imported(tmp_path_factory.mktemp("release")) as engine, store.connect(engine) as c:
        yield c


def _flow(doc: dict, gender: str) -> dict:
    return next(r for r in doc["rows"] if r["year"] == 2023 and r["gender"] == gender)


def flows_document(conn, f):
    """What `flows --json` prints for a selection."""
    return documents.flows_document(flows(conn, f))


def survey_document(conn, f, measure, by, wave, reference, source=None):
    """What `survey --json` prints for a selection (respondents, or a vendor's table with source="aggregate")."""
    return documents.survey_document(survey_results.survey_results(conn, f, measure, by, wave, reference, source))


def test_the_organisation_is_as_described():
    assert min_workforce_cell() == 5 and min_survey_cell() == 10
    women_hired = {u: v[4] for u, v in release.UNITS.items() if v[0] == "B1"}
    assert sum(women_hired.values()) == 16 and women_hired["SMALL"] == 1


def test_a_units_flows_are_not_the_branch_minus_its_siblings(conn):
    """SMALL's 1 woman hired and 1 who left stay hidden. SMALL moved no man (release.UNITS): a count nobody moved
    in is 0 for anyone who knows no man joined or left (the release attacker reads only the moves that happened),
    so hiding it hid nothing, and its complements (U1-U3's men, the whole's rank groups) came back exactly
    (flow_pattern: a known count is shown and is no complement)."""
    branch, siblings = flows_document(conn, B1), flows_document(conn, SIBLINGS)
    assert release.UNITS["SMALL"][5] == 0
    for gender in ("F",):
        b, s = _flow(branch, gender), _flow(siblings, gender)
        assert b["hires"] is None or s["hires"] is None, f"SMALL's {gender} hires are the branch minus U1-U3"
        assert b["exits"] is None or s["exits"] is None


def test_the_projections_rates_do_not_give_the_units_exits_back(conn):
    """attrition x start stock is the exits: the branch's minus its siblings' would be SMALL's."""
    own = yearly_rates(conn, SIBLINGS).set_index("year")
    assert math.isnan(own.loc[2023, "attrition_women"])


def _women(doc: dict) -> dict:
    return next(r for r in doc["rows"] if r["group"] == "F" and r["wave"] == 2024)


def test_a_branch_filter_minus_the_whole_does_not_give_a_hidden_survey_group(conn):
    whole = survey_document(conn, Filters(), "q1", "gender", 2024, None)
    branch = survey_document(conn, B1, "q1", "gender", 2024, None)
    assert _women(whole)["n"] is None or _women(branch)["n"] is None


def test_a_branch_filter_minus_the_whole_does_not_give_a_hidden_answer_distribution(conn):
    def women(f):
        rows = documents.answers_document(survey.answers(conn, f, "q1", 2024, "gender"))["rows"]
        return [r["share"] for r in rows if r["group"] == "F"]

    assert all(s is None for s in women(Filters())) or all(s is None for s in women(B1))


def test_a_branch_filter_minus_the_whole_does_not_give_a_hidden_vendor_group(conn):
    def doc(f):
        return survey_document(conn, f, "belonging", "gender", 2024, None, "aggregate")

    assert _women(doc(Filters()))["n"] is None or _women(doc(B1))["n"] is None


def test_a_category_total_does_not_give_a_hidden_branch_report_back(conn):
    """The report shows per category over all branches; the table per branch: no category line may hold
    exactly one hidden branch cell beside a shown total."""
    reports = meldingen.formal_reports(conn, Filters())
    reports = reports[reports["level"] == "cell"]
    totals = reports_by_kind(conn, Filters()).set_index(["year", "category"])
    for (year, category), line in reports.groupby(["year", "category"]):
        if not totals.loc[(year, category), "suppressed"]:
            assert line["suppressed"].sum() != 1, f"{category} {year}"


def test_a_unit_alone_shows_what_its_row_in_the_unit_breakdown_shows(conn):
    row = breakdown(conn, B1, "org_unit").set_index(["date", "value"]).loc[(pd.Timestamp(release.D1).date(), "U1")]
    alone = share_series(conn, Filters.of({"org_unit": ["U1"]})).iloc[-1]
    assert not row["suppressed"] and not alone["suppressed"]
    assert (alone["women"], alone["men"], alone["headcount"]) == (row["women"], row["men"], row["headcount"])


def test_respondents_of_gender_x_are_a_group_when_there_are_enough(conn):
    doc = survey_document(conn, Filters(), "q1", "gender", 2024, None)
    x = next(r for r in doc["rows"] if r["group"] == "X")
    assert (x["n"], x["pct_favourable"]) == (12, 50.0)


def test_a_vendors_other_row_is_kept_and_rows_suppressed_at_source_stay(conn):
    doc = survey_document(conn, Filters(), "belonging", "gender", 2024, None, "aggregate")
    x = next(r for r in doc["rows"] if r["group"] == "X")
    assert (x["n"], x["pct_favourable"]) == (12, 50.0)
    split = survey_document(conn, Filters(), "belonging", "gender+branch", 2024, None, "aggregate")
    groups = {r["group"]: r for r in split["rows"]}
    assert "F | B2" in groups and groups["F | B2"]["suppressed"] and groups["F | B2"]["n"] is None


@pytest.fixture(scope="module")
def small_demo(tmp_path_factory):
    from di_metrics.demo.build import build_demo

    engine = open_database(f"duckdb:///{tmp_path_factory.mktemp('demo3000') / 'demo.duckdb'}")
    build_demo(engine, persons=3000)
    with store.connect(engine) as c:
        yield c
    engine.dispose()


def test_in_the_demo_a_unit_alone_shows_what_its_breakdown_row_shows(small_demo):
    """Selected alone, every unit of the demo (3,000 persons) is hidden exactly when its row of the unit breakdown
    is: none is hidden whole because of its persons of gender X (the full demo hid DMO Logistiek, 1,279 persons,
    for its 3 X)."""
    from di_metrics.queries.workforce import snapshot_dates

    last = snapshot_dates(small_demo)[-1]
    rows = breakdown(small_demo, Filters(), "org_unit")
    rows = rows[rows["date"] == last].set_index("value")
    for unit, row in rows.iterrows():
        alone = share_series(small_demo, Filters.of({"org_unit": [unit]})).set_index("date").loc[last]
        assert bool(alone["suppressed"]) == bool(row["suppressed"]), unit  # the filter and the breakdown agree


def _small_counts_given(conn, dims: tuple[str, ...]) -> list[tuple]:
    """Every value of `dims` alone: a count of hires or exits between 1 and k-1 is shown only where the shown
    figures give it: its line's total (the whole's for a rank group, its branch's for a unit, shown exactly) minus
    the line's groups' counts, each shown or 0 (nobody of any gender moved: an attacker is taken to know where
    someone moved, not their gender, docs/privacy.md; a 0 beside a withheld count is withheld). Counted on each
    group's own edge, so the sum is the line's total only where nobody moved between the line's groups. Returns
    the small counts it checked (dimension, value, (year, gender, measure)), so a caller can tell it checked any."""

    def counts(f: Filters) -> dict:
        return {(r.year, r.gender, m): getattr(r, m) for r in flows(conn, f).rows for m in ("hires", "exits")}

    k, values, moved, checked = min_workforce_cell(), cells.dimension_values(conn), {}, []
    for dim in dims:
        for value in values[dim]:
            for key, count in counts(Filters.of({dim: [value]})).items():
                if count is None or not 0 < count < k:
                    continue
                line = Filters()
                if dim == "org_unit":
                    line = Filters.of({"branch": dimension_values(conn, "branch", Filters.of({dim: [value]}))})
                others = []
                for v in dimension_values(conn, dim, line):
                    shown = counts(Filters.of({dim: [v]})).get(key, 0)
                    if (dim, v) not in moved:  # the test's own SQL over the transitions
                        moved[dim, v] = moves.own_flows(conn, {dim: [v]})
                    nobody = not any(n for (y, _, m), n in moved[dim, v].items() if (y, m) == (key[0], key[2]))
                    assert shown is not None or nobody, (dim, value, key, count, v)
                    others.append(shown or 0)
                assert sum(others) == counts(line)[key], (dim, value, key, count)
                checked.append((dim, value, key))
    return checked


def test_in_the_demo_a_flow_count_under_the_minimum_is_shown_below_the_branch_level_only_where_shown_figures_give_it(
    small_demo,
):
    """Every rank group and unit of the demo (3,000 persons) alone (`_small_counts_given`). Before the flows were
    decided on each group's own edge, 41 counts of 1 to 4 were shown that the parent's table read as given (e.g.
    women made hoofdofficier in 2019: 1, a promotion); a stop-gap then withheld every count under k, also the 24
    the shown figures give (e.g. the whole's one X hired in 2017, a manschap), which the attacker reads back all
    the same. Since a gender's 0 where someone else moved is a count under k (session 15), the other rank groups'
    X 0s no longer give that manschap, and the demo shows no such count: here the check guards against one shown
    again that the shown figures do not give; the hand-made organisations below show that it checks."""
    _small_counts_given(small_demo, ("rank_group", "org_unit"))


D0, D1 = "2022-12-31", "2023-12-31"


def _three_units(engine, folder, men_hired_by_u2: int):
    """One branch B1 of units U1, U2 and U3, all manschappen: each holds 10 women and 10 men on both dates, who
    stay where they are. In 2023 one woman joins U1 from outside, and `men_hired_by_u2` men join U2 from outside;
    nobody leaves and nobody moves between the units."""
    people = [(f"{u}{g}{i}", g, {D0: u, D1: u}) for u in ("U1", "U2", "U3") for g in "FM" for i in range(10)]
    people += [("U1Fnew", "F", {D1: "U1"})] + [(f"U2Mnew{i}", "M", {D1: "U2"}) for i in range(men_hired_by_u2)]
    return moves.one_branch(engine, folder, people)


def _women_hired(conn, selection: dict):
    return next(r.hires for r in flows(conn, Filters.of(selection)).rows if (r.year, r.gender) == (2023, "F"))


def test_a_units_small_count_is_shown_where_its_branch_minus_the_other_units_gives_it(engine, tmp_path):
    """By hand, k = 5: B1 hired 1 woman in 2023 (shown exactly, a branch). U2 and U3 hired and lost nobody of any
    gender, so their 0 women hired are known and shown; nobody moved between the units, so U1's women hired are
    B1's minus U2's minus U3's: 1 - 0 - 0 = 1, under k and shown. It is the one small count a unit alone shows
    (nobody left any unit: every exit is 0; the men's hires are 0), and the rank group manschappen, the whole,
    shows the same 1 (its line is the whole alone)."""
    assert min_workforce_cell() == 5
    with _three_units(engine, tmp_path, men_hired_by_u2=0) as conn:
        assert _women_hired(conn, {"branch": ["B1"]}) == 1
        assert [_women_hired(conn, {"org_unit": [u]}) for u in ("U1", "U2", "U3")] == [1, 0, 0]
        assert _small_counts_given(conn, ("rank_group", "org_unit")) == [
            ("rank_group", "manschappen", (2023, "F", "hires")),
            ("org_unit", "U1", (2023, "F", "hires")),
        ]


def test_a_units_small_count_is_withheld_where_a_sibling_s_0_is_withheld(engine, tmp_path):
    """The same, but U2 hired 5 men: U2's 0 women hired is a count under k (someone moved there, and the attacker
    does not know the gender), withheld, so B1's 1 woman minus U3's 0 is U1's and U2's together (1 = 1 + 0 or
    0 + 1): U1's 1 is not given and is withheld too."""
    with _three_units(engine, tmp_path, men_hired_by_u2=5) as conn:
        assert _women_hired(conn, {"branch": ["B1"]}) == 1
        assert [_women_hired(conn, {"org_unit": [u]}) for u in ("U1", "U2", "U3")] == [None, None, 0]
        assert _small_counts_given(conn, ("org_unit",)) == []  # U1's 1 withheld; U2's 5 men are not under k
