"""The Administrasjon page: backup download, restore with its checks, kept copies, users and settings."""

from datetime import UTC, datetime

import pandas as pd
import streamlit as st

from krem_advocacy.store import backup, calendar_tokens, visibility
from krem_advocacy.store.connection import opened
from krem_advocacy.store.errors import PermissionDenied
from krem_advocacy.store.permissions import Actor
from krem_advocacy.text.formatting import format_date
from krem_advocacy.ui import auth as auth_ui
from krem_advocacy.ui import notifications
from krem_advocacy.ui import replication as replication_ui
from krem_advocacy.ui.context import PageContext
from krem_advocacy.ui.widgets import plain

KEPT_SHOWN = 10


def show(ctx: PageContext) -> None:
    """The page: backups for editors, restore and kept copies, then users and access settings."""
    st.title(ctx.t("admin.title"))
    st.caption(ctx.t("admin.intro"))
    if not ctx.actor.can_edit:
        st.info(ctx.t("admin.sign_in_needed"), icon=":material/lock:")
        return
    left, right = st.columns(2, gap="large")
    with left:
        backup_section(ctx)
        kept_copies(ctx)
    with right:
        restore_section(ctx)
    replication_ui.section(ctx)
    users_and_settings(ctx)
    calendar_addresses(ctx)
    notifications.section(ctx)


def backup_section(ctx: PageContext) -> None:
    """A button that downloads a consistent copy of the whole database (made when clicked)."""
    st.subheader(ctx.t("admin.backup"))
    replication_ui.ephemeral_notice(ctx)
    st.markdown(ctx.t("admin.backup_text"))
    path, actor = ctx.db_path, ctx.actor
    st.download_button(ctx.t("admin.backup_button"), data=lambda: backup.backup_bytes(path, actor),
                       file_name=backup.backup_file_name(), mime="application/vnd.sqlite3",
                       icon=":material/download:", type="primary", on_click="ignore", key="admin_backup")


def restore_section(ctx: PageContext) -> None:
    """Upload a backup and restore it (administrators), with a clear refusal for a bad file."""
    st.subheader(ctx.t("admin.restore"))
    if not ctx.actor.is_admin:
        st.caption(ctx.t("admin.restore_admin_only"))
        return
    st.markdown(ctx.t("admin.restore_text"))
    _show_outcome(ctx)
    with st.form("admin_restore_form", clear_on_submit=True):
        upload = st.file_uploader(ctx.t("admin.upload"), key="admin_upload")
        confirmed = st.checkbox(ctx.t("admin.confirm"), key="admin_confirm")
        submitted = st.form_submit_button(ctx.t("admin.restore_button"), icon=":material/settings_backup_restore:")
    if not submitted:
        return
    if upload is None:
        st.warning(ctx.t("admin.no_file"), icon=":material/upload_file:")
    elif not confirmed:
        st.warning(ctx.t("admin.confirm_needed"), icon=":material/check_box:")
    else:
        _restore(ctx, upload.name, upload.getvalue())


def kept_copies(ctx: PageContext) -> None:
    """The dated copies taken before each restore, each downloadable (administrators)."""
    if not ctx.actor.is_admin:
        return
    st.subheader(ctx.t("admin.kept"))
    copies = backup.list_backups(ctx.db_path)
    if not copies:
        st.caption(ctx.t("admin.kept_none"))
        return
    st.caption(ctx.t("admin.kept_text"))
    for path in copies[:KEPT_SHOWN]:
        st.download_button(ctx.t("admin.kept_download", name=path.name, size=_size(path.stat().st_size)),
                           data=path.read_bytes, file_name=path.name, mime="application/vnd.sqlite3",
                           icon=":material/history:", on_click="ignore", key=f"admin_kept_{path.name}")


def users_and_settings(ctx: PageContext) -> None:
    """Who may sign in and how the app is shared, as set in the secrets (administrators)."""
    if not ctx.actor.is_admin:
        return
    st.subheader(ctx.t("admin.users"))
    st.markdown(ctx.t("admin.users_text"))
    accounts, problems = auth_ui.password_accounts()
    for problem in problems:
        st.warning(ctx.t("admin.problem", problem=plain(problem)), icon=":material/warning:")
    if accounts:
        table = pd.DataFrame([(a.username, a.name, ctx.label("role", a.role), a.email or "")
                              for a in accounts.values()])
        table.columns = [ctx.t(f"admin.col.{c}") for c in ("username", "name", "role", "email")]
        st.dataframe(table, hide_index=True, width="stretch")
    else:
        st.caption(ctx.t("admin.users_none"))
    st.subheader(ctx.t("admin.settings"))
    settings = auth_ui.access_settings()
    providers = auth_ui.oidc_providers()
    replica, _ = replication_ui.target()
    if replica is not None:  # the disk may still be wiped, but the replica keeps every change (its section is above)
        storage = ctx.t("admin.storage_replicated", target=plain(replica.describe()))
    elif settings.ephemeral:
        storage = ctx.t("admin.storage_ephemeral")
    else:
        storage = ctx.t("admin.storage_persistent", path=plain(str(ctx.db_path)))
    lines = [ctx.t("admin.private_on") if settings.private else ctx.t("admin.private_off"), storage,
             ctx.t("admin.oidc_on", providers=", ".join(str(p or "OIDC") for p in providers)) if providers
             else ctx.t("admin.oidc_off")]
    st.markdown("\n".join(f"- {line}" for line in lines))
    roles = auth_ui.secrets_section("access").get("email_roles") or {}
    if roles:
        st.markdown(f"**{ctx.t('admin.email_roles')}**")
        table = pd.DataFrame([(address, ctx.label("role", role)) for address, role in roles.items()],
                             columns=[ctx.t("admin.col.address"), ctx.t("admin.col.role")])
        st.dataframe(table, hide_index=True, width="stretch")


def calendar_addresses(ctx: PageContext) -> None:
    """Every private calendar address in use, whose it is and when it was last used, each revocable (administrators)."""
    if not ctx.actor.is_admin:
        return
    st.subheader(ctx.t("admin.calendar"))
    st.caption(ctx.t("admin.calendar_text"))
    flash = st.session_state.pop("admin_calendar_flash", None)
    if flash:
        st.success(flash, icon=":material/check_circle:")
    with opened(ctx.db_path) as db:
        tokens = calendar_tokens.listing(db, ctx.actor)
    if not tokens:
        st.caption(ctx.t("admin.calendar_none"))
        return
    for token in tokens:
        with st.container(border=True):
            row = st.container(horizontal=True, vertical_alignment="center", gap="medium")
            used = format_date(token["last_used_at"]) or ctx.t("admin.calendar_never_used")
            row.markdown(ctx.t("admin.calendar_row", name=plain(token["name"]),
                               account=plain(token["account"].partition(":")[2]),
                               created=format_date(token["created_at"]), used=used))
            row.button(ctx.t("admin.calendar_revoke"), key=f"admin_calendar_revoke_{token['id']}",
                       on_click=_revoke_calendar, args=(ctx, token["id"], token["name"]), icon=":material/link_off:")
            if not visibility.sees_internal(Actor(token["name"], auth_ui.account_role(token["account"]) or "viewer")):
                st.caption(ctx.t("admin.calendar_not_editor"))


def _revoke_calendar(ctx: PageContext, token_id: int, name: str) -> None:
    with ctx.store.writing() as db:
        calendar_tokens.revoke(db, ctx.actor, token_id)
    st.session_state["admin_calendar_flash"] = ctx.t("admin.calendar_revoked", name=name)


def _restore(ctx: PageContext, name: str, data: bytes) -> None:
    try:
        result = backup.restore(ctx.db_path, data, ctx.actor, now=datetime.now(UTC))
    except backup.RestoreRefused as refused:
        st.session_state["admin_outcome"] = ("error", ctx.t("admin.refused", reason=ctx.t(refused.key)),
                                             refused.detail)
    except PermissionDenied:
        st.session_state["admin_outcome"] = ("error", ctx.t("form.permission_denied"), "")
    else:
        st.cache_data.clear()
        message = ctx.t("admin.restored", file=plain(name), kept=result.kept_copy.name)
        if result.migrated:
            message += " " + ctx.t("admin.restored_migrated", names=", ".join(result.migrated))
        st.session_state["admin_outcome"] = ("success", message, "")
    st.rerun()


def _show_outcome(ctx: PageContext) -> None:
    # The outcome is kept across the rerun that shows the restored data, then shown once.
    outcome = st.session_state.pop("admin_outcome", None)
    if not outcome:
        return
    kind, message, detail = outcome
    if kind == "success":
        st.success(message, icon=":material/check_circle:")
    else:
        st.error(message, icon=":material/error:")
        if detail:
            st.caption(plain(detail))


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(1, round(n / 1024))} kB"
