"""The first-start demo build: one build per server in the background, whoever comes or goes."""

from __future__ import annotations

import threading

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from di_metrics.shell import first_start
from di_metrics.storage.database import has_workforce, open_database
from tests.support import ROOT


def test_one_build_however_many_visitors_and_it_outlives_the_one_who_started_it():
    calls, release, at_half = [], threading.Event(), threading.Event()

    def work(progress):
        calls.append(1)
        progress(0.5, "survey")
        at_half.set()
        release.wait(10)

    build = first_start.Build(work)
    started = []
    visitors = [threading.Thread(target=lambda: started.append(build.start())) for _ in range(8)]
    for v in visitors:
        v.start()
    for v in visitors:
        v.join()  # every visitor has gone (closed the tab); the build is still under way
    assert started.count(True) == 1 and len(started) == 8
    assert at_half.wait(10)
    assert build.running and (build.fraction, build.step) == (0.5, "survey")  # what a second visitor sees
    assert not build.start()
    release.set()
    assert build.wait(10) and not build.running
    assert calls == [1] and build.fraction == 1.0 and build.error is None


def test_a_failed_build_is_kept_for_whoever_waits_and_can_be_tried_again():
    def work(progress):
        raise RuntimeError("disk full")

    build = first_start.build_for("test://failing", work)
    assert build.start() and build.wait(10)
    assert isinstance(build.error, RuntimeError)
    assert first_start.build_for("test://failing", work) is build  # the same for every visitor
    first_start.forget("test://failing")
    assert first_start.build_for("test://failing", work) is not build


def test_the_first_visitor_on_an_empty_database_gets_the_demo(tmp_path, monkeypatch, modern_pages):
    from di_metrics.demo.build import build_demo
    from ui import data

    url = f"duckdb:///{tmp_path / 'empty.duckdb'}"
    monkeypatch.setenv("KOERS_DATABASE_URL", url)
    monkeypatch.setattr(data, "_build_demo", lambda eng, progress: build_demo(eng, persons=1_500, progress=progress))
    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.query_params["lang"] = "en"
        at.run()
        assert not at.exception and not at.error
        assert any(m.label == "Women's share" for m in at.metric)
    finally:
        st.cache_resource.clear()
    engine = open_database(url)
    assert has_workforce(engine)
    engine.dispose()
    first_start.forget(engine.url.render_as_string(hide_password=True))


@pytest.fixture(autouse=True)
def _clean():
    yield
    st.cache_data.clear()
