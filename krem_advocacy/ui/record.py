"""Under every record: notes, source and last change; the editor's switch that makes it internal; its history."""

import streamlit as st

from krem_advocacy.site import RECORD_PAGES, RECORD_PARAMS
from krem_advocacy.store import visibility
from krem_advocacy.store.permissions import SEE_INTERNAL
from krem_advocacy.text import formatting
from krem_advocacy.ui import forms
from krem_advocacy.ui.context import PageContext
from krem_advocacy.ui.data import read
from krem_advocacy.ui.links import page_link, selected_id
from krem_advocacy.ui.widgets import plain

AUDIT_PAGE = "pages/endringslogg.py"


def record_controls(ctx: PageContext, record: dict, table: str | None = None) -> None:
    """The internal switch (editors) and a link to the record's history (everyone).

    Without `table`, the page's own record is meant (the one in ?id=), so detail pages need no change.
    """
    table = table or _page_table(ctx, record)
    if table is None or record.get("id") is None:
        return
    record_id = int(record["id"])
    if ctx.actor.can_edit:
        state = read(ctx, visibility.record_state, table=table, record_id=record_id)
        if state is not None:
            key = f"internal_{table}_{record_id}_v{state['version']}"  # a new version draws a fresh switch
            st.toggle(ctx.t("internal.toggle"), value=state["is_internal"], key=key,
                      help=ctx.t("internal.toggle_help"), on_change=_switch,
                      args=(ctx, table, record_id, state["version"], key))
    page_link(ctx, AUDIT_PAGE, ctx.t("internal.history"), icon=":material/history:", table=table, record=record_id)


def _page_table(ctx: PageContext, record: dict) -> str | None:
    # A detail page shows the record in its link; its table follows from the page.
    tables = {page: table for table, page in RECORD_PAGES.items() if table not in RECORD_PARAMS}  # by ?id=
    if ctx.page not in tables or record.get("id") is None or selected_id() != int(record["id"]):
        return None
    return tables[ctx.page]


def _switch(ctx: PageContext, table: str, record_id: int, version: int, key: str) -> None:
    internal = bool(st.session_state.get(key))
    forms.save(ctx, lambda db: visibility.set_internal(db, ctx.actor, table, record_id, internal, version),
               success_key="internal.made_internal" if internal else "internal.made_public")


def record_footer(ctx: PageContext, record: dict) -> None:
    """Source, notes and last-changed line at the bottom of a record."""
    st.divider()
    if record.get("notes"):
        st.markdown(f"**{ctx.t('common.notes')}**  \n{plain(record['notes'])}")
    if record.get("internal_notes") and ctx.actor.can(SEE_INTERNAL):
        st.markdown(f"**{ctx.t('common.internal_notes')}**  \n{plain(record['internal_notes'])}")
    if record.get("source"):
        st.caption(f"{ctx.t('common.source')}: {plain(record['source'])}")
    if record.get("updated_at"):
        st.caption(ctx.t("common.updated", when=formatting.format_date(record["updated_at"]),
                         version=record.get("version", 1)))
    record_controls(ctx, record)
