"""Søk: full-text search across every kind of record (?q=… is a shareable link to the results)."""

from krem_advocacy.ui import search
from krem_advocacy.ui.page import setup

ctx = setup("search")
search.show(ctx)
