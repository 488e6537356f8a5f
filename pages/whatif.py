"""What if? The hiring share the target needs, the chance of making it, and named scenarios side by side."""

import pyarrow as pa
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from di_metrics import i18n
from di_metrics.analysis.claims_notes import rates_claim
from di_metrics.analysis.evaluate import WhatIf, evaluate
from di_metrics.analysis.track_record import TrackRecord
from di_metrics.models.levers import MAX_YEAR, SLIDER_LEVERS, URL_PARAMS, ScenarioInput
from di_metrics.models.projection import path_scenario
from di_metrics.present.claims import render
from di_metrics.present.narrative import (
    forced_exits_note,
    lever_needed_text,
    outcome_sentence,
    required_hiring_headline,
    track_comparison,
    track_table,
)
from di_metrics.present.rank_fold_text import fold_note
from di_metrics.vocab import LADDERS, MILITARY
from ui import data, levers, moves, scenarios, sections, widgets

lang, version, filters = widgets.page_start()


def tr(key: str, **values: object) -> str:
    """Text in the page's language, read once per run (a move reruns the levers' fragment, never the language
    switch, and every other text of the fragment is in `lang` too): `state.tr` asks the session at every text."""
    return i18n.t(key, lang, **values)


calibration = data.load_calibration(filters, version)

st.title(tr("whatif.title"))
if isinstance(calibration, str):
    st.warning(tr(calibration))
    st.stop()
base = calibration.scenario
years = [int(y) for y in calibration.rates["year"]]
st.caption(tr("whatif.caption", first=years[0], last=years[-1], date=i18n.fmt_date(calibration.start_date, lang)))
st.caption(render(rates_claim(calibration), lang))

# Levers: sliders in percent, seeded from the URL so that a link reproduces the scenario. Every value, from a
# link or a saved scenario, passes the one door (di_metrics.models.levers); what it refuses falls back to the
# calibrated value, and the page says so. ui/levers.py keeps them for the session and in the URL.


def seed_from_saved_or_link() -> None:
    """Settings: a saved scenario being loaded, else the link's levers when the selection, the data or the URL
    changed (a link, Back, Forward), each through the one door; what it refused is named."""
    pending = st.session_state.pop("pending_levers", None)
    if pending:
        chosen, refused_fields = data.saved_levers(pending, base.start_year)
        levers.seed(base, chosen, [widgets.lever_label(f) for f in refused_fields], retention=0)
    else:
        levers.from_link_if_changed(base, (filters, version), widgets.lever_label)
    if st.session_state.get("lever_refused"):
        st.info(tr("levers.fell_back", levers="; ".join(st.session_state["lever_refused"])))


seed_from_saved_or_link()


@st.fragment
def scenario_panel() -> None:
    """Levers and everything they drive: a lever change reruns only this, not the page's filters and navigation."""
    with widgets.friendly_errors():
        levers_and_results()


def levers_and_results() -> None:
    """Settings, then evaluate, then show: every figure below comes from the one result."""
    controls, results = st.columns([1, 2.2], gap="large")
    with controls, st.container(border=True):
        lever_controls()
    result = evaluated()
    levers.write_url(result.scenario.deadline)
    with results:
        headline(result)
        what_it_takes_table(result)
    scenarios.compare_picker(results, [name for name, _ in moves.whatif_data(filters, ladder(), version).saved])
    scenarios.compare_notes(results, filters, version, lang)
    charts_of(result, results)
    # Opened on request: a move computes what is on screen only (each is also cached by its inputs).
    if opened("track"):
        track_record_section(data.load_track_record(filters, version))
    if opened("frontier"):
        sections.frontier_section(result.scenario, base)
    if opened("allocation"):
        sections.allocation_section(filters, result.scenario, base, version)
    scenario_table(result)
    scenarios.save_and_present(result, filters, calibration.start_date, version)


def lever_controls() -> None:
    """The sliders (seeded above, kept in the session) and the reset button."""
    st.markdown(f"**{tr('whatif.levers')}**")
    for key, lever in SLIDER_LEVERS.items():
        widgets.number_slider(
            tr(f"whatif.lever_{key}"),
            lever.low,
            lever.high,
            lever.step,
            f"lever_{key}",
            0 if lever.step >= 1 else 1,  # the target in whole percents, the rates to a tenth
            value=levers.value(f"lever_{key}", lever.low),
            help=tr("whatif.calibrated", value=i18n.fmt_pct(getattr(base, lever.field), lang)),
        )
    deadline = levers.value("lever_deadline", levers.fallback_deadline(base))
    st.slider(tr("whatif.lever_deadline"), base.start_year + 1, MAX_YEAR, deadline, key="lever_deadline")
    widgets.number_slider(
        tr("whatif.lever_retention"),
        0,
        50,
        5,
        "lever_retention",
        0,
        value=levers.value("lever_retention", 0),
        help=tr("whatif.retention_help"),
    )
    widgets.number_slider(
        tr("whatif.lever_parity"),
        0,
        1,
        0.25,
        "lever_parity",
        2,
        percent=False,
        value=levers.value("lever_parity", 0.0),
        help=tr("whatif.parity_help"),
    )
    levers.remember()
    if st.button(tr("whatif.reset"), width="stretch"):
        for param in URL_PARAMS:
            st.query_params.pop(param, None)
        st.session_state.pop("whatif_base", None)
        st.session_state.pop("lever_refused", None)
        st.rerun()


def evaluated() -> WhatIf:
    """The settings (sliders, the ladder and the compared scenarios, as the session holds them) evaluated."""
    values = {lever.field: st.session_state[f"lever_{key}"] / 100 for key, lever in SLIDER_LEVERS.items()}
    given = ScenarioInput.validated({**values, "deadline": st.session_state["lever_deadline"]}, base.start_year)
    loaded = moves.whatif_data(filters, ladder(), version)
    compared = st.session_state.get("compare") or []
    return evaluate(
        base,
        given,
        retention=st.session_state["lever_retention"] / 100,
        parity=st.session_state["lever_parity"],
        ranks=loaded.ranks,
        compared=[(name, params) for name, params in loaded.saved if name in compared],
        lead=loaded.lead,
        run=data.run_simulation,
        promotion=moves.promotion_gain,
    )


def opened(section: str) -> bool:
    """A section the user opened (its switch, kept in the session); closed ones cost a move nothing."""
    return st.toggle(tr(f"whatif.show_{section}"), key=f"show_{section}")


def ladder() -> str:
    """The ladder the rank chart shows, as its control below holds it (the military one at first)."""
    return st.session_state.get("ladder") or MILITARY


def headline(result: WhatIf) -> None:
    """The hiring the target needs, the outcome in words, its evidence, and the four figures."""
    s, path, chance = result.scenario, result.path, result.simulation.probability_target_met
    st.subheader(required_hiring_headline(s, base.hire_share, result.required, result.full_hiring_share, lang))
    st.markdown(outcome_sentence(path, result.simulation, lang))
    notes = (
        moves.centre_note(path_scenario(s), s.deadline, lang),  # the paths, not the target
        *moves.track_notes(filters, version, result.years_ahead, lang),  # the track record's evidence and verdict
        forced_exits_note(path, lang),
    )
    for note in notes:
        if note:
            st.caption(note)
    m1, m2 = st.columns(2)
    m3, m4 = st.columns(2)
    required = i18n.fmt_pct(result.required, lang) if result.required is not None else "–"
    defined = {m: tr(f"metric_definition.whatif_{m}") for m in ("required", "share", "chance", "year")}
    m1.metric(tr("whatif.metric_required"), required, border=True, help=defined["required"])
    share = i18n.fmt_pct(path.share_at_deadline, lang)
    m2.metric(tr("whatif.metric_share", year=s.deadline), share, border=True, help=defined["share"])
    m3.metric(tr("whatif.metric_probability"), i18n.fmt_pct(chance, lang, 0), border=True, help=defined["chance"])
    reached = path.target_year or tr("whatif.not_by", year=path.years[-1])
    m4.metric(tr("whatif.metric_year"), reached, border=True, help=defined["year"])


def what_it_takes_table(result: WhatIf) -> None:
    """Per lever: its value now and what would meet the target with the others as they are."""
    s = result.scenario
    st.markdown(f"**{tr('whatif.takes_title', target=i18n.fmt_pct(s.target, lang, 0), deadline=s.deadline)}**")
    lever_col, now_col, needed_col = (tr(f"whatif.takes_{c}") for c in ("lever", "now", "needed"))
    rows = [
        {
            lever_col: tr(f"whatif.lever_{key}"),
            now_col: i18n.fmt_pct(now, lang),
            needed_col: lever_needed_text(now, needed, limit, lang, s, lever),
        }
        for key, (lever, (now, needed, limit)) in zip(("hire", "att_w", "growth"), result.takes.items(), strict=True)
    ]
    text_table(rows)


def text_table(rows: list[dict[str, str | None]]) -> None:
    """Rows of texts as a table, handed over as Arrow columns: no pandas frame to build and convert on every
    move. Columns as a frame of these rows has them (first seen first), a cell a row lacks empty."""
    names = list(dict.fromkeys(name for row in rows for name in row))
    st.dataframe(pa.table({n: [row.get(n) for row in rows] for n in names}), hide_index=True, width="stretch")


def charts_of(result: WhatIf, results: DeltaGenerator) -> None:
    """The fan chart, the rank model (or why there is none) and the decomposition."""
    s = result.scenario
    compared = tuple((c.name, c.scenario) for c in result.comparisons)
    fan_title = tr("whatif.fan_title", target=i18n.fmt_pct(s.target, lang, 0), deadline=s.deadline)
    widgets.chart(where=results, fig=moves.fan_figure(filters, version, s, result.glide, lang, fan_title, compared))
    right, left = st.columns([1, 1], gap="medium")
    with right:
        st.segmented_control(
            tr("whatif.ladder"),
            list(LADDERS),
            default=MILITARY,
            format_func=lambda v: i18n.value_label(v, lang),
            key="ladder",
        )
        if result.ranked is None:
            st.info(tr("whatif.no_rank_model"))
        elif opened("ranks"):
            widgets.chart(data.rank_figure(result.ranked, result.path.years[-1], lang, tr("whatif.rank_title")))
            if note := fold_note(result.ranked.fold, lang):
                st.caption(note)
    parts_title = tr("whatif.parts_title", deadline=s.deadline)
    widgets.chart(where=left, fig=moves.decomposition_figure(tuple(result.parts.items()), lang, parts_title))


def scenario_table(result: WhatIf) -> None:
    """The baseline, the current scenario and the compared ones side by side."""
    st.subheader(tr("whatif.scenarios"))
    rows = [
        (tr("whatif.baseline"), result.base, result.baseline_path),
        (tr("whatif.current"), result.scenario, result.path),
        *((c.name, c.scenario, c.path) for c in result.comparisons),
    ]
    name, hire, att_w, att_m, growth = (tr(f"whatif.{k}") for k in SCENARIO_COLUMNS)
    text_table(
        [
            {
                name: row_name,
                hire: i18n.fmt_pct(s.hire_share, lang),
                att_w: i18n.fmt_pct(s.attrition_women, lang),
                att_m: i18n.fmt_pct(s.attrition_men, lang),
                growth: i18n.fmt_pct(s.growth, lang),
                tr("whatif.metric_share", year=s.deadline): i18n.fmt_pct(path.share_at_deadline, lang),
            }
            for row_name, s, path in rows
        ]
    )


SCENARIO_COLUMNS = ("col_name", "lever_hire", "lever_att_w", "lever_att_m", "lever_growth")


def track_record_section(track: TrackRecord) -> None:
    """How far off the projection was from every past start year, beside a flat line and a straight line."""
    if track.empty:
        st.info(track_comparison(track, lang))
        return
    chart, words = st.columns([1, 1], gap="medium")
    widgets.chart(where=chart, fig=data.track_record_figure(filters, version, lang, tr("track.title")))
    words.markdown(track_comparison(track, lang))
    st.dataframe(track_table(track, lang), hide_index=True, width="stretch")


scenario_panel()


scenarios.saved_list(version, lang)
