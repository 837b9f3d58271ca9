"""Shared fixtures: temporary databases, small literal records. Helpers (the page opener, …) are in tests/helpers.py."""

import pytest
import streamlit as st

from krem_advocacy.store import bootstrap
from krem_advocacy.store import connection as dbmod
from krem_advocacy.store import migrations
# The shared helpers live in tests/helpers.py; these names stay reachable here too.
from tests import helpers
from tests.helpers import ROOT, TODAY, insert, open_page  # noqa: F401


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
    """A tiny literal forum: two organisations, a department, a sak, høringer, a budget input, meetings."""
    ids = {}
    ids["krem"] = insert(db, "organisations", name="KREM", short_name="KREM", kind="forum_member",
                         member_since=2008, member_status="aktiv")
    ids["affo"] = insert(db, "organisations", name="Aleneforeldreforeningen", short_name="AFFO",
                         kind="forum_member", member_since=2008, member_status="aktiv")
    ids["bfd"] = insert(db, "organisations", name="Barne- og familiedepartementet", short_name="BFD",
                        kind="department")
    ids["sak"] = insert(db, "saker", title="Barnetrygd", status="aktiv", priority="hoey", lead_org_id=ids["affo"])
    ids["h_overdue"] = insert(db, "hoeringer", title="Høring A", department_id=ids["bfd"],
                              published_on="2026-01-10", deadline="2026-02-27", internal_deadline="2026-02-20",
                              our_status="svarer")
    ids["h_week"] = insert(db, "hoeringer", title="Høring B", department_id=ids["bfd"],
                           published_on="2026-02-20", deadline="2026-03-06", internal_deadline="2026-02-27",
                           our_status="til_vurdering")
    ids["h_done"] = insert(db, "hoeringer", title="Høring C", department_id=ids["bfd"],
                           published_on="2025-09-01", deadline="2025-12-01", submitted_on="2025-11-20",
                           our_status="levert")
    ids["h_later"] = insert(db, "hoeringer", title="Høring D", department_id=ids["bfd"],
                            published_on="2026-02-01", deadline="2026-05-15", our_status="innkommet")
    insert(db, "hoering_saker", hoering_id=ids["h_done"], sak_id=ids["sak"])
    ids["budget"] = insert(db, "budget_inputs", title="Frivillig arbeid", budget_year=2027, phase="prop1s",
                           chapter="621", post="70", ask_amount=1_500_000, prop_amount=1_000_000,
                           sent_on="2025-10-15", hearing_application_deadline="2026-03-20",
                           hearing_on="2026-03-27")
    insert(db, "budget_input_saker", budget_input_id=ids["budget"], sak_id=ids["sak"])
    ids["ku_past"] = insert(db, "meetings", title="KU januar", kind="ku", starts_at="2026-01-12T12:00")
    ids["item"] = insert(db, "agenda_items", meeting_id=ids["ku_past"], position=1, title="Barnetrygden",
                         sak_id=ids["sak"], speaker_org_id=ids["affo"])
    ids["tilsagn"] = insert(db, "tilsagn", meeting_id=ids["ku_past"], sak_id=ids["sak"],
                            text="Vil se på satsene", status="aapen")
    ids["ku_next"] = insert(db, "meetings", title="KU mars", kind="ku", starts_at="2026-03-16T12:00",
                            prep_deadline="2026-03-09")
    db.conn.commit()
    return ids
