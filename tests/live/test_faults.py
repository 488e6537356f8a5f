"""The shared deployment survives losing a part of itself while a user is on it: a replica, or the database.

Protocol users (benchmarks/protocol.py) stand in for browsers; benchmarks/load.py runs the same drills under load
and measures them. These tests prove the behaviour, once, without timing anything.
"""

from __future__ import annotations

import asyncio
import concurrent.futures

import pytest

from benchmarks import faults
from benchmarks.protocol import Session, replica_cookie
from di_metrics.demo.build import build_demo
from di_metrics.i18n import t
from di_metrics.storage.database import open_database
from tests.support import postgres
from tests.support.browser import AppServer
from tests.support.replicas import Replicas


def _run(coro):
    """On a thread of its own: an earlier Playwright test may leave an event loop running on the main thread."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def _headline(target: int):
    def check(run) -> None:
        assert run.errors == [], run.errors
        if faults.shows_unreachable(run):
            raise faults.Unreachable()
        assert any(h.startswith(f"To reach {target}%") for h in run.headings), run.headings

    return check


@pytest.fixture
def two_replicas(postgres_url, tmp_path):
    engine = open_database(postgres_url)
    build_demo(engine, persons=4_000)
    engine.dispose()
    front = Replicas(postgres_url, 2, tmp_path)
    yield front
    front.close()


def test_a_user_whose_replica_is_killed_carries_on_through_the_other_with_the_view_of_its_url(two_replicas):
    async def journey():
        cookie, first = replica_cookie(two_replicas.url)
        session = Session(two_replicas.url, cookie)
        try:
            _headline(30)(await session.open("whatif", "lang=en&h=41&t=30"))
            _headline(33)(await session.set_slider("Target", 33))  # the view now lives in the URL: t=33
            drill = faults.Drill("kill-replica", 0.0)
            await faults.kill_replica(drill, {first: two_replicas.by_address()[first]})
            await faults.think(session, 5.0, _headline(33), drill)  # the socket drops: reconnect at once
            seconds = await faults.move_through(session, "Target", 34, _headline(34), drill)
            return first, replica_cookie(two_replicas.url, cookie=cookie)[1], drill, seconds, session.query
        finally:
            await session.close()

    first, now, drill, _seconds, query = _run(journey())
    assert now != first  # nginx sends the same cookie to the replica that is alive
    assert (len(drill.recoveries), drill.lost) == (1, 0)  # came back once, on the view t=33, then moved on
    assert {"t=34", "h=41", "lang=en"} <= set(query.split("&"))


@pytest.fixture
def own_postgres(tmp_path):
    if not postgres.available():
        pytest.skip("needs root and Debian's PostgreSQL server to run a server of the test's own")
    server = postgres.OwnPostgres()
    try:
        engine = open_database(server.url)
        build_demo(engine, persons=4_000)
        engine.dispose()
        app = AppServer(server.url, tmp_path / "server.log")
        yield server, app
        app.close()
    finally:
        server.close()


def test_while_postgresql_is_down_the_page_says_so_in_the_users_language_and_afterwards_it_recovers(own_postgres):
    server, app = own_postgres

    async def journey():
        session = Session(app.url)
        try:
            _headline(30)(await session.open("whatif", "lang=en&t=30"))
            server.stop()
            visitor = Session(app.url)
            down = await visitor.open("whatif", "lang=nl&t=30")
            await visitor.close()
            server.start()
            moved = await session.set_slider("Target", 31)  # the same server, never restarted
            server.restart()
            again = await session.set_slider("Target", 32)
            return down, moved, again
        finally:
            await session.close()

    down, moved, again = _run(journey())
    assert down.errors == []  # no traceback, no error
    assert t("app.unreachable", "nl") in down.warnings
    _headline(31)(moved)
    _headline(32)(again)
