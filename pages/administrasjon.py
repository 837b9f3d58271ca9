"""Administrasjon: backups (editors), restore, kept copies, users and access settings (administrators)."""

from krem_advocacy.ui import admin
from krem_advocacy.ui.page import setup

ctx = setup("admin")
admin.show(ctx)
