"""Roles: who may see what. Rules as data; the Streamlit side only supplies the signed-in user."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

ROLES = ("viewer", "analyst", "admin")
# The pages each role may open; a page left out cannot be reached by URL either.
PAGES = {
    "viewer": ("overview", "explorer", "survey", "peers"),
    "analyst": ("overview", "explorer", "survey", "peers", "whatif", "briefing"),
    "admin": ("overview", "explorer", "survey", "peers", "whatif", "briefing", "targets", "import"),
}
EXPORTS = ("analyst", "admin")


def role_for(user: Mapping[str, Any], config: Mapping[str, Iterable[str]]) -> str:
    """The highest role the configuration gives the user, by e-mail address or by group; viewer otherwise.

    `config` maps a role to entries such as "alice@example.org" or "group:hr-analytics".
    """
    email = str(user.get("email") or "").lower()
    groups = {str(g).lower() for g in (user.get("groups") or [])}
    granted = "viewer"
    for role in ROLES:
        for entry in config.get(role, ()):
            entry = str(entry).lower()
            if entry == email or (entry.startswith("group:") and entry.removeprefix("group:") in groups):
                granted = role
    return granted


def may_export(role: str) -> bool:
    return role in EXPORTS
