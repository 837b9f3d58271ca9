"""Serve the app with its extra HTTP routes: `streamlit run serve.py` (scripts/run does this).

The pages are still app.py and pages/; this adds GET /calendar.ics, the deadlines calendar that
Outlook and Google Calendar can subscribe to (see docs/calendar.md).
"""

import streamlit as st

from krem_advocacy import web

app = st.App("app.py", routes=web.mount())
