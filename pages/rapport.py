"""Rapport: what the forum or one member organisation achieved in a year or period, as Word and PDF (?year=, ?org=)."""

from krem_advocacy.ui import report
from krem_advocacy.ui.page import setup

ctx = setup("report")
report.show(ctx)
