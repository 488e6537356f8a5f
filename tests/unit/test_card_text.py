"""A target card in words (present/claims_whatif.py), from hand-made cards in both languages: the note that gender
X is left out comes apart from the figures' rows, so the page can show it as a caption while the claim still says
it once; and a figure the card cannot know is said in words, with why, never as a dash."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from di_metrics.analysis.claims_text import state_claim
from di_metrics.analysis.claims_whatif import card_claim
from di_metrics.i18n import LANGUAGES, t
from di_metrics.models.standing import TargetStatus
from di_metrics.models.targets import Target
from di_metrics.present import claims_whatif as cw
from di_metrics.present.claims import render

TARGET = Target("women_military", "women_share", 0.30, dt.date(2030, 12, 31), dt.date(2022, 12, 31), 0.11)
# 12.3% on 31 Dec 2025, 0.6 pp up on a year before, 0.42 pp a year over the last three: every figure known
KNOWN = TargetStatus(TARGET, dt.date(2025, 12, 31), 0.123, 0.18, "off_track", 17.7, 8427, 0.006, 0.0354, 0.0042)
# one year-end only (or every earlier figure hidden): the change and the pace have nothing to start from
ONE_YEAR = dataclasses.replace(KNOWN, change_12m=None, actual_pace=None)
# the latest share hidden: nothing of the card can be worked out
HIDDEN = TargetStatus(TARGET, dt.date(2025, 12, 31), None, 0.18, "no_value")

NO_EARLIER = {
    "en": ("not known (no figure shown 12 months earlier)", "not known (no figure shown 3 years earlier)"),
    "nl": ("onbekend (geen cijfer getoond van 12 maanden eerder)", "onbekend (geen cijfer getoond van 3 jaar eerder)"),
}
NOT_KNOWN = {"en": "not known", "nl": "onbekend"}
WHY_NOT = {  # said once, in place of the rows
    "en": "The latest figure is not shown, so nothing is worked out from it: "
    "its change, the gap and the pace are not known.",
    "nl": "Het laatste cijfer wordt niet getoond, dus er wordt niets uit afgeleid: "
    "de verandering, de achterstand en het tempo zijn onbekend.",
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_x_note_comes_apart_from_the_rows_and_the_claim_says_it_once(lang):
    claim = card_claim(dataclasses.replace(KNOWN, x_left_out=True))
    note = t("overview.card_x_left_out", lang, k=claim.params["k"])
    rows, under = cw.card_parts(claim, lang)
    assert under == note and note not in rows
    assert rows.count("\n- ") == 4 and rows.startswith("- ")  # five figures: change, needed, gap, two paces
    assert render(claim, lang).count(note) == 1 and render(claim, lang).startswith(rows)
    assert cw.card_parts(card_claim(KNOWN), lang) == (rows, None) and render(card_claim(KNOWN), lang) == rows


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_change_and_a_pace_without_an_earlier_figure_are_said_in_words(lang):
    values = dict(cw.card_rows(card_claim(ONE_YEAR), lang))
    change, pace = NO_EARLIER[lang]
    assert values[t("overview.card_change", lang)] == change
    assert values[t("overview.card_actual_pace", lang)] == pace
    assert values[t("overview.card_gap", lang)] == ("17.7 pp" if lang == "en" else "17,7 pp")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_hidden_latest_figure_leaves_every_row_unknown_and_the_card_says_why_in_their_place(lang):
    claim = card_claim(HIDDEN)
    rows = cw.card_rows(claim, lang)  # the rows (CLI, checker) are each 'not known'
    assert [name for name, _ in rows] == [
        t(f"overview.card_{k}", lang) for k in ("change", "gap", "pace", "actual_pace")
    ]
    assert all(value == NOT_KNOWN[lang] for _, value in rows), rows
    assert cw.card_parts(claim, lang) == ("", WHY_NOT[lang])  # the card: four 'not known' rows said once
    assert render(claim, lang) == WHY_NOT[lang]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_hidden_target_line_and_slide_note_say_not_shown_without_a_dash(lang):
    """The CLI's status line read 'Women at the top: – (not shown)', the slide's note '– / 30% (not shown)'."""
    name, state = t("target.women_military", lang), t("status.no_value", lang)
    line, note = (render(state_claim(HIDDEN, "cli", form), lang) for form in ("line", "note"))
    assert "–" not in line + note
    assert line == t("cli.status_target_unshown", lang, name=name, state=state, value="30%", deadline="2030")
    assert note == f"{name}: {state} / 30%"
