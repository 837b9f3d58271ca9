"""Shared fixtures: temporary databases, small literal records. Helpers (the page opener, …) are in tests/helpers.py."""

from datetime import date

import pytest
import streamlit as st

from krem_advocacy.store import bootstrap
from krem_advocacy.store import connection as dbmod
from krem_advocacy.store import migrations
# The shared helpers live in tests/helpers.py; these names stay reachable here too.
from tests import helpers
from tests.helpers import ROOT, TODAY, insert, literal_forum, open_page  # noqa: F401


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
