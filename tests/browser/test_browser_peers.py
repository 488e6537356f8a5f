"""In headless Chromium: the Peers page draws the peers' series with flagged figures hollow, and the overview's
trend chart marks each measure at its start, as do the Survey page's safety panel and indicator trend."""

from __future__ import annotations

from tests.support.browser import open_page, shot

PLOT = ".js-plotly-plot"


def test_peers_page_in_the_browser(server, page):
    open_page(page, server.url + "/peers?lang=en")
    page.locator(PLOT).first.wait_for()
    main = page.get_by_test_id("stMainBlockContainer")
    page.locator(f"{PLOT} .legendtext", has_text="United States · DoD active duty").wait_for()
    assert page.get_by_test_id("stException").count() == 0
    text = main.inner_text()
    # the US, 2013-2019: 2.0 pp over six years (a window of five years or more), 0.33 pp a year
    assert "Peers: has anyone grown this fast?" in text and "0.33 pp a year" in text
    traces = page.evaluate(
        f"""() => document.querySelector('{PLOT}').data.map(t => ({{
            name: t.name, x: t.x, symbol: t.marker ? t.marker.symbol : null }}))"""
    )
    hollow = [t for t in traces if t["symbol"] == "circle-open" and t["x"]]
    assert {"name": "Netherlands · Defensie, all personnel", "x": [2017], "symbol": "circle-open"} in hollow
    # The chart draws what it was given: an open circle on the page where the flagged figure is.
    assert page.locator(f"{PLOT} .scatterlayer path.point").count() > 30
    main.get_by_text("2013–2019", exact=True).wait_for(state="attached")  # the cell, not the chart title
    shot(page, "peers-en")


def test_the_trend_chart_marks_measures_at_their_start(server, page):
    open_page(page, server.url + "/?lang=en")
    page.locator(PLOT).first.wait_for()
    trend = page.locator(PLOT, has=page.locator(".annotation-text", has_text="Mentoring network for women"))
    trend.wait_for()
    assert trend.locator(".annotation-text", has_text="Recruitment campaign").count() == 1
    assert trend.locator(".shapelayer path").count() >= 2  # one dotted line per measure
    assert page.get_by_test_id("stException").count() == 0
    trend.scroll_into_view_if_needed()
    shot(page, "overview-measures-en")


def test_the_survey_trends_mark_their_measures_in_the_browser(server, page):
    open_page(page, server.url + "/survey?lang=en")
    page.locator(PLOT).first.wait_for()
    page.get_by_role("tab", name="Social safety").click()
    # The demo's speak-up week (on reporting willingness) on the safety panel, its training measure on the
    # training indicator's trend: each a dotted line at its start and a short name drawn by the browser.
    for name in ("Speak-up week", "Social safety in every course"):
        chart = page.locator(PLOT, has=page.locator(".annotation-text", has_text=name))
        chart.wait_for()
        assert chart.locator(".shapelayer path").count() == 1
    assert page.get_by_test_id("stException").count() == 0
    chart.scroll_into_view_if_needed()
    shot(page, "survey-indicator-measures-en")
