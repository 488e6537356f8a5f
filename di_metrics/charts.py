"""Plotly figure builders: data in, figure out, one colour-blind-safe palette for every chart."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go

from di_metrics.i18n import fmt_pct, t
from di_metrics.targets import Target

# Okabe-Ito: distinguishable with every common colour-vision deficiency.
GENDER_COLOURS = {"F": "#E69F00", "M": "#0072B2", "X": "#009E73"}
ACTUAL = "#1F3A5F"
TARGET = "#B8323B"
GLIDE = "#7F8C8D"
FONT = "Source Sans Pro, Segoe UI, Helvetica, Arial, sans-serif"


def base_layout(fig: go.Figure, title: str, lang: str, y_title: str = "", height: int = 420) -> go.Figure:
    """The house style: a title that states the finding, quiet grid, legend on top, the language's number format."""
    fig.update_layout(
        separators=",." if lang == "nl" else ".,",
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 18}},
        font={"family": FONT, "size": 13, "color": "#1B2631"},
        template="plotly_white",
        height=height,
        margin={"l": 10, "r": 10, "t": 70, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0, "title": None},
        hovermode="x unified",
    )
    fig.update_yaxes(title=y_title, gridcolor="#E5E8EB", zeroline=False)
    fig.update_xaxes(gridcolor="#F2F3F4")
    return fig


def share_trend(series: pd.DataFrame, target: Target | None, lang: str, title: str) -> go.Figure:
    """The women's share over time, the target, and the glide path from the baseline to the target."""
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=series["date"],
            y=series["women_share"],
            name=t("overview.chart_actual", lang),
            mode="lines",
            line={"color": ACTUAL, "width": 3},
            connectgaps=False,
            hovertemplate="%{y:.1%}<extra></extra>",
        )
    )
    if target is not None:
        end = max(target.deadline, series["date"].max() if len(series) else target.deadline)
        fig.add_trace(
            go.Scatter(
                x=[target.baseline_date, target.deadline],
                y=[target.baseline_value, target.target_value],
                name=t("overview.chart_glide", lang),
                mode="lines",
                line={"color": GLIDE, "width": 2, "dash": "dot"},
                hovertemplate="%{y:.1%}<extra></extra>",
            )
        )
        fig.add_trace(
            go.Scatter(
                x=[target.deadline],
                y=[target.target_value],
                mode="markers+text",
                name=t(
                    "overview.chart_target",
                    lang,
                    value=fmt_pct(target.target_value, lang, 0),
                    year=target.deadline.year,
                ),
                marker={"color": TARGET, "size": 12, "symbol": "diamond"},
                text=[fmt_pct(target.target_value, lang, 0)],
                textposition="top center",
                textfont={"color": TARGET, "size": 13},
                hovertemplate="%{y:.1%}<extra></extra>",
            )
        )
        fig.add_hline(y=target.target_value, line={"color": TARGET, "width": 1, "dash": "dash"}, opacity=0.6)
        fig.update_xaxes(range=[series["date"].min() - dt.timedelta(days=60), end + dt.timedelta(days=120)])
    top = max([0.05, *(series["women_share"].dropna().tolist()), target.target_value if target else 0])
    fig.update_yaxes(tickformat=".0%", range=[0, top * 1.15])
    return base_layout(fig, title, lang, t("overview.axis_share", lang))
