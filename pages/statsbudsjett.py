"""Statsbudsjett: inputs, the budget year, charts; one input (?id=), a year (?year=), a new input (?new=1)."""

import streamlit as st

from krem_advocacy.ui import budget
from krem_advocacy.ui.links import selected_id
from krem_advocacy.ui.page import setup

ctx = setup("budget")

record_id = selected_id()
if st.query_params.get("new"):
    budget.show_new(ctx)
elif record_id is not None:
    budget.show_detail(ctx, record_id)
else:
    budget.show_overview(ctx)
