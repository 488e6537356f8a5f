"""The briefing on a projector, in headless Debian Chromium: every view fits the common screens without
scrolling, presenter mode, and the deck and report buttons at the top (issue 28).

The screenshots of every view at 1366×768 are kept in test-artifacts/briefing/ for people to look at.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from di_metrics.i18n import t
from tests.support import ROOT
from tests.support.browser import open_page, warm_server

SCREENS = ((1280, 720), (1366, 768), (1920, 1080))
SHOTS = ROOT / "test-artifacts" / "briefing"

# Whether the chart, drawn, lies inside the window and the page needs no scrolling (stMain scrolls in Streamlit).
FITS = """() => {
  const plot = document.querySelector('.js-plotly-plot .main-svg');
  const main = document.querySelector('[data-testid=stMain]');
  if (!plot || !main) return false;
  const r = plot.getBoundingClientRect();
  return r.height > 100 && r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth
    && main.scrollHeight <= main.clientHeight + 1;
}"""


@pytest.fixture(scope="module")
def server(demo_db, tmp_path_factory, browser):
    """A server past its first request (which a fresh server answers in its own way; test_browser covers it)."""
    app = warm_server(demo_db, tmp_path_factory.mktemp("briefing") / "streamlit.log", browser)
    yield app
    app.close()


def _settled(page) -> None:
    page.locator("[data-testid=stApp][data-test-script-state=notRunning]").wait_for()
    page.locator(".js-plotly-plot .main-svg").first.wait_for()


def _assert_fits(page, where: str) -> None:
    """The chart's box inside the viewport, and no scrolling: waits for Plotly to draw at the new size."""
    size = page.viewport_size
    try:
        page.wait_for_function(FITS, timeout=20_000)
    except Exception:  # say what was measured, not only that the wait ran out
        box = page.locator(".js-plotly-plot").first.bounding_box()
        pytest.fail(f"{where} at {size}: the chart {box} does not fit the screen, or the page scrolls")
    box = page.locator(".js-plotly-plot").first.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= size["height"], (where, size, box)
    assert box["x"] >= 0 and box["x"] + box["width"] <= size["width"], (where, size, box)


@pytest.mark.parametrize(("width", "height"), SCREENS)
def test_every_view_fits_the_screen_without_scrolling(server, page, width, height):
    """Reported: at 1366×768 a view's x-axis fell below the fold. Every view, each common projector size."""
    page.set_viewport_size({"width": width, "height": height})
    open_page(page, server.url + "/briefing?lang=en")
    counter = page.get_by_text(re.compile(r"^View 1 of \d+$"))
    counter.wait_for()
    n = int(counter.inner_text().rsplit(" ", 1)[1])
    assert n >= 10  # the demo's briefing: status, trend, what-if, pipeline, survey, ... peers
    if (width, height) == (1366, 768):
        SHOTS.mkdir(parents=True, exist_ok=True)
    for i in range(1, n + 1):
        if i > 1:
            page.get_by_role("button", name="Next").click()
        page.get_by_text(f"View {i} of {n}", exact=True).wait_for()
        _settled(page)
        _assert_fits(page, f"view {i}")
        if (width, height) == (1366, 768):
            page.screenshot(path=str(SHOTS / f"briefing-view-{i:02d}-1366x768.png"))


def test_presenter_mode_hides_the_chrome_and_keeps_the_view_in_the_link(server, page):
    page.set_viewport_size({"width": 1366, "height": 768})
    open_page(page, server.url + "/briefing?lang=en")
    page.get_by_text(re.compile(r"^View 1 of \d+$")).wait_for()
    page.get_by_role("button", name=t("briefing.present", "en")).click()
    counter = page.get_by_text(re.compile(r"^1 / \d+$"))
    counter.wait_for()
    n = int(counter.inner_text().split("/")[1])
    expect(page).to_have_url(re.compile(r"present=1"))
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    expect(page.get_by_test_id("stHeader")).to_be_hidden()
    expect(page.get_by_role("button", name=t("briefing.download_deck", "en"))).to_have_count(0)
    _settled(page)
    _assert_fits(page, "presenter mode, view 1")
    counter.click()  # the keys reach the page once it has the focus
    page.keyboard.press("ArrowRight")
    page.get_by_text(f"2 / {n}", exact=True).wait_for()
    page.get_by_text(f"2 / {n}", exact=True).click()
    page.keyboard.press("ArrowRight")
    page.get_by_text(f"3 / {n}", exact=True).wait_for()
    expect(page).to_have_url(re.compile(r"view=3"))
    page.reload(wait_until="domcontentloaded")  # a presenter who reloads stays on the view, in presenter mode
    page.get_by_text(f"3 / {n}", exact=True).wait_for()
    _settled(page)
    _assert_fits(page, "presenter mode, view 3 after a reload")
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    page.get_by_role("button", name=t("briefing.leave", "en")).click()
    page.get_by_text(f"View 3 of {n}", exact=True).wait_for()
    expect(page).not_to_have_url(re.compile(r"present=1"))
    assert page.get_by_test_id("stException").count() == 0


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_deck_and_the_report_are_buttons_at_the_top(server, page, lang):
    """Reported: the downloads sat in a collapsed expander at the bottom, titled just "Briefing"."""
    page.set_viewport_size({"width": 1366, "height": 768})
    open_page(page, server.url + f"/briefing?lang={lang}")
    page.get_by_text(re.compile(t("briefing.view_of", lang, i=1, n=r"\d+"))).wait_for()
    _settled(page)
    title = page.get_by_test_id("stMainBlockContainer").get_by_test_id("stHeading").first.bounding_box()
    for label in (t("briefing.download_deck", lang), t("report.download", lang)):
        button = page.get_by_role("button", name=label)
        expect(button).to_be_visible()  # no expander to open first
        box = button.bounding_box()
        assert box["y"] + box["height"] <= title["y"], f"{label!r} is not above the view's title"
    page.locator("[data-testid=stApp][data-test-script-state=notRunning]").wait_for()
    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name=t("briefing.download_deck", lang)).click()
    with open(download.value.path(), "rb") as fh:
        assert fh.read(2) == b"PK"
