"""Koers: page config, session defaults, and the page list. Nothing else."""

import streamlit as st

import ui
from di_metrics.shell import access

ui.leave_pages_directory_mode()
st.set_page_config(page_title=ui.tr("app.title"), page_icon="🧭", layout="wide")
ui.language_switch()
ui.sign_in_or_stop()
ICONS = {
    "overview": "🎯",
    "explorer": "🔎",
    "survey": "💬",
    "peers": "🌍",
    "whatif": "🧭",
    "briefing": "📽️",
    "targets": "⚙️",
    "import": "📥",
}
allowed = access.PAGES[ui.role()]
pages = [st.Page(f"pages/{name}.py", title=ui.tr(f"nav.{name}"), icon=ICONS[name], url_path=name) for name in allowed]
page = st.navigation([ui.root_page(pages[0]), *pages])
ui.account_box()
with ui.friendly_errors():
    ui.ensure_data()
    with ui.running_page():
        page.run()
