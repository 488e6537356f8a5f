"""AppTest of the Career page on the demo, in both languages: each view renders, the intake's needed share is
What if?'s required hiring share for the same selection, and hidden figures read as hidden."""

from __future__ import annotations

import json

import pytest

from di_metrics import i18n
from di_metrics.analysis.calibration import calibrate
from di_metrics.config import min_workforce_cell
from di_metrics.models.projection import required_hire_share
from di_metrics.storage import store
from di_metrics.storage.database import open_database
from tests.support import no_failure


def _figures(at) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


@pytest.fixture(scope="module")
def needed(demo_db) -> float:
    """What if?'s required women's share of hires for the whole organisation, from the solver itself."""
    engine = open_database(demo_db)
    with store.connect(engine) as conn:
        share = required_hire_share(calibrate(conn).scenario)
    engine.dispose()
    return share


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_the_career_page_shows_every_view(app, lang, needed):
    at = app("pages/career.py", lang=lang)
    no_failure(at)
    assert at.title[0].value == i18n.t("career.title", lang)
    intake = _figures(at)[0]
    line = next(tr for tr in intake["data"] if tr.get("name") == i18n.t("career.needed", lang))
    assert line["y"][0] == pytest.approx(needed, abs=5e-4)  # rounded to the displayed precision
    assert i18n.fmt_pct(needed, lang) in _title(intake)
    for view, finding in (
        ("retention", None),
        ("promotion", None),
        ("pyramid", i18n.t("career.pyramid_top", lang, parts="X", target="Y").split("X")[0]),
        ("matrix", None),
    ):
        at.session_state["career_view"] = view
        at.run()
        no_failure(at)
        assert _figures(at), view
        if finding:
            assert _title(_figures(at)[0]).startswith(finding)


def _title(figure: dict) -> str:
    return " ".join(figure["layout"]["title"]["text"].replace("<br>", " ").split())


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_each_views_sentence_is_said_once(app, lang):
    """The sentence of a view is its chart's title; no heading, warning or caption on the page repeats it."""
    at = app("pages/career.py", lang=lang)
    for view in ("intake", "retention", "promotion", "pyramid", "matrix"):
        at.session_state["career_view"] = view
        at.run()
        no_failure(at)
        titles = {_title(figure) for figure in _figures(at)}
        said = [" ".join(el.value.split()) for kind in ("subheader", "warning", "caption") for el in at.get(kind)]
        assert titles.isdisjoint(said), view


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_the_flag_speaks_of_four_fifths(app, lang):
    at = app("pages/career.py", lang=lang)
    at.session_state["career_view"] = "promotion"
    at.run()
    no_failure(at)
    flags = [w.value for w in at.warning]
    assert flags, "the demo promotes women more slowly to the senior levels"
    rule = {"en": "four-fifths rule", "nl": "vier-vijfderegel"}[lang]
    assert all(rule in text and "discrimin" not in text.lower() for text in flags)
    table = at.dataframe[0].value
    assert i18n.t("career.hidden", lang) in set(table[i18n.t("career.impact_ratio", lang)])  # senior officers


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_a_units_retention_says_why_its_curves_stop_early(app, lang):
    """The demo's Vuursteuncommando hides an entry year's intake, so its curves stop at 7 years (JISTARC did,
    until a gender's 0 where someone else moved became a count under k and its 2017 and 2018 intake were shown):
    the page says why, under the minimum's note (red before: only that note). The organisation's curves are not
    cut, and its page says nothing of it."""
    note = i18n.t("career.retention_cut", lang)
    for unit, said in (("Vuursteuncommando", True), (None, False)):
        at = app("pages/career.py", lang=lang, **({"unit": unit} if unit else {}))
        at.session_state["career_view"] = "retention"
        at.run()
        no_failure(at)
        assert (note in [c.value for c in at.caption]) is said, unit


HIDDEN = {"rank": "hoofdofficieren", "unit": "43 Gemechaniseerde Brigade"}  # its one cell hidden as a complement


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_a_matrix_whose_every_cell_is_hidden_is_said_not_drawn(app, lang):
    """Red before: Plotly drew an empty plot without axes. Now the claim's sentence, and no chart; a unit whose
    matrix is partly hidden keeps its chart with the hidden cells marked."""
    at = app("pages/career.py", lang=lang, **HIDDEN)
    at.session_state["career_view"] = "matrix"
    at.run()
    no_failure(at)
    assert not _figures(at)
    assert [i.value for i in at.info] == [i18n.t("career.matrix_all_hidden", lang)]
    at = app("pages/career.py", lang=lang, unit="11 Luchtmobiele Brigade")
    at.session_state["career_view"] = "matrix"
    at.run()
    no_failure(at)
    (heat,) = _figures(at)[0]["data"]
    marks = [m for row in heat["text"] for m in row]
    assert i18n.t("career.hidden", lang) in marks and any(v is not None for row in heat["z"] for v in row)
    assert not at.info


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_the_matrix_note_says_its_cells_are_read_from_the_release(app, lang):
    """Red before: the note still described the matrix's own per-view rule (a neighbouring cell hidden wherever
    one could be worked out from the matrix's totals). The cells are read from the release's one decision: the
    note says so, with the word a hidden cell shows on the chart beside it, and the minimum."""
    at = app("pages/career.py", lang=lang, unit="11 Luchtmobiele Brigade")
    at.session_state["career_view"] = "matrix"
    at.run()
    no_failure(at)
    (heat,) = _figures(at)[0]["data"]
    word = i18n.t("career.hidden", lang)
    assert word in [m for row in heat["text"] for m in row]
    (note,) = [c.value for c in at.caption if f"“{word}”" in c.value]
    assert str(min_workforce_cell()) in note
    assert not any(old in note for old in ("neighbouring", "naburige", "totals", "totalen"))


NAMES = {"en": ("Army Command", "Navy Command"), "nl": ("Commando Landstrijdkrachten", "Commando Zeestrijdkrachten")}


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_the_matrix_names_its_branches_as_the_sidebar_does(app, lang):
    """Red before: the columns read CLAS, CZSK, ... where the demo's names import names them (the sidebar's
    branch filter shows those names)."""
    at = app("pages/career.py", lang=lang)
    at.session_state["career_view"] = "matrix"
    at.run()
    no_failure(at)
    (heat,) = _figures(at)[0]["data"]
    assert set(NAMES[lang]) <= set(heat["x"]) and not {"CLAS", "CZSK"} & set(heat["x"])
    assert i18n.t("rank.hoofdofficieren", lang) in heat["y"]  # no stored name: the catalogue's word
