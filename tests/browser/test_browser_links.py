"""Every page opens by its own link, with the parameters a shared link carries, in headless Debian Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from di_metrics.i18n import t
from di_metrics.shell import access
from tests.support.browser import warm_server

# What each page shows as its own title (the briefing's title is the view's message: its presenter notes).
TITLES = {name: f"{name}.title" for name in access.PAGES["admin"]} | {"briefing": "briefing.presenter_title"}


@pytest.fixture(scope="module")
def server(demo_db, tmp_path_factory, browser):
    """A server past its first request (which a fresh server answers in its own way; test_browser covers it)."""
    app = warm_server(demo_db, tmp_path_factory.mktemp("links") / "streamlit.log", browser)
    yield app
    app.close()


def _no_page_not_found(page) -> None:
    page.locator("[data-testid=stApp][data-test-script-state=notRunning]").wait_for()
    assert page.get_by_text("Page not found").count() == 0


@pytest.mark.parametrize("name", access.PAGES["admin"])
def test_every_page_opens_by_its_own_link_with_its_parameters(server, page, name):
    """A shared link (a page, the language and a filter) opens that page, keeps its parameters, and never
    shows Streamlit's "Page not found"."""
    page.set_default_timeout(60_000)
    page.goto(f"{server.url}/{name}?lang=en&branch=KMar", wait_until="domcontentloaded")
    main = page.get_by_test_id("stMainBlockContainer")
    expect(main.get_by_text(t(TITLES[name], "en"), exact=True).first).to_be_visible()
    _no_page_not_found(page)
    assert page.url.split("?")[0] == f"{server.url}/{name}"
    assert "lang=en" in page.url and "branch=KMar" in page.url


def test_the_root_link_opens_the_first_page_at_its_own_address_with_the_parameters(server, page):
    page.set_default_timeout(60_000)
    page.goto(f"{server.url}/?lang=en&branch=KMar&branch=CLAS", wait_until="domcontentloaded")
    main = page.get_by_test_id("stMainBlockContainer")
    expect(main.get_by_text(t("overview.title", "en"), exact=True).first).to_be_visible()
    _no_page_not_found(page)
    expect(page).to_have_url(f"{server.url}/overview?lang=en&branch=KMar&branch=CLAS")
