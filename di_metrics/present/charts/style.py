"""The house style every chart shares: the colour-blind-safe palette keyed by stable codes, the Plotly template,
and the layout helpers (titles that state the finding, the language's number format, measures on a time axis)."""

from __future__ import annotations

import datetime as dt
import textwrap
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio

from di_metrics.i18n import fmt_date, t
from di_metrics.models.displayed import displayed
from di_metrics.models.targets import Target
from di_metrics.present.claims import hidden_text

__all__ = [
    "ACTUAL",
    "DRAWN",
    "FONT",
    "GENDER_COLOURS",
    "GLIDE",
    "MEASURE",
    "PEER_COLOURS",
    "SCENARIO_COLOURS",
    "TARGET",
    "across",
    "add_lines",
    "base_layout",
    "down",
    "glide_trace",
    "hidden_note",
    "mark_measures",
    "new_figure",
    "share_line",
    "titled",
    "wrap",
    "year_axis",
    "year_end",
]


# Okabe-Ito: distinguishable with every common colour-vision deficiency. Every colour is looked up by a stable
# code (a gender code, a series code, a position), never by a name in the reader's language.
GENDER_COLOURS = {"F": "#E69F00", "M": "#0072B2", "X": "#009E73"}
ACTUAL = "#1F3A5F"
TARGET = "#B8323B"
GLIDE = "#7F8C8D"
MEASURE = "#5D6D7E"
SCENARIO_COLOURS = ("#56B4E9", "#CC79A7", "#009E73", "#F0E442")
PEER_COLOURS = ("#CC79A7", "#009E73", "#56B4E9", "#D55E00", "#E69F00", GLIDE)
FONT = "Source Sans Pro, Segoe UI, Helvetica, Arial, sans-serif"

# The house style as Plotly's default template: a template passed per figure is validated again each time
# (about 12 ms a chart, paid on every rerun), the default once. It keeps plotly_white's trace defaults for the
# trace types Koers draws only: the template travels inside every figure, and the other 21 types were half
# of each chart's JSON (built, copied and sent on every rerun).
DRAWN = ("scatter", "bar", "heatmap")
pio.templates["koers"] = go.layout.Template(
    data={kind: pio.templates["plotly_white"].data[kind] for kind in DRAWN},
    layout={
        "font": {"family": FONT, "size": 13, "color": "#1B2631"},
        "title": {"x": 0, "xanchor": "left", "font": {"size": 17}, "y": 1, "yanchor": "top", "yref": "container"},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
        "hovermode": "x unified",
        "yaxis": {"gridcolor": "#E5E8EB", "zeroline": False},
        "xaxis": {"gridcolor": "#F2F3F4"},
    },
)


pio.templates.default = "koers"


def new_figure(*data: Any, **kwargs: Any) -> go.Figure:
    """A new figure in the house style. Importing Streamlit makes its own template the default, after
    or before this module, and a figure takes the default when it is made: so the default is checked here."""
    if pio.templates.default != "koers":
        pio.templates.default = "koers"
    return go.Figure(*data, **kwargs)


def share_line(
    x: object,
    y: object,
    name: str,
    colour: str,
    width: float = 3,
    dash: str | None = None,
    mode: str = "lines+markers",
    decimals: int = 1,
) -> go.Scatter:
    """A line of shares in the house style, with the value on hover."""
    return go.Scatter(
        x=x,
        y=y,
        name=name,
        mode=mode,
        line={"color": colour, "width": width, "dash": dash},
        hovertemplate=f"%{{y:.{decimals}%}}<extra></extra>",
    )


def glide_trace(target: Target, lang: str, label: str | None = None) -> go.Scatter:
    """The straight line from a target's baseline to its value at the deadline."""
    return share_line(
        [target.baseline_date, target.deadline],
        [target.baseline_value, target.target_value],
        label or t("overview.chart_glide", lang),
        GLIDE,
        width=2,
        dash="dot",
        mode="lines",
    )


def wrap(title: str, width: int) -> str:
    """Break a long title over lines, as Plotly does not."""
    return "<br>".join(textwrap.wrap(title, width)) or title


def base_layout(
    fig: go.Figure, title: str, lang: str, y_title: str = "", height: int = 420, title_width: int = 90
) -> go.Figure:
    """The house style: a title that states the finding, quiet grid, legend on top, the language's number format;
    and the traces' numbers rounded to the precision they are displayed at (models/displayed.py), so every
    surface (page, downloaded image, report) gets a figure without the digits the display rounds away.

    Set property by property: one `update_layout` with these took 2.5 times as long (Plotly resolves every
    keyword as a path), on every chart of every rerun."""
    layout = fig.layout
    layout.separators = ",." if lang == "nl" else ".,"
    titled(fig, title, height, title_width)
    layout.legend.title = None
    layout.yaxis.title.text = y_title
    return displayed(fig)


def titled(fig: go.Figure, title: str, height: int = 420, title_width: int = 90) -> go.Figure:
    """The title, wrapped, and the height and top margin its lines take (part of `base_layout`; alone, for a
    figure whose title changes while the rest stays)."""
    title = wrap(title, title_width)
    lines = title.count("<br>") + 1
    layout = fig.layout
    layout.title = go.layout.Title(text=title, pad={"t": 12})
    layout.height = height + 22 * (lines - 1)
    layout.margin = go.layout.Margin(l=10, r=10, t=62 + 22 * lines, b=10)
    return fig


def year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def hidden_note(lang: str, k: int) -> str:
    return hidden_text(lang)


Line = tuple[dict[str, Any], dict[str, Any] | None]  # a reference line's shape, and its label if it has one


def across(y: float, line: dict[str, Any], opacity: float | None = None, label: str = "", colour: str = "") -> Line:
    """A horizontal line over the whole plot at `y`, labelled at its right end above the line."""
    shape = {"type": "line", "x0": 0, "x1": 1, "xref": "x domain", "y0": y, "y1": y, "yref": "y", "line": line}
    text = {"text": label, "x": 1, "xanchor": "right", "xref": "x domain", "y": y, "yanchor": "bottom", "yref": "y"}
    return _line(shape, opacity, text, colour)


def down(x: object, line: dict[str, Any], opacity: float | None = None, label: str = "", colour: str = "") -> Line:
    """A vertical line over the whole plot at `x`, labelled at its top, to its right."""
    shape = {"type": "line", "x0": x, "x1": x, "xref": "x", "y0": 0, "y1": 1, "yref": "y domain", "line": line}
    text = {"text": label, "x": x, "xanchor": "left", "xref": "x", "y": 1, "yanchor": "top", "yref": "y domain"}
    return _line(shape, opacity, text, colour)


def _line(shape: dict[str, Any], opacity: float | None, text: dict[str, Any], colour: str) -> Line:
    if opacity is not None:
        shape["opacity"] = opacity
    return shape, ({**text, "showarrow": False, "font": {"color": colour}} if text["text"] else None)


def add_lines(fig: go.Figure, *lines: Line, notes: tuple[dict[str, Any], ...] = ()) -> go.Figure:
    """Reference lines (and further notes) in one layout update: Plotly's add_hline and add_vline take about
    5 ms each, on every rerun of every chart that has them; this is a tenth of that, with the same layout."""
    fig.update_layout(
        shapes=[*fig.layout.shapes, *(shape for shape, _ in lines)],
        annotations=[*fig.layout.annotations, *(label for _, label in lines if label), *notes],
    )
    return fig


def mark_measures(
    fig: go.Figure, measures: list[tuple[str, dt.date]], lang: str, window: tuple[dt.date, dt.date]
) -> go.Figure:
    """Each measure whose start lies in the chart's window as a dotted line at its start, with a short name at
    the top of the plot (staggered so names stay apart) and the full name and start date on hover."""
    inside = sorted((m for m in measures if window[0] <= m[1] <= window[1]), key=lambda m: m[1])
    lines = [
        ({"type": "line", "x0": start, "x1": start, "y0": 0, "y1": 1, "yref": "paper", "line": MEASURE_LINE}, None)
        for _, start in inside
    ]
    names = tuple(
        {
            "x": start,
            "y": 1 - 0.08 * (i % 3),
            "yref": "paper",
            "text": textwrap.shorten(name, 30, placeholder="…"),
            "hovertext": t("measures.mark_hover", lang, name=name, date=fmt_date(start, lang)),
            "showarrow": False,
            "xanchor": "left",
            "yanchor": "top",
            "font": {"size": 11, "color": MEASURE},
            "bgcolor": "rgba(255,255,255,0.8)",
            "name": "measure",
        }
        for i, (name, start) in enumerate(inside)
    )
    return add_lines(fig, *lines, notes=names) if inside else fig


MEASURE_LINE = {"color": MEASURE, "width": 1.5, "dash": "dot"}


def year_axis(fig: go.Figure) -> None:
    """A date axis that reads as years, so waves and measures share one time line."""
    fig.update_xaxes(type="date", tickformat="%Y", dtick="M12", hoverformat="%Y")
