"""Data: what the database holds and its latest changes; import, export and the regjeringen.no feed."""

from krem_advocacy.ui import data_page
from krem_advocacy.ui.page import setup

ctx = setup("data")
data_page.show(ctx)
