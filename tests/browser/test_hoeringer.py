"""Høringer in a real browser: an editor adds a høring and finds its deadlines; the calendar file and feed."""

import urllib.request
from datetime import date, timedelta

import pytest
from icalendar import Calendar
from playwright.sync_api import Page, expect

from krem_advocacy.exchange import calendar_feed
from krem_advocacy.store.connection import opened
from tests.helpers import heading, served


@pytest.fixture(scope="module")
def editor_url(tmp_path_factory):
    """A second server where every session is an editor (KREM_DEV_EDITOR), with its own demo database."""
    with served(tmp_path_factory.mktemp("editor") / "editor.db",
                env={"KREM_DEV_EDITOR": "Test Redaktør"}) as url:
        yield url


@pytest.fixture
def editor_page(browser, editor_url):
    context = browser.new_context(base_url=editor_url, locale="nb-NO", viewport={"width": 1280, "height": 1000})
    yield context.new_page()
    context.close()


def fill_date(page: Page, scope, label: str, day: date) -> None:
    # Streamlit's date field has a segment per part (dd . mm . yyyy) that moves on as digits are typed.
    segments = scope.get_by_label(label, exact=True).get_by_role("spinbutton")
    segments.first.click()
    page.keyboard.type(day.strftime("%d%m%Y"))
    page.locator("h1").first.click()  # the value reaches the app when the field loses focus


def test_editor_adds_a_hoering_and_finds_its_deadlines(editor_page: Page):
    page = editor_page
    today = date.today()
    deadline, internal = today + timedelta(days=10), today + timedelta(days=3)
    title = "Høring – nettlesertest av fristene"
    page.goto("/hoeringer")
    expect(heading(page, "Høringer")).to_be_visible(timeout=30_000)
    page.get_by_text("Ny høring", exact=True).click()
    form = page.get_by_test_id("stExpander").filter(has_text="Ny høring")
    form.get_by_label("Tittel *").fill(title)
    form.get_by_label("Tittel *").press("Tab")
    form.get_by_label("Departement/etat").click()
    page.get_by_role("option", name="BFD – Barne- og familiedepartementet").click()
    fill_date(page, form, "Publisert", today - timedelta(days=60))
    fill_date(page, form, "Høringsfrist", deadline)
    # The form shows the derived internal deadline before saving.
    expect(form.get_by_text(f"Intern frist blir {internal:%d.%m.%Y} (7 dager før høringsfristen).")).to_be_visible(
        timeout=10_000)
    form.get_by_role("button", name="Lagre høringen").click()

    # The new høring opens with its derived internal deadline.
    expect(page.get_by_role("heading", name=title)).to_be_visible(timeout=20_000)
    expect(page.get_by_text(f"{internal:%d.%m.%Y} (automatisk: 7 dager før høringsfristen)")).to_be_visible()
    expect(page.get_by_test_id("stMain").get_by_text(f"{deadline:%d.%m.%Y}").first).to_be_visible()

    # The home page lists it among the upcoming deadlines.
    page.get_by_test_id("stSidebar").get_by_role("link", name="Oversikt", exact=True).click()
    expect(heading(page, "Oversikt")).to_be_visible(timeout=20_000)
    main = page.get_by_test_id("stMain")
    expect(main.get_by_role("link", name=title).first).to_be_visible(timeout=20_000)
    expect(main.get_by_text(f"{deadline:%d.%m.%Y}").first).to_be_visible()

    # On the Høringer page, its frist is in the «Neste 30 dager» group and its internal deadline this week.
    page.get_by_test_id("stSidebar").get_by_role("link", name="Høringer", exact=True).click()
    expect(heading(page, "Høringer")).to_be_visible(timeout=20_000)
    next_30 = page.locator(".st-key-hoering_bucket_next_30")
    expect(next_30.get_by_role("heading", name="Neste 30 dager")).to_be_visible(timeout=20_000)
    row = next_30.get_by_test_id("stLayoutWrapper").filter(has=page.get_by_role("link", name=title))
    expect(row).to_have_count(1)
    expect(row.get_by_text(f"{deadline:%d.%m.%Y}")).to_be_visible()
    expect(row.get_by_text("Høringsfrist · BFD")).to_be_visible()
    this_week = page.locator(".st-key-hoering_bucket_this_week")
    expect(this_week.get_by_role("link", name=title)).to_have_count(1)


def expected_events(server_db) -> dict:
    with opened(server_db) as db:
        frame = calendar_feed.calendar_events(db, date.today())
    return {(r.kind, r.record_table, int(r.record_id)): r.day for r in frame.itertuples()}


def events_of(body: bytes) -> dict:
    """(kind, table, id) -> (start date, url) for every event, parsed with icalendar."""
    found = {}
    for event in Calendar.from_ical(body).events:
        kind, table, rest = str(event["UID"]).split("-", 2)
        start = event.start.date() if hasattr(event.start, "date") else event.start
        found[(kind, table, int(rest.split("@")[0]))] = (start.isoformat(), str(event["URL"]))
    return found


def check_calendar(body: bytes, server_db, base_url: str) -> None:
    expected = expected_events(server_db)
    found = events_of(body)
    assert len(Calendar.from_ical(body).events) == len(found) == len(expected) > 10
    assert {key: start for key, (start, _) in found.items()} == expected
    slugs = {"hoeringer": "hoeringer?id", "meetings": "moeter?id", "budget_inputs": "statsbudsjett?id",
             "budget_years": "statsbudsjett?year_id"}
    for (_kind, table, record_id), (_, url) in found.items():
        assert url == f"{base_url}/{slugs[table]}={record_id}"


def test_calendar_download_and_feed_hold_every_deadline(page: Page, base_url, server_db):
    page.goto("/hoeringer")
    expect(heading(page, "Høringer")).to_be_visible(timeout=30_000)
    page.get_by_role("button", name="Kalender").click()
    expect(page.get_by_text(f"{base_url}/calendar.ics")).to_be_visible(timeout=10_000)
    with page.expect_download() as download:
        page.get_by_role("button", name="Last ned kalenderfil (.ics)").click()
    assert download.value.suggested_filename == "krem-frister.ics"
    with open(download.value.path(), "rb") as file:
        check_calendar(file.read(), server_db, base_url)

    with urllib.request.urlopen(f"{base_url}/calendar.ics", timeout=30) as response:
        assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
        check_calendar(response.read(), server_db, base_url)


def test_timeline_opens_a_hoering(page: Page):
    page.goto("/hoeringer")
    expect(heading(page, "Høringer")).to_be_visible(timeout=30_000)
    page.get_by_role("tab", name="Tidslinje").click()
    chart = page.locator("[data-testid='stVegaLiteChart']").first
    expect(chart.locator("canvas, svg").first).to_be_visible(timeout=20_000)


def test_phone_shows_the_deadline_groups_without_sideways_scrolling(browser, base_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=base_url)
    page = context.new_page()
    page.goto("/hoeringer")
    expect(heading(page, "Høringer")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("heading", name="Neste 30 dager")).to_be_visible(timeout=20_000)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    context.close()
