"""Duplicates caught at entry: a new record that matches a saved one is offered «Åpne den» / «Lagre likevel».

The rule is each area's `duplicate_keys`, the one the spreadsheet import uses (`fields.duplicates`).
"""

from collections.abc import Callable

import streamlit as st

from krem_advocacy.domain import kinds
from krem_advocacy.ui import forms, widgets
from krem_advocacy.ui.context import PageContext
from krem_advocacy.ui.data import read
from krem_advocacy.ui.links import record_link


def twins(ctx: PageContext, table: str, values: dict) -> list[dict]:
    """Saved records of `table` the new `values` would duplicate."""
    return read(ctx, kinds.duplicates, table=table, values=values)


def offer(ctx: PageContext, table: str, found: list[dict], describe: Callable[[dict], str]) -> None:
    """The warning with a link to each saved twin («Åpne den»), described well enough to tell them apart."""
    with st.container(border=True, key=f"duplicate_{table}"):
        st.warning(ctx.t("form.duplicate", n=len(found)), icon=":material/content_copy:")
        for twin in found:
            st.caption(widgets.plain(describe(twin)))
            record_link(ctx, table, int(twin["id"]), ctx.t("form.duplicate_open"), icon=":material/open_in_new:")


def create(ctx: PageContext, key: str, submitted: bool, values: dict | None, table: str,
           write: Callable, labels: dict, describe: Callable[[dict], str]):
    """Save a new record unless it duplicates a saved one; then offer «Åpne den» and «Lagre likevel».

    `submitted` is True on the run the form was sent with `values`; the values wait in the session
    until the editor saves anyway or changes them. Returns the new id when saved, else None.
    """
    pending_key = f"{key}__pending"
    if submitted:
        found = twins(ctx, table, values)
        if not found:
            st.session_state.pop(pending_key, None)
            return forms.save(ctx, lambda db: write(db, values), labels)
        st.session_state[pending_key] = values
    pending = st.session_state.get(pending_key)
    if pending is None:
        return None
    found = twins(ctx, table, pending)
    if not found:
        st.session_state.pop(pending_key, None)
        return None
    offer(ctx, table, found, describe)
    if st.button(ctx.t("form.duplicate_save"), key=f"{key}_save_anyway", icon=":material/save:"):
        st.session_state.pop(pending_key, None)
        return forms.save(ctx, lambda db: write(db, pending), labels)
    return None
