"""A visitor makes last year's influence report for one organisation in a real browser: the charts, then the
Word and PDF files, which parse and hold no internal record; and the report reads on a phone."""

import io
import re
from datetime import date

import docx
import pypdf
import pytest
from playwright.sync_api import Page, expect

from krem_advocacy.store import connection, migrations
from tests.helpers import report_forum, served

TIMEOUT = 30_000
YEAR = date.today().year - 1


@pytest.fixture(scope="module")
def report_server(tmp_path_factory):
    """A server of its own on the literal report forum (last year and the year before); visitors are viewers."""
    db_path = tmp_path_factory.mktemp("report") / "report.db"
    with connection.opened(db_path) as db:
        migrations.apply(db)
        ids = report_forum(db, YEAR)
    with served(db_path) as url:
        yield url, ids


def choose(page: Page, label: str, option: str) -> None:
    """Pick an option in a Streamlit selectbox (again if a rerun closed the list while it opened)."""
    for attempt in range(3):
        page.get_by_label(label, exact=True).click()
        try:
            page.get_by_role("option", name=option, exact=True).first.click(timeout=10_000)
            return
        except Exception:
            if attempt == 2:
                raise
            page.keyboard.press("Escape")


def settled(page: Page) -> None:
    """Wait until the app has finished running the page."""
    expect(page.locator("[data-testid='stApp'][data-test-script-state='notRunning']")).to_have_count(1,
                                                                                                     timeout=TIMEOUT)


def test_a_visitor_makes_last_years_report_for_one_organisation_and_downloads_it(browser, report_server, tmp_path):
    url, _ = report_server
    context = browser.new_context(base_url=url, accept_downloads=True, locale="nb-NO",
                                  viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.goto("/")
    expect(page.get_by_role("heading", name="Oversikt", exact=True)).to_be_visible(timeout=TIMEOUT)
    page.get_by_role("link", name="Rapport", exact=True).click()
    expect(page.get_by_role("heading", name="Rapport", exact=True)).to_be_visible(timeout=TIMEOUT)

    choose(page, "Periode", str(YEAR))
    choose(page, "Rapport for", "Aleneforeldreforeningen")
    expect(page.get_by_text(f"Aleneforeldreforeningen svarte på 2 høringer i {YEAR}, 2 flere enn i {YEAR - 1}.")
           ).to_be_visible(timeout=TIMEOUT)
    settled(page)
    assert f"year={YEAR}" in page.url and "org=" in page.url

    # The charts are drawn.
    charts = page.locator("[data-testid='stVegaLiteChart']")
    expect(charts).to_have_count(8, timeout=TIMEOUT)
    drawn = page.locator("[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg")
    expect(drawn.first).to_be_visible(timeout=TIMEOUT)
    assert drawn.first.bounding_box()["height"] > 50

    # The Word file: the report's headings, its tables and a picture per chart, nothing internal.
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Last ned Word").click()
    assert download.value.suggested_filename == f"rapport-{YEAR}-affo.docx"
    word = docx.Document(io.BytesIO(open(download.value.path(), "rb").read()))
    headings = [p.text for p in word.paragraphs if p.style.name in ("Title", "Heading 1")]
    assert headings == ["Påvirkningsrapport – Aleneforeldreforeningen", "I korte trekk", "Høringssvar",
                        "Kontaktutvalget", "Tilsagn fra regjeringen", "Statsbudsjettet", "Saker som kom videre",
                        "Aktivitet over tid"]
    assert len(word.inline_shapes) == 8 and len(word.tables) > 8
    text = "\n".join(p.text for p in word.paragraphs)
    assert f"Aleneforeldreforeningen svarte på 2 høringer i {YEAR}, 2 flere enn i {YEAR - 1}." in text

    # The PDF: it opens and has the same headings.
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Last ned PDF").click()
    assert download.value.suggested_filename == f"rapport-{YEAR}-affo.pdf"
    reader = pypdf.PdfReader(io.BytesIO(open(download.value.path(), "rb").read()))
    assert [item.title for item in reader.outline if not isinstance(item, list)] == headings
    pdf = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))
    assert f"Aleneforeldreforeningen svarte på 2 høringer i {YEAR}" in pdf
    assert "Høring – NAV-kontorene" in pdf

    # The whole forum's files, as a visitor gets them: the internal høring is in neither.
    choose(page, "Rapport for", "Hele forumet")
    expect(page.get_by_text(f"Forumet svarte på 3 høringer i {YEAR}, 2 flere enn i {YEAR - 1}.")).to_be_visible(
        timeout=TIMEOUT)
    settled(page)
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Last ned PDF").click()
    reader = pypdf.PdfReader(io.BytesIO(open(download.value.path(), "rb").read()))
    pdf = " ".join(p.extract_text() for p in reader.pages)
    assert "Intern vurdering" not in pdf and "KU internt" not in pdf
    assert "Sosialtjenesteloven" in pdf
    context.close()


def test_the_report_reads_on_a_phone(browser, report_server):
    url, ids = report_server
    context = browser.new_context(base_url=url, locale="nb-NO", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"/rapport?year={YEAR}&org={ids['krem']}")
    expect(page.get_by_text(f"KREM svarte på 2 høringer i {YEAR}, 1 mer enn i {YEAR - 1}.")).to_be_visible(
        timeout=TIMEOUT)
    settled(page)
    # Two key figures side by side, and charts no wider than the screen.
    first, second = (page.get_by_test_id("stMetric").nth(i).bounding_box() for i in (0, 1))
    assert abs(first["y"] - second["y"]) < 2 and second["x"] + second["width"] <= 390
    chart = page.locator("[data-testid='stVegaLiteChart']").first
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    assert box["width"] <= 390 and box["height"] > 80
    width = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollWidth")
    assert width <= 390
    context.close()
