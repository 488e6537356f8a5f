"""Access by role: the page list follows the role, so admin pages cannot be reached by URL by others."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from di_metrics.shell import access
from di_metrics.shell.access import PAGES, role_for
from tests.support import ROOT

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
        ({"email": "ada@defensie.example", "email_verified": True}, "admin"),
        ({"email": "BO@defensie.example", "email_verified": "true"}, "analyst"),
        ({"email": "cy@defensie.example", "groups": ["hr-analytics"]}, "analyst"),
        ({"email": "di@defensie.example", "email_verified": True, "groups": ["logistics"]}, "viewer"),
        ({}, "viewer"),
        # an address the provider does not vouch for could be anybody's: groups only
        ({"email": "ada@defensie.example"}, "viewer"),
        ({"email": "ada@defensie.example", "email_verified": False}, "viewer"),
        ({"email": "ada@defensie.example", "email_verified": "false", "groups": ["hr-analytics"]}, "analyst"),
    ],
)
def test_roles_come_from_configuration(user, expected):
    assert role_for(user, ROLES) == expected


@pytest.fixture
def signed_in(demo_db, monkeypatch, modern_pages):
    monkeypatch.setenv("KOERS_DATABASE_URL", demo_db)
    monkeypatch.delenv("KOERS_SINGLE_USER")
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
    at = signed_in({"is_logged_in": True, "email": email, "email_verified": True})
    assert not at.exception
    assert any(f"({'administrator' if role == 'admin' else role})" in c.value for c in at.sidebar.caption)
    if role != "admin":
        with pytest.raises(Exception, match=r"Could not find a navigation page"):  # outside the navigation
            at.switch_page("pages/import.py").run()
    at2 = signed_in({"is_logged_in": True, "email": email, "email_verified": True}, "pages/explorer.py")
    assert not at2.exception
    exports = [b for b in at2.get("download_button")]
    assert bool(exports) == (role in ("analyst", "admin"))
    assert set(PAGES[role]) <= set(PAGES["admin"])


def _secrets(**sections):
    return lambda: sections


def _user(**claims):
    return lambda: claims


def _broken():
    raise ValueError("Error parsing secrets file: Expected '=' after a key")


def _missing():
    raise FileNotFoundError("No secrets found")


@pytest.mark.parametrize("value", ["", "0", "true", "yes", " "])
def test_single_user_mode_needs_the_explicit_opt_in(value):
    got = access.resolve({"KOERS_SINGLE_USER": value}, _missing, _user())
    assert got.role is None and got.problem == "access.no_secrets"
    assert access.resolve({"KOERS_SINGLE_USER": "1"}, _missing, _user()) == access.Access("admin", single_user=True)


@pytest.mark.parametrize(
    ("read_secrets", "problem", "detail"),
    [
        (_missing, "access.no_secrets", "No secrets found"),
        (_broken, "access.unreadable", "Expected '='"),
        (_secrets(autth=AUTH, koers={"roles": ROLES}), "access.misspelt_auth", "autth"),
        (_secrets(Auth=AUTH), "access.misspelt_auth", "Auth"),
        (_secrets(koers={"roles": ROLES}), "access.no_auth", "koers"),
        (_secrets(auth="yes"), "access.auth_not_section", "auth"),
        (_secrets(auth={"client_id": "koers"}), "access.auth_incomplete", "redirect_uri, cookie_secret"),
        (_secrets(auth=AUTH, koers={"roles": {"admin": "ada@defensie.example"}}), "access.bad_roles", "list"),
        (_secrets(auth=AUTH, koers={"roles": {"superuser": []}}), "access.bad_roles", "superuser"),
        (_secrets(auth=AUTH, koers="admin"), "access.bad_roles", "koers"),
    ],
)
def test_a_broken_configuration_refuses_with_a_reason_and_no_role(read_secrets, problem, detail):
    ada = _user(is_logged_in=True, email="ada@defensie.example", email_verified=True)
    got = access.resolve({}, read_secrets, ada)
    assert (got.role, got.problem, got.single_user) == (None, problem, False)
    assert detail in got.detail


def test_an_exception_reading_the_user_is_a_refusal_not_a_role():
    def failing_user():
        raise RuntimeError("session gone")

    got = access.resolve({}, _secrets(auth=AUTH), failing_user)
    assert got.role is None and got.problem == "access.unreadable"


def test_a_good_configuration_gives_the_role_or_asks_to_sign_in():
    secrets = _secrets(auth=AUTH, koers={"roles": ROLES})
    assert access.resolve({}, secrets, _user(is_logged_in=False)).role == access.SIGNED_OUT
    ada = _user(is_logged_in=True, email="ada@defensie.example", email_verified=True)
    assert access.resolve({}, secrets, ada) == access.Access("admin")


@pytest.fixture
def unconfigured(demo_db, monkeypatch, modern_pages):
    """The app as a server without KOERS_SINGLE_USER would run it, with the secrets file given."""
    from streamlit import config
    from streamlit.runtime.secrets import Secrets

    monkeypatch.setenv("KOERS_DATABASE_URL", demo_db)
    monkeypatch.delenv("KOERS_SINGLE_USER")
    st.cache_data.clear()
    st.cache_resource.clear()
    before = config.get_option("secrets.files")

    def run(secrets_text: str | None, tmp_path) -> AppTest:
        path = tmp_path / "secrets.toml"
        if secrets_text is not None:
            path.write_text(secrets_text)
        config.set_option("secrets.files", [str(path)])
        monkeypatch.setattr(st, "secrets", Secrets())
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.query_params["lang"] = "en"
        return at.run()

    yield run
    config.set_option("secrets.files", before)


def _refused(at: AppTest) -> str:
    assert not at.exception
    assert not _nav(at), "a refused visitor must not see the page list"
    assert not at.metric and not at.button and not at.sidebar.caption
    assert at.error[0].value == "Koers is not configured correctly, so it shows nothing."
    return " ".join(m.value for m in at.markdown)


def test_no_secrets_file_without_the_opt_in_shows_only_the_configuration_error(unconfigured, tmp_path):
    assert "There is no secrets file" in _refused(unconfigured(None, tmp_path))


def test_an_unparseable_secrets_file_shows_only_the_configuration_error(unconfigured, tmp_path):
    text = _refused(unconfigured('[auth]\nredirect_uri = "http://x"\ncookie_secret = \n', tmp_path))
    assert "The secrets file cannot be read" in text


def test_a_misspelt_auth_section_shows_only_the_configuration_error(unconfigured, tmp_path):
    body = "\n".join(f'{k} = "{v}"' for k, v in AUTH.items())
    text = _refused(unconfigured(f"[autth]\n{body}\n", tmp_path))
    assert "Did you mean `[auth]`?" in text


@pytest.mark.parametrize(
    ("groups", "expected"),
    [
        ("hr-analytics", "analyst"),  # one group as a plain string is that group
        ("rh", "viewer"),
        ("hr", "viewer"),
        (["hr", "x"], "viewer"),
        (5, "viewer"),  # claims of odd types give no group, and no crash
        (None, "viewer"),
        ({"hr-analytics": True}, "viewer"),
        ([["hr-analytics"]], "viewer"),
        (["HR-Analytics "], "viewer"),  # no trimming: a group is the exact name
    ],
)
def test_group_claims_of_odd_types_never_grant_by_accident(groups, expected):
    config = {"admin": ["group:h", "group:r", "group:5"], "analyst": ["group:hr-analytics"]}
    user = {"is_logged_in": True, "email": "eve@defensie.example", "groups": groups}
    assert role_for(user, config) == expected
    secrets = {"auth": AUTH, "koers": {"roles": config}}
    assert access.resolve({}, lambda: secrets, lambda: user) == access.Access(expected)


_AUTH_TOML = "[auth]\n" + "\n".join(f'{k} = "{v}"' for k, v in AUTH.items()) + "\n"


@pytest.mark.parametrize(
    ("secrets_text", "says"),
    [
        ("", "has no `[auth]` section"),
        ("\x00\x01\xff\xfe PK\x03\x04", "cannot be read"),
        (_AUTH_TOML + '[koers.roles]\nadmin = "ada@defensie.example"\n', "must be a list"),
        (_AUTH_TOML + '[koers.roles]\nAdmin = ["ada@defensie.example"]\n', "unknown role 'Admin'"),
        (_AUTH_TOML + '[koers]\nroles = "admin"\n', "is not a section"),
    ],
)
def test_odd_secrets_files_show_only_the_configuration_error(unconfigured, tmp_path, secrets_text, says):
    text = _refused(unconfigured(secrets_text, tmp_path))
    assert says in text


@pytest.mark.parametrize("value", ["true", "0", "yes", "", "01", "1.0"])
def test_single_user_values_other_than_1_grant_nothing(unconfigured, tmp_path, monkeypatch, value):
    monkeypatch.setenv("KOERS_SINGLE_USER", value)
    assert "There is no secrets file" in _refused(unconfigured(None, tmp_path))


# --- issue 25, the low findings: a misspelt roles section, what the error page shows, files Streamlit cannot start with


@pytest.mark.parametrize("section", ["koers.role", "koers.rol", "Koers.roles", "roles", "koers_roles", "KOERS.roles"])
def test_a_misspelt_roles_section_fails_closed_instead_of_making_everyone_a_viewer(section):
    head, _, tail = section.partition(".")
    sections = {head: {tail: ROLES}} if tail else {head: ROLES}
    ada = _user(is_logged_in=True, email="ada@defensie.example", email_verified=True)
    got = access.resolve({}, _secrets(auth=AUTH, **sections), ada)
    assert (got.role, got.problem, got.detail) == (None, "access.misspelt_roles", section)


@pytest.mark.parametrize("value", ["access.not_utf8", "access.no_such_key", "1", "yes"])
def test_any_problem_the_start_command_names_refuses_even_the_single_user(value):
    got = access.resolve({access.PROBLEM_ENV: value, "KOERS_SINGLE_USER": "1"}, _secrets(auth=AUTH), _user())
    assert got.role is None and got.problem in access.STARTUP_PROBLEMS
    assert got.problem == (value if value == "access.not_utf8" else "access.unreadable")


def test_other_sections_and_an_empty_roles_list_are_no_misspelling():
    ada = _user(is_logged_in=True, email="ada@defensie.example", email_verified=True)
    secrets = _secrets(auth=AUTH, koers={"roles": {}}, connections={"db": {"url": "x"}})
    assert access.resolve({}, secrets, ada) == access.Access("viewer")


def test_a_misspelt_roles_section_shows_only_the_configuration_error(unconfigured, tmp_path):
    text = _refused(unconfigured(_AUTH_TOML + '[koers.role]\nadmin = ["ada@defensie.example"]\n', tmp_path))
    assert "`[koers.role]`" in text and "Did you mean `[koers.roles]`?" in text


def test_the_error_page_shows_visitors_no_path_and_no_parser_words(unconfigured, tmp_path, caplog):
    caplog.set_level("ERROR", logger="koers")
    missing = _refused(unconfigured(None, tmp_path))
    broken = _refused(unconfigured('[auth]\nredirect_uri = "http://x"\ncookie_secret = \n', tmp_path))
    for text in (missing, broken):
        assert "/" not in text.replace("`.streamlit/secrets.toml`", "")  # no path of the server's
        assert str(tmp_path) not in text and "line" not in text and "Invalid" not in text
    assert "There is no secrets file" in missing and "The server's log says" in missing
    assert "The secrets file cannot be read. The server's log says why." in broken
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert str(tmp_path) in logged and "line 3" in logged  # the detail went to the server's log


BOM = b"\xff\xfe" + '[auth]\nredirect_uri = "x"\n'.encode("utf-16-le")


@pytest.mark.parametrize(
    ("content", "problem", "says"),
    [
        (BOM, "access.not_utf8", "not saved as UTF-8 text"),
        (b'auth = "yes"\n', "access.auth_not_section", "is a value (`auth = ...`), not an `[auth]` section"),
        (b"auth = [1, 2]\n", "access.auth_not_section", "not an `[auth]` section"),
    ],
    ids=["utf16_bom", "auth_yes", "auth_list"],
)
def test_a_secrets_file_streamlit_cannot_start_with_is_named_before_it_starts(
    unconfigured, tmp_path, monkeypatch, content, problem, says
):
    from di_metrics.shell import serve

    secrets = tmp_path / "secrets.toml"
    secrets.write_bytes(content)
    assert serve.startup_problem([tmp_path / "absent.toml", secrets])[0] == problem
    cmd, env = serve.command(["--server.port", "1", "--secrets.files", str(secrets)], {}, tmp_path)
    assert env[access.PROBLEM_ENV] == problem and str(secrets) not in cmd  # Streamlit never reads it
    assert cmd[-2:] != ["--secrets.files", str(secrets)] and "--server.port" in cmd
    joined, _ = serve.command([f"--secrets.files={secrets}"], {}, tmp_path)
    assert not any(str(secrets) in part for part in joined)
    assert serve.command([], {access.PROBLEM_ENV: problem}, tmp_path)[1] == {}  # a good start clears an old one
    # the page every visitor then gets: the reason, nothing else, no role (also with the single-user opt-in)
    monkeypatch.setenv(access.PROBLEM_ENV, problem)
    monkeypatch.setenv("KOERS_SINGLE_USER", "1")
    assert says in _refused(unconfigured(None, tmp_path))
    monkeypatch.delenv(access.PROBLEM_ENV)
    monkeypatch.delenv("KOERS_SINGLE_USER")
    assert says in _refused(unconfigured(None, tmp_path))  # a server that reads the file itself says the same


@pytest.mark.parametrize("content", [BOM, b'auth = "yes"\n'], ids=["utf16_bom", "auth_yes"])
def test_the_server_starts_and_says_why_with_a_secrets_file_streamlit_cannot_read(tmp_path, content):
    """Started as the README says, the server answers (and refuses every visitor) instead of dying at start."""
    import os
    import subprocess
    import sys
    import time
    import urllib.request

    from tests.support.browser import free_port

    secrets = tmp_path / "secrets.toml"
    secrets.write_bytes(content)
    port = free_port()
    log = tmp_path / "server.log"
    env = {k: v for k, v in os.environ.items() if k not in ("KOERS_SINGLE_USER", access.PROBLEM_ENV)}
    env["KOERS_DATABASE_URL"] = f"duckdb:///{tmp_path / 'k.duckdb'}"
    flags = ["--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1"]
    flags += ["--browser.gatherUsageStats", "false", "--secrets.files", str(secrets)]
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, *START, *flags], cwd=ROOT, env=env, stdout=out, stderr=out)
    try:
        answer = ""
        for _ in range(300):  # polled until it answers or dies, not timed
            if proc.poll() is not None:
                break
            try:
                answer = urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1).read().decode()
                break
            except OSError:
                time.sleep(0.1)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    said = log.read_text()
    assert answer == "ok", said[-2000:]
    assert "access refused at start" in said and str(secrets) in said


START = ["-m", "di_metrics.shell.serve"]  # how README and `make run` start the dashboard
