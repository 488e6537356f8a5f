"""Peers: has any other armed force ever grown this fast? Their public figures against our women's share."""

import pandas as pd
import streamlit as st

import ui
from di_metrics import i18n
from di_metrics.present.charts.briefing import peers_chart
from di_metrics.present.peers_text import peers_message

lang, version, filters = ui.page_start()
doc = ui.load_peers(filters, version)

st.title(ui.tr("peers.title"))
st.caption(ui.tr("peers.caption"))
if not doc.series:
    st.info(ui.tr("peers.no_data"))
    st.stop()

message = peers_message(doc, lang)
fastest = doc.fastest_5y
left, right = st.columns(2)
if fastest:
    best = fastest[0]
    left.metric(
        ui.tr("peers.fastest_metric"),
        ui.tr("peers.per_year", pp=i18n.fmt_pp(best.pp_per_year, lang, 2)),
        help=f"{best.peer} · {best.population}, {best.start}–{best.end}",
        border=True,
    )
if doc.needed_pp_per_year is not None and doc.target is not None:
    right.metric(
        ui.tr("peers.needed"),
        ui.tr("peers.per_year", pp=i18n.fmt_pp(doc.needed_pp_per_year, lang, 2)),
        border=True,
        help=ui.tr(
            "peers.needed_help",
            share=i18n.fmt_pct(doc.latest, lang),
            date=i18n.fmt_date(doc.as_of, lang),
            target=i18n.fmt_pct(doc.target.target_value, lang, 0),
            deadline=doc.target.deadline.year,
        ),
    )

ui.chart(peers_chart(doc, lang, message), name="koers-peers")
st.caption(ui.tr("peers.flagged_note") + " " + ui.tr("peers.definitions_note"))

st.subheader(ui.tr("peers.fastest_title"))
windows = {(w.peer, w.population): w for w in fastest}
series = list(dict.fromkeys((p.peer, p.population) for p in doc.series))
table = pd.DataFrame(
    [
        {
            ui.tr("peers.col_peer"): peer,
            ui.tr("peers.col_population"): population,
            ui.tr("peers.col_window"): f"{w.start}–{w.end}" if w else ui.tr("peers.none"),
            ui.tr("peers.col_pace"): i18n.fmt_pp(w.pp_per_year, lang, 2) if w else "–",
        }
        for peer, population in series
        for w in [windows.get((peer, population))]
    ]
)
st.dataframe(table, hide_index=True, width="stretch")

with st.expander(ui.tr("peers.figures_title")):
    figures = pd.DataFrame(doc.figures)
    st.dataframe(
        pd.DataFrame(
            {
                ui.tr("peers.col_peer"): figures["peer"],
                ui.tr("peers.col_population"): figures["population"],
                ui.tr("peers.col_measure"): [i18n.label("benchmark_measure", m, lang) for m in figures["measure"]],
                ui.tr("peers.col_year"): figures["date"]
                .map(lambda d: d and d.isoformat())
                .fillna(figures["year"].astype(str)),
                ui.tr("peers.col_value"): [
                    i18n.fmt_number(100 * v, lang, 1) + (" ⚠" if flagged else "")
                    for v, flagged in zip(figures["value"], figures["needs_verification"], strict=True)
                ],
                ui.tr("peers.col_flag"): [ui.tr("peers.flag_yes") if f else "" for f in figures["needs_verification"]],
                ui.tr("peers.col_source"): figures["source"],
                "URL": figures["url"],
            }
        ),
        hide_index=True,
        width="stretch",
        column_config={"URL": st.column_config.LinkColumn()},
    )
