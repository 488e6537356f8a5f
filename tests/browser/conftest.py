"""Fixtures for the tests in headless Debian Chromium: the launch options, one app server and the page."""

from __future__ import annotations

import pytest

from tests.support.browser import CHROMIUM_ARGS, AppServer, chromium_path


@pytest.fixture(scope="session")
def browser_type_launch_args():
    """pytest-playwright launches Debian's Chromium; `playwright install` is never run."""
    return {"executable_path": chromium_path(), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def server(demo_db, tmp_path_factory):
    app = AppServer(demo_db, tmp_path_factory.mktemp("server") / "streamlit.log")
    yield app
    app.close()


@pytest.fixture
def page(page):
    page.set_viewport_size({"width": 1440, "height": 1800})
    page.set_default_timeout(60_000)
    return page
