"""The What-if decomposition's promotion part is worked with the levers the rank chart shows, not the
calibrated ones: with a hiring share far from the calibrated one the two differ, and the page must show the first."""

from __future__ import annotations

import dataclasses
import json

import pytest


def test_the_promotion_part_uses_the_rank_charts_levers(demo_db, monkeypatch, modern_pages):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from di_metrics.analysis.calibration import calibrate
    from di_metrics.analysis.rank_model import calibrate_ranks, promotion_effect
    from di_metrics.queries.filters import Filters
    from di_metrics.storage import store
    from tests.support import ROOT

    with store.connect(store.make_engine(demo_db)) as conn:
        base = calibrate(conn, Filters()).scenario
        ranks = calibrate_ranks(conn, Filters(), "military")
    growth = round(100 * base.growth, 2) / 100  # the growth slider holds hundredths of a percent
    with_levers = dataclasses.replace(ranks, hire_share=0.6, growth=growth, parity=1.0)
    expected = 100 * promotion_effect(with_levers, base.deadline)
    calibrated = 100 * promotion_effect(dataclasses.replace(ranks, parity=1.0), base.deadline)
    assert abs(expected - calibrated) > 0.2  # the test can tell the two apart, also at the chart's 0.1 pp

    monkeypatch.setenv("KOERS_DATABASE_URL", demo_db)
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page("pages/whatif.py").run()
    at.select_slider(key="lever_hire").set_value(60.0)
    at.select_slider(key="lever_parity").set_value(1.0)
    at.run()
    assert not at.exception
    charts = [json.loads(el.proto.spec) for el in at.get("plotly_chart")]
    (bars,) = [c for c in charts if "Promotion parity (top ranks)" in c["data"][0].get("y", [])]
    promotion = bars["data"][0]["x"][bars["data"][0]["y"].index("Promotion parity (top ranks)")]
    assert promotion == pytest.approx(expected, abs=0.05)  # chart JSON carries what is displayed: 0.1 pp
    st.cache_data.clear()
    st.cache_resource.clear()
