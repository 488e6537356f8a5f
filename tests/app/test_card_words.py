"""The Overview's target cards on the demo say a figure they cannot know in words, never as a dash. At
11 Luchtmobiele Brigade the top ranks hold 1 woman and 17 men on the last date (read from the stored cube), fewer
than 5 women: the top card's share is hidden, so its change, gap and both paces are not known either: the card
shows no number and no rows (four rows of 'not known' said nothing), and says why once."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from di_metrics import i18n
from di_metrics.storage import store
from tests.support import no_failure

UNIT = "11 Luchtmobiele Brigade"
NOT_KNOWN = {"en": "not known", "nl": "onbekend"}
WHY_NOT = {
    "en": "The latest figure is not shown, so nothing is worked out from it: "
    "its change, the gap and the pace are not known.",
    "nl": "Het laatste cijfer wordt niet getoond, dus er wordt niets uit afgeleid: "
    "de verandering, de achterstand en het tempo zijn onbekend.",
}


def test_the_units_top_ranks_hold_fewer_than_five_women(demo_db):
    engine = store.make_engine(demo_db)
    with store.connect(engine) as conn:
        found = conn.execute(
            sa.text(
                "select gender, sum(headcount) from headcount_cube where org_unit = :unit and rank_group in "
                "('opperofficieren', 'schaal 13+') and snapshot_date = (select max(snapshot_date) from "
                "headcount_cube) group by gender"
            ),
            {"unit": UNIT},
        ).all()
    engine.dispose()
    assert dict(found) == {"F": 1, "M": 17}


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_no_card_row_reads_a_dash_and_the_hidden_top_card_says_why(app, lang):
    at = app("pages/overview.py", lang=lang, unit=UNIT)
    no_failure(at)
    rows = [line for m in at.markdown for line in m.value.splitlines() if line.startswith("- ")]
    assert rows and not [r for r in rows if r.endswith("**–**")], rows
    assert not [r for r in rows if r.endswith(f": **{NOT_KNOWN[lang]}**")]  # the top card's four: said once
    assert [c.value for c in at.caption].count(WHY_NOT[lang]) == 1
    assert not [m.value for m in at.markdown if m.value.startswith("### ") and "–" in m.value]  # no dash number
