"""Workforce explorer: breakdowns with drill-down, units over time, flows, and the rank pipeline."""

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from di_metrics import i18n
from di_metrics.analysis.claims_text import flows_claim
from di_metrics.config import min_workforce_cell
from di_metrics.present.charts.workforce import breakdown_bars, flows_chart, pipeline_chart, share_over_time
from di_metrics.present.claims import render
from di_metrics.present.claims_text import charted
from di_metrics.present.export import file_name
from di_metrics.present.rank_fold_text import fold_notes
from di_metrics.present.tables import safe_table, with_codes
from di_metrics.queries.filters import Filters
from di_metrics.vocab import BRANCH, DIMENSIONS, GENDER, ORG_UNIT, RANK_GROUP
from ui import data, state, widgets


def breakdown_tab(lang: str, version: int, filters: Filters, on: dt.date, then: dt.date, k: int) -> None:
    """Any dimension on a date against an earlier one, with a drill-down from a branch into its units."""
    left, right = st.columns(2)
    dimension = left.selectbox(
        state.tr("explorer.by"), DIMENSIONS, format_func=lambda d: i18n.t(f"filters.{d}", lang), key="breakdown_by"
    )
    scope = filters
    names = data.load_names(version)
    if dimension == BRANCH:
        branches = data.load_dimension_values(BRANCH, filters, version)
        drill = right.selectbox(
            state.tr("explorer.drill"),
            [None, *branches],
            key="drill",
            format_func=lambda b: i18n.t("explorer.no_drill", lang) if b is None else names.label(BRANCH, b, lang),
        )
        if drill:
            dimension = ORG_UNIT
            scope = Filters.of({**filters.as_dict(), BRANCH: [drill]}, filters.exempt_units)
    table = data.load_compare(scope, dimension, on, then, version)
    if table.empty:
        st.info(state.tr("overview.no_data"))
    else:
        leading = data.load_leading_target(filters, version)
        reference = leading.target.target_value if leading else None
        title = state.tr(
            "explorer.breakdown_title" if leading else "explorer.breakdown_title_plain",
            dim=state.tr(f"filters.{dimension}").lower(),
            date=i18n.fmt_date(on, lang),
            target=i18n.fmt_pct(reference, lang, 0),
        )
        codes = table["value"]
        table = table.assign(
            code=codes,
            value=codes.map(
                lambda v: i18n.part_text(names.label(dimension, v, lang), dimension, scope.as_dict(), lang, names.label)
            ),
        )
        widgets.chart(breakdown_bars(table, lang, title, k, reference=reference), select=dimension)
        columns = ["value", "headcount", "women", "men", "women_share", "share_then", "change_pp"]
        named = {i18n.t("col.value", lang): state.tr(f"filters.{dimension}")}
        shown = safe_table(table, columns, lang, k, as_text=True).rename(columns=named)
        st.dataframe(shown, hide_index=True, width="stretch", column_config=_hidden_help(k))
        widgets.downloads(
            with_codes(safe_table(table, columns, lang, k).rename(columns=named), codes, lang),
            file_name("breakdown", dimension, on.isoformat(), filters=scope.as_dict()),
        )


def _hidden_help(k: int) -> dict[str, Any]:
    """The note column's help: why a cell reads 'hidden', whether it is small itself or hidden as a complement."""
    return {state.tr("col.note"): st.column_config.TextColumn(help=state.tr("privacy.hidden_help", k=k))}


def heatmap_tab(lang: str, version: int, filters: Filters, k: int) -> None:
    """The women's share per branch, unit or rank group over time."""
    level = (
        st.segmented_control(
            state.tr("explorer.by"),
            (BRANCH, ORG_UNIT, RANK_GROUP),
            default=BRANCH,
            format_func=lambda d: i18n.t(f"filters.{d}", lang),
            key="heatmap_by",
        )
        or BRANCH
    )
    grid = data.load_breakdown(filters, level, version)
    if grid.empty:
        st.info(state.tr("overview.no_data"))
    else:
        names = data.load_names(version)
        chosen = filters.as_dict()  # a row within the selection names it, as the breakdown does
        grid = grid.assign(
            value=grid["value"].map(
                lambda v: i18n.part_text(names.label(level, v, lang), level, chosen, lang, names.label)
            )
        )
        title = state.tr("explorer.heatmap_title", dim=state.tr(f"filters.{level}").lower())
        widgets.chart(share_over_time(grid, lang, title))
        st.caption(state.tr("explorer.heatmap_note", k=k))


def flows_tab(lang: str, version: int, filters: Filters, k: int) -> None:
    """Hires and exits per year, and the women's share of hires against the stock."""
    doc, yearly = data.load_flows(filters, version)
    if yearly.empty:
        st.info(state.tr("explorer.no_flows"))
    else:
        title = flows_claim(yearly)  # its sentence, and whether the chart has anything to draw
        if charted(title):
            widgets.chart(flows_chart(yearly, lang, render(title, lang)))
        else:  # every share and rate withheld: the sentence, not an empty chart
            st.info(render(title, lang))
        st.info(state.tr("explorer.flows_rule"))
        rows = pd.DataFrame(doc.rows)
        columns = ["year", GENDER, "headcount_start", "hires", "exits", "attrition_rate"]
        st.dataframe(safe_table(rows, columns, lang, k, as_text=True), hide_index=True, width="stretch")
        widgets.downloads(safe_table(rows, columns, lang, k), file_name("flows", filters=filters.as_dict()))


def pipeline_tab(lang: str, version: int, filters: Filters, on: dt.date, k: int) -> None:
    """The women's share per rank group from entry to the top, per category."""
    pipe = data.load_pipeline(filters, on, version)
    if pipe.empty:
        st.info(state.tr("overview.no_data"))
    else:
        folds = data.load_rank_folds(filters, version)
        names = data.load_names(version)
        codes = pipe["value"]
        pipe = pipe.assign(value=codes.map(lambda v: names.label(RANK_GROUP, v, lang)))
        widgets.chart(pipeline_chart(pipe, lang, state.tr("explorer.pipeline_title", date=i18n.fmt_date(on, lang)), k))
        st.caption(state.tr("explorer.pipeline_note"))
        for note in fold_notes(folds, lang):
            st.caption(note)
        columns = ["value", "headcount", "women", "women_share", "ratio_to_level_below"]
        shown = safe_table(pipe, columns, lang, k, as_text=True)
        st.dataframe(shown, hide_index=True, width="stretch", column_config=_hidden_help(k))
        download = with_codes(safe_table(pipe, columns, lang, k), codes, lang)
        widgets.downloads(download, file_name("pipeline", on.isoformat(), filters=filters.as_dict()))


def explorer_page() -> None:
    """Settings (filters and dates), then one function per tab loads and shows."""
    lang, version, filters = widgets.page_start()
    on, then = widgets.date_pickers(version)
    k = min_workforce_cell()

    st.title(state.tr("explorer.title"))
    st.caption(state.tr("explorer.caption", date=i18n.fmt_date(on, lang), then=i18n.fmt_date(then, lang), k=k))
    tab_breakdown, tab_heatmap, tab_flows, tab_pipeline = st.tabs(
        [
            state.tr("explorer.tab_breakdown"),
            state.tr("explorer.tab_heatmap"),
            state.tr("explorer.tab_flows"),
            state.tr("explorer.tab_pipeline"),
        ]
    )
    with tab_breakdown:
        breakdown_tab(lang, version, filters, on, then, k)
    with tab_heatmap:
        heatmap_tab(lang, version, filters, k)
    with tab_flows:
        flows_tab(lang, version, filters, k)
    with tab_pipeline:
        pipeline_tab(lang, version, filters, on, k)


explorer_page()
