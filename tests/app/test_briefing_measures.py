"""The briefing and the deck lead the measures with their evidence grades (issue 30): each measure by its name in
the reader's language, its grade beside it, and its grade line exactly as the Measures page shows it, from the
same claim, which the claims checker reads on the deck too."""

from __future__ import annotations

import csv
import io

import pytest
from pptx import Presentation

from di_metrics import i18n
from di_metrics.analysis.claims import claims_for
from di_metrics.analysis.measure_effects import measure_effects
from di_metrics.models.claims import holds
from di_metrics.present.briefing import build_briefing
from di_metrics.present.deck import build_deck
from di_metrics.queries.filters import Filters
from di_metrics.storage import store
from di_metrics.storage.database import open_database
from tests.support import ROOT, no_failure

MEASURES = "pages/measures.py"
# The demo's register, by hand: the confidential advisers were planted with an effect on one branch; the posters
# were planted with none. Each measure's name in the reader's language is read from the demo's names file.
ADVISER, POSTERS = "Confidential adviser in every unit", "Speak-up posters"
GRADE = {"nl": {ADVISER: "Consistent", POSTERS: "Geen bewijs"}, "en": {ADVISER: "Consistent", POSTERS: "No evidence"}}


def _names(lang: str) -> dict[str, str]:
    with (ROOT / "data/examples/names/demo_names.csv").open(encoding="utf-8") as f:
        return {r["code"]: r[f"name_{lang}"] for r in csv.DictReader(f) if r["dimension"] == "measure"}


def _page_lines(at, lang: str) -> dict[str, str]:
    """Each measure's grade line as the Measures page renders it: the first line in the expander it names
    "measure: grade" (the register's edit forms are expanders too)."""
    grades = {i18n.t(f"safety_evidence.grade_{g}", lang) for g in ("no_evidence", "suggestive", "consistent")}
    split = [(e.label.rsplit(": ", 1), e) for e in at.expander]
    return {label[0]: e.markdown[0].value for label, e in split if label[-1] in grades and e.markdown}


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_the_deck_and_the_briefing_carry_each_grade_line_as_the_measures_page_renders_it(app, demo_db, lang):
    at = app(MEASURES, lang=lang)
    no_failure(at)
    page = _page_lines(at, lang)
    engine = open_database(demo_db)
    with store.connect(engine) as conn:
        names = [e.measure.name for e in measure_effects(conn)]
        briefing = build_briefing(conn, Filters(), lang)
        deck_grades = [c for c in claims_for(conn) if c.kind == "safety_grade" and c.surface == "deck"]
    engine.dispose()
    shown = _names(lang)
    assert len(names) == 6 and set(page) == {shown[n] for n in names}  # the page names them as the deck does
    (view,) = [v for v in briefing.views if v.key == "measures"]
    assert view.title == i18n.t("safety_evidence.measures_title", lang)
    for name in names:  # the name in the reader's language, then the page's line, word for word
        assert f"{shown[name]}. {page[shown[name]]}" in view.notes, (name, view.notes)
    for name in (ADVISER, POSTERS):
        assert f"{shown[name]} · {GRADE[lang][name]}" in view.categories
    (values,) = view.series.values()
    adviser = view.categories.index(f"{shown[ADVISER]} · {GRADE[lang][ADVISER]}")
    effect = page[shown[ADVISER]].split("+", 1)[1].split(" pp", 1)[0]  # "Consistent: +11.7 pp: ..." on the page
    assert f"{values[adviser]:.1f}" == effect.replace(",", ".")  # the bar is the change the grade rests on
    assert values[view.categories.index(f"{shown[POSTERS]} · {GRADE[lang][POSTERS]}")] is None  # no evidence, no bar

    deck = Presentation(io.BytesIO(build_deck(briefing)))
    (slide,) = [
        s for s in deck.slides if any(sh.has_text_frame and sh.text_frame.text == view.title for sh in s.shapes)
    ]
    notes = slide.notes_slide.notes_text_frame.text.split("\n")
    for name in names:
        assert f"{shown[name]}. {page[shown[name]]}" in notes
    (chart,) = [sh.chart for sh in slide.shapes if sh.has_chart]
    assert f"{shown[ADVISER]} · {GRADE[lang][ADVISER]}" in list(chart.plots[0].categories)

    assert sorted(c.id for c in deck_grades) == sorted(f"grade:{n}" for n in names)  # the checker reads the deck's
    assert all(holds(c) for c in deck_grades)
