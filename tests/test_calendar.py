"""The deadlines calendar: its events, the .ics file parsed back with icalendar, and the /calendar.ics route."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from starlette.applications import Starlette
from starlette.testclient import TestClient

from krem_advocacy import config, web
from krem_advocacy.exchange import calendar_feed
from krem_advocacy.store.connection import opened
from tests.helpers import TODAY, insert

OSLO = ZoneInfo("Europe/Oslo")
BASE = "https://krem.example.org"

# (UID kind, record title, date or start): one event per deadline of the literal forum.
EXPECTED = {
    ("hoering_internal", "Høring A"): date(2026, 2, 20),
    ("hoering_frist", "Høring A"): date(2026, 2, 27),
    ("hoering_internal", "Høring B"): date(2026, 2, 27),
    ("hoering_frist", "Høring B"): date(2026, 3, 6),
    ("hoering_frist", "Høring D"): date(2026, 5, 15),
    ("meeting", "KU januar"): datetime(2026, 1, 12, 12, 0, tzinfo=OSLO),
    ("meeting", "KU mars"): datetime(2026, 3, 16, 12, 0, tzinfo=OSLO),
    ("meeting_prep", "KU mars"): date(2026, 3, 9),
    ("budget_hearing_application", "Frivillig arbeid"): date(2026, 3, 20),
    ("budget_hearing", "Frivillig arbeid"): date(2026, 3, 27),
}


def parse(body: bytes) -> dict:
    """The events of an .ics file by (kind, title), each as (start, end, url, summary)."""
    calendar = Calendar.from_ical(body)
    events = {}
    for event in calendar.events:
        kind = str(event["UID"]).split("-")[0]
        title = str(event["SUMMARY"]).split(": ", 1)[-1]
        events[(kind, title)] = (event.start, event.end, str(event["URL"]), str(event["SUMMARY"]))
    assert len(events) == len(calendar.events), "two events share a UID"
    return events


def link(table: str, record_id: int) -> str:
    return f"{BASE}/{table}?id={record_id}"


def test_calendar_events_hold_one_row_per_deadline_and_ku_meeting(db, small_forum):
    insert(db, "meetings", title="Forummøte", kind="forum", starts_at="2026-03-10T10:00")
    frame = calendar_feed.calendar_events(db, TODAY)
    assert sorted(zip(frame["kind"], frame["title"])) == sorted(EXPECTED)
    assert "Forummøte" not in set(frame["title"])  # only KU meetings
    assert "Høring C" not in set(frame["title"])  # delivered: nothing due


def test_ics_parses_with_right_dates_and_links_back(db, small_forum):
    body = calendar_feed.build_calendar(calendar_feed.calendar_events(db, TODAY), link)
    events = parse(body)
    assert {key: value[0] for key, value in events.items()} == EXPECTED
    start, end, url, summary = events[("hoering_frist", "Høring B")]
    assert (end, url, summary) == (date(2026, 3, 7), f"{BASE}/hoeringer?id={small_forum['h_week']}",
                                   "Høringsfrist: Høring B")
    start, end, url, summary = events[("meeting", "KU mars")]
    assert (end, url, summary) == (datetime(2026, 3, 16, 14, 0, tzinfo=OSLO),
                                   f"{BASE}/meetings?id={small_forum['ku_next']}", "KU mars")
    assert events[("budget_hearing", "Frivillig arbeid")][2] == f"{BASE}/budget_inputs?id={small_forum['budget']}"
    calendar = Calendar.from_ical(body)
    assert str(calendar["X-WR-CALNAME"]) == "KREM påvirkning – frister"
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Oslo"]


def test_meeting_end_time_and_place_are_used(db, small_forum):
    db.execute("UPDATE meetings SET ends_at = '2026-03-16T13:30', place = 'AID, Akersgata 64' WHERE id = ?",
               [small_forum["ku_next"]])
    calendar = Calendar.from_ical(calendar_feed.build_calendar(calendar_feed.calendar_events(db, TODAY), link))
    meeting = [e for e in calendar.events if str(e["UID"]).startswith(f"meeting-meetings-{small_forum['ku_next']}@")]
    assert meeting[0].end == datetime(2026, 3, 16, 13, 30, tzinfo=OSLO)
    assert str(meeting[0]["LOCATION"]) == "AID, Akersgata 64"


def test_the_budget_years_votes_are_in_the_calendar(db, small_forum):
    year_id = insert(db, "budget_years", budget_year=2027, frames_vote_on="2026-11-20",
                     final_vote_on="2026-12-10")
    events = parse(calendar_feed.build_calendar(calendar_feed.calendar_events(db, TODAY), link))
    assert events[("budget_frames_vote", "Prop. 1 S (2026–2027)")] == (
        date(2026, 11, 20), date(2026, 11, 21), f"{BASE}/budget_years?id={year_id}",
        "Rammevedtak for statsbudsjettet: Prop. 1 S (2026–2027)")
    assert events[("budget_final_vote", "Prop. 1 S (2026–2027)")] == (
        date(2026, 12, 10), date(2026, 12, 11), f"{BASE}/budget_years?id={year_id}",
        "Endelig vedtak av statsbudsjettet: Prop. 1 S (2026–2027)")
    english = parse(calendar_feed.build_calendar(calendar_feed.calendar_events(db, TODAY), link, lang="en"))
    assert english[("budget_final_vote", "Prop. 1 S (2026–2027)")][3] == (
        "State budget final vote: Prop. 1 S (2026–2027)")


def test_english_calendar(db, small_forum):
    body = calendar_feed.build_calendar(calendar_feed.calendar_events(db, TODAY), link, lang="en")
    assert ("hoering_frist", "Høring B") in parse(body)
    assert "Consultation deadline: Høring B" in {v[3] for v in parse(body).values()}


def test_feed_url():
    assert calendar_feed.feed_url("https://x.no/") == "https://x.no/calendar.ics"
    assert calendar_feed.feed_url("https://x.no", token="abc", lang="en") == (
        "https://x.no/calendar.ics?token=abc&lang=en")


def test_record_links_use_the_apps_deep_links(db, small_forum):
    insert(db, "budget_years", budget_year=2027, frames_vote_on="2026-11-20", final_vote_on="2026-12-10")
    body = calendar_feed.calendar_for(db, TODAY, BASE, "nb")
    urls = {v[2] for v in parse(body).values()}
    assert urls and all(u.startswith(f"{BASE}/hoeringer?id=") or u.startswith(f"{BASE}/moeter?id=")
                        or u.startswith(f"{BASE}/statsbudsjett?id=") or u.startswith(f"{BASE}/statsbudsjett?year_id=")
                        for u in urls)


# ---------------------------------------------------------------- the HTTP route (a bare Starlette app)

@pytest.fixture
def client(current_forum, monkeypatch):
    """The route on the small forum with its dates moved to today (the route's calendar starts from today)."""
    monkeypatch.delenv("KREM_CALENDAR_TOKEN", raising=False)
    monkeypatch.delenv("KREM_BASE_URL", raising=False)
    with TestClient(Starlette(routes=web.ROUTES), base_url="http://testserver") as test_client:
        yield test_client


def test_feed_route_serves_the_calendar_of_the_database(client, app_db_path, current_forum):
    response = client.get("/calendar.ics")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert "no-cache" in response.headers["cache-control"]
    events = parse(response.content)
    with opened(app_db_path) as db:
        expected = len(calendar_feed.calendar_events(db, date.today()))
        hoering_id, deadline, title = db.execute(
            "SELECT id, deadline, title FROM hoeringer WHERE our_status IN ('innkommet', 'til_vurdering', 'svarer') "
            "AND deadline >= date('now') ORDER BY deadline LIMIT 1").fetchone()
    assert len(events) == expected == len(EXPECTED)  # every deadline of the forum, as in the file above
    start, _, url, _ = events[("hoering_frist", title)]
    # Links start with the configured address, never the request's Host (tests/test_calendar_access.py).
    assert (start.isoformat(), url) == (deadline, f"{config.DEFAULT_BASE_URL}/hoeringer?id={hoering_id}")


def test_feed_links_use_krem_base_url_and_language(client, monkeypatch):
    monkeypatch.setenv("KREM_BASE_URL", "https://krem.example.org/")
    events = parse(client.get("/calendar.ics?lang=en").content)
    assert all(v[2].startswith("https://krem.example.org/") and v[2].endswith("&lang=en") for v in events.values())


def test_feed_needs_the_token_when_one_is_set(client, monkeypatch):
    monkeypatch.setenv("KREM_CALENDAR_TOKEN", "hemmelig-123")
    assert client.get("/calendar.ics").status_code == 403
    assert client.get("/calendar.ics?token=feil").status_code == 403
    response = client.get("/calendar.ics?token=hemmelig-123")
    assert response.status_code == 200
    assert len(Calendar.from_ical(response.content).events) > 0


def test_an_empty_database_gives_an_empty_calendar_that_parses(db):
    calendar = Calendar.from_ical(calendar_feed.build_calendar(calendar_feed.calendar_events(db, TODAY), link))
    assert calendar.events == []
    assert str(calendar["REFRESH-INTERVAL"].to_ical().decode()) == "PT1H"
