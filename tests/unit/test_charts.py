"""The house style reaches every chart, in both languages, without being passed to each figure."""

from __future__ import annotations

import io
import json

import pandas as pd
import plotly.io as pio
import pytest

from di_metrics.i18n import t
from di_metrics.present.charts.briefing import view_figure
from di_metrics.present.charts.style import ACTUAL, FONT, GENDER_COLOURS, GLIDE, TARGET
from di_metrics.present.charts.survey import safety_panel, survey_heatmap


def _safety(lang: str):
    measures = pd.DataFrame(
        {
            "key": ["experienced", "reported", "willingness"] * 2,
            "wave": [2023, 2023, 2023, 2025, 2025, 2025],
            "pct_favourable": [20.0, 30.0, 60.0, 18.0, 35.0, 64.0],
        }
    )
    reports = pd.DataFrame({"year": [2023, 2024, 2025], "count": [140, 151, 163]})
    return safety_panel(measures, reports, lang, "Social safety")


def test_every_figure_carries_the_house_style_in_its_own_json():
    spec = json.loads(_safety("en").to_json())  # what the browser and the PNG/SVG export receive
    layout = spec["layout"]
    assert layout["template"]["layout"]["font"]["family"] == FONT
    assert layout["template"]["layout"]["hovermode"] == "x unified"
    assert layout["title"]["text"] == "Social safety"
    assert pio.templates.default == "koers"


def test_number_format_follows_the_language():
    assert _safety("nl").layout.separators == ",."
    assert _safety("en").layout.separators == ".,"


def test_the_second_axis_keeps_its_title():
    for lang in ("nl", "en"):
        fig = _safety(lang)
        assert fig.layout.yaxis2.title.text == t("survey.safety_reports", lang)
        assert fig.layout.yaxis.title.text in ("", None)


def test_the_count_axis_ticks_are_whole_and_fall_on_the_percentage_lines():
    """163 reports at most: five steps of 40 (0-200), so each count tick sits on a 20% line; plotly's own ticks
    for an overlaid axis were 34.3, 68.6, 102.9 ... on the demo."""
    axis = _safety("en").layout.yaxis2
    assert (tuple(axis.range), axis.dtick) == ((0, 200), 40)


def test_the_house_style_holds_when_streamlit_is_imported_after_the_charts():
    """Streamlit sets its own default template on import; a process that imports it later still gets Koers's."""
    import subprocess
    import sys

    code = (
        "import json; from di_metrics.present.charts.briefing import view_figure; import streamlit; "
        "import plotly.io as pio; fig = view_figure(['a'], {'x': [0.2]}, 'bar', 'en', 'T'); "
        "print(json.loads(fig.to_json())['layout']['template']['layout']['font']['family'], pio.templates.default)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == [*FONT.split(), "koers"]


def test_briefing_bars_carry_their_value_in_the_language_and_fit_it():
    fig = view_figure(["a", "b"], {"Latest": [0.171, 1.0]}, "bar", "nl", "T", large=True)
    assert fig.data[0].text == ("17,1%", "100,0%")
    assert fig.layout.xaxis.range == (0, 1.12)  # the label beside the 100% bar stays on the slide
    assert fig.layout.xaxis.tickfont.size == fig.layout.yaxis.tickfont.size == 17  # readable on a projector
    line = view_figure(["2025", "2026"], {"Latest": [0.1, 0.2]}, "line", "en", "T")
    assert line.data[0].text is None


def test_briefing_bars_below_zero_stay_on_the_axis():
    """A measure's change can be negative: its bar reaches left of zero with room for its value (red before: the
    axis began at 0, so the bar was cut off); a measure without one (None) draws nothing and moves no bound."""
    fig = view_figure(["a", "b", "c"], {"Change (pp)": [-2.5, 5.0, None]}, "bar", "en", "T", percent=False)
    assert fig.layout.xaxis.range == pytest.approx((-2.8, 5.6))  # 1.12 × the furthest bar on each side


def test_chart_json_carries_shares_only_as_displayed():
    """1/3 is displayed as 33.3%: the browser gets 0.333, not 0.3333333; percentages and persons one decimal."""
    import plotly.graph_objects as go

    from di_metrics.models.displayed import displayed

    fig = displayed(
        go.Figure([go.Scatter(x=[2024, 2025], y=[1 / 3, 2 / 3]), go.Bar(y=[41.666666, 7], customdata=[[0.123456]])])
    )
    assert list(fig.data[0].y) == [0.333, 0.667]
    assert list(fig.data[0].x) == [2024, 2025]
    assert list(fig.data[1].y) == [41.7, 7]
    assert fig.data[1].customdata[0][0] == 0.123


def _colours(fig) -> list:
    """Each trace's colour and line style as drawn: lines by their line, bars by their fill."""
    return [
        (trace.line.color, trace.line.dash, trace.line.width) if trace.type == "scatter" else trace.marker.color
        for trace in fig.data
    ]


def test_a_series_keeps_its_colour_in_every_language_whatever_its_name():
    """Colours follow the series' code: women orange and men blue, the target red and dotted, the range grey."""
    drawn = {}
    for lang in ("nl", "en"):
        # names as a chart may give them, and men first: the code decides the colour, not the name or the order
        genders = {f"{t('gender.M', lang)} 2025": [0.6], f"{t('gender.F', lang)} 2025": [0.7]}
        bars = view_figure(["2025"], genders, "column", lang, "T", codes=("M", "F"))
        scenario = {
            t(key, lang): [0.2, 0.25]
            for key in ("briefing.range_low", "whatif.projection", "briefing.target", "overview.chart_actual")
        }
        lines = view_figure(
            ["2025", "2026"], scenario, "line", lang, "T", codes=("range_low", "projection", "target", "actual")
        )
        drawn[lang] = _colours(bars) + _colours(lines)
    assert (
        drawn["nl"]
        == drawn["en"]
        == [
            GENDER_COLOURS["M"],
            GENDER_COLOURS["F"],
            (GLIDE, "dot", 2),
            (GENDER_COLOURS["F"], None, 4),
            (TARGET, "dot", 2),
            (ACTUAL, None, 4),
        ]
    )


def test_the_dutch_and_the_english_briefing_and_deck_draw_the_same_data_in_the_same_colours(demo_db):
    """The same data in two languages: every view, on the page and in the deck, in the same colours, and the
    coded series in their own colour."""
    from pptx import Presentation

    from di_metrics.present.briefing import build_briefing
    from di_metrics.present.charts.briefing import SERIES_COLOURS
    from di_metrics.present.deck import build_deck
    from di_metrics.queries.filters import Filters
    from di_metrics.storage import store
    from di_metrics.storage.database import open_database

    engine = open_database(demo_db)
    page, deck = {}, {}
    try:
        for lang in ("nl", "en"):
            with store.connect(engine) as conn:
                briefing = build_briefing(conn, Filters(), lang, {"hire_share": 0.4})
            page[lang] = {}
            for v in briefing.views:
                drawn = _colours(view_figure(v.categories, v.series, v.kind, lang, v.title, v.percent, codes=v.codes))
                page[lang][v.key] = drawn
                coded = [(c, _hue(d)) for c, d in zip(v.codes, drawn, strict=False) if c in SERIES_COLOURS]
                assert all(SERIES_COLOURS[c] == hue for c, hue in coded), v.key
            slides = Presentation(io.BytesIO(build_deck(briefing))).slides
            charts_in_deck = [shape.chart for slide in slides for shape in slide.shapes if shape.has_chart]
            deck[lang] = [[_deck_colour(s) for s in chart.plots[0].series] for chart in charts_in_deck]
    finally:
        engine.dispose()
    assert page["nl"] == page["en"] and {"whatif", "survey", "pipeline", "trend"} <= set(page["en"])
    assert page["en"]["whatif"][0] == (GENDER_COLOURS["F"], None, 4) and page["en"]["survey"] == [
        GENDER_COLOURS["F"],
        GENDER_COLOURS["M"],
    ]
    assert deck["nl"] == deck["en"] and len(deck["en"]) == len(page["en"])
    assert deck["en"][list(page["en"]).index("whatif")][:2] == ["E69F00", "1F3A5F"]  # projection, baseline


def _hue(drawn) -> str:
    return drawn[0] if isinstance(drawn, tuple) else drawn


def _deck_colour(series) -> str:
    """A deck series' colour: its line's, or its bars' fill."""
    try:
        return str(series.format.line.color.rgb)
    except AttributeError:  # no line colour: a bar
        return str(series.format.fill.fore_color.rgb)


def test_a_view_with_nothing_to_draw_is_a_slide_with_its_title_and_notes_and_no_chart():
    import datetime as dt

    from pptx import Presentation

    from di_metrics.analysis.watchlist import Watchlist
    from di_metrics.present.deck import build_deck
    from di_metrics.present.views import Briefing, View
    from di_metrics.present.where_views import watchlist_view

    empty = watchlist_view(Watchlist("branch", dt.date(2025, 12, 31), ()), "en")
    shown = View("share", "Women's share", "bar", ["Army"], {"share": [0.2]})
    deck = build_deck(Briefing([empty, shown], dt.date(2025, 12, 31), "Data as of 31 Dec 2025", "en"))
    _title, nothing, something = Presentation(io.BytesIO(deck)).slides
    texts = [shape.text_frame.text for shape in nothing.shapes if shape.has_text_frame]
    assert empty.title in texts and not any(shape.has_chart for shape in nothing.shapes)
    assert nothing.notes_slide.notes_text_frame.text.startswith(empty.title)
    assert sum(shape.has_chart for shape in something.shapes) == 1


def test_a_figure_from_a_builder_carries_its_values_as_displayed():
    """The builders round (not only the page): 1/3 shown as 33.3% travels as 0.333 to the page, the Briefing
    and a downloaded image alike; a year on the axis stays as it is."""
    line = view_figure(["2025", "2026"], {"Latest": [1 / 3, 2 / 3]}, "line", "en", "T")
    assert list(line.data[0].y) == [0.333, 0.667]
    bars = view_figure(["a", "b"], {"Latest": [0.123456, 1.0]}, "bar", "nl", "T", large=True)
    assert list(bars.data[0].x if bars.data[0].orientation == "h" else bars.data[0].y) == [0.123, 1.0]
    heat = survey_heatmap(
        pd.DataFrame({"group": ["F | A", "M | A"], "pct_favourable": [66.66666, 50.04999], "suppressed": False}),
        "en",
        "T",
    )
    assert sorted(v for row in heat.data[0].z for v in row if v is not None) == [50.0, 66.7]
