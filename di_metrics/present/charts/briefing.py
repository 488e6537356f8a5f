"""The briefing's views drawn with Plotly (the deck draws the same data natively, in the same colours), and
the peers chart."""

from __future__ import annotations

import plotly.graph_objects as go

from di_metrics.i18n import fmt_number, fmt_pct, t
from di_metrics.models.peer_pace import PeerPoint, Peers
from di_metrics.present.charts.style import (
    ACTUAL,
    GENDER_COLOURS,
    GLIDE,
    PEER_COLOURS,
    TARGET,
    base_layout,
    new_figure,
    share_line,
)

__all__ = ["SERIES_COLOURS", "is_range", "peers_chart", "series_colour", "view_figure"]


# The fixed colour of a series with a stable code, in every language, on the page, in the report and in the deck.
SERIES_COLOURS = {
    "F": GENDER_COLOURS["F"],
    "M": GENDER_COLOURS["M"],
    "target": TARGET,
    "glide": GLIDE,
    "range_low": GLIDE,
    "range_high": GLIDE,
    "projection": GENDER_COLOURS["F"],
    "actual": ACTUAL,
    "baseline": ACTUAL,
}
CYCLE = (ACTUAL, GENDER_COLOURS["F"], TARGET, GENDER_COLOURS["X"], GLIDE)


def is_range(code: str | None) -> bool:
    """Whether a briefing series is an edge of the Monte Carlo range, drawn thin and dotted."""
    return code in ("range_low", "range_high")


def series_colour(code: str | None, index: int) -> str:
    """The colour of a series by its code (see SERIES_COLOURS); a series without a known code takes the colour of
    its position, so the Dutch and the English chart of the same data look the same."""
    return SERIES_COLOURS.get(code or "", CYCLE[index % len(CYCLE)])


def view_figure(
    categories: list[str],
    series: dict[str, list[float | None]],
    kind: str,
    lang: str,
    title: str,
    percent: bool = True,
    large: bool = False,
    decimals: int = 0,
    codes: tuple[str, ...] = (),
) -> go.Figure:
    """A briefing view drawn with Plotly: the same data the deck draws natively. `codes` names each series by
    its stable code, in order, for its colour and line."""
    fig = new_figure()
    for i, (name, values) in enumerate(series.items()):
        code = codes[i] if i < len(codes) else None
        fig.add_trace(_view_trace(kind, categories, name, values, code, i, percent, decimals, lang))
    axis = {"tickformat": ".0%"} if percent else {}
    if kind == "bar":
        drawn = [v for values in series.values() for v in values if v is not None]
        top, low = max([0.0, *drawn]) or 1.0, min([0.0, *drawn])  # a change below zero reaches left of the axis
        fig.update_xaxes(range=[1.12 * low, 1.12 * top], **axis)  # room for the value beside the longest bar
        fig.update_yaxes(autorange="reversed")
    else:
        fig.update_yaxes(rangemode="tozero", **axis)
    base_layout(fig, title, lang, height=620 if large else 440, title_width=70 if large else 90)
    return _for_a_projector(fig) if large else fig


def _view_trace(
    kind: str,
    categories: list[str],
    name: str,
    values: list[float | None],
    code: str | None,
    index: int,
    percent: bool,
    decimals: int,
    lang: str,
) -> go.Scatter | go.Bar:
    """One series of a view: a line (the range and the target thin and dotted), or bars carrying their value."""
    colour = series_colour(code, index)
    hover = "%{y:.1%}<extra></extra>" if percent else "%{y}<extra></extra>"
    if kind == "line":
        dash = "dot" if is_range(code) or code == "target" else None
        return go.Scatter(
            x=categories,
            y=values,
            name=name,
            mode="lines+markers",
            line={"color": colour, "width": 2 if dash else 4, "dash": dash},
            hovertemplate=hover,
        )
    shown = [fmt_pct(v, lang) if percent else fmt_number(v, lang, decimals) for v in values]
    bars = {"text": shown, "textposition": "outside", "cliponaxis": False, "marker": {"color": colour}}
    if kind == "bar":
        return go.Bar(
            y=categories, x=values, name=name, orientation="h", hovertemplate="%{x:.1%}<extra></extra>", **bars
        )
    return go.Bar(x=categories, y=values, name=name, hovertemplate=hover, **bars)


def _for_a_projector(fig: go.Figure) -> go.Figure:
    """Large type for the briefing page on a projector."""
    lines = fig.layout.title.text.count("<br>") + 1
    fig.update_layout(
        font={"size": 20},
        title={"font": {"size": 30}},
        legend={"font": {"size": 18}},
        margin={"t": 70 + 40 * lines},
        height=620 + 40 * (lines - 1),
    )
    fig.update_xaxes(tickfont={"size": 17})  # set on the figure, or Streamlit's theme shrinks them
    fig.update_yaxes(tickfont={"size": 17})
    return fig


def peers_chart(doc: Peers, lang: str, title: str) -> go.Figure:
    """Our women's share per year against each peer's, flagged figures hollow, and the line our target needs."""
    fig = new_figure()
    peers: dict[tuple[str, str], list[PeerPoint]] = {}
    for point in doc.series:
        peers.setdefault((point.peer, point.population), []).append(point)
    for i, ((peer, population), points) in enumerate(peers.items()):  # peers in the document's order, by position
        fig.add_traces(_peer_traces(f"{peer} · {population}", PEER_COLOURS[i % len(PEER_COLOURS)], points))
    fig.add_traces(_our_traces(doc, lang))
    ours, target = doc.ours, doc.target
    top = max([0.05, *(p.share for p in doc.series), *ours.values(), target.target_value if target else 0])
    fig.update_yaxes(tickformat=".0%", range=[0, top * 1.12])
    fig.update_xaxes(title=t("peers.axis_year", lang), dtick=5)
    fig.update_layout(hovermode="closest", legend={"font": {"size": 12}})
    return base_layout(fig, title, lang, t("overview.axis_share", lang), height=500)


def _peer_traces(name: str, colour: str, points: list[PeerPoint]) -> list[go.Scatter]:
    """A peer's line, its checked figures as dots and the figures still to verify as open circles."""
    hover = "%{x}: %{y:.1%}<extra>" + name + "</extra>"
    traces = [
        go.Scatter(
            x=[p.year for p in points],
            y=[p.share for p in points],
            name=name,
            legendgroup=name,
            mode="lines",
            line={"color": colour, "width": 2},
            hoverinfo="skip",
        )
    ]
    for flagged in (False, True):
        shown = [p for p in points if p.needs_verification == flagged]
        traces.append(
            go.Scatter(
                x=[p.year for p in shown],
                y=[p.share for p in shown],
                name=name,
                legendgroup=name,
                showlegend=False,
                mode="markers",
                marker={
                    "size": 9,
                    "color": colour,  # an open symbol draws its outline in this colour
                    "symbol": "circle-open" if flagged else "circle",
                    "line": {"color": colour, "width": 2},
                },
                hovertemplate=hover.replace("</extra>", " ⚠</extra>") if flagged else hover,
            )
        )
    return traces


def _our_traces(doc: Peers, lang: str) -> list[go.Scatter]:
    """Our own share, and the straight line from our latest figure to the target."""
    ours, target = doc.ours, doc.target
    if not ours:
        return []
    traces = [share_line(list(ours), list(ours.values()), t("peers.ours", lang), ACTUAL, width=4)]
    if target is not None and doc.latest is not None:
        last = list(ours)[-1]  # our latest year
        traces.append(
            share_line(
                [last, target.deadline.year],
                [ours[last], target.target_value],
                t("peers.needed", lang),
                TARGET,
                width=2,
                dash="dash",
                mode="lines+markers",
            )
        )
    return traces
