"""Saving from forms: one place that turns the data layer's answers into honest messages."""

from collections.abc import Callable

import streamlit as st

from krem_advocacy.store.errors import ConflictError, PermissionDenied, ValidationError
from krem_advocacy.ui.context import PageContext
from krem_advocacy.ui.widgets import plain


def save(ctx: PageContext, write: Callable, field_labels: dict[str, str] | None = None,
         success_key: str = "form.saved", attempted: dict | None = None,
         show_value: Callable[[str, object], str] | None = None, on_reload: Callable | None = None):
    """Run `write(db)` in a fresh connection and report the outcome; return its result or None.

    Validation errors are listed per field; a conflicting edit shows the version now saved (beside
    `attempted`, what the user typed, when given; `show_value(field, value)` formats values and
    `on_reload` adds a button that starts again from the saved version);
    a missing permission or a database error says so. Nothing is reported as saved unless it was.
    """
    field_labels = field_labels or {}
    try:
        with ctx.store.writing() as db:
            result = write(db)
    except ValidationError as error:
        lines = [f"- **{plain(field_labels.get(field, field))}**: {ctx.t(key)}"
                 for field, key in error.errors.items()]
        st.error(ctx.t("form.invalid") + "\n\n" + "\n".join(lines), icon=":material/error:")
        return None
    except ConflictError as error:
        show_conflict(ctx, error, field_labels, attempted, show_value, on_reload)
        return None
    except PermissionDenied:
        st.error(ctx.t("form.permission_denied"), icon=":material/lock:")
        return None
    except Exception as error:  # the user must know the edit was not saved, whatever went wrong
        st.error(ctx.t("form.failed", reason=plain(str(error))), icon=":material/error:")
        return None
    # Cached reads are keyed by the revision: reading it again makes the rest of this run (and every
    # other visitor's next run) see the change, without emptying anyone's cache.
    ctx.revision = ctx.store.revision()
    st.toast(ctx.t(success_key), icon=":material/check_circle:")
    return result


def show_conflict(ctx: PageContext, error: ConflictError, field_labels: dict[str, str],
                  attempted: dict | None = None, show_value: Callable[[str, object], str] | None = None,
                  on_reload: Callable | None = None) -> None:
    """Tell the second editor someone saved first, and show the version that is saved now.

    With `attempted` (what this editor typed), the fields where it differs from the saved version are
    shown side by side.
    """
    if error.current is None:
        st.error(ctx.t("form.conflict_deleted"), icon=":material/warning:")
        return
    if attempted is None:
        st.error(ctx.t("form.conflict"), icon=":material/warning:")
        shown = {field_labels.get(k, k): v for k, v in error.current.items()
                 if k in field_labels and v not in (None, "")}
        st.markdown("\n".join(f"- **{plain(k)}**: {plain(v)}" for k, v in shown.items()))
    else:
        st.error(ctx.t("form.conflict_both"), icon=":material/warning:")
        show = show_value or (lambda _field, value: "" if value is None else str(value))
        # Only the fields where the two versions differ: the rest is the same in both.
        rows = []
        for field, label in field_labels.items():
            if field in attempted or field in error.current:
                mine, saved = show(field, attempted.get(field)), show(field, error.current.get(field))
                if mine != saved:
                    rows.append((label, mine, saved))
        if rows:
            header = (f"| {plain(ctx.t('form.conflict_field'))} | {plain(ctx.t('form.conflict_yours'))} "
                      f"| {plain(ctx.t('form.conflict_saved'))} |\n|---|---|---|")
            lines = [f"| **{plain(label)}** | {_cell(mine)} | {_cell(saved)} |" for label, mine, saved in rows]
            st.markdown(header + "\n" + "\n".join(lines))
        st.caption(ctx.t("form.conflict_rest_same" if rows else "form.conflict_all_same"))
    if on_reload is not None:
        st.button(ctx.t("form.conflict_reload"), icon=":material/refresh:", on_click=on_reload,
                  key=f"conflict_reload_{error.table}_{error.record_id}")


def _cell(value: str) -> str:
    # A table row is one line: line breaks in user text are shown as « / ».
    return plain(value).replace("  \n", " / ") or "–"


def remember_version(key: str, version: int) -> int:
    """The record version when the editor opened the form (kept across reruns until saved)."""
    state_key = f"{key}__version"
    if state_key not in st.session_state:
        st.session_state[state_key] = version
    return st.session_state[state_key]


def forget_version(key: str) -> None:
    """Drop the remembered version after a save, so the next edit starts from the new one."""
    st.session_state.pop(f"{key}__version", None)
