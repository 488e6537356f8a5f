"""Peers: has any other armed force ever grown this fast? Their public figures against our women's share."""

import pandas as pd
import streamlit as st

from di_metrics import i18n
from di_metrics.models.names import with_peer_names
from di_metrics.models.peer_pace import Peers
from di_metrics.present.charts.briefing import peers_chart
from di_metrics.present.peers_text import peers_message
from ui import data, state, widgets


def pace_metrics(doc: Peers, lang: str) -> None:
    """The fastest five years any peer managed beside the pace our target needs."""
    fastest = doc.fastest_5y
    left, right = st.columns(2)
    if fastest:
        best = fastest[0]
        left.metric(
            state.tr("peers.fastest_metric"),
            state.tr("peers.per_year", pp=i18n.fmt_pp(best.pp_per_year, lang, 2)),
            help=f"{best.peer} · {best.population}, {best.start}–{best.end}",
            border=True,
        )
    if doc.needed_pp_per_year is not None and doc.target is not None:
        right.metric(
            state.tr("peers.needed"),
            state.tr("peers.per_year", pp=i18n.fmt_pp(doc.needed_pp_per_year, lang, 2)),
            border=True,
            help=state.tr(
                "peers.needed_help",
                share=i18n.fmt_pct(doc.latest, lang),
                date=i18n.fmt_date(doc.as_of, lang),
                target=i18n.fmt_pct(doc.target.target_value, lang, 0),
                deadline=doc.target.deadline.year,
            ),
        )


def fastest_table(doc: Peers, lang: str) -> None:
    """Per peer and population: its fastest five-year window, or that it has none."""
    st.subheader(state.tr("peers.fastest_title"))
    windows = {(w.peer, w.population): w for w in doc.fastest_5y}
    series = list(dict.fromkeys((p.peer, p.population) for p in doc.series))
    table = pd.DataFrame(
        [
            {
                state.tr("peers.col_peer"): peer,
                state.tr("peers.col_population"): population,
                state.tr("peers.col_window"): f"{w.start}–{w.end}" if w else state.tr("peers.none"),
                state.tr("peers.col_pace"): i18n.fmt_pp(w.pp_per_year, lang, 2) if w else "–",
            }
            for peer, population in series
            for w in [windows.get((peer, population))]
        ]
    )
    st.dataframe(table, hide_index=True, width="stretch")


def figures_table(doc: Peers, lang: str) -> None:
    """Every public figure with its source, flagged where it still needs checking."""
    with st.expander(state.tr("peers.figures_title")):
        figures = pd.DataFrame(doc.figures)
        st.dataframe(
            pd.DataFrame(
                {
                    state.tr("peers.col_peer"): figures["peer"],
                    state.tr("peers.col_population"): figures["population"],
                    state.tr("peers.col_measure"): [
                        i18n.label("benchmark_measure", m, lang) for m in figures["measure"]
                    ],
                    state.tr("peers.col_year"): figures["date"]
                    .map(lambda d: d and d.isoformat())
                    .fillna(figures["year"].astype(str)),
                    state.tr("peers.col_value"): [
                        i18n.fmt_number(100 * v, lang, 1) + (" ⚠" if flagged else "")
                        for v, flagged in zip(figures["value"], figures["needs_verification"], strict=True)
                    ],
                    state.tr("peers.col_flag"): [
                        state.tr("peers.flag_yes") if f else "" for f in figures["needs_verification"]
                    ],
                    state.tr("peers.col_source"): figures["source"],
                    "URL": figures["url"],
                }
            ),
            hide_index=True,
            width="stretch",
            column_config={"URL": st.column_config.LinkColumn()},
        )


def peers_page() -> None:
    """Settings (the filters), load the peers document, show the paces, the chart and the tables."""
    lang, version, filters = widgets.page_start()
    doc = with_peer_names(data.load_peers(filters, version), data.load_names(version), lang)

    st.title(state.tr("peers.title"))
    st.caption(state.tr("peers.caption"))
    if not doc.series:
        st.info(state.tr("peers.no_data"))
        return
    message = peers_message(doc, lang)
    pace_metrics(doc, lang)
    widgets.chart(peers_chart(doc, lang, message), name="koers-peers")
    st.caption(state.tr("peers.flagged_note") + " " + state.tr("peers.definitions_note"))
    fastest_table(doc, lang)
    figures_table(doc, lang)


peers_page()
