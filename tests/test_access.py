"""Access by role: the page list follows the role, so admin pages cannot be reached by URL by others."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from di_metrics.access import PAGES, role_for
from tests.conftest import ROOT

ROLES = {"admin": ["ada@defensie.example"], "analyst": ["group:hr-analytics", "bo@defensie.example"]}
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "test-only-secret",
    "client_id": "koers",
    "client_secret": "test-only",
    "server_metadata_url": "https://login.example/.well-known/openid-configuration",
}


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        ({"email": "ada@defensie.example"}, "admin"),
        ({"email": "BO@defensie.example"}, "analyst"),
        ({"email": "cy@defensie.example", "groups": ["hr-analytics"]}, "analyst"),
        ({"email": "di@defensie.example", "groups": ["logistics"]}, "viewer"),
        ({}, "viewer"),
    ],
)
def test_roles_come_from_configuration(user, expected):
    assert role_for(user, ROLES) == expected


@pytest.fixture
def signed_in(demo_db, monkeypatch, modern_pages):
    monkeypatch.setenv("KOERS_DATABASE_URL", demo_db)
    st.cache_data.clear()
    st.cache_resource.clear()

    def run(user: dict | None, page: str | None = None) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.secrets["auth"] = AUTH
        at.secrets["koers"] = {"roles": ROLES}
        at.user = user or {"is_logged_in": False}
        at.query_params["lang"] = "en"
        at.run()
        if page:
            at.switch_page(page).run()
        return at

    return run


def _nav(at: AppTest) -> list[str]:
    return [p.url_path for p in at.main.get("navigation")[0].proto.app_pages] if at.main.get("navigation") else []


def test_nobody_sees_figures_before_signing_in(signed_in):
    at = signed_in(None)
    assert not at.exception
    assert at.button[0].label == "Sign in"
    assert not at.metric


@pytest.mark.parametrize(
    ("email", "role"),
    [("di@defensie.example", "viewer"), ("bo@defensie.example", "analyst"), ("ada@defensie.example", "admin")],
)
def test_each_role_gets_its_pages_and_no_others(signed_in, email, role):
    at = signed_in({"is_logged_in": True, "email": email})
    assert not at.exception
    assert any(f"({'administrator' if role == 'admin' else role})" in c.value for c in at.sidebar.caption)
    if role != "admin":
        with pytest.raises(Exception, match=r"Could not find a navigation page"):  # outside the navigation
            at.switch_page("pages/import.py").run()
    at2 = signed_in({"is_logged_in": True, "email": email}, "pages/explorer.py")
    assert not at2.exception
    exports = [b for b in at2.get("download_button")]
    assert bool(exports) == (role in ("analyst", "admin"))
    assert set(PAGES[role]) <= set(PAGES["admin"])
