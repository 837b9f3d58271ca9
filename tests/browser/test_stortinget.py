"""In a real browser: an editor takes a Storting committee hearing in and finds its deadline on the home page.

The Storting's export is a loopback server serving the saved fixture (its dates moved so the hearing's
application deadline is three days ahead); nothing here touches the network.
"""

import sqlite3
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from krem_advocacy.text import formatting
from tests.helpers import STORTINGET_FIXTURES, fixture_server, served, shifted_storting_dates

DEADLINE = date.today() + timedelta(days=3)
SHIFT = (DEADLINE - date(2026, 11, 5)).days  # hearing 11002's application deadline in the fixture
TITLE = "Nasjonal minstenorm for sosialhjelp"


@pytest.fixture(scope="module")
def storting_server(tmp_path_factory):
    body = shifted_storting_dates((STORTINGET_FIXTURES / "horinger_2026-2027.json").read_bytes(), SHIFT)
    with fixture_server({"/eksport/horinger?sesjonid=2026-2027": (200, body, "application/json")}) as export:
        db_path = tmp_path_factory.mktemp("stortinget_browser") / "krem.db"
        with served(db_path, env={"KREM_DEV_EDITOR": "Test", "KREM_STORTINGET_URL": export.url + "/eksport"}) as url:
            yield url, db_path, export


@pytest.mark.parametrize("width", [1280, 390])
def test_an_editor_takes_a_hearing_in_and_finds_its_deadline_at_home(browser, storting_server, tmp_path, width):
    url, db_path, export = storting_server
    context = browser.new_context(base_url=url, locale="nb-NO", viewport={"width": width, "height": 1400})
    page = context.new_page()
    page.goto("/hoeringer")
    expect(page.get_by_role("heading", name="Høringer", exact=True)).to_be_visible(timeout=30_000)
    page.get_by_role("tab", name="Stortinget").click()
    page.get_by_role("textbox", name="Sesjon").fill("2026-2027")
    page.get_by_role("textbox", name="Sesjon").press("Enter")
    page.get_by_role("button", name="Hent høringer fra Stortinget").click()
    card = page.locator(".st-key-stortinget_hearing_11002")
    taken_before = sqlite3.connect(db_path).execute("SELECT COUNT(*) FROM storting_taken").fetchone()[0]
    expect(page.get_by_text("høringer i sesjonen 2026-2027")).to_be_visible(timeout=30_000)
    page.screenshot(path=str(tmp_path / f"stortinget_{width}.png"), full_page=True)
    if taken_before == 0:
        expect(card.get_by_text(TITLE)).to_be_visible(timeout=30_000)
        card.get_by_role("button", name="Ta inn").click()
        expect(page.get_by_text("Tatt inn som høring:")).to_be_visible(timeout=30_000)
    else:  # the wide run took it in; the narrow one sees it is not offered again
        expect(page.get_by_text("Nasjonal minstenorm")).to_have_count(0, timeout=30_000)
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT deadline, venue FROM hoeringer WHERE title = ?", [TITLE]).fetchall() == [
            (DEADLINE.isoformat(), "stortinget")]
    page.goto("/")
    # The deadline list shows it (the title is also on the page folded away, where it is hidden).
    row = page.get_by_text(TITLE).filter(visible=True).first
    expect(row).to_be_visible(timeout=30_000)
    expect(page.get_by_text(formatting.format_date(DEADLINE.isoformat())).filter(visible=True).first).to_be_visible()
    page.screenshot(path=str(tmp_path / f"home_{width}.png"), full_page=True)
    # The Data page says when the Storting was last read.
    page.goto("/data")
    sources = page.get_by_role("heading", name="Eksterne kilder")
    expect(sources).to_be_visible(timeout=30_000)
    sources.scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / f"data_{width}.png"), full_page=True)
    context.close()
