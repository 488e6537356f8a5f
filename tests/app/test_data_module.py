"""ui.data: every read made by `loader` keeps its own cache, keyed by the data version a write counts up."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
import streamlit as st


@pytest.fixture
def data(demo_db, tmp_path, monkeypatch):
    """ui.data on a copy of the demo database, with empty caches."""
    copy = tmp_path / "k.duckdb"
    shutil.copy(demo_db.removeprefix("duckdb:///"), copy)
    monkeypatch.setenv("KOERS_DATABASE_URL", f"duckdb:///{copy}")
    st.cache_data.clear()
    st.cache_resource.clear()
    from ui import data

    yield data
    st.cache_data.clear()
    st.cache_resource.clear()


def test_loaders_called_with_the_same_arguments_keep_their_own_caches(data):
    """Streamlit keys a cache on a function's name: every loader is named after its query, so three loaders
    called with the same version each give their own answer."""
    version = data.data_version()
    dates, targets, measures = data.load_dates(version), data.load_all_targets(version), data.load_measures(version)
    assert isinstance(dates[0], dt.date)
    assert "women_total" in {t.name for t in targets}
    assert "Mentoring network for women" in {m.name for m in measures}


def test_a_write_counts_the_version_up_and_the_next_read_follows_it(data):
    before = data.data_version()
    names = {t.name for t in data.load_all_targets(before)}
    data.delete_target("women_civilian")
    after = data.data_version()
    assert after != before
    assert {t.name for t in data.load_all_targets(after)} == names - {"women_civilian"}
    assert {t.name for t in data.load_all_targets(before)} == names  # the old key still holds the old read
