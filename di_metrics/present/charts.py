"""Plotly figure builders: data in, figure out, one colour-blind-safe palette for every chart."""

from __future__ import annotations

import datetime as dt
import textwrap
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from di_metrics.i18n import fmt_date, fmt_number, fmt_pct, t, value_label
from di_metrics.models.projection import Projection, Simulation
from di_metrics.models.targets import Target

__all__ = [
    "ACTUAL",
    "FONT",
    "GENDER_COLOURS",
    "GLIDE",
    "MEASURE",
    "PEER_COLOURS",
    "SCENARIO_COLOURS",
    "TARGET",
    "base_layout",
    "breakdown_bars",
    "decomposition_bars",
    "flows_chart",
    "frontier_chart",
    "glide_trace",
    "indicator_trend",
    "is_range",
    "likert_bars",
    "mark_measures",
    "paired_bars",
    "peers_chart",
    "pipeline_chart",
    "projection_fan",
    "rank_projection",
    "representation_scatter",
    "safety_panel",
    "series_colour",
    "share_heatmap",
    "share_line",
    "share_trend",
    "survey_groups",
    "survey_heatmap",
    "track_record_chart",
    "trend_by_group",
    "view_figure",
    "wrap",
]

# Okabe-Ito: distinguishable with every common colour-vision deficiency.
GENDER_COLOURS = {"F": "#E69F00", "M": "#0072B2", "X": "#009E73"}
ACTUAL = "#1F3A5F"
TARGET = "#B8323B"
GLIDE = "#7F8C8D"
FONT = "Source Sans Pro, Segoe UI, Helvetica, Arial, sans-serif"

# The house style as Plotly's default template: a template passed per figure is validated again each time
# (about 12 ms a chart, paid on every rerun), the default once.
pio.templates["koers"] = go.layout.Template(
    pio.templates["plotly_white"],
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


def _figure(*data: Any, **kwargs: Any) -> go.Figure:
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


def glide_trace(target: Target, lang: str) -> go.Scatter:
    """The straight line from a target's baseline to its value at the deadline."""
    return share_line(
        [target.baseline_date, target.deadline],
        [target.baseline_value, target.target_value],
        t("overview.chart_glide", lang),
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
    """The house style: a title that states the finding, quiet grid, legend on top, the language's number format."""
    title = wrap(title, title_width)
    lines = title.count("<br>") + 1
    fig.update_layout(
        separators=",." if lang == "nl" else ".,",
        title={"text": title, "pad": {"t": 12}},
        height=height + 22 * (lines - 1),
        margin={"l": 10, "r": 10, "t": 62 + 22 * lines, "b": 10},
        legend_title=None,
        yaxis_title=y_title,
    )
    return fig


def share_trend(
    series: pd.DataFrame,
    target: Target | None,
    lang: str,
    title: str,
    projection: Projection | None = None,
    measures: list[tuple[str, dt.date]] | None = None,
) -> go.Figure:
    """The women's share over time, the target, the glide path from the baseline, the baseline projection,
    and each measure marked at its start."""
    fig = _figure()
    if projection is not None:
        fig.add_trace(
            go.Scatter(
                x=[_year_end(y) for y in projection.years],
                y=projection.women_share,
                name=t("overview.chart_projection", lang),
                mode="lines",
                line={"color": GENDER_COLOURS["F"], "width": 2.5, "dash": "dash"},
                hovertemplate="%{y:.1%}<extra></extra>",
            )
        )
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
        fig.add_trace(glide_trace(target, lang))
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
    if len(series):
        last = max(series["date"].max(), target.deadline if target else series["date"].max())
        mark_measures(fig, measures or [], lang, (series["date"].min(), last))
    return base_layout(fig, title, lang, t("overview.axis_share", lang))


def _hidden_note(lang: str, k: int) -> str:
    return t("privacy.fewer_than", lang, k=k)


def breakdown_bars(table: pd.DataFrame, lang: str, title: str, k: int, reference: float | None = None) -> go.Figure:
    """Women's share per group, sorted, with hidden groups marked instead of drawn."""
    table = table.sort_values("women_share", na_position="first")
    shown = table["women_share"].notna()
    labels = table["value"].astype(str)
    fig = _figure(
        go.Bar(
            x=table["women_share"].fillna(0).astype(float),
            y=labels,
            orientation="h",
            marker={"color": [GENDER_COLOURS["F"] if s else "#D5D8DC" for s in shown]},
            text=[
                fmt_pct(v, lang) if s else _hidden_note(lang, k)
                for v, s in zip(table["women_share"], shown, strict=True)
            ],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x:.1%}<extra></extra>",
            name=t("gender.F", lang),
        )
    )
    if reference is not None:
        fig.add_vline(
            x=reference,
            line={"color": TARGET, "dash": "dash", "width": 1.5},
            annotation_text=fmt_pct(reference, lang, 0),
            annotation_font_color=TARGET,
        )
    fig.update_xaxes(tickformat=".0%", range=[0, max(0.35, float(table["women_share"].max() or 0) * 1.25)])
    fig.update_layout(showlegend=False, hovermode="closest")
    return base_layout(fig, title, lang, height=max(320, 28 * len(table) + 120))


def share_heatmap(table: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """Groups over time: the women's share per group and date; hidden cells stay blank."""
    wide = table.pivot_table(index="value", columns="date", values="women_share", aggfunc="first", dropna=False)
    wide = wide.loc[wide.iloc[:, -1].fillna(-1).sort_values().index]
    fig = _figure(
        go.Heatmap(
            z=wide.to_numpy(dtype=float),
            x=[str(d) for d in wide.columns],
            y=[value_label(v, lang) for v in wide.index],
            colorscale=[[0, "#F7F4F9"], [0.5, "#F0A35E"], [1, "#8C3B0C"]],
            zmin=0,
            zmax=max(0.3, float(np.nanmax(wide.to_numpy(dtype=float))) if wide.size else 0.3),
            colorbar={"tickformat": ".0%", "title": ""},
            hovertemplate="%{y}<br>%{x}: %{z:.1%}<extra></extra>",
            hoverongaps=False,
        )
    )
    fig.update_layout(hovermode="closest")
    return base_layout(fig, title, lang, height=max(360, 18 * len(wide) + 140))


def flows_chart(flows: pd.DataFrame, shares: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """Women's share of hires next to the women's share of the stock: the stock only rises when hires exceed it."""
    fig = _figure()
    fig.add_trace(
        go.Bar(
            x=shares["year"],
            y=shares["hiring_share_women"],
            name=t("explorer.share_of_hires", lang),
            marker={"color": "rgba(230,159,0,0.45)", "line": {"color": GENDER_COLOURS["F"], "width": 1}},
            hovertemplate="%{y:.1%}<extra></extra>",
        )
    )
    fig.add_trace(share_line(shares["year"], shares["stock_share_start"], t("explorer.share_of_stock", lang), ACTUAL))
    for gender, column in (("F", "attrition_women"), ("M", "attrition_men")):
        fig.add_trace(
            share_line(
                flows["year"],
                flows[column],
                t(f"explorer.{column}", lang),
                GENDER_COLOURS[gender],
                width=2,
                dash="dot",
                mode="lines",
            )
        )
    fig.update_yaxes(tickformat=".0%", rangemode="tozero")
    fig.update_xaxes(dtick=1)
    return base_layout(fig, title, lang)


def pipeline_chart(table: pd.DataFrame, lang: str, title: str, k: int) -> go.Figure:
    """The leaky pipeline: the women's share per rank group from entry to the top, per category."""
    fig = _figure()
    for category, colour in (("military", ACTUAL), ("civilian", GENDER_COLOURS["X"])):
        part = table[table["category"] == category]
        if part.empty:
            continue
        shown = part["women_share"].notna()
        fig.add_trace(
            go.Bar(
                x=part["value"],
                y=part["women_share"].fillna(0).astype(float),
                name=t(f"category.{category}", lang),
                marker={"color": [colour if s else "#D5D8DC" for s in shown]},
                text=[
                    fmt_pct(v, lang) if s else _hidden_note(lang, k)
                    for v, s in zip(part["women_share"], shown, strict=True)
                ],
                textposition="outside",
                cliponaxis=False,
                hovertemplate="%{x}: %{y:.1%}<extra></extra>",
            )
        )
    fig.update_yaxes(tickformat=".0%", rangemode="tozero")
    fig.update_layout(hovermode="closest", bargap=0.25)
    return base_layout(fig, title, lang)


SCENARIO_COLOURS = ("#56B4E9", "#CC79A7", "#009E73", "#F0E442")


def _year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def projection_fan(
    history: pd.DataFrame,
    path: Projection,
    sim: Simulation | None,
    target: Target | None,
    lang: str,
    title: str,
    comparisons: list[tuple[str, Projection]] | None = None,
) -> go.Figure:
    """History, the glide path to the target, the projection dashed, and the Monte Carlo fans, on one chart."""
    fig = _figure()
    x = [_year_end(y) for y in path.years]
    if sim is not None:
        sx = [_year_end(y) for y in sim.years]
        for low, high, opacity, key in ((5, 95, 0.18, "whatif.band_90"), (25, 75, 0.32, "whatif.band_50")):
            fig.add_trace(
                go.Scatter(
                    x=sx + sx[::-1],
                    y=sim.percentiles[high] + sim.percentiles[low][::-1],
                    fill="toself",
                    fillcolor=f"rgba(230,159,0,{opacity})",
                    line={"width": 0},
                    name=t(key, lang),
                    hoverinfo="skip",
                )
            )
    fig.add_trace(
        go.Scatter(
            x=history["date"],
            y=history["women_share"],
            name=t("overview.chart_actual", lang),
            mode="lines",
            line={"color": ACTUAL, "width": 3},
            hovertemplate="%{y:.1%}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=path.women_share,
            name=t("whatif.projection", lang),
            mode="lines",
            line={"color": GENDER_COLOURS["F"], "width": 3, "dash": "dash"},
            hovertemplate="%{y:.1%}<extra></extra>",
        )
    )
    for i, (name, other) in enumerate(comparisons or []):
        fig.add_trace(
            go.Scatter(
                x=[_year_end(y) for y in other.years],
                y=other.women_share,
                name=name,
                mode="lines",
                line={"color": SCENARIO_COLOURS[i % 4], "width": 2, "dash": "dot"},
                hovertemplate="%{y:.1%}<extra></extra>",
            )
        )
    if target is not None:
        fig.add_trace(glide_trace(target, lang))
    fig.add_hline(
        y=path.target,
        line={"color": TARGET, "width": 1.5, "dash": "dash"},
        annotation_text=t("overview.chart_target", lang, value=fmt_pct(path.target, lang, 0), year=path.deadline),
        annotation_font_color=TARGET,
    )
    fig.add_vline(x=_year_end(path.deadline), line={"color": TARGET, "width": 1, "dash": "dot"}, opacity=0.5)
    top = max(path.target, max(path.women_share), max(sim.percentiles[95]) if sim else 0)
    fig.update_yaxes(tickformat=".0%", range=[0, top * 1.15])
    return base_layout(fig, title, lang, t("overview.axis_share", lang), height=460, title_width=75)


def rank_projection(frame: pd.DataFrame, ranks: tuple[str, ...], lang: str, title: str) -> go.Figure:
    """The women's share per rank group per projected year: when women reach the senior ranks."""
    fig = _figure()
    palette = ("#D5D8DC", "#AEB6BF", "#85929E", "#2E4053", "#E69F00")
    for i, rank in enumerate(ranks):
        part = frame[frame["rank_group"] == rank]
        name = value_label(rank, lang)
        fig.add_trace(
            go.Scatter(
                x=part["year"],
                y=part["women_share"],
                name=name,
                mode="lines+markers",
                line={
                    "color": palette[min(i, len(palette) - 1)] if i < len(ranks) - 1 else TARGET,
                    "width": 2 + (i == len(ranks) - 1),
                },
                hovertemplate=f"{name}: %{{y:.1%}}<extra></extra>",
            )
        )
    fig.update_yaxes(tickformat=".0%", rangemode="tozero")
    fig.update_xaxes(dtick=2)
    base_layout(fig, title, lang, height=460, title_width=48)
    fig.update_layout(legend={"orientation": "v", "y": 0.5, "yanchor": "middle", "x": 1.02, "xanchor": "left"})
    return fig


def decomposition_bars(parts: dict[str, float], lang: str, title: str) -> go.Figure:
    """Where the projected change comes from, in percentage points."""
    keys = [k for k in ("hiring", "attrition_gap", "promotion") if k in parts]
    values = [100 * parts[k] for k in keys]
    fig = _figure(
        go.Bar(
            x=values,
            y=[t(f"whatif.part_{k}", lang) for k in keys],
            orientation="h",
            marker={"color": [GENDER_COLOURS["F"] if v >= 0 else GENDER_COLOURS["M"] for v in values]},
            text=[fmt_number(v, lang, 1) + " pp" for v in values],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{x:.2f} pp<extra></extra>",
        )
    )
    fig.update_layout(showlegend=False, hovermode="closest")
    fig.add_vline(x=0, line={"color": "#1B2631", "width": 1})
    span = max([abs(v) for v in values] + [0.5])
    fig.update_xaxes(range=[min(0.0, min(values)) - 0.6 * span, max(0.0, max(values)) + 0.6 * span])
    return base_layout(fig, title, lang, height=280, title_width=60)


def track_record_chart(horizons: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """The average miss per number of years ahead: the projection beside a flat line and a straight line."""
    fig = _figure()
    styles = (
        ("mae_model", "track.model", GENDER_COLOURS["F"], "solid"),
        ("mae_constant", "track.constant", ACTUAL, "dash"),
        ("mae_trend", "track.trend", "#85929E", "dot"),
    )
    for column, key, colour, dash in styles:
        fig.add_trace(
            go.Scatter(
                x=horizons["h"],
                y=100 * horizons[column],
                name=t(key, lang),
                mode="lines+markers",
                line={"color": colour, "width": 2 + (column == "mae_model"), "dash": dash},
                hovertemplate="%{y:.2f} pp<extra></extra>",
            )
        )
    fig.update_xaxes(dtick=1, title=t("track.axis_h", lang))
    fig.update_yaxes(rangemode="tozero")
    return base_layout(fig, title, lang, t("track.axis_mae", lang), height=320, title_width=60)


def survey_groups(table: pd.DataFrame, lang: str, title: str, k: int) -> go.Figure:
    """Groups side by side with their 95% intervals; a marker where a group differs from the reference."""
    fig = _figure()
    waves = sorted(table["wave"].unique())
    palette = [GLIDE, "#85C1E9", "#56B4E9", ACTUAL][-len(waves) :] if len(waves) <= 4 else None
    for i, wave in enumerate(waves):
        part = table[table["wave"] == wave]
        shown = part[~part["suppressed"]]
        colour = palette[i] if palette else ACTUAL
        fig.add_trace(
            go.Scatter(
                x=shown["pct_favourable"],
                y=shown["group"].astype(str),
                mode="markers",
                name=str(wave),
                marker={
                    "size": 12,
                    "color": colour,
                    "symbol": ["diamond" if d else "circle" for d in shown["differs_from_reference"]],
                },
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": shown["ci_high"] - shown["pct_favourable"],
                    "arrayminus": shown["pct_favourable"] - shown["ci_low"],
                    "color": colour,
                    "thickness": 1.5,
                },
                hovertemplate="%{y}: %{x:.1f}%<extra>" + str(wave) + "</extra>",
            )
        )
        hidden = part[part["suppressed"]]
        if len(hidden):
            fig.add_trace(
                go.Scatter(
                    x=[2] * len(hidden),
                    y=hidden["group"].astype(str),
                    mode="text",
                    text=[t("privacy.fewer_than", lang, k=k)] * len(hidden),
                    showlegend=False,
                    textposition="middle right",
                    textfont={"color": GLIDE},
                    hoverinfo="skip",
                )
            )
    fig.update_xaxes(range=[0, 100], ticksuffix="%")
    fig.update_layout(hovermode="closest")
    groups = table["group"].nunique()
    fig.update_yaxes(range=[-0.6, groups - 0.4])  # half a row of air at either end, not the plot's edges
    return base_layout(fig, title, lang, height=max(260, 40 * groups + 150))


def survey_heatmap(table: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """A two-way table of % favourable; hidden cells stay blank."""
    parts = table["group"].str.split(" | ", regex=False)
    grid = table.assign(row=parts.str[0], col=parts.str[1]).pivot_table(
        index="row", columns="col", values="pct_favourable", aggfunc="first", dropna=False
    )
    fig = _figure(
        go.Heatmap(
            z=grid.to_numpy(dtype=float),
            x=[str(c) for c in grid.columns],
            y=list(grid.index),
            zmin=40,
            zmax=90,
            colorscale=[[0, "#B8323B"], [0.5, "#F7F4F9"], [1, "#1F4E79"]],
            colorbar={"ticksuffix": "%"},
            text=[[fmt_number(v, lang, 0) if v == v else "" for v in row] for row in grid.to_numpy(dtype=float)],
            texttemplate="%{text}",
            hovertemplate="%{y} / %{x}: %{z:.1f}%<extra></extra>",
            hoverongaps=False,
        )
    )
    fig.update_layout(hovermode="closest")
    return base_layout(fig, title, lang, height=max(320, 30 * len(grid) + 150))


def likert_bars(dist: pd.DataFrame, labels: dict[str, str], lang: str, title: str) -> go.Figure:
    """Diverging stacked bars: unfavourable answers to the left of zero, favourable ones to the right."""
    fig = _figure()
    answers = sorted(dist["answer"].unique())
    colours = {1: "#B8323B", 2: "#E8A09A", 3: "#D5D8DC", 4: "#85C1E9", 5: "#1F4E79"}
    rows = dist.assign(
        label=dist["item"].map(labels).fillna(dist["item"])
        + dist["group"].map(lambda g: "" if g == "all" else f" ({g})")
    )
    for answer in answers:
        part = rows[rows["answer"] == answer]
        sign = -1 if answer < 3 else 1
        value = part["share"] * (0.5 if answer == 3 else 1)
        for half in (-1, 1) if answer == 3 else (sign,):
            fig.add_trace(
                go.Bar(
                    y=part["label"],
                    x=half * value,
                    orientation="h",
                    name=str(answer),
                    legendgroup=str(answer),
                    showlegend=half == (1 if answer >= 3 else -1),
                    marker={"color": colours.get(answer, GLIDE)},
                    customdata=part["share"],
                    hovertemplate=f"{answer}: " + "%{customdata:.0%}<extra></extra>",
                )
            )
    fig.update_layout(barmode="relative", hovermode="closest", legend={"traceorder": "normal"})
    fig.update_xaxes(tickformat=".0%", range=[-1, 1], zeroline=True, zerolinecolor="#1B2631")
    return base_layout(fig, title, lang, height=max(300, 34 * rows["label"].nunique() + 150))


def _score_axis(measure: str | None, lang: str) -> str:
    """The score axis names the measure shown."""
    return t("survey.axis_measure", lang, measure=measure) if measure else t("survey.axis_inclusion", lang)


def representation_scatter(frame: pd.DataFrame, lang: str, title: str, measure: str | None = None) -> go.Figure:
    """Per branch: the women's share of personnel against the score of women and of men on a measure
    (named on the axis; inclusion when none is named)."""
    fig = _figure()
    for gender in ("F", "M"):
        col = f"score_{gender}"
        fig.add_trace(
            go.Scatter(
                x=frame["women_share"],
                y=frame[col],
                mode="markers+text",
                text=frame["group"],
                textposition="top center",
                name=t(f"gender.{gender}", lang),
                marker={"size": 13, "color": GENDER_COLOURS[gender]},
                hovertemplate="%{text}: %{x:.1%} / %{y:.1f}%<extra></extra>",
            )
        )
    fig.update_xaxes(tickformat=".0%", title=t("survey.axis_representation", lang))
    fig.update_yaxes(ticksuffix="%")
    fig.update_layout(hovermode="closest")
    return base_layout(fig, title, lang, y_title=_score_axis(measure, lang), height=440, title_width=60)


def safety_panel(
    measures: pd.DataFrame,
    reports: pd.DataFrame,
    lang: str,
    title: str,
    marks: list[tuple[str, dt.date]] | None = None,
) -> go.Figure:
    """Experienced unwanted behaviour, the share of it reported, willingness to report, and formal report counts,
    on one time line (waves and years mid-year), each measure meant to move one of them marked at its start."""
    fig = _figure()
    styles = {"experienced": TARGET, "reported": GENDER_COLOURS["F"], "willingness": ACTUAL}
    for key, colour in styles.items():
        part = measures[measures["key"] == key]
        fig.add_trace(
            go.Scatter(
                x=[wave_date(w) for w in part["wave"]],
                y=part["pct_favourable"],
                name=t(f"survey.safety_{key}", lang),
                mode="lines+markers",
                line={"color": colour, "width": 3},
                hovertemplate="%{y:.1f}%<extra></extra>",
            )
        )
    fig.add_trace(
        go.Bar(
            x=[wave_date(y) for y in reports["year"]],
            y=reports["count"],
            name=t("survey.safety_reports", lang),
            yaxis="y2",
            marker={"color": "rgba(127,140,141,0.35)"},
            hovertemplate="%{y}<extra></extra>",
        )
    )
    fig.update_layout(
        yaxis2={
            "overlaying": "y",
            "side": "right",
            "showgrid": False,
            "rangemode": "tozero",
            "title": t("survey.safety_reports", lang),
        }
    )
    _year_axis(fig)
    days = [wave_date(w) for w in [*measures["wave"], *reports["year"]]]
    if days:
        mark_measures(fig, marks or [], lang, (min(days), max(days)))
    base_layout(fig, title, lang, height=440)
    fig.update_layout(yaxis={"ticksuffix": "%", "range": [0, 100]})
    return fig


def trend_by_group(frame: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """A published measure over the waves, one line per group; suppressed waves leave a gap."""
    fig = _figure()
    for group, part in frame.sort_values("wave").groupby("group"):
        gender = part["gender"].iloc[0] if "gender" in part else None
        fig.add_trace(
            go.Scatter(
                x=part["wave"],
                y=part["pct_favourable"],
                name=str(group),
                mode="lines+markers",
                line={"color": GENDER_COLOURS.get(gender, ACTUAL), "width": 3},
                connectgaps=False,
                hovertemplate="%{x}: %{y:.1f}%<extra></extra>",
            )
        )
    fig.update_yaxes(ticksuffix="%")
    fig.update_xaxes(dtick=1)
    return base_layout(fig, title, lang)


def is_range(name: str, lang: str) -> bool:
    """Whether a briefing series is an edge of the Monte Carlo range, drawn thin and dotted."""
    return name in (t("briefing.range_low", lang), t("briefing.range_high", lang))


def series_colour(name: str, lang: str, index: int) -> str:
    """The fixed colour of a named series in every chart and the deck; others take the next in the palette."""
    named = {
        t("gender.F", lang): GENDER_COLOURS["F"],
        t("gender.M", lang): GENDER_COLOURS["M"],
        t("briefing.target", lang): TARGET,
        t("overview.chart_glide", lang): GLIDE,
        t("briefing.range_low", lang): GLIDE,
        t("briefing.range_high", lang): GLIDE,
        t("whatif.projection", lang): GENDER_COLOURS["F"],
        t("overview.chart_actual", lang): ACTUAL,
        t("whatif.baseline", lang): ACTUAL,
    }
    cycle = (ACTUAL, GENDER_COLOURS["F"], TARGET, GENDER_COLOURS["X"], GLIDE)
    return named.get(name, cycle[index % len(cycle)])


def view_figure(
    categories: list[str],
    series: dict[str, list[float | None]],
    kind: str,
    lang: str,
    title: str,
    percent: bool = True,
    large: bool = False,
    decimals: int = 0,
) -> go.Figure:
    """A briefing view drawn with Plotly: the same data the deck draws natively."""
    fig = _figure()
    hover = "%{y:.1%}<extra></extra>" if percent else "%{y}<extra></extra>"
    for i, (name, values) in enumerate(series.items()):
        colour = series_colour(name, lang, i)
        if kind == "line":
            dash = "dot" if is_range(name, lang) or name == t("briefing.target", lang) else None
            fig.add_trace(
                go.Scatter(
                    x=categories,
                    y=values,
                    name=name,
                    mode="lines+markers",
                    line={"color": colour, "width": 2 if dash else 4, "dash": dash},
                    hovertemplate=hover,
                )
            )
        else:
            shown = [fmt_pct(v, lang) if percent else fmt_number(v, lang, decimals) for v in values]
            bars = {"text": shown, "textposition": "outside", "cliponaxis": False, "marker": {"color": colour}}
            if kind == "bar":
                hover_x = "%{x:.1%}<extra></extra>"
                fig.add_trace(go.Bar(y=categories, x=values, name=name, orientation="h", hovertemplate=hover_x, **bars))
            else:
                fig.add_trace(go.Bar(x=categories, y=values, name=name, hovertemplate=hover, **bars))
    axis = {"tickformat": ".0%"} if percent else {}
    if kind == "bar":
        top = max((v for values in series.values() for v in values if v is not None), default=1.0)
        fig.update_xaxes(range=[0, 1.12 * top], **axis)  # room for the value beside the longest bar
        fig.update_yaxes(autorange="reversed")
    else:
        fig.update_yaxes(rangemode="tozero", **axis)
    base_layout(fig, title, lang, height=620 if large else 440, title_width=70 if large else 90)
    if large:
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


def paired_bars(frame: pd.DataFrame, lang: str, title: str, measure: str | None = None) -> go.Figure:
    """Per branch, ordered by the women's share: the score of women next to that of men on a measure."""
    frame = frame.sort_values("women_share")
    labels = [f"{g} ({fmt_pct(s, lang, 0)})" for g, s in zip(frame["group"], frame["women_share"], strict=True)]
    fig = _figure()
    for gender in ("F", "M"):
        fig.add_trace(
            go.Bar(
                x=labels,
                y=frame[f"score_{gender}"],
                name=t(f"gender.{gender}", lang),
                marker={"color": GENDER_COLOURS[gender]},
                hovertemplate="%{x}: %{y:.1f}%<extra></extra>",
            )
        )
    fig.update_yaxes(ticksuffix="%")
    fig.update_layout(barmode="group", hovermode="closest")
    return base_layout(fig, title, lang, y_title=_score_axis(measure, lang), height=400, title_width=60)


def frontier_chart(doc: dict[str, Any], lang: str, title: str) -> go.Figure:
    """The lever frontier: the mixes that just reach the target, the region that reaches it, and the marked
    points (today, and each lever alone), with the people behind every point on hover."""

    def hover(p: dict[str, Any]) -> str:
        return t(
            "frontier.hover",
            lang,
            hire=fmt_pct(p["hire_share"], lang),
            attrition=fmt_pct(p["attrition_women"], lang),
            hired=fmt_number(p["women_hired_per_year"], lang),
            avoided=fmt_number(p["leavers_avoided_per_year"], lang),
        )

    points, today = doc["points"], doc["today"]
    marks = [(t("frontier.today", lang), today, ACTUAL, "circle")]
    for key, label in (("hire_share", "frontier.hire_alone"), ("attrition_women", "frontier.attrition_alone")):
        if doc["single_lever"][key]:
            marks.append((t(label, lang), doc["single_lever"][key], TARGET, "diamond"))
    fig = _figure()
    if points:
        ceiling = max(1.0, points[-1]["hire_share"])
        xs = [p["hire_share"] for p in points] + [ceiling, ceiling]
        ys = [p["attrition_women"] for p in points] + [points[-1]["attrition_women"], 0.0]
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                fill="toself",
                fillcolor="rgba(230, 159, 0, 0.18)",
                line={"width": 0},
                name=t("frontier.region", lang),
                hoverinfo="skip",
            )
        )
        fig.add_trace(
            go.Scatter(
                x=[p["hire_share"] for p in points],
                y=[p["attrition_women"] for p in points],
                mode="lines",
                line={"color": GENDER_COLOURS["F"], "width": 4},
                name=t("frontier.curve", lang),
                text=[hover(p) for p in points],
                hovertemplate="%{text}<extra></extra>",
            )
        )
    for name, p, colour, symbol in marks:
        fig.add_trace(
            go.Scatter(
                x=[p["hire_share"]],
                y=[p["attrition_women"]],
                mode="markers+text",
                marker={"color": colour, "size": 13, "symbol": symbol, "line": {"color": "white", "width": 1.5}},
                text=[name],
                textposition="top right",
                name=name,
                hovertext=[hover(p)],
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    marked = [p["attrition_women"] for _, p, _, _ in marks]
    top = min(1.0, max([0.05, *(2.5 * a for a in marked)]))
    left = max(
        0.0, min([p["hire_share"] for _, p, _, _ in marks] + [points[0]["hire_share"] if points else 1.0]) - 0.05
    )
    fig.update_xaxes(range=[left, 1.0], tickformat=".0%", title=t("frontier.axis_hire", lang))
    fig.update_yaxes(range=[0, top], tickformat=".0%", title=t("frontier.axis_attrition", lang))
    fig.update_layout(hovermode="closest", showlegend=True)
    return base_layout(fig, title, lang, y_title=t("frontier.axis_attrition", lang), height=460)


MEASURE = "#5D6D7E"
PEER_COLOURS = ("#CC79A7", "#009E73", "#56B4E9", "#D55E00", "#E69F00", GLIDE)


def mark_measures(
    fig: go.Figure, measures: list[tuple[str, dt.date]], lang: str, window: tuple[dt.date, dt.date]
) -> go.Figure:
    """Each measure whose start lies in the chart's window as a dotted line at its start, with a short name at
    the top of the plot (staggered so names stay apart) and the full name and start date on hover."""
    inside = sorted((m for m in measures if window[0] <= m[1] <= window[1]), key=lambda m: m[1])
    for i, (name, start) in enumerate(inside):
        fig.add_shape(
            type="line",
            x0=start,
            x1=start,
            y0=0,
            y1=1,
            yref="paper",
            line={"color": MEASURE, "width": 1.5, "dash": "dot"},
        )
        fig.add_annotation(
            x=start,
            y=1 - 0.08 * (i % 3),
            yref="paper",
            text=textwrap.shorten(name, 30, placeholder="…"),
            hovertext=t("measures.mark_hover", lang, name=name, date=fmt_date(start, lang)),
            showarrow=False,
            xanchor="left",
            yanchor="top",
            font={"size": 11, "color": MEASURE},
            bgcolor="rgba(255,255,255,0.8)",
            name="measure",
        )
    return fig


def wave_date(wave: int) -> dt.date:
    """A survey wave or a calendar year's count on a time axis: mid-year, as the measures' comparison dates it."""
    return dt.date(int(wave), 6, 30)


def _year_axis(fig: go.Figure) -> None:
    """A date axis that reads as years, so waves and measures share one time line."""
    fig.update_xaxes(type="date", tickformat="%Y", dtick="M12", hoverformat="%Y")


def indicator_trend(
    points: list[tuple[dt.date, float]], lang: str, title: str, measures: list[tuple[str, dt.date]]
) -> go.Figure:
    """An organisation-wide indicator (a fraction) over time, each measure meant to move it marked at its start."""
    days = [d for d, _ in points]
    fig = _figure(
        go.Scatter(
            x=days,
            y=[v for _, v in points],
            mode="lines+markers",
            line={"color": ACTUAL, "width": 3},
            marker={"size": 6},
            showlegend=False,
            hovertemplate="%{x|%Y-%m-%d}: %{y:.1%}<extra></extra>",
        )
    )
    top = max([0.05, *(v for _, v in points)])
    fig.update_yaxes(tickformat=".0%", range=[0, min(1.05, top * 1.15) if top <= 1 else top * 1.1])
    if days:
        mark_measures(fig, measures, lang, (min(days), max(days)))
    return base_layout(fig, title, lang, height=380)


def peers_chart(doc: dict[str, Any], lang: str, title: str) -> go.Figure:
    """Our women's share per year against each peer's, flagged figures hollow, and the line our target needs."""
    fig = _figure()
    peers: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for point in doc["series"]:
        peers.setdefault((point["peer"], point["population"]), []).append(point)
    for i, ((peer, population), points) in enumerate(peers.items()):
        colour, name = PEER_COLOURS[i % len(PEER_COLOURS)], f"{peer} · {population}"
        hover = "%{x}: %{y:.1%}<extra>" + name + "</extra>"
        fig.add_trace(
            go.Scatter(
                x=[p["year"] for p in points],
                y=[p["share"] for p in points],
                name=name,
                legendgroup=name,
                mode="lines",
                line={"color": colour, "width": 2},
                hoverinfo="skip",
            )
        )
        for flagged in (False, True):
            shown = [p for p in points if p["needs_verification"] == flagged]
            fig.add_trace(
                go.Scatter(
                    x=[p["year"] for p in shown],
                    y=[p["share"] for p in shown],
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
    ours = doc["ours"]
    if ours:
        fig.add_trace(
            share_line([p["year"] for p in ours], [p["share"] for p in ours], t("peers.ours", lang), ACTUAL, width=4)
        )
    target = doc["target"]
    if target is not None and ours and doc["latest"] is not None:
        deadline = int(target["deadline"][:4])
        fig.add_trace(
            share_line(
                [ours[-1]["year"], deadline],
                [ours[-1]["share"], target["value"]],
                t("peers.needed", lang),
                TARGET,
                width=2,
                dash="dash",
                mode="lines+markers",
            )
        )
    top = max(
        [0.05, *(p["share"] for p in doc["series"]), *(p["share"] for p in ours), target["value"] if target else 0]
    )
    fig.update_yaxes(tickformat=".0%", range=[0, top * 1.12])
    fig.update_xaxes(title=t("peers.axis_year", lang), dtick=5)
    fig.update_layout(hovermode="closest", legend={"font": {"size": 12}})
    return base_layout(fig, title, lang, t("overview.axis_share", lang), height=500)
