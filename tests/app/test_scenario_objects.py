"""Saved scenarios as whole objects on the What-if page (AppTest): an empty name gets a message, a name in use is
replaced only after a yes, the list shows each scenario's population, the comparison is in the URL, and a
scenario saved on another population says so when compared."""

from __future__ import annotations

from di_metrics.storage import store
from di_metrics.storage.database import open_database
from di_metrics.storage.scenarios import list_scenarios
from tests.support import no_failure


def _saved(at) -> dict[str, tuple]:
    import os

    engine = open_database(os.environ["KOERS_DATABASE_URL"])
    try:
        with store.connect(engine) as conn:
            return {s.name: (s.params["hire_share"], s.population) for s in list_scenarios(conn)}
    finally:
        engine.dispose()


def _save(at, name: str):
    at.text_input(key="scenario_name").input(name)
    at.button(key="save_scenario").click().run()
    no_failure(at)
    return at


def test_an_empty_name_gets_a_message_and_saves_nothing(own_copy):
    at = _save(own_copy("pages/whatif.py"), "   ")
    assert [w.value for w in at.warning] == ["Give the scenario a name before saving it."]
    assert "Saved scenarios" not in " ".join(e.label for e in at.expander)


def test_saving_under_a_name_in_use_asks_first_and_replaces_only_after_yes(own_copy):
    at = own_copy("pages/whatif.py")
    at.select_slider(key="lever_hire").set_value(40.0).run()
    _save(at, "Plan")
    at.select_slider(key="lever_hire").set_value(35.0).run()
    _save(at, "Plan")
    assert [w.value for w in at.warning] == [
        "A scenario named “Plan” already exists. Replace it with the current settings?"
    ]
    assert {name: share for name, (share, _) in _saved(at).items()} == {"Plan": 0.40}  # asking replaced nothing
    at.button(key="overwrite_no").click().run()
    assert not at.warning and _saved(at)["Plan"][0] == 0.40
    _save(at, "Plan")
    at.button(key="overwrite_yes").click().run()
    no_failure(at)
    assert _saved(at)["Plan"][0] == 0.35 and not at.warning


def test_the_population_is_kept_listed_and_a_comparison_elsewhere_says_so(own_copy):
    at = own_copy("pages/whatif.py")
    at.query_params["branch"] = "CLAS"
    at.switch_page("pages/whatif.py").run()
    _save(at, "CLAS plan")
    assert _saved(at)["CLAS plan"][1] == {"branch": ("CLAS",)}
    assert "Branch: Army Command" in " ".join(c.value for c in at.caption)
    # the whole organisation, comparing the CLAS scenario: the page says so, and the URL names the comparison
    at.sidebar.multiselect(key="filter_branch").set_value([]).run()
    at.multiselect(key="compare").set_value(["CLAS plan"]).run()
    no_failure(at)
    assert at.query_params["cmp"] in ("CLAS plan", ["CLAS plan"])  # AppTest gives a single value bare
    captions = " ".join(c.value for c in at.caption)
    assert (
        "“CLAS plan” was saved for Branch: Army Command; here its levers are applied to Whole organisation." in captions
    )


def test_a_comparison_opens_from_its_link(own_copy):
    at = own_copy("pages/whatif.py")
    _save(at, "Kept")
    at.query_params["cmp"] = ["Kept", "never saved"]
    at.switch_page("pages/whatif.py").run()
    no_failure(at)
    assert at.multiselect(key="compare").value == ["Kept"]


def test_loading_a_scenario_brings_back_its_population_and_its_levers(own_copy):
    """A scenario is a whole object: loading the CLAS plan on the whole organisation filters the page to the
    Army Command again (sidebar and URL), with the plan's hiring share."""
    at = own_copy("pages/whatif.py")
    at.query_params["branch"] = "CLAS"
    at.switch_page("pages/whatif.py").run()
    at.select_slider(key="lever_hire").set_value(40.0).run()
    _save(at, "CLAS plan")
    at.sidebar.multiselect(key="filter_branch").set_value([]).run()
    at.select_slider(key="lever_hire").set_value(35.0).run()
    assert at.query_params.get("branch") in (None, [], "")
    at.button(key="load_CLAS plan").click().run()
    no_failure(at)
    assert at.sidebar.multiselect(key="filter_branch").value == ["CLAS"]
    assert at.query_params["branch"] in ("CLAS", ["CLAS"])
    assert at.select_slider(key="lever_hire").value == 40.0
