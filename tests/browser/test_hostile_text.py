"""Hostile text typed into records is shown as plain text in the browser, never run or rendered."""

from playwright.sync_api import Page, expect

from krem_advocacy.domain.bootstrap import ensure_database
from krem_advocacy.store import records
from krem_advocacy.store.connection import opened

# Script elements holding what was typed (the app's own scripts are not typed text).
INJECTED_SCRIPTS = "[...document.querySelectorAll('script')].some(s => s.textContent.includes('alert('))"
HOSTILE_TITLE = "<b>fet</b><img src=x onerror=alert(1)><script>alert(2)</script> **stjerner**"


def test_hostile_title_shows_literally(page: Page, server_db, editor):
    ensure_database(server_db)
    with opened(server_db) as db:
        sak_id = records.create(db, editor, "saker",
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


def test_hostile_text_in_a_meeting_and_a_hoering_shows_literally(page: Page, server_db, editor):
    from datetime import date, timedelta

    from krem_advocacy.domain import hoeringer, meetings

    ensure_database(server_db)
    soon = date.today() + timedelta(days=2)
    with opened(server_db) as db:
        meeting = meetings.create_meeting(db, editor, {"title": HOSTILE_TITLE, "kind": "forum",
                                                       "starts_at": f"{soon}T10:00", "place": "<i>Oslo</i>"})
        meetings.create_agenda_item(db, editor, meeting, {"title": "[Klikk](javascript:alert(3))",
                                                         "summary": "<script>alert(4)</script> _tekst_"})
        meetings.create_tilsagn(db, editor, meeting, {"text": "<img src=x onerror=alert(5)> **lovet**"})
        hoeringer.create_hoering(db, editor, {"title": "<b>Høring</b><script>alert(6)</script>",
                                              "published_on": date.today().isoformat(),
                                              "deadline": soon.isoformat()})
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"/moeter?id={meeting}")
    expect(page.get_by_role("heading", level=1).first).to_have_text(HOSTILE_TITLE, timeout=30_000)
    main = page.get_by_test_id("stMain")
    for text in ("<i>Oslo</i>", "[Klikk](javascript:alert(3))", "<script>alert(4)</script> _tekst_",
                 "<img src=x onerror=alert(5)> **lovet**"):
        expect(main.get_by_text(text, exact=False).first).to_be_visible()
    assert main.locator("i:text('Oslo'), a[href^='javascript'], img[src='x'], em:text('tekst')").count() == 0
    assert not page.evaluate(INJECTED_SCRIPTS)
    page.goto("/hoeringer")  # the høring's frist is among the deadlines due this week
    expect(page.get_by_text("<b>Høring</b><script>alert(6)</script>").first).to_be_visible(timeout=30_000)
    assert page.get_by_test_id("stMain").locator("b:text('Høring')").count() == 0
    assert not page.evaluate(INJECTED_SCRIPTS)
    assert dialogs == []
