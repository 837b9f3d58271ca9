"""Organisasjoner: organisations and people; one organisation (?id=…) or one person (?person=…)."""

from krem_advocacy.ui import organisations
from krem_advocacy.ui.links import selected_id
from krem_advocacy.ui.page import setup

ctx = setup("organisations")

person_id, record_id = organisations.linked_person(), selected_id()
if person_id is not None:
    organisations.show_person(ctx, person_id)
elif record_id is not None:
    organisations.show_organisation(ctx, record_id)
else:
    organisations.show_list(ctx)
