"""What if? The hiring share the target needs, the chance of making it, and named scenarios side by side."""

import dataclasses

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

import ui
from di_metrics import i18n
from di_metrics.analysis.evaluate import LADDERS, WhatIf, evaluate
from di_metrics.analysis.track_record import TrackRecord
from di_metrics.models.levers import DEADLINE_PARAM, MAX_YEAR, SLIDER_LEVERS, URL_PARAMS, ScenarioInput
from di_metrics.present.narrative import (
    band_evidence,
    forced_exits_note,
    lever_needed_text,
    outcome_sentence,
    required_hiring_headline,
    track_comparison,
    track_table,
)
from di_metrics.storage.scenarios import MAX_COMPARED, delete_scenario, save_scenario, saved_levers
from di_metrics.vocab import MILITARY
from ui import sections

lang, version, filters = ui.page_start()
calibration = ui.load_calibration(filters, version)

st.title(ui.tr("whatif.title"))
if isinstance(calibration, str):
    st.warning(ui.tr(calibration))
    st.stop()
base = calibration.scenario
years = [int(y) for y in calibration.rates["year"]]
st.caption(ui.tr("whatif.caption", first=years[0], last=years[-1], date=i18n.fmt_date(calibration.start_date, lang)))
st.caption(ui.tr(f"rates_from.{calibration.rates_from}"))

# Levers: sliders in percent, seeded from the URL so that a link reproduces the scenario. Every value, from a
# link or a saved scenario, passes the one door (di_metrics.models.levers); what it refuses falls back to the
# calibrated value, and the page says so.
fallback_deadline = min(max(base.deadline, base.start_year + 1), MAX_YEAR)


def seed_levers(chosen: dict, refused: list[str]) -> None:
    """Put validated levers on the sliders, the calibrated value where none (valid) was given; a calibrated
    value beyond its slider (a unit growing 20% a year) starts at the slider's edge (its help names it)."""
    for key, lever in SLIDER_LEVERS.items():
        percent = 100 * chosen.get(lever.field, getattr(base, lever.field))
        st.session_state[f"lever_{key}"] = round(min(max(percent, lever.low), lever.high), 2)
    st.session_state["lever_deadline"] = int(chosen.get("deadline", fallback_deadline))
    st.session_state["lever_refused"] = refused


pending = st.session_state.pop("pending_levers", None)
if pending:
    chosen, refused_fields = saved_levers(pending, base.start_year)
    seed_levers(chosen, [ui.lever_label(f) for f in refused_fields])
    st.session_state["lever_retention"] = 0
elif st.session_state.get("whatif_base") != (filters, version):
    st.session_state["whatif_base"] = (filters, version)
    given, rejected = ScenarioInput.from_url(st.query_params, base.start_year)
    refused = [f"{ui.lever_label(r.field)} ({r.value}: {ui.tr(f'levers.{r.reason}')})" for r in rejected]
    seed_levers(given.levers(), refused)
    st.session_state["lever_parity"] = 0.0
if st.session_state.get("lever_refused"):
    st.info(ui.tr("levers.fell_back", levers="; ".join(st.session_state["lever_refused"])))


@st.fragment
def scenario_panel() -> None:
    """Levers and everything they drive: a lever change reruns only this, not the page's filters and navigation."""
    with ui.friendly_errors():
        levers_and_results()


def levers_and_results() -> None:
    """Settings, then evaluate, then show: every figure below comes from the one result."""
    controls, results = st.columns([1, 2.2], gap="large")
    with controls, st.container(border=True):
        lever_controls()
    result = evaluated()
    for key, lever in SLIDER_LEVERS.items():
        st.query_params[lever.param] = f"{st.session_state[f'lever_{key}']:g}"
    st.query_params[DEADLINE_PARAM] = str(result.scenario.deadline)
    track = ui.load_track_record(filters, version)
    with results:
        headline(result, track)
        what_it_takes_table(result)
    saved_names = [name for name, _ in ui.load_whatif(filters, ladder(), version).saved]
    results.multiselect(
        ui.tr("whatif.compare"),
        saved_names,
        max_selections=MAX_COMPARED,
        placeholder=ui.tr("whatif.compare_placeholder"),
        key="compare",
    )
    charts_of(result, results)
    track_record_section(track)
    sections.frontier_section(result.scenario, base)
    sections.allocation_section(filters, result.scenario, base, version)
    scenario_table(result)
    save_form(result)


def lever_controls() -> None:
    """The sliders (seeded above, kept in the session) and the reset button."""
    st.markdown(f"**{ui.tr('whatif.levers')}**")
    for key, lever in SLIDER_LEVERS.items():
        st.slider(
            ui.tr(f"whatif.lever_{key}"),
            lever.low,
            lever.high,
            step=lever.step,
            key=f"lever_{key}",
            format="%.1f%%",
            help=ui.tr("whatif.calibrated", value=i18n.fmt_pct(getattr(base, lever.field), lang)),
        )
    st.slider(ui.tr("whatif.lever_deadline"), base.start_year + 1, MAX_YEAR, key="lever_deadline")
    st.slider(
        ui.tr("whatif.lever_retention"),
        0,
        50,
        0,
        step=5,
        format="%d%%",
        key="lever_retention",
        help=ui.tr("whatif.retention_help"),
    )
    st.slider(ui.tr("whatif.lever_parity"), 0.0, 1.0, step=0.25, key="lever_parity", help=ui.tr("whatif.parity_help"))
    if st.button(ui.tr("whatif.reset"), width="stretch"):
        for param in URL_PARAMS:
            st.query_params.pop(param, None)
        st.session_state.pop("whatif_base", None)
        st.session_state.pop("lever_refused", None)
        st.rerun()


def evaluated() -> WhatIf:
    """The settings (sliders, the ladder and the compared scenarios, as the session holds them) evaluated."""
    values = {lever.field: st.session_state[f"lever_{key}"] / 100 for key, lever in SLIDER_LEVERS.items()}
    given = ScenarioInput.validated({**values, "deadline": st.session_state["lever_deadline"]}, base.start_year)
    data = ui.load_whatif(filters, ladder(), version)
    compared = st.session_state.get("compare") or []
    return evaluate(
        base,
        given,
        retention=st.session_state["lever_retention"] / 100,
        parity=st.session_state["lever_parity"],
        ranks=data.ranks,
        compared=[(name, params) for name, params in data.saved if name in compared],
        lead=data.lead,
        run=ui.run_simulation,
        promotion=ui.promotion_gain,
    )


def ladder() -> str:
    """The ladder the rank chart shows, as its control below holds it (the military one at first)."""
    return st.session_state.get("ladder") or LADDERS[0]


def headline(result: WhatIf, track: TrackRecord) -> None:
    """The hiring the target needs, the outcome in words, its evidence, and the four figures."""
    s, path, chance = result.scenario, result.path, result.simulation.probability_target_met
    st.subheader(
        required_hiring_headline(
            result.required, result.full_hiring_share, base.hire_share, s.target, s.deadline, base.start_year, lang
        )
    )
    st.markdown(
        outcome_sentence(path.share_at_deadline, s.deadline, s.target, path.target_year, path.years[-1], chance, lang)
    )
    for note in (band_evidence(track, result.years_ahead, lang), forced_exits_note(path, lang)):
        if note:
            st.caption(note)
    m1, m2 = st.columns(2)
    m3, m4 = st.columns(2)
    required = i18n.fmt_pct(result.required, lang) if result.required is not None else "–"
    m1.metric(ui.tr("whatif.metric_required"), required, border=True)
    m2.metric(ui.tr("whatif.metric_share", year=s.deadline), i18n.fmt_pct(path.share_at_deadline, lang), border=True)
    m3.metric(ui.tr("whatif.metric_probability"), i18n.fmt_pct(chance, lang, 0), border=True)
    m4.metric(ui.tr("whatif.metric_year"), path.target_year or ui.tr("whatif.not_by", year=path.years[-1]), border=True)


def what_it_takes_table(result: WhatIf) -> None:
    """Per lever: its value now and what would meet the target with the others as they are."""
    s = result.scenario
    st.markdown(f"**{ui.tr('whatif.takes_title', target=i18n.fmt_pct(s.target, lang, 0), deadline=s.deadline)}**")
    rows = [
        {
            ui.tr("whatif.takes_lever"): ui.tr(f"whatif.lever_{key}"),
            ui.tr("whatif.takes_now"): i18n.fmt_pct(now, lang),
            ui.tr("whatif.takes_needed"): lever_needed_text(now, needed, limit, lang),
        }
        for key, (now, needed, limit) in zip(("hire", "att_w", "growth"), result.takes.values(), strict=True)
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def charts_of(result: WhatIf, results: DeltaGenerator) -> None:
    """The fan chart, the rank model (or why there is none) and the decomposition."""
    s = result.scenario
    history = pd.DataFrame([dataclasses.asdict(p) for p in ui.load_status(filters, version).series])
    comparisons = tuple((c.name, c.path) for c in result.comparisons)
    fan_title = ui.tr("whatif.fan_title", target=i18n.fmt_pct(s.target, lang, 0), deadline=s.deadline)
    ui.chart(where=results, fig=ui.fan_figure(history, s, result.glide, lang, fan_title, comparisons))
    right, left = st.columns([1, 1], gap="medium")
    with right:
        st.segmented_control(
            ui.tr("whatif.ladder"),
            LADDERS,
            default=MILITARY,
            format_func=lambda v: i18n.value_label(v, lang),
            key="ladder",
        )
        if result.ranked is None:
            st.info(ui.tr("whatif.no_rank_model"))
        else:
            ui.chart(ui.rank_figure(result.ranked, result.path.years[-1], lang, ui.tr("whatif.rank_title")))
    parts_title = ui.tr("whatif.parts_title", deadline=s.deadline)
    ui.chart(where=left, fig=ui.decomposition_figure(tuple(result.parts.items()), lang, parts_title))


def scenario_table(result: WhatIf) -> None:
    """The baseline, the current scenario and the compared ones side by side."""
    st.subheader(ui.tr("whatif.scenarios"))
    rows = [
        (ui.tr("whatif.baseline"), result.base, result.baseline_path),
        (ui.tr("whatif.current"), result.scenario, result.path),
        *((c.name, c.scenario, c.path) for c in result.comparisons),
    ]
    table = pd.DataFrame(
        [
            {
                ui.tr("whatif.col_name"): name,
                ui.tr("whatif.lever_hire"): i18n.fmt_pct(s.hire_share, lang),
                ui.tr("whatif.lever_att_w"): i18n.fmt_pct(s.attrition_women, lang),
                ui.tr("whatif.lever_att_m"): i18n.fmt_pct(s.attrition_men, lang),
                ui.tr("whatif.lever_growth"): i18n.fmt_pct(s.growth, lang),
                ui.tr("whatif.metric_share", year=s.deadline): i18n.fmt_pct(path.share_at_deadline, lang),
            }
            for name, s, path in rows
        ]
    )
    st.dataframe(table, hide_index=True, width="stretch")


def save_form(result: WhatIf) -> None:
    """Save the current levers under a name."""
    name_col, button_col = st.columns([3, 1], vertical_alignment="bottom")
    name = name_col.text_input(
        ui.tr("whatif.save_name"), placeholder=ui.tr("whatif.save_placeholder"), key="scenario_name"
    )
    if button_col.button(ui.tr("whatif.save"), key="save_scenario", width="stretch", type="primary") and name.strip():
        params = result.saved_params()
        ui.write(lambda conn: save_scenario(conn, name, params, ui.user_name()))
        st.toast(ui.tr("whatif.saved", name=name))
        st.rerun()


def track_record_section(track: TrackRecord) -> None:
    """How far off the projection was from every past start year, beside a flat line and a straight line."""
    if track.empty:
        st.info(ui.tr("track.none"))
        return
    chart, words = st.columns([1, 1], gap="medium")
    ui.chart(where=chart, fig=ui.track_record_figure(filters, version, lang, ui.tr("track.title")))
    words.markdown(track_comparison(track, lang))
    st.dataframe(track_table(track, lang), hide_index=True, width="stretch")


scenario_panel()
saved = ui.load_scenarios(version)
if saved:
    with st.expander(ui.tr("whatif.saved_list", n=len(saved))):
        for entry in saved:
            a, b, c, d = st.columns([3, 2, 1, 1], vertical_alignment="center")
            a.markdown(f"**{entry.name}**")
            b.caption(
                ui.tr("whatif.saved_by", user=entry.created_by, when=i18n.fmt_date(entry.created_at.date(), lang))
            )
            if c.button(ui.tr("whatif.load"), key=f"load_{entry.name}"):
                st.session_state["pending_levers"] = entry.params
                st.rerun()
            d.button(ui.tr("targets.delete"), key=f"delete_scenario_{entry.name}")
            question = ui.tr("whatif.delete_confirm", name=entry.name)
            if ui.asked_twice(f"delete_scenario_{entry.name}", entry.name, question, ui.tr("targets.delete_yes")):
                ui.write(lambda conn, n=entry.name: delete_scenario(conn, n))
                st.rerun()
