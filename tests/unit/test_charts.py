"""The house style reaches every chart, in both languages, without being passed to each figure."""

from __future__ import annotations

import json

import pandas as pd
import plotly.io as pio

from di_metrics.i18n import t
from di_metrics.present import charts


def _safety(lang: str):
    measures = pd.DataFrame(
        {
            "key": ["experienced", "reported", "willingness"] * 2,
            "wave": [2023, 2023, 2023, 2025, 2025, 2025],
            "pct_favourable": [20.0, 30.0, 60.0, 18.0, 35.0, 64.0],
        }
    )
    reports = pd.DataFrame({"year": [2023, 2024, 2025], "count": [140, 151, 163]})
    return charts.safety_panel(measures, reports, lang, "Social safety")


def test_every_figure_carries_the_house_style_in_its_own_json():
    spec = json.loads(_safety("en").to_json())  # what the browser and the PNG/SVG export receive
    layout = spec["layout"]
    assert layout["template"]["layout"]["font"]["family"] == charts.FONT
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


def test_the_house_style_holds_when_streamlit_is_imported_after_the_charts():
    """Streamlit sets its own default template on import; a process that imports it later still gets Koers's."""
    import subprocess
    import sys

    code = (
        "import json; from di_metrics.present import charts; import streamlit; import plotly.io as pio; "
        "fig = charts.view_figure(['a'], {'x': [0.2]}, 'bar', 'en', 'T'); "
        "print(json.loads(fig.to_json())['layout']['template']['layout']['font']['family'], pio.templates.default)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == [*charts.FONT.split(), "koers"]


def test_briefing_bars_carry_their_value_in_the_language_and_fit_it():
    fig = charts.view_figure(["a", "b"], {"Latest": [0.171, 1.0]}, "bar", "nl", "T", large=True)
    assert fig.data[0].text == ("17,1%", "100,0%")
    assert fig.layout.xaxis.range == (0, 1.12)  # the label beside the 100% bar stays on the slide
    assert fig.layout.xaxis.tickfont.size == fig.layout.yaxis.tickfont.size == 17  # readable on a projector
    line = charts.view_figure(["2025", "2026"], {"Latest": [0.1, 0.2]}, "line", "en", "T")
    assert line.data[0].text is None


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
