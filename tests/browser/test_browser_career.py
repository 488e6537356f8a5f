"""In headless Chromium: the Career page opens in Dutch and in English and draws its first chart."""

from __future__ import annotations

import pytest

from tests.support.browser import open_page, shot

PLOT = ".js-plotly-plot"


@pytest.mark.parametrize(("lang", "title"), [("nl", "Loopbaan"), ("en", "Career")])
def test_the_career_page_in_the_browser(server, page, lang, title):
    open_page(page, server.url + f"/career?lang={lang}")
    page.locator(PLOT).first.wait_for()
    main = page.get_by_test_id("stMainBlockContainer")
    main.get_by_role("heading", name=title).wait_for()
    assert page.get_by_test_id("stException").count() == 0
    shot(page, f"career-{lang}")
