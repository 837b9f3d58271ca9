"""The regjeringen.no consultation feed (RSS): fetch, parse with feedparser, show what is new, add picked items.

The address is the official feed unless the setting `feed_url` (saved on the Data page) or the
environment variable `KREM_FEED_URL` says otherwise. What was seen is remembered in `feed_seen`.
"""

import re
import urllib.error
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from html import unescape

import feedparser
import pandas as pd
from sqlite_utils import Database

from krem_advocacy import config
from krem_advocacy.domain import hoeringer, validation
from krem_advocacy.exchange import http_client
from krem_advocacy.store import records, settings
from krem_advocacy.store.connection import read_frame, write_transaction
from krem_advocacy.store.errors import KremError, ValidationError
from krem_advocacy.store.permissions import EDIT, Actor, require

DEFAULT_FEED_URL = config.DEFAULT_FEED_URL
SETTING_KEY = "feed_url"
LAST_CHECKED_KEY = "feed_last_checked"
TIMEOUT_SECONDS = 15
SOURCE = "regjeringen.no (RSS)"

_MONTHS = {"januar": 1, "februar": 2, "mars": 3, "april": 4, "mai": 5, "juni": 6, "juli": 7,
           "august": 8, "september": 9, "oktober": 10, "november": 11, "desember": 12}
_FRIST = re.compile(r"(?:høringsfrist|høyringsfrist|frist)\w*\s*(?:er|:|er satt til|til)?\s*"
                    r"(?:(\d{1,2})\.(\d{1,2})\.(\d{4})|(\d{1,2})\.\s*([a-zæøå]+)\s+(\d{4}))", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]+>")


class FeedError(KremError):
    """The feed could not be read; `key` is the i18n message key (network or not a feed)."""

    def __init__(self, key: str, detail: str = ""):
        self.key = key
        self.detail = detail
        super().__init__(f"{key}: {detail}")


@dataclass(frozen=True)
class FeedItem:
    """One consultation in the feed."""

    guid: str
    title: str
    link: str | None
    published_on: str | None  # ISO date
    deadline: str | None  # ISO date, when the description states the høringsfrist
    summary: str
    department: str | None  # the owner named by the feed (author/category), if any


def feed_url(db: Database | None = None) -> str:
    """The feed address: the saved setting, else KREM_FEED_URL, else the official feed."""
    saved = settings.get(db, SETTING_KEY) if db is not None else None
    return saved.strip() if saved and saved.strip() else config.feed_url()


def save_feed_url(db: Database, actor: Actor, url: str | None) -> None:
    """Save (or with an empty value, forget) the feed address; editors only, audited."""
    require(actor, EDIT)
    url = validation.clean_text(url)
    if url and validation.url(url):
        raise ValidationError({"feed_url": "validation.url"})
    with write_transaction(db):
        before = settings.get(db, SETTING_KEY)
        settings.put(db, SETTING_KEY, url or None)
        records.audit(db, actor, "update", "settings", None, {SETTING_KEY: before}, {SETTING_KEY: url})


def fetch(url: str, timeout: float = TIMEOUT_SECONDS) -> bytes:
    """Download the feed (exchange.http_client); raise FeedError("data.feed.error.network") on any failure."""
    try:
        return http_client.get(url, accept="application/rss+xml, application/xml, text/xml", timeout=timeout).body
    except http_client.FetchError as error:
        raise FeedError("data.feed.error.network", error.detail) from None


def parse(content: bytes | str) -> list[FeedItem]:
    """The consultations in an RSS document (feedparser); raise FeedError when it is not a feed."""
    if isinstance(content, str):
        content = content.encode("utf-8")  # feedparser would treat a str as an address and fetch it
    parsed = feedparser.parse(content)
    if parsed.bozo and not parsed.entries:
        reason = parsed.get("bozo_exception")
        if isinstance(reason, urllib.error.URLError):
            raise FeedError("data.feed.error.network", str(reason))
        raise FeedError("data.feed.error.not_a_feed", str(reason or ""))
    if not parsed.get("version") and not parsed.entries:
        raise FeedError("data.feed.error.not_a_feed")
    items = []
    for entry in parsed.entries:
        title = validation.clean_text(entry.get("title"))
        if not title:
            continue
        link = validation.clean_text(entry.get("link"))
        summary = _plain(entry.get("summary") or entry.get("description") or "")
        guid = validation.clean_text(entry.get("id")) or link or title
        items.append(FeedItem(
            guid=guid, title=title, link=link if link and not validation.url(link) else None,
            published_on=_published(entry), deadline=find_deadline(summary), summary=summary,
            department=_owner(entry),
        ))
    return items


def load(url: str | None = None, db: Database | None = None) -> list[FeedItem]:
    """Fetch and parse the configured feed (the network is used here only)."""
    return parse(fetch(url or feed_url(db)))


def _plain(html: str) -> str:
    return " ".join(unescape(_TAGS.sub(" ", html)).split())


def _published(entry) -> str | None:
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    if not stamp:
        return None
    # Feed times are UTC; the Norwegian day is what people mean by «publisert».
    moment = datetime(*stamp[:6], tzinfo=UTC)
    return (moment + timedelta(hours=_oslo_offset(moment))).date().isoformat()


def _oslo_offset(moment: datetime) -> int:
    try:
        from zoneinfo import ZoneInfo

        return int(moment.astimezone(ZoneInfo("Europe/Oslo")).utcoffset().total_seconds() // 3600)
    except Exception:  # no time zone data on the machine: CET is close enough for a day
        return 1


def _owner(entry) -> str | None:
    for key in ("author", "publisher", "dc_creator"):
        value = validation.clean_text(entry.get(key))
        if value:
            return value
    tags = entry.get("tags") or []
    for tag in tags:
        term = validation.clean_text(tag.get("term"))
        if term and term.lower().endswith(("departementet", "direktoratet")):
            return term
    return None


def find_deadline(text: str) -> str | None:
    """The høringsfrist named in a text («Høringsfrist: 06.02.2024», «Høringsfristen er 4. mai 2026»)."""
    match = _FRIST.search(text or "")
    if not match:
        return None
    try:
        if match.group(1):
            return date(int(match.group(3)), int(match.group(2)), int(match.group(1))).isoformat()
        month = _MONTHS.get(match.group(5).lower())
        return date(int(match.group(6)), month, int(match.group(4))).isoformat() if month else None
    except ValueError:
        return None


# ---------------------------------------------------------------- what is new


def tracked(db: Database) -> pd.DataFrame:
    """Everything seen in the feed before: guid, title, link, when, and the høring made from it."""
    return read_frame(db, "SELECT guid, title, link, seen_at, hoering_id FROM feed_seen ORDER BY seen_at DESC")


def new_items(db: Database, items: list[FeedItem]) -> list[FeedItem]:
    """Items not seen before and not already a høring (same address or same title)."""
    seen = {row[0] for row in db.execute("SELECT guid FROM feed_seen")}
    urls = {str(u).rstrip("/") for (u,) in db.execute("SELECT url FROM hoeringer WHERE url IS NOT NULL")}
    titles = {_key(t) for (t,) in db.execute("SELECT title FROM hoeringer")}
    return [i for i in items if i.guid not in seen and (i.link or "").rstrip("/") not in urls
            and _key(i.title) not in titles]


def _key(title: str) -> str:
    return " ".join(str(title).replace("–", "-").casefold().split())


def _department_id(db: Database, item: FeedItem) -> int | None:
    # The owner: named by the feed, or the first ministry or directorate whose name the text mentions.
    rows = db.execute("SELECT id, name, short_name FROM organisations "
                      "WHERE kind IN ('department', 'directorate') ORDER BY length(name) DESC").fetchall()
    if item.department:
        wanted = item.department.casefold()
        for org_id, name, short in rows:
            if wanted in (name.casefold(), (short or "").casefold()):
                return org_id
    text = f"{item.title} {item.summary}".casefold()
    for org_id, name, _ in rows:
        if name.casefold() in text:
            return org_id
    return None


def add_items(db: Database, actor: Actor, items: list[FeedItem]) -> list[int]:
    """Create a høring for each item and remember it as seen, in one transaction; return the new ids.

    Each høring goes through hoeringer.create_hoering (the form's checks, the audit log as `import`,
    the internal deadline derived from the frist with the configured lead time); ValidationError
    from any item writes nothing.
    """
    require(actor, EDIT)
    ids = []
    with write_transaction(db):
        for item in items:
            values = {"title": item.title[:validation.MAX_TITLE_LENGTH], "url": item.link,
                      "published_on": item.published_on, "deadline": item.deadline,
                      "department_id": _department_id(db, item), "official_status": "paa_hoering",
                      "our_status": "innkommet", "source": SOURCE,
                      "notes": item.summary[:validation.MAX_TEXT_LENGTH] or None}
            hoering_id = hoeringer.create_hoering(db, actor, values, action="import")
            _remember(db, item, hoering_id)
            ids.append(hoering_id)
    return ids


def mark_seen(db: Database, actor: Actor, items: list[FeedItem]) -> int:
    """Remember items as seen without adding them (they stop showing as new); return how many."""
    require(actor, EDIT)
    with write_transaction(db):
        for item in items:
            _remember(db, item, None)
        if items:
            records.audit(db, actor, "import", "feed_seen", None, None,
                          {"seen": [item.guid for item in items]})
    return len(items)


def _remember(db: Database, item: FeedItem, hoering_id: int | None) -> None:
    db.execute("INSERT INTO feed_seen (guid, title, link, seen_at, hoering_id) VALUES (?, ?, ?, ?, ?) "
               "ON CONFLICT(guid) DO UPDATE SET hoering_id = COALESCE(excluded.hoering_id, feed_seen.hoering_id)",
               [item.guid, item.title, item.link, records.now_iso(), hoering_id])


def note_checked(db: Database, actor: Actor) -> None:
    """Remember when the feed was last read (shown on the Data page); bookkeeping, not audited."""
    require(actor, EDIT)
    settings.put(db, LAST_CHECKED_KEY, records.now_iso())


def last_checked(db: Database) -> str | None:
    """When the feed was last read (UTC ISO), or None."""
    return settings.get(db, LAST_CHECKED_KEY)
