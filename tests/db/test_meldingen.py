"""Formal reports carry a kind: given in the file, or read from the category for files without it; counts under
the minimum are withheld with a sibling, so the year's total cannot give them away."""

from __future__ import annotations

import math

from di_metrics.cli.main import main
from di_metrics.queries.filters import Filters
from di_metrics.queries.meldingen import reports_by_kind
from di_metrics.storage import store


def test_kinds_from_the_file_or_the_category_and_small_counts_withheld(db_url, tmp_path, capsys):
    old = "year,category,count,branch\n2024,integriteit,12,B1\n2024,ongewenst_gedrag,30,B1\n2024,pesten,3,B1\n"
    new = "jaar,category,count,branch,soort\n2025,fraude,9,B1,integriteit\n2025,discriminatie,20,B1,social_safety\n"
    new = new.replace("jaar", "year")
    (tmp_path / "old.csv").write_text(old)
    (tmp_path / "new.csv").write_text(new)
    assert main(["import", "reports", str(tmp_path / "old.csv"), "--db", db_url]) == 0
    assert main(["import", "reports", str(tmp_path / "new.csv"), "--db", db_url]) == 0
    (tmp_path / "bad.csv").write_text("year,category,count,kind\n2026,x,4,weird\n")
    assert main(["import", "reports", str(tmp_path / "bad.csv"), "--db", db_url]) == 2
    assert "unknown kind of report" in capsys.readouterr().err
    eng = store.make_engine(db_url)
    with store.connect(eng) as conn:
        frame = reports_by_kind(conn, Filters(), k=5)
    eng.dispose()
    got = {(r.year, r.kind, r.category): r for r in frame.itertuples()}
    assert (2024, "integrity", "integriteit") in got  # read from the category: the old file has no kind
    assert got[2024, "social_safety", "ongewenst_gedrag"].count == 30
    assert got[2025, "integrity", "fraude"].count == 9 and got[2025, "social_safety", "discriminatie"].count == 20
    assert got[2024, "social_safety", "pesten"].suppressed and math.isnan(got[2024, "social_safety", "pesten"].count)
    assert got[2024, "integrity", "integriteit"].suppressed  # the next smallest, or 3 = total - 12 - 30
    assert not got[2024, "social_safety", "ongewenst_gedrag"].suppressed


def test_a_database_from_before_kinds_gets_the_column_and_reads_kinds_from_categories(db_url):
    import sqlalchemy as sa

    from di_metrics.storage.database import open_database

    eng = open_database(db_url)
    with store.connect(eng, write=True) as conn:
        conn.execute(sa.text("ALTER TABLE formal_report DROP COLUMN kind"))
        conn.execute(
            sa.text(
                "INSERT INTO formal_report (year, category, count, batch_id) "
                "VALUES (2024, 'integriteit', 12, 1), (2024, 'pesten', 30, 1)"
            )
        )
    eng.dispose()
    eng = open_database(db_url)  # opening it again adds the column
    with store.connect(eng) as conn:
        got = {(r.kind, r.category, r.count) for r in reports_by_kind(conn, Filters(), k=5).itertuples()}
    eng.dispose()
    assert got == {("integrity", "integriteit", 12), ("social_safety", "pesten", 30)}


def test_all_branches_minus_the_others_does_not_give_a_hidden_branch_count_away(db_url, tmp_path):
    """B1 has 3 integrity reports (hidden); all branches 23 and B2 20 shown would give it away."""
    rows = "year,category,count,branch\n2024,integriteit,3,B1\n2024,ongewenst,12,B1\n"
    rows += "2024,integriteit,20,B2\n2024,ongewenst,7,B2\n"
    (tmp_path / "r.csv").write_text(rows)
    assert main(["import", "reports", str(tmp_path / "r.csv"), "--db", db_url]) == 0
    eng = store.make_engine(db_url)
    with store.connect(eng) as conn:
        shown = {
            name: reports_by_kind(conn, Filters.of(sel), k=5).set_index("category")["count"]
            for name, sel in (("all", {}), ("B1", {"branch": ["B1"]}), ("B2", {"branch": ["B2"]}))
        }
    eng.dispose()
    assert shown["all"]["integriteit"] == 23  # every hidden cell of the line is inside: the sum is safe
    assert math.isnan(shown["B2"]["integriteit"])  # holds one of the line's two hidden cells: 23 - 20 = 3
    assert math.isnan(shown["B1"]["integriteit"])


def test_reports_keep_their_personnel_category_and_an_unknown_one_is_refused_by_row(db_url, tmp_path, capsys):
    """By hand: B1's pesten 2025 is 14 military and 9 civilian (categorie, in Dutch); the civilian filter reads 9."""
    rows = "year,category,count,branch,categorie\n2025,pesten,14,B1,militair\n2025,pesten,9,B1,burger\n"
    rows += "2025,pesten,20,B2,military\n2025,pesten,11,B2,civilian\n"
    (tmp_path / "r.csv").write_text(rows)
    assert main(["import", "reports", str(tmp_path / "r.csv"), "--db", db_url]) == 0
    (tmp_path / "bad.csv").write_text("year,category,count,branch,personnel_category\n2026,pesten,8,B1,reservist\n")
    assert main(["import", "reports", str(tmp_path / "bad.csv"), "--db", db_url]) == 2
    err = capsys.readouterr().err
    assert "bad.csv" in err and "personnel_category" in err and "unknown personnel category" in err and "2" in err
    eng = store.make_engine(db_url)
    with store.connect(eng) as conn:
        civilian = reports_by_kind(conn, Filters.of({"personnel_category": ["civilian"]}), k=5)
        b1_civilian = reports_by_kind(conn, Filters.of({"branch": ["B1"], "personnel_category": ["civilian"]}), k=5)
        years = set(reports_by_kind(conn, Filters(), k=5)["year"])
    eng.dispose()
    assert civilian.set_index("category")["count"]["pesten"] == 9 + 11
    assert b1_civilian.set_index("category")["count"]["pesten"] == 9
    assert years == {2025}  # the refused file wrote nothing
