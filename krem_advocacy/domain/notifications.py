"""What is due to be mailed, to whom: the weekly digest and the reminders, planned from the deadlines.

Planning reads; it sends nothing and writes nothing. Every message has a key that names it for ever
(`digest:<person>:<digest day>`, `reminder:<person>:<table>:<id>:<deadline kind>:<day>:<days before>`),
so the sent log can tell what was delivered and a run sends only what is missing. The dates come from
`deadlines.deadlines`; a recipient who may not see internal records gets plans read on a connection that
shows only public rows (`public_db`, made by `visibility.restrict_to_public`), as viewers' pages are.
"""

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd
from sqlite_utils import Database

from krem_advocacy.domain import budget, deadlines, meetings, responsibility
from krem_advocacy.store import notify_log, settings

DIGEST_DAYS_AHEAD = 14
DEFAULT_REMINDER_DAYS = (7, 1)
DEFAULT_DIGEST_WEEKDAY = 0  # Monday
# The deadlines a reminder is sent before (the work is due then; the official frist follows later).
REMINDED_KINDS = ("hoering_internal", "meeting_prep", "budget_hearing_application")
UNSUBSCRIBE_PATH = "/notifications/unsubscribe"
UNSUBSCRIBE_WHAT = ("digest", "reminders", "all")
_ADDRESS = re.compile(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+$")


@dataclass
class Planned:
    """One message to send: who, what (digest or reminder), its key, and what it holds."""

    key: str
    kind: str  # digest, reminder
    person_id: int
    name: str
    email: str | None
    lang: str
    due_date: str
    record_table: str | None = None
    record_id: int | None = None
    content: dict = field(default_factory=dict)
    problem: str | None = None  # no_address, invalid_address: listed, never sent

    def log_entry(self) -> dict:
        """The sent log's description of this message."""
        return {"message_key": self.key, "person_id": self.person_id, "recipient": self.email, "kind": self.kind,
                "record_table": self.record_table, "record_id": self.record_id, "due_date": self.due_date}


def valid_address(email: str | None) -> bool:
    """True for something that looks like one plain e-mail address."""
    return bool(email) and bool(_ADDRESS.match(email.strip()))


def reminder_days(db: Database) -> tuple[int, ...]:
    """How many days before a deadline reminders go out (setting `notify_reminder_days`, default 7 and 1)."""
    return parse_days(settings.get(db, "notify_reminder_days")) or DEFAULT_REMINDER_DAYS


def parse_days(text: str | None) -> tuple[int, ...]:
    """«7, 1» -> (7, 1): whole numbers 0–60, largest first, no repeats; () when nothing valid is given."""
    found = {int(p) for p in re.findall(r"\d+", str(text or "")) if 0 <= int(p) <= 60}
    return tuple(sorted(found, reverse=True))


def digest_weekday(db: Database) -> int:
    """The weekday of the digest, 0 = Monday (setting `notify_digest_weekday`)."""
    value = settings.get(db, "notify_digest_weekday")
    return int(value) if value is not None and value.isdigit() and int(value) < 7 else DEFAULT_DIGEST_WEEKDAY


def digest_day(today: date, weekday: int) -> date | None:
    """This week's digest day if it is today or already past (a missed digest goes out later that week)."""
    day = today - timedelta(days=today.weekday()) + timedelta(days=weekday)
    return day if day <= today else None


# ---------------------------------------------------------------- what a digest holds

def digest_content(db: Database, today: date) -> dict:
    """The digest's sections, read on `db` (the full or the public connection)."""
    due = deadlines.deadlines(db, today, days_ahead=DIGEST_DAYS_AHEAD)
    ku = meetings.next_meeting(db, today, "ku")
    agenda = meetings.agenda(db, ku["id"]) if ku else pd.DataFrame()
    tilsagn = meetings.open_tilsagn(db, before=today.isoformat())
    return {
        "overdue": due[due["bucket"] == "overdue"],
        "upcoming": due[due["bucket"] != "overdue"],
        "deadlines": due,
        "ku": ku,
        "agenda": [_agenda_title(r) for r in agenda.itertuples()] if not agenda.empty else [],
        "tilsagn": tilsagn,
        "budget": next_budget_dates(db, today),
    }


def _agenda_title(row) -> str:
    for name in ("title", "sak", "hoering", "budget_input"):
        value = getattr(row, name, None)
        if isinstance(value, str) and value.strip():
            speaker = getattr(row, "speaker_org_short", None)
            return f"{value.strip()} ({speaker})" if isinstance(speaker, str) and speaker else value.strip()
    return "–"


def next_budget_dates(db: Database, today: date) -> dict | None:
    """The coming budget year's Prop. 1 S and hearing application deadline (the first year with one ahead)."""
    years = budget.budget_years(db)
    for row in years.sort_values("budget_year").itertuples():
        dates = {k: getattr(row, k) for k in ("prop1s_on", "hearing_application_deadline")
                 if isinstance(getattr(row, k), str) and getattr(row, k) >= today.isoformat()}
        if dates:
            return {"budget_year": int(row.budget_year), "id": int(row.id), **dates}
    return None


def is_empty(content: dict) -> bool:
    """True when a digest would say nothing (then it is not sent)."""
    return content["deadlines"].empty and content["ku"] is None and content["tilsagn"].empty \
        and content["budget"] is None


# ---------------------------------------------------------------- planning a run

def plan(db: Database, public_db: Database, today: date) -> list[Planned]:
    """Every message due today for every subscriber, sent or not (the caller checks the log)."""
    planned: list[Planned] = []
    day = digest_day(today, digest_weekday(db))
    days = reminder_days(db)
    contents: dict[bool, dict] = {}
    for sub in notify_log.subscriptions(db):
        source = db if sub["sees_internal"] else public_db
        base = {"person_id": int(sub["person_id"]), "name": sub["name"], "email": (sub["email"] or "").strip() or None,
                "lang": sub["language"]}
        problem = None if valid_address(base["email"]) else ("no_address" if not base["email"] else "invalid_address")
        if sub["digest"] and day is not None:
            if sub["sees_internal"] not in contents:
                contents[sub["sees_internal"]] = digest_content(source, today)
            content = contents[sub["sees_internal"]]
            if not is_empty(content):
                planned.append(Planned(key=f"digest:{sub['person_id']}:{day.isoformat()}", kind="digest",
                                       due_date=day.isoformat(), content=content, problem=problem, **base))
        if sub["reminders"] and days:
            planned += [Planned(problem=problem, **base, **r) for r in _reminders(source, sub["person_id"], today, days)]
    return planned


def _reminders(db: Database, person_id: int, today: date, days: tuple[int, ...]) -> list[dict]:
    items = responsibility.items_for(db, person_id, today)
    mine = {(r.record_table, int(r.record_id)): r for r in items.itertuples() if r.item_kind != "tilsagn"}
    if not mine:
        return []
    due = deadlines.deadlines(db, today, days_ahead=max(days))
    found = []
    for row in due.itertuples():
        record = mine.get((row.record_table, int(row.record_id)))
        if record is None or row.kind not in REMINDED_KINDS or row.days_left < 0:
            continue
        before = [n for n in days if row.days_left <= n]
        if not before:
            continue
        step = min(before)  # the nearest reminder only: a late first run does not send both
        found.append({
            "key": f"reminder:{person_id}:{row.record_table}:{int(row.record_id)}:{row.kind}:{row.day}:{step}",
            "kind": "reminder", "due_date": row.day, "record_table": row.record_table,
            "record_id": int(row.record_id),
            "content": {"deadline_kind": row.kind, "title": record.title, "item_kind": record.item_kind,
                        "day": row.day, "days_left": int(row.days_left), "context": record.context,
                        "owner": row.owner if isinstance(row.owner, str) else None},
        })
    return found


# ---------------------------------------------------------------- unsubscribe links

def unsubscribe_token(key: bytes, person_id: int, what: str) -> str:
    """The signature that lets a link turn off `what` (digest, reminders, all) for one person."""
    mac = hmac.new(key, f"unsubscribe:{int(person_id)}:{what}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac[:24]).decode().rstrip("=")


def token_valid(key: bytes, person_id, what: str, token: str) -> bool:
    """True when `token` is this person's signature for `what` (compared in constant time)."""
    try:
        person = int(person_id)
    except (TypeError, ValueError):
        return False
    if what not in UNSUBSCRIBE_WHAT:
        return False
    return hmac.compare_digest(unsubscribe_token(key, person, what).encode(), str(token or "").encode())


def unsubscribe_url(base_url: str, key: bytes, person_id: int, what: str, lang: str) -> str:
    """The link in a message that turns its kind of message off, without signing in."""
    query = f"p={int(person_id)}&w={what}&t={unsubscribe_token(key, person_id, what)}"
    if lang != "nb":
        query += f"&lang={lang}"
    return f"{base_url.rstrip('/')}{UNSUBSCRIBE_PATH}?{query}"
