"""Mitt ansvar: everything the signed-in editor answers for, overdue first, each one click from its record."""

from krem_advocacy.ui import responsibility
from krem_advocacy.ui.page import setup

ctx = setup("mine")
responsibility.show(ctx)
