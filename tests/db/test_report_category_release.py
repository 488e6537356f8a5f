"""Formal reports per personnel category (issue 30: "per year, category and branch where the data allow") on a
hand-made organisation whose every value is set here, so the hidden ones are known.

Reports 2025 (branch, personnel category): intimidatie B1 military 12, B1 civilian 3 (under the minimum of 5),
B2 military 9, B2 civilian 7; pesten 8, 6, 6, 11; fraude (integrity) 10, 5, 6, 8. Reports 2024 come from a file
without personnel categories: intimidatie B1 20, B2 15; pesten 10, 12.
Workforce 31 December 2025: military B1 24 women and 36 men, B2 16 and 24 (100); civilian B1 20 and 30, B2 10
and 20 (80). Survey wave 2025 (respondents): experienced unwanted behaviour, military 25 of 100 (25%), civilian
12 of 80 (15%); of those, 10 of the 25 military and 6 of the 12 civilians reported it.

By hand: military social-safety reports 2025 = 12 + 9 + 8 + 6 = 35, against 25% of 100 = 25 people: a rate of
1.4; civilian 3 + 7 + 6 + 11 = 27 against 15% of 80 = 12: 2.25. The hidden 3 would come back as B1's intimidatie
(15) minus B1's military (12), or the civilian intimidatie (10) minus B2's civilian (7): the release must not
show both sides of any such difference, which the attacker below checks as linear equations.
"""

from __future__ import annotations

import datetime as dt
import math

import pytest

from di_metrics.analysis import disclosure
from di_metrics.cli.main import main
from di_metrics.queries import meldingen, privacy
from di_metrics.queries.filters import Filters
from di_metrics.queries.reporting_rows import reporting_rows
from di_metrics.storage import store

REPORTS_2025 = {  # (category, kind, branch, personnel category): count
    ("intimidatie", "social_safety", "B1", "military"): 12,
    ("intimidatie", "social_safety", "B1", "civilian"): 3,
    ("intimidatie", "social_safety", "B2", "military"): 9,
    ("intimidatie", "social_safety", "B2", "civilian"): 7,
    ("pesten", "social_safety", "B1", "military"): 8,
    ("pesten", "social_safety", "B1", "civilian"): 6,
    ("pesten", "social_safety", "B2", "military"): 6,
    ("pesten", "social_safety", "B2", "civilian"): 11,
    ("fraude", "integrity", "B1", "military"): 10,
    ("fraude", "integrity", "B1", "civilian"): 5,
    ("fraude", "integrity", "B2", "military"): 6,
    ("fraude", "integrity", "B2", "civilian"): 8,
}
REPORTS_2024 = {("intimidatie", "B1"): 20, ("intimidatie", "B2"): 15, ("pesten", "B1"): 10, ("pesten", "B2"): 12}
STAFF = {("B1", "military"): (24, 36), ("B2", "military"): (16, 24), ("B1", "civilian"): (20, 30)}
STAFF[("B2", "civilian")] = (10, 20)
RESPONDENTS = {"military": (100, 25, 10), "civilian": (80, 12, 6)}  # respondents, experienced it, reported it
Z = 1.959963984540054


def _write(folder) -> dict[str, str]:
    workforce = ["snapshot_date,person_id,gender,org_unit,branch,personnel_category,rank_group"]
    for (branch, group), (women, men) in STAFF.items():
        for gender, n in (("F", women), ("M", men)):
            person = f"{branch}{group}{gender}"
            workforce += [f"2025-12-31,{person}{i},{gender},{branch}U,{branch},{group},manschappen" for i in range(n)]
    survey = ["wave,respondent_id,personnel_category,exp_unwanted,exp_reported"]
    for group, (n, experienced, reported) in RESPONDENTS.items():
        for i in range(n):
            told = "" if i >= experienced else int(i < reported)
            survey.append(f"2025,{group}{i},{group},{int(i < experienced)},{told}")
    items = ["item,construct,scale_min,scale_max,favourable_min"]
    items += ["exp_unwanted,experienced_unwanted_behaviour,0,1,1", "exp_reported,reported_unwanted_behaviour,0,1,1"]
    new = ["year,category,kind,branch,personnel_category,count"]
    new += [f"2025,{c},{k},{b},{g},{n}" for (c, k, b, g), n in REPORTS_2025.items()]
    old = ["year,category,branch,count"] + [f"2024,{c},{b},{n}" for (c, b), n in REPORTS_2024.items()]
    files = {"workforce": workforce, "items": items, "survey": survey, "reports": new, "reports-2024": old}
    paths = {}
    for kind, rows in files.items():
        paths[kind] = folder / f"{kind}.csv"
        paths[kind].write_text("\n".join(rows) + "\n", encoding="utf-8")
    return paths


@pytest.fixture
def conn(db_url, tmp_path):
    for kind, path in _write(tmp_path).items():
        assert main(["import", kind.split("-2")[0], str(path), "--db", db_url]) == 0, kind
    eng = store.make_engine(db_url)
    with store.connect(eng) as c:
        yield c
    eng.dispose()


def _wilson(p: float, n: int) -> tuple[float, float]:
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z / (1 + Z * Z / n) * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n))
    return centre - half, centre + half


@pytest.mark.parametrize(
    ("group", "people", "reports", "n", "p", "told"),
    [("military", 100, 35, 100, 0.25, 10 / 25), ("civilian", 80, 27, 80, 0.15, 6 / 12)],
)
def test_the_reporting_rate_per_personnel_category_is_its_own_reports_over_its_own_people(
    conn, group, people, reports, n, p, told
):
    row = {r.year: r for r in reporting_rows(conn, Filters.of({"personnel_category": [group]}))}[2025]
    assert (row.headcount, row.formal_reports, row.suppressed, row.reports_reason) == (people, reports, False, None)
    assert row.prevalence.share == pytest.approx(p) and row.survey_reported_share == pytest.approx(told)
    low, high = _wilson(p, n)
    rate = row.reporting_rate
    assert rate.value == pytest.approx(reports / (p * people))
    assert rate.low == pytest.approx(reports / (high * people), rel=1e-6)
    assert rate.high == pytest.approx(reports / (low * people), rel=1e-6)


def test_reports_stored_without_a_category_leave_the_category_rate_unknown_with_the_reason(conn):
    military = {r.year: r for r in reporting_rows(conn, Filters.of({"personnel_category": ["military"]}))}[2024]
    assert military.formal_reports is None and military.reporting_rate is None
    assert not military.suppressed and military.reports_reason == "no_personnel_category"
    whole = {r.year: r for r in reporting_rows(conn)}[2024]
    assert whole.formal_reports == 20 + 15 + 10 + 12 and whole.reports_reason is None


def test_a_selection_finer_than_branch_and_category_leaves_the_reports_unknown_never_zero(conn):
    rows = reporting_rows(conn, Filters.of({"rank_group": ["manschappen"], "personnel_category": ["military"]}))
    assert rows and all(r.formal_reports is None and r.reporting_rate is None for r in rows)
    assert all(r.reports_reason == "finer_than_kept" and not r.suppressed for r in rows)


def test_branch_and_category_together_hide_a_small_count_rather_than_show_it(conn):
    (row,) = [
        r
        for r in reporting_rows(conn, Filters.of({"branch": ["B1"], "personnel_category": ["civilian"]}))
        if r.year == 2025
    ]
    assert row.formal_reports is None and row.suppressed  # holds the 3 under the minimum
    cells = meldingen.formal_reports(conn, Filters.of({"personnel_category": ["civilian"]}))
    small = cells[(cells["year"] == 2025) & (cells["category"] == "intimidatie") & (cells["branch"] == "B1")]
    assert bool(small["suppressed"].iloc[0]) and small["count"].isna().all()


def _subtractions(conn) -> list[tuple[str, float | None, float | None]]:
    """The routes to the hidden 3 by hand: (route, one side, the other side); a hidden side is None."""

    def by_kind(sel):
        frame = meldingen.reports_by_kind(conn, Filters.of(sel))
        row = frame[(frame["year"] == 2025) & (frame["category"] == "intimidatie")].iloc[0]
        return None if row["suppressed"] else row["count"]

    def cell(sel, branch):
        frame = meldingen.formal_reports(conn, Filters.of(sel))
        row = frame[(frame["year"] == 2025) & (frame["category"] == "intimidatie") & (frame["branch"] == branch)]
        return None if row["suppressed"].iloc[0] else row["count"].iloc[0]

    return [
        (
            "B1 minus B1 military",
            by_kind({"branch": ["B1"]}),
            by_kind({"branch": ["B1"], "personnel_category": ["military"]}),
        ),
        (
            "civilian minus B2 civilian",
            by_kind({"personnel_category": ["civilian"]}),
            cell({"personnel_category": ["civilian"]}, "B2"),
        ),
        ("all minus military", by_kind({}), by_kind({"personnel_category": ["military"]})),
    ]


def test_no_difference_of_two_shown_figures_gives_the_hidden_count(conn):
    for route, one, other in _subtractions(conn):
        assert one is None or other is None or one - other != 3, route


VALUES = {"branch": ["B1", "B2"], "personnel_category": ["military", "civilian"]}
EVERY = disclosure.selections(VALUES, lambda *_: True)  # the whole, four single values, six pairs
SCOPE = disclosure.Scope(dates=(dt.date(2025, 12, 31),), years=(), waves=(), item=None)


def _attack(conn, secrets=None):
    figures = disclosure.collect(conn, SCOPE, {"reports": EVERY, "reporting": EVERY})
    if secrets is not None:
        figures.secrets = dict(secrets)
    found = disclosure.intervals(figures)
    return figures, found, disclosure.narrow(figures, found)


def test_the_attacker_reading_every_view_of_every_selection_finds_no_hidden_report(conn):
    figures, found, narrow = _attack(conn)
    truth = disclosure.truth(figures)
    for row, value in zip(figures.rows, figures.values, strict=True):
        assert (row @ truth)[0] == pytest.approx(value)  # every shown figure is true
    assert len(EVERY) == 11 and figures.tally["reports"][1] > 0
    assert narrow == {}
    small = "personnel_category=civilian reports 2025 cell intimidatie B1"
    assert found[small][0] <= 3 <= found[small][1] and found[small][1] - found[small][0] >= 3


def _without_category_lines(table, k=None):
    """The decision without the lines along the personnel category (each report line's and branch's total
    over the categories): what the release was before reports were kept per category."""
    year, line = table["year"].astype(str), table["kind"] + "/" + table["category"]
    lines = [
        year + "|" + table["branch"] + "|" + table["personnel_category"],
        year + "|" + line + "|" + table["personnel_category"],
    ]
    return privacy.hide_lines(privacy.primary(table["count"], k or 5), table["count"].astype(float), lines)


def test_without_the_lines_along_the_personnel_category_the_attacker_gets_a_hidden_count(conn, monkeypatch):
    figures, _, narrow = _attack(conn)
    monkeypatch.setattr(meldingen, "hidden_reports", _without_category_lines)
    monkeypatch.setattr(privacy, "_DECISIONS", {})  # the reports decided afresh with the rule swapped
    assert set(_attack(conn, figures.secrets)[2]) - set(narrow)


# A second organisation, after the demo's KMar in 2015: B1's civilians made 0 integrity reports, 1 ongewenst
# gedrag and 0 sociale veiligheid; its military 11, 15 and 7; B2's civilians 20, 30 and 12, its military 40,
# 50 and 25. Lines alone leave B1's civilian integrity and sociale veiligheid (both 0) hidden in lines of two or
# more hidden, yet B1's integrity and sociale veiligheid together (its total 34 minus ongewenst gedrag 16 = 18)
# equal their military parts (the military total 148 minus ongewenst gedrag 65, B2's integrity 40 and sociale
# veiligheid 25 = 18): the two civilian counts add up to 0, so with counts >= 0 each is 0.
ZEROS = {
    ("integriteit", "integrity"): {"B1": (11, 0), "B2": (40, 20)},
    ("ongewenst_gedrag", "social_safety"): {"B1": (15, 1), "B2": (50, 30)},
    ("sociale_veiligheid", "social_safety"): {"B1": (7, 0), "B2": (25, 12)},
}


@pytest.fixture
def zeros(duckdb_url, tmp_path):
    rows = ["year,category,kind,branch,personnel_category,count"]
    for (category, kind), branches in ZEROS.items():
        for branch, (military, civilian) in branches.items():
            rows += [f"2015,{category},{kind},{branch},military,{military}"]
            rows += [f"2015,{category},{kind},{branch},civilian,{civilian}"]
    (tmp_path / "zeros.csv").write_text("\n".join(rows) + "\n")
    assert main(["import", "reports", str(tmp_path / "zeros.csv"), "--db", duckdb_url]) == 0
    eng = store.make_engine(duckdb_url)
    with store.connect(eng) as c:
        yield c
    eng.dispose()


def _attack_reports(conn, secrets=None):
    figures = disclosure.collect(conn, disclosure.Scope(dates=(), years=(), waves=(), item=None), {"reports": EVERY})
    if secrets is not None:
        figures.secrets = dict(secrets)
    return figures, disclosure.narrow(figures, disclosure.intervals(figures))


def test_hidden_zeros_whose_shown_parts_make_up_their_total_are_widened(zeros, monkeypatch):
    figures, narrow = _attack_reports(zeros)
    assert narrow == {}
    b1_civilian = "personnel_category=civilian reports 2015 cell integriteit B1"
    assert b1_civilian in figures.secrets  # 0 reports: under the minimum
    monkeypatch.setattr(meldingen, "widen", lambda table, hidden, cost, lines, complete: hidden)  # lines alone
    monkeypatch.setattr(privacy, "_DECISIONS", {})  # the reports decided afresh with the rule swapped
    _, lines_alone = _attack_reports(zeros, figures.secrets)
    assert lines_alone[b1_civilian] == (0.0, 0.0)


@pytest.fixture
def later_without_category(conn, db_url, tmp_path):
    """The fixture's reports, then a file for 2026 without personnel categories (intimidatie B1 21, B2 16)."""
    path = tmp_path / "reports-2026.csv"
    path.write_text("year,category,branch,count\n2026,intimidatie,B1,21\n2026,intimidatie,B2,16\n", encoding="utf-8")
    assert main(["import", "reports", str(path), "--db", db_url]) == 0
    return conn


def test_a_later_year_without_categories_is_unknown_per_category_not_left_out(later_without_category):
    """Per personnel category, 2026's reports are unknown (neither hidden nor zero), so the summary does not say
    2025's total as if it were the last year: 2026 is the last, and its social-safety count is not known."""
    conn = later_without_category
    frame = meldingen.reports_by_kind(conn, Filters.of({"personnel_category": ["military"]}))
    last = frame[frame["year"] == 2026]
    assert last[["kind", "category"]].values.tolist() == [["social_safety", "intimidatie"]]
    assert not last["known"].any() and not last["suppressed"].any() and last["count"].isna().all()
    assert frame.loc[frame["year"] == 2025, "known"].all()
    from di_metrics.analysis.claims_text import reports_claims

    assert reports_claims(frame) == []  # 2026's count is unknown; 2025's total is not the last year's
    whole = meldingen.reports_by_kind(conn)
    assert whole.loc[whole["year"] == 2026, "count"].tolist() == [21 + 16] and whole["known"].all()


def test_the_word_report_says_not_known_and_why_for_the_years_without_categories(later_without_category):
    import io

    import docx

    from di_metrics.present.report import build_report

    conn = later_without_category
    military = Filters.of({"personnel_category": ["military"]})
    document = docx.Document(io.BytesIO(build_report(conn, military, "en", images=False)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert " in 2025." not in text  # the summary said "35 formal reports on social safety in 2025." as the last
    cells = [[c.text for c in row.cells] for table in document.tables for row in table.rows]
    header = next(row for row in cells if "2026" in row and "2024" in row)
    intimidatie = next(row for row in cells if row and row[0].lower().startswith("intimidat"))
    assert intimidatie[header.index("2026")] == "not known" and intimidatie[header.index("2024")] == "not known"
    assert "In 2024 and 2026 some formal reports were imported without a personnel category" in text
