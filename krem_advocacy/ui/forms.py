"""Saving from forms: one place that turns the data layer's answers into honest messages, and a form's memory
across reruns (the version the editor opened, what was typed, the message after a save)."""

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


FLASH_KEY = "form_flash"  # the message a save leaves for the run after it


def flash(message_key: str, **values) -> None:
    """Leave a message to show after the rerun or page switch that follows a save (a toast would be lost)."""
    st.session_state[FLASH_KEY] = (message_key, values)


def show_flash(ctx: PageContext) -> None:
    """Show the message a save left before the page was drawn again."""
    message = st.session_state.pop(FLASH_KEY, None)
    if message:
        key, values = message
        st.success(ctx.t(key, **values), icon=":material/check_circle:")


class FormSession:
    """One record's form across reruns: the version the editor opened, what was typed, the message after saving.

    `key` names the remembered version (`<key>__version` in the session), `record` is the record as read
    now (None for a new one), `typed` the prefix of the widget keys that hold what was typed and `extra`
    other keys to forget with them. With `renew`, a form opened again (none of its widgets left from
    the last run) starts from the version shown now.
    """

    def __init__(self, ctx: PageContext, key: str, record: dict | None = None, typed: str | None = None,
                 extra: tuple[str, ...] = (), renew: bool = False):
        self.ctx, self.key, self.record, self.typed, self.extra = ctx, key, record, typed, extra
        if renew and record is not None and not self._typed_keys():
            forget_version(key)

    @property
    def version(self) -> int | None:
        """The version the editor opened (kept until the form is reset); None for a new record."""
        return None if self.record is None else remember_version(self.key, self.record["version"])

    @property
    def stale(self) -> bool:
        """True when someone has saved the record since this editor opened the form."""
        return self.record is not None and self.record["version"] != self.version

    def stale_notice(self, text_key: str = "editing.stale", button_key: str = "editing.reload",
                     widget_key: str | None = None, message_key: str | None = None) -> None:
        """When someone saved since the form was opened: a warning, and a button that starts again from the
        saved version (showing `message_key` after it)."""
        if not self.stale:
            return
        st.warning(self.ctx.t(text_key, opened=self.version, now=self.record["version"]),
                   icon=":material/sync_problem:")
        if st.button(self.ctx.t(button_key), key=widget_key or f"{self.key}__reload", icon=":material/refresh:"):
            self.done(message_key)

    def reload_button(self, label_key: str, widget_key: str) -> None:
        """After a refused save: a button that drops what was typed and opens the version saved now."""
        if st.button(self.ctx.t(label_key), key=widget_key, icon=":material/refresh:"):
            self.done()

    def reset(self) -> None:
        """Forget the opened version and what was typed, so the form starts again from the saved record."""
        forget_version(self.key)
        for key in [*self._typed_keys(), *self.extra]:
            st.session_state.pop(key, None)

    def done(self, message_key: str | None = None, **values) -> None:
        """After a save: reset, leave the message (if any) for the next run, and draw the page again."""
        if message_key:
            flash(message_key, **values)
        self.reset()
        st.rerun()

    def _typed_keys(self) -> list[str]:
        if not self.typed:
            return []
        version_key = f"{self.key}__version"
        return [k for k in st.session_state if isinstance(k, str) and k.startswith(self.typed) and k != version_key]


def remember_version(key: str, version: int) -> int:
    """The record version when the editor opened the form (kept across reruns until saved)."""
    state_key = f"{key}__version"
    if state_key not in st.session_state:
        st.session_state[state_key] = version
    return st.session_state[state_key]


def forget_version(key: str) -> None:
    """Drop the remembered version after a save, so the next edit starts from the new one."""
    st.session_state.pop(f"{key}__version", None)


def forget_versions(prefix: str) -> None:
    """Drop the remembered versions of every form whose key starts with `prefix` (after a change to many)."""
    for key in [k for k in st.session_state if str(k).startswith(prefix) and str(k).endswith("__version")]:
        del st.session_state[key]
