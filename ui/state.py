"""Session and URL state: the language, the run through app.py, and what a shared link carries."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any

import streamlit as st

from di_metrics import i18n
from di_metrics.models.levers import URL_PARAMS, ScenarioInput
from di_metrics.vocab import URL_NAME

__all__ = [
    "COMPARE_PARAM",
    "DATE_PARAMS",
    "FILTER_PARAMS",
    "VIEW_PARAMS",
    "arrive",
    "drive_from_url",
    "guard_page",
    "history_landing",
    "language",
    "leave_pages_directory_mode",
    "remember_view",
    "root_page",
    "running_page",
    "scenario_levers",
    "tr",
    "url_drives",
    "view_params",
]


FILTER_PARAMS = URL_NAME  # dimension -> its name in a shared link
DATE_PARAMS = ("date", "vs")  # the snapshot shown and the one compared with
COMPARE_PARAM = "cmp"  # the saved scenarios compared on What if?, by name
# The one decision what a link to another page carries: the language, the filters, the dates, the levers and the
# compared scenarios.
VIEW_PARAMS = ("lang", *FILTER_PARAMS.values(), *DATE_PARAMS, *URL_PARAMS, COMPARE_PARAM)
_VIEW, _PAGE, _DRIVES, _NEXT = "view_remembered", "view_page", "view_from_url", "view_from_url_next"


_run = threading.local()


@contextlib.contextmanager
def running_page() -> Iterator[None]:
    """Marks the pages app.py runs, so a page started any other way can tell."""
    _run.via_app = True
    try:
        yield
    finally:
        _run.via_app = False


def guard_page() -> None:
    """Every page starts here: a page run without app.py (role checks, language, filters) reruns through it."""
    if getattr(_run, "via_app", False):
        return
    leave_pages_directory_mode()
    st.rerun()


def leave_pages_directory_mode() -> None:
    """Streamlit runs the very first request after a server start in its old `pages/` directory mode: it lists
    every file in pages/ (hidden by client.showSidebarNavigation = false in .streamlit/config.toml, so nobody
    sees pages their role does not give them) and may run a deep-linked page file on its own. Leave that mode,
    let st.navigation show the role's pages from now on, and rerun through app.py like every other request.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory is False and st.get_option("client.showSidebarNavigation"):
        return
    PagesManager.uses_pages_directory = False
    st.set_option("client.showSidebarNavigation", True)
    st.rerun()


def view_params() -> dict[str, list[str]]:
    """The view as the URL holds it now, in the URL's own order (written back in that order, the address stays
    the same string, and the browser keeps no extra history entry): what every sidebar link and every "open
    in ..." button carries."""
    return {p: values for p in st.query_params if p in VIEW_PARAMS and (values := st.query_params.get_all(p))}


def history_landing() -> bool:
    """Whether this run shows an entry of the browser's history (Back or Forward). Such a run never writes the URL:
    Streamlit's frontend turns a write into a new history entry (pushState, which cuts the forward history)
    unless it still marks the run as a history navigation, and that mark is lost when the run is coalesced
    with another request. The entry shows what its own address says."""
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    ctx = get_script_run_ctx()
    return bool(ctx is not None and ctx.is_history_navigation)


def arrive(page: str) -> None:
    """Before a page runs. A sidebar link carries no view (Streamlit clears the URL on a page change), so the view
    remembered from the last run goes back into the URL. Back or Forward to such an in-between address writes
    nothing (history_landing): the page shows the address as it is. A URL that differs from the remembered view
    (a link, Back or Forward) drives the page's filters, dates and compared scenarios, which the widgets would
    otherwise keep.

    The view and the language go into the URL in one write, and none when the URL already holds them: the
    browser keeps a history entry for every change of the address, so each extra write is an extra Back press."""
    remembered = st.session_state.get(_VIEW)
    now = view_params()
    moved = st.session_state.get(_PAGE) != page
    wanted = dict(remembered) if remembered and not set(now) - {"lang"} else dict(now)
    wanted["lang"] = [language()]
    if wanted != now and not history_landing():
        st.query_params.update(wanted)
        now = view_params()
    pushed = st.session_state.pop(_NEXT, False)
    st.session_state[_DRIVES] = pushed or (remembered is not None and (moved or now != remembered))
    st.session_state[_PAGE] = page


def url_drives() -> bool:
    """Whether this run's filters and dates come from the URL rather than from the widgets' own state."""
    return bool(st.session_state.get(_DRIVES))


def drive_from_url() -> None:
    """The page itself changed the filters in the URL (a click on a bar): the next run takes them from there."""
    st.session_state[_NEXT] = True


def remember_view() -> None:
    """After every run (and every fragment run): the view as it stands, for the next sidebar link."""
    st.session_state[_VIEW] = view_params()
    st.session_state[_DRIVES] = False


def language() -> str:
    """The session's language: the switch, else ?lang=, else the language the last run left (a sidebar link carries
    no ?lang=, and a click during a page's first run can arrive before the switch has reported), else Dutch."""
    left = st.session_state.get(_VIEW, {}).get("lang", [None])[0]
    lang = st.session_state.get("lang_switch") or st.query_params.get("lang") or left or i18n.DEFAULT_LANGUAGE
    return lang if lang in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE


def tr(key: str, **values: Any) -> str:
    """Text in the session's language."""
    return i18n.t(key, language(), **values)


def scenario_levers() -> tuple[tuple[str, float], ...]:
    """The what-if levers in the URL (as the what-if page writes them) that pass the door, for the briefing."""
    given, _refused = ScenarioInput.from_url(st.query_params, None)  # build_briefing checks the deadline again
    return tuple(sorted(given.levers().items()))


def root_page(first: st.Page) -> st.Page:
    """The app's root address, which opens the first page at its own address with the same parameters.

    Streamlit serves its default page only at the root: a page that is the default cannot be opened by its own
    link (`/overview` says "Page not found"). So the default is this hidden page, and every page keeps its link.
    """

    def home() -> None:
        st.switch_page(first, query_params={k: st.query_params.get_all(k) for k in st.query_params})

    return st.Page(home, title=first.title, icon=first.icon, url_path="start", default=True, visibility="hidden")
