"""Targets and Measures as two pages, the target form held to exactly the target file's rules, and the Survey
page's tabs, each its own view."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from di_metrics import i18n
from di_metrics.config import min_workforce_cell
from di_metrics.errors import InvalidInput
from di_metrics.models.targets import parse_targets
from di_metrics.queries import workforce
from di_metrics.queries.filters import Filters
from di_metrics.storage import store
from di_metrics.storage.database import open_database
from di_metrics.storage.targets import load_targets
from di_metrics.vocab import wave_date
from tests.support import no_failure


def test_targets_and_measures_are_two_pages(app):
    targets = app("pages/targets.py", lang="en")
    no_failure(targets)
    assert targets.title[0].value == "Targets"
    assert not [t for t in targets.text_input if str(t.key).startswith("measure_")]  # no measure form here
    assert "Measure" not in {c for df in targets.dataframe for c in df.value.columns}

    measures = app("pages/measures.py", lang="nl")
    no_failure(measures)
    assert measures.title[0].value == "Maatregelen"
    register = measures.dataframe[0].value
    assert "Mentornetwerk voor vrouwen" in register["Maatregel"].tolist()  # by its Dutch name (data/examples/names)
    assert "measure_new_name" in {t.key for t in measures.text_input}
    assert not [t for t in measures.text_input if t.key == "new_name"]  # no target form here


def _file(name: str, deadline: str) -> str:
    """The new-target form's defaults (30% by the deadline, 16.0% on 2022-12-31) written as a target file."""
    return (
        f"[[target]]\nname = '{name}'\nmetric = 'women_share'\ntarget_value = 0.3\n"
        f"deadline = {deadline}\nbaseline_date = 2022-12-31\nbaseline_value = 0.16\n"
    )


CASES = {
    "deadline before the baseline": ("women_officers", "2020-12-31", "target_deadline_order"),
    "a blank name": ("   ", "2030-12-31", "target_field_missing"),
}


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_the_target_form_refuses_what_the_file_refuses_by_the_same_rule(app, demo_db, case, lang):
    name, deadline, code = CASES[case]
    with pytest.raises(InvalidInput) as refused:
        parse_targets(_file(name, deadline), "targets.toml")
    assert [p.code for p in refused.value.problems] == [code]  # the file's own refusal

    at = app("pages/targets.py", lang=lang)
    registry, stored = at.dataframe[0].value, _stored(demo_db)
    at.text_input(key="new_name").input(name)
    at.date_input(key="new_deadline").set_value(dt.date.fromisoformat(deadline))
    next(b for b in at.button if str(b.key).startswith("FormSubmitter:target_new-")).click().run()

    no_failure(at)
    assert [e.value for e in at.error] == [p.describe(lang) for p in refused.value.problems]
    assert at.dataframe[0].value.equals(registry) and _stored(demo_db) == stored  # nothing written


def _stored(url: str) -> list:
    eng = open_database(url)
    with store.connect(eng) as conn:
        targets = load_targets(conn)
    eng.dispose()
    return targets


def test_the_refusal_names_the_rule_in_the_readers_words(app):
    at = app("pages/targets.py", lang="en")
    at.text_input(key="new_name").input("women_officers")
    at.date_input(key="new_deadline").set_value(dt.date(2020, 12, 31))
    next(b for b in at.button if str(b.key).startswith("FormSubmitter:target_new-")).click().run()
    assert [e.value for e in at.error] == [
        "column 'deadline': target 1 (women_officers): the deadline must come after the baseline"
    ]


def _titles(element) -> list[str]:
    return [
        json.loads(c.proto.spec)["layout"]["title"]["text"].replace("<br>", " ") for c in element.get("plotly_chart")
    ]


def test_every_survey_tab_shows_its_own_view(app, demo_db):
    at = app("pages/survey.py", lang="en")
    no_failure(at)
    tabs = {t.label: t for t in at.tabs}
    names = ("groups", "twoway", "answers", "representation", "safety", "public")
    assert list(tabs) == [i18n.t(f"survey.tab_{n}", "en") for n in names]
    assert all(_titles(tabs[i18n.t(f"survey.tab_{n}", "en")]) for n in names)  # a chart in every tab

    representation = tabs[i18n.t("survey.tab_representation", "en")]
    scatter, bars = (json.loads(c.proto.spec) for c in representation.get("plotly_chart"))
    assert scatter["layout"]["title"]["text"].startswith("More women, more inclusion?")
    assert "women and men per branch, ordered by the women's share" in bars["layout"]["title"]["text"].replace(
        "<br>", " "
    )
    # The women's share beside each branch is the Explorer's own share on the last snapshot up to the wave's date.
    wave = int(scatter["layout"]["title"]["text"].rsplit("wave ", 1)[1])
    eng = open_database(demo_db)
    with store.connect(eng) as conn:
        on = max(d for d in workforce.snapshot_dates(conn) if d <= wave_date(wave))
        shares = workforce.compare_breakdown(conn, Filters(), "branch", on, on).set_index("value")["women_share"]
    eng.dispose()
    points = {
        text: x for trace in scatter["data"] for text, x in zip(trace.get("text") or [], trace["x"], strict=False)
    }
    assert points and all(x == pytest.approx(shares[branch], abs=5e-4) for branch, x in points.items())

    safety = tabs[i18n.t("survey.tab_safety", "en")]
    reports = next(df.value for df in safety.dataframe)
    assert list(reports.columns) == ["Year", "Kind", "Category", "Branch", "Reports", "Note"]
    hidden = reports[reports["Note"] != ""]
    assert set(hidden["Note"]) <= {i18n.t("privacy.fewer_than", "en", k=min_workforce_cell())}
    assert set(hidden["Reports"]) <= {"–"}
