"""The one small HTTP client for outside sources (the Storting's export, regjeringen.no pages): timeouts, a clear User-Agent.

Only buttons and the command line call it, never a page load. Every failure becomes a FetchError
that names the address tried and what went wrong, so callers can report it plainly.
"""

import urllib.error
import urllib.request
from dataclasses import dataclass

from krem_advocacy.store.errors import KremError

TIMEOUT_SECONDS = 20
MAX_BYTES = 10 * 1024 * 1024  # no export or høring page is near this; a runaway answer is cut off
USER_AGENT = "krem-advocacy/1.0 (Samarbeidsforum mot fattigdom; advocacy dashboard; contact via krem.no)"


class FetchError(KremError):
    """An address could not be read: `url` tried, `status` the HTTP status (None for network errors)."""

    def __init__(self, url: str, detail: str, status: int | None = None):
        self.url = url
        self.detail = detail
        self.status = status
        super().__init__(f"{url}: {detail}")


@dataclass(frozen=True)
class Response:
    """What an address answered: the body, its content type and the final address."""

    url: str
    body: bytes
    content_type: str


def get(url: str, accept: str = "*/*", timeout: float = TIMEOUT_SECONDS) -> Response:
    """GET an http(s) address; raise FetchError on any network problem or an answer other than 2xx."""
    if not url.lower().startswith(("http://", "https://")):
        raise FetchError(url, "not an http(s) address")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            body = answer.read(MAX_BYTES + 1)
            if len(body) > MAX_BYTES:
                raise FetchError(url, "the answer is too large")
            return Response(answer.geturl(), body, answer.headers.get("Content-Type", ""))
    except urllib.error.HTTPError as error:
        raise FetchError(url, f"HTTP {error.code} {error.reason}", error.code) from None
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError, ValueError) as error:
        raise FetchError(url, str(getattr(error, "reason", error)) or type(error).__name__) from None
