"""Storage round trips on DuckDB and PostgreSQL: every table is created and gives back what it stored."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa

from di_metrics.storage import schema, store
from di_metrics.storage.bulk import insert_frame

SAMPLES = {
    "workforce_snapshot": {
        "snapshot_date": dt.date(2024, 3, 31),
        "person_id": "P1",
        "gender": "F",
        "org_unit": "U1",
        "branch": "CLAS",
        "personnel_category": "military",
        "rank_group": "officieren",
        "birth_year": 1990,
        "hire_date": dt.date(2015, 9, 1),
        "batch_id": 1,
    },
    "workforce_headcount": {
        "snapshot_date": dt.date(2024, 3, 31),
        "gender": "M",
        "branch": "CZSK",
        "headcount": 1234,
        "hires": 12,
        "exits": 9,
        "batch_id": 1,
    },
    "survey_item": {
        "item": "incl_fair",
        "construct": "inclusion",
        "text_nl": "Eerlijk behandeld",
        "text_en": "Treated fairly",
        "scale_min": 1,
        "scale_max": 5,
        "favourable_min": 4,
        "reverse": False,
        "batch_id": 1,
    },
    "survey_respondent": {
        "wave": 2025,
        "respondent_id": "R1",
        "gender": "X",
        "branch": "BS",
        "weight": 1.25,
        "batch_id": 1,
    },
    "survey_answer": {"wave": 2025, "respondent_id": "R1", "item": "incl_fair", "answer": 4},
    "survey_result": {
        "wave": 2024,
        "measure": "inclusion_fair_treatment",
        "n": None,
        "pct_favourable": None,
        "suppressed": True,
        "batch_id": 1,
    },
    "indicator": {
        "indicator": "training_social_safety",
        "date": dt.date(2025, 12, 31),
        "value": 0.917,
        "numerator": 220.0,
        "denominator": 240.0,
        "batch_id": 1,
    },
    "formal_report": {"year": 2025, "category": "integriteit", "count": 41, "branch": "KMar", "batch_id": 1},
    "scenario": {
        "name": "Halve the gap",
        "params": {"hire_share": 0.45, "growth": 0.01},
        "created_by": "analyst@example.org",
        "created_at": dt.datetime(2026, 11, 28, 12, 0),
    },
}


def test_tables_created_with_schema_version(engine):
    with store.connect(engine) as conn:
        assert schema.current_schema_version(conn) == schema.SCHEMA_VERSION
        assert set(sa.inspect(conn).get_table_names()) >= {t.name for t in store.md.sorted_tables}


def test_round_trip_every_table(engine):
    with store.connect(engine, write=True) as conn:
        for name, row in SAMPLES.items():
            conn.execute(store.md.tables[name].insert().values(**row))
    with store.connect(engine) as conn:
        for name, row in SAMPLES.items():
            table = store.md.tables[name]
            got = conn.execute(sa.select(*(table.c[k] for k in row))).mappings().one()
            assert dict(got) == row, name


def test_bulk_insert_matches_plain_insert(engine):
    frame = pd.DataFrame(
        {
            "snapshot_date": [dt.date(2024, 3, 31)] * 3,
            "person_id": ["A", "B", "C"],
            "gender": ["F", None, "M"],
            "org_unit": ["U1", "U1", "U2"],
            "birth_year": pd.array([1980, None, 2001], dtype="Int64"),
            "batch_id": 7,
        }
    )
    with store.connect(engine, write=True) as conn:
        assert insert_frame(conn, store.workforce_snapshot, frame) == 3
    with store.connect(engine) as conn:
        t = store.workforce_snapshot
        rows = conn.execute(sa.select(t.c.person_id, t.c.gender, t.c.birth_year).order_by(t.c.person_id)).all()
    assert [tuple(r) for r in rows] == [("A", "F", 1980), ("B", None, None), ("C", "M", 2001)]


def _killed_half_way(engine, table: sa.Table) -> None:
    """A writing transaction that inserts a row and then dies."""
    try:
        with store.connect(engine, write=True) as conn:
            conn.execute(table.insert().values(**SAMPLES[table.name]))
            raise RuntimeError("killed half way")
    except RuntimeError:
        pass


def test_failed_transaction_writes_nothing(engine):
    _killed_half_way(engine, store.formal_report)
    with store.connect(engine) as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(store.formal_report)).scalar() == 0


def _version(engine) -> int:
    with store.connect(engine) as conn:
        return store.data_version(conn)


def test_every_write_counts_the_data_revision_and_nothing_else_does(db_url):
    from di_metrics.storage.database import open_database

    engine = open_database(db_url)
    created = _version(engine)
    assert created >= 1  # creating the schema and seeding the targets were writes
    assert _version(open_database(db_url)) == created  # opening a ready database only reads it
    with store.connect(engine, write=True) as conn:
        conn.execute(store.scenario.insert().values(**SAMPLES["scenario"]))
    assert _version(engine) == created + 1
    with store.connect(engine, write=True) as conn:
        conn.execute(store.scenario.delete())
    with store.connect(engine, write=True) as conn:
        conn.execute(store.formal_report.insert().values(**SAMPLES["formal_report"]))
    assert _version(engine) == created + 3
    _killed_half_way(engine, store.scenario)
    assert _version(engine) == created + 3  # a rolled-back write is no new revision
    engine.dispose()


def test_a_database_from_before_the_revision_counter_gains_it(db_url):
    from di_metrics.storage.database import open_database

    engine = open_database(db_url)
    with store.connect(engine, write=True) as conn:
        conn.execute(store.formal_report.insert().values(**SAMPLES["formal_report"]))
    with engine.begin() as conn:  # as a database written by an earlier Koers looks
        store.revision.drop(conn)
    engine.dispose()
    engine = open_database(db_url)
    assert _version(engine) == 1  # adding the table was the first counted write
    with store.connect(engine, write=True) as conn:
        conn.execute(store.formal_report.delete())
    assert _version(engine) == 2
    with store.connect(engine) as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(store.formal_report)).scalar() == 0
    engine.dispose()


def test_servers_starting_together_on_an_empty_database_all_come_up(db_url):
    """Replicas deployed at once race to create the tables and seed the targets; none may fail."""
    import threading

    from di_metrics.models.targets import DEFAULT_TARGETS
    from di_metrics.storage.database import open_database

    barrier, errors = threading.Barrier(4), []

    def start() -> None:
        barrier.wait()
        try:
            open_database(db_url).dispose()
        except Exception as exc:
            errors.append(repr(exc))

    threads = [threading.Thread(target=start) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    engine = open_database(db_url)
    with store.connect(engine) as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(store.target)).scalar() == len(DEFAULT_TARGETS)
        assert schema.current_schema_version(conn) == schema.SCHEMA_VERSION
    engine.dispose()


def test_postgresql_has_the_date_indexes_the_dashboard_reads_use_and_an_older_database_gains_them(postgres_url):
    from di_metrics.storage.database import open_database

    def names(engine) -> set[str]:
        with store.connect(engine) as conn:
            inspector = sa.inspect(conn)
            return {i["name"] for t in ("headcount_cube", "transition_cube") for i in inspector.get_indexes(t)}

    engine = open_database(postgres_url)
    assert names(engine) >= {"headcount_cube_date", "transition_cube_date"}
    with engine.begin() as conn:  # as a database written by an earlier Koers looks
        conn.exec_driver_sql("DROP INDEX headcount_cube_date")
    engine.dispose()
    engine = open_database(postgres_url)
    assert "headcount_cube_date" in names(engine)
    engine.dispose()


def test_writers_take_turns_on_postgresql(postgres_url):
    """While one writing transaction holds its turn, another cannot take one (it waits; here it times out)."""
    import pytest

    from di_metrics.storage.database import open_database

    engine = open_database(postgres_url)
    with store.connect(engine, write=True) as first:
        store.take_turn(first)
        with engine.connect() as second, second.begin():
            second.exec_driver_sql("SET LOCAL lock_timeout = '300ms'")
            with pytest.raises(sa.exc.OperationalError, match="lock timeout"):
                store.take_turn(second)
    with engine.connect() as third, third.begin():  # once the first has committed, the turn is free
        third.exec_driver_sql("SET LOCAL lock_timeout = '300ms'")
        store.take_turn(third)
    engine.dispose()
