"""Every claim the demo's pages, deck, report and CLI make holds against its figures, in Dutch and English alike
(issue 26), the Overview's cards and chart title, What if?'s outcome, chance, verdict and evidence, and the
career and safety sentences among them; `python -m di_metrics claims --json` lists them in the documented shape."""

from __future__ import annotations

import json

import pytest

from di_metrics.analysis.claims import claims_for
from di_metrics.cli.main import main
from di_metrics.models.claims import CHECKERS, HEADLINE, HIDDEN, PEERS, SURFACES, holds
from di_metrics.present.claims import texts
from di_metrics.queries.filters import Filters
from di_metrics.storage import store
from di_metrics.storage.database import open_database
from tests.support.claims import numbers

SELECTIONS = [Filters(), Filters.of({"branch": ["CLAS"]}), Filters.of({"branch": ["BS"]})]


@pytest.mark.parametrize("filters", SELECTIONS, ids=["all", "CLAS", "BS"])
def test_every_demo_claim_holds_and_says_the_same_numbers_in_both_languages(demo_db, filters):
    with store.connect(open_database(demo_db)) as conn:
        claims = claims_for(conn, filters)
    kinds = {c.kind for c in claims}
    assert {HEADLINE, PEERS} <= kinds
    if not filters.values:  # every kind but a hidden branch's, the exits a shrinking organisation forces, and
        # the sentence said where nobody was hired (test_the_sentence_where_nobody_was_hired_is_a_claim_that_holds)
        # and where a matrix has nothing to draw (test_a_matrix_with_nothing_to_draw_is_a_claim_where_it_is_said)
        # and the stamp where nothing is projected (tests/db/test_unprojected_stamp.py)
        left_out = {HIDDEN, "forced_exits", "career_no_intake", "career_no_matrix", "selection_hidden"}
        assert set(CHECKERS) - left_out <= kinds, set(CHECKERS) - kinds  # the demo grows
    for c in claims:
        nl, en = texts(c)
        assert holds(c), (c.id, en)
        assert sorted(numbers(nl, "nl")) == sorted(numbers(en, "en")), (nl, en)
        assert c.surface in SURFACES


def test_the_sentence_where_nobody_was_hired_is_a_claim_that_holds(demo_db):
    """A unit's senior officers, nobody of whom was hired (they are promoted into the rank): the Career page, the
    report section and the `intake` command say so from one claim that holds."""
    senior = Filters.of({"rank_group": ["hoofdofficieren"], "org_unit": ["43 Gemechaniseerde Brigade"]})
    with store.connect(open_database(demo_db)) as conn:
        claims = claims_for(conn, senior)
    said = [c for c in claims if c.kind == "career_no_intake"]
    assert sorted(c.surface for c in said) == ["cli", "deck", "page", "report"]
    assert all(holds(c) and c.params == {"state": "none_hired"} for c in said)
    assert not any(c.kind == "career_intake" for c in claims)
    assert texts(said[0])[1] == (
        "Nobody joined the organisation into this selection in the years of the data (a move from elsewhere "
        "in the organisation is no intake): there is no intake to show."
    )


def test_a_matrix_with_nothing_to_draw_is_a_claim_where_it_is_said(demo_db):
    """The same senior officers: their rank-by-branch and rank-by-category matrices hide every cell. The Career
    page says so for both, the deck's intersections slide for the first; the organisation's matrices say none."""
    senior = Filters.of({"rank_group": ["hoofdofficieren"], "org_unit": ["43 Gemechaniseerde Brigade"]})
    with store.connect(open_database(demo_db)) as conn:
        said = [c for c in claims_for(conn, senior) if c.kind == "career_no_matrix"]
        everyone = [c for c in claims_for(conn) if c.kind == "career_no_matrix"]
    assert sorted((c.id, c.surface) for c in said) == [
        ("career_no_matrix:rank_group:branch", "deck"),
        ("career_no_matrix:rank_group:branch", "page"),
        ("career_no_matrix:rank_group:personnel_category", "page"),
    ]
    assert all(holds(c) and c.params == {"state": "hidden"} for c in said)
    assert everyone == []


def test_the_demo_headline_names_both_paces(demo_db):
    with store.connect(open_database(demo_db)) as conn:
        claims = claims_for(conn)
    head = next(c for c in claims if c.kind == HEADLINE)
    bs = next(c for c in claims if c.id == "watch:BS")  # 28% women against a glide path of 21%
    assert " ahead, " in texts(bs)[1] and " voor, " in texts(bs)[0]
    nl, en = texts(head)
    assert "At the pace of the last 3 years 30% would be reached in" in en
    assert "at today's hiring and leaving rates" in en
    assert "In het tempo van de laatste 3 jaar" in nl and "bij de huidige instroom en uitstroom" in nl


def test_the_claims_command_lists_every_claim_in_the_documented_shape(demo_db, capsys):
    assert main(["claims", "--db", demo_db, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert list(doc) == ["claims"] and doc["claims"]
    for row in doc["claims"]:
        assert list(row) == ["id", "kind", "surface", "params", "text_nl", "text_en", "holds"]
        assert row["holds"] is True and row["surface"] in SURFACES
    assert main(["claims", "--db", demo_db, "--lang", "nl"]) == 0
    assert capsys.readouterr().out.startswith("[page] ")
