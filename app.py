"""Oversikt: key figures, overdue and upcoming deadlines, the next KU meeting, activity over time."""

from krem_advocacy.ui import home
from krem_advocacy.ui.page import setup

ctx = setup("home")
home.show(ctx)
