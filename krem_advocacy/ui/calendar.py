"""The deadlines calendar on the Høringer page: the .ics download and the address to subscribe to."""

from datetime import date
from urllib.parse import urlparse

import streamlit as st

from krem_advocacy import config, web
from krem_advocacy.exchange import calendar_feed
from krem_advocacy.store.connection import opened
from krem_advocacy.ui.context import PageContext


@st.cache_data(show_spinner=False, max_entries=16, ttl=3600)
def _cached_ics(db_path: str, revision: int, today: date, base_url: str, lang: str) -> bytes:
    with opened(db_path) as db:
        return calendar_feed.calendar_for(db, today, base_url, lang)


def app_base_url() -> str:
    """Where users reach the app: KREM_BASE_URL, else the address in the browser, else localhost."""
    configured = config.base_url()
    if configured:
        return configured
    try:
        parsed = urlparse(st.context.url or "")
    except Exception:  # no browser behind this run (AppTest)
        parsed = None
    if parsed and parsed.scheme in ("http", "https") and parsed.netloc:
        return f"{parsed.scheme}://{parsed.netloc}"
    return config.DEFAULT_BASE_URL


def panel(ctx: PageContext) -> None:
    """A popover with the .ics download, the address to subscribe to, and how to use it."""
    with st.popover(ctx.t("calendar.button"), icon=":material/calendar_month:"):
        st.markdown(ctx.t("calendar.intro"))
        base = app_base_url()
        path, revision, today, lang = str(ctx.db_path), ctx.revision, ctx.today, ctx.lang
        # Made when clicked: ten years of deadlines are hundreds of events, not worth building on every visit.
        st.download_button(ctx.t("calendar.download"), data=lambda: _cached_ics(path, revision, today, base, lang),
                           file_name=calendar_feed.FILE_NAME, mime="text/calendar", icon=":material/download:",
                           key="hoering_ics_download", width="stretch", on_click="ignore")
        st.caption(ctx.t("calendar.download_help"))
        st.markdown(f"**{ctx.t('calendar.feed_title')}**")
        token = config.calendar_token()
        if not web.mounted():
            st.caption(ctx.t("calendar.feed_not_served"))
        elif token and not ctx.actor.can_edit:
            st.caption(ctx.t("calendar.feed_private"))
        else:
            st.code(calendar_feed.feed_url(base, token, ctx.lang), language=None, wrap_lines=True)
            st.markdown(ctx.t("calendar.how_to"))
