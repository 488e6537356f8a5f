"""Roles: who may see what. Rules as data; the Streamlit side only supplies the secrets and the signed-in user.

Access fails closed: only an explicit single-user opt-in grants the local admin role without sign-in, and
a configuration that cannot be read or understood refuses with a reason instead of guessing a role.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "AUTH_REQUIRED",
    "EXPORTS",
    "PAGES",
    "PROBLEM_ENV",
    "ROLES",
    "SHOWN_DETAILS",
    "SIGNED_OUT",
    "SINGLE_USER_ENV",
    "STARTUP_PROBLEMS",
    "Access",
    "auth_problem",
    "email_verified",
    "group_names",
    "may_export",
    "resolve",
    "role_for",
    "roles_config",
    "roles_problem",
    "single_user",
]

ROLES = ("viewer", "analyst", "admin")
# The pages each role may open; a page left out cannot be reached by URL either.
PAGES = {
    "viewer": ("overview", "explorer", "survey", "peers"),
    "analyst": ("overview", "explorer", "survey", "peers", "whatif", "briefing"),
    "admin": ("overview", "explorer", "survey", "peers", "whatif", "briefing", "targets", "measures", "import"),
}
EXPORTS = ("analyst", "admin")
SINGLE_USER_ENV = "KOERS_SINGLE_USER"
AUTH_REQUIRED = ("redirect_uri", "cookie_secret")
SIGNED_OUT = "none"
# set by the launcher (shell/serve.py) when it kept a secrets file from Streamlit: a refusal, never a role
PROBLEM_ENV = "KOERS_CONFIG_PROBLEM"
STARTUP_PROBLEMS = frozenset({"access.not_utf8", "access.auth_not_section", "access.unreadable"})
_ROLES_NAMES = ("koers", "roles", "koers.roles")
SHOWN_DETAILS = frozenset(
    {"access.misspelt_auth", "access.no_auth", "access.auth_incomplete", "access.bad_roles", "access.misspelt_roles"}
)


@dataclass(frozen=True)
class Access:
    """What the visitor may do: a role, SIGNED_OUT (must sign in first), or a configuration problem.

    `problem` is a message key (access.*) and `detail` what it names, for the server log (a visitor sees the
    message, which shows a detail only where Koers wrote it); with a problem there is no role.
    """

    role: str | None
    problem: str | None = None
    detail: str = ""
    single_user: bool = False

    @property
    def shown_detail(self) -> str:
        """The detail a visitor may read: only names Koers put there itself (sections, keys, roles), never a
        path or a parser's words, which go to the server log."""
        return self.detail if self.problem in SHOWN_DETAILS else ""


def single_user(environ: Mapping[str, str]) -> bool:
    """Single-user mode only when it is asked for in so many words: KOERS_SINGLE_USER=1."""
    return environ.get(SINGLE_USER_ENV, "").strip() == "1"


def resolve(
    environ: Mapping[str, str],
    read_secrets: Callable[[], Mapping[str, Any]],
    read_user: Callable[[], Mapping[str, Any]],
) -> Access:
    """The visitor's access. Any failure to read the configuration or the user is a refusal, never a role."""
    given = environ.get(PROBLEM_ENV, "")
    if given:  # any value refuses; one the start command does not set reads as an unreadable file
        key = given if given in STARTUP_PROBLEMS else "access.unreadable"
        return Access(None, key, f"the start command kept the secrets file from Streamlit ({given})")
    if single_user(environ):
        return Access("admin", single_user=True)
    try:
        secrets = read_secrets()
    except FileNotFoundError as exc:
        return Access(None, "access.no_secrets", str(exc))
    except UnicodeDecodeError as exc:
        return Access(None, "access.not_utf8", _first_line(exc))
    except Exception as exc:  # an unparseable file: Streamlit raises its own kinds
        return Access(None, "access.unreadable", _first_line(exc))
    problem = auth_problem(secrets) or roles_problem(secrets)
    if problem:
        return Access(None, *problem)
    try:
        roles = roles_config(secrets)
    except (TypeError, ValueError, AttributeError, KeyError) as exc:
        return Access(None, "access.bad_roles", _first_line(exc))
    try:
        user = dict(read_user())
    except Exception as exc:  # st.user failing is a configuration problem too
        return Access(None, "access.unreadable", _first_line(exc))
    if not user.get("is_logged_in"):
        return Access(SIGNED_OUT)
    return Access(role_for(user, roles))


def auth_problem(secrets: Mapping[str, Any]) -> tuple[str, str] | None:
    """Why the [auth] section cannot be used, as (message key, detail); None when it can."""
    keys = [str(k) for k in secrets]
    if "auth" not in keys:
        near = difflib.get_close_matches("auth", [k.lower() for k in keys], n=1, cutoff=0.5)
        found = next((k for k in keys if near and k.lower() == near[0]), "")
        return ("access.misspelt_auth", found) if found else ("access.no_auth", ", ".join(keys) or "-")
    auth = secrets["auth"]
    if not isinstance(auth, Mapping):
        return "access.auth_not_section", "auth"
    missing = [k for k in AUTH_REQUIRED if not auth.get(k)]
    return ("access.auth_incomplete", ", ".join(missing)) if missing else None


def roles_problem(secrets: Mapping[str, Any]) -> tuple[str, str] | None:
    """A section that looks like [koers.roles] but is not (`[koers.role]`, `[Koers.roles]`, `[roles]`), as
    (message key, the section's name); None when there is none. Ignored, it would make everyone a viewer."""
    koers = secrets.get("koers")
    if isinstance(koers, Mapping):
        other = [str(k) for k in koers if k != "roles"]
        if other:
            return "access.misspelt_roles", f"koers.{other[0]}"
    for key, value in secrets.items():
        if key in ("auth", "koers") or not difflib.get_close_matches(str(key).lower(), _ROLES_NAMES, cutoff=0.6):
            continue
        inner = [str(k) for k, v in value.items() if isinstance(v, Mapping)] if isinstance(value, Mapping) else []
        return "access.misspelt_roles", f"{key}.{inner[0]}" if inner else str(key)
    return None


def roles_config(secrets: Mapping[str, Any]) -> dict[str, list[str]]:
    """[koers.roles] as role -> entries; an unknown role or an entry that is not a list is an error."""
    koers = secrets.get("koers", {})
    if not isinstance(koers, Mapping):
        raise TypeError("[koers] is not a section")
    roles = koers.get("roles", {})
    if not isinstance(roles, Mapping):
        raise TypeError("[koers.roles] is not a section")
    out: dict[str, list[str]] = {}
    for role, entries in roles.items():
        if role not in ROLES:
            raise ValueError(f"unknown role '{role}' in [koers.roles]; use {', '.join(ROLES)}")
        if isinstance(entries, str) or not isinstance(entries, Iterable):
            raise TypeError(f"[koers.roles] {role} must be a list")
        out[role] = [str(e) for e in entries]
    return out


def email_verified(user: Mapping[str, Any]) -> bool:
    """Whether the provider vouches for the e-mail address (the OIDC `email_verified` claim)."""
    flag = user.get("email_verified")
    return flag is True or (isinstance(flag, str) and flag.strip().lower() == "true")


def role_for(user: Mapping[str, Any], config: Mapping[str, Iterable[str]]) -> str:
    """The highest role the configuration gives the user, by verified e-mail address or by group; else viewer.

    `config` maps a role to entries such as "alice@example.org" or "group:hr-analytics". An address the
    provider does not mark verified could be anybody's, so only groups count for it.
    """
    email = str(user.get("email") or "").lower() if email_verified(user) else ""
    groups = group_names(user.get("groups"))
    granted = "viewer"
    for role in ROLES:
        for entry in config.get(role, ()):
            entry = str(entry).lower()
            by_mail = bool(email) and entry == email
            if by_mail or (entry.startswith("group:") and entry.removeprefix("group:") in groups):
                granted = role
    return granted


def group_names(claim: Any) -> set[str]:
    """The groups claim as lower-case names: a list of names, or one name as a string. Any other shape (a
    number, a mapping, nested lists) names no group, so an odd claim never matches by accident; a string
    is never taken apart into its letters."""
    if isinstance(claim, str):
        claim = [claim]
    if not isinstance(claim, list | tuple):
        return set()
    return {g.lower() for g in claim if isinstance(g, str)}


def may_export(role: str) -> bool:
    return role in EXPORTS


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__
