"""Shared fixtures: temporary databases, small literal records. Helpers (the page opener, …) are in tests/helpers.py."""

import os
from datetime import date
from pathlib import Path

import pytest
import streamlit as st

from krem_advocacy.domain import bootstrap
from krem_advocacy.store import connection as dbmod
from krem_advocacy.store import migrations

# The shared helpers live in tests/helpers.py; these names stay reachable here too.
from tests import helpers
from tests.helpers import ROOT, TODAY, insert, literal_forum, open_page  # noqa: F401

BROWSER_TESTS = Path(__file__).parent / "browser"

# No test may reach the internet. Adding høringer from the feed reads the pages under KREM_REGJERINGEN_URL
# (docs/stortinget.md): here that is a closed loopback port, so the sample feed's regjeringen.no links are
# never fetched, in this process nor in the servers the browser tests start. Tests that read pages point
# the settings at their own loopback server.
os.environ["KREM_REGJERINGEN_URL"] = "http://127.0.0.1:9"
os.environ["KREM_STORTINGET_URL"] = "http://127.0.0.1:9/eksport"


def pytest_addoption(parser):
    parser.addoption("--axe-every-language", action="store_true",
                     help="the accessibility audit: both roles in both languages (default: each role in one "
                          "language, alternating per view, so every view is seen in both)")


def pytest_collection_modifyitems(config, items):
    """Mark everything under tests/browser as `browser`, so `-m "not browser"` leaves the real browser out."""
    for item in items:
        if BROWSER_TESTS in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def _clear_streamlit_caches():
    # Caches outlive one AppTest in a process; each test starts cold.
    st.cache_data.clear()
    st.cache_resource.clear()
    yield


# ---- who is acting ----------------------------------------------------------------------------------

@pytest.fixture
def editor():
    """An editor: Actor("Test Redaktør", "editor")."""
    return helpers.EDITOR


@pytest.fixture
def other_editor():
    """A second editor, who saves in between: Actor("Per", "editor")."""
    return helpers.OTHER_EDITOR


@pytest.fixture
def admin():
    """An administrator: Actor("Test Admin", "admin")."""
    return helpers.ADMIN


@pytest.fixture
def viewer():
    """A visitor who has not signed in: Actor("anonym", "viewer") (permissions.VIEWER)."""
    return helpers.VIEWER


# ---- databases ----------------------------------------------------------------------------------------

@pytest.fixture
def db_path(tmp_path):
    """An empty, fully migrated database file."""
    path = tmp_path / "test.db"
    with dbmod.opened(path) as db:
        migrations.apply(db)
    return path


@pytest.fixture
def db(db_path):
    """A connection to the empty, migrated database."""
    connection = dbmod.connect(db_path)
    yield connection
    connection.close()


@pytest.fixture
def demo_db_path(tmp_path, monkeypatch):
    """A database made as on first start (with the demo data), set as KREM_DB."""
    path = tmp_path / "demo.db"
    monkeypatch.setenv("KREM_DB", str(path))
    bootstrap.ensure_database(path)
    return path


@pytest.fixture
def small_forum(db):
    """A tiny literal forum: two organisations, a department, a sak, høringer, a budget input, meetings.

    Its dates are as written in tests/helpers.py (`literal_forum`), around TODAY (2 March 2026).
    """
    return literal_forum(db)


@pytest.fixture
def app_db_path(db_path, monkeypatch):
    """The empty, migrated database file (db_path) set as KREM_DB: the app opens it as it is, with no demo.

    For pages that check a rule on literal records: add them with `db` and `insert` (commit before the
    page runs), or take `current_forum`.
    """
    monkeypatch.setenv("KREM_DB", str(db_path))
    return db_path


@pytest.fixture
def current_forum(app_db_path, db):
    """The small forum with its dates moved to today (what is overdue, due this week or later stays so), in
    the database the app opens. Pages compute «today» from the clock, so they need this, not small_forum."""
    return literal_forum(db, date.today())


@pytest.fixture
def housing(db):
    """A housing sak with two høringer, a budget input, two meetings with innlegg and a tilsagn."""
    ids = {}
    insert(db, "themes", code="bolig", label_nb="Rett til egnet bolig", label_en="Housing", origin="forum",
           sort_order=1)
    insert(db, "themes", code="barn", label_nb="Barn i fattige familier", label_en="Children", origin="forum",
           sort_order=2)
    ids["lbf"] = insert(db, "organisations", name="Leieboerforeningen", short_name="LBF", kind="forum_member")
    ids["kdd"] = insert(db, "organisations", name="Kommunal- og distriktsdepartementet", short_name="KDD",
                        kind="department")
    ids["lise"] = insert(db, "people", name="Lise Prøvesen", side="forum", organisation_id=ids["lbf"])
    ids["kari"] = insert(db, "people", name="Kari Eksempelsen", side="government")
    ids["sak"] = insert(db, "saker", title="Rett til egnet bolig", theme_code="bolig", lead_org_id=ids["lbf"])
    ids["barn"] = insert(db, "saker", title="Barnefattigdom", theme_code="barn")
    ids["h_leie"] = insert(db, "hoeringer", title="Husleieloven", department_id=ids["kdd"], deadline="2025-12-04",
                           our_status="til_vurdering")
    ids["h_bost"] = insert(db, "hoeringer", title="Bostøtte", department_id=ids["kdd"], deadline="2025-03-01",
                           submitted_on="2025-02-20", our_status="levert", result="Inntektsgrensen ble hevet.")
    for h in ("h_leie", "h_bost"):
        insert(db, "hoering_saker", hoering_id=ids[h], sak_id=ids["sak"])
    insert(db, "hoering_saker", hoering_id=ids["h_bost"], sak_id=ids["barn"])
    ids["budget"] = insert(db, "budget_inputs", title="Bostøtte for barnefamilier", budget_year=2026,
                           phase="vedtatt", recipient_org_id=ids["kdd"], ask="Øk bostøtten.", ask_amount=50_000_000,
                           adopted_amount=20_000_000, outcome="delvis", sent_on="2025-04-10")
    insert(db, "budget_input_saker", budget_input_id=ids["budget"], sak_id=ids["sak"])
    ids["ku1"] = insert(db, "meetings", title="KU januar", kind="ku", starts_at="2025-01-20T12:00")
    ids["ku2"] = insert(db, "meetings", title="KU juni", kind="ku", starts_at="2025-06-02T12:00")
    ids["item"] = insert(db, "agenda_items", meeting_id=ids["ku1"], position=1, title="Bostøtte",
                         sak_id=ids["sak"], speaker_org_id=ids["lbf"], speaker_person_id=ids["lise"],
                         summary="Inntektsgrensen har ikke fulgt prisene.")
    ids["tilsagn"] = insert(db, "tilsagn", meeting_id=ids["ku1"], sak_id=ids["sak"], text="Ser på grensen.",
                            responsible_person_id=ids["kari"], responsible_org_id=ids["kdd"], status="innfridd",
                            followed_up_meeting_id=ids["ku2"])
    db.conn.commit()
    return ids
