"""Edit mode around a record's form: the toggle that opens it, closing it after a save, a stale-form notice."""

import streamlit as st

from krem_advocacy.ui import forms
from krem_advocacy.ui.context import PageContext


def edit_toggle(ctx: PageContext, key: str, label_key: str = "form.edit") -> bool:
    """A toggle that opens the form; True while it is on (closed again by `close`)."""
    if st.session_state.pop(f"{key}__close", False):
        st.session_state[key] = False  # allowed here: the toggle is not drawn yet in this run
    return st.toggle(ctx.t(label_key), key=key)


def close(key: str) -> None:
    """Close the form on the next run (after a successful save)."""
    st.session_state[f"{key}__close"] = True


def opened_version(ctx: PageContext, key: str, record: dict) -> int:
    """The version the editor opened; warns, with a button to reload, when someone has saved since."""
    opened = forms.remember_version(key, record["version"])
    if record["version"] != opened:
        st.warning(ctx.t("editing.stale"), icon=":material/sync_problem:")
        if st.button(ctx.t("editing.reload"), key=f"{key}__reload", icon=":material/refresh:"):
            forms.forget_version(key)
            st.rerun()
    return opened


def finish(key: str) -> None:
    """After a save: forget the opened version and close the form, then draw the page again."""
    forms.forget_version(key)
    close(key)
    st.rerun()
