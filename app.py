"""Koers: page config, session defaults, and the page list. Nothing else."""

import streamlit as st

from di_metrics.shell import access
from ui import auth, data, state, widgets

state.leave_pages_directory_mode()
st.set_page_config(page_title=state.tr("app.title"), page_icon=":material/explore:", layout="wide")
widgets.language_switch()
auth.sign_in_or_stop()
# Streamlit's bundled Material Symbols font: no emoji font needed on the machine that shows the page.
ICONS = {
    "overview": ":material/flag:",
    "explorer": ":material/search:",
    "career": ":material/stairs:",
    "survey": ":material/forum:",
    "peers": ":material/public:",
    "whatif": ":material/explore:",
    "briefing": ":material/slideshow:",
    "targets": ":material/settings:",
    "measures": ":material/push_pin:",
    "import": ":material/upload_file:",
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
