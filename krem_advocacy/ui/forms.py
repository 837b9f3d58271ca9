"""Saving from forms: one place that turns the data layer's answers into honest messages."""

from collections.abc import Callable

import streamlit as st

from krem_advocacy.db import opened
from krem_advocacy.records import ConflictError, PermissionDenied, ValidationError
from krem_advocacy.ui.page import PageContext
from krem_advocacy.ui.widgets import plain


def save(ctx: PageContext, write: Callable, field_labels: dict[str, str] | None = None,
         success_key: str = "form.saved", typed: dict[str, str] | None = None,
         describe: Callable[[dict], dict[str, str]] | None = None):
    """Run `write(db)` in a fresh connection and report the outcome; return its result or None.

    Validation errors are listed per field; a conflicting edit shows the version now saved
    (next to what the user typed, when `typed` gives it as display text per field; `describe`
    turns the saved row into display text the same way). A missing permission or a database
    error says so. Nothing is reported as saved unless it was.
    """
    field_labels = field_labels or {}
    try:
        with opened(ctx.db_path) as db:
            result = write(db)
    except ValidationError as error:
        lines = [f"- **{plain(field_labels.get(field, field))}**: {ctx.t(key)}"
                 for field, key in error.errors.items()]
        st.error(ctx.t("form.invalid") + "\n\n" + "\n".join(lines), icon=":material/error:")
        return None
    except ConflictError as error:
        show_conflict(ctx, error, field_labels, typed, describe)
        return None
    except PermissionDenied:
        st.error(ctx.t("form.permission_denied"), icon=":material/lock:")
        return None
    except Exception as error:  # the user must know the edit was not saved, whatever went wrong
        st.error(ctx.t("form.failed", reason=plain(str(error))), icon=":material/error:")
        return None
    st.cache_data.clear()
    st.toast(ctx.t(success_key), icon=":material/check_circle:")
    return result


def show_conflict(ctx: PageContext, error: ConflictError, field_labels: dict[str, str],
                  typed: dict[str, str] | None = None,
                  describe: Callable[[dict], dict[str, str]] | None = None) -> None:
    """Tell the second editor someone saved first, and show the version that is saved now.

    With `typed`, the fields where the two differ are shown side by side: what this editor
    typed and what is saved now, so the change can be made again on the saved version.
    """
    if error.current is None:
        st.error(ctx.t("form.conflict_deleted"), icon=":material/warning:")
        return
    st.error(ctx.t("form.conflict"), icon=":material/warning:")
    saved = describe(error.current) if describe else error.current
    if typed is not None:
        rows = [{ctx.t("form.conflict_field"): field_labels.get(k, k),
                 ctx.t("form.conflict_typed"): str(typed.get(k) or ""),
                 ctx.t("form.conflict_saved"): "" if saved.get(k) is None else str(saved.get(k))}
                for k in field_labels if k in typed and str(typed.get(k) or "") != str(saved.get(k) or "")]
        if rows:
            st.table(rows)
        return
    shown = {field_labels.get(k, k): v for k, v in saved.items()
             if k in field_labels and v not in (None, "")}
    st.markdown("\n".join(f"- **{plain(k)}**: {plain(v)}" for k, v in shown.items()))


def remember_version(key: str, version: int) -> int:
    """The record version when the editor opened the form (kept across reruns until saved)."""
    state_key = f"{key}__version"
    if state_key not in st.session_state:
        st.session_state[state_key] = version
    return st.session_state[state_key]


def forget_version(key: str) -> None:
    """Drop the remembered version after a save, so the next edit starts from the new one."""
    st.session_state.pop(f"{key}__version", None)
