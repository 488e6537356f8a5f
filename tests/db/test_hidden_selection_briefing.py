"""The hidden selection of the demo (senior officers of 43 Gemechaniseerde Brigade: every workforce figure of it
withheld) as its briefing and its Word report tell it: each blank says what it is, in words."""

from __future__ import annotations

import pytest

from di_metrics.present.briefing import build_briefing
from di_metrics.queries.filters import Filters
from di_metrics.storage import store

HIDDEN = Filters.of({"rank_group": ["hoofdofficieren"], "org_unit": ["43 Gemechaniseerde Brigade"]})


@pytest.fixture(scope="module")
def demo(demo_db):
    eng = store.make_engine(demo_db)
    with store.connect(eng) as conn:
        yield conn
    eng.dispose()


# What the stamp says in place of a scenario when the selection is hidden, written out here.
NO_SCENARIO = {
    "en": "no scenario: this selection's figures are hidden",
    "nl": "geen scenario: de cijfers van deze selectie zijn afgeschermd",
}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_stamp_of_a_hidden_selection_says_in_words_why_there_is_no_scenario(demo, lang):
    stamp = build_briefing(demo, HIDDEN, lang, {}).stamp
    assert f" · {NO_SCENARIO[lang]} · " in stamp
    assert "· – ·" not in stamp
