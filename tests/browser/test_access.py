"""Access in a real browser: a viewer sees no editing control, an editor signs in (a wrong password is
refused) and marks a record internal, an administrator downloads a backup and restores it (a bad file is
refused)."""

import sqlite3

import pytest
from playwright.sync_api import Page, expect

from krem_advocacy.domain import accounts as auth
from tests.helpers import heading, served

PASSWORD = "riktig hest batteri"
SWITCH = "Intern post – skjult for lesere"


@pytest.fixture(scope="module")
def access_server(tmp_path_factory):
    """A server of its own, with password accounts and the ephemeral-storage warning in its secrets."""
    folder = tmp_path_factory.mktemp("access")
    secrets = folder / "secrets.toml"
    secrets.write_text(
        "[auth_users.kari]\nname = \"Kari Nordmann\"\nrole = \"editor\"\n"
        f"password_hash = \"{auth.hash_password(PASSWORD)}\"\n"
        "[auth_users.ada]\nname = \"Ada Admin\"\nrole = \"admin\"\n"
        f"password_hash = \"{auth.hash_password(PASSWORD)}\"\n"
        "[access]\nstorage = \"ephemeral\"\n", encoding="utf-8")
    db_path = folder / "access.db"
    with served(db_path, env={"STREAMLIT_SECRETS_FILES": str(secrets)}) as url:
        yield url, db_path


@pytest.fixture
def desk(browser, access_server):
    """A desktop-sized page on the access server."""
    context = browser.new_context(base_url=access_server[0], viewport={"width": 1280, "height": 900},
                                  accept_downloads=True, locale="nb-NO")
    yield context.new_page()
    context.close()


def sign_in(page: Page, username: str, password: str) -> None:
    sidebar = page.get_by_test_id("stSidebar")
    if not sidebar.get_by_label("Brukernavn").is_visible():
        sidebar.get_by_text("Logg inn", exact=True).first.click()
    sidebar.get_by_label("Brukernavn").fill(username)
    sidebar.get_by_label("Passord", exact=True).fill(password)
    sidebar.get_by_role("button", name="Logg inn").click()


def test_editor_signs_in_marks_a_record_internal_and_signs_out(desk: Page, access_server, browser):
    url, db_path = access_server
    desk.goto("/")
    expect(heading(desk, "Oversikt")).to_be_visible(timeout=30_000)
    with sqlite3.connect(db_path) as conn:
        sak_id, title = conn.execute("SELECT id, title FROM saker ORDER BY id LIMIT 1").fetchone()
    desk.goto(f"/saker?id={sak_id}")
    expect(heading(desk, title)).to_be_visible(timeout=30_000)
    expect(desk.get_by_text("Du ser dashbordet uten å være innlogget (bare lesing).")).to_be_visible()
    expect(desk.get_by_text(SWITCH)).to_have_count(0)

    sign_in(desk, "kari", "feil passord")
    expect(desk.get_by_text("Feil brukernavn eller passord.")).to_be_visible(timeout=20_000)
    expect(desk.get_by_text(SWITCH)).to_have_count(0)

    sign_in(desk, "Kari", PASSWORD)
    expect(desk.get_by_text("Innlogget som Kari Nordmann (Redaktør)")).to_be_visible(timeout=20_000)
    expect(desk.get_by_text("Denne serveren beholder ikke data når den starter på nytt.", exact=False)).to_be_visible()
    desk.get_by_text(SWITCH).click()
    expect(desk.get_by_text("Posten er nå intern.")).to_be_visible(timeout=20_000)
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT is_internal FROM saker WHERE id = ?", [sak_id]).fetchone() == (1,)

    # Someone else with the link no longer finds it.
    other = browser.new_context(base_url=url)
    stranger = other.new_page()
    stranger.goto(f"/saker?id={sak_id}")
    expect(stranger.get_by_text("Fant ikke denne posten", exact=False)).to_be_visible(timeout=30_000)
    other.close()

    # The change log shows it, opened from the record.
    desk.get_by_role("link", name="Endringshistorikk").click()
    expect(heading(desk, "Endringslogg")).to_be_visible(timeout=20_000)
    expect(desk.get_by_text("Kari Nordmann · Endret", exact=False).first).to_be_visible()
    expect(desk.get_by_role("cell", name="Intern post")).to_be_visible()

    desk.get_by_test_id("stSidebar").get_by_role("button", name="Logg ut").click()
    expect(desk.get_by_text("Du ser dashbordet uten å være innlogget (bare lesing).")).to_be_visible(timeout=20_000)
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE saker SET is_internal = 0 WHERE id = ?", [sak_id])


def test_admin_downloads_a_backup_and_restores_it_after_a_bad_file_is_refused(desk: Page, access_server, tmp_path):
    url, db_path = access_server
    desk.goto("/")
    expect(heading(desk, "Oversikt")).to_be_visible(timeout=30_000)
    sign_in(desk, "ada", PASSWORD)
    expect(desk.get_by_text("Innlogget som Ada Admin (Administrator)")).to_be_visible(timeout=20_000)
    desk.get_by_test_id("stSidebar").get_by_role("link", name="Administrasjon").click()
    expect(heading(desk, "Administrasjon")).to_be_visible(timeout=20_000)

    with desk.expect_download() as download:
        desk.get_by_role("button", name="Last ned sikkerhetskopi").click()
    assert download.value.suggested_filename.startswith("krem-")
    assert download.value.suggested_filename.endswith(".db")
    saved = tmp_path / "backup.db"  # long names are shortened in the middle by the uploader
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"SQLite format 3\x00")

    # After the backup someone removes a link row by mistake; the backup still has it.
    with sqlite3.connect(db_path) as conn:
        before = conn.execute("SELECT COUNT(*) FROM hoering_saker").fetchone()[0]
        conn.execute("DELETE FROM hoering_saker")
    assert before > 0

    text = tmp_path / "notater.txt"
    text.write_text("Dette er ikke en database.\n", encoding="utf-8")
    restore(desk, text)
    expect(desk.get_by_text("Ikke gjenopprettet: Filen er ikke en SQLite-database", exact=False)).to_be_visible(
        timeout=20_000)
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM hoering_saker").fetchone()[0] == 0

    restore(desk, saved)
    expect(desk.get_by_text(f"Gjenopprettet fra {saved.name}.", exact=False)).to_be_visible(timeout=30_000)
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM hoering_saker").fetchone()[0] == before
    expect(desk.get_by_role("button", name="Last ned krem-", exact=False).first).to_be_visible()


def restore(page: Page, file) -> None:
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(file))
    expect(page.get_by_text(file.name).first).to_be_visible(timeout=20_000)
    page.get_by_text("Jeg forstår at dagens data blir erstattet", exact=False).click()
    page.get_by_role("button", name="Gjenopprett").click()
