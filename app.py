"""Koers: page config, session defaults, and the page list. Nothing else."""

import streamlit as st

from di_metrics.shell import access
from ui import auth, data, state, widgets

state.leave_pages_directory_mode()
st.set_page_config(page_title=state.tr("app.title"), page_icon="🧭", layout="wide")
widgets.language_switch()
auth.sign_in_or_stop()
ICONS = {
    "overview": "🎯",
    "explorer": "🔎",
    "career": "🪜",
    "survey": "💬",
    "peers": "🌍",
    "whatif": "🧭",
    "briefing": "📽️",
    "targets": "⚙️",
    "measures": "📌",
    "import": "📥",
}
allowed = access.PAGES[auth.role()]
pages = [
    st.Page(f"pages/{name}.py", title=state.tr(f"nav.{name}"), icon=ICONS[name], url_path=name) for name in allowed
]
page = st.navigation([state.root_page(pages[0]), *pages])
state.arrive(page.url_path)
auth.account_box()
with widgets.friendly_errors():
    data.ensure_data()
    with state.running_page():
        page.run()
