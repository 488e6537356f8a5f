"""Gender X on the target cards (the Overview's first screen and the briefing's first view): where the disclosure
rules leave a card's X out, the card says so, never counting it as none. On the demo, 11 Luchtmobiele Brigade
counts its 9 X in the all-personnel figure, while its military 8 are left out by the pattern of the army's
military units (their small X groups together stay under the minimum, so the next smallest goes with them) and
its civilian 1 is a small group."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from di_metrics import i18n
from di_metrics.analysis.claims_text import state_claim
from di_metrics.present.briefing import build_briefing
from di_metrics.present.claims import render
from di_metrics.queries.filters import Filters
from di_metrics.queries.status import status
from di_metrics.storage import store
from tests.support import no_failure

UNIT = "11 Luchtmobiele Brigade"


def _cube(conn, category: str | None) -> dict[str, int]:
    """The unit's persons per gender on the last date, read from the stored cube (not through the app)."""
    rows = conn.execute(
        sa.text(
            "select gender, sum(headcount) from headcount_cube where org_unit = :unit and personnel_category = "
            "coalesce(:category, personnel_category) and snapshot_date = (select max(snapshot_date) from "
            "headcount_cube) group by gender"
        ),
        {"unit": UNIT, "category": category},
    ).all()
    return {g: int(n) for g, n in rows}


def test_a_card_whose_x_is_left_out_says_so_and_the_shares_count_what_they_say(demo_db):
    engine = store.make_engine(demo_db)
    with store.connect(engine) as conn:
        whole, military, civilian = (_cube(conn, c) for c in (None, "military", "civilian"))
        cards = {e.target.name: e for e in status(conn, Filters.of({"org_unit": [UNIT]})).targets}
        notes = build_briefing(conn, Filters.of({"org_unit": [UNIT]}), "en", {}).views[0].notes
    engine.dispose()
    assert whole["X"] == 9 and military["X"] == 8 and civilian["X"] == 1
    # all personnel counts its X; military and civilian leave theirs out, and their shares are women / (women + men)
    assert cards["women_total"].latest == pytest.approx(whole["F"] / (whole["F"] + whole["M"] + whole["X"]))
    assert not cards["women_total"].x_left_out
    for name, n in (("women_military", military), ("women_civilian", civilian)):
        assert cards[name].latest == pytest.approx(n["F"] / (n["F"] + n["M"]))
        assert cards[name].x_left_out
    said = i18n.t("overview.card_x_left_out", "en", k=5)
    for name, entry in cards.items():  # the CLI's status line says it as the card and the slide do
        assert (said in render(state_claim(entry), "en")) == (name in ("women_military", "women_civilian")), name
    named = {i18n.label("target", name, "en"): name for name in cards}
    for note in notes:
        target = named[next(n for n in named if note.startswith(n + ":"))]
        assert (said in note) == (target in ("women_military", "women_civilian")), note


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_the_overview_cards_say_where_x_is_left_out(app, lang):
    at = app("pages/overview.py", lang=lang, unit=UNIT)
    no_failure(at)
    said = i18n.t("overview.card_x_left_out", lang, k=5)
    # a note under the figures, small and muted: on the military and the civilian card, not all personnel
    assert [c.value for c in at.caption].count(said) == 2
    assert not [m.value for m in at.markdown if said in m.value]
