"""The write path: roles, versions and conflicts, the audit log, transactions."""

import json
import sqlite3

import pytest

from krem_advocacy.store import records
from krem_advocacy.store.errors import ConflictError, PermissionDenied


def test_create_sets_version_timestamps_and_audits(db, editor):
    org_id = records.create(db, editor, "organisations", {"name": "Wayback", "kind": "forum_member"})
    row = records.get(db, "organisations", org_id)
    assert (row["name"], row["version"]) == ("Wayback", 1)
    assert row["created_at"] == row["updated_at"]
    audit = db.execute("SELECT actor, action, table_name, record_id, before, after FROM audit_log").fetchall()
    assert [(a[0], a[1], a[2], a[3], a[4]) for a in audit] == [(editor.name, "create", "organisations", org_id, None)]
    assert json.loads(audit[0][5])["name"] == "Wayback"


def test_viewer_write_is_refused_in_the_data_layer(db, viewer):
    with pytest.raises(PermissionDenied):
        records.create(db, viewer, "organisations", {"name": "X", "kind": "other"})
    assert db.execute("SELECT COUNT(*) FROM organisations").fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0] == 0


def test_update_bumps_version_and_logs_only_changes(db, editor):
    org_id = records.create(db, editor, "organisations", {"name": "Marborg", "kind": "forum_member"})
    assert records.update(db, editor, "organisations", org_id, {"short_name": "MB"}, expected_version=1) == 2
    before, after = db.execute(
        "SELECT before, after FROM audit_log WHERE action = 'update'").fetchone()
    assert json.loads(before) == {"short_name": None, "version": 1}
    assert json.loads(after) == {"short_name": "MB", "version": 2}


def test_second_editor_with_stale_version_gets_conflict_not_overwrite(db, editor, other_editor):
    org_id = records.create(db, editor, "organisations", {"name": "RIO", "kind": "forum_member"})
    records.update(db, editor, "organisations", org_id, {"short_name": "RIO"}, expected_version=1)
    with pytest.raises(ConflictError) as caught:
        records.update(db, other_editor, "organisations", org_id, {"short_name": "R.I.O."}, expected_version=1)
    assert caught.value.current["short_name"] == "RIO"
    assert records.get(db, "organisations", org_id)["short_name"] == "RIO"


def test_failed_write_leaves_nothing_half_written(db, editor):
    with pytest.raises(sqlite3.IntegrityError):  # the table's CHECK refuses the kind
        records.create(db, editor, "organisations", {"name": "Bad", "kind": "not-a-kind"})
    assert db.execute("SELECT COUNT(*) FROM organisations").fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0] == 0


def test_delete_checks_version_and_keeps_row_in_audit(db, editor):
    org_id = records.create(db, editor, "organisations", {"name": "Wayback", "kind": "forum_member"})
    with pytest.raises(ConflictError):
        records.delete(db, editor, "organisations", org_id, expected_version=7)
    records.delete(db, editor, "organisations", org_id, expected_version=1)
    assert records.get(db, "organisations", org_id) is None
    before = db.execute("SELECT before FROM audit_log WHERE action = 'delete'").fetchone()[0]
    assert json.loads(before)["name"] == "Wayback"


def test_set_links_replaces_and_audits(db, editor):
    a = records.create(db, editor, "organisations", {"name": "A", "kind": "forum_member"})
    b = records.create(db, editor, "organisations", {"name": "B", "kind": "forum_member"})
    h = records.create(db, editor, "hoeringer", {"title": "Høring"})
    records.set_links(db, editor, "hoering_cosigners", "hoering_id", h, "organisation_id", [a, b])
    records.set_links(db, editor, "hoering_cosigners", "hoering_id", h, "organisation_id", [b])
    assert [r[0] for r in db.execute("SELECT organisation_id FROM hoering_cosigners")] == [b]
    assert db.execute("SELECT COUNT(*) FROM audit_log WHERE action = 'link'").fetchone()[0] == 2


def test_unknown_table_is_refused(db, editor):
    with pytest.raises(ValueError):
        records.create(db, editor, "audit_log; DROP TABLE saker", {"x": 1})


def test_revision_grows_with_every_write(db, editor):
    from krem_advocacy.store.connection import revision

    start = revision(db)
    records.create(db, editor, "organisations", {"name": "A", "kind": "other"})
    assert revision(db) > start
