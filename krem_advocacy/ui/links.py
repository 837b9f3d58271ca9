"""Links between pages: to a record, to a page, back to a list; the record in the address bar."""

import streamlit as st

from krem_advocacy import site
from krem_advocacy.ui.context import PageContext


def record_link(ctx: PageContext, table: str, record_id: int, label: str, icon: str | None = None) -> None:
    """A link that opens one record on its page."""
    st.page_link(site.record_script(table), label=label, icon=icon or ":material/arrow_forward:",
                 query_params=site.record_params(table, record_id, ctx.lang), width="stretch")


def page_link(ctx: PageContext, script: str, label: str, icon: str | None = None, width="content",
              **params) -> None:
    """A link to a page (with parameters, in the page's language)."""
    st.page_link(script, label=label, icon=icon, query_params=ctx.params(**params) or None, width=width)


def open_record(script: str, record_id: int, ctx: PageContext) -> None:
    """Go to a record's deep link (used when a table row is chosen)."""
    st.switch_page(script, query_params=ctx.params(id=record_id))


def switch_to(ctx: PageContext, script: str, **params) -> None:
    """Go to a page now (with parameters, in the page's language), e.g. back to the list after a delete."""
    st.switch_page(script, query_params=ctx.params(**params) or None)


def selected_id() -> int | None:
    """The record id in the link (?id=…), or None when absent or not a number."""
    value = st.query_params.get("id")
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None
