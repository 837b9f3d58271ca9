"""Serve the app with its extra HTTP routes: `streamlit run serve.py` (scripts/run does this).

The pages are still app.py and pages/; this adds GET /calendar.ics, the deadlines calendar that
Outlook and Google Calendar can subscribe to (see docs/calendar.md).
"""

import streamlit as st

from krem_advocacy import web
from krem_advocacy.ui import auth, calendar, replication

# The route asks the secrets who is an editor now (private calendar addresses) and Streamlit's
# configuration where the app is served (links in events, when KREM_BASE_URL is unset), and prepares the
# database as the pages do: restored from the replica the secrets name, if the file is missing.
app = st.App("app.py", routes=web.mount(role_of=auth.account_role, served_url=calendar.served_base_url,
                                        prepare=replication.prepare))
