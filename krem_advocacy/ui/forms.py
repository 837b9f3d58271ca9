"""Saving from forms: one place that turns the data layer's answers into honest messages."""

from collections.abc import Callable

import streamlit as st

from krem_advocacy.db import opened
from krem_advocacy.records import ConflictError, PermissionDenied, ValidationError
from krem_advocacy.ui.page import PageContext
from krem_advocacy.ui.widgets import plain


def save(ctx: PageContext, write: Callable, field_labels: dict[str, str] | None = None,
         success_key: str = "form.saved", typed: dict | None = None,
         display: Callable[[str, object], str] | None = None):
    """Run `write(db)` in a fresh connection and report the outcome; return its result or None.

    Validation errors are listed per field; a conflicting edit shows the version now saved (next to
    `typed`, what the user entered, when given; `display(field, value)` formats values for both);
    a missing permission or a database error says so. Nothing is reported as saved unless it was.
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
        show_conflict(ctx, error, field_labels, typed, display)
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
                  typed: dict | None = None, display: Callable[[str, object], str] | None = None) -> None:
    """Tell the second editor someone saved first, and show the version that is saved now.

    With `typed` (what the user entered), the fields where it differs from the saved version are shown
    side by side, so nothing the user wrote is lost from view.
    """
    if error.current is None:
        st.error(ctx.t("form.conflict_deleted"), icon=":material/warning:")
        return
    st.error(ctx.t("form.conflict"), icon=":material/warning:")
    if typed is not None:
        show = display or (lambda _field, value: "" if value is None else str(value))
        differing = [(label, show(field, typed[field]), show(field, error.current[field]))
                     for field, label in field_labels.items()
                     if field in typed and field in error.current
                     and show(field, typed[field]) != show(field, error.current[field])]
        if differing:
            header = [ctx.t("form.conflict_field"), ctx.t("form.conflict_yours"), ctx.t("form.conflict_saved")]
            lines = [f"| {' | '.join(header)} |", "|---|---|---|"]
            lines += [f"| {plain(a)} | {plain(b)} | {plain(c)} |".replace("  \n", " ") for a, b, c in differing]
            st.markdown("\n".join(lines))
            return
    shown = {field_labels.get(k, k): v for k, v in error.current.items()
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
