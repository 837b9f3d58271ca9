"""Endringslogg: who changed what and when, before and after, filtered by record, person and date."""

import streamlit as st

from krem_advocacy.domain import changelog as audit
from krem_advocacy.ui import audit as audit_ui
from krem_advocacy.ui.data import read
from krem_advocacy.ui.page import setup

ctx = setup("audit")
st.title(ctx.t("audit.title"))
st.caption(ctx.t("audit.intro"))
if not ctx.actor.can_edit:
    st.caption(ctx.t("audit.intro_viewer"))

chosen = audit_ui.filters(ctx)
# "Show more" grows the list; a new filter starts again from the newest page.
if st.session_state.get("audit_shown_for") != chosen:
    st.session_state["audit_shown_for"] = chosen
    st.session_state["audit_limit"] = audit_ui.PAGE_SIZE
limit = st.session_state["audit_limit"]

total = read(ctx, audit.count_changes, **chosen, cap=audit_ui.COUNT_CAP)
frame = read(ctx, audit.changes, **chosen, limit=limit)
if frame.empty:
    st.info(ctx.t("audit.empty"), icon=":material/history:")
else:
    if total > len(frame):
        st.caption(ctx.t("audit.count_shown", shown=len(frame), n=audit_ui.count_text(ctx, total)))
    else:
        st.caption(ctx.t("audit.count_one") if total == 1 else ctx.t("audit.count", n=total))
    audit_ui.entries(ctx, frame)
    if total > len(frame):
        if st.button(ctx.t("audit.more"), icon=":material/expand_more:", key="audit_more"):
            st.session_state["audit_limit"] = limit + audit_ui.PAGE_SIZE
            st.rerun()
