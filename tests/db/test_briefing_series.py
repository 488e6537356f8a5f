"""Every briefing view and slide draws distinct series, and the briefing says which scenario it presents.

Issue 28: with no lever set, the what-if view drew "Projection" and "Calibrated baseline" as one line (the
scenario was the baseline, so its path was the baseline's path). The series are compared as data here.
"""

from __future__ import annotations

import io
from itertools import combinations

import pytest
from pptx import Presentation

from di_metrics.i18n import t
from di_metrics.present.briefing import build_briefing
from di_metrics.present.deck import build_deck
from di_metrics.queries.filters import Filters
from di_metrics.storage.database import open_database

# No lever; a target only (it moves no path); hiring and attrition (they move the path).
LEVERS = ({}, {"target": 0.35}, {"hire_share": 0.4, "attrition_women": 0.08})


CASES = [("en", 0), ("en", 1), ("en", 2), ("nl", 0), ("nl", 2)]


@pytest.fixture(scope="module")
def briefings(demo_db):
    engine = open_database(demo_db)
    with engine.connect() as conn:
        made = {(lang, i): build_briefing(conn, Filters(), lang, dict(LEVERS[i])) for lang, i in CASES}
    engine.dispose()
    return made


def _same(one: list, other: list) -> bool:
    return len(one) == len(other) and all(
        (a is None and b is None) or (a is not None and b is not None and abs(a - b) < 1e-4)
        for a, b in zip(one, other, strict=True)
    )


@pytest.mark.parametrize(("lang", "case"), CASES)
def test_no_view_draws_two_series_with_the_same_data(briefings, lang, case):
    for view in briefings[lang, case].views:
        for (a, one), (b, other) in combinations(view.series.items(), 2):
            assert not _same(one, other), f"view {view.key}: {a!r} and {b!r} are the same line"


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_calibrated_scenario_is_one_line_and_the_view_says_so(briefings, lang):
    for case in (0, 1) if lang == "en" else (0,):  # no lever, or only the target: the path is the baseline's
        whatif = next(v for v in briefings[lang, case].views if v.key == "whatif")
        assert t("whatif.baseline", lang) not in whatif.series and "baseline" not in whatif.codes
        assert t("whatif.projection", lang) in whatif.series
        assert whatif.subtitle == t("briefing.whatif_is_baseline", lang)
    moved = next(v for v in briefings[lang, 2].views if v.key == "whatif")
    assert list(moved.codes) == ["projection", "baseline", "range_low", "range_high", "target"]
    assert moved.subtitle == t("briefing.whatif_against_baseline", lang)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_briefing_names_the_scenario_it_presents_with_its_levers(briefings, lang):
    calibrated, moved = briefings[lang, 0].scenario, briefings[lang, 2].scenario
    assert calibrated.startswith(t("briefing.scenario_baseline", lang, scenario=""))
    assert moved.startswith(t("briefing.scenario_given", lang, scenario=""))
    hire, attrition = {"nl": ("40,0%", "8,0%"), "en": ("40.0%", "8.0%")}[lang]
    assert hire in moved and attrition in moved and hire not in calibrated
    if lang == "en":  # a target is a lever set on What if?, even if it moves no path
        target_only = briefings[lang, 1].scenario
        assert target_only.startswith(t("briefing.scenario_given", lang, scenario="")) and "35%" in target_only


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_deck_draws_the_same_distinct_series_and_names_the_scenario(briefings, lang):
    briefing = briefings[lang, 0]
    deck = Presentation(io.BytesIO(build_deck(briefing)))
    slides = list(deck.slides)
    title_text = " ".join(s.text_frame.text for s in slides[0].shapes if s.has_text_frame)
    assert briefing.scenario in title_text
    for slide, view in zip(slides[1:], briefing.views, strict=True):
        chart = next(s.chart for s in slide.shapes if s.has_chart)
        drawn = [(s.name, list(s.values)) for s in chart.plots[0].series]
        for (a, one), (b, other) in combinations(drawn, 2):
            assert not _same(one, other), f"slide {view.key}: {a!r} and {b!r} are the same line"
        if view.key == "whatif":
            assert t("whatif.baseline", lang) not in [name for name, _ in drawn]
            texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
            assert t("briefing.whatif_is_baseline", lang) in texts
