"""Journeys in a real browser: leadership checks deadlines on a phone; a viewer finds no way to edit.

(A newcomer's first visit is in test_navigation.py; a representative preparing a meeting and downloading
the brief is in test_meetings.py; that no page gives a viewer a data editor is checked through AppTest in
tests/test_access_pages.py.)
"""

import re
import sqlite3
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from krem_advocacy.domain import hoeringer
from krem_advocacy.domain.bootstrap import ensure_database
from krem_advocacy.store.connection import opened
from tests.helpers import heading

PHONE = {"width": 390, "height": 844}
NAV = ["Oversikt", "Saker", "Høringer", "Statsbudsjett", "Møter", "Organisasjoner", "Data", "Endringslogg",
       "Administrasjon"]
# Words on controls that change data. A viewer may filter, search, sort, download and sign in.
EDITING = re.compile(r"Lagre|Rediger|Endre|Ny |Nytt|Slett|Fjern|Arkiver|Gjenopprett|Legg til|Registrer|"
                     r"Importer|Last opp|Opprett|Marker|Flytt|^Opp$|^Ned$|Sikkerhetskopi|Intern post", re.I)


def no_sideways_scrolling(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def colour(locator) -> tuple[int, int, int]:
    text = locator.evaluate("e => getComputedStyle(e).color")
    return tuple(int(n) for n in re.findall(r"\d+", text)[:3])


@pytest.fixture
def phone(browser, base_url):
    context = browser.new_context(viewport=PHONE, base_url=base_url, locale="nb-NO", is_mobile=True,
                                  has_touch=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def due_this_week(server_db, editor):
    """A høring due in three days that leadership must see this week (added to the browser database)."""
    ensure_database(server_db)
    today = date.today()
    title = "Høring – frist denne uken (mobiltest)"
    with opened(server_db) as db:
        found = db.execute("SELECT id FROM hoeringer WHERE title = ?", [title]).fetchone()
        if found:
            return found[0], title
        departments = db.execute("SELECT id FROM organisations WHERE short_name = 'ASD'").fetchone()
        hoering_id = hoeringer.create_hoering(db, editor, {
            "title": title, "department_id": departments[0], "published_on": (today - timedelta(days=40)).isoformat(),
            "deadline": (today + timedelta(days=10)).isoformat(), "internal_deadline_manual": True,
            "internal_deadline": (today + timedelta(days=3)).isoformat(), "our_status": "svarer"}, today)
    return hoering_id, title


def test_leadership_checks_deadlines_on_a_phone(phone: Page, due_this_week):
    _, title = due_this_week
    page = phone
    page.goto("/")
    expect(heading(page, "Oversikt")).to_be_visible(timeout=30_000)
    assert no_sideways_scrolling(page)
    # The menu is folded away on a phone: open it and go to Høringer.
    page.get_by_test_id("stExpandSidebarButton").click()
    page.get_by_test_id("stSidebar").get_by_role("link", name="Høringer", exact=True).click()
    expect(heading(page, "Høringer")).to_be_visible(timeout=20_000)
    # The menu folds away again by itself, so the page can be seen.
    expect(page.get_by_test_id("stSidebar")).to_have_attribute("data-collapsed", "true", timeout=10_000)
    # The page opens on the deadlines, in groups by urgency, each in its colour.
    expect(page.get_by_role("tab", name=re.compile("Frister"))).to_have_attribute("aria-selected", "true")
    overdue = page.locator(".st-key-hoering_bucket_overdue")
    week = page.locator(".st-key-hoering_bucket_this_week")
    expect(overdue.get_by_role("heading", name=re.compile(r"Forfalt · \d+"))).to_be_visible(timeout=20_000)
    expect(week.get_by_role("heading", name=re.compile(r"Innen 7 dager · \d+"))).to_be_visible()
    red = colour(overdue.locator(".stMarkdownBadge").first)
    orange = colour(week.locator(".stMarkdownBadge").first)
    assert red[0] > red[1] + 60 and red[0] > red[2] + 60, red  # red: overdue
    assert orange[0] > orange[2] + 60 and orange[1] > orange[2], orange  # orange: due within a week
    assert red != orange
    expect(week.get_by_text("om 3 dager").first).to_be_visible()
    assert no_sideways_scrolling(page)
    # The høring due this week opens from its group.
    link = week.get_by_role("link", name=title).first
    link.scroll_into_view_if_needed()
    assert no_sideways_scrolling(page)
    link.click()
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible(timeout=20_000)
    # It opens at its top (not where the list was scrolled to), with its frist and urgency.
    page.wait_for_timeout(300)
    assert page.get_by_test_id("stMain").evaluate("pane => pane.scrollTop") == 0
    expect(page.get_by_text("Høringsfrist").first).to_be_visible()
    expect(page.get_by_text(re.compile(r"om 10 dager")).first).to_be_visible()
    assert no_sideways_scrolling(page)


def _no_editing_controls(page: Page, where: str) -> None:
    main = page.get_by_test_id("stMain")
    expect(page.get_by_test_id("stException")).to_have_count(0)
    labels = [b.inner_text().strip() for b in main.get_by_role("button").all()]
    editing = [label for label in labels if EDITING.search(label)]
    assert editing == [], f"{where}: {editing}"
    assert main.get_by_test_id("stFileUploader").count() == 0, where
    assert main.get_by_role("switch").count() == 0, where  # edit and «internal» toggles
    assert main.get_by_role("checkbox").count() == 0, where
    assert main.locator("textarea").count() == 0, where  # no free text to type into a record


def test_a_viewer_finds_no_way_to_edit(page: Page, server_db):
    page.goto("/")
    expect(heading(page, "Oversikt")).to_be_visible(timeout=30_000)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text("bare lesing")).to_be_visible()
    for name in NAV:
        sidebar.get_by_role("link", name=name, exact=True).click()
        expect(page.get_by_role("heading", level=1).first).to_be_visible(timeout=20_000)
        page.wait_for_timeout(300)
        _no_editing_controls(page, name)
        for tab in page.get_by_test_id("stMain").get_by_role("tab").all():  # every view of the page
            tab.click()
            page.wait_for_timeout(500)
            _no_editing_controls(page, f"{name} / {tab.inner_text()}")
    assert "Importer" not in page.get_by_test_id("stMain").inner_text()
    with sqlite3.connect(server_db) as conn:
        one_of_each = {slug: conn.execute(f"SELECT MAX(id) FROM {table} WHERE is_internal = 0").fetchone()[0]
                       for slug, table in (("saker", "saker"), ("hoeringer", "hoeringer"),
                                           ("statsbudsjett", "budget_inputs"), ("moeter", "meetings"),
                                           ("organisasjoner", "organisations"))}
        person = conn.execute("SELECT MAX(id) FROM people WHERE is_internal = 0").fetchone()[0]
    for slug, record_id in one_of_each.items():
        page.goto(f"/{slug}?id={record_id}")
        expect(page.get_by_role("heading", level=1).first).to_be_visible(timeout=20_000)
        page.wait_for_timeout(300)
        _no_editing_controls(page, f"{slug}?id={record_id}")
    page.goto(f"/organisasjoner?person={person}")
    expect(page.get_by_role("heading", level=1).first).to_be_visible(timeout=20_000)
    _no_editing_controls(page, "person")
