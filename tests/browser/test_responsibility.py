"""«Mitt ansvar» in a real browser: an editor makes a colleague responsible for a høring; the colleague signs
in and finds it on «Mitt ansvar», overdue first, one click from the record."""

import sqlite3
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from krem_advocacy.domain import accounts as auth
from krem_advocacy.domain.bootstrap import ensure_database
from tests.helpers import heading, served

PASSWORD = "riktig hest batteri"
TITLE = "Høring – nettlesertest av ansvar"
STAMP = "2026-01-01T00:00:00+00:00"


@pytest.fixture(scope="module")
def responsibility_server(tmp_path_factory):
    """A server with two editors in its secrets: Ada sets responsibility, Kari is the person «Kari Ansvarlig»."""
    folder = tmp_path_factory.mktemp("responsibility")
    db_path = folder / "responsibility.db"
    ensure_database(db_path)  # the demo, as on first start
    deadline = date.today() + timedelta(days=12)
    with sqlite3.connect(db_path) as conn:
        krem = conn.execute("SELECT id FROM organisations WHERE short_name = 'KREM'").fetchone()[0]
        conn.execute("INSERT INTO people (name, side, organisation_id, email, created_at, updated_at) "
                     "VALUES ('Kari Ansvarlig', 'forum', ?, 'kari@krem.example.org', ?, ?)", [krem, STAMP, STAMP])
        hoering = conn.execute(
            "INSERT INTO hoeringer (title, deadline, internal_deadline, our_status, created_at, updated_at) "
            "VALUES (?, ?, ?, 'svarer', ?, ?)",
            [TITLE, deadline.isoformat(), (deadline - timedelta(days=7)).isoformat(), STAMP, STAMP]).lastrowid
    secrets = folder / "secrets.toml"
    secrets.write_text(
        "[auth_users.ada]\nname = \"Ada Redaktør\"\nrole = \"editor\"\n"
        f"password_hash = \"{auth.hash_password(PASSWORD)}\"\n"
        "[auth_users.kari]\nname = \"Kari Ansvarlig\"\nrole = \"editor\"\nperson = \"kari@krem.example.org\"\n"
        f"password_hash = \"{auth.hash_password(PASSWORD)}\"\n", encoding="utf-8")
    with served(db_path, env={"STREAMLIT_SECRETS_FILES": str(secrets)}) as url:
        yield url, db_path, hoering


def sign_in(page: Page, username: str) -> None:
    sidebar = page.get_by_test_id("stSidebar")
    if not sidebar.get_by_label("Brukernavn").is_visible():
        sidebar.get_by_text("Logg inn", exact=True).first.click()
    sidebar.get_by_label("Brukernavn").fill(username)
    sidebar.get_by_label("Passord", exact=True).fill(PASSWORD)
    sidebar.get_by_role("button", name="Logg inn").click()


def test_an_editor_sets_a_responsible_person_who_finds_it_on_mitt_ansvar(browser, responsibility_server):
    url, db_path, hoering = responsibility_server
    context = browser.new_context(base_url=url, viewport={"width": 1280, "height": 1000}, locale="nb-NO")
    page = context.new_page()
    page.goto(f"/hoeringer?id={hoering}")
    expect(heading(page, TITLE)).to_be_visible(timeout=30_000)
    sign_in(page, "ada")
    expect(page.get_by_text("Innlogget som Ada Redaktør (Redaktør)")).to_be_visible(timeout=20_000)
    page.get_by_text("Rediger", exact=True).click()
    # The form's fields rerun the page as they are left (the duplicate check as you type), which can close
    # a list while it opens: open it, type to filter, pick, and try again a few times.
    for attempt in range(3):
        try:
            page.get_by_label("Ansvarlig person").click(timeout=10_000)
            page.keyboard.type("Kari")
            page.get_by_role("option", name="Kari Ansvarlig (KREM)").click(timeout=10_000)
            break
        except Exception:
            if attempt == 2:
                raise
            page.keyboard.press("Escape")
    page.get_by_role("button", name="Lagre", exact=True).click()
    expect(page.get_by_text("Kari Ansvarlig (KREM)").first).to_be_visible(timeout=20_000)
    with sqlite3.connect(db_path) as conn:
        person = conn.execute("SELECT id FROM people WHERE name = 'Kari Ansvarlig'").fetchone()[0]
        assert conn.execute("SELECT responsible_person_id FROM hoeringer WHERE id = ?", [hoering]).fetchone() == (
            person,)
    page.get_by_test_id("stSidebar").get_by_role("button", name="Logg ut").click()
    expect(page.get_by_text("Du ser dashbordet uten å være innlogget (bare lesing).")).to_be_visible(timeout=20_000)
    expect(page.get_by_test_id("stSidebar").get_by_role("link", name="Mitt ansvar")).to_have_count(0)

    sign_in(page, "kari")
    expect(page.get_by_text("Innlogget som Kari Ansvarlig (Redaktør)")).to_be_visible(timeout=20_000)
    page.get_by_test_id("stSidebar").get_by_role("link", name="Mitt ansvar").click()
    expect(heading(page, "Mitt ansvar")).to_be_visible(timeout=20_000)
    main = page.get_by_test_id("stMain")
    link = main.get_by_role("link", name=TITLE)
    expect(link).to_be_visible(timeout=20_000)
    expect(main.get_by_text("Intern frist for høringssvar").first).to_be_visible()
    page.screenshot(path=str(db_path.parent / "mitt-ansvar.png"), full_page=True)
    link.click()
    expect(heading(page, TITLE)).to_be_visible(timeout=20_000)
    assert f"id={hoering}" in page.url

    # On a phone the page reads as well.
    phone = browser.new_context(base_url=url, viewport={"width": 390, "height": 844}, locale="nb-NO")
    small = phone.new_page()
    small.goto("/")
    expect(heading(small, "Oversikt")).to_be_visible(timeout=30_000)
    small.get_by_test_id("stSidebarCollapsedControl").or_(small.get_by_test_id("stExpandSidebarButton")).first.click()
    sign_in(small, "kari")
    expect(small.get_by_text("Innlogget som Kari Ansvarlig (Redaktør)")).to_be_visible(timeout=20_000)
    # The home page's own «Mitt ansvar» block lists it too, then the page.
    expect(small.get_by_test_id("stMain").get_by_role("link", name="Se alt du er ansvarlig for")).to_be_visible(
        timeout=20_000)
    small.get_by_test_id("stSidebar").get_by_role("link", name="Mitt ansvar").click()
    expect(heading(small, "Mitt ansvar")).to_be_visible(timeout=20_000)
    expect(small.get_by_text("1 åpne · 0 forfalt · 1 denne uken")).to_be_visible(timeout=20_000)
    expect(small.get_by_test_id("stMain").get_by_role("link", name=TITLE).first).to_be_visible(timeout=30_000)
    small.screenshot(path=str(db_path.parent / "mitt-ansvar-phone.png"), full_page=True)
    phone.close()
    context.close()
