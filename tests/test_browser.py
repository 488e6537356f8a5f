"""End to end in headless Debian Chromium: the real server, the real page, screenshots kept for people."""

from __future__ import annotations

import pytest

from tests.browser import CHROMIUM_ARGS, SHOTS, AppServer, chromium_path

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def browser_type_launch_args():
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


def _open(page, url: str) -> None:
    page.goto(url, wait_until="domcontentloaded")
    page.get_by_test_id("stMainBlockContainer").wait_for()


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def test_overview_chart_appears(server, page):
    _open(page, server.url + "/?lang=en")
    page.locator(".js-plotly-plot").first.wait_for()
    page.get_by_text("Glide path").first.wait_for()
    assert page.get_by_test_id("stException").count() == 0
    assert "On course?" in page.get_by_test_id("stMainBlockContainer").inner_text()
    _shot(page, "overview-en")


def test_filter_changes_the_chart(server, page):
    _open(page, server.url + "/?lang=en")
    page.locator(".js-plotly-plot").first.wait_for()
    before = page.get_by_test_id("stMetricValue").nth(1).inner_text()
    _open(page, server.url + "/?lang=en&category=civilian")
    page.get_by_test_id("stMetricValue").nth(1).wait_for()
    page.wait_for_function(
        "before => document.querySelectorAll('[data-testid=stMetricValue]')[1]?.innerText !== before", arg=before
    )
    after = page.get_by_test_id("stMetricValue").nth(1).inner_text()
    assert int(after.replace(",", "")) < int(before.replace(",", ""))
    _shot(page, "overview-civilian")
