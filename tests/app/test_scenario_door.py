"""The one scenario door: links, CLI options, saved scenarios and briefing levers all pass di_metrics.models.levers."""

from __future__ import annotations

import json
import math

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from di_metrics.cli.main import main
from di_metrics.models.levers import MAX_SIMULATIONS, MAX_YEAR, SLIDER_LEVERS, ScenarioInput, ScenarioRejected
from di_metrics.storage import store
from di_metrics.storage.database import open_database
from di_metrics.storage.scenarios import list_scenarios, save_scenario, saved_levers
from tests.support import ROOT


@pytest.mark.parametrize(
    ("params", "field", "reason"),
    [
        ({"h": "nan"}, "hire_share", "not_finite"),
        ({"h": "inf"}, "hire_share", "not_finite"),
        ({"h": "101"}, "hire_share", "out_of_range"),
        ({"aw": "30.1"}, "attrition_women", "out_of_range"),
        ({"g": "-5.5"}, "growth", "out_of_range"),
        ({"t": "9"}, "target", "out_of_range"),
        ({"t": "abc"}, "target", "not_a_number"),
        ({"d": "0"}, "deadline", "deadline_order"),
        ({"d": "2025"}, "deadline", "deadline_order"),  # the start year itself: no year to project
        ({"d": "99999"}, "deadline", "deadline_order"),
        ({"d": "2030.5"}, "deadline", "not_whole"),
    ],
)
def test_the_door_refuses_with_a_reason_and_keeps_the_rest(params, field, reason):
    given, rejected = ScenarioInput.from_url({**params, "am": "7"}, start_year=2025)
    assert [(r.field, r.reason) for r in rejected] == [(field, reason)]
    assert rejected[0].value == next(iter(params.values()))  # as the link wrote it
    assert given.levers() == {"attrition_men": pytest.approx(0.07)}


def test_the_door_accepts_the_edges_of_every_slider():
    edges = {lever.param: str(lever.low) for lever in SLIDER_LEVERS.values()} | {"d": "2026"}
    given, rejected = ScenarioInput.from_url(edges, start_year=2025)
    assert not rejected and given.deadline == 2026 and given.growth == pytest.approx(-0.05)
    highs = {lever.param: str(lever.high) for lever in SLIDER_LEVERS.values()} | {"d": str(MAX_YEAR)}
    given, rejected = ScenarioInput.from_url(highs, start_year=2025)
    assert not rejected and given.hire_share == 1.0 and given.target == 0.5


@pytest.mark.parametrize(("n", "ok"), [(0, True), (MAX_SIMULATIONS, True), (MAX_SIMULATIONS + 1, False), (-1, False)])
def test_simulations_from_none_to_a_hundred_thousand(n, ok):
    given, rejected = ScenarioInput.parse({"simulations": n})
    assert (given.simulations == n) == ok and bool(rejected) != ok


@pytest.fixture
def whatif(demo_db, monkeypatch, modern_pages):
    monkeypatch.setenv("KOERS_DATABASE_URL", demo_db)
    st.cache_data.clear()
    st.cache_resource.clear()

    def run(**params: str) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.query_params["lang"] = "en"
        for key, value in params.items():
            at.query_params[key] = value
        at.run()
        return at.switch_page("pages/whatif.py").run()

    yield run
    st.cache_data.clear()
    st.cache_resource.clear()


def _calibrated(at: AppTest, key: str) -> float:
    """The calibrated value the slider's help text names, in percent."""
    help_text = at.select_slider(key=key).help
    return float(help_text.split(": ")[-1].rstrip("%.").replace(",", ""))


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"h": "nan"}, "Women's share of hires (nan: not a finite number)"),
        ({"d": "0"}, "Deadline (0: must lie after the start year"),
        ({"d": "99999"}, "Deadline (99999: must lie after the start year"),
        ({"aw": "-3"}, "Attrition, women (-3: outside the slider's range)"),
    ],
)
def test_a_bad_link_falls_back_to_the_calibrated_value_and_says_so(whatif, params, named):
    at = whatif(**params)
    assert not at.exception
    assert not at.error
    (info,) = [i.value for i in at.info if "calibrated value stands in" in i.value]
    assert named in info
    assert at.slider(key="lever_deadline").value == 2030  # the demo's calibrated deadline
    assert 0 <= at.select_slider(key="lever_hire").value <= 100
    assert any(b.label == "Reset to the calibrated values" for b in at.button)  # the page is whole, reset included
    assert at.metric and all(m.value for m in at.metric)
    if "h" in params:
        assert at.select_slider(key="lever_hire").value == pytest.approx(_calibrated(at, "lever_hire"), abs=0.05)
        assert at.query_params["h"][0] != "nan"  # the link now carries the value in use
    # the session is not broken: a lever still moves the page, and reset clears the notice
    at.select_slider(key="lever_target").set_value(20.0).run()
    assert not at.exception and at.subheader[0].value.startswith("To reach 20%")
    next(b for b in at.button if b.label == "Reset to the calibrated values").click().run()
    assert not at.exception and not [i for i in at.info if "calibrated value stands in" in i.value]


def test_a_saved_scenario_that_no_longer_passes_falls_back_per_lever(whatif, demo_db):
    engine = open_database(demo_db)
    with store.connect(engine, write=True) as conn:  # written before the door existed, or by hand
        conn.execute(
            store.scenario.insert().values(
                name="Old",
                params={"hire_share": 0.4, "deadline": 99999, "growth": "nan"},
                created_by="t",
                created_at=__import__("datetime").datetime(2026, 1, 1),
            )
        )
    engine.dispose()
    try:
        at = whatif()
        next(b for b in at.button if b.key == "load_Old").click().run()
        assert not at.exception
        assert at.select_slider(key="lever_hire").value == 40.0
        assert at.slider(key="lever_deadline").value == 2030
        (info,) = [i.value for i in at.info if "calibrated value stands in" in i.value]
        assert "Deadline" in info and "Growth" in info
    finally:
        engine = open_database(demo_db)
        with store.connect(engine, write=True) as conn:
            conn.execute(store.scenario.delete().where(store.scenario.c.name == "Old"))
        engine.dispose()


def test_saving_a_scenario_refuses_what_the_door_refuses(engine):
    with store.connect(engine, write=True) as conn:
        with pytest.raises(ScenarioRejected, match=r"--deadline must be a year after the start year.*not 99999"):
            save_scenario(conn, "x", {"hire_share": 0.3, "deadline": 99999}, "t")
        with pytest.raises(ScenarioRejected, match="--hire-share must be a fraction from 0 to 1, not nan"):
            save_scenario(conn, "x", {"hire_share": math.nan}, "t")
        save_scenario(conn, "ok", {"hire_share": 0.3, "deadline": 2031}, "t")
    with store.connect(engine) as conn:
        (saved,) = list_scenarios(conn)
    assert saved.params == {"hire_share": 0.3, "deadline": 2031}
    assert saved_levers({"deadline": 2031}, start_year=2031) == ({}, ["deadline"])


@pytest.mark.parametrize(
    "options",
    [
        ["--deadline", "99999"],
        ["--deadline", "0"],
        ["--hire-share", "nan"],
        ["--growth", "inf"],
        ["--attrition-women", "0.5"],
        ["--simulations", "100001"],
        ["--simulations", "-5"],
        ["--until", "5000"],
        ["--women", "nan"],
        ["--start-year", "-3"],
    ],
)
def test_the_cli_refuses_a_bad_lever_with_exit_code_2(options, capsys):
    explicit = ["--start-year", "2025", "--women", "100", "--men", "400", "--hire-share", "0.2"]
    explicit += ["--attrition-women", "0.1", "--attrition-men", "0.1"]
    assert main(["project", *explicit, *options, "--json"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.strip()
    assert options[0].removeprefix("--") in err


def test_the_cli_accepts_the_same_levers_within_range(capsys):
    args = ["project", "--start-year", "2025", "--women", "100", "--men", "400", "--hire-share", "0.2"]
    args += ["--attrition-women", "0.1", "--attrition-men", "0.1", "--deadline", "2040", "--json"]
    assert main(args) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["params"]["deadline"] == 2040 and doc["years"][-1] == 2040


def test_export_briefing_refuses_a_bad_lever_with_exit_code_2(tmp_path, capsys):
    out, db = tmp_path / "deck.pptx", tmp_path / "untouched.duckdb"
    assert main(["export", "briefing", "--out", str(out), "--deadline", "99999", "--db", f"duckdb:///{db}"]) == 2
    assert "--deadline must be a year after the start year" in capsys.readouterr().err
    assert not out.exists() and not db.exists()


def test_the_briefing_uses_only_levers_that_pass(demo_db):
    from di_metrics.present.briefing import build_briefing
    from di_metrics.queries.filters import Filters

    engine = open_database(demo_db)
    with store.connect(engine) as conn:
        good = build_briefing(conn, Filters(), "en", {"deadline": 2032})
        bad = build_briefing(conn, Filters(), "en", {"deadline": 99999, "hire_share": math.nan})
        plain = build_briefing(conn, Filters(), "en", {})
    engine.dispose()
    assert "2032" in good.stamp
    assert bad.stamp == plain.stamp


EXPLICIT = ["--start-year", "2025", "--women", "100", "--men", "400", "--hire-share", "0.2"]
EXPLICIT += ["--attrition-women", "0.1", "--attrition-men", "0.1"]


@pytest.mark.parametrize(
    ("options", "dutch"),
    [
        (["--hire-share", "1.5"], "--hire-share moet een fractie van 0 tot 1 zijn, niet 1.5"),
        (["--growth", "inf"], "--growth moet een fractie van -0,05 tot 0,05 zijn, niet inf"),
        (["--simulations", "100001"], "--simulations moet een geheel getal van 0 tot 100.000 zijn, niet 100001"),
        (["--until", "2024"], "--until moet een jaar na het startjaar zijn en uiterlijk 2040, niet 2024"),
        (["--start-year", "2040"], "--start-year moet een jaar van 1950 tot en met 2039 zijn, niet 2040"),
        (["--women", "nan"], "--women moet een eindig getal van minstens 0 zijn, niet nan"),
    ],
)
def test_the_cli_refuses_in_dutch_with_lang_nl(options, dutch, capsys):
    start = [] if options[0] == "--start-year" else ["--start-year", "2025"]
    args = ["project", *start, *EXPLICIT[2:], *options, "--lang", "nl"]
    assert main(args) == 2
    assert capsys.readouterr().err.strip() == dutch


def test_a_huge_whole_number_is_refused_not_a_crash(capsys):
    assert main(["project", *EXPLICIT, "--simulations", "9" * 400]) == 2
    assert "--simulations must be a whole number from 0 to 100,000" in capsys.readouterr().err


def test_minus_zero_is_plain_zero(capsys):
    assert main(["project", *EXPLICIT, "--hire-share", "-0", "--lang", "nl"]) == 0
    out = capsys.readouterr().out
    assert "Met deze instellingen is het aandeel" in out and "-0" not in out


def test_a_calibrated_value_beyond_its_slider_is_held_at_the_slider_edge(tmp_path, monkeypatch, modern_pages):
    """A unit growing 20% a year with 40% attrition: the page shows the slider's edge, it does not crash."""
    from di_metrics.storage.ingest import import_file

    rows = ["snapshot_date,gender,headcount,hires,exits"]
    women, men = 100, 400
    for year in range(2020, 2026):
        hires_w, hires_m = round(0.6 * women), round(0.6 * men)  # 40% leave, 60% come: 20% growth a year
        rows += [
            f"{year}-12-31,F,{women},{hires_w},{round(0.4 * women)}",
            f"{year}-12-31,M,{men},{hires_m},{round(0.4 * men)}",
        ]
        women, men = round(women * 1.2), round(men * 1.2)
    (tmp_path / "headcounts.csv").write_text("\n".join(rows) + "\n")
    url = f"duckdb:///{tmp_path / 'growing.duckdb'}"
    engine = open_database(url)
    import_file(engine, "headcount", tmp_path / "headcounts.csv")
    with store.connect(engine) as conn:
        from di_metrics.analysis.calibration import calibrate
        from di_metrics.queries.filters import Filters

        base = calibrate(conn, Filters()).scenario
    engine.dispose()
    assert base.growth > 0.05 and base.attrition_women > 0.30  # beyond the sliders, as built
    monkeypatch.setenv("KOERS_DATABASE_URL", url)
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page("pages/whatif.py").run()
    st.cache_data.clear()
    st.cache_resource.clear()
    assert not at.exception
    assert at.select_slider(key="lever_growth").value == SLIDER_LEVERS["growth"].high
    assert at.select_slider(key="lever_att_w").value == SLIDER_LEVERS["att_w"].high


@pytest.mark.parametrize("params", [[0.4, 2035], "hire_share=0.4", 5, {"hire_share": 10**400}])
def test_a_saved_scenario_of_the_wrong_shape_falls_back_entirely(params):
    levers, refused = saved_levers(params, 2025)
    assert levers == {}
    every = [*(lever.field for lever in SLIDER_LEVERS.values()), "deadline"]  # no mapping: every lever falls back
    assert refused == (["hire_share"] if isinstance(params, dict) else every)


def test_loading_a_saved_scenario_that_is_no_mapping_keeps_the_page(whatif, demo_db):
    engine = open_database(demo_db)
    with store.connect(engine, write=True) as conn:  # written by hand, straight into the table
        conn.execute(
            store.scenario.insert().values(
                name="Odd", params=[0.4, 2035], created_by="t", created_at=__import__("datetime").datetime(2026, 1, 1)
            )
        )
    engine.dispose()
    try:
        at = whatif()
        next(b for b in at.button if b.key == "load_Odd").click().run()
        assert not at.exception
        (info,) = [i.value for i in at.info if "calibrated value stands in" in i.value]
        assert "Women's share of hires" in info and "Deadline" in info
        assert at.select_slider(key="lever_hire").value == pytest.approx(_calibrated(at, "lever_hire"), abs=0.05)
    finally:
        engine = open_database(demo_db)
        with store.connect(engine, write=True) as conn:
            conn.execute(store.scenario.delete().where(store.scenario.c.name == "Odd"))
        engine.dispose()
