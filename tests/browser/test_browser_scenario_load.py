"""Loading a saved scenario in Chromium: its population and levers arrive together in the sidebar and the URL,
a reload keeps them, and Back returns to the view before the load, never to a mix of the two."""

from __future__ import annotations

import re
import shutil
from urllib.parse import parse_qs, urlparse

from tests.support.browser import AppServer, open_page, shot


def query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}


def settled(page) -> None:
    page.locator("[data-testid=stApp][data-test-script-state=notRunning]").wait_for()


def test_a_loaded_scenario_brings_its_population_and_back_undoes_it(demo_db, tmp_path, page):
    shutil.copy(demo_db.removeprefix("duckdb:///"), tmp_path / "demo.duckdb")  # the saved scenario stays here
    app = AppServer(f"duckdb:///{tmp_path / 'demo.duckdb'}", tmp_path / "load.log")
    try:
        open_page(page, app.url + "/whatif?lang=en&branch=CLAS")
        page.wait_for_url(lambda url: "h" in query(url))
        settled(page)
        army = query(page.url)  # the Army's own calibrated levers
        page.get_by_label("Save the current settings as").fill("army as it is")
        page.get_by_role("button", name="Save scenario").click()
        page.get_by_text("Saved army as it is.").wait_for()
        settled(page)

        open_page(page, app.url + "/whatif?lang=en")  # the whole organisation, its own levers
        page.wait_for_url(lambda url: "h" in query(url) and "branch" not in query(url))
        settled(page)
        whole = query(page.url)
        assert whole["h"] != army["h"]  # the two populations hire differently: a mix would show
        # the suite's demo may hold others' scenarios too
        page.get_by_text(re.compile(r"^Saved scenarios \(\d+\)$")).click()
        row = page.get_by_test_id("stHorizontalBlock").filter(has_text="army as it is").last
        row.get_by_role("button", name="Load", exact=True).click()
        page.wait_for_url(lambda url: query(url).get("branch") == "CLAS")
        settled(page)
        assert query(page.url) == army
        sidebar = page.get_by_test_id("stSidebar")
        assert sidebar.get_by_text("Army Command").count() == 1
        shot(page, "whatif-loaded-scenario")

        page.reload()
        settled(page)
        assert query(page.url) == army

        page.go_back()  # before the load: the whole organisation with its own levers (red before: CLAS with them)
        page.wait_for_url(lambda url: "branch" not in query(url))
        settled(page)
        assert query(page.url) == whole
    finally:
        app.close()
