"""Router: page config, settings (language, currency), database check, sign-in and workspace, navigation."""

import streamlit as st

from pages import common
from planner.core.i18n import t
from planner.storage.access import Forbidden, NoWorkspace

common.leave_legacy_pages_mode()
st.set_page_config(page_title="Influencer media planner", page_icon=":material/campaign:", layout="wide")

settings = common.settings_sidebar()
st.session_state["_settings"] = settings

try:
    common.engine()
except Exception as exc:  # a bad DATABASE_URL or an unreachable server: say so, don't show a traceback
    st.error(t("app.db_error", settings.lang, error=str(exc).splitlines()[0][:300]))
    st.stop()

# who is using the app and in which workspace: a visitor not signed in (when sign-in is configured), a user of no
# workspace, or a link to a workspace the user is not a member of ends the run here, before any page
common.account_gate(settings.lang)

database = st.Page("pages/database.py", title=t("nav.database", settings.lang), icon=":material/groups:",
                   url_path="database")


def home() -> None:
    """The root URL opens the Database page at its own address (/database), keeping the link's parameters:
    a default page is served only at "/", so without this a shared /database link would find no page."""
    st.switch_page(database, query_params=dict(st.query_params))


pages = [
    st.Page(home, title=t("nav.database", settings.lang), url_path="home", default=True, visibility="hidden"),
    database,
    st.Page("pages/plan.py", title=t("nav.plan", settings.lang), icon=":material/insights:", url_path="plan"),
    st.Page("pages/barter.py", title=t("nav.barter", settings.lang), icon=":material/redeem:", url_path="barter"),
    st.Page("pages/results.py", title=t("nav.results", settings.lang), icon=":material/monitoring:",
            url_path="results"),
    st.Page("pages/scenarios.py", title=t("scen.nav", settings.lang), icon=":material/query_stats:",
            url_path="scenarios"),
]
try:
    page = st.navigation({t("nav.section", settings.lang): pages})
    if page.url_path != "plan":  # no plan on this screen: its pitch curve is no longer planned ahead
        common.pitch_curve_pause()
    page.run()
except (Forbidden, NoWorkspace) as exc:  # a role changed or a membership removed meanwhile: said, never a traceback
    st.error(common.refusal_text(exc, settings.lang), icon=":material/lock:")
common.warm_up_later()
