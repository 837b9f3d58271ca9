"""Administrasjon: backups (editors), restore, kept copies, users and access settings (administrators)."""

import streamlit as st

from krem_advocacy.ui import admin
from krem_advocacy.ui.page import setup

ctx = setup("admin")
st.title(ctx.t("admin.title"))
st.caption(ctx.t("admin.intro"))

if not ctx.actor.can_edit:
    st.info(ctx.t("admin.sign_in_needed"), icon=":material/lock:")
    st.stop()

left, right = st.columns(2, gap="large")
with left:
    admin.backup_section(ctx)
    admin.kept_copies(ctx)
with right:
    admin.restore_section(ctx)
admin.users_and_settings(ctx)
