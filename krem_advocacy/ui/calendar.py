"""The deadlines calendar on the Høringer page: the .ics download, the addresses to subscribe to, and an
editor's private address (with internal records) made and revoked here."""

from datetime import date
from urllib.parse import urlparse

import streamlit as st
from streamlit import config as st_config

from krem_advocacy import config, web
from krem_advocacy.exchange import calendar_feed
from krem_advocacy.store import calendar_tokens
from krem_advocacy.store.connection import borrowed, opened
from krem_advocacy.store.visibility import restrict_to_public, sees_internal
from krem_advocacy.text.formatting import format_date
from krem_advocacy.ui.context import PageContext

# The private address made in this session, shown until the popover is drawn for another token:
# (token id, token). Only its hash is stored, so it cannot be shown again later.
NEW_TOKEN_KEY = "calendar_new_token"
FLASH_KEY = "calendar_flash"


@st.cache_data(show_spinner=False, max_entries=16, ttl=3600)
def _cached_ics(db_path: str, revision: int, today: date, base_url: str, lang: str, public: bool) -> bytes:
    # Viewers' files are built on a connection that holds only public records, as their pages are.
    if public:
        with borrowed(db_path, "public", restrict_to_public) as db:
            return calendar_feed.calendar_for(db, today, base_url, lang)
    with opened(db_path) as db:
        return calendar_feed.calendar_for(db, today, base_url, lang)


def ics_for(ctx: PageContext, base_url: str) -> bytes:
    """The .ics file for whoever is looking: public records for viewers, everything for editors."""
    return _cached_ics(str(ctx.db_path), ctx.revision, ctx.today, base_url, ctx.lang, not sees_internal(ctx.actor))


def served_base_url() -> str:
    """The address Streamlit is configured to serve on (browser.serverAddress, else server.address, and
    browser.serverPort and server.baseUrlPath), e.g. `http://localhost:8501`.

    From the configuration only, never from a request: the calendar route uses it for links when
    KREM_BASE_URL is unset.
    """
    host = st_config.get_option("browser.serverAddress") if st_config.is_manually_set("browser.serverAddress") \
        else (st_config.get_option("server.address") or "")
    if host in ("", "0.0.0.0", "::"):
        host = "localhost"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 address
    port = int(st_config.get_option("browser.serverPort") or st_config.get_option("server.port") or 8501)
    secure = bool(st_config.get_option("server.sslCertFile")) or port == 443
    scheme = "https" if secure else "http"
    shown_port = "" if port == (443 if secure else 80) else f":{port}"
    path = str(st_config.get_option("server.baseUrlPath") or "").strip("/")
    return f"{scheme}://{host}{shown_port}" + (f"/{path}" if path else "")


def app_base_url() -> str:
    """Where users reach the app: KREM_BASE_URL, else the address in this user's browser, else the served one."""
    configured = config.base_url()
    if configured:
        return configured
    try:
        parsed = urlparse(st.context.url or "")
    except Exception:  # no browser behind this run (AppTest)
        parsed = None
    if parsed and parsed.scheme in ("http", "https") and parsed.netloc:
        return f"{parsed.scheme}://{parsed.netloc}"
    return served_base_url()


def panel(ctx: PageContext) -> None:
    """A popover with the .ics download, the address to subscribe to, and how to use it."""
    with st.popover(ctx.t("calendar.button"), icon=":material/calendar_month:"):
        st.markdown(ctx.t("calendar.intro"))
        base = app_base_url()
        # Made when clicked: ten years of deadlines are hundreds of events, not worth building on every visit.
        st.download_button(ctx.t("calendar.download"), data=lambda: ics_for(ctx, base),
                           file_name=calendar_feed.FILE_NAME, mime="text/calendar", icon=":material/download:",
                           key="hoering_ics_download", width="stretch", on_click="ignore")
        st.caption(ctx.t("calendar.download_help"))
        if sees_internal(ctx.actor):
            st.caption(ctx.t("calendar.download_full"))
        st.markdown(f"**{ctx.t('calendar.feed_title')}**")
        token = config.calendar_token()
        if not web.mounted():
            st.caption(ctx.t("calendar.feed_not_served"))
            return
        if token and not ctx.actor.can_edit:
            st.caption(ctx.t("calendar.feed_private"))
        else:
            st.code(calendar_feed.feed_url(base, token, ctx.lang), language=None, wrap_lines=True)
            if sees_internal(ctx.actor):
                st.caption(ctx.t("calendar.feed_public"))
        if sees_internal(ctx.actor):
            _private_address(ctx, base)
        st.markdown(ctx.t("calendar.how_to"))


def _private_address(ctx: PageContext, base: str) -> None:
    # An editor's own address with internal records: made, shown once, replaced or revoked here.
    st.markdown(f"**{ctx.t('calendar.private_title')}**")
    st.caption(ctx.t("calendar.private_intro"))
    flash = st.session_state.pop(FLASH_KEY, None)
    if flash:
        st.success(ctx.t(flash), icon=":material/check_circle:")
    if not ctx.actor.account:
        st.caption(ctx.t("calendar.private_no_account"))
        return
    with opened(ctx.db_path) as db:
        current = calendar_tokens.active(db, ctx.actor.account)
    new = st.session_state.get(NEW_TOKEN_KEY)
    if current and new and new[0] == current["id"]:
        st.code(calendar_feed.feed_url(base, new[1], ctx.lang), language=None, wrap_lines=True)
        st.warning(ctx.t("calendar.private_new"), icon=":material/key:")
    elif current:
        used = format_date(current["last_used_at"]) or ctx.t("calendar.private_never_used")
        st.caption(ctx.t("calendar.private_active", created=format_date(current["created_at"]), used=used))
    row = st.container(horizontal=True, gap="small")
    if current:
        row.button(ctx.t("calendar.private_replace"), key="calendar_token_create", on_click=_create, args=(ctx,),
                   help=ctx.t("calendar.private_replace_help"), icon=":material/autorenew:")
        row.button(ctx.t("calendar.private_revoke"), key="calendar_token_revoke", on_click=_revoke,
                   args=(ctx, current["id"]), icon=":material/link_off:")
    else:
        row.button(ctx.t("calendar.private_create"), key="calendar_token_create", on_click=_create, args=(ctx,),
                   icon=":material/key:", type="primary")


def _create(ctx: PageContext) -> None:
    with ctx.store.writing() as db:
        token = calendar_tokens.create(db, ctx.actor)
        st.session_state[NEW_TOKEN_KEY] = (calendar_tokens.active(db, ctx.actor.account)["id"], token)


def _revoke(ctx: PageContext, token_id: int) -> None:
    with ctx.store.writing() as db:
        calendar_tokens.revoke(db, ctx.actor, token_id)
    st.session_state.pop(NEW_TOKEN_KEY, None)
    st.session_state[FLASH_KEY] = "calendar.private_revoked"
