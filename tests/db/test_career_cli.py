"""The career commands on the hand-made workforce of tests/support/career.py: their JSON contracts (docs/cli.md)
with figures worked out by hand, and their text in both languages."""

from __future__ import annotations

import json

import pytest

from di_metrics.cli.main import main
from di_metrics.storage.database import open_database
from di_metrics.storage.ingest import import_file
from tests.support import career as fixture


@pytest.fixture
def db(duckdb_url, tmp_path):
    engine = open_database(duckdb_url)
    import_file(engine, "workforce", fixture.write_csv(tmp_path / "career.csv"))
    engine.dispose()
    return duckdb_url


def _json(capsys, *argv: str) -> dict:
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def _imported(tmp_path, lines: list[str], capsys) -> str:
    """A DuckDB file holding the workforce lines, imported through the CLI (its output read away)."""
    path = tmp_path / "workforce.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    url = f"duckdb:///{tmp_path / 'workforce.duckdb'}"
    assert main(["import", "workforce", str(path), "--db", url]) == 0
    capsys.readouterr()
    return url


def test_intake_json(db, capsys):
    doc = _json(capsys, "intake", "--db", db, "--branch", "B1")
    rows = {r["year"]: r for r in doc["rows"]}
    assert list(rows[2019]) == ["year", "hires", "women_hired", "share", "needed_share", "gap_persons", "suppressed"]
    assert doc["no_intake"] is None
    assert (rows[2019]["hires"], rows[2019]["women_hired"], rows[2019]["suppressed"]) == (22, 10, False)
    # B1's 4 women and no men hired in 2021: a branch's hires are exact, as its flows show them (issue 29)
    assert rows[2021] == {**rows[2021], "hires": 4, "women_hired": 4, "share": 1.0, "suppressed": False}


@pytest.mark.parametrize(
    ("dates", "state"), [(("2024-12-31",), "unseen"), (("2024-12-31", "2025-12-31"), "none_hired")]
)
def test_intake_json_says_why_it_has_no_rows(tmp_path, capsys, dates, state):
    """Red before: `{"rows": []}` alone, for a workforce nobody joined as for one whose hires cannot be counted.
    By hand: 10 women and 10 men in U1 on every date given, the same persons."""
    lines = ["snapshot_date,person_id,gender,org_unit,branch,rank_group,personnel_category"]
    lines += [f"{d},{g}{i},{g},U1,B1,manschappen,military" for d in dates for g in "FM" for i in range(10)]
    url = _imported(tmp_path, lines, capsys)
    assert _json(capsys, "intake", "--db", url) == {"rows": [], "no_intake": state}


def test_retention_json(db, capsys):
    doc = _json(capsys, "retention", "--db", db, "--branch", "B1")
    women = [c for c in doc["curves"] if c["group"] == "F"]
    assert [c["t"] for c in women] == [0.0, 1.0, 3.0, 4.0, 5.0]
    assert women[1]["survival"] == pytest.approx(11 / 14) and women[1]["at_risk"] == 14
    assert set(doc["curves"][0]) == {"group", "t", "at_risk", "survival", "low", "high", "suppressed"}
    marks = {(m["group"], m["years"]): m["survival"] for m in doc["milestones"]}
    assert marks[("F", 3)] == pytest.approx(10 / 14) and marks[("M", 1)] == pytest.approx(11 / 12)


def test_promotion_json(db, capsys):
    doc = _json(capsys, "promotion", "--db", db, "--branch", "B2")
    keys = ["rank_group", "women_rate", "men_rate", "impact_ratio", "low", "high", "flag", "women_promoted"]
    assert all(list(level)[:8] == keys for level in doc["levels"])
    women = {p["t"]: p for p in doc["time_to_promotion"] if p["rank_group"] == "manschappen" and p["gender"] == "F"}
    assert women[3.0]["incidence"] == pytest.approx(0.5) and women[5.0]["suppressed"]
    medians = {(m["rank_group"], m["gender"]): m["years"] for m in doc["median_years"]}
    assert medians[("manschappen", "F")] == 3.0 and medians[("manschappen", "M")] == 2.0


@pytest.mark.parametrize(("lang", "words"), [("en", "hires were women"), ("nl", "nieuwe medewerkers vrouw")])
def test_intake_text_in_both_languages(db, capsys, lang, words):
    assert main(["intake", "--db", db, "--branch", "B1", "--lang", lang]) == 0
    out = capsys.readouterr().out
    assert words in out and "2019" in out


def test_promotion_text_states_the_medians_from_their_claim(db, capsys):
    """B2's enlisted: half the women promoted after 3 years in rank, half the men after 2 (as the JSON above)."""
    assert main(["promotion", "--db", db, "--branch", "B2", "--lang", "en"]) == 0
    assert (
        "Enlisted: half of the women are promoted within 3.0 years in rank; half of the men are promoted within"
        " 2.0 years in rank." in capsys.readouterr().out.splitlines()
    )


def test_intake_counts_complete_years_only(tmp_path, capsys):
    """Red before: a first year begun in March counted its nine months' hires as a year's intake (the demo's
    2015: 223 hires against 295 to 483 in every other year), which the flows, per complete year, leave out.
    By hand: snapshots each quarter from 31 March 2024 to 31 December 2025; 10 women and 10 men throughout;
    5 women and 5 men join on 30 June 2024 and 5 and 5 on 30 June 2025."""
    dates = ["2024-03-31", "2024-06-30", "2024-09-30", "2024-12-31", "2025-03-31", "2025-06-30", "2025-09-30"]
    dates.append("2025-12-31")
    lines = ["snapshot_date,person_id,gender,org_unit,branch,rank_group,personnel_category"]
    for d in dates:
        lines += [f"{d},{g}{i},{g},U1,B1,manschappen,military" for g in "FM" for i in range(10)]
        for year in (2024, 2025):
            if d >= f"{year}-06-30":
                lines += [f"{d},{g}new{year}{i},{g},U1,B1,manschappen,military" for g in "FM" for i in range(5)]
    url = _imported(tmp_path, lines, capsys)
    rows = _json(capsys, "intake", "--db", url)["rows"]
    assert [(r["year"], r["hires"], r["women_hired"]) for r in rows] == [(2025, 10, 5)]


def test_intake_without_a_complete_year_is_unseen_not_none(tmp_path, capsys):
    """A maintainer's review: quarterly snapshots from March to December 2024 hold no complete year, so intake
    counts no hire though 10 joined in June; it said 'nobody joined' (counting snapshots, not years).
    By hand: 10 women and 10 men from 31 March, 5 and 5 more from 30 June."""
    lines = ["snapshot_date,person_id,gender,org_unit,branch,rank_group,personnel_category"]
    for d in ("2024-03-31", "2024-06-30", "2024-09-30", "2024-12-31"):
        lines += [f"{d},{g}{i},{g},U1,B1,manschappen,military" for g in "FM" for i in range(10)]
        if d >= "2024-06-30":
            lines += [f"{d},{g}new{i},{g},U1,B1,manschappen,military" for g in "FM" for i in range(5)]
    url = _imported(tmp_path, lines, capsys)
    assert _json(capsys, "intake", "--db", url) == {"rows": [], "no_intake": "unseen"}
