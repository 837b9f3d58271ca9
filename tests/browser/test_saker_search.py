"""Journeys in a real browser: searching from the sidebar, a sak's trail, and an editor adding a sak."""

import re
import sqlite3

import pytest
from playwright.sync_api import Page, expect

from krem_advocacy.domain import saker
from krem_advocacy.store.connection import opened
from tests.helpers import heading, served

SEARCH_PLACEHOLDER = "Søk i saker, høringer, møter …"


def search_from_sidebar(page: Page, words: str) -> None:
    box = page.get_by_test_id("stSidebar").get_by_placeholder(SEARCH_PLACEHOLDER)
    box.fill(words)
    box.press("Enter")
    expect(page.get_by_role("heading", name="Søk", exact=True)).to_be_visible(timeout=20_000)


def main(page: Page):
    return page.get_by_test_id("stMain")


def test_searching_barnetrygd_finds_the_hoering_and_opens_it(page: Page):
    page.goto("/")
    expect(heading(page, "Oversikt", exact=False)).to_be_visible(timeout=30_000)
    search_from_sidebar(page, "barnetrygd")
    assert "q=barnetrygd" in page.url  # the results have a link of their own
    main(page).get_by_role("link", name="Høring – Forslag til endringer i barnetrygdloven").click()
    expect(heading(page, re.compile("Forslag til endringer i barnetrygdloven"), exact=False)).to_be_visible(
        timeout=20_000)
    expect(page.get_by_text("24/109").first).to_be_visible()


def test_searching_bolig_finds_the_housing_sak_and_the_records_linked_to_it(page: Page):
    page.goto("/saker")
    expect(heading(page, "Saker", exact=False)).to_be_visible(timeout=30_000)
    search_from_sidebar(page, "bolig")
    body = main(page)
    expect(body.get_by_role("link", name="Rett til egnet bolig for alle")).to_be_visible()
    expect(body.get_by_text("Knyttet til sakene du fant")).to_be_visible()
    # A høring on the housing sak whose own text has no «bolig»: found through the sak.
    body.get_by_role("link", name="Høring – endringer i husleieloven").click()
    expect(heading(page, "Høring – endringer i husleieloven", exact=False)).to_be_visible(timeout=20_000)
    # Known issue (see the closing note): the browser's Back button from a record to the results page
    # comes back to «sok» without its «q», so search again from the sidebar.
    search_from_sidebar(page, "bolig")
    expect(main(page).get_by_role("link", name="Rett til egnet bolig for alle")).to_be_visible(timeout=20_000)
    main(page).get_by_role("link", name="Rett til egnet bolig for alle").click()
    expect(heading(page, "Rett til egnet bolig for alle", exact=False)).to_be_visible(timeout=20_000)
    expect(page.get_by_text("Sporet: alt som er gjort på saken")).to_be_visible()


def test_a_search_with_no_hits_says_so(page: Page):
    page.goto("/moeter")
    expect(heading(page, "Møter", exact=False)).to_be_visible(timeout=30_000)
    search_from_sidebar(page, "qqqxyz")
    expect(main(page).get_by_text("Ingen treff for «qqqxyz».")).to_be_visible()


def test_a_sak_page_lists_its_whole_trail_and_each_record_opens_its_own_page(page: Page, server_db):
    page.goto("/")
    expect(heading(page, "Oversikt", exact=False)).to_be_visible(timeout=30_000)
    with opened(server_db) as db:
        sak_id = db.execute("SELECT id FROM saker WHERE title = 'Rett til egnet bolig for alle'").fetchone()[0]
        trail = saker.trail(db, sak_id)
    titles = list(trail["title"])
    assert set(trail["kind"]) == {"hoering", "budget_input", "agenda_item", "tilsagn"}
    page.goto(f"/saker?id={sak_id}")
    expect(heading(page, "Rett til egnet bolig for alle", exact=False)).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Sporet: alt som er gjort på saken")).to_be_visible()
    links = main(page).get_by_test_id("stPageLink-NavLink")
    expect(links.nth(len(titles))).to_be_visible()
    # Each link reads «<icon name>\n<title>»; after «Alle saker» they are the trail, in date order.
    shown = [text.strip().split("\n")[-1].strip() for text in links.all_inner_texts()][1:]
    assert [t for t in shown if t != "Endringshistorikk"] == titles  # the change-log link is not trail
    # One record of each kind, opened from the trail: each lands on its own page.
    first = {kind: trail[trail["kind"] == kind].iloc[0] for kind in ("hoering", "budget_input", "agenda_item",
                                                                       "tilsagn")}
    with opened(server_db) as db:
        meeting_titles = dict(db.execute("SELECT id, title FROM meetings").fetchall())
    for row in first.values():
        # Høringer and budget inputs open their own page; innlegg and tilsagn open the meeting they belong to.
        landing_title = meeting_titles[int(row["record_id"])] if row["record_table"] == "meetings" else row["title"]
        page.goto(f"/saker?id={sak_id}")
        expect(heading(page, "Rett til egnet bolig for alle", exact=False)).to_be_visible(timeout=30_000)
        main(page).get_by_role("link", name=row["title"], exact=True).first.click()
        expect(page.get_by_role("heading", name=landing_title, exact=True)).to_be_visible(timeout=20_000)
        expected_page = {"hoeringer": "/hoeringer", "budget_inputs": "/statsbudsjett", "meetings": "/moeter"}
        assert f"{expected_page[row['record_table']]}?id={int(row['record_id'])}" in page.url


def test_on_a_phone_the_search_is_in_the_menu_and_the_trail_fits(browser, base_url, server_db):
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=base_url)
    page = context.new_page()
    page.goto("/")
    expect(heading(page, "Oversikt", exact=False)).to_be_visible(timeout=30_000)
    page.get_by_test_id("stExpandSidebarButton").click()
    search_from_sidebar(page, "bolig")
    main(page).get_by_role("link", name="Rett til egnet bolig for alle").click()
    expect(heading(page, "Rett til egnet bolig for alle", exact=False)).to_be_visible(timeout=20_000)
    expect(page.get_by_text("Sporet: alt som er gjort på saken")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    context.close()


@pytest.fixture(scope="module")
def editor_url(tmp_path_factory):
    # A second server where everyone is an editor (the documented KREM_DEV_EDITOR switch).
    db_path = tmp_path_factory.mktemp("editor") / "editor.db"
    with served(db_path, env={"KREM_DEV_EDITOR": "Test Redaktør"}) as url:
        yield url, db_path


def test_an_editor_adds_a_sak_and_search_finds_it_at_once(browser, editor_url):
    url, db_path = editor_url
    context = browser.new_context(base_url=url, viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.goto("/saker")
    expect(heading(page, "Saker", exact=False)).to_be_visible(timeout=30_000)
    main(page).get_by_text("Ny sak", exact=True).click()
    form = main(page).get_by_test_id("stForm").first
    form.get_by_label("Tittel", exact=True).fill("Gjeldsrådgivning for alle")
    easy_read = form.get_by_role("textbox", name="Kort fortalt (lettlest)")
    easy_read.fill("Mange har gjeld. Vi vil at alle skal få gratis råd.")
    form.get_by_role("button", name="Lagre").click()
    expect(heading(page, "Gjeldsrådgivning for alle", exact=False)).to_be_visible(timeout=20_000)
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT actor, action FROM audit_log WHERE table_name = 'saker'").fetchall() == [
            ("Test Redaktør", "create")]
    search_from_sidebar(page, "gjeld")
    expect(main(page).get_by_role("link", name="Gjeldsrådgivning for alle")).to_be_visible()
    context.close()
