"""The hidden selection of the demo (senior officers of 43 Gemechaniseerde Brigade: every workforce figure of it
withheld) as its briefing and its Word report tell it: each blank says what it is, in words."""

from __future__ import annotations

import csv
import io

import pytest

from di_metrics.i18n import t
from di_metrics.present.briefing import build_briefing
from di_metrics.queries.filters import Filters
from tests.support import ROOT

HIDDEN = Filters.of({"rank_group": ["hoofdofficieren"], "org_unit": ["43 Gemechaniseerde Brigade"]})


# What the stamp says in place of a scenario when the selection is hidden, written out here.
NO_SCENARIO = {
    "en": "no scenario: this selection's figures are hidden",
    "nl": "geen scenario: de cijfers van deze selectie zijn afgeschermd",
}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_stamp_of_a_hidden_selection_says_in_words_why_there_is_no_scenario(demo_conn, lang):
    stamp = build_briefing(demo_conn, HIDDEN, lang, {}).stamp
    assert f" · {NO_SCENARIO[lang]} · " in stamp
    assert "· – ·" not in stamp


def _report_lines(data: bytes) -> list[str]:
    from docx import Document

    return [p.text for p in Document(io.BytesIO(data)).paragraphs]


# The branches by the demo's display names (the names file, not the code's output).
BRANCH_NAMES = {
    lang: {
        row["code"]: row[f"name_{lang}"]
        for row in csv.DictReader((ROOT / "data" / "examples" / "names" / "demo_names.csv").open(encoding="utf-8"))
        if row["dimension"] == "branch"
    }
    for lang in ("nl", "en")
}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_reports_difference_in_differences_names_the_parts_as_the_report_does(demo_conn, lang):
    """A measure on one branch compares with the branches no other measure covers: the report names them as its
    other sections do, never by code (it read 'against BS, CLSK, DMO, DOSCO, KMar')."""
    from di_metrics.present.report import build_report

    lead = t("safety_evidence.did_line", lang).split("{parts}")[0]
    lines = [line for line in _report_lines(build_report(demo_conn, HIDDEN, lang, {}, images=False)) if lead in line]
    assert lines  # the demo's measures with uncovered parts
    for line in lines:
        named = line.removeprefix(lead).split(":")[0].split(", ")
        assert len(named) >= 2 and set(named) <= set(BRANCH_NAMES[lang].values()), line


def test_the_hidden_selections_willingness_to_report_is_its_own_survey_figure(demo_conn):
    """View 1 of the hidden selection shows willingness to report at 62.0%: the selection's own figure (its 46
    respondents of 2025 are above the survey minimum; only its split into women and men is withheld), not the
    organisation's 61.6%, so it needs no other scope and is not hidden. Worked out here from the answers."""
    import sqlalchemy as sa

    own, respondents = demo_conn.execute(
        sa.text(
            "with per_item as (select a.item, avg(case when a.answer >= i.favourable_min then 1.0 else 0.0 end) f "
            "from survey_respondent r join survey_answer a on a.wave = r.wave and a.respondent_id = r.respondent_id "
            "join survey_item i on i.item = a.item where r.wave = 2025 and i.construct = 'reporting_willingness' "
            "and r.rank_group = 'hoofdofficieren' and r.org_unit = '43 Gemechaniseerde Brigade' group by a.item) "
            "select avg(f), (select count(*) from survey_respondent where wave = 2025 and rank_group = "
            "'hoofdofficieren' and org_unit = '43 Gemechaniseerde Brigade') from per_item"
        )
    ).one()
    assert respondents == 46
    view = build_briefing(demo_conn, HIDDEN, "en", {}).views[0]
    shown = view.series[t("briefing.latest", "en")][view.categories.index(t("target.reporting_willingness", "en"))]
    assert shown == pytest.approx(float(own)) and round(shown, 3) == 0.620


# What the trend note says when the selection's share is hidden at both ends, written out here.
TREND_HIDDEN = {
    "en": "The women's share of this selection is hidden in {start} and in {end}",
    "nl": "Het aandeel vrouwen van deze selectie is afgeschermd in {start} en in {end}",
}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_trend_note_of_a_hidden_selection_says_hidden_not_a_dash(demo_conn, lang):
    """Every year-end share of the selection is withheld: the note read "went from – in 2015 to – in 2025"."""
    trend = next(v for v in build_briefing(demo_conn, HIDDEN, lang, {}).views if v.key == "trend")
    shares = next(iter(trend.series.values()))
    assert shares and all(s is None for s in shares)
    start, end = trend.categories[0], trend.categories[-1]
    assert trend.notes[0].startswith(TREND_HIDDEN[lang].format(start=start, end=end))
    assert "–" not in " ".join(trend.notes)


# The senior officers' rank group as the catalogue words it, written out here.
SENIOR = {"en": "Senior officers", "nl": "Hoofdofficieren"}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_pipeline_notes_name_the_rank_as_the_chart_does(demo_conn, lang):
    """The hidden selection's pipeline note read 'hoofdofficieren: hidden', the code, beside a chart naming it."""
    pipeline = next(v for v in build_briefing(demo_conn, HIDDEN, lang, {}).views if v.key == "pipeline")
    assert SENIOR[lang] in pipeline.categories
    assert f"{SENIOR[lang]}: {t('privacy.fewer_than', lang)}" in pipeline.notes
    assert not any(n.startswith("hoofdofficieren") for n in pipeline.notes)
