"""Survey: how employees perceive inclusion and social safety, side by side with representation."""

import pandas as pd
import streamlit as st

import ui
from di_metrics import i18n
from di_metrics.config import min_survey_cell, min_workforce_cell
from di_metrics.present.charts.survey import (
    indicator_trend,
    likert_bars,
    paired_bars,
    representation_scatter,
    safety_panel,
    survey_groups,
    survey_heatmap,
    trend_by_group,
)
from di_metrics.present.tables import safe_table
from di_metrics.queries.filters import Filters
from di_metrics.queries.survey import REPORT_CATEGORY
from di_metrics.vocab import (
    BRANCH,
    BREAKDOWNS,
    GENDER,
    GROUP_SEPARATOR,
    INCLUSION,
    ORG_UNIT,
    SAFETY_MEASURES,
    group_parts,
    two_way,
    wave_date,
)
from ui.safety import reporting_panel

lang, version, filters = ui.page_start()
k = min_survey_cell()
codebook = ui.load_codebook(version)

st.title(ui.tr("survey.title"))
st.caption(ui.tr("survey.caption", k=k))


def dim_label(d: str) -> str:
    return i18n.t("survey.by_gender", lang) if d == GENDER else i18n.t(f"filters.{d}", lang)


def measure_label(m: str) -> str:
    if m in codebook.index:
        return codebook.loc[m, f"text_{lang}"] or m
    return i18n.t(f"survey.construct_{m}", lang) if f"survey.construct_{m}" in i18n.catalogue(lang) else m


def group_label(g: str) -> str:
    return GROUP_SEPARATOR.join(i18n.value_label(p, lang) for p in group_parts(g))


def representation_frame(measure: str, dim: str) -> tuple[pd.DataFrame | None, int]:
    """Per branch or unit of the latest wave: the women's share at that wave's date beside women's and men's
    scores; None (with the reason said) when there is nothing to set side by side."""
    scores = load(measure, two_way(dim, GENDER))
    if scores.empty:
        no_rows(measure)
        return None, 0
    latest = int(scores["wave"].max())
    scores = scores[(scores["wave"] == latest) & ~scores["suppressed"]]
    parts = scores["group"].str.split(GROUP_SEPARATOR, regex=False)
    scores = scores.assign(**{dim: parts.str[0], GENDER: parts.str[1]}).pivot_table(
        index=dim, columns=GENDER, values="pct_favourable"
    )
    dates = [d for d in ui.load_dates(version) if d <= wave_date(latest)]
    if not dates:
        st.info(ui.tr("overview.no_data"))
        return None, latest
    workforce = ui.load_compare(filters, dim, dates[-1], dates[-1], version).set_index("value")
    frame = pd.DataFrame(
        {
            "group": scores.index,
            "women_share": workforce["women_share"].reindex(scores.index),
            "score_F": scores.get("F"),
            "score_M": scores.get("M"),
        }
    ).dropna()
    if frame.empty:
        st.info(ui.tr("survey_results.representation_no_match"))
        return None, latest
    return frame, latest


def representation_tab() -> None:
    """The women's share per branch or unit against how women and men there score on a measure."""
    c1, c2 = st.columns(2)
    options = [m for m in measures if {GENDER} < set(dims_of(m)) and {BRANCH, ORG_UNIT} & set(dims_of(m))]
    if not options:
        st.info(ui.tr("survey_results.representation_needs"))
        return
    measure = c1.selectbox(
        ui.tr("survey.measure"),
        options,
        format_func=measure_label,
        key=f"rep_measure_{source}",
        index=options.index(INCLUSION) if INCLUSION in options else 0,
    )
    dim = c2.selectbox(
        ui.tr("survey_results.per"),
        [d for d in (BRANCH, ORG_UNIT) if d in dims_of(measure)],
        format_func=dim_label,
        key="rep_dim",
    )
    frame, latest = representation_frame(measure, dim)
    if frame is None:
        return
    name = measure_label(measure)
    ui.chart(
        representation_scatter(
            frame,
            lang,
            ui.tr("survey_results.representation_title", wave=latest, measure=name, per=dim_label(dim).lower()),
            measure=name,
        )
    )
    ui.chart(
        paired_bars(
            frame,
            lang,
            ui.tr("survey_results.paired_title", wave=latest, measure=name, per=dim_label(dim).lower()),
            measure=name,
        )
    )
    st.info(ui.tr("survey.association_note"))


def indicator_charts() -> None:
    """Every stored organisation-wide indicator (such as the training indicator) over time, with its measures."""
    names = [c.removeprefix("indicator:") for c in ui.load_indicator_choices(version) if c.startswith("indicator:")]
    if not names:
        return
    st.subheader(ui.tr("measures.indicators_title"))
    if filters.values:
        st.caption(ui.tr("measures.indicators_whole"))
    marked = False
    for name in names:
        points = ui.load_indicator_series(name, version)
        if not points:
            continue
        marks = ui.load_marks(f"indicator:{name}", version)
        marked = marked or bool(marks)
        title = ui.tr(
            "measures.indicator_title", name=i18n.label("target", name, lang), value=i18n.fmt_pct(points[-1][1], lang)
        )
        ui.chart(indicator_trend(points, lang, title, marks), name=f"koers-indicator-{name}")
    if marked:
        st.caption(ui.tr("measures.marks_note"))


catalog = ui.load_result_measures(version)
sources = [s for s in ("respondents", "aggregate") if catalog.get(s)]
source = sources[0] if sources else "respondents"
if len(sources) > 1:
    source = (
        st.segmented_control(
            ui.tr("survey_results.source"),
            sources,
            default="respondents",
            format_func=lambda s: i18n.t(f"survey_results.source_{s}", lang),
            key="survey_source",
        )
        or "respondents"
    )
respondents = source == "respondents"
if sources:
    st.caption(ui.tr(f"survey_results.showing_{source}"))


def load(measure: str, by: str | None, reference: str | None = None) -> pd.DataFrame:
    return ui.load_results(filters, measure, by, reference, source, version)


def dims_of(measure: str) -> list[str]:
    """The breakdowns a measure has: every dimension for answers, the file's columns for a vendor table."""
    return (
        list(BREAKDOWNS) if respondents else [d for d in BREAKDOWNS if d in ui.load_result_dimensions(measure, version)]
    )


def no_rows(measure: str) -> None:
    shown = ", ".join(dim_label(d).lower() for d in dims_of(measure)) or "–"
    st.info(ui.tr("survey_results.no_rows_here", dims=shown) if not respondents else ui.tr("overview.no_data"))


tabs = st.tabs(
    [ui.tr(f"survey.tab_{t}") for t in ("groups", "twoway", "answers", "representation", "safety", "public")]
)
if not sources:
    for tab in tabs[:-1]:
        tab.info(ui.tr("survey.no_answers"))
else:
    constructs = sorted(set(codebook["construct"])) if respondents else catalog["aggregate"]
    measures = (constructs + sorted(codebook.index)) if respondents else catalog["aggregate"]
    with tabs[0]:
        c1, c2, c3 = st.columns(3)
        measure = c1.selectbox(
            ui.tr("survey.measure"),
            measures,
            format_func=measure_label,
            key=f"survey_measure_{source}",
            index=measures.index(INCLUSION) if INCLUSION in measures else 0,
        )
        dims = dims_of(measure) or [None]
        by = c2.selectbox(
            ui.tr("survey.by"),
            dims,
            format_func=lambda d: dim_label(d) if d else i18n.t("survey_results.everyone", lang),
            key="survey_by",
        )
        table = load(measure, by)
        waves = sorted(table["wave"].unique())
        chosen = c3.multiselect(ui.tr("survey.waves"), waves, default=waves[-2:], key=f"survey_waves_{source}")
        shown = table[table["wave"].isin(chosen)].assign(group=lambda f: f["group"].map(group_label))
        if shown.empty:
            no_rows(measure)
        else:
            ui.chart(
                survey_groups(
                    shown,
                    lang,
                    ui.tr(
                        "survey.groups_title",
                        measure=measure_label(measure).rstrip("."),
                        by=(dim_label(by) if by else ui.tr("survey_results.everyone")).lower(),
                    ),
                    k,
                )
            )
            st.caption(ui.tr("survey.legend_note"))
            view = shown.assign(
                change=[
                    ("↑ " if r.differs_from_previous and r.z_previous > 0 else "↓ " if r.differs_from_previous else "")
                    for r in shown.itertuples()
                ]
            )
            columns = ["wave", "value", "n", "pct_favourable", "ci_low", "ci_high", "change", "reference"]
            view = view.rename(columns={"group": "value"}).assign(
                reference=[ui.tr("survey.differs") if d else "" for d in view["differs_from_reference"]]
            )
            st.dataframe(safe_table(view, columns, lang, k, as_text=True), hide_index=True, width="stretch")
            ui.downloads(safe_table(view, columns, lang, k), f"koers-survey-{measure}-{by or 'all'}")
            st.caption(ui.tr("survey.many_comparisons"))

    with tabs[1]:
        c1, c2, c3 = st.columns(3)
        measure2 = c3.selectbox(
            ui.tr("survey.measure"), constructs, format_func=measure_label, key=f"two_measure_{source}"
        )
        dims2 = dims_of(measure2)
        if len(dims2) < 2:
            st.info(ui.tr("survey_results.twoway_needs_two"))
        else:
            rows_dim = c1.selectbox(
                ui.tr("survey.rows"),
                [d for d in dims2 if d != GENDER] or dims2,
                format_func=dim_label,
                key="two_rows",
            )
            cols_dim = c2.selectbox(
                ui.tr("survey.columns"), [d for d in dims2 if d != rows_dim], format_func=dim_label, key="two_cols"
            )
            grid = load(measure2, two_way(rows_dim, cols_dim))
            grid = grid[grid["wave"] == grid["wave"].max()].assign(group=lambda f: f["group"].map(group_label))
            if grid.empty:
                no_rows(measure2)
            else:
                ui.chart(
                    survey_heatmap(
                        grid,
                        lang,
                        ui.tr("survey.twoway_title", measure=measure_label(measure2), wave=int(grid["wave"].max())),
                    )
                )
                st.caption(ui.tr("survey.twoway_note", k=k))

    with tabs[2]:
        if not respondents or codebook.empty:
            st.info(ui.tr("survey_results.answers_need_respondents"))
        else:
            c1, c2, c3 = st.columns(3)
            construct = c1.selectbox(
                ui.tr("survey.construct"),
                [c for c in constructs if codebook[codebook["construct"] == c]["scale_max"].max() > 1],
                format_func=measure_label,
                key="likert_construct",
            )
            answer_waves = sorted(load(INCLUSION if INCLUSION in constructs else constructs[0], None)["wave"].unique())
            wave = c2.selectbox(ui.tr("survey.wave"), answer_waves[::-1], key="likert_wave")
            split = c3.toggle(ui.tr("survey.split_gender"), key="likert_split")
            items = tuple(sorted(codebook.index[codebook["construct"] == construct]))
            dist = ui.load_distribution(filters, items, int(wave), GENDER if split else None, version)
            dist = dist[~dist["suppressed"]].assign(
                group=lambda f: f["group"].map(lambda g: g if g == "all" else i18n.value_label(g, lang))
            )
            labels = {i: str(codebook.loc[i, f"text_{lang}"]) for i in items}
            ui.chart(likert_bars(dist, labels, lang, ui.tr("survey.answers_title", wave=int(wave))))
            st.caption(ui.tr("survey.answers_note"))

    with tabs[3]:
        representation_tab()

    with tabs[4]:
        rows = []
        for key, measure_key in SAFETY_MEASURES.items():
            if measure_key in constructs:
                part = load(measure_key, None)
                rows.append(part.assign(key=key))
        measures_frame = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()
        reports = ui.load_reports(Filters.of({BRANCH: filters.as_dict().get(BRANCH, ())}), version)
        yearly = reports.loc[reports["level"] == "total", ["year", "count"]]
        if measures_frame.empty:
            st.info(ui.tr("survey_results.no_safety_measures"))
        else:
            marks = [m for key in SAFETY_MEASURES.values() for m in ui.load_marks(f"survey:{key}", version)]
            ui.chart(safety_panel(measures_frame, yearly, lang, ui.tr("survey.safety_title"), marks))
            if marks:
                st.caption(ui.tr("measures.marks_note"))
            st.info(ui.tr("survey.reports_note"))
            cells = reports[reports["level"] == "cell"]
            fewer = ui.tr("privacy.fewer_than", k=min_workforce_cell())
            shown = [fewer if h else f"{c:.0f}" for c, h in zip(cells["count"], cells["suppressed"], strict=True)]
            per_branch = cells.assign(count=shown).pivot(
                index=["year", "kind", REPORT_CATEGORY], columns=BRANCH, values="count"
            )
            st.dataframe(per_branch, width="stretch")
        reporting_panel(filters, lang, version)

with tabs[4]:
    indicator_charts()

with tabs[5]:
    published = ui.load_published_measures(version)
    if not published:
        st.info(ui.tr("survey.no_public"))
    else:
        st.caption(ui.tr("survey.public_caption"))
        c1, c2 = st.columns(2)
        measure = c1.selectbox(
            ui.tr("survey.measure"),
            published,
            key="public_measure",
            index=published.index("inclusion_fair_treatment") if "inclusion_fair_treatment" in published else 0,
        )
        data = ui.load_published(measure, version)
        orgs = sorted(data[ORG_UNIT].dropna().unique())
        default = [o for o in ("Ministry of Defence",) if o in orgs]
        org = c2.selectbox(
            ui.tr("survey.organisation"),
            [None, *orgs],
            key="public_org",
            index=1 + orgs.index(default[0]) if default else 0,
            format_func=lambda o: i18n.t("survey.civil_service", lang) if o is None else o,
        )
        part = data[(data[ORG_UNIT] == org) if org else data[ORG_UNIT].isna()]
        part = part[part[GENDER].isin(["F", "M"])].assign(
            group=lambda f: f[GENDER].map(lambda g: i18n.value_label(g, lang)),
            differs_from_reference=False,
            ci_low=lambda f: f["pct_favourable"],
            ci_high=lambda f: f["pct_favourable"],
        )
        fig = trend_by_group(
            part, lang, ui.tr("survey.public_title", measure=measure, org=org or ui.tr("survey.civil_service"))
        )
        ui.chart(fig)
        st.caption(ui.tr("survey.public_note"))
