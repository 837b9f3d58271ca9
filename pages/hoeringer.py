"""Høringer: deadlines by urgency, the list, the timeline and the calendar; one høring in detail (?id=…)."""

from krem_advocacy.ui import hoeringer
from krem_advocacy.ui.links import selected_id
from krem_advocacy.ui.page import setup

ctx = setup("hoeringer")

record_id = selected_id()
if record_id is not None:
    hoeringer.show_detail(ctx, record_id)
else:
    hoeringer.show_list(ctx)
