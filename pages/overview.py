"""Op koers? The latest women's share, every target's status, and the trend against the 30% target."""

import datetime as dt

import pandas as pd
import streamlit as st

import sections
import ui
from di_metrics import i18n
from di_metrics.config import min_workforce_cell
from di_metrics.models.projection import project
from di_metrics.present import charts
from di_metrics.present.narrative import target_headline
from di_metrics.queries.status import year_change

lang, version, filters = ui.page_start()
doc = ui.load_status(filters, version)

st.title(ui.tr("overview.title"))
st.caption(ui.tr("app.tagline"))
if doc["as_of"] is None:
    st.info(ui.tr("overview.no_data"))
    st.stop()
as_of = dt.date.fromisoformat(doc["as_of"])
main = ui.load_leading_target(filters, version)

if main and main["latest"] is not None:
    st.subheader(target_headline(main, lang))
st.caption(ui.tr("app.data_as_of", date=i18n.fmt_date(as_of, lang)))

col1, col2, col3 = st.columns(3)
share_change, headcount_change, women_change = (year_change(doc, k) for k in ("women_share", "headcount", "women"))
col1.metric(
    ui.tr("overview.latest_share"),
    i18n.fmt_pct(doc["women_share"], lang),
    delta=None if share_change is None else i18n.fmt_pp(100 * share_change, lang, signed=True),
    border=True,
)
for col, key, value, change, colour in (
    (col2, "overview.headcount", doc["headcount"], headcount_change, "off"),  # more personnel is neither good nor bad
    (col3, "overview.women", doc["women"], women_change, "normal"),
):
    delta = None if change is None else ("+" if change > 0 else "") + i18n.fmt_number(change, lang)
    col.metric(ui.tr(key), i18n.fmt_number(value, lang), delta=delta, delta_color=colour, border=True)
if doc["suppressed"]:
    st.warning(ui.tr("overview.suppressed", k=min_workforce_cell()))
if doc["x_left_out"]:
    st.caption(ui.tr("overview.x_left_out", k=min_workforce_cell()))
if doc["unknown_gender"]:
    st.caption(ui.tr("overview.unknown_gender", count=i18n.fmt_number(doc["unknown_gender"], lang)))

cards = st.columns(max(1, len(doc["targets"])))
for col, entry in zip(cards, doc["targets"], strict=False):
    with col.container(border=True):
        st.markdown(f"**{i18n.label('target', entry['name'], lang)}**")
        st.caption(
            ui.tr(
                "overview.card_deadline",
                value=i18n.fmt_pct(entry["value"], lang, 0),
                date=i18n.fmt_date(dt.date.fromisoformat(entry["deadline"]), lang),
            )
        )
        st.markdown(f"### {i18n.fmt_pct(entry['latest'], lang)}")
        due = entry["as_of"] is not None and entry["as_of"] >= entry["deadline"]  # ISO dates compare as text
        if entry["on_track"] is None:
            st.badge(ui.tr("status.no_value"), color="gray")
        elif due:
            met = entry["latest"] >= entry["value"] - 1e-12
            st.badge(
                ("✓ " if met else "✗ ") + ui.tr("status.met" if met else "status.missed"),
                color="green" if met else "red",
            )
        elif entry["on_track"]:
            st.badge("✓ " + ui.tr("status.on_track"), color="green")
        else:
            st.badge("✗ " + ui.tr("status.off_track"), color="orange")
        change = None if entry["change_12m"] is None else 100 * entry["change_12m"]
        rows = [
            (ui.tr("overview.card_change"), i18n.fmt_pp(change, lang, signed=True)),
            (ui.tr("overview.card_gap"), i18n.fmt_pp(entry["gap_pp"], lang)),
            (
                ui.tr("overview.card_pace"),
                ui.tr("status.deadline_passed")
                if due
                else i18n.fmt_pp(None if entry["required_pace"] is None else 100 * entry["required_pace"], lang, 2),
            ),
            (
                ui.tr("overview.card_actual_pace"),
                i18n.fmt_pp(None if entry["actual_pace"] is None else 100 * entry["actual_pace"], lang, 2),
            ),
        ]
        if entry["women_needed"] is not None:
            rows.insert(1, (ui.tr("overview.card_needed"), i18n.fmt_number(max(0, entry["women_needed"]), lang)))
        st.markdown("\n".join(f"- {name}: **{value}**" for name, value in rows))
        if entry["exempt_units"]:
            st.caption(ui.tr("filters.exempt_note", units=", ".join(entry["exempt_units"])))

series = pd.DataFrame(doc["series"])
series["date"] = pd.to_datetime(series["date"]).dt.date
target = ui.load_target(main["name"], version) if main else None
title = ui.tr("overview.series_title")
if main and main["latest"] is not None:
    title = ui.tr(
        "overview.chart_finding",
        share=i18n.fmt_pct(main["latest"], lang),
        target=i18n.fmt_pct(main["value"], lang, 0),
        year=main["deadline"][:4],
    )
calibration = ui.load_calibration(filters, version)
baseline = None if isinstance(calibration, str) else project(calibration.scenario)
marks = ui.load_share_marks(version)
figure = charts.share_trend(series, target, lang, title, baseline, marks)
ui.chart(figure)
if marks:
    st.caption(ui.tr("measures.chart_note"))
if baseline is not None:
    st.caption(
        ui.tr("overview.projection_note", share=i18n.fmt_pct(baseline.share_at_deadline, lang), year=baseline.deadline)
    )

sections.watchlist_section(filters, version)
