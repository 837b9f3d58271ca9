"""Access in the app (AppTest): no editing controls for viewers, signing in and out, the slowdown,
private mode, the administration page, and no internal field anywhere a viewer can look."""

import pytest
import streamlit
from streamlit.testing.v1 import AppTest

from krem_advocacy.domain import accounts as auth
from krem_advocacy.store import records
from krem_advocacy.store.connection import opened
from krem_advocacy.store.errors import PermissionDenied
from krem_advocacy.store.migrations import RECORD_TABLES
from krem_advocacy.store.permissions import Actor
from tests.helpers import open_page, show_tab

PASSWORD = "riktig hest batteri"
USERS = {"kari": {"name": "Kari Nordmann", "role": "editor", "password_hash": auth.hash_password(PASSWORD)},
         "lisa": {"name": "Lisa Leser", "role": "viewer", "password_hash": auth.hash_password(PASSWORD)}}
LIST_PAGES = ["pages/saker.py", "pages/hoeringer.py", "pages/statsbudsjett.py", "pages/moeter.py",
              "pages/organisasjoner.py", "pages/data.py", "pages/endringslogg.py", "pages/administrasjon.py"]
DETAIL_PAGES = {"pages/saker.py": "saker", "pages/hoeringer.py": "hoeringer",
                "pages/statsbudsjett.py": "budget_inputs", "pages/moeter.py": "meetings",
                "pages/organisasjoner.py": "organisations"}
MARK = "ZQXINTERN"
LABEL_COLUMNS = {"organisations": "name", "people": "name", "tilsagn": "text", "person_roles": "title"}


def sign_in(at: AppTest, username: str, password: str) -> AppTest:
    at.sidebar.text_input(key="auth_username_sidebar").input(username)
    at.sidebar.text_input(key="auth_password_sidebar").input(password)
    submit = [b for b in at.sidebar.button if b.label == "Logg inn"]
    return submit[0].click().run()


def everything(at: AppTest) -> str:
    """All an element tree holds (texts, labels, options, table cells) as one string."""
    parts = []

    def walk(node):
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))
        if getattr(node, "type", None) in ("dataframe", "arrow_data_frame"):
            parts.append(node.value.to_csv())
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(parts)


def internal_switch(at):
    """The «Intern post» toggle under a record (pages may have other toggles, such as «Rediger»)."""
    return next(t for t in at.toggle if t.label == "Intern post – skjult for lesere")


def first_id(path, table: str) -> int:
    with opened(path) as db:
        return db.execute(f"SELECT id FROM {table} WHERE is_internal = 0 ORDER BY id LIMIT 1").fetchone()[0]


# ---- viewers see no editing control; the data layer refuses them --------------------------------

@pytest.mark.parametrize("page", LIST_PAGES)
def test_without_signing_in_no_editing_control_is_shown(app_db_path, current_forum, page):
    at = open_page(page)
    assert not at.toggle, "the internal switch is for editors"
    assert not at.get("data_editor") and not at.get("arrow_data_editor")
    assert not at.get("file_uploader")
    # Downloads of what a viewer may see are fine; a backup of the database is not.
    assert not [d for d in at.get("download_button") if "kopi" in d.proto.label.lower()]
    # The only forms are sign-in and search in the sidebar.
    read_only = ("Logg inn", "Søk", "Nullstill filtre", "Vis flere")
    assert [b.label for b in at.button if b.label not in read_only] == []
    assert any("bare lesing" in c.value for c in at.sidebar.caption)


@pytest.mark.parametrize("page, table", sorted(DETAIL_PAGES.items()))
def test_a_record_shows_the_internal_switch_to_editors_only(app_db_path, current_forum, page, table, editor):
    record_id = first_id(app_db_path, table)
    assert not open_page(page, id=str(record_id)).toggle
    as_editor = open_page(page, actor=editor, id=str(record_id))
    assert "Intern post – skjult for lesere" in [t.label for t in as_editor.toggle]


def test_a_viewer_write_in_the_data_layer_is_refused(app_db_path, current_forum, editor, viewer):
    from krem_advocacy.store import backup, visibility

    with opened(app_db_path) as db:
        sak = db.execute("SELECT id, version FROM saker LIMIT 1").fetchone()
        with pytest.raises(PermissionDenied):
            records.update(db, viewer, "saker", sak[0], {"title": "Endret"}, sak[1])
        with pytest.raises(PermissionDenied):
            visibility.set_internal(db, viewer, "saker", sak[0], True, sak[1])
        assert db.execute("SELECT version FROM saker WHERE id = ?", [sak[0]]).fetchone()[0] == sak[1]
    with pytest.raises(PermissionDenied):
        backup.backup_bytes(app_db_path, viewer)
    with pytest.raises(PermissionDenied):
        backup.restore(app_db_path, b"", editor)


def test_the_internal_switch_hides_a_record_from_viewers(app_db_path, current_forum, editor):
    record_id = first_id(app_db_path, "hoeringer")
    as_editor = open_page("pages/hoeringer.py", actor=editor, id=str(record_id))
    internal_switch(as_editor).set_value(True).run()
    assert [t.value for t in as_editor.toast] == ["Posten er nå intern."]
    as_viewer = open_page("pages/hoeringer.py", id=str(record_id))
    assert any("Fant ikke" in w.value for w in as_viewer.warning)
    log = open_page("pages/endringslogg.py", actor=editor, table="hoeringer", record=str(record_id))
    assert any("| Intern post | Nei | Ja |" in m.value for m in log.markdown)


# ---- signing in with a password from the secrets ------------------------------------------------

def test_an_editor_signs_in_with_a_password_from_secrets_and_can_edit(app_db_path, current_forum):
    record_id = first_id(app_db_path, "saker")
    at = open_page("pages/saker.py", secrets={"auth_users": USERS}, id=str(record_id))
    assert not at.toggle
    at = sign_in(at, "Kari", PASSWORD)
    assert not at.exception
    assert at.session_state["actor"] == Actor("Kari Nordmann", "editor")
    assert "Innlogget som Kari Nordmann (Redaktør)" in [c.value for c in at.sidebar.caption]
    internal_switch(at).set_value(True).run()
    with opened(app_db_path) as db:
        assert db.execute("SELECT is_internal FROM saker WHERE id = ?", [record_id]).fetchone()[0] == 1
        assert db.execute("SELECT actor FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()[0] == "Kari Nordmann"
    # Signing out ends it.
    at.sidebar.button(key="auth_sign_out").click().run()
    assert "actor" not in at.session_state
    assert not at.toggle
    assert any("bare lesing" in c.value for c in at.sidebar.caption)


def test_a_wrong_password_is_refused_and_repeated_ones_are_slowed_down(app_db_path, current_forum):
    at = open_page(secrets={"auth_users": USERS})
    at = sign_in(at, "kari", "feil passord")
    assert [e.value for e in at.error] == ["Feil brukernavn eller passord."]
    assert "actor" not in at.session_state
    sign_in(at, "kari", "feil igjen")
    at = sign_in(at, "kari", "feil for tredje gang")
    assert [w.value for w in at.warning] == ["Etter flere feil må du nå vente 30 sekunder før neste forsøk."]
    # The right password is not even tried while the wait lasts.
    at = sign_in(at, "kari", PASSWORD)
    assert len(at.error) == 1
    assert at.error[0].value.startswith("For mange feil passord. Vent ")
    assert at.error[0].value.endswith(" sekunder før du prøver igjen.")
    assert "actor" not in at.session_state
    with opened(app_db_path) as db:
        assert db.execute("SELECT success FROM login_attempts ORDER BY id").fetchall() == [(0,), (0,), (0,)]


def test_without_accounts_the_sign_in_box_says_how_to_set_them_up(app_db_path, current_forum):
    at = open_page()
    assert any("Ingen brukere er satt opp" in c.value for c in at.sidebar.caption)


def test_editors_are_warned_when_the_host_forgets_data(app_db_path, current_forum, editor):
    secrets = {"access": {"storage": "ephemeral"}}
    assert not open_page(secrets=secrets).sidebar.warning
    at = open_page(actor=editor, secrets=secrets)
    assert [w.value for w in at.sidebar.warning] == [
        "Denne serveren beholder ikke data når den starter på nytt. Ta sikkerhetskopi ofte."]
    admin_page = open_page("pages/administrasjon.py", actor=editor, secrets=secrets)
    assert any("sletter disken" in w.value for w in admin_page.warning)


# ---- private mode -------------------------------------------------------------------------------

def test_a_private_app_shows_nothing_before_signing_in(app_db_path, current_forum):
    secrets = {"auth_users": USERS, "access": {"private": True}}
    at = open_page("pages/hoeringer.py", secrets=secrets)
    assert [t.value for t in at.title] == ["Dette dashbordet er privat"]
    assert not at.dataframe and not at.metric
    at.text_input(key="auth_username_main").input("lisa")
    at.text_input(key="auth_password_main").input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    assert at.title[0].value == "Høringer"
    assert len(show_tab(at, "list").dataframe[0].value) > 0
    assert not at.toggle  # a viewer account reads, but still cannot edit


# ---- the administration page --------------------------------------------------------------------

def test_the_administration_page_by_role(app_db_path, current_forum, editor, admin):
    as_viewer = open_page("pages/administrasjon.py")
    assert [i.value for i in as_viewer.info] == ["Logg inn som redaktør eller administrator for å ta sikkerhetskopi."]
    as_editor = open_page("pages/administrasjon.py", actor=editor)
    assert [b.label for b in as_editor.get("download_button")] == ["Last ned sikkerhetskopi"]
    assert "Bare administratorer kan gjenopprette." in [c.value for c in as_editor.caption]
    assert not as_editor.get("file_uploader")
    as_admin = open_page("pages/administrasjon.py", actor=admin, secrets={"auth_users": USERS})
    assert as_admin.get("file_uploader")
    users = as_admin.dataframe[0].value
    assert list(users["Brukernavn"]) == ["kari", "lisa"]
    assert list(users["Rolle"]) == ["Redaktør", "Leser"]
    assert "scrypt" not in everything(as_admin)


def test_the_backup_download_is_a_database_of_the_app(app_db_path, current_forum, monkeypatch, editor):
    captured = capture_downloads(monkeypatch)
    open_page("pages/administrasjon.py", actor=editor)
    assert len(captured) == 1
    assert captured[0].startswith(b"SQLite format 3\x00")


# ---- a viewer never sees an internal field --------------------------------------------------------

@pytest.fixture
def marked(demo_db_path, editor):
    """The demo with a marker in every internal note, one hidden record per table, and logged edits of both."""
    hidden = {}
    with opened(demo_db_path) as db:
        for table in RECORD_TABLES:
            db.execute(f"UPDATE [{table}] SET internal_notes = ? || '-' || id", [f"{MARK}-{table}"])
            record_id = db.execute(f"SELECT MAX(id) FROM [{table}]").fetchone()[0]
            if record_id is None:
                continue
            label = LABEL_COLUMNS.get(table, "title") if table != "budget_years" else None
            values = {"is_internal": 1, **({label: f"{MARK} hidden {table}"} if label else {})}
            version = db.execute(f"SELECT version FROM [{table}] WHERE id = ?", [record_id]).fetchone()[0]
            records.update(db, editor, table, record_id, values, version)
            hidden[table] = record_id
        sak, version = db.execute("SELECT id, version FROM saker WHERE is_internal = 0 LIMIT 1").fetchone()
        records.update(db, editor, "saker", sak, {"internal_notes": f"{MARK} in the log", "notes": "Offentlig"},
                       version)
        db.conn.commit()
    return hidden


def capture_downloads(monkeypatch) -> list[bytes]:
    """Collect the bytes of every download button a page draws."""
    from streamlit.delta_generator import DeltaGenerator

    captured = []
    original_st = streamlit.download_button
    original_dg = DeltaGenerator.download_button

    def keep(data):
        content = data() if callable(data) else data  # deferred downloads are made on click: make them now
        captured.append(content.encode("utf-8") if isinstance(content, str) else bytes(content))

    def st_download_button(label, data, *args, **kwargs):
        keep(data)
        return original_st(label, data, *args, **kwargs)

    def dg_download_button(self, label, data, *args, **kwargs):
        keep(data)
        return original_dg(self, label, data, *args, **kwargs)

    # Buttons drawn with st.download_button and inside columns/containers alike.
    monkeypatch.setattr(streamlit, "download_button", st_download_button)
    monkeypatch.setattr(DeltaGenerator, "download_button", dg_download_button)
    return captured


def test_the_marker_is_visible_to_editors(demo_db_path, marked, editor):
    at = open_page("pages/saker.py", actor=editor, id=str(first_id(demo_db_path, "saker")))
    assert MARK in everything(at)


def test_a_viewer_never_sees_an_internal_field_on_any_page(demo_db_path, marked):
    shown = [everything(open_page()), everything(open_page(lang="en"))]
    for page in LIST_PAGES:
        shown.append(everything(open_page(page)))
    for page, table in DETAIL_PAGES.items():
        shown.append(everything(open_page(page, id=str(first_id(demo_db_path, table)))))
        hidden = open_page(page, id=str(marked[table]))
        assert any("Fant ikke" in w.value for w in hidden.warning), page
        shown.append(everything(hidden))
    for table in RECORD_TABLES:
        shown.append(everything(open_page("pages/endringslogg.py", table=table)))
    text = "\n".join(shown)
    assert MARK not in text
    assert "Offentlig" in text  # the public half of the logged edit is there


def test_a_viewer_never_gets_an_internal_field_in_an_export(demo_db_path, marked, monkeypatch):
    captured = capture_downloads(monkeypatch)
    at = open_page("pages/data.py")
    tables = at.selectbox(key="download_table").options
    assert len(tables) > 10
    for table in tables:
        at.selectbox(key="download_table").select(table).run()
    assert len(captured) > len(tables)
    assert not any(MARK.encode() in data for data in captured)
    assert any(b"KREM" in data for data in captured)


@pytest.mark.parametrize("page, title", [("pages/endringslogg.py", "Change log"),
                                         ("pages/administrasjon.py", "Administration")])
def test_the_new_pages_speak_english_too(app_db_path, current_forum, page, title, admin):
    at = open_page(page, actor=admin, lang="en")
    assert at.title[0].value == title
    assert f"Signed in as {admin.name} (Administrator)" in [c.value for c in at.sidebar.caption]


def test_the_change_log_filters_by_person_and_date(app_db_path, current_forum, editor, other_editor):
    from datetime import date, timedelta

    with opened(app_db_path) as db:
        records.update(db, other_editor, "hoeringer", current_forum["h_week"], {"notes": "Sett på"}, 1)
        sak, version = db.execute("SELECT id, version FROM saker ORDER BY id LIMIT 1").fetchone()
        records.update(db, Actor("Kari Nordmann", "editor"), "saker", sak, {"title": "Ny tittel"}, version)
    at = open_page("pages/endringslogg.py", actor=editor)
    assert [c.value for c in at.caption if "endring" in c.value] == ["2 endringer"]
    at.selectbox(key="audit_actor").select("Kari Nordmann").run()
    assert [c.value for c in at.caption if "endring" in c.value] == ["1 endring"]
    assert any("| Tittel |" in m.value and "Ny tittel" in m.value for m in at.markdown)
    assert at.query_params["person"] == "Kari Nordmann"  # the filtered log can be linked to
    at.date_input(key="audit_start").set_value(date.today() + timedelta(days=2)).run()
    assert [i.value for i in at.info] == ["Ingen endringer med disse filtrene."]
    clear = [b for b in at.button if b.label == "Nullstill filtre"][0]
    clear.click().run()
    assert [c.value for c in at.caption if "endring" in c.value] == ["2 endringer"]
