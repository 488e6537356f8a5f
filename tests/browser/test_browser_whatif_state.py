"""The what-if levers in Chromium: Back and Forward bring back the levers the user left, never the sliders'
minimums (issue 28)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from tests.support.browser import open_page, shot

LEVERS = ("h", "aw", "am", "g", "t", "d")
STEPS = 6  # Back or Forward presses a user would make; more means the history traps them


def levers_in(url: str) -> dict[str, str]:
    query = parse_qs(urlparse(url).query)
    return {k: query[k][0] for k in LEVERS if k in query}


def headline(page, text: str):
    return page.get_by_test_id("stHeading").filter(has_text=text).first


def settled(page) -> None:
    page.locator("[data-testid=stApp][data-test-script-state=notRunning]").wait_for()


def test_back_and_forward_restore_the_levers(server, page):
    """Overview, What if? (its levers in the URL), a move, Back, Back to the Overview, Forward to the move: each
    step shows the levers of that moment, and the page's sliders, headline and URL agree."""
    open_page(page, server.url + "/overview?lang=en")
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="What if?").click()
    headline(page, "To reach 30% by 2030").wait_for()
    thumb = page.get_by_test_id("stSlider").filter(has_text="Target").get_by_role("slider")
    for _ in range(2):
        thumb.press("ArrowLeft")
    headline(page, "To reach 28% by 2030").wait_for()
    page.wait_for_url(lambda url: levers_in(url).get("t") == "28")
    settled(page)
    left = levers_in(page.url)
    assert set(left) == set(LEVERS)

    page.go_back()  # the moment before the move: the page shows the target its URL holds
    page.wait_for_url(lambda url: levers_in(url).get("t") not in (None, "28"))
    settled(page)
    before = levers_in(page.url)
    headline(page, f"To reach {before['t']}% by 2030").wait_for()
    assert before == {**left, "t": before["t"]}
    for _ in range(STEPS):  # on to the Overview, a few Back presses away (never a trap that keeps Back on the page)
        if "/overview" in page.url:
            break
        page.go_back()
        settled(page)
    assert "/overview" in page.url, page.url
    page.get_by_test_id("stSidebarNav").wait_for()
    for _ in range(STEPS):  # and forward to the last what-if moment
        if levers_in(page.url).get("t") == "28":
            break
        page.go_forward()
        settled(page)
    headline(page, "To reach 28% by 2030").wait_for()
    settled(page)
    assert levers_in(page.url) == left  # not h=0&aw=0&am=0&g=-5&t=10&d=2027
    hire = page.get_by_test_id("stSlider").filter(has_text="Women's share of hires")
    assert f"{float(left['h']):.1f}%" in hire.inner_text()
    shot(page, "whatif-back-forward")
