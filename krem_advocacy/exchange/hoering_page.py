"""A høring's page on regjeringen.no: fetched on request, read for frist, status, Vår ref. and høringsinstanser.

Parsed with the standard library's `html.parser`: the page is read as lines of text (each block element and
line break ends a line), then the labelled facts and the list under the «Høringsinstanser» heading are taken
from those lines. That survives changes of class names and layout, needs no new dependency, and never runs
the page's scripts. Only addresses under `KREM_REGJERINGEN_URL` (config) are fetched.
"""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

from sqlite_utils import Database

from krem_advocacy import config
from krem_advocacy.domain import consultees, hoeringer, sources
from krem_advocacy.domain.consultees import PageFacts, PageOutcome
from krem_advocacy.exchange import http_client
from krem_advocacy.store.errors import KremError
from krem_advocacy.store.permissions import Actor

BLOCKS = {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr", "td", "th", "dt", "dd",
          "section", "article", "header", "footer", "main", "nav", "table", "dl"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
SKIPPED = {"script", "style", "noscript", "template", "svg", "head"}
_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_REF = re.compile(r"\b(\d{2}/\d{1,6}(?:-\d{1,4})?)\b")
_LABEL = re.compile(r"^(høringsfrist|høyringsfrist|status|vår ref\.?|vår referanse|saksnummer)(?![a-zæøå])\s*:?\s*(.*)$",
                    re.IGNORECASE)
_INSTANCES = re.compile(r"^(liste over )?(høringsinstanser|høyringsinstansar|høringsinstansar)\b", re.IGNORECASE)


class PageError(KremError):
    """The page could not be read: `key` is the i18n message key, `url` the address, `detail` what happened."""

    def __init__(self, key: str, url: str = "", detail: str = ""):
        self.key, self.url, self.detail = key, url, detail
        super().__init__(f"{key}: {url} {detail}")


class _Lines(HTMLParser):
    """The page's visible text as lines, each marked as a heading or not."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines: list[tuple[bool, str]] = []
        self._parts: list[str] = []
        self._heading = False
        self._skip = 0

    def _end_line(self):
        text = " ".join("".join(self._parts).split())
        if text:
            self.lines.append((self._heading, text))
        self._parts = []

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED:
            self._skip += 1
        elif tag in BLOCKS:
            self._end_line()
            if tag in HEADINGS:
                self._heading = True

    def handle_startendtag(self, tag, attrs):
        if tag in BLOCKS:
            self._end_line()

    def handle_endtag(self, tag):
        if tag in SKIPPED:
            self._skip = max(0, self._skip - 1)
        elif tag in BLOCKS:
            self._end_line()
            if tag in HEADINGS:
                self._heading = False

    def handle_data(self, data):
        if not self._skip:
            self._parts.append(data)

    def close(self):
        super().close()
        self._end_line()


def text_lines(html: str) -> list[tuple[bool, str]]:
    """(is heading, text) for each line of visible text."""
    reader = _Lines()
    reader.feed(html)
    reader.close()
    return reader.lines


def _iso(text: str) -> str | None:
    found = _DATE.search(text or "")
    if not found:
        return None
    d, m, y = (int(g) for g in found.groups())
    if y < 1900 or not (1 <= m <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


def parse(html: str | bytes) -> PageFacts:
    """The facts a høring page states; raise PageError("hoering_page.error.not_a_page") when it names none."""
    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    lines = text_lines(html)
    deadline = status_text = case_ref = None
    instances: list[str] = []
    collecting = False
    for index, (heading, text) in enumerate(lines):
        if heading:
            collecting = bool(_INSTANCES.match(text))
            continue
        if collecting:
            if text.lower().startswith(("høringen er åpen", "høyringa er open", "alle kan")):
                collecting = False
            else:
                instances.append(text)
            continue
        matched = _LABEL.match(text)
        if not matched:
            continue
        label, value = matched.group(1).lower(), matched.group(2).strip()
        if not value and index + 1 < len(lines):  # the value is in the next element
            value = lines[index + 1][1]
        if label.startswith(("høringsfrist", "høyringsfrist")) and deadline is None:
            deadline = _iso(value)
        elif label == "status" and status_text is None and consultees.status_code(value):
            status_text = value
        elif label.startswith(("vår", "saksnummer")) and case_ref is None:  # the ministry's reference
            found = _REF.search(value)
            case_ref = found.group(1) if found else None
    if deadline is None and status_text is None and case_ref is None and not instances:
        raise PageError("hoering_page.error.not_a_page")
    return PageFacts(deadline=deadline, status=consultees.status_code(status_text), status_text=status_text,
                     case_ref=case_ref, instances=tuple(dict.fromkeys(instances)))


def allowed(url: str | None) -> bool:
    """True for an address under KREM_REGJERINGEN_URL (by default www.regjeringen.no)."""
    if not url:
        return False
    base, wanted = urlsplit(config.regjeringen_url()), urlsplit(url.strip())
    if wanted.scheme not in ("http", "https") or not wanted.netloc:
        return False
    same_host = wanted.netloc.lower() == base.netloc.lower() or (
        base.netloc.lower().endswith("regjeringen.no") and wanted.netloc.lower().endswith(".regjeringen.no"))
    return same_host and wanted.path.startswith(base.path or "/")


def read(url: str) -> PageFacts:
    """Fetch and parse a høring page; raise PageError naming what went wrong."""
    if not allowed(url):
        raise PageError("hoering_page.error.not_regjeringen", url, config.regjeringen_url())
    try:
        answer = http_client.get(url, accept="text/html")
    except http_client.FetchError as error:
        raise PageError("hoering_page.error.network", url, error.detail) from None
    try:
        return parse(answer.body)
    except PageError as error:
        raise PageError(error.key, url) from None


def refresh(db: Database, actor: Actor, hoering_id: int, expected_version: int | None = None) -> PageOutcome:
    """Read the høring's page and save what changed; the run is remembered for the Data page.

    Any failure (not a regjeringen.no address, network, not a høring page, the høring's checks, a conflict)
    leaves the høring as it was and is raised; `expected_version` defaults to the saved one (the CLI).
    """
    record = hoeringer.get_hoering(db, hoering_id, include_internal=True)
    if record is None:
        raise PageError("hoering_page.error.no_hoering", str(hoering_id))
    url = record.get("url") or ""
    try:
        facts = read(url)
        outcome = consultees.apply_page(db, actor, hoering_id, facts,
                                        record["version"] if expected_version is None else expected_version)
    except Exception as error:
        sources.record_run(db, actor, "hoering_page", False, [url or f"høring {hoering_id}"], None,
                           getattr(error, "detail", "") or type(error).__name__)
        raise
    sources.record_run(db, actor, "hoering_page", True, [url], outcome.instances,
                       ", ".join(outcome.changes) or None)
    return outcome


def refresh_added(db: Database, actor: Actor, hoering_ids: list[int]) -> list[tuple[int, PageOutcome | KremError]]:
    """Read the page of each høring just added that has a regjeringen.no address; failures are returned, not
    raised (the høringer stay added), each with what went wrong."""
    done = []
    for hoering_id in hoering_ids:
        record = hoeringer.get_hoering(db, hoering_id)
        if record is None or not allowed(record.get("url")):
            continue
        try:
            done.append((hoering_id, refresh(db, actor, hoering_id)))
        except KremError as error:
            done.append((hoering_id, error))
    return done
