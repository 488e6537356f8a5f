"""The shared deployment of the README, for real: two Streamlit replicas on PostgreSQL behind deploy/nginx.conf."""

from __future__ import annotations

import urllib.request

import pytest

from di_metrics.demo.build import build_demo
from di_metrics.storage.database import open_database
from tests.support.browser import shot
from tests.support.replicas import Replicas


@pytest.fixture
def replicas(postgres_url, tmp_path):
    """Two replicas on one PostgreSQL database with a small demo, and nginx in front; yields nginx's URL."""
    engine = open_database(postgres_url)
    build_demo(engine, persons=4_000)
    engine.dispose()
    front = Replicas(postgres_url, 2, tmp_path)
    try:
        yield front.url, set(front.by_address())
    finally:
        front.close()


def _replica(url: str, cookie: str | None = None) -> tuple[str, str]:
    """Which replica answered, and the routing cookie nginx handed out."""
    request = urllib.request.Request(url + "/_stcore/health", headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=5) as response:
        cookies = [c.split(";")[0] for c in response.headers.get_all("Set-Cookie")]
    return response.headers["X-Koers-Replica"], next(c for c in cookies if c.startswith("koers_replica="))


def test_browsers_are_spread_over_the_replicas_and_each_stays_on_its_own(replicas):
    url, addresses = replicas
    first_visits = [_replica(url) for _ in range(24)]
    landed = [replica for replica, _ in first_visits]
    assert {a: landed.count(a) for a in addresses} == dict.fromkeys(addresses, 12)  # dealt in turn: 12 each
    for replica, cookie in first_visits[:6]:
        assert {_replica(url, cookie)[0] for _ in range(5)} == {replica}  # and stay where they landed


def test_the_what_if_journey_works_through_the_load_balancer(replicas, page):
    url, _ = replicas
    page.set_default_timeout(60_000)
    page.goto(url + "/whatif?lang=en", wait_until="domcontentloaded")
    page.get_by_test_id("stHeading").filter(has_text="To reach 30%").first.wait_for()
    thumb = page.get_by_test_id("stSlider").filter(has_text="Target").get_by_role("slider")
    thumb.focus()
    thumb.press("ArrowRight")
    page.get_by_test_id("stHeading").filter(has_text="To reach 31%").first.wait_for()
    page.locator(".js-plotly-plot").first.wait_for()
    assert page.get_by_test_id("stException").count() == 0
    shot(page, "whatif-behind-nginx")
