"""AppTest on the demo: branch names on the explorer's chart and filters in the reader's language, the page icons
from Streamlit's Material font, the metric definitions beside the Overview's numbers, and few groups over time
as lines with their values."""

from __future__ import annotations

import json

import pytest

from di_metrics import i18n
from tests.support import ROOT, no_failure

ARMY = {"nl": "Commando Landstrijdkrachten", "en": "Army Command"}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_breakdown_chart_and_filters_name_the_branches(app, lang):
    at = app("pages/explorer.py", lang=lang)
    no_failure(at)
    bars = json.loads(at.get("plotly_chart")[0].proto.spec)["data"][0]
    assert ARMY[lang] in bars["y"] and "CLAS" not in bars["y"]
    table = at.dataframe[0].value
    assert ARMY[lang] in set(table[i18n.t("filters.branch", lang)])
    # the filter lists names, and its value (what the URL carries) stays the code
    branch_filter = at.sidebar.multiselect(key="filter_branch")
    assert ARMY[lang] in branch_filter.options
    branch_filter.set_value(["CLAS"]).run()
    no_failure(at)
    assert at.sidebar.multiselect(key="filter_branch").value == ["CLAS"]


# A branch's row when a unit is selected too: the unit's part, not the branch (written out here, not built).
ARMY_IN_UNIT = {
    "nl": "Commando Landstrijdkrachten binnen Eenheid: 11 Luchtmobiele Brigade",
    "en": "Army Command within Unit: 11 Luchtmobiele Brigade",
}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_breakdown_within_a_selection_names_the_selection_not_the_whole_branch(app, lang):
    """With a branch and one of its units selected, the breakdown by branch shows the unit's part of the branch:
    its row says so, in the chart and the table, rather than reading as the branch's own figure."""
    at = app("pages/explorer.py", lang=lang, branch="CLAS", unit="11 Luchtmobiele Brigade")
    no_failure(at)
    bars = json.loads(at.get("plotly_chart")[0].proto.spec)["data"][0]
    assert list(bars["y"]) == [ARMY_IN_UNIT[lang]]
    assert list(at.dataframe[0].value[i18n.t("filters.branch", lang)]) == [ARMY_IN_UNIT[lang]]
    over_time = [json.loads(c.proto.spec) for c in at.get("plotly_chart")][1]  # the over-time tab alike
    assert [trace["name"] for trace in over_time["data"]] == [ARMY_IN_UNIT[lang]]
    at.selectbox(key="breakdown_by").set_value("org_unit").run()  # a unit is its own whole: named as it is
    assert list(at.dataframe[0].value[i18n.t("filters.org_unit", lang)]) == ["11 Luchtmobiele Brigade"]


def test_one_branch_over_time_is_a_line_with_its_values(app):
    at = app("pages/explorer.py", lang="nl", branch="CLAS")
    no_failure(at)
    over_time = [json.loads(c.proto.spec) for c in at.get("plotly_chart")][1]
    trace = over_time["data"][0]
    assert trace["type"] == "scatter" and trace["name"] == ARMY["nl"]
    written = [s for s in trace["text"] if s]
    # the values are written on the line, in Dutch: a decimal comma and a percent sign
    assert written and all(s.endswith("%") and "," in s for s in written)


def test_page_icons_are_material_symbols_not_emoji():
    source = (ROOT / "app.py").read_text(encoding="utf-8")
    namespace: dict = {}
    start = source.index("ICONS = {")
    exec(source[start : source.index("}\n", start) + 2], namespace)
    assert namespace["ICONS"] and all(
        icon.startswith(":material/") and icon.endswith(":") for icon in namespace["ICONS"].values()
    )
    assert 'page_icon=":material/' in source


def test_the_womens_share_carries_its_definition(app):
    for lang in ("nl", "en"):
        at = app(lang=lang)
        no_failure(at)
        share = next(m for m in at.metric if m.label == i18n.t("overview.latest_share", lang))
        assert share.proto.help == i18n.t("metric_definition.women_share", lang)


def test_dutch_sliders_write_a_decimal_comma(app):
    at = app("pages/whatif.py", lang="nl")
    no_failure(at)
    hire = at.select_slider(key="lever_hire")
    # the value the slider shows, as the page writes numbers: 22,5% and never 22.5%
    assert "22,5%" in hire.options and not any("." in o for o in hire.options)
    assert i18n.fmt_pct(hire.value / 100, "nl", 1) in hire.options  # the value it holds, shown the same way
    parity = at.select_slider(key="lever_parity")
    assert parity.options == ["0,00", "0,25", "0,50", "0,75", "1,00"]


def test_every_measures_table_names_each_measure_in_the_readers_language(app):
    """The register, the evidence and the comparison name a measure as the Word report and the charts do."""
    at = app("pages/measures.py", lang="nl")
    no_failure(at)
    column = i18n.t("measures.col_name", "nl")
    tables = [df.value for df in at.dataframe if column in df.value.columns]
    assert len(tables) == 3
    for table in tables:
        assert "Mentornetwerk voor vrouwen" in set(table[column])
        assert "Mentoring network for women" not in set(table[column])
    edit = i18n.t("measures.edit", "nl")  # an edit form shows the stored name it edits
    labels = [e.label for e in at.expander if not e.label.startswith(edit)]  # each measure's evidence, by name
    assert any(x.startswith("Mentornetwerk voor vrouwen: ") for x in labels)
    assert not any("Mentoring network" in x for x in labels)


def test_a_targets_population_is_named_as_the_sidebar_names_it(own_copy):
    """A target for the Army Command reads 'Branch: Army Command' in the registry, not its code CLAS."""
    import datetime as dt
    import os

    from di_metrics.models.targets import Target
    from di_metrics.storage import store
    from di_metrics.storage.database import open_database
    from di_metrics.storage.targets import save_target

    engine = open_database(os.environ["KOERS_DATABASE_URL"])
    army = Target("army", "women_share", 0.3, dt.date(2030, 12, 31), dt.date(2022, 12, 31), 0.12, {"branch": ("CLAS",)})
    with store.connect(engine, write=True) as conn:
        save_target(conn, army)
    engine.dispose()
    at = own_copy("pages/targets.py")
    registry = at.dataframe[0].value
    assert f"{i18n.t('filters.branch', 'en')}: Army Command" in set(registry[i18n.t("targets.col_scope", "en")])


def test_the_briefing_names_the_measures_in_its_notes_in_the_readers_language(demo_db):
    from di_metrics.present.briefing import build_briefing
    from di_metrics.queries.filters import Filters
    from di_metrics.storage import store
    from di_metrics.storage.database import open_database

    engine = open_database(demo_db)
    with store.connect(engine) as conn:
        notes = " ".join(n for v in build_briefing(conn, Filters(), "nl").views for n in v.notes)
    engine.dispose()
    assert "Week van het aanspreken" in notes and "Speak-up week" not in notes
