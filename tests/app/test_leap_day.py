"""The explorer when the latest snapshot is 29 February: the year before is the 28th, not a crash."""

from __future__ import annotations

import csv

import streamlit as st
from streamlit.testing.v1 import AppTest

from di_metrics.storage.database import open_database
from di_metrics.storage.ingest import import_file
from tests.support import ROOT, handmade

DATES = {handmade.D1: "2023-02-28", handmade.D2: "2023-08-31", handmade.D3: "2024-02-29"}


def test_the_explorer_runs_when_the_latest_snapshot_is_29_february(tmp_path, monkeypatch, modern_pages):
    path = tmp_path / "leap.csv"
    rows = [{**r, "snapshot_date": DATES[r["snapshot_date"]]} for r in handmade.rows()]
    with path.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    url = f"duckdb:///{tmp_path / 'leap.duckdb'}"
    engine = open_database(url)
    import_file(engine, "workforce", str(path))
    engine.dispose()
    monkeypatch.setenv("KOERS_DATABASE_URL", url)
    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.query_params["lang"] = "en"
        at.run()
        at.switch_page("pages/explorer.py").run()
        assert not at.exception
        assert at.title[0].value == "Workforce explorer"
        assert at.sidebar.selectbox(key="as_of").value.isoformat() == "2024-02-29"
        assert at.sidebar.selectbox(key="vs").value.isoformat() == "2023-02-28"  # a year before, on the 28th
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()
