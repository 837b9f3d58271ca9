"""Backups and restore: consistent copies; every bad upload refused with the live data unchanged."""

import sqlite3
from datetime import UTC, datetime

import pytest

from krem_advocacy.store import backup, records
from krem_advocacy.store.backup import RestoreRefused
from krem_advocacy.store.connection import opened
from krem_advocacy.store.errors import PermissionDenied
from tests.helpers import insert

NOW = datetime(2026, 3, 2, 14, 15, 0, tzinfo=UTC)


@pytest.fixture
def live(db_path):
    """A live database with one organisation, "KREM"."""
    with opened(db_path) as db:
        insert(db, "organisations", name="KREM", kind="forum_member")
        db.conn.commit()
    return db_path


def names(path) -> list[str]:
    with opened(path) as db:
        return [r[0] for r in db.execute("SELECT name FROM organisations ORDER BY id")]


def good_backup(live_path, tmp_path, name="Batteriet") -> bytes:
    """A backup of the live data with one more organisation added to it."""
    copy = backup.backup_to(live_path, tmp_path / "good.db")
    with opened(copy) as db:
        insert(db, "organisations", name=name, kind="secretariat")
        db.conn.commit()
    return backup.backup_to(copy, tmp_path / "good-final.db").read_bytes()


def test_backup_is_a_consistent_single_file_sqlite_database(live, tmp_path, editor):
    data = backup.backup_bytes(live, editor)
    assert data.startswith(b"SQLite format 3\x00")
    target = tmp_path / "downloaded.db"
    target.write_bytes(data)
    assert names(target) == ["KREM"]
    assert not (tmp_path / "downloaded.db-wal").exists() or (tmp_path / "downloaded.db-wal").stat().st_size == 0


def test_backup_download_is_refused_for_viewers(live, viewer):
    with pytest.raises(PermissionDenied):
        backup.backup_bytes(live, viewer)


def test_backup_includes_a_write_still_in_the_wal(live, editor):
    # A file copy of a live WAL database can miss committed rows; the backup API cannot.
    holder = sqlite3.connect(str(live))
    holder.execute("INSERT INTO organisations (name, kind, created_at, updated_at) "
                   "VALUES ('RIO', 'forum_member', 'x', 'x')")
    holder.commit()
    data = backup.backup_bytes(live, editor)
    holder.close()
    assert b"RIO" in data


def test_restoring_a_good_backup_replaces_the_data_and_keeps_the_old_file(live, tmp_path, editor, admin):
    data = good_backup(live, tmp_path)
    with opened(live) as db:
        records.create(db, editor, "organisations", {"name": "Made after the backup", "kind": "other"})
    result = backup.restore(live, data, admin, now=NOW)
    assert names(live) == ["KREM", "Batteriet"]
    assert result.kept_copy.name == "krem-20260302-141500.db"
    assert result.kept_copy.parent == live.parent / "backups"
    assert names(result.kept_copy) == ["KREM", "Made after the backup"]
    with opened(live) as db:
        row = db.execute("SELECT actor, action, table_name FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    assert row == (admin.name, "restore", "database")
    assert backup.list_backups(live) == [result.kept_copy]


def test_restore_moves_the_revision_past_the_old_one(live, tmp_path, editor, admin):
    data = good_backup(live, tmp_path)
    with opened(live) as db:
        for n in range(5):
            records.create(db, editor, "organisations", {"name": f"Org {n}", "kind": "other"})
        old = db.execute("SELECT value FROM meta").fetchone()[0]
    backup.restore(live, data, admin, now=NOW)
    with opened(live) as db:
        assert db.execute("SELECT value FROM meta").fetchone()[0] > old


def test_restoring_an_older_version_migrates_it_forward(tmp_path, live, admin):
    from krem_advocacy.store import migrations

    old = tmp_path / "old.db"
    with opened(old) as db:
        migrations.apply(db, stop_before="0002_filter_indexes")
        insert(db, "organisations", name="Gammel", kind="other")
        db.conn.commit()
    data = backup.backup_to(old, tmp_path / "old-copy.db").read_bytes()
    result = backup.restore(live, data, admin, now=NOW)
    assert "0003_revision_counter" in result.migrated
    assert names(live) == ["Gammel"]
    with opened(live) as db:
        assert [m.name for m in migrations.migrations.applied(db)] == migrations.all_names()


def other_app_database(tmp_path) -> bytes:
    path = tmp_path / "other.db"
    with sqlite3.connect(str(path)) as conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        conn.execute("INSERT INTO notes (body) VALUES ('hello')")
    return path.read_bytes()


def truncated(live, tmp_path) -> bytes:
    data = good_backup(live, tmp_path)
    return data[: len(data) // 2]


@pytest.mark.parametrize("kind, key", [
    ("text", "restore.not_sqlite"),
    ("other_app", "restore.not_ours"),
    ("truncated", "restore.truncated"),
    ("cut_mid_page", "restore.truncated"),
    ("empty", "restore.not_sqlite"),
])
def test_bad_uploads_are_refused_and_the_live_data_is_unchanged(live, tmp_path, kind, key, admin):
    data = {
        "text": lambda: b"navn;type\nKREM;forum\n",
        "other_app": lambda: other_app_database(tmp_path),
        "truncated": lambda: truncated(live, tmp_path),
        "cut_mid_page": lambda: good_backup(live, tmp_path)[:5000],
        "empty": lambda: b"",
    }[kind]()
    with opened(live) as db:
        before = db.execute("SELECT * FROM organisations").fetchall()
    with pytest.raises(RestoreRefused) as refused:
        backup.restore(live, data, admin, now=NOW)
    assert refused.value.key == key
    with opened(live) as db:
        assert db.execute("SELECT * FROM organisations").fetchall() == before
        assert db.execute("SELECT COUNT(*) FROM audit_log WHERE action = 'restore'").fetchone()[0] == 0
    assert backup.list_backups(live) == []


def test_a_damaged_database_is_refused(live, tmp_path, admin):
    data = bytearray(good_backup(live, tmp_path))
    page_size = int.from_bytes(data[16:18], "big")
    for page in range(1, len(data) // page_size):  # scribble over every page but the first
        data[page * page_size + 8: page * page_size + 40] = b"\xff" * 32
    with pytest.raises(RestoreRefused) as refused:
        backup.restore(live, bytes(data), admin, now=NOW)
    assert refused.value.key == "restore.damaged"
    assert names(live) == ["KREM"]


def test_a_database_from_a_newer_version_is_refused(live, tmp_path, admin):
    copy = backup.backup_to(live, tmp_path / "newer.db")
    with opened(copy) as db:
        db.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                   "VALUES ('krem_advocacy', '9999_from_the_future', '2030-01-01')")
        db.conn.commit()
    with pytest.raises(RestoreRefused) as refused:
        backup.restore(live, backup.backup_to(copy, tmp_path / "n2.db").read_bytes(), admin, now=NOW)
    assert refused.value.key == "restore.newer"
    assert "9999_from_the_future" in refused.value.detail


def test_only_admins_may_restore(live, tmp_path, editor):
    data = good_backup(live, tmp_path)
    with pytest.raises(PermissionDenied):
        backup.restore(live, data, editor, now=NOW)
    assert names(live) == ["KREM"]


def test_restore_reaches_connections_that_were_already_open(live, tmp_path, admin):
    data = good_backup(live, tmp_path)
    with opened(live) as reader:
        assert len(reader.execute("SELECT * FROM organisations").fetchall()) == 1
        backup.restore(live, data, admin, now=NOW)
        assert [r[0] for r in reader.execute("SELECT name FROM organisations ORDER BY id")] == ["KREM", "Batteriet"]
