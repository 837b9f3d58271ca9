"""GET /calendar.ics: the deadlines calendar that Outlook and Google Calendar subscribe to (docs/calendar.md).

Without a personal token the feed holds only what viewers may see (built on a connection made by
`visibility.restrict_to_public`, as viewers' pages are); KREM_CALENDAR_TOKEN, when set, guards that
public feed. An editor's private address (`?token=<personal token>`, store/calendar_tokens.py) gives the
full calendar while the token is not revoked and its account is still an editor. Links in events start
with KREM_BASE_URL, else the address Streamlit is configured to serve on, else config.DEFAULT_BASE_URL:
never with the request's Host header, which anyone can set.
"""

import functools
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from krem_advocacy import config
from krem_advocacy.domain.bootstrap import ensure_database
from krem_advocacy.exchange import calendar_feed
from krem_advocacy.store import calendar_tokens, replication
from krem_advocacy.store.connection import borrowed, opened
from krem_advocacy.store.permissions import SEE_INTERNAL, Actor
from krem_advocacy.store.visibility import restrict_to_public
from krem_advocacy.text import i18n


@dataclass(frozen=True)
class Serving:
    """What the route needs to know from the server that mounts it (serve.py, which may use Streamlit).

    `role_of(account)`: the role an account has now (None when it has none), asked for every private
    address; without it no private address is honoured. `served_url()`: the address Streamlit is
    configured to serve on, used when KREM_BASE_URL is unset.
    """

    role_of: Callable[[str], str | None] | None = None
    served_url: Callable[[], str | None] | None = None
    # Restores, creates or migrates the file as the pages do (with the replica the secrets name), so a feed
    # fetched first on a fresh server never fills demo data over a replica; raises ReplicaUnavailable.
    prepare: Callable[[Path], object] | None = None


_serving = Serving()


def configure(role_of: Callable[[str], str | None] | None = None,
              served_url: Callable[[], str | None] | None = None,
              prepare: Callable[[Path], object] | None = None) -> None:
    """Tell the route who is an editor now and where the app is served (called by `web.mount`)."""
    global _serving
    _serving = Serving(role_of, served_url, prepare)


def base_url() -> str:
    """Where links in the feed point: KREM_BASE_URL, else the served address, else the default."""
    served = _serving.served_url() if _serving.served_url else None
    return (config.base_url() or (served or "").rstrip("/") or config.DEFAULT_BASE_URL).rstrip("/")


@functools.cache
def _prepared(path: str) -> str:
    # The feed may be fetched before anyone opened a page: restore, create or migrate the file once per process.
    if _serving.prepare is not None:
        _serving.prepare(Path(path))
    else:
        ensure_database(Path(path), replica=replication.configured_target())
    return path


def _still_editor(account: str) -> bool:
    if _serving.role_of is None:
        return False
    role = _serving.role_of(account)
    return role is not None and Actor(account, role).can(SEE_INTERNAL)


def calendar_response(request: Request) -> Response:
    """The calendar, always current: public records, or everything for an editor's private address."""
    try:
        path = _prepared(str(config.db_path().resolve()))
    except replication.ReplicaUnavailable:
        return PlainTextResponse(i18n.t("replication.unavailable"), status_code=503, headers={"Retry-After": "60"})
    given = request.query_params.get("token", "")
    shared = config.calendar_token()
    full = False
    if given and not (shared and hmac.compare_digest(given.encode(), shared.encode())):
        with opened(path) as db:
            found = calendar_tokens.find(db, given)
        if found is None or not _still_editor(found["account"]):
            return PlainTextResponse(i18n.t("calendar.token_refused"), status_code=403)
        full = True
    elif shared and not given:
        return PlainTextResponse(i18n.t("calendar.forbidden"), status_code=403)
    lang = i18n.normalise_language(request.query_params.get("lang"))
    if full:
        with opened(path) as db:
            body = calendar_feed.calendar_for(db, date.today(), base_url(), lang)
    else:
        with borrowed(path, "public", restrict_to_public) as db:
            body = calendar_feed.calendar_for(db, date.today(), base_url(), lang)
    # Subscribers must always see the current deadlines; the private feed holds internal records, so no
    # shared cache (a proxy) may keep it either.
    cache = "private, no-cache, max-age=0" if full else "no-cache, max-age=0"
    return Response(body, media_type="text/calendar; charset=utf-8", headers={
        "Content-Disposition": f'inline; filename="{calendar_feed.FILE_NAME}"', "Cache-Control": cache})


ROUTES = [Route(calendar_feed.FEED_PATH, calendar_response, methods=["GET", "HEAD"])]
