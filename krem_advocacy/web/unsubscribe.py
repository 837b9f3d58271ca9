"""GET/POST /notifications/unsubscribe: the link in every e-mail that turns its kind of message off.

The link carries the person, what to turn off (digest, reminders, all) and an HMAC signature made with a
key kept in the database (`notify_log.signing_key`), so it works without signing in and cannot be forged
for someone else. GET shows a page with one button (link scanners in mail systems open links, and must
not unsubscribe anyone); POST turns it off, which is also what a mail program's one-click unsubscribe
sends (`List-Unsubscribe-Post`, RFC 8058).
"""

import functools
import html
from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from krem_advocacy import config
from krem_advocacy.domain import notifications
from krem_advocacy.domain.bootstrap import ensure_database
from krem_advocacy.store import notify_log
from krem_advocacy.store.connection import opened
from krem_advocacy.text import i18n


@functools.cache
def _prepared(path: str) -> str:
    # A link may be opened before anyone opened a page: create or migrate the file once per process.
    ensure_database(Path(path))
    return path


def _page(lang: str, body: str, status: int = 200) -> HTMLResponse:
    title = html.escape(i18n.t("unsub.title", lang))
    return HTMLResponse(
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;'
        'line-height:1.5}button{font-size:1rem;padding:.6rem 1.2rem;border-radius:.4rem;border:1px solid #888;'
        'background:#1f4e79;color:#fff;cursor:pointer}</style></head>'
        f"<body><h1>{title}</h1>{body}</body></html>", status_code=status,
        headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})


async def unsubscribe_response(request: Request) -> Response:
    """Ask (GET) or turn the subscription off (POST), when the signature is right."""
    params = dict(request.query_params)
    if request.method == "POST":
        form = await request.form()
        params.update({k: v for k, v in form.items() if k in ("p", "w", "t", "lang")})
    lang = i18n.normalise_language(params.get("lang"))
    person, what, token = params.get("p"), params.get("w"), params.get("t")
    path = _prepared(str(config.db_path().resolve()))
    with opened(path) as db:
        valid = notifications.token_valid(notify_log.signing_key(db), person, what, token)
        if not valid:
            return _page(lang, f"<p>{html.escape(i18n.t('unsub.invalid', lang))}</p>", 400)
        if request.method != "POST":
            hidden = "".join(f'<input type="hidden" name="{k}" value="{html.escape(str(v))}">'
                             for k, v in (("p", person), ("w", what), ("t", token), ("lang", lang)))
            return _page(lang, f"<p>{html.escape(i18n.t('unsub.ask.' + what, lang))}</p>"
                               f'<form method="post">{hidden}<button type="submit">'
                               f"{html.escape(i18n.t('unsub.button', lang))}</button></form>")
        changed = notify_log.unsubscribe(db, int(person), what)
    key = "unsub.done" if changed else "unsub.already"
    return _page(lang, f"<p>{html.escape(i18n.t(key, lang))}</p>")


ROUTES = [Route(notifications.UNSUBSCRIBE_PATH, unsubscribe_response, methods=["GET", "POST"])]
