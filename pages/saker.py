"""Saker: the list with filters and the theme heatmap, and one sak with its whole trail (?id=…)."""

from krem_advocacy.ui import saker
from krem_advocacy.ui.links import selected_id
from krem_advocacy.ui.page import setup

ctx = setup("saker")

record_id = selected_id()
if record_id is not None:
    saker.show_detail(ctx, record_id)
else:
    saker.show_list(ctx)
