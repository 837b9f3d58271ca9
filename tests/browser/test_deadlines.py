"""Deadlines leadership can trust, in a real browser: the phone-first home page, and a duplicate høring."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.helpers import heading, served

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser, base_url):
    context = browser.new_context(viewport=PHONE, base_url=base_url, locale="nb-NO")
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def editor_url(tmp_path_factory):
    """A server where every session is an editor (KREM_DEV_EDITOR), with its own demo database."""
    with served(tmp_path_factory.mktemp("editor22") / "editor.db",
                env={"KREM_DEV_EDITOR": "Test Redaktør"}) as url:
        yield url


def _above_the_fold(locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] + box["height"] <= PHONE["height"]


def test_viewer_on_a_phone_sees_next_14_days_and_overdue_first_and_opens_them(phone: Page, tmp_path):
    page = phone
    page.goto("/")
    expect(heading(page, "Oversikt")).to_be_visible(timeout=30_000)
    main = page.get_by_test_id("stMain")
    upcoming = main.get_by_role("heading", name=re.compile(r"Neste 14 dager · \d+"))
    overdue = main.get_by_test_id("stExpander").filter(has_text=re.compile(r"Forfalt · \d+"))
    expect(upcoming).to_be_visible(timeout=20_000)
    expect(overdue).to_be_visible()
    expect(main.get_by_text("30 dager", exact=True)).to_be_visible(timeout=20_000)  # drawn to the end
    page.screenshot(path=str(tmp_path / "home-390.png"))
    assert _above_the_fold(upcoming) and _above_the_fold(overdue.locator("summary"))
    count = int(re.search(r"Forfalt · (\d+)", overdue.locator("summary").inner_text()).group(1))
    assert count > 0  # the demo has overdue høringer
    # Tapping the count opens the records it counts.
    overdue.locator("summary").click()
    records = overdue.get_by_role("link")
    expect(records.first).to_be_visible(timeout=10_000)
    assert records.count() == count
    title = records.first.inner_text().strip().splitlines()[-1][:30]  # the title, after the link's icon
    records.first.click()
    expect(page.get_by_role("heading", level=1, name=re.compile(re.escape(title)))).to_be_visible(timeout=20_000)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_editor_entering_an_existing_hoering_is_offered_to_open_it(browser, editor_url):
    context = browser.new_context(base_url=editor_url, locale="nb-NO", viewport=PHONE)
    page = context.new_page()
    page.goto("/hoeringer")
    expect(heading(page, "Høringer")).to_be_visible(timeout=30_000)
    page.get_by_text("Ny høring", exact=True).click()
    form = page.get_by_test_id("stExpander").filter(has_text="Ny høring")
    form.get_by_label("Tittel *").fill("Endringer i barnetrygdloven")
    form.get_by_role("textbox", name="Deres ref. / saksnummer").fill("24/109")
    form.get_by_role("textbox", name="Deres ref. / saksnummer").press("Tab")
    expect(form.get_by_text(re.compile(r"Dette ser ut til å finnes fra før"))).to_be_visible(timeout=20_000)
    expect(form.get_by_role("button", name="Lagre likevel")).to_be_visible()
    form.get_by_role("link", name="Åpne den").first.click()
    expect(page.get_by_role("heading", name=re.compile("barnetrygdloven"))).to_be_visible(timeout=20_000)
    context.close()
