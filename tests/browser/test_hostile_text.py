"""Hostile text typed into records is shown as plain text in the browser, never run or rendered."""

from playwright.sync_api import Page, expect

from krem_advocacy import records
from krem_advocacy.db import ensure_database, opened

HOSTILE_TITLE = "<b>fet</b><img src=x onerror=alert(1)><script>alert(2)</script> **stjerner**"


def test_hostile_title_shows_literally(page: Page, server_db):
    ensure_database(server_db)
    with opened(server_db) as db:
        sak_id = records.create(db, records.Actor("Test", "editor"), "saker",
                                {"title": HOSTILE_TITLE, "description": "<i>kursiv</i>", "status": "aktiv"})
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"/saker?id={sak_id}")
    heading = page.get_by_role("heading", level=1).first
    expect(heading).to_have_text(HOSTILE_TITLE, timeout=30_000)
    expect(page.get_by_text("<i>kursiv</i>")).to_be_visible()
    main = page.get_by_test_id("stMain")
    assert main.locator("h1 b, h1 img, h1 script, i:text('kursiv')").count() == 0
    assert dialogs == []
