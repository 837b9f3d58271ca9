"""GET /calendar.ics: the deadlines calendar that Outlook and Google Calendar subscribe to (docs/calendar.md)."""

import functools
import hmac
from datetime import date
from pathlib import Path

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from krem_advocacy import config
from krem_advocacy.domain.bootstrap import ensure_database
from krem_advocacy.exchange import calendar_feed
from krem_advocacy.store.connection import opened
from krem_advocacy.text import i18n


@functools.cache
def _prepared(path: str) -> str:
    # The feed may be fetched before anyone opened a page: create or migrate the file once per process.
    ensure_database(Path(path))
    return path


def calendar_response(request: Request) -> Response:
    """The calendar, always current (a token is required when KREM_CALENDAR_TOKEN is set)."""
    token = config.calendar_token()
    if token and not hmac.compare_digest(request.query_params.get("token", "").encode(), token.encode()):
        return PlainTextResponse(i18n.t("calendar.forbidden"), status_code=403)
    lang = i18n.normalise_language(request.query_params.get("lang"))
    base = config.base_url() or str(request.base_url).rstrip("/")
    with opened(_prepared(str(config.db_path().resolve()))) as db:
        body = calendar_feed.calendar_for(db, date.today(), base, lang)
    return Response(body, media_type="text/calendar; charset=utf-8", headers={
        "Content-Disposition": f'inline; filename="{calendar_feed.FILE_NAME}"',
        "Cache-Control": "no-cache, max-age=0",  # subscribers must always see the current deadlines
    })


ROUTES = [Route(calendar_feed.FEED_PATH, calendar_response, methods=["GET", "HEAD"])]
