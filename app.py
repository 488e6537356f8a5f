"""Koers: page config, session defaults, and the page list. Nothing else."""

import logging

import streamlit as st

import ui
from di_metrics import access
from di_metrics.store import DatabaseBusy

st.set_page_config(page_title=ui.tr("app.title"), page_icon="🧭", layout="wide")
ui.language_switch()
ui.sign_in_or_stop()
ICONS = {
    "overview": "🎯",
    "explorer": "🔎",
    "survey": "💬",
    "whatif": "🧭",
    "briefing": "📽️",
    "targets": "⚙️",
    "import": "📥",
}
allowed = access.PAGES[ui.role()]
pages = [
    st.Page(f"pages/{name}.py", title=ui.tr(f"nav.{name}"), icon=ICONS[name], url_path=name, default=name == "overview")
    for name in allowed
]
page = st.navigation(pages)
ui.account_box()
try:
    ui.ensure_data()
    with ui.running_page():
        page.run()
except DatabaseBusy:
    st.warning(ui.tr("app.busy"))
except Exception:  # a friendly message for people; the details go to the server log
    logging.getLogger("koers").exception("page failed")
    st.error(ui.tr("app.error"))
