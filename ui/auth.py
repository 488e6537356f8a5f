"""Authentication and access: who the visitor is and what their role lets them see, decided by
di_metrics.shell.access; sign-in, the account box, and the refusal of a broken configuration."""

from __future__ import annotations

import logging
import os
from typing import Any

import streamlit as st

from di_metrics.shell import access
from ui.state import tr

__all__ = ["access_now", "account_box", "auth_configured", "role", "sign_in_or_stop", "user_name"]

log = logging.getLogger("koers")


def _read_secrets() -> dict[str, Any]:
    """The secrets as a plain dict; no file at all is FileNotFoundError, a file that does not parse ValueError."""
    try:
        return st.secrets.to_dict()
    except FileNotFoundError as exc:  # Streamlit's StreamlitSecretNotFoundError covers both cases
        if getattr(exc, "error_id", "") == "no-secrets-found":
            raise
        raise ValueError(str(exc)) from exc


def _read_user() -> dict[str, Any]:
    return st.user.to_dict()


def access_now() -> access.Access:
    """The visitor's access, decided by di_metrics.shell.access: single-user opt-in, a role, or a refusal."""
    return access.resolve(os.environ, _read_secrets, _read_user)


def auth_configured() -> bool:
    """Whether visitors sign in (rather than the explicit single-user mode)."""
    return not access_now().single_user


def role() -> str:
    """The visitor's role; 'none' for whoever has not signed in or meets a configuration problem."""
    return access_now().role or access.SIGNED_OUT


def user_name() -> str:
    """Who is signed in, for the record of who saved what; 'local' in single-user mode."""
    try:
        return str(st.user.get("email") or "local") if st.user.get("is_logged_in") else "local"
    except Exception:  # st.user raises without an auth configuration in some contexts
        return "local"


def sign_in_or_stop() -> None:
    """Nobody sees anything before signing in, and a broken configuration shows why and nothing else."""
    now = access_now()
    if now.problem:
        log.error("access refused: %s (%s)", now.problem, now.detail)
        st.title(tr("app.title"))
        st.error(tr("access.config_error"))
        st.markdown(tr(now.problem, detail=now.shown_detail))  # the whole detail is in the log line above
        st.caption(tr("access.config_hint", env=access.SINGLE_USER_ENV))
        st.stop()
    if now.role == access.SIGNED_OUT:
        st.title(tr("app.title"))
        st.write(tr("app.sign_in_needed"))
        st.button(tr("app.sign_in"), on_click=st.login, type="primary")
        st.stop()


def account_box() -> None:
    """Who is signed in and as what, or the notice that this is a local single-user mode."""
    if auth_configured():
        st.sidebar.caption(tr("app.signed_in", user=user_name(), role=tr(f"app.role_{role()}")))
        st.sidebar.button(tr("app.sign_out"), on_click=st.logout, key="sign_out")
    else:
        st.sidebar.caption(tr("app.local_mode"))
