"""Endringslogg: who changed what and when, before and after, filtered by record, person and date."""

from krem_advocacy.ui import audit
from krem_advocacy.ui.page import setup

ctx = setup("audit")
audit.show(ctx)
