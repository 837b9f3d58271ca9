"""Migrations: complete schema, idempotent, an older database migrates with its data kept."""

from krem_advocacy.store import connection as dbmod
from krem_advocacy.store import migrations


def test_all_migrations_applied_and_second_run_is_a_noop(db_path):
    with dbmod.opened(db_path) as db:
        assert [m.name for m in migrations.migrations.applied(db)] == migrations.all_names()
        schema_before = db.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall()
        assert migrations.apply(db) == []
        assert db.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall() == schema_before


def test_schema_covers_the_whole_domain(db):
    tables = set(db.table_names())
    expected = {"themes", "organisations", "people", "person_roles", "saker", "sak_people", "hoeringer",
                "hoering_cosigners", "hoering_saker", "budget_years", "budget_inputs",
                "budget_input_cosigners", "budget_input_saker", "meetings", "meeting_people",
                "meeting_organisations", "agenda_items", "tilsagn", "audit_log", "settings", "feed_seen",
                "login_attempts", "meta"}
    assert expected <= tables
    for table in migrations.RECORD_TABLES:
        columns = set(db[table].columns_dict)
        assert {"created_at", "updated_at", "version", "is_example", "source", "internal_notes"} <= columns


def test_database_at_first_version_migrates_with_rows_kept(tmp_path):
    path = tmp_path / "old.db"
    with dbmod.opened(path) as db:
        migrations.apply(db, stop_before="0002_filter_indexes")
        assert [m.name for m in migrations.migrations.applied(db)] == ["0001_core_schema"]
        db.execute("INSERT INTO organisations (name, kind, created_at, updated_at) "
                   "VALUES ('KREM', 'forum_member', 'x', 'x')")
        db.execute("INSERT INTO saker (title, created_at, updated_at) VALUES ('Bolig', 'x', 'x')")
        db.conn.commit()
    with dbmod.opened(path) as db:
        applied = migrations.apply(db)
        assert applied == migrations.all_names()[1:]  # every later migration, in order
        assert [r[0] for r in db.execute("SELECT name FROM organisations")] == ["KREM"]
        assert [r[0] for r in db.execute("SELECT title FROM saker")] == ["Bolig"]
        assert "idx_hoeringer_deadline" in {i.name for i in db["hoeringer"].indexes}


def test_foreign_keys_and_checks_are_enforced(db):
    import sqlite3

    import pytest

    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO saker (title, lead_org_id, created_at, updated_at) VALUES ('x', 999, 'x', 'x')")
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO hoeringer (title, our_status, created_at, updated_at) "
                   "VALUES ('x', 'maybe', 'x', 'x')")


def test_connection_uses_wal_and_busy_timeout(db):
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] == dbmod.BUSY_TIMEOUT_MS
