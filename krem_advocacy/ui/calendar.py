"""The deadlines calendar in the app: the .ics download, the feed address, and the feed's HTTP route."""

import functools
import os
import hmac
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

import streamlit as st
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from krem_advocacy.exchange import calendar_feed
from krem_advocacy import config
from krem_advocacy.text import i18n
from krem_advocacy.store.connection import ensure_database, opened
from krem_advocacy.ui.page import PageContext, record_url

# serve.py sets this when it mounts the feed route, so the page only offers an address that answers.
ROUTE_ENV = "KREM_CALENDAR_ROUTE"


def ics_for(db_path: Path | str, today: date, base_url: str, lang: str) -> bytes:
    """The whole calendar as .ics bytes, events linking to records under `base_url`."""
    def link(table: str, record_id: int) -> str:
        return f"{base_url.rstrip('/')}/{record_url(table, record_id, lang)}"

    with opened(db_path) as db:
        events = calendar_feed.calendar_events(db, today)
    return calendar_feed.build_calendar(events, link, lang)


@st.cache_data(show_spinner=False, max_entries=16, ttl=3600)
def _cached_ics(db_path: str, revision: int, today: date, base_url: str, lang: str) -> bytes:
    return ics_for(db_path, today, base_url, lang)


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


def feed_is_served() -> bool:
    """True when the app was started through serve.py, which adds the /calendar.ics route."""
    return os.environ.get(ROUTE_ENV) == calendar_feed.FEED_PATH


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
        if not feed_is_served():
            st.caption(ctx.t("calendar.feed_not_served"))
        elif token and not ctx.actor.can_edit:
            st.caption(ctx.t("calendar.feed_private"))
        else:
            st.code(calendar_feed.feed_url(base, token, ctx.lang), language=None, wrap_lines=True)
            st.markdown(ctx.t("calendar.how_to"))


@functools.cache
def _prepared(path: str) -> str:
    # The feed may be fetched before anyone opened a page: create or migrate the file once per process.
    ensure_database(Path(path))
    return path


def calendar_response(request: Request) -> Response:
    """GET /calendar.ics: the calendar, always current (a token is required when KREM_CALENDAR_TOKEN is set)."""
    token = config.calendar_token()
    if token and not hmac.compare_digest(request.query_params.get("token", "").encode(), token.encode()):
        return PlainTextResponse(i18n.t("calendar.forbidden"), status_code=403)
    lang = i18n.normalise_language(request.query_params.get("lang"))
    base = config.base_url() or str(request.base_url).rstrip("/")
    path = _prepared(str(config.db_path().resolve()))
    body = ics_for(path, date.today(), base, lang)
    return Response(body, media_type="text/calendar; charset=utf-8", headers={
        "Content-Disposition": f'inline; filename="{calendar_feed.FILE_NAME}"',
        "Cache-Control": "no-cache, max-age=0",  # subscribers must always see the current deadlines
    })


ROUTES = [Route(calendar_feed.FEED_PATH, calendar_response, methods=["GET", "HEAD"])]
