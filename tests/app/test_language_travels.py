"""A page change keeps the language (issue 28): the URL, the switch or the view the last run left."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from di_metrics import i18n
from tests.support import ROOT, no_failure


def test_a_sidebar_link_keeps_the_language_the_last_run_left(app):
    """A sidebar link carries no ?lang=, and a click during a page's first run can reach the server before the
    language switch has reported its value: the view the last run left says English, so the next page is English."""
    app()  # the demo database and fresh caches
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["view_remembered"] = {"lang": ["en"]}
    at.run()
    no_failure(at)
    assert at.title[0].value == i18n.t("overview.title", "en")
    assert at.query_params["lang"] == "en"  # and the next link carries it
