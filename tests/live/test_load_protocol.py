"""The load benchmark's protocol users against a live app: their reruns finish and show what a user needs.

No timing is asserted: benchmarks/load.py measures, these tests only prove that it still works.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import re
from pathlib import Path

import pytest

from benchmarks.load import drive_protocol
from benchmarks.protocol import Session
from di_metrics.demo.build import build_demo
from di_metrics.storage.database import open_database
from tests.support import ROOT
from tests.support.browser import AppServer
from tests.support.replicas import nginx_conf


def _run(coro):
    """Run a coroutine on a thread of its own: Playwright's sync API, used by earlier tests in the same
    process, leaves an event loop running on the main thread, where asyncio.run refuses to start."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """One server on a small demo organisation."""
    workdir = tmp_path_factory.mktemp("live")
    url = f"duckdb:///{workdir / 'koers.duckdb'}"
    engine = open_database(url)
    build_demo(engine, persons=4_000)
    engine.dispose()
    server = AppServer(url, workdir / "server.log")
    yield server
    server.close()


def test_three_protocol_users_each_make_two_moves_that_finish_without_an_error(app):
    options = argparse.Namespace(sessions=3, rounds=2, arrival=0.0, think=(0.0, 0.0), hire_moves=0.5)
    doc = _run(drive_protocol(app.url, options, {"server": app}))
    assert doc["errors"] == [], app.log_tail()
    assert (doc["sessions"], doc["interactions"]) == (3, 6)
    assert [r["sessions"] for r in doc["per_replica"]] == [3]


def test_a_slider_move_reruns_only_the_fragment_and_the_page_follows_the_new_values(app):
    async def journey() -> tuple:
        session = Session(app.url)
        try:
            opened = await session.open("whatif", "lang=en&h=41&t=30")
            moved = await session.set_slider("Target", 34)
            hired = await session.set_slider("Women's share of hires", 45.5)
            return opened, moved, hired, session.query
        finally:
            await session.close()

    opened, moved, hired, query = _run(journey())
    assert "What if?" in opened.headings  # the whole page: its title is outside the fragment
    assert any(h.startswith("To reach 30%") for h in opened.headings)
    assert "What if?" not in moved.headings  # the fragment alone
    assert any(h.startswith("To reach 34%") for h in moved.headings)
    assert any(h.startswith("To reach 34%") for h in hired.headings)
    assert {"h=45.5", "t=34", "lang=en"} <= set(query.split("&"))  # the link the page wrote for these levers
    assert opened.errors == moved.errors == hired.errors == []


def test_nginx_gets_its_replica_part_written_per_replica(tmp_path: Path):
    """For two replicas the part is the file's own; for three, every replica is dealt new browsers, has its pin,
    and has the other two behind it."""
    two = (ROOT / "deploy" / "nginx.conf").read_text()
    for name, value in {
        "__REPLICA_1__": "8101",
        "__REPLICA_2__": "8102",
        "__RUN__": str(tmp_path),
        "__PORT__": "8000",
    }.items():
        two = two.replace(name, value)
    assert nginx_conf(tmp_path, 8000, [8101, 8102]) == two
    conf = nginx_conf(tmp_path, 8000, [8101, 8102, 8103])
    assert "__" not in conf
    blocks = dict(re.findall(r"upstream (\w+) \{\n(.*?)\n    \}", conf, re.S))
    lines = {name: [line.strip() for line in body.splitlines()] for name, body in blocks.items()}
    assert lines["koers_new"] == ["server 127.0.0.1:8101;", "server 127.0.0.1:8102;", "server 127.0.0.1:8103;"]
    assert lines["koers_2"] == [
        "server 127.0.0.1:8102;",
        "server 127.0.0.1:8103 backup;",
        "server 127.0.0.1:8101 backup;",
    ]
    assert set(lines) == {"koers_new", "koers_1", "koers_2", "koers_3"}
    assert "3       koers_3;" in conf and '127\\.0\\.0\\.1:8103$" 3;' in conf
    assert "listen 127.0.0.1:8000;" in conf
