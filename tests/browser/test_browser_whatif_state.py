"""The what-if levers in Chromium: Back and Forward bring back the levers the user left, never the sliders'
minimums (issue 28)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from tests.support.browser import open_page, shot

LEVERS = ("h", "aw", "am", "g", "t", "d")
STEPS = 6  # Back or Forward presses a user would make; more means the history traps them
# Every write of the address the page makes, by Streamlit's frontend or anyone else.
WRITES = """window.__writes = [];
for (const name of ['pushState', 'replaceState']) {
  const write = history[name].bind(history);
  history[name] = (state, title, url) => {
    window.__writes.push(name + ' ' + String(url));
    return write(state, title, url);
  };
}"""


def levers_in(url: str) -> dict[str, str]:
    query = parse_qs(urlparse(url).query)
    return {k: query[k][0] for k in LEVERS if k in query}


def headline(page, text: str):
    return page.get_by_test_id("stHeading").filter(has_text=text).first


def settled(page) -> None:
    page.locator("[data-testid=stApp][data-test-script-state=notRunning]").wait_for()


def run_finished(payload: bytes | str) -> bool:
    """A message from the app's server saying a run of the whole page came to its end."""
    msg = ForwardMsg()
    msg.ParseFromString(payload if isinstance(payload, bytes) else payload.encode())
    return msg.WhichOneof("type") == "script_finished" and msg.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY


def press(page, button) -> None:
    """Back or Forward, then to the end of the run it starts: the app shows a run as running only once the
    server has started it, so "not running" alone can let the next press land while this one's run is on its way
    (Streamlit's frontend then adds an entry of its own for the page that run was for)."""
    stream = next(ws for ws in page.sockets if "/_stcore/stream" in ws.url)
    with stream.expect_event("framereceived", predicate=run_finished):
        button()
    settled(page)


def _move_then_back_to_the_overview(server, page) -> dict[str, str]:
    """Overview, What if? (its levers in the URL), a move to 28%, Back to the moment before the move (its own
    levers), Back on to the Overview; the levers left at the move."""
    page.add_init_script(WRITES)
    page.sockets = []
    page.on("websocket", lambda ws: page.sockets.append(ws))
    open_page(page, server.url + "/overview?lang=en")
    # the first run to its end: a click while it was under way opened What if? in Dutch (lang=nl), under load
    settled(page)
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

    page.evaluate("window.__writes.splice(0)")
    press(page, page.go_back)  # the moment before the move: the page shows the target its URL holds
    page.wait_for_url(lambda url: levers_in(url).get("t") not in (None, "28"))
    before = levers_in(page.url)
    headline(page, f"To reach {before['t']}% by 2030").wait_for()
    assert before == {**left, "t": before["t"]}
    for _ in range(STEPS):  # on to the Overview, a few Back presses away (never a trap that keeps Back on the page)
        if "/overview" in page.url:
            break
        press(page, page.go_back)
    assert "/overview" in page.url, page.url
    page.get_by_test_id("stSidebarNav").wait_for()
    return left


def test_back_restores_the_levers_of_each_moment(server, page):
    """Each Back shows the levers of that moment, and the page's headline and URL agree, to the Overview."""
    _move_then_back_to_the_overview(server, page)


def test_forward_after_the_overview_returns_to_the_move(server, page):
    """From the Overview, Forward goes back to the last what-if moment with its levers, sliders and headline.
    No run that Back or Forward starts writes the address: Streamlit's frontend may make such a write a new
    entry (pushState), which would cut the history Forward walks (red before: the remembered view written into
    the in-between What if? address and into the Overview's)."""
    left = _move_then_back_to_the_overview(server, page)
    for _ in range(STEPS):  # forward to the last what-if moment
        if levers_in(page.url).get("t") == "28":
            break
        press(page, page.go_forward)
    assert page.evaluate("window.__writes") == []
    headline(page, "To reach 28% by 2030").wait_for()
    settled(page)
    assert levers_in(page.url) == left  # not h=0&aw=0&am=0&g=-5&t=10&d=2027
    hire = page.get_by_test_id("stSlider").filter(has_text="Women's share of hires")
    assert f"{float(left['h']):.1f}%" in hire.inner_text()
    shot(page, "whatif-back-forward")
