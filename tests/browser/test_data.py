"""Data in and out in a real browser, as an editor: the 1,000-row Excel import, list and database exports, the feed.

The server is this module's own (an editor by the dev switch, the feed read from the stored sample file),
so nothing here touches the network.
"""

import io
import json
import re
import sqlite3

import openpyxl
import pandas as pd
import pytest
from playwright.sync_api import Page, expect

from tests.helpers import FEED_PATH, FEED_ROUTES, fixture_server, served, thousand_rows, xlsx

NBSP = "\u00a0"


@pytest.fixture(scope="module")
def data_server(tmp_path_factory):
    db_path = tmp_path_factory.mktemp("data_browser") / "data.db"
    with fixture_server(FEED_ROUTES) as feed, \
            served(db_path, env={"KREM_DEV_EDITOR": "Test", "KREM_FEED_URL": feed.url + FEED_PATH}) as url:
        yield url, db_path


@pytest.fixture
def editor(browser, data_server):
    url, db_path = data_server
    context = browser.new_context(base_url=url, accept_downloads=True, locale="nb-NO",
                                  viewport={"width": 1280, "height": 1600})
    page = context.new_page()
    yield page, db_path
    context.close()


def open_tab(page: Page, path: str, tab: str | None = None) -> None:
    page.goto(path)
    expect(page.get_by_role("heading", name="Data", exact=True)).to_be_visible(timeout=30_000)
    if tab:
        page.get_by_role("tab", name=tab).click()


def count(db_path, sql="SELECT COUNT(*) FROM hoeringer"):
    with sqlite3.connect(db_path) as conn:
        return conn.execute(sql).fetchone()[0]


def upload(page: Page, path) -> None:
    page.get_by_test_id("stFileUploader").locator("input[type=file]").set_input_files(str(path))


def download(page: Page, button_name: str):
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name=button_name, exact=True).click()
    return info.value.path().read_bytes()


def test_importing_a_thousand_row_excel_file_with_three_bad_rows(editor, tmp_path):
    page, db_path = editor
    bad = tmp_path / "hoeringer.xlsx"
    bad.write_bytes(xlsx(thousand_rows(bad=True)))
    open_tab(page, "/data")
    before = count(db_path)
    page.get_by_role("tab", name="Importer").click()
    upload(page, bad)
    expect(page.get_by_text("3 rader har feil. Ingenting er lagret.")).to_be_visible(timeout=60_000)
    table = page.get_by_test_id("stTable")
    expect(table.locator("tbody tr")).to_have_count(3, timeout=30_000)
    expect(table.locator("tbody tr").nth(0)).to_contain_text("Høringsfrist: må være en gyldig dato («31.02.2025»)")
    expect(table.locator("tbody tr").nth(1)).to_contain_text("finnes ikke blant organisasjonene")
    expect(table.locator("tbody tr").nth(2)).to_contain_text("Tittel: må fylles ut")
    assert [table.locator("tbody tr").nth(i).locator("td, th").first.inner_text() for i in range(3)] == \
        ["101", "501", "901"]
    expect(page.get_by_role("button", name=re.compile("^Importer .* rader$"))).to_have_count(0)
    assert count(db_path) == before

    fixed = tmp_path / "hoeringer-rettet.xlsx"
    fixed.write_bytes(xlsx(thousand_rows(bad=False)))
    upload(page, fixed)
    commit = page.get_by_role("button", name=f"Importer 1{NBSP}000 rader")
    expect(commit).to_be_visible(timeout=60_000)
    commit.click()
    expect(page.get_by_text(f"er lagret: 1{NBSP}000 lagt til, 0 oppdatert, 0 hoppet over")).to_be_visible(
        timeout=60_000)
    assert count(db_path) == before + 1000

    # The same file once more (a copy: the browser's uploader ignores the very same file chosen twice).
    page.get_by_role("button", name="Remove hoeringer-rettet.xlsx").click()
    expect(page.get_by_test_id("stFileChip")).to_have_count(0)
    # Wait for the server's rerun after the removal before choosing the next file.
    expect(page.get_by_text("Kolonner: 7 av 7 gjenkjent")).to_have_count(0, timeout=60_000)
    again = tmp_path / "hoeringer-igjen.xlsx"
    again.write_bytes(fixed.read_bytes())
    upload(page, again)
    expect(page.get_by_text("Importen av hoeringer-rettet.xlsx")).to_have_count(0, timeout=60_000)
    expect(page.get_by_text("Alt i fila finnes allerede. Ingenting å importere.")).to_be_visible(timeout=60_000)
    assert count(db_path) == before + 1000


def test_a_list_exports_as_csv_and_excel_with_clickable_links(editor):
    page, db_path = editor
    page.goto("/hoeringer")
    expect(page.get_by_role("heading", name="Høringer", exact=True)).to_be_visible(timeout=30_000)
    page.get_by_role("tab", name="Alle høringer").click()  # the list is in its own tab
    rows = count(db_path)
    page.get_by_role("tab", name="Alle høringer").click()  # the list (with its downloads) is the second tab
    excel = download(page, "Excel")
    frame = pd.read_excel(io.BytesIO(excel))
    assert len(frame) == rows
    # As on the page: frist, status and title first (what a phone shows), the link last.
    assert list(frame.columns)[:3] == ["Høringsfrist", "Vår status", "Høring"] and frame.columns[-1] == "Lenke"
    sheet = openpyxl.load_workbook(io.BytesIO(excel)).active
    assert sheet.freeze_panes == "A2"
    link = sheet.cell(row=2, column=sheet.max_column).hyperlink.target
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/hoeringer\?id=\d+", link)
    page.goto(link)
    expect(page.get_by_role("heading", name=str(frame.iloc[0]["Høring"]))).to_be_visible(timeout=30_000)

    page.goto("/hoeringer")
    expect(page.get_by_role("heading", name="Høringer", exact=True)).to_be_visible(timeout=30_000)
    page.get_by_role("tab", name="Alle høringer").click()
    csv = pd.read_csv(io.BytesIO(download(page, "CSV")))
    assert list(csv.columns) == list(frame.columns) and len(csv) == rows


def test_the_whole_database_downloads_as_sqlite_and_json(editor, tmp_path):
    page, db_path = editor
    open_tab(page, "/data", "Eksporter")
    copy = tmp_path / "copy.db"
    copy.write_bytes(download(page, "Last ned databasen (SQLite)"))
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT COUNT(*) FROM hoeringer").fetchone()[0] == count(db_path)
        assert conn.execute("SELECT COUNT(*) FROM hoeringer WHERE internal_notes IS NOT NULL").fetchone()[0] > 0
    dump = json.loads(download(page, "Last ned alt som JSON"))
    saker = dump["tables"]["saker"]
    assert len(pd.DataFrame(saker["rows"], columns=saker["columns"])) == count(db_path, "SELECT COUNT(*) FROM saker")
    page.get_by_role("combobox").first.click()
    page.get_by_role("option", name="Høringer", exact=True).click()
    table = pd.read_excel(io.BytesIO(download(page, "Last ned hoeringer.xlsx")))
    assert len(table) == count(db_path) and "internal_notes" in table.columns


def test_new_consultations_from_the_feed_are_picked_and_added(editor):
    page, db_path = editor
    open_tab(page, "/data", "Regjeringen.no")
    page.get_by_role("button", name="Hent nye høringer").click()
    expect(page.get_by_text("4 nye av 6 i feeden")).to_be_visible(timeout=30_000)
    page.get_by_text("Høring – NOU 2026: 3 Et tryggere boligmarked for alle").click()
    page.get_by_role("button", name="Legg til valgte (1)").click()
    expect(page.get_by_text("1 høring er lagt til:")).to_be_visible(timeout=30_000)
    assert count(db_path, "SELECT COUNT(*) FROM feed_seen WHERE hoering_id IS NOT NULL") == 1
    page.get_by_role("link", name="Høring – NOU 2026: 3 Et tryggere boligmarked for alle").click()
    expect(page.get_by_role("heading", name="Høring – NOU 2026: 3 Et tryggere boligmarked for alle")).to_be_visible(
        timeout=30_000)
    expect(page.get_by_text("Departement/etat Kommunal- og distriktsdepartementet")).to_be_visible()
