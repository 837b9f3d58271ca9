"""A newcomer's first visit in a real browser: every page through the sidebar, the home chart, deep links."""

import re
import sqlite3

from playwright.sync_api import Page, expect

from tests.helpers import heading

PAGES = [("Saker", "Saker"), ("Høringer", "Høringer"), ("Statsbudsjett", "Statsbudsjett"),
         ("Møter", "Møter"), ("Organisasjoner", "Organisasjoner"), ("Data", "Data"), ("Oversikt", "Oversikt")]


def test_every_page_opens_from_the_sidebar(page: Page):
    page.goto("/")
    expect(heading(page, "Oversikt")).to_be_visible(timeout=30_000)
    sidebar = page.get_by_test_id("stSidebar")
    for link_text, title in PAGES:
        sidebar.get_by_role("link", name=link_text, exact=True).click()
        expect(heading(page, title)).to_be_visible(timeout=20_000)
        expect(page.get_by_test_id("stException")).to_have_count(0)


def test_home_shows_deadlines_and_the_activity_chart(page: Page):
    page.goto("/")
    expect(page.get_by_role("heading", name=re.compile(r"Neste 14 dager · \d+"))).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Forfalt").first).to_be_visible()
    chart = page.locator("[data-testid='stVegaLiteChart']").first
    chart.scroll_into_view_if_needed()
    expect(chart.locator("canvas, svg").first).to_be_visible(timeout=20_000)


def test_deep_link_opens_the_record_on_first_visit(page: Page, server_db):
    page.goto("/")  # make sure the database exists, then open a record by its link in a new page
    expect(heading(page, "Oversikt")).to_be_visible(timeout=30_000)
    with sqlite3.connect(server_db) as conn:
        hoering_id, title = conn.execute(
            "SELECT id, title FROM hoeringer WHERE their_ref = '24/109'").fetchone()
    page.goto(f"/hoeringer?id={hoering_id}")
    expect(page.get_by_role("heading", name=re.compile("barnetrygdloven"))).to_be_visible(timeout=30_000)
    expect(page.get_by_text("06.02.2024").first).to_be_visible()


def test_language_switch_survives_navigation_and_is_in_the_link(page: Page):
    page.goto("/")
    expect(heading(page, "Oversikt")).to_be_visible(timeout=30_000)
    page.get_by_test_id("stSidebar").get_by_text("English", exact=True).click()
    expect(heading(page, "Overview")).to_be_visible(timeout=20_000)
    assert "lang=en" in page.url
    page.get_by_test_id("stSidebar").get_by_role("link", name="Consultations").click()
    expect(heading(page, "Consultations")).to_be_visible(timeout=20_000)


def test_phone_sized_screen_shows_deadlines_without_sideways_scrolling(browser, base_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=base_url)
    page = context.new_page()
    page.goto("/")
    expect(heading(page, "Oversikt")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Forfalt").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    context.close()
