"""The budget journey in a real browser: add an ask for kap. 621 post 70, move it through the phases,
record the adopted amount, and see it in the charts and its hearing deadline on the home page."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.helpers import heading, served

NBSP = "\u00a0"


@pytest.fixture(scope="module")
def editor_url(tmp_path_factory):
    """A server of its own where the default actor is an editor (KREM_DEV_EDITOR), on a fresh demo database."""
    with served(tmp_path_factory.mktemp("budget") / "budget.db", env={"KREM_DEV_EDITOR": "Test"}) as url:
        yield url


@pytest.fixture
def editor_page(browser, editor_url):
    context = browser.new_context(base_url=editor_url, locale="nb-NO", viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    yield page
    context.close()


def type_date(page: Page, label: str, day: date) -> None:
    field = page.get_by_label(label, exact=True)
    field.click()
    field.press_sequentially(day.strftime("%d.%m.%Y"))
    field.press("Escape")


def test_an_ask_for_kap_621_post_70_follows_the_budget_year(editor_page: Page):
    page = editor_page
    today = date.today()
    deadline = today + timedelta(days=5)
    title = "Nettlesertest – frivillig arbeid kap. 621 post 70"

    page.goto("/statsbudsjett")
    expect(heading(page, "Statsbudsjett", exact=False)).to_be_visible(timeout=30_000)
    page.get_by_role("link", name="Nytt budsjettinnspill").click()
    expect(heading(page, "Nytt budsjettinnspill", exact=False)).to_be_visible(timeout=20_000)

    page.get_by_label("Tittel", exact=True).fill(title)
    page.get_by_label("Kap.", exact=True).fill("621")
    page.get_by_label("Post", exact=True).fill("7")  # a typing slip first: the form says what is wrong
    page.get_by_label("Postens navn", exact=True).fill("Frivillig arbeid")
    page.get_by_label("Beløp vi ber om", exact=True).fill("1,5 mill")
    page.get_by_label("Beløp i Prop. 1 S", exact=True).fill("1 200 000")
    type_date(page, "Søknadsfrist budsjetthøring", deadline)
    type_date(page, "Budsjetthøring", deadline + timedelta(days=7))
    page.get_by_role("button", name="Opprett innspillet").click()
    expect(page.get_by_text("må ha to sifre, f.eks. 70 eller 01")).to_be_visible(timeout=20_000)

    page.get_by_label("Post", exact=True).fill("70")
    page.get_by_role("button", name="Opprett innspillet").click()
    expect(heading(page, title, exact=False)).to_be_visible(timeout=20_000)
    assert re.search(r"statsbudsjett\?id=\d+", page.url)
    expect(page.get_by_text("kap. 621 post 70").first).to_be_visible()
    expect(page.get_by_text(f"1{NBSP}500{NBSP}000{NBSP}kr")).to_be_visible()
    expect(page.get_by_text(deadline.strftime("%d.%m.%Y")).first).to_be_visible()

    for phase in ("Prop. 1 S", "Budsjetthøring i Stortinget", "Innstilling/forlik", "Vedtatt budsjett"):
        page.get_by_role("button", name=f"Neste fase: {phase}").click()
        expect(page.get_by_text(f"Innspillet er flyttet til «{phase}».")).to_be_visible(timeout=20_000)

    page.get_by_label("Vedtatt beløp", exact=True).first.fill("1,4 mill")  # the quick field, not the form
    page.get_by_role("button", name="Lagre vedtatt beløp").click()
    expect(page.get_by_text("Vedtatt beløp er lagret.")).to_be_visible(timeout=20_000)
    expect(page.get_by_text(f"1{NBSP}400{NBSP}000{NBSP}kr").first).to_be_visible()
    outcome = page.get_by_test_id("stMarkdownContainer").filter(has_text=re.compile(r"^Utfall\s*Delvis$"))
    expect(outcome.first).to_be_visible()  # above Prop. 1 S, below the ask: partly met
    record_url = page.url
    page.get_by_role("link", name="Endringshistorikk").click()  # the change log, for this input
    expect(heading(page, "Endringslogg", exact=False)).to_be_visible(timeout=20_000)
    expect(page.get_by_text("6 endringer")).to_be_visible()  # created, four phases, the adopted amount
    page.goto(record_url)
    expect(heading(page, title, exact=False)).to_be_visible(timeout=20_000)

    page.get_by_role("link", name="Alle budsjettinnspill").click()
    expect(heading(page, "Statsbudsjett", exact=False)).to_be_visible(timeout=20_000)
    page.get_by_role("tab", name="Diagrammer").click()
    charts = page.locator("[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg")
    expect(charts.first).to_be_visible(timeout=20_000)
    assert charts.count() >= 4
    page.get_by_text("Tallene bak diagrammet").click()
    # The demo's inputs for next year have no adopted amounts yet: the year's adopted sum is ours.
    year_row = page.locator("table tr", has_text=str(today.year + 1))
    expect(year_row).to_contain_text(f"1{NBSP}400{NBSP}000{NBSP}kr")

    page.get_by_test_id("stSidebar").get_by_role("link", name="Oversikt", exact=True).click()
    expect(heading(page, "Oversikt", exact=False)).to_be_visible(timeout=20_000)
    deadline_row = page.locator("[data-testid='stVerticalBlock']", has_text=title).filter(
        has_text="Søknadsfrist budsjetthøring").last
    expect(deadline_row).to_contain_text(deadline.strftime("%d.%m.%Y"))
    page.get_by_role("link", name=title).first.click()
    expect(heading(page, title, exact=False)).to_be_visible(timeout=20_000)


def test_the_budget_year_view_opens_from_its_link(editor_page: Page):
    page = editor_page
    year = date.today().year + 1
    page.goto(f"/statsbudsjett?year={year}")
    expect(page.get_by_text("4. Innstilling/forlik")).to_be_visible(timeout=30_000)
    expect(heading(page, "Det som kommer", exact=False)).to_be_visible()
    expect(page.get_by_text("Rammevedtak").first).to_be_visible()


def test_back_link_leaves_the_record_for_good(editor_page: Page):
    # A link to the page already open must also change the address, or the next click brings the record back.
    page = editor_page
    page.goto("/statsbudsjett?id=1")
    expect(page.get_by_role("link", name="Alle budsjettinnspill")).to_be_visible(timeout=30_000)
    page.get_by_role("link", name="Alle budsjettinnspill").click()
    expect(heading(page, "Statsbudsjett", exact=False)).to_be_visible(timeout=20_000)
    expect(page).to_have_url(re.compile(r"/statsbudsjett$"))
    page.get_by_label("Søk i listen").fill("621")
    page.get_by_label("Søk i listen").press("Enter")
    expect(page.get_by_text(re.compile(r"^\d+ treff"))).to_be_visible(timeout=20_000)
    expect(heading(page, "Statsbudsjett", exact=False)).to_be_visible()
