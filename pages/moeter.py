"""Møter: meetings and open tilsagn; one meeting (?id=…) with its agenda builder; its brief (?id=…&brief=1)."""

import streamlit as st

from krem_advocacy.ui import meetings as views
from krem_advocacy.ui.links import selected_id
from krem_advocacy.ui.page import setup

ctx = setup("meetings")

record_id = selected_id()
if record_id is None:
    views.show_list(ctx)
elif st.query_params.get("brief") == "1":
    views.show_brief(ctx, record_id)
else:
    views.show_detail(ctx, record_id)
