"""Workforce explorer: breakdowns with drill-down, units over time, flows, and the rank pipeline."""

import pandas as pd
import streamlit as st

import ui
from di_metrics import i18n
from di_metrics.config import min_workforce_cell
from di_metrics.present.charts.workforce import breakdown_bars, flows_chart, pipeline_chart, share_heatmap
from di_metrics.present.tables import safe_table
from di_metrics.queries.filters import Filters
from di_metrics.vocab import BRANCH, DIMENSIONS, GENDER, ORG_UNIT, RANK_GROUP

lang, version, filters = ui.page_start()
on, then = ui.date_pickers(version)
k = min_workforce_cell()

st.title(ui.tr("explorer.title"))
st.caption(ui.tr("explorer.caption", date=i18n.fmt_date(on, lang), then=i18n.fmt_date(then, lang), k=k))
tab_breakdown, tab_heatmap, tab_flows, tab_pipeline = st.tabs(
    [
        ui.tr("explorer.tab_breakdown"),
        ui.tr("explorer.tab_heatmap"),
        ui.tr("explorer.tab_flows"),
        ui.tr("explorer.tab_pipeline"),
    ]
)

with tab_breakdown:
    left, right = st.columns(2)
    dimension = left.selectbox(
        ui.tr("explorer.by"), DIMENSIONS, format_func=lambda d: i18n.t(f"filters.{d}", lang), key="breakdown_by"
    )
    scope = filters
    if dimension == BRANCH:
        branches = ui.load_dimension_values(BRANCH, filters, version)
        drill = right.selectbox(
            ui.tr("explorer.drill"),
            [None, *branches],
            key="drill",
            format_func=lambda b: i18n.t("explorer.no_drill", lang) if b is None else b,
        )
        if drill:
            dimension = ORG_UNIT
            scope = Filters.of({**filters.as_dict(), BRANCH: [drill]}, filters.exempt_units)
    table = ui.load_compare(scope, dimension, on, then, version)
    if table.empty:
        st.info(ui.tr("overview.no_data"))
    else:
        leading = ui.load_leading_target(filters, version)
        reference = leading.target.target_value if leading else None
        title = ui.tr(
            "explorer.breakdown_title" if leading else "explorer.breakdown_title_plain",
            dim=ui.tr(f"filters.{dimension}").lower(),
            date=i18n.fmt_date(on, lang),
            target=i18n.fmt_pct(reference, lang, 0),
        )
        table = table.assign(value=table["value"].map(lambda v: i18n.value_label(v, lang)))
        ui.chart(breakdown_bars(table, lang, title, k, reference=reference))
        columns = ["value", "headcount", "women", "men", "women_share", "share_then", "change_pp"]
        named = {i18n.t("col.value", lang): ui.tr(f"filters.{dimension}")}
        st.dataframe(
            safe_table(table, columns, lang, k, as_text=True).rename(columns=named), hide_index=True, width="stretch"
        )
        ui.downloads(safe_table(table, columns, lang, k).rename(columns=named), f"koers-{dimension}-{on.isoformat()}")

with tab_heatmap:
    level = (
        st.segmented_control(
            ui.tr("explorer.by"),
            (BRANCH, ORG_UNIT, RANK_GROUP),
            default=BRANCH,
            format_func=lambda d: i18n.t(f"filters.{d}", lang),
            key="heatmap_by",
        )
        or BRANCH
    )
    grid = ui.load_breakdown(filters, level, version)
    if grid.empty:
        st.info(ui.tr("overview.no_data"))
    else:
        ui.chart(share_heatmap(grid, lang, ui.tr("explorer.heatmap_title", dim=ui.tr(f"filters.{level}").lower())))
        st.caption(ui.tr("explorer.heatmap_note", k=k))

with tab_flows:
    doc, yearly = ui.load_flows(filters, version)
    if yearly.empty:
        st.info(ui.tr("explorer.no_flows"))
    else:
        last = yearly.iloc[-1]
        title = ui.tr(
            "explorer.flows_title",
            year=int(last["year"]),
            hires=i18n.fmt_pct(last["hiring_share_women"], lang),
            stock=i18n.fmt_pct(last["stock_share_start"], lang),
        )
        ui.chart(flows_chart(yearly, yearly, lang, title))
        st.info(ui.tr("explorer.flows_rule"))
        rows = pd.DataFrame(doc.rows)
        columns = ["year", GENDER, "headcount_start", "hires", "exits", "attrition_rate"]
        st.dataframe(safe_table(rows, columns, lang, k, as_text=True), hide_index=True, width="stretch")
        ui.downloads(safe_table(rows, columns, lang, k), "koers-flows")

with tab_pipeline:
    pipe = ui.load_pipeline(filters, on, version)
    if pipe.empty:
        st.info(ui.tr("overview.no_data"))
    else:
        pipe = pipe.assign(value=pipe["value"].map(lambda v: i18n.value_label(v, lang)))
        ui.chart(pipeline_chart(pipe, lang, ui.tr("explorer.pipeline_title", date=i18n.fmt_date(on, lang)), k))
        st.caption(ui.tr("explorer.pipeline_note"))
        columns = ["value", "headcount", "women", "women_share", "ratio_to_level_below"]
        st.dataframe(safe_table(pipe, columns, lang, k, as_text=True), hide_index=True, width="stretch")
        ui.downloads(safe_table(pipe, columns, lang, k), f"koers-pipeline-{on.isoformat()}")
