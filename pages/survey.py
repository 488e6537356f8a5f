"""Survey: how employees perceive inclusion and social safety, side by side with representation.

Settings, load, show: `Survey` holds what every tab reads (the source, the codebook, the measures), and each
tab is one function."""

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from di_metrics import i18n
from di_metrics.config import min_survey_cell, min_workforce_cell
from di_metrics.models.metrics import INDICATOR, SURVEY, names_of
from di_metrics.present import export, safety_text
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
from di_metrics.present.safety_views import report_cells_table, reporting_chart, reporting_table
from di_metrics.present.tables import safe_table
from di_metrics.queries.filters import Filters
from di_metrics.queries.representation import NO_DATES, NO_SCORES
from di_metrics.vocab import (
    BRANCH,
    BREAKDOWNS,
    GENDER,
    GROUP_SEPARATOR,
    INCLUSION,
    MEN,
    ORG_UNIT,
    SAFETY_MEASURES,
    WOMEN,
    group_parts,
    two_way,
)
from ui import data, state, widgets

TABS = ("groups", "twoway", "answers", "representation", "safety", "public")


@dataclass(frozen=True)
class Survey:
    """The page's settings and what every tab reads: the chosen source, the codebook and the measures."""

    lang: str
    version: int
    filters: Filters
    k: int
    codebook: pd.DataFrame
    source: str | None  # respondents or aggregate; None when there are no survey results at all
    constructs: list[str]
    measures: list[str]

    @property
    def respondents(self) -> bool:
        return self.source == "respondents"

    def load(self, measure: str, by: str | None, reference: str | None = None) -> pd.DataFrame:
        return data.load_results(self.filters, measure, by, reference, self.source, self.version)

    def dims_of(self, measure: str) -> list[str]:
        """The breakdowns a measure has: every dimension for answers, the file's columns for a vendor table."""
        if self.respondents:
            return list(BREAKDOWNS)
        return [d for d in BREAKDOWNS if d in data.load_result_dimensions(measure, self.version)]

    def dim_label(self, d: str) -> str:
        return i18n.t("survey.by_gender", self.lang) if d == GENDER else i18n.t(f"filters.{d}", self.lang)

    def measure_label(self, m: str) -> str:
        if m in self.codebook.index:
            return self.codebook.loc[m, f"text_{self.lang}"] or m
        key = f"survey.construct_{m}"
        return i18n.t(key, self.lang) if key in i18n.catalogue(self.lang) else m

    def group_label(self, g: str) -> str:
        return GROUP_SEPARATOR.join(i18n.value_label(p, self.lang) for p in group_parts(g))

    def no_rows(self, measure: str) -> None:
        shown = ", ".join(self.dim_label(d).lower() for d in self.dims_of(measure)) or "–"
        st.info(
            state.tr("survey_results.no_rows_here", dims=shown)
            if not self.respondents
            else state.tr("overview.no_data")
        )


def source_picker(catalog: dict[str, list[str]], lang: str) -> str | None:
    """Respondent answers or a vendor's tables, when both are there; None when there is neither."""
    sources = [s for s in ("respondents", "aggregate") if catalog.get(s)]
    if not sources:
        return None
    source = sources[0]
    if len(sources) > 1:
        source = (
            st.segmented_control(
                state.tr("survey_results.source"),
                sources,
                default="respondents",
                format_func=lambda s: i18n.t(f"survey_results.source_{s}", lang),
                key="survey_source",
            )
            or "respondents"
        )
    st.caption(state.tr(f"survey_results.showing_{source}"))
    return source


def groups_tab(s: Survey) -> None:
    """A measure per group over the chosen waves, with intervals and the differences that stand out."""
    c1, c2, c3 = st.columns(3)
    measure = c1.selectbox(
        state.tr("survey.measure"),
        s.measures,
        format_func=s.measure_label,
        key=f"survey_measure_{s.source}",
        index=s.measures.index(INCLUSION) if INCLUSION in s.measures else 0,
    )
    by = c2.selectbox(
        state.tr("survey.by"),
        s.dims_of(measure) or [None],
        format_func=lambda d: s.dim_label(d) if d else i18n.t("survey_results.everyone", s.lang),
        key="survey_by",
    )
    table = s.load(measure, by)
    waves = sorted(table["wave"].unique())
    chosen = c3.multiselect(state.tr("survey.waves"), waves, default=waves[-2:], key=f"survey_waves_{s.source}")
    shown = table[table["wave"].isin(chosen)].assign(group=lambda f: f["group"].map(s.group_label))
    if shown.empty:
        s.no_rows(measure)
        return
    title = state.tr(
        "survey.groups_title",
        measure=s.measure_label(measure).rstrip("."),
        by=(s.dim_label(by) if by else state.tr("survey_results.everyone")).lower(),
    )
    widgets.chart(survey_groups(shown, s.lang, title, s.k))
    st.caption(state.tr("survey.legend_note"))
    view = shown.assign(
        change=[
            ("↑ " if r.differs_from_previous and r.z_previous > 0 else "↓ " if r.differs_from_previous else "")
            for r in shown.itertuples()
        ]
    )
    columns = ["wave", "value", "n", "pct_favourable", "ci_low", "ci_high", "change", "reference"]
    view = view.rename(columns={"group": "value"}).assign(
        reference=[state.tr("survey.differs") if d else "" for d in view["differs_from_reference"]]
    )
    x_note = "survey.x_left_out_short"
    st.dataframe(safe_table(view, columns, s.lang, s.k, as_text=True, x_note=x_note), hide_index=True, width="stretch")
    name = export.file_name("survey", measure, by or "all", filters=s.filters.as_dict())
    widgets.downloads(safe_table(view, columns, s.lang, s.k, x_note=x_note), name)
    st.caption(state.tr("survey.many_comparisons"))


def twoway_tab(s: Survey) -> None:
    """A construct over two breakdowns at once, in the latest wave."""
    c1, c2, c3 = st.columns(3)
    measure = c3.selectbox(
        state.tr("survey.measure"), s.constructs, format_func=s.measure_label, key=f"two_measure_{s.source}"
    )
    dims = s.dims_of(measure)
    if len(dims) < 2:
        st.info(state.tr("survey_results.twoway_needs_two"))
        return
    rows_dim = c1.selectbox(
        state.tr("survey.rows"), [d for d in dims if d != GENDER] or dims, format_func=s.dim_label, key="two_rows"
    )
    cols_dim = c2.selectbox(
        state.tr("survey.columns"), [d for d in dims if d != rows_dim], format_func=s.dim_label, key="two_cols"
    )
    grid = s.load(measure, two_way(rows_dim, cols_dim))
    grid = grid[grid["wave"] == grid["wave"].max()].assign(group=lambda f: f["group"].map(s.group_label))
    if grid.empty:
        s.no_rows(measure)
        return
    title = state.tr("survey.twoway_title", measure=s.measure_label(measure), wave=int(grid["wave"].max()))
    widgets.chart(survey_heatmap(grid, s.lang, title))
    st.caption(state.tr("survey.twoway_note", k=s.k))


def answers_tab(s: Survey) -> None:
    """The Likert distribution of a construct's items in one wave, for everyone or women and men apart."""
    codebook: pd.DataFrame = s.codebook
    constructs = s.constructs
    if not s.respondents or codebook.empty:
        st.info(state.tr("survey_results.answers_need_respondents"))
        return
    c1, c2, c3 = st.columns(3)
    construct = c1.selectbox(
        state.tr("survey.construct"),
        [c for c in constructs if codebook[codebook["construct"] == c]["scale_max"].max() > 1],
        format_func=s.measure_label,
        key="likert_construct",
    )
    answer_waves = sorted(s.load(INCLUSION if INCLUSION in constructs else constructs[0], None)["wave"].unique())
    wave = c2.selectbox(state.tr("survey.wave"), answer_waves[::-1], key="likert_wave")
    split = c3.toggle(state.tr("survey.split_gender"), key="likert_split")
    items = tuple(sorted(codebook.index[codebook["construct"] == construct]))
    dist = data.load_distribution(s.filters, items, int(wave), GENDER if split else None, s.version)
    dist = dist[~dist["suppressed"]].assign(
        group=lambda f: f["group"].map(lambda g: g if g == "all" else i18n.value_label(g, s.lang))
    )
    labels = {i: str(codebook.loc[i, f"text_{s.lang}"]) for i in items}
    widgets.chart(likert_bars(dist, labels, s.lang, state.tr("survey.answers_title", wave=int(wave))))
    st.caption(state.tr("survey.answers_note"))


def representation_tab(s: Survey) -> None:
    """The women's share per branch or unit against how women and men there score on a measure."""
    c1, c2 = st.columns(2)
    options = [m for m in s.measures if {GENDER} < set(s.dims_of(m)) and {BRANCH, ORG_UNIT} & set(s.dims_of(m))]
    if not options:
        st.info(state.tr("survey_results.representation_needs"))
        return
    measure = c1.selectbox(
        state.tr("survey.measure"),
        options,
        format_func=s.measure_label,
        key=f"rep_measure_{s.source}",
        index=options.index(INCLUSION) if INCLUSION in options else 0,
    )
    dim = c2.selectbox(
        state.tr("survey_results.per"),
        [d for d in (BRANCH, ORG_UNIT) if d in s.dims_of(measure)],
        format_func=s.dim_label,
        key="rep_dim",
    )
    found = data.load_representation(s.filters, measure, dim, s.source, s.version)
    if found.missing == NO_SCORES:
        s.no_rows(measure)
        return
    if found.missing is not None:
        st.info(state.tr("overview.no_data" if found.missing == NO_DATES else "survey_results.representation_no_match"))
        return
    name, per = s.measure_label(measure), s.dim_label(dim).lower()
    for builder, key in (
        (representation_scatter, "survey_results.representation_title"),
        (paired_bars, "survey_results.paired_title"),
    ):
        title = state.tr(key, wave=found.wave, measure=name, per=per)
        widgets.chart(builder(found.frame, s.lang, title, measure=name))
    st.info(state.tr("survey.association_note"))


def safety_tab(s: Survey) -> None:
    """Social-safety measures beside the formal reports per year, and the reports per branch."""
    rows = [s.load(m, None).assign(key=key) for key, m in SAFETY_MEASURES.items() if m in s.constructs]
    measures_frame = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()
    reports = data.load_reports(s.filters, s.version)  # kept per branch and personnel category: those apply
    yearly = reports.loc[reports["level"] == "total", ["year", "count"]]
    if measures_frame.empty:
        st.info(state.tr("survey_results.no_safety_measures"))
        return
    marks = [m for key in SAFETY_MEASURES.values() for m in data.load_marks(SURVEY.code(key), s.version)]
    marks = data.load_names(s.version).measures(marks, s.lang)
    widgets.chart(safety_panel(measures_frame, yearly, s.lang, state.tr("survey.safety_title"), marks))
    if marks:
        st.caption(state.tr("measures.marks_note"))
    st.info(state.tr("survey.reports_note"))
    table = report_cells_table(reports, s.lang, min_workforce_cell())
    st.dataframe(table, hide_index=True, width="stretch")


def reporting_panel(s: Survey) -> None:
    """Reporting: more incidents or more willingness? The answer from a split, or why there is none; the
    rate per year; each further change told."""
    result = data.load_reporting(s.filters, s.version)
    st.subheader(state.tr("safety_evidence.title"))
    if not result.rows:
        st.info(state.tr("safety_evidence.none"))
        return
    if result.headline is not None:
        st.markdown(safety_text.change_sentence(result.headline, s.lang))
    widgets.chart(reporting_chart(result, s.lang, safety_text.slide_title(result.headline, s.lang)))
    st.dataframe(reporting_table(result, s.lang), hide_index=True, width="stretch")
    unknown = safety_text.reports_reason_note(result.rows, s.lang)
    if unknown:
        st.caption(unknown)
    for change in result.told:
        if change is not result.headline:
            st.caption(safety_text.change_sentence(change, s.lang))
    st.caption(state.tr("safety_evidence.caption"))


def indicator_charts(lang: str, version: int, filters: Filters) -> None:
    """Every stored organisation-wide indicator (such as the training indicator) over time, with its measures."""
    names = names_of(data.load_indicator_choices(version), INDICATOR)
    if not names:
        return
    st.subheader(state.tr("measures.indicators_title"))
    if filters.values:
        st.caption(state.tr("measures.indicators_whole"))
    marked = False
    for name in names:
        points = data.load_indicator_series(name, version)
        if not points:
            continue
        marks = data.load_names(version).measures(data.load_marks(INDICATOR.code(name), version), lang)
        marked = marked or bool(marks)
        title = state.tr(
            "measures.indicator_title",
            name=i18n.label("target", name, lang),
            value=INDICATOR.shown(points[-1][1], lang),
        )
        widgets.chart(indicator_trend(points, lang, title, marks), name=f"koers-indicator-{name}")
    if marked:
        st.caption(state.tr("measures.marks_note"))


def public_tab(lang: str, version: int) -> None:
    """The civil service's published survey results, women against men, per organisation."""
    published = data.load_published_measures(version)
    if not published:
        st.info(state.tr("survey.no_public"))
        return
    st.caption(state.tr("survey.public_caption"))
    c1, c2 = st.columns(2)
    measure = c1.selectbox(
        state.tr("survey.measure"),
        published,
        key="public_measure",
        index=published.index("inclusion_fair_treatment") if "inclusion_fair_treatment" in published else 0,
    )
    results = data.load_published(measure, version)
    orgs = sorted(results[ORG_UNIT].dropna().unique())
    default = [o for o in ("Ministry of Defence",) if o in orgs]
    org = c2.selectbox(
        state.tr("survey.organisation"),
        [None, *orgs],
        key="public_org",
        index=1 + orgs.index(default[0]) if default else 0,
        format_func=lambda o: i18n.t("survey.civil_service", lang) if o is None else o,
    )
    part = results[(results[ORG_UNIT] == org) if org else results[ORG_UNIT].isna()]
    part = part[part[GENDER].isin([WOMEN, MEN])].assign(
        group=lambda f: f[GENDER].map(lambda g: i18n.value_label(g, lang)),
        differs_from_reference=False,
        ci_low=lambda f: f["pct_favourable"],
        ci_high=lambda f: f["pct_favourable"],
    )
    title = state.tr("survey.public_title", measure=measure, org=org or state.tr("survey.civil_service"))
    widgets.chart(trend_by_group(part, lang, title))
    st.caption(state.tr("survey.public_note"))


def settings() -> Survey:
    """The filters, the source and the measures it has."""
    lang, version, filters = widgets.page_start()
    k = min_survey_cell()
    st.title(state.tr("survey.title"))
    st.caption(state.tr("survey.caption", k=k))
    codebook = data.load_codebook(version)
    catalog = data.load_result_measures(version)
    source = source_picker(catalog, lang)
    if source is None:
        return Survey(lang, version, filters, k, codebook, None, [], [])
    if source == "respondents":
        constructs = sorted(set(codebook["construct"]))
        return Survey(lang, version, filters, k, codebook, source, constructs, constructs + sorted(codebook.index))
    return Survey(lang, version, filters, k, codebook, source, catalog["aggregate"], catalog["aggregate"])


TAB_VIEWS = {
    "groups": groups_tab,
    "twoway": twoway_tab,
    "answers": answers_tab,
    "representation": representation_tab,
    "safety": safety_tab,
}


def survey_page() -> None:
    s = settings()
    tabs = {name: tab for name, tab in zip(TABS, st.tabs([state.tr(f"survey.tab_{t}") for t in TABS]), strict=True)}
    for name, view in TAB_VIEWS.items():
        with tabs[name]:
            if s.source is None:
                st.info(state.tr("survey.no_answers"))
            else:
                view(s)
    with tabs["safety"]:
        reporting_panel(s)
        indicator_charts(s.lang, s.version, s.filters)
    with tabs["public"]:
        public_tab(s.lang, s.version)


survey_page()
