"""Shared fixtures: real DuckDB files, a real PostgreSQL database per test, the demo organisation and the app
under AppTest. Each test's marker comes from its folder: unit, db, app, browser or live (`pytest -m unit`)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from di_metrics.storage import store
from di_metrics.storage.database import open_database
from tests.support import ROOT

PG_ENV = "KOERS_TEST_POSTGRES_URL"
TESTS = Path(__file__).resolve().parent
FOLDERS = ("unit", "db", "app", "browser", "live")


def pytest_collection_modifyitems(items):
    """A test's folder is its marker; a test that runs on PostgreSQL is marked `postgres` as well."""
    for item in items:
        folder = item.path.relative_to(TESTS).parts[0]
        if folder in FOLDERS:
            item.add_marker(folder)
        params = getattr(item, "callspec", None)
        if "postgres_url" in item.fixturenames or (params and params.params.get("db_url") == "postgres"):
            item.add_marker("postgres")


def _postgres_admin_url() -> str | None:
    url = os.environ.get(PG_ENV)
    if not url and os.environ.get("CI"):
        pytest.fail(f"{PG_ENV} is not set: .ci/run must start PostgreSQL for the parity tests")
    return url


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


@pytest.fixture(scope="module")
def demo_conn(demo_db):
    """A connection to the full demo, one per test module."""
    eng = open_database(demo_db)
    with store.connect(eng) as conn:
        yield conn
    eng.dispose()


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


def _fresh_caches() -> None:
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def app(demo_db, monkeypatch, modern_pages):
    """Run app.py under AppTest on the demo organisation: `app(page, lang="en")` opens a page with URL parameters."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("KOERS_DATABASE_URL", demo_db)
    _fresh_caches()

    def run(page: str | None = None, **params: str) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        for key, value in params.items():
            at.query_params[key] = value
        at.run()
        if page:
            at.switch_page(page).run()
        return at

    yield run
    _fresh_caches()


@pytest.fixture
def own_copy(demo_db, tmp_path, monkeypatch, modern_pages):
    """The app in English on a copy of the demo database, for tests that change data."""
    import shutil

    from streamlit.testing.v1 import AppTest

    from tests.support import no_failure

    copy = tmp_path / "k.duckdb"
    shutil.copy(demo_db.removeprefix("duckdb:///"), copy)
    monkeypatch.setenv("KOERS_DATABASE_URL", f"duckdb:///{copy}")
    _fresh_caches()

    def run(page: str) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.query_params["lang"] = "en"
        at.run()
        at.switch_page(page).run()
        no_failure(at)
        return at

    yield run
    _fresh_caches()
