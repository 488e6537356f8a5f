"""The view travels, in headless Debian Chromium: filters set on one page survive the sidebar, Back and Forward
restore the view each page had, and a scenario built on What if? opens on the Briefing."""

from __future__ import annotations

import csv
import re

import pytest
from playwright.sync_api import expect

from di_metrics.i18n import t
from tests.support import ROOT
from tests.support.browser import warm_server

# How the sidebar shows a branch in English: by the demo's display name for its code.
BRANCH_NAMES = {
    row["code"]: row["name_en"]
    for row in csv.DictReader((ROOT / "data" / "examples" / "names" / "demo_names.csv").open(encoding="utf-8"))
    if row["dimension"] == "branch"
}
ARMY = BRANCH_NAMES["CLAS"]


@pytest.fixture(scope="module")
def server(demo_db, tmp_path_factory, browser):
    """A server past its first request (which a fresh server answers in its own way; test_browser covers it)."""
    import shutil

    folder = tmp_path_factory.mktemp("context")  # a copy: these tests save scenarios
    shutil.copy(demo_db.removeprefix("duckdb:///"), folder / "copy.duckdb")
    app = warm_server(f"duckdb:///{folder / 'copy.duckdb'}", folder / "streamlit.log", browser)
    yield app
    app.close()


def _settled(page) -> None:
    """The run has finished (the app is not running a script)."""
    page.locator("[data-testid=stApp][data-test-script-state=notRunning]").wait_for()


def _branch_filter(page):
    return page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").filter(has_text=t("filters.branch", "en"))


def _open_by_sidebar(page, name: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=t(f"nav.{name}", "en")).click()
    expect(page).to_have_url(re.compile(f"/{name}\\?"))
    _settled(page)


def test_a_filter_survives_the_sidebar_and_back_and_forward_restore_each_view(server, page):
    page.goto(f"{server.url}/overview?lang=en&branch=CLAS", wait_until="domcontentloaded")
    expect(page.get_by_test_id("stMainBlockContainer").get_by_text(t("overview.title", "en"))).to_be_visible()
    _settled(page)
    expect(_branch_filter(page)).to_contain_text(ARMY)

    _open_by_sidebar(page, "explorer")
    expect(page).to_have_url(re.compile(r"/explorer\?.*branch=CLAS"))
    expect(_branch_filter(page)).to_contain_text(ARMY)

    # Streamlit keeps a history entry per change of the URL, so Back steps through them; wherever it lands, the
    # filter shows what that address says, and it reaches the Overview with CLAS; Forward comes back to the explorer.
    _walk(page, page.go_back, "/overview")
    expect(page).to_have_url(re.compile(r"/overview\?.*branch=CLAS"))
    expect(_branch_filter(page)).to_contain_text(ARMY)
    _walk(page, page.go_forward, "/explorer", to_end=True)
    expect(page).to_have_url(re.compile(r"/explorer\?.*branch=CLAS"))
    expect(_branch_filter(page)).to_contain_text(ARMY)


def _walk(page, step, path: str, to_end: bool = False) -> None:
    """Back (or Forward) until the address is on `path` (and, `to_end`, as far as history goes), checking at
    every stop that the branch filter shows what the address holds."""
    for _ in range(8):
        before = page.url
        step()
        page.wait_for_timeout(300)  # the browser's history move, then the app's run
        _settled(page)
        shown = ARMY in _branch_filter(page).inner_text()
        assert shown == ("branch=CLAS" in page.url), page.url
        if path in page.url and (not to_end or page.url == before):
            return
    raise AssertionError(f"never reached {path}: {page.url}")


def test_the_levers_travel_with_the_sidebar_to_the_briefing(server, page):
    page.goto(f"{server.url}/whatif?lang=en&branch=CLAS&h=40&aw=8", wait_until="domcontentloaded")
    page.get_by_test_id("stMetricValue").first.wait_for()
    _settled(page)
    _open_by_sidebar(page, "briefing")
    expect(page).to_have_url(re.compile(r"/briefing\?.*h=40"))
    assert "aw=8" in page.url and "branch=CLAS" in page.url


def test_present_this_scenario_opens_the_briefing_with_the_scenario(server, page):
    page.goto(f"{server.url}/whatif?lang=en&branch=CLAS&h=40&aw=8&d=2032", wait_until="domcontentloaded")
    page.get_by_test_id("stMetricValue").first.wait_for()
    _settled(page)
    page.get_by_role("link", name=t("whatif.present", "en")).click()
    expect(page).to_have_url(re.compile(r"/briefing\?"))
    for param in ("branch=CLAS", "h=40", "aw=8", "d=2032", "lang=en"):
        assert param in page.url, (param, page.url)
    _settled(page)
    expect(_branch_filter(page)).to_contain_text(ARMY)


def test_clicking_a_bar_filters_the_explorer_and_the_url_follows(server, page):
    page.goto(f"{server.url}/explorer?lang=en", wait_until="domcontentloaded")
    bars = page.locator(".js-plotly-plot").first.locator("g.point")
    bars.last.wait_for()
    _settled(page)
    box = bars.last.bounding_box()  # the branch with the largest share (the bars are sorted), never a hidden one
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # Plotly takes clicks on its layer
    expect(page).to_have_url(re.compile(r"branch=\w+"))
    _settled(page)
    chosen = re.search(r"branch=(\w+)", page.url).group(1)
    expect(_branch_filter(page)).to_contain_text(BRANCH_NAMES[chosen])
    _open_by_sidebar(page, "overview")
    assert f"branch={chosen}" in page.url


def test_clicking_a_watchlist_row_filters_the_overview_and_the_url_follows(server, page):
    page.goto(f"{server.url}/overview?lang=en", wait_until="domcontentloaded")
    grid = page.get_by_test_id("stDataFrame").last
    grid.wait_for()
    _settled(page)
    assert "branch=" not in page.url
    grid.click(position={"x": 18, "y": 35 + 17})  # the first row's selection box, below the header
    expect(page).to_have_url(re.compile(r"branch=\w+"))
    _settled(page)
    chosen = re.search(r"branch=(\w+)", page.url).group(1)
    expect(_branch_filter(page)).to_contain_text(BRANCH_NAMES[chosen])


def test_save_asks_before_replacing_and_a_comparison_is_a_link(server, page):
    page.goto(f"{server.url}/whatif?lang=en&branch=CLAS&h=40", wait_until="domcontentloaded")
    page.get_by_test_id("stMetricValue").first.wait_for()
    _settled(page)
    save = page.get_by_role("button", name=t("whatif.save", "en"), exact=True)
    name = page.get_by_label(t("whatif.save_name", "en"))
    save.click()  # no name yet
    expect(page.get_by_text(t("whatif.save_empty", "en"))).to_be_visible()
    for _ in range(2):  # the second time the name is in use
        name.fill("CLAS plan")
        name.press("Enter")
        _settled(page)
        save.click()
        _settled(page)
    expect(page.get_by_text(t("whatif.overwrite_confirm", "en", name="CLAS plan"))).to_be_visible()
    page.get_by_role("button", name=t("whatif.overwrite_yes", "en")).click()
    expect(page.get_by_text(t("whatif.overwrite_confirm", "en", name="CLAS plan"))).to_have_count(0)

    # the comparison, shared as a link and opened on the whole organisation: it says where it was saved
    page.goto(f"{server.url}/whatif?lang=en&cmp=CLAS+plan", wait_until="domcontentloaded")
    page.get_by_test_id("stMetricValue").first.wait_for()
    note = t(
        "whatif.compare_other_population",
        "en",
        name="CLAS plan",
        saved=f"Branch: {ARMY}",
        current=t("whatif.population_all", "en"),
    )
    expect(page.get_by_text(note)).to_be_visible()
    expect(page.get_by_role("link", name=t("whatif.open_own_population", "en", name="CLAS plan"))).to_be_visible()


PUSHES = """window.__pushes = [];
const push = history.pushState.bind(history);
history.pushState = (state, title, url) => { window.__pushes.push(String(url)); return push(state, title, url); };"""


def test_a_sidebar_move_leaves_few_history_entries_and_back_returns_in_two_presses(server, page):
    """Streamlit's frontend keeps a history entry for every change of the address: the page change is one (two
    when its bare address comes before the run's first write: the frontend's race), and each separate write of
    the URL one more. The app writes the language and the view in one step on arrival: a move leaves at most two
    entries of its own (the page's view, and a view the page first completes: the dates the Overview has no
    picker for, the levers What if? starts from), so Back reaches the page before in two presses (three past the
    race on What if?), with its view."""
    page.add_init_script(PUSHES)
    page.goto(f"{server.url}/overview?lang=en&branch=CLAS", wait_until="domcontentloaded")
    expect(page.get_by_test_id("stMainBlockContainer").get_by_text(t("overview.title", "en"))).to_be_visible()
    _settled(page)
    page.evaluate("window.__pushes.splice(0)")
    for name in ("explorer", "briefing", "whatif"):
        link = page.get_by_test_id("stSidebarNav").get_by_role("link", name=t(f"nav.{name}", "en"))
        link.evaluate("a => a.click()")  # the Briefing leaves the sidebar scrolled: a click where the link is
        expect(page).to_have_url(re.compile(f"/{name}\\?"))
        page.wait_for_timeout(500)  # a write a run makes late would show as one more entry
        _settled(page)
        pushes = page.evaluate("window.__pushes.splice(0)")
        own = [url for url in pushes if url != f"/{name}"]  # the frontend's bare page address aside
        assert len(own) <= 2, (name, pushes)
    for name, presses in (("briefing", 3), ("explorer", 2)):
        for _ in range(presses):
            page.go_back()
            page.wait_for_timeout(300)  # the browser's history move, then the app's run
            _settled(page)
            if f"/{name}?" in page.url:
                break
        assert f"/{name}?" in page.url and "branch=CLAS" in page.url, (name, page.url)
