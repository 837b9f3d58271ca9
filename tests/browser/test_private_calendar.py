"""The calendar feeds in a real browser and a live server: the public feed leaves internal records out; an
editor makes a private address in the Kalender popover that gives them, revokes it, and it stops working."""

import sqlite3
import urllib.error
import urllib.request

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from krem_advocacy.domain import accounts as auth
from tests.helpers import heading, served

PASSWORD = "riktig hest batteri"
INTERNAL = "Intern høring om strategi"


@pytest.fixture(scope="module")
def calendar_server(tmp_path_factory):
    """A server of its own (serve.py, so the feed is mounted) with a password account in its secrets."""
    folder = tmp_path_factory.mktemp("calendar")
    secrets = folder / "secrets.toml"
    secrets.write_text("[auth_users.kari]\nname = \"Kari Nordmann\"\nrole = \"editor\"\n"
                       f"password_hash = \"{auth.hash_password(PASSWORD)}\"\n", encoding="utf-8")
    db_path = folder / "calendar.db"
    with served(db_path, entry="serve.py", env={"STREAMLIT_SECRETS_FILES": str(secrets)}) as url:
        yield url, db_path


def fetch(url: str) -> tuple[int, set[str]]:
    """The status and the event titles of a calendar address."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            body = response.read()
    except urllib.error.HTTPError as refused:
        return refused.code, set()
    return 200, {str(e["SUMMARY"]).split(": ", 1)[-1] for e in Calendar.from_ical(body).events}


def test_an_editor_makes_a_private_address_that_gives_internal_records_until_revoked(browser, calendar_server):
    url, db_path = calendar_server
    context = browser.new_context(base_url=url, viewport={"width": 1280, "height": 900}, locale="nb-NO")
    page = context.new_page()
    page.goto("/hoeringer")
    expect(heading(page, "Høringer")).to_be_visible(timeout=30_000)
    with sqlite3.connect(db_path) as conn:  # the demo data is in place once a page has been drawn
        department = conn.execute("SELECT id FROM organisations WHERE kind = 'department' LIMIT 1").fetchone()[0]
        conn.execute("INSERT INTO hoeringer (title, department_id, deadline, our_status, is_internal, created_at, "
                     "updated_at) VALUES (?, ?, date('now', '+20 days'), 'svarer', 1, datetime('now'), "
                     "datetime('now'))", [INTERNAL, department])
    status, public = fetch(f"{url}/calendar.ics")
    assert status == 200 and public and INTERNAL not in public

    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("Logg inn", exact=True).first.click()
    sidebar.get_by_label("Brukernavn").fill("kari")
    sidebar.get_by_label("Passord", exact=True).fill(PASSWORD)
    sidebar.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_text("Innlogget som Kari Nordmann (Redaktør)")).to_be_visible(timeout=20_000)

    page.get_by_role("button", name="Kalender").click()
    page.get_by_role("button", name="Lag privat adresse").click()
    expect(page.get_by_text("den vises bare nå", exact=False)).to_be_visible(timeout=20_000)
    private = page.get_by_text(f"{url}/calendar.ics?token=", exact=False).first.inner_text().strip()
    status, full = fetch(private)
    assert status == 200 and INTERNAL in full and public <= full

    page.get_by_role("button", name="Trekk tilbake").click()
    expect(page.get_by_text("Den private adressen er trukket tilbake.", exact=False)).to_be_visible(timeout=20_000)
    assert fetch(private)[0] == 403
    assert fetch(f"{url}/calendar.ics")[0] == 200
    context.close()
