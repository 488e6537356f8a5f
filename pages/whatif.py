"""What if? The hiring share the target needs, the chance of making it, and named scenarios side by side."""

import dataclasses
import datetime as dt

import pandas as pd
import streamlit as st

import sections
import ui
from di_metrics import i18n
from di_metrics.analysis.track_record import TrackRecord
from di_metrics.models.levers import DEADLINE_PARAM, LEVERS, MAX_YEAR, SLIDER_KEY, URL_PARAMS, ScenarioInput
from di_metrics.models.projection import decompose, project, required_hire_share, share_at_deadline, what_it_takes
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
from di_metrics.vocab import LADDERS, MILITARY

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
    for key, lever in LEVERS.items():
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
    controls, results = st.columns([1, 2.2], gap="large")
    with controls, st.container(border=True):
        st.markdown(f"**{ui.tr('whatif.levers')}**")
        for key, lever in LEVERS.items():
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
        retention = st.slider(
            ui.tr("whatif.lever_retention"),
            0,
            50,
            0,
            step=5,
            format="%d%%",
            key="lever_retention",
            help=ui.tr("whatif.retention_help"),
        )
        st.slider(
            ui.tr("whatif.lever_parity"), 0.0, 1.0, step=0.25, key="lever_parity", help=ui.tr("whatif.parity_help")
        )
        if st.button(ui.tr("whatif.reset"), width="stretch"):
            for param in URL_PARAMS:
                st.query_params.pop(param, None)
            st.session_state.pop("whatif_base", None)
            st.session_state.pop("lever_refused", None)
            st.rerun()

    levers = {lever.field: st.session_state[f"lever_{key}"] / 100 for key, lever in LEVERS.items()}
    scenario = dataclasses.replace(base, **levers, deadline=int(st.session_state["lever_deadline"]))
    scenario = scenario.with_retention_improvement(retention / 100)
    for key, lever in LEVERS.items():
        st.query_params[lever.param] = f"{st.session_state[f'lever_{key}']:g}"
    st.query_params[DEADLINE_PARAM] = str(scenario.deadline)

    path = project(scenario)
    required = required_hire_share(scenario)
    simulation = ui.run_simulation(scenario)
    with results:
        st.subheader(
            required_hiring_headline(
                required,
                share_at_deadline(scenario, 1.0 - scenario.hire_share_other),
                base.hire_share,
                scenario.target,
                scenario.deadline,
                base.start_year,
                lang,
            )
        )
        st.markdown(
            outcome_sentence(
                path.share_at_deadline,
                scenario.deadline,
                scenario.target,
                path.target_year,
                path.years[-1],
                simulation.probability_target_met,
                lang,
            )
        )
        track = ui.load_track_record(filters, version)
        for note in (band_evidence(track, scenario.deadline - base.start_year, lang), forced_exits_note(path, lang)):
            if note:
                st.caption(note)
        m1, m2 = st.columns(2)
        m3, m4 = st.columns(2)
        m1.metric(
            ui.tr("whatif.metric_required"), i18n.fmt_pct(required, lang) if required is not None else "–", border=True
        )
        m2.metric(
            ui.tr("whatif.metric_share", year=scenario.deadline),
            i18n.fmt_pct(path.share_at_deadline, lang),
            border=True,
        )
        m3.metric(
            ui.tr("whatif.metric_probability"), i18n.fmt_pct(simulation.probability_target_met, lang, 0), border=True
        )
        m4.metric(
            ui.tr("whatif.metric_year"), path.target_year or ui.tr("whatif.not_by", year=path.years[-1]), border=True
        )

        takes_title = ui.tr(
            "whatif.takes_title", target=i18n.fmt_pct(scenario.target, lang, 0), deadline=scenario.deadline
        )
        st.markdown(f"**{takes_title}**")
        rows = [
            {
                ui.tr("whatif.takes_lever"): ui.tr(f"whatif.lever_{key}"),
                ui.tr("whatif.takes_now"): i18n.fmt_pct(now, lang),
                ui.tr("whatif.takes_needed"): lever_needed_text(now, needed, limit, lang),
            }
            for key, (now, needed, limit) in (
                (SLIDER_KEY[field], values) for field, values in what_it_takes(scenario).items()
            )
        ]
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")

    history = ui.load_status(filters, version)["series"]
    history = pd.DataFrame(history).assign(date=lambda f: pd.to_datetime(f["date"]).dt.date)
    leading = ui.load_leading_target(filters, version)
    main_target = ui.load_target(leading["name"], version) if leading else None
    glide = None
    if main_target:
        glide = dataclasses.replace(
            main_target, target_value=scenario.target, deadline=dt.date(scenario.deadline, 12, 31)
        )

    saved = ui.load_scenarios(version)
    compare_names = results.multiselect(
        ui.tr("whatif.compare"),
        [s["name"] for s in saved],
        max_selections=MAX_COMPARED,
        placeholder=ui.tr("whatif.compare_placeholder"),
        key="compare",
    )
    comparisons = []
    for entry in saved:
        if entry["name"] in compare_names:
            other = dataclasses.replace(base, **saved_levers(entry["params"], base.start_year)[0])
            comparisons.append((entry["name"], project(other)))

    fan_title = ui.tr("whatif.fan_title", target=i18n.fmt_pct(scenario.target, lang, 0), deadline=scenario.deadline)
    ui.chart(where=results, fig=ui.fan_figure(history, scenario, glide, lang, fan_title, tuple(comparisons)))
    right, left = st.columns([1, 1], gap="medium")
    with right:
        ladder = (
            st.segmented_control(
                ui.tr("whatif.ladder"),
                tuple(LADDERS),
                default=MILITARY,
                format_func=lambda v: i18n.value_label(v, lang),
                key="ladder",
            )
            or MILITARY
        )
        ranks = ui.load_rank_scenario(filters, ladder, version)
        pipe = ui.load_pipeline(filters, ui.load_dates(version)[-1], version)
        hidden = pipe[pipe["suppressed"] & pipe["value"].isin(ranks.ranks if ranks else ())]
        ranked = None
        if ranks is None or ranks.stock.sum() == 0 or not hidden.empty:
            st.info(ui.tr("whatif.no_rank_model"))
        else:
            ranked = dataclasses.replace(
                ranks, hire_share=scenario.hire_share, growth=scenario.growth, parity=st.session_state["lever_parity"]
            )
            ui.chart(ui.rank_figure(ranked, path.years[-1], lang, ui.tr("whatif.rank_title")))

    parts = decompose(scenario)
    if ranked is not None:
        parts["promotion"] = ui.promotion_gain(ranked, scenario.deadline)  # the levers the rank chart shows
    parts_title = ui.tr("whatif.parts_title", deadline=scenario.deadline)
    ui.chart(where=left, fig=ui.decomposition_figure(tuple(parts.items()), lang, parts_title))
    track_record_section(track)

    sections.frontier_section(scenario, base)
    sections.allocation_section(filters, scenario, base, version)

    st.subheader(ui.tr("whatif.scenarios"))
    rows = [{"name": ui.tr("whatif.baseline"), **base.params()}, {"name": ui.tr("whatif.current"), **scenario.params()}]
    rows += [
        {"name": e["name"], **{**base.params(), **saved_levers(e["params"], base.start_year)[0]}}
        for e in saved
        if e["name"] in compare_names
    ]
    table = pd.DataFrame(
        [
            {
                ui.tr("whatif.col_name"): r["name"],
                ui.tr("whatif.lever_hire"): i18n.fmt_pct(r["hire_share"], lang),
                ui.tr("whatif.lever_att_w"): i18n.fmt_pct(r["attrition_women"], lang),
                ui.tr("whatif.lever_att_m"): i18n.fmt_pct(r["attrition_men"], lang),
                ui.tr("whatif.lever_growth"): i18n.fmt_pct(r["growth"], lang),
                ui.tr("whatif.metric_share", year=r["deadline"]): i18n.fmt_pct(
                    project(
                        dataclasses.replace(base, **{k: r[k] for k in r if hasattr(base, k) and k != "spread"})
                    ).share_at_deadline,
                    lang,
                ),
            }
            for r in rows
        ]
    )
    st.dataframe(table, hide_index=True, width="stretch")
    name_col, button_col = st.columns([3, 1], vertical_alignment="bottom")
    name = name_col.text_input(
        ui.tr("whatif.save_name"), placeholder=ui.tr("whatif.save_placeholder"), key="scenario_name"
    )
    if button_col.button(ui.tr("whatif.save"), key="save_scenario", width="stretch", type="primary") and name.strip():
        params = {**levers, "attrition_women": scenario.attrition_women, "deadline": scenario.deadline}
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
            a.markdown(f"**{entry['name']}**")
            b.caption(
                ui.tr("whatif.saved_by", user=entry["created_by"], when=i18n.fmt_date(entry["created_at"].date(), lang))
            )
            if c.button(ui.tr("whatif.load"), key=f"load_{entry['name']}"):
                st.session_state["pending_levers"] = entry["params"]
                st.rerun()
            d.button(ui.tr("targets.delete"), key=f"delete_scenario_{entry['name']}")
            question = ui.tr("whatif.delete_confirm", name=entry["name"])
            if ui.asked_twice(f"delete_scenario_{entry['name']}", entry["name"], question, ui.tr("targets.delete_yes")):
                ui.write(lambda conn, n=entry["name"]: delete_scenario(conn, n))
                st.rerun()
