"""Replication on the pages: the target from the secrets, starting it once per server, the state on
Administrasjon with point-in-time restore, and the storage warning in the sidebar."""

import tempfile
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import streamlit as st

from krem_advocacy.domain.bootstrap import ensure_database
from krem_advocacy.store import backup, replication
from krem_advocacy.store.errors import PermissionDenied
from krem_advocacy.text import i18n
from krem_advocacy.ui import auth as auth_ui
from krem_advocacy.ui.context import PageContext
from krem_advocacy.ui.widgets import plain

OSLO = ZoneInfo("Europe/Oslo")
POINTS_SHOWN = 50


def target() -> tuple[replication.Target | None, str | None]:
    """The configured target (the `[replication]` secrets, else the environment) and a problem with it, if any."""
    try:
        return replication.configured_target(auth_ui.secrets_section("replication")), None
    except ValueError as problem:
        return None, str(problem)


def start(path: Path) -> None:
    """Restore the file from the replica if it is missing, create or migrate it, then replicate it (once per process).

    Stops the page with a clear message when the file is missing and the replica cannot be asked: the
    app must not create a new database over data it cannot see. The next run tries again.
    """
    try:
        prepare(path)
    except replication.ReplicaUnavailable as error:
        # setup() has no page context yet: the language is the one of the link or the session.
        lang = i18n.normalise_language(st.query_params.get("lang") or st.session_state.get("lang"))
        st.error(i18n.t("replication.start_failed", lang, detail=error.detail), icon=":material/cloud_off:")
        st.stop()


def prepare(path: Path) -> None:
    """Restore (from the configured replica), create or migrate the file, then replicate it; no Streamlit output.

    Raises ReplicaUnavailable when the file is missing and the replica cannot be asked. Also called by the
    calendar route (serve.py), which may be asked before any page.
    """
    chosen, problem = target()
    if problem and not (path.exists() and path.stat().st_size):
        # A replica was meant but cannot be used: a new file with demo data could hide the data it holds.
        raise replication.ReplicaUnavailable(problem)
    ensure_database(path, replica=chosen)
    if chosen is not None:
        replication.watch(path, chosen)


def storage_notice(ctx: PageContext) -> None:
    """The sidebar warning for editors: red while replication fails, nothing while it is healthy, and the
    old «take backups» warning on a forgetful host without a replica."""
    if not ctx.actor.can_edit:
        return
    found = replication.watcher(ctx.db_path)
    if found is not None:
        if found.status is not None and not found.status.healthy:
            st.error(ctx.t("replication.sidebar_failing"), icon=":material/sync_problem:")
            st.page_link(auth_ui.ADMIN_PAGE, label=ctx.t("replication.sidebar_link"), icon=":material/backup:")
        return
    if auth_ui.access_settings().ephemeral:
        st.warning(ctx.t("auth.ephemeral"), icon=":material/cloud_off:")
        st.page_link(auth_ui.ADMIN_PAGE, label=ctx.t("auth.ephemeral_link"), icon=":material/backup:")


def ephemeral_notice(ctx: PageContext) -> None:
    """Administrasjon's backup warning: gone while a replica is healthy, red while it fails."""
    found = replication.watcher(ctx.db_path)
    if found is not None and found.status is not None:
        if not found.status.healthy:
            st.error(_failing(ctx, found.status), icon=":material/sync_problem:")
        return
    if auth_ui.access_settings().ephemeral:
        st.warning(ctx.t("admin.ephemeral"), icon=":material/cloud_off:")


def section(ctx: PageContext) -> None:
    """Administrasjon: where the data is replicated, how far the replica is, its errors and restore points."""
    st.subheader(ctx.t("replication.title"))
    chosen, problem = target()
    if problem:
        st.error(ctx.t("replication.bad_config", problem=plain(problem)), icon=":material/error:")
        return
    found = replication.watcher(ctx.db_path)
    if chosen is None or found is None:
        st.caption(ctx.t("replication.none"))
        return
    box = st.container()  # the state above, its button below it
    if st.button(ctx.t("replication.check_now"), key="replication_check", icon=":material/sync:") \
            or found.status is None or _age(found.status) > replication.FRESH_S:
        with st.spinner(ctx.t("replication.checking")):
            found.refresh()
    with box:
        _state(ctx, found.status)
    if ctx.actor.is_admin:
        _restore_points(ctx, chosen, found.status)


def _state(ctx: PageContext, state: replication.Status) -> None:
    if state.healthy and state.replica_txid is None:
        st.info(ctx.t("replication.first_sync", target=plain(state.target)), icon=":material/cloud_upload:")
    elif state.healthy and not state.behind:
        st.success(ctx.t("replication.healthy", target=plain(state.target)), icon=":material/cloud_done:")
    elif state.healthy:
        st.info(ctx.t("replication.behind", target=plain(state.target), count=state.behind), icon=":material/cloud_sync:")
    else:
        st.error(_failing(ctx, state), icon=":material/sync_problem:")
    lines = [(ctx.t("replication.target"), plain(state.target)),
             (ctx.t("replication.runner"), ctx.t(f"replication.runner_{state.runner}")),
             (ctx.t("replication.last_synced"), _moment(state.last_synced) or ctx.t("replication.never")),
             (ctx.t("replication.lag"), _lag(ctx, state)),
             (ctx.t("replication.checked"), _moment(state.checked_at, seconds=True))]
    if state.restarts:
        lines.append((ctx.t("replication.restarts"), str(state.restarts)))
    st.markdown("\n".join(f"- **{label}:** {value}" for label, value in lines))
    if state.errors:
        with st.expander(ctx.t("replication.errors"), icon=":material/report:"):
            st.markdown("\n".join(f"- {_moment(at, seconds=True)}: `{message[:300]}`" for at, message in state.errors))


def _restore_points(ctx: PageContext, chosen: replication.Target, state: replication.Status) -> None:
    st.markdown(f"**{ctx.t('replication.points')}**")
    _show_outcome()
    if not state.restore_points:
        st.caption(ctx.t("replication.points_none"))
        return
    st.caption(ctx.t("replication.points_text"))
    points = list(state.restore_points[:POINTS_SHOWN])
    with st.form("replication_restore_form", clear_on_submit=True):
        moment = st.selectbox(ctx.t("replication.point"), points, format_func=lambda p: _moment(p, seconds=True),
                              key="replication_point")
        confirmed = st.checkbox(ctx.t("replication.confirm"), key="replication_confirm")
        submitted = st.form_submit_button(ctx.t("replication.restore_button"), icon=":material/history:")
    if not submitted:
        return
    if not confirmed:
        st.warning(ctx.t("replication.confirm_needed"), icon=":material/check_box:")
        return
    _restore(ctx, chosen, moment)


def _restore(ctx: PageContext, chosen: replication.Target, moment: datetime) -> None:
    try:
        with tempfile.TemporaryDirectory() as folder:
            copy = replication.restore_copy(ctx.db_path, chosen, Path(folder) / "point.db", at=moment)
            result = backup.restore(ctx.db_path, copy.read_bytes(), ctx.actor, now=datetime.now(UTC))
    except replication.ReplicaUnavailable as error:
        outcome = ("error", ctx.t("replication.restore_failed", detail=plain(error.detail)))
    except backup.RestoreRefused as refused:
        outcome = ("error", ctx.t("admin.refused", reason=ctx.t(refused.key)))
    except PermissionDenied:
        outcome = ("error", ctx.t("form.permission_denied"))
    else:
        st.cache_data.clear()
        outcome = ("success", ctx.t("replication.restored", moment=_moment(moment, seconds=True),
                                    kept=result.kept_copy.name))
    st.session_state["replication_outcome"] = outcome
    st.rerun()


def _show_outcome() -> None:
    outcome = st.session_state.pop("replication_outcome", None)
    if outcome:
        kind, message = outcome
        (st.success if kind == "success" else st.error)(message, icon=":material/info:")


def _failing(ctx: PageContext, state: replication.Status) -> str:
    error = state.error or ctx.t("replication.unavailable")
    return ctx.t("replication.failing", error=plain(error.rstrip(".")[:300]))


def _lag(ctx: PageContext, state: replication.Status) -> str:
    lag = state.lag_seconds
    if lag is None:
        return ctx.t("replication.lag_unknown")
    if not state.behind:
        return ctx.t("replication.lag_none")
    return ctx.t("replication.lag_seconds", seconds=round(lag), count=state.behind)


def _age(state: replication.Status) -> float:
    return (datetime.now(UTC) - state.checked_at).total_seconds()


def _moment(value: datetime | None, seconds: bool = False) -> str:
    if value is None:
        return ""
    local = value.astimezone(OSLO)
    return local.strftime("%d.%m.%Y %H:%M:%S" if seconds else "%d.%m.%Y %H:%M")
