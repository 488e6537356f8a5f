"""Workforce charts: the women's share over time, per group, in and out, and up the ranks."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from di_metrics.i18n import fmt_pct, label, t, value_label
from di_metrics.models.projection import Projection
from di_metrics.models.targets import Target, glide_for
from di_metrics.present.charts.style import (
    ACTUAL,
    GENDER_COLOURS,
    PEER_COLOURS,
    TARGET,
    across,
    add_lines,
    base_layout,
    down,
    glide_trace,
    hidden_note,
    mark_measures,
    new_figure,
    share_line,
    year_end,
)

__all__ = [
    "FEW_GROUPS",
    "breakdown_bars",
    "flows_chart",
    "pipeline_chart",
    "share_heatmap",
    "share_over_time",
    "share_trend",
]

# Up to this many groups "over time" is a line chart with its values written on it; more are a heatmap.
FEW_GROUPS = 4


def share_trend(
    series: pd.DataFrame,
    target: Target | None,
    lang: str,
    title: str,
    projection: Projection | None = None,
    measures: list[tuple[str, dt.date]] | None = None,
    selection: tuple[tuple[str, tuple[str, ...]], ...] = (),
) -> go.Figure:
    """The women's share over time, the target, the glide path from the baseline, the baseline projection,
    and each measure marked at its start. On a `selection` narrower than the target's population the glide
    path starts from the selection's own share at the baseline date."""
    fig = new_figure()
    if projection is not None:
        years = [year_end(y) for y in projection.years]
        name = t("overview.chart_projection", lang)
        fig.add_trace(share_line(years, projection.women_share, name, GENDER_COLOURS["F"], 2.5, "dash", "lines"))
    actual = share_line(series["date"], series["women_share"], t("overview.chart_actual", lang), ACTUAL, mode="lines")
    fig.add_trace(actual.update(connectgaps=False))
    if target is not None:
        end = max(target.deadline, series["date"].max() if len(series) else target.deadline)
        fig.add_trace(_glide(series, target, lang, selection))
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
        add_lines(fig, across(target.target_value, {"color": TARGET, "width": 1, "dash": "dash"}, opacity=0.6))
        fig.update_xaxes(range=[series["date"].min() - dt.timedelta(days=60), end + dt.timedelta(days=120)])
    top = max([0.05, *(series["women_share"].dropna().tolist()), target.target_value if target else 0])
    fig.update_yaxes(tickformat=".0%", range=[0, top * 1.15])
    if len(series):
        last = max(series["date"].max(), target.deadline if target else series["date"].max())
        mark_measures(fig, measures or [], lang, (series["date"].min(), last))
    return base_layout(fig, title, lang, t("overview.axis_share", lang))


def _glide(
    series: pd.DataFrame, target: Target, lang: str, selection: tuple[tuple[str, tuple[str, ...]], ...]
) -> go.Scatter:
    """The target's glide path; on a narrower selection, from the selection's own share at the baseline date
    (models.targets.glide_for, as the targets' states and the watchlist), or, without one, the population's line
    labelled as that target's."""
    points = list(zip(pd.to_datetime(series["date"]).dt.date, series["women_share"], strict=True))
    line, kind = glide_for(target, selection, points)
    if kind == "target":
        return glide_trace(target, lang)
    if kind == "own":
        return glide_trace(line, lang, t("overview.chart_glide_own", lang))
    return glide_trace(target, lang, t("overview.chart_glide_of", lang, name=label("target", target.name, lang)))


def breakdown_bars(table: pd.DataFrame, lang: str, title: str, k: int, reference: float | None = None) -> go.Figure:
    """Women's share per group, sorted, with hidden groups marked instead of drawn."""
    table = table.sort_values("women_share", na_position="first")
    shown = table["women_share"].notna()
    labels = table["value"].astype(str)
    fig = new_figure(
        go.Bar(
            x=table["women_share"].fillna(0).astype(float),
            y=labels,
            orientation="h",
            marker={"color": [GENDER_COLOURS["F"] if s else "#D5D8DC" for s in shown]},
            text=[
                fmt_pct(v, lang) if s else hidden_note(lang, k)
                for v, s in zip(table["women_share"], shown, strict=True)
            ],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x:.1%}<extra></extra>",
            name=t("gender.F", lang),
            customdata=table.get("code", table["value"]).astype(str),  # the code a click filters to (not its label)
        )
    )
    if reference is not None:
        line = {"color": TARGET, "dash": "dash", "width": 1.5}
        add_lines(fig, down(reference, line, label=fmt_pct(reference, lang, 0), colour=TARGET))
    largest = table["women_share"].astype(float).max()  # NaN where every group is hidden
    fig.update_xaxes(tickformat=".0%", range=[0, 0.35 if pd.isna(largest) else max(0.35, largest * 1.25)])
    fig.update_layout(showlegend=False, hovermode="closest")
    return base_layout(fig, title, lang, height=max(320, 28 * len(table) + 120))


def share_over_time(table: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """Groups over time: a heatmap for many groups, and for a few a line each with the year-end values
    written on it (a heatmap of one row is a colour strip a reader cannot read a number from)."""
    if table["value"].nunique() > FEW_GROUPS:
        return share_heatmap(table, lang, title)
    fig = new_figure()
    for group, rows in table.sort_values("date").groupby("value", sort=True):
        dates = pd.to_datetime(rows["date"])
        last = dates == dates.max()
        marked = (dates.dt.month == 12) | last
        text = [fmt_pct(v, lang) if m and pd.notna(v) else "" for v, m in zip(rows["women_share"], marked, strict=True)]
        line = share_line(rows["date"], rows["women_share"], value_label(group, lang), PEER_COLOURS[len(fig.data)], 2.5)
        hover = [fmt_pct(v, lang) if pd.notna(v) else "–" for v in rows["women_share"]]
        fig.add_trace(
            line.update(
                mode="lines+markers+text",
                text=text,
                textposition="top center",
                customdata=hover,
                hovertemplate="%{fullData.name}<br>%{x}: %{customdata}<extra></extra>",
                connectgaps=False,
            )
        )
    top = max([0.05, *table["women_share"].dropna().astype(float).tolist()])
    fig.update_yaxes(tickformat=".0%", range=[0, top * 1.2])
    fig.update_layout(showlegend=True)  # a single line is named too: which branch, unit or rank it is
    return base_layout(fig, title, lang, t("overview.axis_share", lang))


def share_heatmap(table: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """Groups over time: the women's share per group and date; hidden cells stay blank."""
    wide = table.pivot_table(index="value", columns="date", values="women_share", aggfunc="first", dropna=False)
    wide = wide.loc[wide.iloc[:, -1].fillna(-1).sort_values().index]
    fig = new_figure(
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


def flows_chart(flows: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """Women's share of hires next to the women's share of the stock, and each gender's attrition, per year (the
    `hiring_vs_stock` frame): the stock only rises when hires exceed it."""
    fig = new_figure()
    fig.add_trace(
        go.Bar(
            x=flows["year"],
            y=flows["hiring_share_women"],
            name=t("explorer.share_of_hires", lang),
            marker={"color": "rgba(230,159,0,0.45)", "line": {"color": GENDER_COLOURS["F"], "width": 1}},
            hovertemplate="%{y:.1%}<extra></extra>",
        )
    )
    fig.add_trace(share_line(flows["year"], flows["stock_share_start"], t("explorer.share_of_stock", lang), ACTUAL))
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
    fig = new_figure()
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
                    fmt_pct(v, lang) if s else hidden_note(lang, k)
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
