"""In headless Chromium: a Dutch CSV download from the explorer with the branch's code and name, whole numbers
as integers and a file name after the view and the filter; the page icons drawn from the Material font; the
explorer's chart naming the branches."""

from __future__ import annotations

import re

from tests.support.browser import open_page, shot

PLOT = ".js-plotly-plot"


def test_dutch_csv_download_names_the_view_and_keeps_codes(server, page):
    open_page(page, server.url + "/explorer?lang=nl&branch=CLAS")
    page.locator(PLOT).first.wait_for()
    page.locator("[data-testid=stApp][data-test-script-state=notRunning]").wait_for()
    with page.expect_download() as download:
        page.get_by_role("button", name="CSV downloaden").first.click()
    name = download.value.suggested_filename
    assert re.fullmatch(r"koers-breakdown-branch-\d{4}-\d{2}-\d{2}-CLAS\.csv", name), name
    with open(download.value.path(), "rb") as fh:
        text = fh.read().decode("utf-8-sig")
    header, row = text.splitlines()[:2]
    assert header.startswith("Code;Krijgsmachtdeel;Personeel;Vrouwen;Mannen;")
    code, branch, people, women, men = row.split(";")[:5]
    # codes stay in files, the name beside them; counts are whole numbers, never "22700,0"
    assert (code, branch) == ("CLAS", "Commando Landstrijdkrachten")
    assert all(re.fullmatch(r"\d+", v) for v in (people, women, men)), row
    assert int(people) >= int(women) + int(men)  # X are in the total, not in women or men


def test_page_icons_come_from_the_material_font(server, page):
    open_page(page, server.url + "/?lang=en")
    nav = page.get_by_test_id("stSidebarNav")
    nav.wait_for()
    links = nav.locator("a")
    assert links.count() >= 5
    for i in range(links.count()):
        link = links.nth(i)
        assert link.get_by_test_id("stIconMaterial").count() == 1
        assert not re.search(r"[\U0001F300-\U0001FAFF\u2600-\u27BF]", link.inner_text())
    shot(page, "nav-material-icons")


def test_explorer_chart_names_the_branches(server, page):
    open_page(page, server.url + "/explorer?lang=en")
    chart = page.locator(PLOT).first
    chart.wait_for()
    chart.get_by_text("Army Command").wait_for()
    assert chart.get_by_text("CLAS", exact=True).count() == 0
    shot(page, "explorer-branch-names-en")
