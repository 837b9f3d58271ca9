"""The deadlines calendar: høringsfrister, internal deadlines, budget hearings and votes, KU meetings as iCalendar."""

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
from icalendar import Calendar, Event, vDuration
from sqlite_utils import Database

from krem_advocacy import site
from krem_advocacy.domain import deadlines
from krem_advocacy.store.connection import read_frame
from krem_advocacy.text import i18n

FEED_PATH = "/calendar.ics"
FILE_NAME = "krem-frister.ics"
OSLO = ZoneInfo("Europe/Oslo")

# Kinds from deadlines.deadlines that belong in the calendar (meetings only when they are KU meetings).
CALENDAR_KINDS = ("hoering_frist", "hoering_internal", "budget_hearing_application", "budget_hearing",
                  "budget_frames_vote", "budget_final_vote", "meeting", "meeting_prep")
# A calendar keeps some history and looks well ahead.
DAYS_BACK = 180
DAYS_AHEAD = 730
# A KU meeting without an end time is shown as two hours long (the usual length, e.g. kl. 12–14).
DEFAULT_MEETING_HOURS = 2
# Ask subscribing calendars to fetch again every hour (Outlook and Apple honour this; Google decides itself).
REFRESH_INTERVAL = timedelta(hours=1)
# The same calendar every time it is fetched, so a subscription updates instead of duplicating.
CALENDAR_UID = "frister@krem-paavirkning"

MEETING_TIMES_SQL = """
SELECT id AS record_id, starts_at, ends_at, place FROM meetings WHERE kind = 'ku'
"""


def calendar_events(db: Database, today: date) -> pd.DataFrame:
    """One row per calendar event: every row of `deadlines.deadlines` of a calendar kind, KU meetings
    with their start, end and place."""
    frame = deadlines.deadlines(db, today, days_ahead=DAYS_AHEAD, days_back=DAYS_BACK, keep_past=True)
    is_meeting = frame["record_table"] == "meetings"
    frame = frame[frame["kind"].isin(CALENDAR_KINDS) & (~is_meeting | (frame["status"] == "ku"))]
    times = read_frame(db, MEETING_TIMES_SQL)
    merged = frame.merge(times, on="record_id", how="left")
    # Only meeting rows get meeting times (record ids of other tables may collide with meeting ids).
    for column in ("starts_at", "ends_at", "place"):
        merged.loc[merged["record_table"] != "meetings", column] = None
    return merged.reset_index(drop=True)


def build_calendar(events: pd.DataFrame, link: Callable[[str, int], str], lang: str = "nb",
                   now: datetime | None = None) -> bytes:
    """The events as an iCalendar file; each event links to its record through `link(table, id)`."""
    now = now or datetime.now(UTC)
    calendar = Calendar.new(
        name=i18n.t("calendar.name", lang), description=i18n.t("calendar.description", lang),
        prodid="-//KREM//KREM påvirkning//NO", refresh_interval=REFRESH_INTERVAL, method="PUBLISH",
        uid=CALENDAR_UID,
    )
    calendar["REFRESH-INTERVAL"].params["VALUE"] = "DURATION"  # required by RFC 7986
    calendar.add("x-wr-timezone", "Europe/Oslo")
    calendar.add("x-published-ttl", vDuration(REFRESH_INTERVAL))  # Outlook's name for the refresh interval
    for row in events.itertuples():
        calendar.add_component(_event(row, link(row.record_table, int(row.record_id)), lang, now))
    # The time zone rules only for the years the events span keep the file small.
    calendar.add_missing_timezones(first_date=date(now.year - 1, 1, 1), last_date=date(now.year + 3, 12, 31))
    return calendar.to_ical()


def _event(row, url: str, lang: str, now: datetime) -> Event:
    kind_label = i18n.t(f"deadline.{row.kind}", lang)
    timed = row.kind == "meeting" and isinstance(row.starts_at, str) and "T" in row.starts_at
    if timed:
        start = datetime.fromisoformat(row.starts_at).replace(tzinfo=OSLO)
        end = (datetime.fromisoformat(row.ends_at).replace(tzinfo=OSLO)
               if isinstance(row.ends_at, str) and "T" in row.ends_at
               else start + timedelta(hours=DEFAULT_MEETING_HOURS))
        summary = row.title
    else:
        start = date.fromisoformat(row.day)
        end = start + timedelta(days=1)  # an all-day event ends (exclusively) the next day
        summary = f"{kind_label}: {row.title}"
    lines = [kind_label]
    if isinstance(row.owner, str) and row.owner:
        lines.append(i18n.t(f"calendar.owner.{row.kind}", lang, owner=row.owner))
    lines.append(url)
    event = Event.new(
        uid=f"{row.kind}-{row.record_table}-{int(row.record_id)}@krem-paavirkning", stamp=now,
        start=start, end=end, summary=summary, description="\n".join(lines), url=url,
        categories=[kind_label], transparency="OPAQUE" if timed else "TRANSPARENT",
        location=row.place if timed and isinstance(row.place, str) and row.place else None,
    )
    return event


def feed_url(base_url: str, token: str | None = None, lang: str = "nb") -> str:
    """The address calendars subscribe to, e.g. https://host/calendar.ics?token=…"""
    params = []
    if token:
        params.append(f"token={token}")
    if lang != i18n.DEFAULT_LANGUAGE:
        params.append(f"lang={lang}")
    return base_url.rstrip("/") + FEED_PATH + ("?" + "&".join(params) if params else "")


def calendar_for(db: Database, today: date, base_url: str, lang: str) -> bytes:
    """The whole calendar as .ics bytes, events linking to records under `base_url`."""
    def link(table: str, record_id: int) -> str:
        return f"{base_url.rstrip('/')}/{site.record_path(table, record_id, lang)}"

    return build_calendar(calendar_events(db, today), link, lang)
