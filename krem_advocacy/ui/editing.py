"""Edit mode around a record's form: the toggle that opens it, and closing it after a save."""

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


def finish(form: forms.FormSession) -> None:
    """After a save: close the form's toggle (keyed like the form), forget its opened version, draw the page again."""
    close(form.key)
    form.done()
