"""Measures on every trend chart of their indicator, and the Measures page's population in all four dimensions,
on a hand-made database: the handmade workforce, two survey waves, a training indicator and five measures
whose dates are chosen so that some lie inside each chart's dates and some outside."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
import streamlit as st
from streamlit.testing.v1 import AppTest

from di_metrics import i18n
from di_metrics.errors import InvalidInput
from di_metrics.storage import store
from di_metrics.storage.database import open_database
from di_metrics.storage.ingest import import_file
from tests.support import ROOT, no_failure
from tests.support.handmade import write_csv

CODEBOOK = """item,construct,text_nl,text_en,scale_min,scale_max,favourable_min,reverse
q1,reporting_willingness,Ik zou melden,I would report,1,5,4,false
q2,inclusion,Ik hoor erbij,I belong,1,5,4,false
"""
# Waves 2021 and 2024 (drawn at 30 June): 12 respondents each, above the survey minimum of 10.
ANSWERS = "wave,respondent_id,gender,q1,q2\n" + "".join(
    f"{wave},R{wave}{i},{'F' if i < 6 else 'M'},{5 if i < 8 else 2},4\n" for wave in (2021, 2024) for i in range(12)
)
# The training indicator (a fraction), year ends 2020 to 2024.
INDICATORS = "indicator,date,value\n" + "".join(
    f"training_social_safety,{y}-12-31,{v}\n"
    for y, v in zip(range(2020, 2025), (0.2, 0.3, 0.45, 0.6, 0.7), strict=True)
)
MEASURES = """name,start_date,indicator,status,branch
Speak-up week,2022-03-01,survey:reporting_willingness,running,
Willingness target push,2023-09-01,reporting_willingness,running,B1
Late survey measure,2025-03-01,survey:reporting_willingness,planned,
Course renewal,2022-04-01,indicator:training_social_safety,completed,
Old course,2019-01-01,training_social_safety,completed,
"""
# What each chart must mark (name: start): a measure starting outside a chart's dates is not drawn.
SAFETY_MARKS = {"Speak-up week": "2022-03-01", "Willingness target push": "2023-09-01"}  # waves 2021-06-30..2024-06-30
INDICATOR_MARKS = {"Course renewal": "2022-04-01"}  # 2020-12-31..2024-12-31; "Old course" (2019) lies before


@pytest.fixture
def marked_db(tmp_path) -> str:
    url = f"duckdb:///{tmp_path / 'marked.duckdb'}"
    engine = open_database(url)
    files = {
        "workforce": write_csv(tmp_path / "workforce.csv"),
        "items": tmp_path / "items.csv",
        "survey": tmp_path / "answers.csv",
        "indicators": tmp_path / "indicators.csv",
        "measures": tmp_path / "measures.csv",
    }
    for kind, text in (("items", CODEBOOK), ("survey", ANSWERS), ("indicators", INDICATORS), ("measures", MEASURES)):
        files[kind].write_text(text, encoding="utf-8")
    for kind, path in files.items():
        import_file(engine, kind, path)
    engine.dispose()
    return url


@pytest.fixture
def open_app(marked_db, monkeypatch, modern_pages):
    monkeypatch.setenv("KOERS_DATABASE_URL", marked_db)
    st.cache_data.clear()
    st.cache_resource.clear()

    def run(page: str, lang: str = "en") -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.query_params["lang"] = lang
        at.run()
        at.switch_page(page).run()
        no_failure(at)
        return at

    yield run
    st.cache_data.clear()
    st.cache_resource.clear()


def _chart(at: AppTest, title_start: str) -> dict:
    figures = [json.loads(el.proto.spec) for el in at.get("plotly_chart")]
    return next(f for f in figures if f["layout"]["title"]["text"].replace("<br>", " ").startswith(title_start))


def _marks(figure: dict) -> dict[str, str]:
    """Each measure mark as {full name from the hover: start date}, checking the line drawn at the same date."""
    notes = [a for a in figure["layout"]["annotations"] if a.get("name") == "measure"]
    lines = sorted(s["x0"][:10] for s in figure["layout"].get("shapes", []) if s.get("line", {}).get("dash") == "dot")
    assert sorted(a["x"][:10] for a in notes) == lines
    return {a["hovertext"].split("<br>")[0]: a["x"][:10] for a in notes}


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_the_survey_safety_panel_marks_its_measures_inside_its_waves(open_app, lang):
    at = open_app("pages/survey.py", lang)
    panel = _chart(at, i18n.t("survey.safety_title", lang))
    willingness = next(tr for tr in panel["data"] if tr["name"] == i18n.t("survey.safety_willingness", lang))
    assert [x[:10] for x in willingness["x"]] == ["2021-06-30", "2024-06-30"]  # the waves, mid-year
    assert _marks(panel) == SAFETY_MARKS
    speak_up = next(a for a in panel["layout"]["annotations"] if a.get("name") == "measure" and a["x"] < "2023")
    assert speak_up["text"] == "Speak-up week"
    # The hover says when it started, in the reader's language: 1 March 2022.
    assert speak_up["hovertext"] == i18n.t(
        "measures.mark_hover",
        lang,
        name="Speak-up week",
        date=i18n.fmt_date(__import__("datetime").date(2022, 3, 1), lang),
    )
    assert i18n.t("measures.marks_note", lang) in [c.value for c in at.caption]


def test_the_indicator_trend_marks_its_measures_inside_its_dates(open_app):
    at = open_app("pages/survey.py")
    # 70% at the end of 2024, the last value of the file.
    trend = _chart(
        at,
        i18n.t(
            "measures.indicator_title", "en", name=i18n.label("target", "training_social_safety", "en"), value="70.0%"
        ),
    )
    assert [x[:10] for x in trend["data"][0]["x"]] == [f"{y}-12-31" for y in range(2020, 2025)]
    assert _marks(trend) == INDICATOR_MARKS
    (mark,) = [a for a in trend["layout"]["annotations"] if a.get("name") == "measure"]
    assert mark["text"] == "Course renewal"


def test_a_long_name_is_shortened_on_the_chart_and_whole_in_the_hover():
    import datetime as dt

    from di_metrics.present.charts.survey import indicator_trend

    name = "A very long measure name that would run over the other marks"
    points = [(dt.date(2020, 12, 31), 0.2), (dt.date(2022, 12, 31), 0.4)]
    fig = json.loads(indicator_trend(points, "nl", "T", [(name, dt.date(2021, 5, 1))]).to_json())
    (mark,) = [a for a in fig["layout"]["annotations"] if a.get("name") == "measure"]
    assert len(mark["text"]) <= 30 and mark["text"].endswith("…")
    assert mark["hovertext"] == f"{name}<br>gestart op 1 mei 2021"


def _stored(url: str) -> dict[str, dict]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = {r["name"]: dict(r) for r in conn.execute(sa.select(store.measure)).mappings()}
    engine.dispose()
    return rows


def test_the_targets_page_sets_a_population_in_all_four_dimensions(open_app, marked_db):
    at = open_app("pages/measures.py")
    assert at.selectbox(key="measure_new_rank_group").options == [
        "All",
        "Enlisted",
        "Officers",
    ]  # manschappen, officieren
    assert at.selectbox(key="measure_new_org_unit").options == ["All", "U1", "U2"]
    at.text_input(key="measure_new_name").input("Officer mentoring")
    at.date_input(key="measure_new_start").set_value("2024-07-01")
    at.selectbox(key="measure_new_personnel_category").set_value("military")
    at.selectbox(key="measure_new_branch").set_value("B1")
    at.selectbox(key="measure_new_rank_group").set_value("officieren")
    at.selectbox(key="measure_new_org_unit").set_value("U2")
    at.button(key="FormSubmitter:measure_new-Save measure").click().run()
    no_failure(at)
    row = _stored(marked_db)["Officer mentoring"]
    assert {d: row[d] for d in ("personnel_category", "branch", "rank_group", "org_unit")} == {
        "personnel_category": "military",
        "branch": "B1",
        "rank_group": "officieren",
        "org_unit": "U2",
    }
    register = next(d.value for d in at.dataframe if "Owner" in d.value.columns).set_index("Measure")
    assert register.loc["Officer mentoring", "Population"] == i18n.selection_text(
        [(d, (row[d],)) for d in ("branch", "personnel_category", "rank_group", "org_unit")], "en"
    )


def test_a_population_value_the_data_does_not_hold_is_refused_and_nothing_is_written(open_app, marked_db):
    # A measure stored for a unit the workforce data no longer holds (the data was replaced since).
    engine = sa.create_engine(marked_db)
    with engine.begin() as conn:
        conn.execute(store.measure.update().where(store.measure.c.name == "Course renewal").values(org_unit="U9"))
    engine.dispose()
    before = _stored(marked_db)
    at = open_app("pages/measures.py")
    assert at.selectbox(key="measure_Course renewal_org_unit").value == "U9"  # shown as stored, not hidden
    at.text_input(key="measure_Course renewal_owner").input("Training office")
    at.button(key="FormSubmitter:measure_Course renewal-Save measure").click().run()
    assert [e.value for e in at.error] == [i18n.t("measures.error_unknown_value", "en", dimension="Unit", value="U9")]
    assert _stored(marked_db) == before  # nothing was written

    at.selectbox(key="measure_Course renewal_org_unit").select_index(0)  # everyone: accepted
    at.button(key="FormSubmitter:measure_Course renewal-Save measure").click().run()
    no_failure(at)
    after = _stored(marked_db)["Course renewal"]
    assert after["org_unit"] is None and after["owner"] == "Training office"


def test_the_file_import_refuses_the_same_population_value(marked_db, tmp_path):
    engine = open_database(marked_db)
    path = tmp_path / "more.csv"
    path.write_text(
        "name,start_date,indicator,status,org_unit,rank_group\nX,2024-01-01,women_share,running,U9,generaals\n"
    )
    with pytest.raises(InvalidInput) as caught:
        import_file(engine, "measures", path)
    text = str(caught.value)
    assert "column 'org_unit': a value the workforce data does not hold (line 2)" in text
    assert "column 'rank_group'" in text
    with store.connect(engine) as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(store.measure)).scalar() == 5
    engine.dispose()


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_the_briefing_names_the_measures_started_within_its_safety_view(marked_db, lang):
    import datetime as dt

    from di_metrics.present.briefing import build_briefing
    from di_metrics.queries.filters import Filters

    engine = open_database(marked_db)
    with store.connect(engine) as conn:
        views = {v.key: v for v in build_briefing(conn, Filters(), lang).views}
    engine.dispose()
    assert views["safety"].categories == ["2021", "2024"]
    # Within 2021-2024: the speak-up week and the target push, by start; the 2025 measure lies outside.
    speak_up, push = (i18n.fmt_date(dt.date(*d), lang) for d in ((2022, 3, 1), (2023, 9, 1)))
    listed = f"Speak-up week ({speak_up}); Willingness target push ({push})"
    assert views["safety"].notes[-1] == i18n.t("briefing.measures_note", lang, measures=listed)
    dated = [v for k, v in views.items() if k != "measures"]  # the start-date notes: not a survey or share measure
    assert not any("Course renewal" in n for v in dated for n in v.notes)
    assert any(n.startswith("Course renewal. ") for n in views["measures"].notes)  # graded, as every measure is
