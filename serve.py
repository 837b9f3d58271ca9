"""Serve the app with its extra HTTP routes: `streamlit run serve.py` (scripts/run does this).

The pages are still app.py and pages/; this adds GET /calendar.ics, the deadlines calendar that
Outlook and Google Calendar can subscribe to (see docs/calendar.md).
"""

import os

import streamlit as st

from krem_advocacy.exchange.calendar_feed import FEED_PATH
from krem_advocacy.ui.calendar import ROUTE_ENV, ROUTES

os.environ[ROUTE_ENV] = FEED_PATH  # tells the Høringer page that the feed address answers
app = st.App("app.py", routes=ROUTES)
