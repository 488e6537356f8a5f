"""AppTest of the Peers page, the measures on the overview's trend chart, and the measures register on the
Measures page, on the demo data (which carries the shipped public peer figures and four invented measures)."""

from __future__ import annotations

import json

import pytest

from di_metrics import i18n
from tests.support import no_failure


def _figures(at) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


PEER_NL = ("Verenigde Staten", "Verenigd Koninkrijk", "Nederland")


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_peers_page_draws_our_share_against_the_peers(app, lang):
    at = app("pages/peers.py", lang=lang)
    no_failure(at)
    assert at.title[0].value == i18n.t("peers.title", lang)
    fastest = next(m for m in at.metric if m.label == i18n.t("peers.fastest_metric", lang))
    # By hand: US active duty 14.9% (2013) -> 16.9% (2019) is 2.0 / 6 = 0.333 pp a year, over five years or more.
    assert fastest.value == i18n.t("peers.per_year", lang, pp=i18n.fmt_pp(2.0 / 6, lang, 2))
    needed = next(m for m in at.metric if m.label == i18n.t("peers.needed", lang))
    assert needed.value.endswith(i18n.t("peers.per_year", lang, pp="X").replace("X", ""))
    figure = _figures(at)[0]
    names = {tr.get("name") for tr in figure["data"]}
    # each peer by its name in the reader's language (the demo's names file)
    us, uk, nl = {"en": ("United States", "United Kingdom", "Netherlands"), "nl": PEER_NL}[lang]
    assert {f"{us} · DoD active duty", f"{uk} · Regular Forces", i18n.t("peers.ours", lang)} <= names
    # The flagged Dutch 2017 figure is drawn hollow, in its own trace, and the title carries the finding.
    hollow = [tr for tr in figure["data"] if tr.get("marker", {}).get("symbol") == "circle-open" and tr["x"]]
    assert any(tr["name"] == f"{nl} · Defensie, all personnel" and tr["x"] == [2017] for tr in hollow)
    assert i18n.fmt_number(2.0 / 6, lang, 2) in figure["layout"]["title"]["text"]
    table = at.dataframe[0].value.set_index(i18n.t("peers.col_population", lang))
    assert table.loc["DoD active duty", i18n.t("peers.col_window", lang)] == "2013–2019"
    # UK Regulars 10.3% (Oct 2017) -> 11.7% (Oct 2023) is 1.4 / 6 = 0.233 pp a year.
    assert table.loc["Regular Forces", i18n.t("peers.col_pace", lang)] == i18n.fmt_pp(1.4 / 6, lang, 2)
    # The figures table marks flagged figures too, in value and flag, and leaves verified ones plain.
    figures = next(d.value for d in at.dataframe if i18n.t("peers.col_flag", lang) in d.value.columns)
    population, year, value, flag = (i18n.t(f"peers.col_{c}", lang) for c in ("population", "year", "value", "flag"))
    marked = figures[flag] == i18n.t("peers.flag_yes", lang)
    assert ((figures[flag] == "") | marked).all()
    assert (figures[value].str.endswith(" ⚠") == marked).all()
    dutch_2017 = (figures[population] == "Defensie, all personnel") & figures[year].astype(str).str.startswith("2017")
    assert marked[dutch_2017].any() and not marked[figures[population] == "Regular Forces"].any()


def test_the_overview_trend_marks_each_share_measure_at_its_start(app):
    at = app(lang="en")
    no_failure(at)
    trend = next(f for f in _figures(at) if f["layout"].get("shapes"))
    marks = {a["text"]: a["x"][:10] for a in trend["layout"]["annotations"] if a.get("name") == "measure"}
    # The demo's two measures meant to move a women's share; the training measure is not drawn on this chart.
    assert marks == {"Mentoring network for women": "2019-01-01", "Recruitment campaign 'Join as…": "2021-07-01"}
    assert i18n.t("measures.chart_note", "en") in [c.value for c in at.caption]


def test_a_measure_is_added_refused_when_wrong_and_deleted_after_asking_twice(own_copy):
    at = own_copy("pages/measures.py")
    compared = at.dataframe[-1].value.set_index("Measure")
    assert compared.loc["Mentoring network for women", "Points before / after"] == "16 / 28"

    at.text_input(key="measure_new_name").input("Flexible hours")
    at.date_input(key="measure_new_start").set_value("2024-01-01")
    at.date_input(key="measure_new_end").set_value("2023-01-01")
    at.button(key="FormSubmitter:measure_new-Save measure").click().run()
    assert [e.value for e in at.error] == [i18n.t("measures.error_end_before_start", "en")]
    assert "Flexible hours" not in at.dataframe[-2].value["Measure"].tolist()  # nothing was written

    at.text_input(key="measure_new_name").input("Flexible hours")
    at.date_input(key="measure_new_start").set_value("2024-01-01")
    at.date_input(key="measure_new_end").set_value(None)
    at.button(key="FormSubmitter:measure_new-Save measure").click().run()
    no_failure(at)
    assert "Flexible hours" in at.dataframe[-2].value["Measure"].tolist()

    at.button(key="delete_measure_Flexible hours").click().run()
    assert [w.value for w in at.warning] == [i18n.t("measures.delete_confirm", "en", name="Flexible hours")]
    assert "Flexible hours" in at.dataframe[-2].value["Measure"].tolist()  # asking deleted nothing
    at.button(key="delete_measure_Flexible hours_yes").click().run()
    no_failure(at)
    assert "Flexible hours" not in at.dataframe[-2].value["Measure"].tolist()


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_peers_slide_says_it_from_the_data(demo_db, tmp_path, lang):
    import io

    from pptx import Presentation

    from di_metrics.cli.main import main

    out = tmp_path / "deck.pptx"
    assert main(["export", "briefing", "--out", str(out), "--lang", lang, "--db", demo_db, "--json"]) == 0
    slide = list(Presentation(io.BytesIO(out.read_bytes())).slides)[-1]
    title = slide.shapes[0].text_frame.text
    # By hand from the public files: US active duty 14.9% (2013) -> 16.9% (2019) is 2.0 / 6 = 0.33 pp a year, the
    # fastest over any five years or more; Dutch military 4.9% (1990) -> 7.6% (1999) is 2.7 / 9 = 0.30.
    opening = {
        "en": "No peer grew faster than 0.33 pp a year over any period of 5 years or more",
        "nl": "Geen andere krijgsmacht groeide over een periode van 5 jaar of langer sneller dan 0,33",
    }
    assert title.startswith(opening[lang])
    (plot,) = [s.chart.plots[0] for s in slide.shapes if s.has_chart]
    categories = list(plot.categories)
    united_states = {"en": "United States", "nl": "Verenigde Staten"}[lang]  # the demo's names for the peer
    assert categories[0] == f"{united_states} · DoD active duty (2013–2019)"
    assert categories[-1] == i18n.t("peers.needed_bar", lang, target="30%", deadline="2030")
    values = list(plot.series[0].values)
    assert values[0] == pytest.approx(2.0 / 6) and values[1] == pytest.approx(0.30)
    assert plot.data_labels.number_format == "#,##0.00"
    assert "data/examples/peers/README.md" in slide.notes_slide.notes_text_frame.text


def test_the_briefing_page_shows_the_peers_view(app):
    at = app("pages/briefing.py", lang="en", view="17")  # the last of 17 views, after the career views
    no_failure(at)
    assert at.header[0].value.startswith(
        "No peer grew faster than 0.33 pp a year over any period of 5 years or more (United States, 2013–2019); 30% by"
    )
