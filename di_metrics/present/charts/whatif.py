"""What-if charts: the projection with its Monte Carlo range, the ranks, the decomposition, the track record,
and the lever frontier."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from types import SimpleNamespace

import pandas as pd
import plotly.graph_objects as go

from di_metrics.i18n import fmt_number, fmt_pct, t, value_label
from di_metrics.models.displayed import displayed, rounded
from di_metrics.models.frontier import Frontier, LeverPoint
from di_metrics.models.projection import Projection, Simulation
from di_metrics.models.targets import Target
from di_metrics.present.charts.style import (
    ACTUAL,
    GENDER_COLOURS,
    SCENARIO_COLOURS,
    TARGET,
    across,
    add_lines,
    base_layout,
    down,
    glide_trace,
    new_figure,
    share_line,
    titled,
    year_end,
)

__all__ = [
    "decomposition_bars",
    "fan_body",
    "fan_for_target",
    "fan_from_body",
    "frontier_chart",
    "projection_fan",
    "rank_projection",
    "refill_decomposition",
    "refill_fan_body",
    "track_record_chart",
]


def _year_ends(path: Projection) -> list:
    return [year_end(y) for y in path.years]


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
    return fan_for_target(fan_body(history, path, sim, lang, comparisons), path, sim, target, lang, title)


def fan_body(
    history: pd.DataFrame,
    path: Projection,
    sim: Simulation | None,
    lang: str,
    comparisons: list[tuple[str, Projection]] | None = None,
) -> go.Figure:
    """What a target or deadline move leaves as it is: the fans, the history, the projection and the compared
    scenarios, in the house layout (the What-if page builds it once per path scenario)."""
    fig = new_figure()
    if sim is not None:
        fig.add_traces(_fans(sim, lang))
    fig.add_trace(
        share_line(history["date"], history["women_share"], t("overview.chart_actual", lang), ACTUAL, mode="lines")
    )
    projection = t("whatif.projection", lang)
    fig.add_trace(
        share_line(_year_ends(path), path.women_share, projection, GENDER_COLOURS["F"], dash="dash", mode="lines")
    )
    for i, (name, other) in enumerate(comparisons or []):  # coloured by position, whatever their names
        colour = SCENARIO_COLOURS[i % 4]
        fig.add_trace(share_line(_year_ends(other), other.women_share, name, colour, 2, "dot", "lines"))
    fig.update_yaxes(tickformat=".0%")
    return base_layout(fig, "", lang, t("overview.axis_share", lang), height=460, title_width=75)


def fan_for_target(
    fig: go.Figure, path: Projection, sim: Simulation | None, target: Target | None, lang: str, title: str
) -> go.Figure:
    """A fan body (changed in place) finished for the target and deadline: the glide path, the target line and
    the deadline line, the height of the axis and the title."""
    if target is not None:
        fig.add_trace(displayed(SimpleNamespace(data=[glide_trace(target, lang)])).data[0])
    _mark_target(fig, path, lang)
    top = max(path.target, max(path.women_share), max(sim.percentiles[95]) if sim else 0)
    fig.update_yaxes(range=[0, top * 1.15])
    return titled(fig, title, height=460, title_width=75)


def fan_from_body(
    body: dict, path: Projection, sim: Simulation | None, target: Target | None, lang: str, title: str
) -> go.Figure:
    """`fan_for_target` on a copy of a body kept as a dict (`fan_body(...).to_dict()`), which stays as it was.
    The copy is not validated again: the body was when it was built, and that is most of a chart's cost."""
    return fan_for_target(go.Figure(copy.deepcopy(body), _validate=False), path, sim, target, lang, title)


def refill_fan_body(body: dict, path: Projection, sim: Simulation | None) -> dict | None:
    """The body `fan_body(...).to_dict()` would build for other paths, from a kept body of the same selection,
    language and compared scenarios: from one path scenario to the next only the fans' and the projection's
    numbers change (rounded as `displayed` rounds them). The kept body is shared, never changed. None where the
    years or the traces differ: then the body is built whole."""
    data = list(body["data"])
    fans = [] if sim is None else _fans_xy(sim)
    line = len(fans) + 1  # the fans, the history, then the projection
    if len(data) <= line or any(data[i].get("fill") != "toself" for i in range(len(fans))):
        return None
    for i, (x, y) in enumerate([*fans, (_year_ends(path), path.women_share)]):
        at = line if i == len(fans) else i
        kept = data[at].get("x")
        if not (isinstance(kept, list) and kept == x):
            return None
        data[at] = {**data[at], "y": rounded(y)}
    return {**body, "data": data}


def _fans_xy(sim: Simulation) -> list[tuple[list, list[float]]]:
    """The x and y of the 90% and the 50% range (as `_fans` draws them)."""
    sx = [year_end(y) for y in sim.years]
    return [(sx + sx[::-1], sim.percentiles[high] + sim.percentiles[low][::-1]) for low, high in FAN_RANGES]


FAN_RANGES = ((5, 95), (25, 75))


def _fans(sim: Simulation, lang: str) -> list[go.Scatter]:
    """The 90% and the 50% range of the Monte Carlo paths, the wider one lighter."""
    sx = [year_end(y) for y in sim.years]
    return [
        go.Scatter(
            x=sx + sx[::-1],
            y=sim.percentiles[high] + sim.percentiles[low][::-1],
            fill="toself",
            fillcolor=f"rgba(230,159,0,{opacity})",
            line={"width": 0},
            name=t(key, lang),
            hoverinfo="skip",
        )
        for low, high, opacity, key in ((5, 95, 0.18, "whatif.band_90"), (25, 75, 0.32, "whatif.band_50"))
    ]


def _mark_target(fig: go.Figure, path: Projection, lang: str) -> None:
    """The target as a dashed line, named, and its deadline as a dotted one."""
    label = t("overview.chart_target", lang, value=fmt_pct(path.target, lang, 0), year=path.deadline)
    add_lines(
        fig,
        across(path.target, {"color": TARGET, "width": 1.5, "dash": "dash"}, label=label, colour=TARGET),
        down(year_end(path.deadline), {"color": TARGET, "width": 1, "dash": "dot"}, opacity=0.5),
    )


def rank_projection(frame: pd.DataFrame, ranks: tuple[str, ...], lang: str, title: str) -> go.Figure:
    """The women's share per rank group per projected year: when women reach the senior ranks."""
    fig = new_figure()
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
    bars = _bars(parts, lang)
    fig = new_figure(
        go.Bar(
            x=bars.values,
            y=bars.labels,
            orientation="h",
            marker={"color": bars.colours},
            text=bars.texts,
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{x:.2f} pp<extra></extra>",
        )
    )
    fig.update_layout(showlegend=False, hovermode="closest")
    add_lines(fig, down(0, {"color": "#1B2631", "width": 1}))
    fig.update_xaxes(range=bars.x_range)
    return base_layout(fig, title, lang, height=280, title_width=60)


def refill_decomposition(kept: dict, parts: dict[str, float], lang: str) -> dict | None:
    """The dict `decomposition_bars(parts, ...).to_dict()` would give, from a kept one of the same language, title
    and parts shown: a hiring-share move changes the bars' lengths, colours, texts and the axis only (building
    the chart whole took ~7 ms of every such move). The kept dict is shared, never changed; None where other
    parts are shown: then the chart is built whole."""
    bars = _bars(parts, lang)
    if len(kept["data"]) != 1 or kept["data"][0].get("y") != bars.labels:
        return None
    (bar,) = kept["data"]
    numbers = {"x": rounded(bars.values), "marker": {**bar["marker"], "color": bars.colours}, "text": bars.texts}
    layout = {**kept["layout"], "xaxis": {**kept["layout"]["xaxis"], "range": bars.x_range}}
    return {**kept, "data": [{**bar, **numbers}], "layout": layout}


def _bars(parts: dict[str, float], lang: str) -> SimpleNamespace:
    """The decomposition's bars in points, in a fixed order, coloured by sign, and the axis that holds them."""
    keys = [k for k in ("hiring", "attrition_gap", "promotion") if k in parts]
    values = [100 * parts[k] for k in keys]
    span = max([abs(v) for v in values] + [0.5])
    return SimpleNamespace(
        values=values,
        labels=[t(f"whatif.part_{k}", lang) for k in keys],
        colours=[GENDER_COLOURS["F"] if v >= 0 else GENDER_COLOURS["M"] for v in values],
        texts=[fmt_number(v, lang, 1) + " pp" for v in values],
        x_range=[min(0.0, min(values)) - 0.6 * span, max(0.0, max(values)) + 0.6 * span],
    )


def track_record_chart(horizons: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """The average miss per number of years ahead: the projection beside a flat line and a straight line."""
    fig = new_figure()
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


def frontier_chart(doc: Frontier, lang: str, title: str) -> go.Figure:
    """The lever frontier: the mixes that just reach the target, the region that reaches it, and the marked
    points (today, and each lever alone), with the people behind every point on hover."""
    points = doc.points
    marks = [(t("frontier.today", lang), doc.today, ACTUAL, "circle")]
    for alone, label in ((doc.hire_alone, "frontier.hire_alone"), (doc.attrition_alone, "frontier.attrition_alone")):
        if alone:
            marks.append((t(label, lang), alone, TARGET, "diamond"))
    fig = new_figure()
    if points:
        fig.add_traces(_frontier_region_and_curve(points, lang))
    for name, p, colour, symbol in marks:
        fig.add_trace(
            go.Scatter(
                x=[p.hire_share],
                y=[p.attrition_women],
                mode="markers+text",
                marker={"color": colour, "size": 13, "symbol": symbol, "line": {"color": "white", "width": 1.5}},
                text=[name],
                textposition="top right",
                name=name,
                hovertext=[_frontier_hover(p, lang)],
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    marked = [p.attrition_women for _, p, _, _ in marks]
    top = min(1.0, max([0.05, *(2.5 * a for a in marked)]))
    left = max(0.0, min([p.hire_share for _, p, _, _ in marks] + [points[0].hire_share if points else 1.0]) - 0.05)
    fig.update_xaxes(range=[left, 1.0], tickformat=".0%", title=t("frontier.axis_hire", lang))
    fig.update_yaxes(range=[0, top], tickformat=".0%", title=t("frontier.axis_attrition", lang))
    fig.update_layout(hovermode="closest", showlegend=True)
    return base_layout(fig, title, lang, y_title=t("frontier.axis_attrition", lang), height=460)


def _frontier_region_and_curve(points: Sequence[LeverPoint], lang: str) -> list[go.Scatter]:
    """The region of mixes that reach the target (more hiring, less attrition) and the curve that bounds it."""
    ceiling = max(1.0, points[-1].hire_share)
    return [
        go.Scatter(
            x=[p.hire_share for p in points] + [ceiling, ceiling],
            y=[p.attrition_women for p in points] + [points[-1].attrition_women, 0.0],
            fill="toself",
            fillcolor="rgba(230, 159, 0, 0.18)",
            line={"width": 0},
            name=t("frontier.region", lang),
            hoverinfo="skip",
        ),
        go.Scatter(
            x=[p.hire_share for p in points],
            y=[p.attrition_women for p in points],
            mode="lines",
            line={"color": GENDER_COLOURS["F"], "width": 4},
            name=t("frontier.curve", lang),
            text=[_frontier_hover(p, lang) for p in points],
            hovertemplate="%{text}<extra></extra>",
        ),
    ]


def _frontier_hover(p: LeverPoint, lang: str) -> str:
    """The people behind a point of the frontier."""
    return t(
        "frontier.hover",
        lang,
        hire=fmt_pct(p.hire_share, lang),
        attrition=fmt_pct(p.attrition_women, lang),
        hired=fmt_number(p.women_hired_per_year, lang),
        avoided=fmt_number(p.leavers_avoided_per_year, lang),
    )
