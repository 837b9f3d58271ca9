"""Extra HTTP routes beside the Streamlit pages (the calendar feed, the unsubscribe link of e-mails), mounted by
`streamlit run serve.py`."""

from collections.abc import Callable
from pathlib import Path

from krem_advocacy.web import calendar, unsubscribe

ROUTES = [*calendar.ROUTES, *unsubscribe.ROUTES]
_mounted = False


def mount(role_of: Callable[[str], str | None] | None = None,
          served_url: Callable[[], str | None] | None = None,
          prepare: Callable[[Path], object] | None = None) -> list:
    """The routes for `st.App(..., routes=...)`; from then on `mounted()` tells pages that they answer.

    `role_of(account)` tells the calendar route the role an account has now (an editor's private address
    works only while it edits); `served_url()` where Streamlit serves the app (for links, when
    KREM_BASE_URL is unset); `prepare(path)` restores, creates or migrates the database as the pages do
    (with the replica named in the secrets). serve.py passes them from the UI layer, which reads Streamlit's secrets and
    configuration; this layer never imports Streamlit.
    """
    global _mounted
    _mounted = True
    calendar.configure(role_of=role_of, served_url=served_url, prepare=prepare)
    return ROUTES


def mounted() -> bool:
    """True when this process serves the routes (started through serve.py), so pages may offer their addresses."""
    return _mounted
