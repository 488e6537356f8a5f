"""Display names for codes: the `names` import through the one door, read back in both languages, on DuckDB and
PostgreSQL; a database made before names existed gets the table and keeps its data."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from di_metrics.errors import InvalidInput
from di_metrics.queries.names import display_names
from di_metrics.storage import store
from di_metrics.storage.database import open_database
from di_metrics.storage.ingest import import_bytes, undo_batch

GOOD = (
    b"dimension,code,name_nl,name_en\n"
    b"branch,CLAS,Commando Landstrijdkrachten,Army Command\n"
    b"branch,KMar,Koninklijke Marechaussee,\n"
    b"peer,United States,Verenigde Staten,United States\n"
)


def test_names_import_and_read_back(engine):
    result = import_bytes(engine, "names", GOOD, "names.csv")
    assert result.rows == 3
    with store.connect(engine) as conn:
        names = display_names(conn)
    assert names.label("branch", "CLAS", "nl") == "Commando Landstrijdkrachten"
    assert names.label("branch", "CLAS", "en") == "Army Command"
    # no English name: the English reader sees the code, never the Dutch name in its place
    assert names.label("branch", "KMar", "en") == "KMar"
    assert names.label("branch", "KMar", "nl") == "Koninklijke Marechaussee"
    # a code without a name is its own name; a rank group without one keeps the catalogue's word
    assert names.label("branch", "DMO", "nl") == "DMO"
    assert names.label("rank_group", "officieren", "nl") == "Officieren"
    # the same code in another dimension is not named by it
    assert names.label("org_unit", "CLAS", "en") == "CLAS"
    # the same file again changes nothing; undoing removes the names
    assert not import_bytes(engine, "names", GOOD, "names.csv").changed
    undo_batch(engine, result.batch_id)
    with store.connect(engine) as conn:
        assert display_names(conn).rows == {}


def test_a_dimension_already_named_is_refused_unless_replaced(engine):
    import_bytes(engine, "names", GOOD, "names.csv")
    again = b"dimension,code,name_nl,name_en\nbranch,CLAS,Landmacht,Army\n"
    with pytest.raises(InvalidInput) as refused:
        import_bytes(engine, "names", again, "again.csv")
    assert [p.code for p in refused.value.problems] == ["already_stored"]
    import_bytes(engine, "names", again, "again.csv", replace=True)
    with store.connect(engine) as conn:
        names = display_names(conn)
    # replacing a dimension replaces all of its names (KMar is gone), and leaves the other dimensions alone
    assert names.label("branch", "CLAS", "nl") == "Landmacht"
    assert names.label("branch", "KMar", "nl") == "KMar"
    assert names.label("peer", "United States", "nl") == "Verenigde Staten"


def test_bad_names_file_gets_every_problem_with_its_lines(engine):
    bad = b"dimension,code,name_nl,name_en\nbranch,CLAS,A,B\nship,X,Schip,Ship\nbranch,CLAS,C,D\nbranch,,E,F\n"
    with pytest.raises(InvalidInput) as refused:
        import_bytes(engine, "names", bad, "bad.csv")
    found = {(p.code, p.column, tuple(p.lines)) for p in refused.value.problems}
    # line 3 names a dimension that does not exist; line 5 has no code (the header is line 1)
    assert ("unknown_value", "dimension", (3,)) in found
    assert ("value_required", "code", (5,)) in found
    with store.connect(engine) as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(store.display_name)).scalar() == 0


def test_a_database_from_before_names_gets_the_table(db_url):
    engine = open_database(db_url)
    with store.connect(engine, write=True) as conn:
        conn.execute(sa.text("DROP TABLE display_name"))
    engine.dispose()
    engine = open_database(db_url)  # an existing store opened by this version
    try:
        with store.connect(engine) as conn:
            assert display_names(conn).rows == {}
        import_bytes(engine, "names", GOOD, "names.csv")
    finally:
        engine.dispose()


def test_the_word_report_names_the_branches_in_its_language(demo_db):
    import io

    import docx

    from di_metrics.present.report import build_report
    from di_metrics.queries.filters import Filters

    engine = open_database(demo_db)
    try:
        for lang, army in (("nl", "Commando Landstrijdkrachten"), ("en", "Army Command")):
            with store.connect(engine) as conn:
                document = docx.Document(io.BytesIO(build_report(conn, Filters(), lang, images=False)))
            cells = {c.text for table in document.tables for row in table.rows for c in row.cells}
            assert army in cells and "CLAS" not in cells
            if lang == "nl":  # each measure by its Dutch name, in the register and where its grade leads
                text = "\n".join(p.text for p in document.paragraphs)
                assert "Mentornetwerk voor vrouwen" in cells and "Mentoring network for women" not in cells
                assert "Vertrouwenspersoon in elke eenheid. " in text and "Confidential adviser" not in text
    finally:
        engine.dispose()


def test_the_briefing_and_its_deck_name_the_branches_and_peers_in_their_language(demo_db):
    """The allocation and the watchlist are by branch, the peers view by peer: on the slides as on the pages."""
    from di_metrics.present.briefing import build_briefing
    from di_metrics.queries.filters import Filters

    engine = open_database(demo_db)
    try:
        for lang, army, states in (
            ("nl", "Commando Landstrijdkrachten", "Verenigde Staten"),
            ("en", "Army Command", "United States"),
        ):
            with store.connect(engine) as conn:
                views = {v.key: v for v in build_briefing(conn, Filters(), lang, {"hire_share": 0.4}).views}
            shown = set(views["allocation"].categories) | set(views["watchlist"].categories)
            assert army in shown and "CLAS" not in shown
            assert not {"CZSK", "CLSK", "KMar", "DOSCO", "DMO", "BS"} & shown
            assert any(c.startswith(states) for c in views["peers"].categories)
    finally:
        engine.dispose()
