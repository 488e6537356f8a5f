"""The briefing's measures view and its slide, from hand-made measures against sentences written out by hand: each
measure by its name in the reader's language with its grade, a bar for the change the grade rests on and none
without evidence, and each grade line in the notes of the view and the slide."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pptx import Presentation

from di_metrics.i18n import t
from di_metrics.models.names import Names
from di_metrics.present.deck import build_deck
from di_metrics.present.safety_views import measures_view
from di_metrics.present.views import Briefing
from tests.support.safety import CONSISTENT, FEW

# CONSISTENT is the measure "m" (both methods agree, the series' effect +11.7 pp); FEW has one known point after its
# start, too few for either method. Only "m" has a stored name.
NAMES = Names({("measure", "m"): ("Maatregel M", "Measure M")})
EXPECTED = {
    "en": (
        ["Measure M · Consistent", "few · No evidence"],
        [
            "Measure M. Consistent: +11.7 pp: its own series and the comparison with the parts it did not cover "
            "agree, and the tests at false dates are quiet.",
            "few. No evidence: too few points before or after the start to compare with what would have happened "
            "anyway.",
        ],
    ),
    "nl": (
        ["Maatregel M · Consistent", "few · Geen bewijs"],
        [
            "Maatregel M. Consistent: +11,7 pp: de eigen reeks en de vergelijking met de niet-betrokken delen komen "
            "overeen, en de toetsen op valse data zijn stil.",
            "few. Geen bewijs: te weinig punten voor of na de start om te vergelijken met wat anders was gebeurd.",
        ],
    ),
}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_measures_view_and_slide_lead_with_each_grade(lang):
    categories, lines = EXPECTED[lang]
    view = measures_view((CONSISTENT, FEW), NAMES, lang)
    assert view is not None and view.key == "measures"
    assert view.title == {"nl": "Maatregelen: wat het bewijs zegt", "en": "Measures: what the evidence says"}[lang]
    assert view.categories == categories
    assert list(view.series.values()) == [[11.7, None]]  # no evidence: no bar, never a zero
    assert view.notes[:2] == lines and view.notes[2] == t("safety_evidence.caveat", lang)

    deck = Presentation(io.BytesIO(build_deck(Briefing([view], dt.date(2025, 12, 31), "stamp", lang))))
    slide = deck.slides[1]
    assert slide.notes_slide.notes_text_frame.text.split("\n")[1:3] == lines  # after the title, as on the page
    (chart,) = [s.chart for s in slide.shapes if s.has_chart]
    assert list(chart.plots[0].categories) == categories
    assert list(chart.plots[0].series[0].values) == [11.7, None]


def test_no_measures_no_view():
    assert measures_view((), NAMES, "en") is None
