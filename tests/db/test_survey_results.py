"""Vendor survey tables (n and % favourable per group) against values worked out by hand: Wilson bounds by the
closed form, two-proportion z by hand, the rest of the population from the vendor's total, and the privacy
rules of respondent data (under k, the complement, filters that split a hidden set, no hidden reference)."""

from __future__ import annotations

import json
import math

import pytest

from di_metrics.cli.main import main
from di_metrics.queries.filters import Filters
from di_metrics.queries.survey_results import AGGREGATE, RESPONDENTS, aggregate_table, results_table, sources_of
from di_metrics.storage import store

RESULTS = """wave,measure,n,pct_favourable,gender,branch,org_unit
2025,belonging,200,60,,,
2025,belonging,50,40,F,,
2025,belonging,150,66.7,M,,
2025,belonging,,,X,,
2025,belonging,120,70,,B1,U1
2025,belonging,72,50,,B1,U2
2025,belonging,8,25,,B1,U3
2024,belonging,180,50,,,
2024,belonging,40,30,F,,
2024,belonging,140,55.7,M,,
2024,belonging,100,60,,B1,U1
2024,belonging,80,45,,B1,U2
2024,belonging,,,,B1,U3
2025,lonely,100,50,,,
2025,lonely,95,52.63,,B1,
2025,inclusion,300,71,,,
"""
CODEBOOK = """item,construct,text_nl,text_en,scale_min,scale_max,favourable_min,reverse
q1,inclusion,Ik hoor erbij,I belong,1,5,4,false
"""
Z = 1.959963984540054


def wilson(p, n, z=Z):
    """Wilson (1927): (p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n), in percent."""
    centre = p + z * z / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return 100 * (centre - spread) / (1 + z * z / n), 100 * (centre + spread) / (1 + z * z / n)


def z_test(p1, n1, p2, n2):
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    return (p1 - p2) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))


@pytest.fixture
def vendor(db_url, tmp_path):
    (tmp_path / "results.csv").write_text(RESULTS)
    assert main(["import", "survey-results", str(tmp_path / "results.csv"), "--db", db_url]) == 0
    eng = store.make_engine(db_url)
    yield eng
    eng.dispose()


def _rows(engine, measure, by=None, filters=Filters(), **kw):
    with store.connect(engine) as conn:
        table = aggregate_table(conn, filters, measure, by, **kw)
    return {(int(r.wave), r.group): r for r in table.itertuples()}


def test_groups_with_wilson_intervals_and_x_kept_as_published(vendor):
    rows = _rows(vendor, "belonging", "gender")
    women = rows[2025, "F"]
    assert (women.n, women.pct_favourable) == (50, 40)
    assert (women.ci_low, women.ci_high) == pytest.approx(wilson(0.40, 50))
    x = rows[2025, "X"]  # the vendor's X row, suppressed at source, stays a suppressed row (issue 25)
    assert x.suppressed and math.isnan(x.n) and math.isnan(x.pct_favourable)
    assert rows[2024, "M"].pct_favourable == pytest.approx(55.7)


def test_against_the_rest_of_the_population_and_the_previous_wave(vendor):
    women = _rows(vendor, "belonging", "gender")[2025, "F"]
    # the rest: the total read as women plus men (X left out), so the rest of the women is the men
    assert women.z_reference == pytest.approx(z_test(0.40, 50, 0.667, 150))
    assert women.differs_from_reference  # about -3.4
    assert women.z_previous == pytest.approx(z_test(0.40, 50, 0.30, 40))  # about 0.99
    assert not women.differs_from_previous
    unit = _rows(vendor, "belonging", "org_unit")[2025, "U1"]
    # the total is 200 at (50·40 + 150·66.7) / 200 %; U1 is 120 at 70%: the rest 80 at (2000 + 10005 - 8400) / 80 %
    assert unit.z_reference == pytest.approx(z_test(0.70, 120, (2000 + 10005 - 8400) / 8000, 80))


def test_small_units_are_hidden_with_their_complement_and_at_source(vendor):
    units = _rows(vendor, "belonging", "org_unit")
    assert units[2025, "U3"].suppressed and math.isnan(units[2025, "U3"].pct_favourable)  # 8 respondents
    assert units[2025, "U2"].suppressed and math.isnan(units[2025, "U2"].n)  # the next smallest
    assert not units[2025, "U1"].suppressed and units[2025, "U1"].n == 120
    assert units[2024, "U3"].suppressed  # suppressed at source
    assert units[2024, "U2"].suppressed and not units[2024, "U1"].suppressed


def test_filters_that_isolate_a_hidden_unit_are_hidden(vendor):
    for chosen in (["U3"], ["U2"], ["U1", "U2"], ["U1", "U3"]):
        rows = _rows(vendor, "belonging", None, Filters.of({"org_unit": chosen}))
        assert rows[2025, "all"].suppressed, chosen
    # U2 + U3 would be a whole hidden set, but the units' rows hold X (suppressed at source): 120 + 80 beside
    # the women and men would give it away, so a filtered total read from them is withheld
    both = _rows(vendor, "belonging", None, Filters.of({"org_unit": ["U2", "U3"]}))[2025, "all"]
    assert both.suppressed and math.isnan(both.n)
    assert _rows(vendor, "belonging", None, Filters.of({"org_unit": ["U2", "U3"]}))[2024, "all"].suppressed


def test_a_hidden_group_is_never_a_reference(vendor):
    # lonely: the vendor's total is 100, branch B1 95, so the rest is 5 respondents: no test against it
    b1 = _rows(vendor, "lonely", "branch")[2025, "B1"]
    assert not b1.suppressed and math.isnan(b1.z_reference) and not b1.differs_from_reference
    u1 = _rows(vendor, "belonging", "org_unit", reference="U3")[2025, "U1"]
    assert math.isnan(u1.z_reference) and not u1.differs_from_reference
    u1_2024 = _rows(vendor, "belonging", "org_unit")[2025, "U1"]
    assert not math.isnan(u1_2024.z_previous)  # U1 was shown in 2024 too
    u2 = _rows(vendor, "belonging", "org_unit")[2025, "U2"]
    assert math.isnan(u2.z_previous) and not u2.differs_from_previous


def test_cli_survey_on_vendor_results_and_both_sources(vendor, tmp_path, capsys):
    url = vendor.url.render_as_string(hide_password=False)
    assert main(["survey", "--db", url, "--json", "--measure", "belonging", "--by", "org_unit", "--wave", "2025"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["source"] == AGGREGATE
    rows = {r["group"]: r for r in doc["rows"]}
    assert rows["U3"] == {
        "wave": 2025,
        "group": "U3",
        "measure": "belonging",
        "n": None,
        "pct_favourable": None,
        "ci_low": None,
        "ci_high": None,
        "suppressed": True,
        "differs_from_reference": False,
    }
    assert rows["U1"]["n"] == 120 and rows["U1"]["ci_low"] == pytest.approx(wilson(0.7, 120)[0])
    (tmp_path / "items.csv").write_text(CODEBOOK)
    answers = "wave,respondent_id,gender,q1\n" + "".join(f"2025,R{i},F,{5 if i < 8 else 2}\n" for i in range(12))
    (tmp_path / "answers.csv").write_text(answers)
    assert main(["import", "items", str(tmp_path / "items.csv"), "--db", url]) == 0
    assert main(["import", "survey", str(tmp_path / "answers.csv"), "--db", url]) == 0
    capsys.readouterr()
    with store.connect(vendor) as conn:
        assert sources_of(conn, "inclusion") == [RESPONDENTS, AGGREGATE]
        mine = results_table(conn, Filters(), "inclusion")
        theirs = results_table(conn, Filters(), "inclusion", source=AGGREGATE)
    assert mine.iloc[0]["pct_favourable"] == pytest.approx(100 * 8 / 12) and theirs.iloc[0]["n"] == 300
    assert main(["survey", "--db", url, "--json", "--measure", "nothing"]) == 2
    assert "belonging" in capsys.readouterr().err


def test_finer_rows_are_summed_without_x_and_each_wave_read_at_its_own_level(db_url, tmp_path):
    """2024 comes per unit and gender (X included); 2025 per unit only, as vendors change their files."""
    (tmp_path / "shape.csv").write_text(
        "wave,measure,n,pct_favourable,gender,org_unit\n"
        "2024,shape,20,50,F,U1\n2024,shape,30,70,M,U1\n2024,shape,2,0,X,U1\n"
        "2024,shape,25,40,F,U2\n2024,shape,25,60,M,U2\n"
        "2025,shape,55,62,,U1\n2025,shape,45,52,,U2\n"
    )
    assert main(["import", "survey-results", str(tmp_path / "shape.csv"), "--db", db_url]) == 0
    eng = store.make_engine(db_url)
    rows = _rows(eng, "shape", "org_unit")
    eng.dispose()
    u1_2024, u1_2025 = rows[2024, "U1"], rows[2025, "U1"]
    assert (u1_2024.n, u1_2024.pct_favourable) == (50, pytest.approx((20 * 50 + 30 * 70) / 50))  # 62%, X left out
    assert (rows[2024, "U2"].n, rows[2024, "U2"].pct_favourable) == (50, pytest.approx(50))
    assert (u1_2025.n, u1_2025.pct_favourable) == (55, 62)
    assert u1_2025.z_previous == pytest.approx(z_test(0.62, 55, 0.62, 50))
    assert rows[2025, "U2"].z_previous == pytest.approx(z_test(0.52, 45, 0.50, 50))


def _import(db_url, tmp_path, text):
    (tmp_path / "x.csv").write_text(text)
    assert main(["import", "survey-results", str(tmp_path / "x.csv"), "--db", db_url]) == 0
    return store.make_engine(db_url)


def _x_solved(rows, wave, total, parts):
    """n and favourable count of what the shown total holds beyond the shown parts: None when it is not shown."""
    t = rows.get((wave, total))
    if t is None or t.suppressed or any(rows[(wave, p)].suppressed for p in parts):
        return None
    n = t.n - sum(rows[(wave, p)].n for p in parts)
    fav = t.n * t.pct_favourable - sum(rows[(wave, p)].n * rows[(wave, p)].pct_favourable for p in parts)
    return round(n, 6), round(fav / 100, 6)


def test_a_vendor_total_never_gives_away_its_x(db_url, tmp_path):
    """The vendor's total holds 3 X respondents, all favourable (203 at 60.0985% is 122 favourable).

    Total - women - men, or the units summed minus the women and men, must not solve to them."""
    eng = _import(
        db_url,
        tmp_path,
        "wave,measure,n,pct_favourable,gender,org_unit\n"
        "2025,m,203,60.0985,,\n2025,m,50,40,F,\n2025,m,150,66,M,\n2025,m,,,X,\n"
        "2025,m,103,60,,U1\n2025,m,100,60,,U2\n"
        "2024,m,212,50,,\n2024,m,100,50,F,\n2024,m,100,50,M,\n2024,m,12,50,X,\n",
    )
    totals, genders = _rows(eng, "m"), _rows(eng, "m", "gender")
    units = _rows(eng, "m", "org_unit")
    chosen = _rows(eng, "m", None, Filters.of({"org_unit": ["U1", "U2"]}))
    eng.dispose()
    both = {**totals, **{(w, f"g{g}"): r for (w, g), r in genders.items()}}
    # the shown total is the women plus the men: it solves to nothing
    assert _x_solved(both, 2025, "all", ["gF", "gM"]) in (None, (0, 0))
    assert totals[2025, "all"].n == 200
    # the units hold X too: both shown, their sum minus the women and men would be X
    shown_units = [g for (w, g), r in units.items() if w == 2025 and not r.suppressed]
    assert len(shown_units) < 2
    assert chosen[2025, "all"].suppressed  # U1 + U2 = 203, beside 200 women and men
    # an X of 12 (at least the minimum of 10) is reportable: nothing to protect
    assert _x_solved(both, 2024, "all", ["gF", "gM"]) in (None, (0, 0), (12, 6))


@pytest.mark.parametrize(("lang", "says"), [("en", "Source: Vendor tables"), ("nl", "Bron: Tabellen van het")])
def test_the_readable_survey_output_says_which_source_it_shows(vendor, capsys, lang, says):
    url = vendor.url.render_as_string(hide_password=False)
    capsys.readouterr()
    assert main(["survey", "--db", url, "--measure", "belonging", "--lang", lang]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith(says)


def test_a_branch_that_holds_some_of_the_hidden_units_is_hidden(db_url, tmp_path):
    """U2 (6) and U3 (7) are hidden units in different branches: B1 minus the shown U1 would be U2."""
    eng = _import(
        db_url,
        tmp_path,
        "wave,measure,n,pct_favourable,branch,org_unit\n"
        "2025,m,100,60,B1,U1\n2025,m,6,50,B1,U2\n2025,m,7,70,B2,U3\n2025,m,100,70,B2,U4\n",
    )
    units, branches = _rows(eng, "m", "org_unit"), _rows(eng, "m", "branch")
    b1 = _rows(eng, "m", None, Filters.of({"branch": ["B1"]}))
    eng.dispose()
    assert not units[2025, "U1"].suppressed and units[2025, "U2"].suppressed
    for shown in (branches[2025, "B1"], b1[2025, "all"]):
        # solved: B1 - U1 = U2's 6 respondents, unless B1 is withheld
        assert shown.suppressed or shown.n - units[2025, "U1"].n >= 10
