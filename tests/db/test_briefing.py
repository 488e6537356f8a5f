"""The briefing deck read back with python-pptx in both languages, and chart images from kaleido."""

from __future__ import annotations

import io
import re
import zipfile

import plotly.graph_objects as go
import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from di_metrics.cli.main import main
from di_metrics.present.images import figure_image
from di_metrics.queries.filters import Filters

STAMP_WORDS = {
    "nl": ("Gegevens per 31 dec 2025", "Groepen van minder dan 5 personen", "Bron: Koers"),
    "en": ("Data as of 31 Dec 2025", "Groups of fewer than 5 persons", "Source: Koers"),
}


def _texts(slide) -> str:
    return " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_deck_has_a_chart_on_every_content_slide_and_the_stamps(demo_db, tmp_path, lang, capsys):
    out = tmp_path / f"deck-{lang}.pptx"
    args = ["export", "briefing", "--out", str(out), "--lang", lang, "--db", demo_db, "--hire-share", "0.4", "--json"]
    assert main(args) == 0
    deck = Presentation(io.BytesIO(out.read_bytes()))
    slides = list(deck.slides)
    # title, status, trend, what-if, pipeline, survey, social safety, reporting, measures, where from (3), career (5),
    # peers
    assert len(slides) == 18
    reporting = {"nl": "meer meldingsbereidheid? Van 2023 tot 2025", "en": "more willingness? From 2023 to 2025"}[lang]
    assert reporting in _texts(slides[7])  # answered from the split between the last two survey waves
    career = [_texts(slide) for slide in slides[12:17]]
    words = {
        "nl": ("nieuwe medewerkers", "nog in dienst", "bevorderd", "In de top", "Aandeel vrouwen naar"),
        "en": ("hires were women", "still in service", "promoted", "At the top", "Women's share by"),
    }[lang]
    assert all(word in text for word, text in zip(words, career, strict=True))
    frontier, allocation, watchlist = (_texts(slide) for slide in slides[9:12])  # the frontier, allocation, watchlist
    words = {
        "nl": ("vrouwen in de instroom bij de huidige uitstroom", "elk onderdeel verhoogt", "onder het groeipad"),
        "en": ("of hires women at today's attrition", "every part raises", "below the glide path"),
    }[lang]
    assert words[0] in frontier and words[1] in allocation and words[2] in watchlist
    for slide in slides[1:]:  # one native, editable chart each, never a picture of one
        assert len([s for s in slide.shapes if s.has_chart]) == 1
        assert not [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        text = _texts(slide)
        assert all(word in text for word in STAMP_WORDS[lang])
        assert slide.notes_slide.notes_text_frame.text.strip()
    whatif = _texts(slides[3])
    if lang == "nl":
        assert "30% in 2030 te halen" in whatif and "40,0% vrouwen in de instroom" in whatif
        assert "vrouwen" in _texts(slides[1]) and "Vrouwen, al het personeel" in [
            c for s in slides[1].shapes if s.has_chart for c in s.chart.plots[0].categories
        ]
    else:
        assert "To reach 30% by 2030" in whatif and "women 40.0% of hires" in whatif
        assert "One lever at a time, with hiring as set: women's attrition needed" in (
            slides[3].notes_slide.notes_text_frame.text
        )
    assert "30%" in _texts(slides[2]) and "2030" in _texts(slides[2])
    for bars in (slides[1], slides[4], slides[5], slides[10]):  # status, pipeline, survey, allocation: with values
        (plot,) = [s.chart.plots[0] for s in bars.shapes if s.has_chart]
        assert plot.has_data_labels and plot.data_labels.number_format == "0.0%"
    (trend,) = [s.chart.plots[0] for s in slides[2].shapes if s.has_chart]
    assert not trend.has_data_labels
    with zipfile.ZipFile(out) as pptx:
        names = pptx.namelist()
    chart_parts = [n for n in names if re.fullmatch(r"ppt/charts/chart\d+\.xml", n)]
    assert len(chart_parts) == len(slides) - 1  # a DrawingML chart part per content slide
    assert len([n for n in names if n.startswith("ppt/embeddings/") and n.endswith(".xlsx")]) == len(slides) - 1
    assert not [n for n in names if n.startswith("ppt/media/")]  # no image anywhere in the deck


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_chance_in_the_deck_carries_its_track_record(demo_db, tmp_path, lang, capsys):
    """Beside "chance of meeting the target" the deck's what-if notes say how often the 90% range held the actual
    share, as far ahead as the deadline goes (or as far as the record does), counted here from the pairs."""
    from di_metrics.analysis.calibration import calibrate
    from di_metrics.analysis.track_record import track_record
    from di_metrics.storage import store
    from di_metrics.storage.database import open_database

    out = tmp_path / f"deck-{lang}.pptx"
    assert main(["export", "briefing", "--out", str(out), "--lang", lang, "--db", demo_db, "--json"]) == 0
    notes = Presentation(io.BytesIO(out.read_bytes())).slides[3].notes_slide.notes_text_frame.text.split("\n")
    engine = open_database(demo_db)
    with store.connect(engine) as conn:
        pairs, start = track_record(conn).pairs, calibrate(conn, Filters()).scenario.start_year
    engine.dispose()
    counts = (pairs["year"] - pairs["origin"]).value_counts()
    h = min((int(x) for x in counts[counts >= 5].index), key=lambda x: (abs(x - (2030 - start)), x))
    ahead = pairs[pairs["year"] - pairs["origin"] == h]
    held = int(((ahead["p05"] <= ahead["actual"]) & (ahead["actual"] <= ahead["p95"])).sum())
    chance = [i for i, line in enumerate(notes) if ("kans" if lang == "nl" else "chance") in line]
    evidence = {
        "nl": f"{held} van de {len(ahead)} keer binnen de 90%-band, {h} jaar na de start",
        "en": f"{held} of {len(ahead)} past starts, {h} years ahead",
    }[lang]
    assert chance and evidence in notes[chance[0] + 2], notes  # after the simulated paths' median
    assert notes[chance[0] + 3].startswith({"nl": "Op deze geschiedenis", "en": "On this history"}[lang])


def test_chart_image_is_a_valid_png_and_svg():
    fig = go.Figure(go.Bar(x=["a", "b"], y=[1, 2]))
    png = figure_image(fig, "png", width=400, height=300, scale=1)
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and int.from_bytes(png[16:20], "big") == 400
    assert figure_image(fig, "svg", width=400, height=300).lstrip().startswith(b"<svg")
    with pytest.raises(ValueError):
        figure_image(fig, "gif")


def test_a_codebook_without_inclusion_still_gives_the_social_safety_view(duckdb_url, tmp_path):
    """Only a willingness-to-report item: no inclusion view, and the safety view on its own waves, by hand."""
    from di_metrics.present.briefing import survey_views
    from di_metrics.storage import store

    (tmp_path / "items.csv").write_text(
        "item,construct,text_nl,text_en,scale_min,scale_max,favourable_min,reverse\n"
        "s1,reporting_willingness,Ik zou melden,I would report,1,5,4,false\n"
    )
    answers = ["wave,respondent_id,s1"]
    for wave, favourable in ((2024, 6), (2025, 9)):  # 12 respondents a wave, `favourable` of them answer 4 or 5
        answers += [f"{wave},R{wave}{i},{4 if i < favourable else 2}" for i in range(12)]
    (tmp_path / "answers.csv").write_text("\n".join(answers) + "\n")
    assert main(["import", "items", str(tmp_path / "items.csv"), "--db", duckdb_url]) == 0
    assert main(["import", "survey", str(tmp_path / "answers.csv"), "--db", duckdb_url]) == 0
    engine = store.make_engine(duckdb_url)
    with store.connect(engine) as conn:
        (view,) = survey_views(conn, Filters(), "en")
    assert view.key == "safety" and view.categories == ["2024", "2025"]
    (values,) = view.series.values()
    assert values == pytest.approx([6 / 12, 9 / 12])
