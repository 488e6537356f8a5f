"""Page sections for where the change must come from: the lever frontier and the allocation (What if?), and
the watchlist (Overview). Each reads its widgets, calls the core and renders; the pages only place them."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from di_metrics import i18n
from di_metrics.analysis.allocation import Allocation
from di_metrics.models.claim import Claim
from di_metrics.models.frontier import LeverPoint
from di_metrics.models.projection import Scenario
from di_metrics.present.charts.whatif import frontier_chart
from di_metrics.present.claims import render
from di_metrics.present.where_text import part_label, persons_text, points_text
from di_metrics.queries.filters import Filters
from di_metrics.vocab import BRANCH, CATEGORY, CLI_NAME, ORG_UNIT
from ui import data, state, widgets

WATCHLIST_ROWS = 10
WATCHLIST_NAME_MAX_PX = 380


def frontier_section(scenario: Scenario, base: Scenario) -> None:
    """The curve of mixes that reach the target with the other levers as set, today's point and each lever alone."""
    lang = state.language()
    st.subheader(state.tr("frontier.heading"))
    doc = data.frontier(scenario, base)
    values = {"target": i18n.fmt_pct(scenario.target, lang, 0), "deadline": scenario.deadline}
    if not doc.points:
        st.info(state.tr("frontier.out_of_reach", **values))
        return
    widgets.chart(frontier_chart(doc, lang, state.tr("frontier.title", **values)), name="koers-frontier")
    st.caption(state.tr("frontier.caption"))
    marked = [
        ("frontier.today", doc.today),
        ("frontier.hire_alone", doc.hire_alone),
        ("frontier.attrition_alone", doc.attrition_alone),
    ]
    rows = [_marked_row(state.tr(key), p, scenario.deadline, lang) for key, p in marked]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def _marked_row(name: str, p: LeverPoint | None, deadline: int, lang: str) -> dict[str, str]:
    """A marked point with the people behind it; a lever that cannot do it alone says so."""

    def cell(key: str, fmt: Any) -> str:
        return "–" if p is None else fmt(getattr(p, key), lang)

    return {
        state.tr("frontier.col_point"): name,
        state.tr("frontier.col_hire"): cell("hire_share", i18n.fmt_pct),
        state.tr("frontier.col_attrition"): cell("attrition_women", i18n.fmt_pct),
        state.tr("frontier.col_hired"): cell("women_hired_per_year", i18n.fmt_number),
        state.tr("frontier.col_avoided"): cell("leavers_avoided_per_year", i18n.fmt_number),
        state.tr("frontier.col_share", deadline=deadline): (
            state.tr("frontier.alone_out_of_reach") if p is None else i18n.fmt_pct(p.share_at_deadline, lang)
        ),
    }


def allocation_section(filters: Filters, scenario: Scenario, base: Scenario, version: int) -> None:
    """Per branch or category: the women's share of hires it needs if every part makes the same effort."""
    lang = state.language()
    st.subheader(state.tr("allocation.title"))
    by = _split_picker(
        "allocation.by", {CLI_NAME[BRANCH]: "allocation.by_branch", CLI_NAME[CATEGORY]: "allocation.by_category"}, lang
    )
    given: dict[str, Any] = {"target": scenario.target, "deadline": scenario.deadline}
    if scenario.growth != base.growth:
        given["growth"] = scenario.growth
    doc = data.load_allocation(filters, by, version, tuple(sorted(given.items())))
    if isinstance(doc, str):
        st.info(state.tr(doc))
        return
    values = {"target": i18n.fmt_pct(doc.target, lang, 0), "deadline": doc.deadline}
    if doc.effort_points is None:
        st.warning(state.tr("allocation.infeasible", **values))
    else:
        st.caption(state.tr("allocation.caption", points=points_text(doc.effort_points, lang), **values))
    names, dimension = data.load_names(version), BRANCH if by == CLI_NAME[BRANCH] else CATEGORY
    parts = {p.value: names.name(dimension, p.value, lang) or part_label(p.value, lang) for p in doc.parts}
    st.dataframe(_allocation_table(doc, lang, parts), hide_index=True, width="stretch")


def _rates_from(claim: Claim | None, lang: str) -> str:
    """Where a part's rates come from, in a few words, from its claim; with some borrowed, which."""
    return "–" if claim is None else render(claim, lang)


def _allocation_table(doc: Allocation, lang: str, parts: dict[str, str]) -> pd.DataFrame:
    def pct(v: float | None) -> str:
        return i18n.fmt_pct(v, lang)

    return pd.DataFrame(
        [
            {
                state.tr("allocation.col_part"): parts[p.value],
                state.tr("allocation.col_share_now"): pct(p.share_now),
                state.tr("allocation.col_hire_now"): pct(p.hire_share_now),
                state.tr("allocation.col_share_of_hires"): pct(p.share_of_hires),
                state.tr("allocation.col_needed"): pct(p.hire_share_needed),
                state.tr("allocation.col_share_deadline", deadline=doc.deadline): pct(p.share_at_deadline),
                state.tr("allocation.col_rates"): _rates_from(claim, lang),
            }
            for p, claim in zip(doc.parts, doc.rates or [None] * len(doc.parts), strict=True)
        ]
    )


def watchlist_section(filters: Filters, version: int) -> None:
    """The branches or units furthest below their glide path, in persons, with a trend line each."""
    lang = state.language()
    st.subheader(state.tr("watchlist.title"))
    by = _split_picker(
        "watchlist.by", {CLI_NAME[BRANCH]: "watchlist.by_branch", CLI_NAME[ORG_UNIT]: "watchlist.by_unit"}, lang
    )
    rows = data.load_watchlist(filters, by, version).rows[:WATCHLIST_ROWS]
    if not rows:
        st.info(state.tr("watchlist.none"))
        return
    trend, part = state.tr("watchlist.col_trend"), state.tr("watchlist.col_value")
    names = data.load_names(version)
    dimension = BRANCH if by == CLI_NAME[BRANCH] else ORG_UNIT
    within = filters.as_dict()  # a row is the part of its branch or unit the selection holds: said so
    shown = [i18n.part_text(names.label(dimension, r.value, lang), dimension, within, lang, names.label) for r in rows]
    table = pd.DataFrame(
        [
            {
                part: name,
                state.tr("watchlist.col_short"): persons_text(r, lang),
                state.tr("watchlist.col_share"): i18n.fmt_pct(r.share, lang),
                state.tr("watchlist.col_glide"): i18n.fmt_pct(r.glide_path, lang),
                state.tr("watchlist.col_change"): i18n.fmt_pp(
                    None if r.change_12m is None else 100 * r.change_12m, lang, signed=True
                ),
                trend: [None if v is None else 100 * v for v in r.trend],
                state.tr("watchlist.col_target"): state.tr(
                    "watchlist.own" if r.own_target else "watchlist.organisation"
                ),
            }
            for r, name in zip(rows, shown, strict=True)
        ]
    )
    # The name column is as wide as its longest name and pinned, so a long unit name is never cut off.
    wide = min(WATCHLIST_NAME_MAX_PX, 7 * max(len(n) for n in shown) + 24)
    view = "&".join(f"{p}={v}" for p, v in sorted(state.view_params().items()) if p != "lang")
    event = st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={
            part: st.column_config.TextColumn(part, width=wide, pinned=True),
            trend: st.column_config.LineChartColumn(trend, width="small"),
        },
        on_select="rerun",  # click to filter: a row narrows the page to its branch or unit
        selection_mode="single-row",
        key=f"watchlist_{by}_{view}",  # a new key per view, so an old click never applies again
    )
    picked = event.selection.rows if event else []
    if picked:
        widgets.filter_to({CLI_NAME[d]: d for d in (BRANCH, ORG_UNIT)}[by], rows[picked[0]].value)
    st.caption(state.tr("watchlist.caption"))


def _split_picker(label: str, options: dict[str, str], lang: str) -> str:
    """A section's choice of split (the core's --by spelling -> catalogue key of its name), by the first option
    (branch) unless another is picked."""
    first = next(iter(options))
    return (
        st.segmented_control(
            state.tr(label),
            tuple(options),
            default=first,
            format_func=lambda v: i18n.t(options[v], lang),
            key=label.replace(".", "_"),
        )
        or first
    )
