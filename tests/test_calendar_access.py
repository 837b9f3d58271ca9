"""Who gets which calendar: the public feed and download hold only public records; an editor's private
address (a revocable token, stored as a hash) gives the full calendar; links never follow the Host header."""

from datetime import UTC, date, datetime

import pytest
from icalendar import Calendar
from starlette.applications import Starlette
from starlette.testclient import TestClient
from streamlit import config as st_config

from krem_advocacy import config, web
from krem_advocacy.domain import accounts as auth
from krem_advocacy.store import calendar_tokens
from krem_advocacy.store.connection import opened, revision
from krem_advocacy.store.database import Store
from krem_advocacy.store.errors import PermissionDenied
from krem_advocacy.store.permissions import Actor
from krem_advocacy.ui import calendar as calendar_ui
from krem_advocacy.ui.context import PageContext
from tests.helpers import insert, open_page, texts

PASSWORD = "riktig hest batteri"
USERS = {"kari": {"name": "Kari Nordmann", "role": "editor", "password_hash": auth.hash_password(PASSWORD)},
         "ada": {"name": "Ada Admin", "role": "admin", "password_hash": auth.hash_password(PASSWORD)}}
KARI = Actor("Kari Nordmann", "editor", account="password:kari")
ADA = Actor("Ada Admin", "admin", account="password:ada")
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
# Records marked «Intern post» that a calendar would show: a høring, a KU meeting and a budget input.
INTERNAL = ("Intern høring", "Internt KU-møte", "Internt budsjettinnspill")


def titles(body: bytes) -> set[str]:
    return {str(e["SUMMARY"]).split(": ", 1)[-1] for e in Calendar.from_ical(body).events}


@pytest.fixture
def marked(current_forum, db):
    """The small forum (dates from today) with one internal record of each calendar kind."""
    today = date.today()
    day = date.fromordinal(today.toordinal() + 10).isoformat()
    insert(db, "hoeringer", title=INTERNAL[0], department_id=current_forum["bfd"], deadline=day,
           our_status="svarer", is_internal=1)
    insert(db, "meetings", title=INTERNAL[1], kind="ku", starts_at=f"{day}T12:00", is_internal=1)
    insert(db, "budget_inputs", title=INTERNAL[2], budget_year=today.year + 1, phase="prop1s",
           hearing_on=day, is_internal=1)
    db.conn.commit()
    return current_forum


# ---------------------------------------------------------------- the feed


@pytest.fixture
def roles():
    """Who is an editor now, as the route asks it (serve.py hands it the secrets); tests change it."""
    now = {"password:kari": "editor", "password:ada": "admin"}
    calendar_route = web.calendar
    calendar_route.configure(role_of=now.get)
    yield now
    calendar_route.configure()


@pytest.fixture
def client(marked, roles, monkeypatch):
    monkeypatch.delenv("KREM_CALENDAR_TOKEN", raising=False)
    monkeypatch.delenv("KREM_BASE_URL", raising=False)
    with TestClient(Starlette(routes=web.ROUTES), base_url="http://testserver") as test_client:
        yield test_client


def test_the_public_feed_holds_no_internal_record(client, monkeypatch):
    shown = titles(client.get("/calendar.ics").content)
    assert "Høring B" in shown and "KU mars" in shown
    assert not shown & set(INTERNAL)
    # The shared KREM_CALENDAR_TOKEN only guards the public feed: it is no key to internal records.
    monkeypatch.setenv("KREM_CALENDAR_TOKEN", "hemmelig-123")
    shown = titles(client.get("/calendar.ics?token=hemmelig-123").content)
    assert "Høring B" in shown and not shown & set(INTERNAL)


def test_an_editors_private_address_gives_the_full_calendar_until_revoked(client, app_db_path, monkeypatch):
    with opened(app_db_path) as db:
        token = calendar_tokens.create(db, KARI, now=NOW)
    response = client.get(f"/calendar.ics?token={token}")
    assert response.status_code == 200
    assert set(INTERNAL) <= titles(response.content)
    # It works whether or not the shared token is set.
    monkeypatch.setenv("KREM_CALENDAR_TOKEN", "hemmelig-123")
    assert set(INTERNAL) <= titles(client.get(f"/calendar.ics?token={token}").content)
    with opened(app_db_path) as db:
        assert calendar_tokens.active(db, KARI.account)["last_used_at"] is not None
        calendar_tokens.revoke(db, KARI, calendar_tokens.active(db, KARI.account)["id"])
    refused = client.get(f"/calendar.ics?token={token}")
    assert refused.status_code == 403
    assert "Intern høring" not in refused.text


def test_a_private_address_stops_working_when_its_account_no_longer_edits(client, app_db_path, roles):
    with opened(app_db_path) as db:
        token = calendar_tokens.create(db, KARI, now=NOW)
    roles["password:kari"] = "viewer"
    assert client.get(f"/calendar.ics?token={token}").status_code == 403
    del roles["password:kari"]  # taken out of the secrets altogether
    assert client.get(f"/calendar.ics?token={token}").status_code == 403
    roles["password:kari"] = "editor"
    assert client.get(f"/calendar.ics?token={token}").status_code == 200


def test_a_wrong_token_is_refused_and_an_unconfigured_server_trusts_no_private_address(client, app_db_path):
    assert client.get("/calendar.ics?token=gjettet").status_code == 403
    with opened(app_db_path) as db:
        token = calendar_tokens.create(db, KARI, now=NOW)
    web.calendar.configure()  # no way to ask who is an editor: no private address is honoured
    assert client.get(f"/calendar.ics?token={token}").status_code == 403


def test_links_never_follow_the_host_header(client, monkeypatch):
    body = client.get("/calendar.ics", headers={"Host": "evil.example"}).content
    urls = [str(e["URL"]) for e in Calendar.from_ical(body).events]
    assert urls and all(u.startswith(config.DEFAULT_BASE_URL + "/") for u in urls)
    web.calendar.configure(served_url=lambda: "http://10.0.0.5:8600/krem")
    body = client.get("/calendar.ics", headers={"Host": "evil.example"}).content
    assert all(str(e["URL"]).startswith("http://10.0.0.5:8600/krem/") for e in Calendar.from_ical(body).events)
    monkeypatch.setenv("KREM_BASE_URL", "https://krem.example.org/")
    body = client.get("/calendar.ics", headers={"Host": "evil.example"}).content
    assert all(str(e["URL"]).startswith("https://krem.example.org/") for e in Calendar.from_ical(body).events)


@pytest.fixture
def streamlit_options():
    names = ("browser.serverAddress", "browser.serverPort", "server.address", "server.port", "server.baseUrlPath")
    saved = {name: st_config.get_option(name) for name in names}
    yield
    for name, value in saved.items():
        st_config.set_option(name, value)


def test_the_served_address_comes_from_streamlits_configuration(streamlit_options):
    st_config.set_option("server.port", 8600)
    st_config.set_option("browser.serverPort", 8600)
    st_config.set_option("server.address", "10.0.0.5")
    st_config.set_option("server.baseUrlPath", "/krem/")
    assert calendar_ui.served_base_url() == "http://10.0.0.5:8600/krem"
    st_config.set_option("browser.serverAddress", "krem.example.org")
    st_config.set_option("browser.serverPort", 443)
    assert calendar_ui.served_base_url() == "https://krem.example.org/krem"


# ---------------------------------------------------------------- tokens


def test_only_a_hash_of_a_token_is_stored_and_a_new_one_replaces_the_old(db_path):
    with opened(db_path) as db:
        first = calendar_tokens.create(db, KARI, now=NOW)
        second = calendar_tokens.create(db, KARI, now=NOW)
        assert len(first) >= 40 and first != second
        rows = db.execute("SELECT token_hash, revoked_at FROM calendar_tokens ORDER BY id").fetchall()
        assert [r[0] for r in rows] == [calendar_tokens.hash_token(first), calendar_tokens.hash_token(second)]
        assert rows[0][1] is not None and rows[1][1] is None  # the first was revoked by the second
        assert calendar_tokens.find(db, first) is None
        assert calendar_tokens.find(db, second)["account"] == "password:kari"
    wal = db_path.parent / (db_path.name + "-wal")
    raw = db_path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    assert first.encode() not in raw and second.encode() not in raw


def test_tokens_are_for_signed_in_editors_and_revoked_by_their_owner_or_an_administrator(db_path, viewer):
    with opened(db_path) as db:
        with pytest.raises(PermissionDenied):
            calendar_tokens.create(db, viewer)
        with pytest.raises(PermissionDenied):
            calendar_tokens.create(db, Actor("Uten konto", "editor"))  # nobody to check the role of later
        calendar_tokens.create(db, KARI, now=NOW)
        token_id = calendar_tokens.active(db, KARI.account)["id"]
        with pytest.raises(PermissionDenied):
            calendar_tokens.revoke(db, Actor("Per", "editor", account="password:per"), token_id)
        with pytest.raises(PermissionDenied):
            calendar_tokens.listing(db, KARI)
        assert [t["name"] for t in calendar_tokens.listing(db, ADA)] == ["Kari Nordmann"]
        assert "token_hash" not in calendar_tokens.listing(db, ADA)[0]
        assert calendar_tokens.revoke(db, ADA, token_id)
        assert calendar_tokens.active(db, KARI.account) is None
        assert calendar_tokens.listing(db, ADA) == []


def test_a_viewer_connection_cannot_read_the_tokens(db_path):
    with opened(db_path) as db:
        calendar_tokens.create(db, KARI, now=NOW)
    with Store(db_path).reading(public=True) as db:
        assert db.execute("SELECT COUNT(*) FROM calendar_tokens").fetchone() == (0,)


def test_a_tokens_repr_and_the_log_never_show_it(db_path, caplog):
    with opened(db_path) as db:
        token = calendar_tokens.create(db, KARI, now=NOW)
        found = calendar_tokens.find(db, token)
    assert token not in repr(found) and calendar_tokens.hash_token(token) not in repr(found)
    assert token not in caplog.text


# ---------------------------------------------------------------- the page: download by role, the popover


def _context(path, actor) -> PageContext:
    store = Store(path)
    with opened(path) as db:
        now = revision(db)
    return PageContext(page="hoeringer", lang="nb", actor=actor, today=date.today(), store=store, revision=now)


def test_the_download_follows_the_role_of_whoever_clicks(marked, app_db_path, viewer, editor):
    public = titles(calendar_ui.ics_for(_context(app_db_path, viewer), "https://krem.example.org"))
    assert "Høring B" in public and not public & set(INTERNAL)
    full = titles(calendar_ui.ics_for(_context(app_db_path, editor), "https://krem.example.org"))
    assert set(INTERNAL) <= full and "Høring B" in full
    # Asked again as a viewer after an editor (the same revision, a cached file): still public.
    again = titles(calendar_ui.ics_for(_context(app_db_path, viewer), "https://krem.example.org"))
    assert not again & set(INTERNAL)


@pytest.fixture
def served(monkeypatch):
    """The page believes serve.py mounted the feed (as `streamlit run serve.py` does)."""
    monkeypatch.setattr(web, "_mounted", True)


def _popover_codes(at) -> list[str]:
    return [c.value for c in at.code]


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_an_editor_makes_and_revokes_a_private_address_in_the_calendar_popover(marked, app_db_path, served,
                                                                               roles, lang):
    at = open_page("pages/hoeringer.py", KARI, secrets={"auth_users": USERS}, lang=lang)
    assert [c for c in _popover_codes(at) if "token=" in c] == []
    at.button(key="calendar_token_create").click().run()
    assert not at.exception, at.exception
    private = [c for c in _popover_codes(at) if "token=" in c]
    assert len(private) == 1
    token = private[0].split("token=", 1)[1].split("&", 1)[0]
    with opened(app_db_path) as db:
        assert calendar_tokens.find(db, token)["account"] == "password:kari"
    assert ("vises bare nå" if lang == "nb" else "shown only now") in texts(at)
    # On the next visit the address is no longer shown (only its hash is kept), but it can be revoked.
    later = open_page("pages/hoeringer.py", KARI, secrets={"auth_users": USERS}, lang=lang)
    assert [c for c in _popover_codes(later) if "token=" in c] == []
    later.button(key="calendar_token_revoke").click().run()
    assert not later.exception, later.exception
    with opened(app_db_path) as db:
        assert calendar_tokens.find(db, token) is None
    assert later.button(key="calendar_token_create")


def test_viewers_get_no_private_address_in_the_popover(marked, app_db_path, served):
    at = open_page("pages/hoeringer.py")
    keys = {b.key for b in at.button}
    assert "calendar_token_create" not in keys and "calendar_token_revoke" not in keys
    assert any(c.endswith("/calendar.ics") for c in _popover_codes(at))


def test_an_administrator_lists_and_revokes_every_private_address(marked, app_db_path, roles):
    with opened(app_db_path) as db:
        calendar_tokens.create(db, KARI, now=NOW)
    at = open_page("pages/administrasjon.py", ADA, secrets={"auth_users": USERS})
    body = texts(at)
    assert "Kari Nordmann" in body and "02.03.2026" in body
    token_id = None
    with opened(app_db_path) as db:
        token_id = calendar_tokens.active(db, KARI.account)["id"]
    at.button(key=f"admin_calendar_revoke_{token_id}").click().run()
    assert not at.exception, at.exception
    with opened(app_db_path) as db:
        assert calendar_tokens.active(db, KARI.account) is None
    assert not any(b.key == f"admin_calendar_revoke_{token_id}" for b in at.button)
