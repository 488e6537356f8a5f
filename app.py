"""Koers: page config, session defaults, and the page list. Nothing else."""

import logging

import streamlit as st

import ui
from di_metrics.store import DatabaseBusy

st.set_page_config(page_title=ui.tr("app.title"), page_icon="🧭", layout="wide")
ui.language_switch()
pages = [
    st.Page("pages/overview.py", title=ui.tr("nav.overview"), icon="🎯", url_path="overview", default=True),
    st.Page("pages/explorer.py", title=ui.tr("nav.explorer"), icon="🔎", url_path="explorer"),
    st.Page("pages/survey.py", title=ui.tr("nav.survey"), icon="💬", url_path="survey"),
    st.Page("pages/whatif.py", title=ui.tr("nav.whatif"), icon="🧭", url_path="whatif"),
    st.Page("pages/briefing.py", title=ui.tr("nav.briefing"), icon="📽️", url_path="briefing"),
    st.Page("pages/targets.py", title=ui.tr("nav.targets"), icon="⚙️", url_path="targets"),
]
page = st.navigation(pages)
ui.local_mode_notice()
try:
    ui.ensure_data()
    with ui.running_page():
        page.run()
except DatabaseBusy:
    st.warning(ui.tr("app.busy"))
except Exception:  # a friendly message for people; the details go to the server log
    logging.getLogger("koers").exception("page failed")
    st.error(ui.tr("app.error"))
