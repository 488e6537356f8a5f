"""The Survey page's reporting panel and the Measures register's grades, in both languages, on the demo."""

from __future__ import annotations

import pytest

from di_metrics import i18n
from di_metrics.analysis.claims_effects import did_claim, its_claim
from di_metrics.analysis.measure_effects import measure_effects
from di_metrics.models.claims import holds
from di_metrics.present.claims import render
from di_metrics.queries.names import display_names
from di_metrics.storage import store
from di_metrics.storage.database import open_database
from tests.support import no_failure

SURVEY, MEASURES = "pages/survey.py", "pages/measures.py"


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_the_survey_page_asks_more_incidents_or_more_willingness_and_answers_from_the_split(app, lang):
    at = app(SURVEY, lang=lang)
    no_failure(at)
    assert i18n.t("safety_evidence.title", lang) in [h.value for h in at.subheader]
    answer = {"en": "2023 to 2025: formal reports changed by +", "nl": "2023 tot 2025: de formele meldingen"}[lang]
    assert any(m.value.startswith(answer) for m in at.markdown)
    (table,) = [d.value for d in at.dataframe if i18n.t("safety_evidence.col_rate", lang) in d.value.columns]
    years = table.set_index(i18n.t("safety_evidence.col_year", lang))
    assert years.loc["2024", i18n.t("safety_evidence.col_rate", lang)] == "–"  # no wave: unknown, not zero
    assert "per 100" in years.loc["2025", i18n.t("safety_evidence.col_rate", lang)]
    why_not = {"en": "Without a survey wave in both years", "nl": "Zonder enquêteronde in beide jaren"}[lang]
    assert any(why_not in c.value for c in at.caption)  # the last year's change has no split, and says so


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_the_measures_register_leads_with_each_grade(app, lang):
    at = app(MEASURES, lang=lang)
    no_failure(at)
    assert i18n.t("safety_evidence.effects_title", lang) in [h.value for h in at.subheader]
    grade = i18n.t("safety_evidence.col_grade", lang)
    (table,) = [d.value for d in at.dataframe if grade in d.value.columns]
    grades = table.set_index(i18n.t("measures.col_name", lang))[grade]
    adviser, posters = {  # each measure by its name in the reader's language (data/examples/names)
        "nl": ("Vertrouwenspersoon in elke eenheid", "Aanspreekposters"),
        "en": ("Confidential adviser in every unit", "Speak-up posters"),
    }[lang]
    assert grades[adviser] == i18n.t("safety_evidence.grade_consistent", lang)
    assert grades[posters] == i18n.t("safety_evidence.grade_no_evidence", lang)
    assert list(table.columns[:2]) == [i18n.t("measures.col_name", lang), grade]
    lines = [m.value for m in at.markdown]
    consistent = i18n.t("safety_evidence.grade_consistent", lang) + ": +"
    assert any(line.startswith(consistent) for line in lines)


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_each_measures_two_methods_are_their_claims_in_the_readers_language(app, demo_db, lang):
    """Under each grade the page shows both methods' lines, each the sentence of a claim that holds (red
    before: the page wrote them from loose results, and the first demo measure's slope read '−0.0 pp')."""
    at = app(MEASURES, lang=lang)
    no_failure(at)
    with store.connect(open_database(demo_db)) as conn:
        effects, named = measure_effects(conn), display_names(conn).label  # parts named as the page names them
    captions = [c.value for c in at.caption]
    for e in effects:
        for claim in (its_claim(e), did_claim(e, label=named)):
            assert holds(claim), claim.id
            assert render(claim, lang) in captions, (claim.id, captions)
    assert not any("−0.0" in c or "−0,0" in c for c in captions)
