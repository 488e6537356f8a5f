"""Survey charts: groups with their intervals, two-way tables, answers, representation against scores, social
safety, and published trends."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go

from di_metrics.i18n import fmt_number, fmt_pct, t
from di_metrics.present.charts.style import (
    ACTUAL,
    GENDER_COLOURS,
    GLIDE,
    TARGET,
    base_layout,
    mark_measures,
    new_figure,
    year_axis,
)
from di_metrics.present.claims import hidden_text
from di_metrics.vocab import wave_date

__all__ = [
    "indicator_trend",
    "likert_bars",
    "paired_bars",
    "representation_scatter",
    "safety_panel",
    "survey_groups",
    "survey_heatmap",
    "trend_by_group",
]


def survey_groups(table: pd.DataFrame, lang: str, title: str, k: int) -> go.Figure:
    """Groups side by side with their 95% intervals; a marker where a group differs from the reference."""
    fig = new_figure()
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
                    text=[hidden_text(lang)] * len(hidden),
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
    fig = new_figure(
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
    fig = new_figure()
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
    fig = new_figure()
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
    fig = new_figure()
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
            "title": t("survey.safety_reports", lang),
            **_count_axis(reports["count"].max()),
        }
    )
    year_axis(fig)
    days = [wave_date(w) for w in [*measures["wave"], *reports["year"]]]
    if days:
        mark_measures(fig, marks or [], lang, (min(days), max(days)))
    base_layout(fig, title, lang, height=440)
    fig.update_layout(yaxis={"ticksuffix": "%", "range": [0, 100]})
    return fig


def indicator_trend(
    points: list[tuple[dt.date, float]], lang: str, title: str, measures: list[tuple[str, dt.date]]
) -> go.Figure:
    """An organisation-wide indicator (a fraction) over time, each measure meant to move it marked at its start."""
    days = [d for d, _ in points]
    fig = new_figure(
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


def trend_by_group(frame: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """A published measure over the waves, one line per group; suppressed waves leave a gap."""
    fig = new_figure()
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


def paired_bars(frame: pd.DataFrame, lang: str, title: str, measure: str | None = None) -> go.Figure:
    """Per branch, ordered by the women's share: the score of women next to that of men on a measure."""
    frame = frame.sort_values("women_share")
    labels = [f"{g} ({fmt_pct(s, lang, 0)})" for g, s in zip(frame["group"], frame["women_share"], strict=True)]
    fig = new_figure()
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


def _count_axis(top: float) -> dict:
    """A count axis in five round steps from 0, so its ticks fall on the percentage axis's lines (0-100% by 20)."""
    if pd.isna(top) or top <= 0:
        return {"rangemode": "tozero"}
    steps = (m * 10**e for e in range(12) for m in (1, 2, 2.5, 3, 4, 5, 6, 8) if e or m != 2.5)  # whole counts
    step = next(s for s in steps if 5 * s >= top)
    return {"range": [0, 5 * step], "dtick": step, "tickmode": "linear"}
