"""Shared fixtures: real DuckDB files, a real PostgreSQL database per test, and the demo organisation."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from di_metrics.storage.database import open_database

ROOT = Path(__file__).resolve().parent.parent
PG_ENV = "KOERS_TEST_POSTGRES_URL"


def _postgres_admin_url() -> str | None:
    url = os.environ.get(PG_ENV)
    if not url and os.environ.get("CI"):
        pytest.fail(f"{PG_ENV} is not set: .ci/run must start PostgreSQL for the parity tests")
    return url


@contextlib.contextmanager
def held_by_another_process(duckdb_url: str) -> Iterator[None]:
    """Another process keeps the DuckDB file open, as a running import or a second server would."""
    path = duckdb_url.removeprefix("duckdb:///")
    code = f"import duckdb, time; c = duckdb.connect({path!r}); print('held', flush=True); time.sleep(60)"
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        yield
    finally:
        holder.kill()
        holder.wait()


@pytest.fixture
def duckdb_url(tmp_path: Path) -> str:
    return f"duckdb:///{tmp_path / 'koers.duckdb'}"


@pytest.fixture
def postgres_url():
    admin = _postgres_admin_url()
    if not admin:
        pytest.skip(f"{PG_ENV} not set")
    name = f"koers_test_{uuid.uuid4().hex[:10]}"
    engine = sa.create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.engine.make_url(admin).set(database=name).render_as_string(hide_password=False)
    yield url
    with engine.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


@pytest.fixture(params=["duckdb", "postgres"])
def db_url(request):
    """Every storage and query test runs on both supported databases."""
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture
def engine(db_url):
    eng = open_database(db_url)
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> str:
    """The full demo organisation in a DuckDB file, built once per test session."""
    from di_metrics.demo.build import build_demo

    url = f"duckdb:///{tmp_path_factory.mktemp('demo') / 'demo.duckdb'}"
    eng = open_database(url)
    build_demo(eng)
    eng.dispose()
    return url


@pytest.fixture(autouse=True)
def single_user(monkeypatch):
    """Tests run the app the way `make run` does, in explicit single-user mode; access tests take it away."""
    monkeypatch.setenv("KOERS_SINGLE_USER", "1")


@pytest.fixture
def modern_pages(monkeypatch):
    """AppTest starts every run in Streamlit's legacy `pages/` mode, which a live server uses only for its first
    request (ui.guard_page covers that, and a browser test checks it). Run the way the server does after."""
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def modern(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", modern)
