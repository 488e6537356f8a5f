"""Briefing headlines (the deck's slide titles and the report's summary) never print a dash for a withheld
figure: a headline that rests on a hidden value says in words that it is withheld."""

from __future__ import annotations

import pytest

from di_metrics.cli.main import main
from di_metrics.i18n import t
from di_metrics.present.briefing import survey_views
from di_metrics.queries.filters import Filters
from di_metrics.storage import store

CODEBOOK = """item,construct,text_nl,text_en,scale_min,scale_max,favourable_min,reverse
q1,inclusion,Ik hoor erbij,I belong,1,5,4,false
q2,reporting_willingness,Ik zou melden,I would report,1,5,4,false
"""


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_withheld_figure_gets_a_sentence_not_a_dash(db_url, tmp_path, lang):
    # 3 women answered inclusion (under the minimum of 10), so their figure is hidden; only the 3 women
    # answered the willingness question, so the 2025 willingness figure is hidden too
    answers = "wave,respondent_id,gender,q1,q2\n"
    answers += "".join(f"2025,W{i},F,5,5\n" for i in range(3))
    answers += "".join(f"2025,M{i},M,{4 if i < 8 else 2},\n" for i in range(12))
    (tmp_path / "items.csv").write_text(CODEBOOK)
    (tmp_path / "answers.csv").write_text(answers)
    assert main(["import", "items", str(tmp_path / "items.csv"), "--db", db_url]) == 0
    assert main(["import", "survey", str(tmp_path / "answers.csv"), "--db", db_url]) == 0
    eng = store.make_engine(db_url)
    with store.connect(eng) as conn:
        survey, safety = survey_views(conn, Filters(), lang)
    eng.dispose()
    for view in (survey, safety):
        assert "–" not in view.title and "%" not in view.title, view.title
    assert survey.title == t("briefing.survey_title_withheld", lang, wave=2025)
    assert safety.title == t("briefing.safety_title_withheld", lang, wave=2025)
    assert ("niet getoond" if lang == "nl" else "withheld") in survey.title
