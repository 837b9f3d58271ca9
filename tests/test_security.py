"""The probes of issue 15, kept: parallel password guessing, the viewer's connection, formulas in exports, secrets in reprs.

docs/security.md names these tests beside the promises they check.
"""

import csv
import io
import sqlite3
import threading
from datetime import UTC, datetime

import openpyxl
import pandas as pd
import pytest

from krem_advocacy.domain import accounts as auth
from krem_advocacy.domain.accounts import SignInRefused
from krem_advocacy.exchange import exporter
from krem_advocacy.store import connection, visibility
from krem_advocacy.store.database import Store
from tests.helpers import insert

NOW = datetime(2026, 3, 2, 12, 0, 0, tzinfo=UTC)
PASSWORD = "riktig hest batteri"
USERS = {"kari": {"name": "Kari Nordmann", "role": "editor", "password_hash": auth.hash_password(PASSWORD)}}
GUESSES = 40


@pytest.fixture
def accounts():
    return auth.load_accounts(USERS)[0]


# ---------------------------------------------------------------- 2. sign-in: parallel guesses count like serial ones


def _guess_in_parallel(db_path, accounts, usernames, client=None):
    """Every guess at the same moment, each on its own connection to the file (as Streamlit's sessions do)."""
    outcomes, start = [], threading.Barrier(len(usernames))
    lock = threading.Lock()

    def guess(username):
        db = connection.connect(db_path)
        try:
            start.wait()
            try:
                auth.sign_in(db, accounts, username, "feil passord", now=NOW, **({"client": client} if client else {}))
                outcome = "signed in"
            except SignInRefused as refused:
                outcome = refused.reason
        finally:
            db.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=guess, args=(name,)) for name in usernames]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_forty_parallel_wrong_guesses_for_one_user_are_slowed_like_serial_ones(db_path, accounts, monkeypatch):
    checked = []
    real_verify = auth.verify_password
    monkeypatch.setattr(auth, "verify_password", lambda *a: checked.append(1) or real_verify(*a))
    outcomes = _guess_in_parallel(db_path, accounts, ["kari"] * GUESSES)
    # Serially: three wrong passwords are free, then the wait starts; in parallel it must be the same.
    assert outcomes.count("wrong") == auth.FREE_FAILURES
    assert outcomes.count("throttled") == GUESSES - auth.FREE_FAILURES
    assert len(checked) == auth.FREE_FAILURES  # no password hash is computed for a throttled guess
    with connection.opened(db_path) as db:
        assert db.execute("SELECT COUNT(*), SUM(success) FROM login_attempts").fetchone() == (auth.FREE_FAILURES, 0)
        assert auth.wait_needed(db, "kari", NOW) == auth.FIRST_WAIT.total_seconds()


def test_parallel_guesses_at_many_user_names_from_one_address_are_slowed_too(db_path, accounts):
    names = [f"navn{n}" for n in range(GUESSES)]
    outcomes = _guess_in_parallel(db_path, accounts, names, client="203.0.113.7")
    assert outcomes.count("wrong") == auth.FREE_FAILURES_PER_CLIENT
    assert outcomes.count("throttled") == GUESSES - auth.FREE_FAILURES_PER_CLIENT
    # Another address is not held up by it, and neither is the user who signs in from there.
    with connection.opened(db_path) as db:
        assert auth.sign_in(db, accounts, "kari", PASSWORD, now=NOW, client="198.51.100.1").username == "kari"
        with pytest.raises(SignInRefused) as held:
            auth.sign_in(db, accounts, "kari", PASSWORD, now=NOW, client="203.0.113.7")
        assert held.value.reason == "throttled"


def test_a_right_password_is_recorded_as_a_success_after_it_was_counted(db, accounts):
    auth.sign_in(db, accounts, "kari", PASSWORD, now=NOW, client="198.51.100.1")
    assert db.execute("SELECT username, client, success FROM login_attempts").fetchall() == [
        ("kari", "198.51.100.1", 1)]


# ---------------------------------------------------------------- 3. the viewer's connection neither writes nor reads hidden tables


@pytest.fixture
def hidden(db):
    """A sak marked internal, an organisation with internal notes, and the change log of marking it."""
    ids = {"sak": insert(db, "saker", title="Intern strategi", is_internal=1, internal_notes="HEMMELIG-SAK"),
           "org": insert(db, "organisations", name="KREM", kind="forum_member", internal_notes="HEMMELIG-ORG")}
    insert(db, "audit_log", at="2026-03-01T10:00:00+00:00", actor="Kari", action="create", table_name="saker",
           record_id=ids["sak"], after='{"title": "Intern strategi", "internal_notes": "HEMMELIG-SAK"}')
    db.conn.commit()
    return ids


# The probes: each must be refused on a viewer's connection.
PROBES = [
    "UPDATE main.saker SET is_internal = 0",
    "UPDATE saker SET is_internal = 0",
    "INSERT INTO main.themes (code, label_nb, label_en, origin, sort_order) VALUES ('x', 'x', 'x', 'forum', 1)",
    "INSERT INTO main.meta (key, value) VALUES ('x', 1)",
    "UPDATE main.meta SET value = value + 1",
    "INSERT INTO main.audit_log (at, actor, action, table_name) VALUES ('2026', 'x', 'create', 'saker')",
    "DELETE FROM main.audit_log",
    "SELECT * FROM main.audit_log",
    "SELECT after FROM main.audit_log",
    "SELECT title FROM main.saker",
    "SELECT internal_notes FROM main.organisations",
    "SELECT * FROM main.login_attempts",
    "DROP VIEW temp.saker",
    "CREATE TEMP TABLE leak AS SELECT 1",
    "PRAGMA query_only = OFF",
    "ATTACH DATABASE ':memory:' AS other",
]


def _viewer_connections(db_path):
    """The three ways a viewer's connection is made: the page pool, the export helper, and by hand."""
    yield "pool", Store(db_path).reading(public=True)
    yield "opened_for", visibility.opened_for(db_path, auth.Actor("anonym", "viewer"))

    class _ByHand:
        def __enter__(self):
            self.db = visibility.restrict_to_public(connection.connect(db_path))
            return self.db

        def __exit__(self, *exc):
            self.db.close()

    yield "restrict_to_public", _ByHand()


@pytest.mark.parametrize("probe", PROBES)
def test_a_viewers_connection_refuses_every_write_and_every_read_of_a_hidden_table(db_path, hidden, probe):
    for how, opening in _viewer_connections(db_path):
        with opening as db:
            with pytest.raises(sqlite3.DatabaseError):
                db.execute(probe).fetchall()
            # The connection still answers what a viewer may read, and the data is as it was.
            assert db.execute("SELECT COUNT(*) FROM saker").fetchone() == (0,), how
            assert db.execute("SELECT internal_notes FROM organisations").fetchall() == [(None,)], how
    with connection.opened(db_path) as db:
        assert db.execute("SELECT is_internal FROM saker").fetchall() == [(1,)]
        assert db.execute("SELECT COUNT(*) FROM meta WHERE key = 'x'").fetchone() == (0,)
        assert db.execute("SELECT COUNT(*) FROM audit_log").fetchone() == (1,)
        assert db.execute("SELECT COUNT(*) FROM themes").fetchone() == (0,)


def test_a_viewers_connection_still_reads_public_tables_and_the_public_change_log(db_path, hidden):
    with Store(db_path).reading(public=True) as db:
        assert db.execute("SELECT name FROM organisations").fetchall() == [("KREM",)]
        assert db.execute("SELECT COUNT(*) FROM main.themes").fetchone() == (0,)  # nothing hidden there
        assert db.execute("SELECT COUNT(*) FROM audit_log").fetchone() == (0,)  # the internal sak's history
        assert db.execute("PRAGMA main.table_info([saker])").fetchall()
        # A second use of the pooled connection is guarded as well.
    with Store(db_path).reading(public=True) as db:
        with pytest.raises(sqlite3.DatabaseError):
            db.execute("UPDATE main.saker SET is_internal = 0")


def test_an_editors_pooled_connection_cannot_be_switched_back_to_writing(db_path, hidden):
    with Store(db_path).reading() as db:
        assert db.execute("SELECT title FROM main.saker").fetchall() == [("Intern strategi",)]
        for probe in ("PRAGMA query_only = OFF", "UPDATE main.saker SET is_internal = 0", "DELETE FROM main.audit_log"):
            with pytest.raises(sqlite3.DatabaseError):
                db.execute(probe)
    with connection.opened(db_path) as db:
        assert db.execute("SELECT is_internal FROM saker").fetchall() == [(1,)]


# ---------------------------------------------------------------- 4. exports never hand a spreadsheet a formula

HOSTILE = ['=HYPERLINK("http://evil","klikk")', "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1"]


def test_csv_export_neutralises_cells_a_spreadsheet_would_run():
    frame = pd.DataFrame({"title": [*HOSTILE, "Høring – barnetrygd", "24/109"],
                          "amount": [-1500, 2, 3, 4, 5, 6, 7, 8],
                          "ratio": [-0.5, 1.0, 2.0, 3.0, 4.0, 5.0, 6.5, 7.0]})
    rows = list(csv.reader(io.StringIO(exporter.to_csv(frame).decode("utf-8-sig"), newline="")))
    titles = [r[0] for r in rows[1:]]
    assert titles == [f"'{value}" for value in HOSTILE] + ["Høring – barnetrygd", "24/109"]
    assert [r[1] for r in rows[1:3]] == ["-1500", "2"]  # numbers are numbers, negative or not
    assert rows[1][2] == "-0.5"
    assert frame["title"][0] == HOSTILE[0]  # the frame (and so the stored value) is left alone


def test_an_imported_formula_is_stored_as_typed_and_exported_neutralised(db, editor):
    from krem_advocacy.exchange import importer

    data = f"Tittel;Høringsfrist\n{HOSTILE[0]};06.02.2026\n".encode()
    table = importer.read_table(data, "hostile.csv", "hoeringer")
    importer.import_rows(db, editor, "hoeringer", table, importer.guess_mapping("hoeringer", table.columns))
    assert db.execute("SELECT title FROM hoeringer").fetchall() == [(HOSTILE[0],)]
    body = exporter.to_csv(exporter.table_frame(db, "hoeringer", editor)).decode("utf-8-sig")
    assert f"'{HOSTILE[0]}".replace('"', '""') in body
    assert f",{HOSTILE[0]}" not in body and f'"{HOSTILE[0]}' not in body


def test_excel_export_writes_such_text_as_text_not_as_formulas():
    frame = pd.DataFrame({"title": HOSTILE, "amount": [-1500, 2, 3, 4, 5, 6]})
    sheet = openpyxl.load_workbook(io.BytesIO(exporter.to_excel(frame))).active
    cells = [sheet.cell(row=n, column=1) for n in range(2, len(HOSTILE) + 2)]
    assert [c.data_type for c in cells] == ["s"] * len(HOSTILE)
    assert [c.value for c in cells] == HOSTILE  # the value as stored; Excel shows it, never runs it
    assert (sheet.cell(row=2, column=2).data_type, sheet.cell(row=2, column=2).value) == ("n", -1500)


# ---------------------------------------------------------------- 7. secrets stay out of reprs


def test_an_accounts_repr_does_not_show_its_password_hash(accounts):
    account = accounts["kari"]
    assert account.password_hash.split("$")[-1] not in repr(account)
    assert "scrypt" not in repr(account) and "scrypt" not in str(account)
    assert "Kari Nordmann" in repr(account)
    assert "scrypt" not in repr(account.actor())


def test_a_viewer_searches_but_cannot_read_the_search_index_itself(db_path, hidden):
    from krem_advocacy.domain import search

    with connection.opened(db_path) as db:
        insert(db, "saker", title="Offentlig strategi")
        db.conn.commit()
    with Store(db_path).reading(public=True) as db:
        assert list(search.search(db, "strategi")["title"]) == ["Offentlig strategi"]
        # The index holds internal records' words too: outside a search it is closed, as is the table.
        for probe in ("SELECT title FROM saker_fts", "SELECT rowid FROM saker_fts WHERE saker_fts MATCH 'intern'",
                      "SELECT term FROM saker_fts_idx", "SELECT title FROM main.saker"):
            with pytest.raises(sqlite3.DatabaseError):
                db.execute(probe).fetchall()
    with Store(db_path).reading() as db:  # editors search everything
        assert sorted(search.search(db, "strategi")["title"]) == ["Intern strategi", "Offentlig strategi"]


# ---------------------------------------------------------------- docs/security.md names real tests


def test_every_test_named_in_the_security_doc_exists():
    import ast
    import re

    from tests.helpers import ROOT

    text = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    named = re.findall(r"`(tests/[\w/]+\.py)::(test_\w+)`", text)
    assert len(named) > 30
    missing = []
    for path, name in named:
        tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
        if name not in {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}:
            missing.append(f"{path}::{name}")
    assert missing == []
