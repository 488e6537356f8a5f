"""The career charts: intake against the needed share, retention curves with their bands, promotion's impact
ratio per level against four fifths, the rank pyramid against the target, and the intersection heat map.
Each is drawn from its frozen value; hidden figures are gaps, never zeros."""

from __future__ import annotations

import plotly.graph_objects as go

from di_metrics.analysis.career import Intake, Matrix, Pyramid
from di_metrics.analysis.promotion import FOUR_FIFTHS, LevelRate, Promotion
from di_metrics.analysis.retention import Retention
from di_metrics.i18n import t, value_label
from di_metrics.models.names import Names
from di_metrics.present import career_text
from di_metrics.present.charts.style import ACTUAL, GENDER_COLOURS, GLIDE, TARGET, base_layout, new_figure
from di_metrics.vocab import group_parts

__all__ = ["incidence_chart", "intake_chart", "matrix_chart", "promotion_chart", "pyramid_chart", "retention_chart"]

_DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")


def intake_chart(found: Intake, lang: str) -> go.Figure:
    """The women's share of hires per entry year, and the share the target needs as a line."""
    years = [y for y in found.years if not y.group]
    fig = new_figure()
    fig.add_trace(
        go.Bar(
            x=[y.year for y in years],
            y=[y.share for y in years],
            name=t("career.share_women", lang),
            marker_color=GENDER_COLOURS["F"],
            hovertemplate="%{y:.1%}<extra></extra>",
        )
    )
    if found.needed_share is not None and years:
        fig.add_trace(
            go.Scatter(
                x=[y.year for y in years],
                y=[found.needed_share] * len(years),
                name=t("career.needed", lang),
                mode="lines",
                line={"color": TARGET, "dash": "dash", "width": 2},
                hovertemplate="%{y:.1%}<extra></extra>",
            )
        )
    fig.update_yaxes(tickformat=".0%", rangemode="tozero")
    title = career_text.intake_text(years[-1], lang) if years else t("career.tab_intake", lang)
    return base_layout(fig, title, lang, t("career.share_women", lang))


def retention_chart(found: Retention, lang: str) -> go.Figure:
    """Each group's survival curve as steps, with its 95% band; a curve ends where too few are at risk."""
    fig = new_figure()
    groups = list(dict.fromkeys(p.group for p in found.curves))
    parts = list(dict.fromkeys(group_parts(g)[-1] for g in groups)) if found.by else [""]
    for group in groups:
        points = [p for p in found.curves if p.group == group and not p.suppressed]
        gender, part = group_parts(group)[0], group_parts(group)[-1] if found.by else ""
        colour, dash = GENDER_COLOURS.get(gender, ACTUAL), _DASHES[parts.index(part) % len(_DASHES)]
        x, low, high = [p.t for p in points], [p.low for p in points], [p.high for p in points]
        fig.add_trace(
            go.Scatter(
                x=x + x[::-1],
                y=high + low[::-1],
                fill="toself",
                fillcolor=colour,
                opacity=0.15,
                line={"width": 0, "shape": "hv"},
                showlegend=False,
                hoverinfo="skip",
            )
        )
        fig.add_trace(
            go.Scatter(
                x=x,
                y=[p.survival for p in points],
                name=career_text.group_label(group, lang),
                mode="lines",
                line={"color": colour, "dash": dash, "shape": "hv", "width": 2.5},
                hovertemplate="%{y:.1%}<extra></extra>",
            )
        )
    fig.update_yaxes(tickformat=".0%", range=[0, 1.02])
    fig.update_xaxes(title_text=t("career.years", lang))
    title = (
        t("career.retention_by_title", lang, dim=t(f"career.axis.{found.by}", lang))
        if found.by
        else career_text.retention_text(found, lang)
    )
    return base_layout(fig, title, lang, t("career.survival", lang))


def promotion_chart(found: Promotion, lang: str) -> go.Figure:
    """The pooled impact ratio per level with its interval, against 1 and four fifths."""
    shown: list[LevelRate] = [r for r in found.pooled if r.interval is not None]
    ratios = [r.interval for r in shown]
    fig = new_figure()
    fig.add_trace(
        go.Scatter(
            x=[r[0] for r in ratios],
            y=[value_label(level.rank_group, lang) for level in shown],
            mode="markers",
            name=t("career.impact_ratio", lang),
            marker={"color": [TARGET if level.flag else ACTUAL for level in shown], "size": 11},
            error_x={
                "type": "data",
                "symmetric": False,
                "array": [min(r[2], 3.0) - r[0] for r in ratios],
                "arrayminus": [r[0] - r[1] for r in ratios],
            },
            hovertemplate="%{x:.2f}<extra></extra>",
        )
    )
    for x, colour in ((1.0, GLIDE), (FOUR_FIFTHS, TARGET)):
        fig.add_vline(x=x, line={"color": colour, "dash": "dot", "width": 1.5})
    fig.update_xaxes(title_text=t("career.impact_ratio", lang), rangemode="tozero")
    flagged = [r for r in shown if r.flag]
    title = (
        career_text.promotion_text(flagged[0] if flagged else shown[0], lang)
        if shown
        else t("career.tab_promotion", lang)
    )
    return base_layout(fig, title, lang)


def incidence_chart(found: Promotion, rank: str, lang: str) -> go.Figure:
    """The cumulative share promoted from one rank by years in it, women and men."""
    fig = new_figure()
    for gender in ("F", "M"):
        points = [p for p in found.incidence if p.rank_group == rank and p.gender == gender and not p.suppressed]
        fig.add_trace(
            go.Scatter(
                x=[p.t for p in points],
                y=[p.incidence for p in points],
                name=value_label(gender, lang),
                mode="lines",
                line={"color": GENDER_COLOURS[gender], "shape": "hv", "width": 2.5},
                hovertemplate="%{y:.1%}<extra></extra>",
            )
        )
    fig.update_yaxes(tickformat=".0%", rangemode="tozero")
    fig.update_xaxes(title_text=t("career.years", lang))
    title = career_text.median_text(found, rank, lang)
    return base_layout(fig, title, lang, t("career.incidence", lang))


def pyramid_chart(found: Pyramid, lang: str) -> go.Figure:
    """The women's share per rank level (top levels marked), against the target line."""
    fig = new_figure()
    levels = list(found.levels)
    fig.add_trace(
        go.Bar(
            y=[value_label(level.rank_group, lang) + (" ★" if level.top else "") for level in levels],
            x=[level.share for level in levels],
            orientation="h",
            name=t("career.share_women", lang),
            marker_color=[TARGET if level.top else GENDER_COLOURS["F"] for level in levels],
            hovertemplate="%{x:.1%}<extra></extra>",
        )
    )
    fig.add_vline(x=found.target, line={"color": TARGET, "dash": "dash", "width": 2})
    fig.update_xaxes(tickformat=".0%", rangemode="tozero")
    return base_layout(fig, career_text.pyramid_text(found, lang), lang, height=460)


def matrix_chart(found: Matrix, lang: str, names: Names | None = None) -> go.Figure:
    """The women's share per cell as a heat map; a hidden cell says so (blank alone, a selection whose every
    cell is hidden read as an empty chart), a cell nobody is in stays blank. Each value by its stored name
    (`names`, as the filters show it), else the catalogue's word, else its code."""
    names = names or Names()
    rows = list(dict.fromkeys(c.row for c in found.cells))
    columns = list(dict.fromkeys(c.column for c in found.cells))
    lookup = {(c.row, c.column): c for c in found.cells}
    z = [[getattr(lookup.get((r, c)), "share", None) for c in columns] for r in rows]
    hidden = t("career.hidden", lang)
    marks = [["" if (r, c) not in lookup or not lookup[(r, c)].suppressed else hidden for c in columns] for r in rows]
    fig = new_figure(
        go.Heatmap(
            z=z,
            text=marks,
            texttemplate="%{text}",
            x=[names.label(found.columns, c, lang) for c in columns],
            y=[names.label(found.rows, r, lang) for r in rows],
            colorscale="Oranges",
            zmin=0,
            zmax=max([v for row in z for v in row if v is not None] or [0.5]),
            hovertemplate="%{z:.1%}<extra></extra>",
            colorbar={"tickformat": ".0%"},
        )
    )
    return base_layout(fig, career_text.matrix_title(found, lang), lang)
