"""Shared fixtures: temporary databases, small literal records, a page opener for AppTest."""

from datetime import date
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from krem_advocacy.domain import bootstrap
from krem_advocacy.store import connection as dbmod
from krem_advocacy.store import migrations

ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2026, 3, 2)  # a fixed Monday for literal expectations


@pytest.fixture(autouse=True)
def _clear_streamlit_caches():
    # Caches outlive one AppTest in a process; each test starts cold.
    st.cache_data.clear()
    st.cache_resource.clear()
    yield


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


def open_page(page: str | None = None, **params) -> AppTest:
    """Run app.py, then switch to `page` (e.g. "pages/hoeringer.py") with query params set first."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def insert(db, table: str, **values) -> int:
    """Insert one literal row (timestamps filled in for record tables); return its id."""
    if table in migrations.RECORD_TABLES:
        values = {"created_at": "2026-01-01T00:00:00+00:00", "updated_at": "2026-01-01T00:00:00+00:00",
                  **values}
    columns = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    return db.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(values.values())).lastrowid


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
