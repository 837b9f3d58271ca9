"""Administrasjon's e-mail sections: the SMTP status and a test message, when digests and reminders go out,
who subscribes, which account is which person, and the last runs with what was sent and what failed.

The tables read here are private (never on a viewer's connection) and change outside the pages (the
`notify` command), so they are read on a plain connection each run, not through the cache.
"""

import pandas as pd
import streamlit as st

from krem_advocacy import config
from krem_advocacy.domain import accounts, notifications, organisations
from krem_advocacy.exchange import mail, notify
from krem_advocacy.store import notify_log, settings
from krem_advocacy.store.connection import opened
from krem_advocacy.store.errors import PermissionDenied
from krem_advocacy.store.permissions import EDIT, require
from krem_advocacy.text import formatting
from krem_advocacy.ui import auth, calendar, forms, responsibility
from krem_advocacy.ui.context import PageContext
from krem_advocacy.ui.data import read
from krem_advocacy.ui.widgets import plain

RUNS_SHOWN = 10
LOG_SHOWN = 50
FLASH = "notify_flash"


def smtp_settings() -> tuple[mail.SmtpSettings | None, str | None]:
    """The `[smtp]` secrets as settings, or (None, the problem)."""
    try:
        return mail.SmtpSettings.from_mapping(auth.secrets_section("smtp")), None
    except ValueError as error:
        return None, str(error)


def base_url() -> str:
    """Where links in e-mails point: KREM_BASE_URL, else the address Streamlit serves on."""
    return config.base_url() or calendar.served_base_url()


def section(ctx: PageContext) -> None:
    """Everything about e-mail on Administrasjon (editors; linking accounts is for administrators)."""
    if not ctx.actor.can_edit:
        return
    st.subheader(ctx.t("notify.title"))
    st.caption(ctx.t("notify.intro"))
    flash = st.session_state.pop(FLASH, None)
    if flash:
        getattr(st, flash[0])(flash[1], icon=":material/mail:")
    smtp, problem = smtp_settings()
    if smtp is None:
        st.warning(ctx.t("notify.smtp_missing") + (f" ({plain(problem)})" if problem else ""),
                   icon=":material/mail_lock:")
    else:
        st.caption(ctx.t("notify.smtp_ready", host=plain(smtp.host), port=smtp.port, security=smtp.security,
                         sender=plain(smtp.sender)))
        _test_button(ctx, smtp)
    _subscriptions(ctx)  # the whole width: six columns read badly in half of it
    left, right = st.columns(2, gap="large")
    with left:
        _schedule(ctx)
    with right:
        _account_links(ctx)
    _runs(ctx)


def _my_address(ctx: PageContext) -> str | None:
    if notifications.valid_address(ctx.actor.email):
        return ctx.actor.email
    person_id = responsibility.my_person(ctx)
    person = read(ctx, organisations.get_person, person_id=person_id) if person_id else None
    email = (person or {}).get("email")
    return email if notifications.valid_address(email) else None


def _test_button(ctx: PageContext, smtp: mail.SmtpSettings) -> None:
    email = _my_address(ctx)
    if email is None:
        st.caption(ctx.t("notify.test_no_address"))
        return
    if st.button(ctx.t("notify.test"), key="notify_test", icon=":material/outgoing_mail:"):
        reason = notify.send_test(ctx.db_path, smtp, base_url(), ctx.actor.name, email, ctx.lang, ctx.actor.name)
        st.session_state[FLASH] = (("success", ctx.t("notify.test_sent", email=email)) if reason is None
                                   else ("error", ctx.t("notify.test_failed", reason=reason)))
        st.rerun()


def _people(ctx: PageContext) -> dict[int, str]:
    frame = read(ctx, organisations.people_options)
    return {int(r.id): f"{r.name} ({r.organisation})" if isinstance(r.organisation, str) and r.organisation
            else r.name for r in frame.itertuples()}


def _subscriptions(ctx: PageContext) -> None:
    st.markdown(f"**{ctx.t('notify.subscriptions')}**")
    with opened(ctx.db_path) as db:
        subs = notify_log.subscriptions(db)
    if not subs:
        st.caption(ctx.t("notify.no_subscriptions"))
    else:
        yes, no = ctx.t("common.yes"), ctx.t("common.no")
        st.dataframe(pd.DataFrame([{
            ctx.t("notify.person"): s["name"], ctx.t("notify.col.recipient"): s["email"] or "–",
            ctx.t("notify.digest"): yes if s["digest"] else no, ctx.t("notify.reminders"): yes if s["reminders"] else no,
            ctx.t("notify.language"): {"nb": "Norsk", "en": "English"}[s["language"]],
            ctx.t("notify.sees_internal"): yes if s["sees_internal"] else no} for s in subs]),
            hide_index=True, width="stretch")
        for s in subs:
            if not notifications.valid_address(s["email"]):
                st.warning(ctx.t("notify.missing_address", name=plain(s["name"])), icon=":material/unsubscribe:")
    people = _people(ctx)
    with st.form("notify_subscribe"):
        st.markdown(ctx.t("notify.add"))
        person = st.selectbox(ctx.t("notify.person"), list(people), index=None, placeholder=ctx.t("common.none"),
                              format_func=lambda i: people.get(i, str(i)), key="notify_person")
        cols = st.columns(2)
        digest = cols[0].checkbox(ctx.t("notify.digest"), value=True, key="notify_digest")
        reminders = cols[1].checkbox(ctx.t("notify.reminders"), value=True, key="notify_reminders")
        language = cols[0].selectbox(ctx.t("notify.language"), ["nb", "en"], key="notify_language",
                                     format_func=lambda c: {"nb": "Norsk", "en": "English"}[c])
        internal = cols[1].checkbox(ctx.t("notify.sees_internal"), key="notify_internal")
        submitted = st.form_submit_button(ctx.t("notify.save"), icon=":material/save:")
    if submitted:
        if person is None:
            st.error(ctx.t("validation.unknown_person"), icon=":material/error:")
            return
        saved = forms.save(ctx, lambda db: notify_log.subscribe(db, ctx.actor, person, digest, reminders, language,
                                                                internal) or True,
                           {"person": ctx.t("notify.person")}, success_key="notify.saved")
        if saved:
            st.session_state[FLASH] = ("success", ctx.t("notify.saved"))
            st.rerun()


def _schedule(ctx: PageContext) -> None:
    st.markdown(f"**{ctx.t('notify.schedule')}**")
    with opened(ctx.db_path) as db:
        weekday, days = notifications.digest_weekday(db), notifications.reminder_days(db)
    with st.form("notify_schedule"):
        chosen = st.selectbox(ctx.t("notify.weekday"), list(range(7)), index=weekday,
                              format_func=lambda d: ctx.t(f"weekday.{d}"), key="notify_weekday")
        typed = st.text_input(ctx.t("notify.reminder_days"), value=", ".join(str(d) for d in days),
                              help=ctx.t("notify.reminder_days_help"), key="notify_days")
        submitted = st.form_submit_button(ctx.t("form.save"), icon=":material/save:")
    if not submitted:
        return
    parsed = notifications.parse_days(typed)
    if not parsed and typed.strip():
        st.error(ctx.t("notify.bad_days"), icon=":material/error:")
        return

    def write(db):
        require(ctx.actor, EDIT)
        settings.put(db, "notify_digest_weekday", str(chosen), ctx.actor)
        settings.put(db, "notify_reminder_days", ",".join(str(d) for d in parsed) if parsed else "", ctx.actor)
        return True

    if forms.save(ctx, write, success_key="notify.schedule_saved"):
        st.session_state[FLASH] = ("success", ctx.t("notify.schedule_saved"))
        st.rerun()


def _account_links(ctx: PageContext) -> None:
    if not ctx.actor.is_admin:
        return
    st.markdown(f"**{ctx.t('notify.links')}**")
    st.caption(ctx.t("notify.links_intro"))
    users, _ = auth.password_accounts()
    with opened(ctx.db_path) as db:
        links = {row["account"]: row for row in notify_log.account_links(db)}
    choices = [accounts.password_account(name) for name in sorted(users)]
    choices += [a for a in links if a not in choices]
    if not choices:
        st.caption(ctx.t("notify.no_accounts"))
        return
    if links:
        st.dataframe(pd.DataFrame([{ctx.t("notify.account"): a, ctx.t("notify.person"): r["person"]}
                                   for a, r in links.items()]), hide_index=True, width="stretch")
    people = _people(ctx)
    with st.form("notify_link"):
        account = st.selectbox(ctx.t("notify.account"), choices, key="notify_account",
                               format_func=lambda a: _account_label(a, users))
        person = st.selectbox(ctx.t("notify.person"), list(people), index=None, placeholder=ctx.t("common.none"),
                              format_func=lambda i: people.get(i, str(i)), key="notify_link_person")
        cols = st.columns(2)
        linked = cols[0].form_submit_button(ctx.t("notify.link_save"), icon=":material/link:")
        removed = cols[1].form_submit_button(ctx.t("notify.link_remove"), icon=":material/link_off:")
    if not (linked or removed):
        return
    if linked and person is None:
        st.error(ctx.t("validation.unknown_person"), icon=":material/error:")
        return
    try:
        with ctx.store.writing() as db:
            notify_log.link_account(db, ctx.actor, account, None if removed else person)
    except PermissionDenied:
        st.error(ctx.t("form.permission_denied"), icon=":material/lock:")
        return
    st.session_state[FLASH] = ("success", ctx.t("notify.linked"))
    st.rerun()


def _account_label(account: str, users: dict) -> str:
    kind, _, name = account.partition(":")
    user = users.get(name) if kind == "password" else None
    return f"{user.name} ({name})" if user else account


def _runs(ctx: PageContext) -> None:
    with opened(ctx.db_path) as db:
        runs = notify_log.recent_runs(db, RUNS_SHOWN)
        log = notify_log.recent_log(db, LOG_SHOWN)
    left, right = st.columns([2, 3], gap="large")
    with left:
        st.markdown(f"**{ctx.t('notify.runs')}**")
        if not runs:
            st.caption(ctx.t("notify.no_runs"))
        else:
            st.dataframe(pd.DataFrame([{
                ctx.t("notify.col.at"): _when(r["started_at"]), ctx.t("notify.col.mode"): ctx.t(f"notify.mode.{r['mode']}"),
                ctx.t("notify.col.sent"): r["sent"], ctx.t("notify.col.failed"): r["failed"],
                ctx.t("notify.col.skipped"): r["skipped"], ctx.t("notify.col.error"): r["error"] or ""}
                for r in runs]), hide_index=True, width="stretch")
    with right:
        st.markdown(f"**{ctx.t('notify.log')}**")
        if not log:
            st.caption(ctx.t("notify.no_log"))
        else:
            st.dataframe(pd.DataFrame([{
                ctx.t("notify.col.at"): _when(r["at"]), ctx.t("notify.col.result"): ctx.t(f"notify.result.{r['result']}"),
                ctx.t("notify.col.person"): r["person"] or "", ctx.t("notify.col.recipient"): r["recipient"] or "",
                ctx.t("notify.col.kind"): ctx.t(f"notify.kind.{r['kind']}"),
                ctx.t("notify.col.due"): formatting.format_date(r["due_date"]) if r["due_date"] else "",
                ctx.t("notify.col.subject"): r["subject"] or "", ctx.t("notify.col.reason"): r["reason"] or ""}
                for r in log]), hide_index=True, width="stretch")


def _when(stamp: str | None) -> str:
    """A UTC time stamp as Oslo time, DD.MM.YYYY HH:MM."""
    if not stamp:
        return ""
    moment = pd.Timestamp(stamp)
    moment = moment.tz_localize("UTC") if moment.tzinfo is None else moment
    return moment.tz_convert("Europe/Oslo").strftime("%d.%m.%Y %H:%M")
