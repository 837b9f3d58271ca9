"""Visibility: viewers never get internal fields, internal records or what those records own."""

import pytest

from krem_advocacy.store import records, visibility
from krem_advocacy.store.records import VIEWER, Actor
from tests.helpers import insert

EDITOR = Actor("Kari Redaktør", "editor")


@pytest.fixture
def forum(db):
    ids = {}
    ids["org"] = insert(db, "organisations", name="KREM", kind="forum_member", internal_notes="HEMMELIG-ORG")
    ids["open"] = insert(db, "meetings", title="KU åpent", kind="ku", starts_at="2026-01-12T12:00",
                         internal_notes="HEMMELIG-MØTE")
    ids["closed"] = insert(db, "meetings", title="Internt formøte", kind="forum", starts_at="2026-01-10T12:00",
                           is_internal=1)
    ids["item_open"] = insert(db, "agenda_items", meeting_id=ids["open"], title="Barnetrygd")
    ids["item_closed"] = insert(db, "agenda_items", meeting_id=ids["closed"], title="Strategi")
    insert(db, "meeting_organisations", meeting_id=ids["closed"], organisation_id=ids["org"])
    insert(db, "meeting_organisations", meeting_id=ids["open"], organisation_id=ids["org"])
    db.conn.commit()
    return ids


def test_viewer_columns_leave_out_internal_notes_and_the_flag():
    assert "internal_notes" not in visibility.visible_columns("saker", VIEWER)
    assert "is_internal" not in visibility.visible_columns("saker", VIEWER)
    assert visibility.visible_columns("saker", VIEWER)[:2] == ["id", "title"]
    assert "internal_notes" in visibility.visible_columns("saker", EDITOR)


def test_read_table_hides_internal_records_and_what_they_own(db, forum):
    meetings = visibility.read_table(db, "meetings", VIEWER)
    assert list(meetings["title"]) == ["KU åpent"]
    assert "internal_notes" not in meetings.columns
    assert list(visibility.read_table(db, "agenda_items", VIEWER)["title"]) == ["Barnetrygd"]
    links = visibility.read_table(db, "meeting_organisations", VIEWER)
    assert list(links["meeting_id"]) == [forum["open"]]
    assert len(visibility.read_table(db, "meetings", EDITOR)) == 2
    assert visibility.read_table(db, "login_attempts", VIEWER).empty


def test_public_connection_shadows_every_table(db, forum):
    visibility.restrict_to_public(db)
    assert db.execute("SELECT title FROM meetings ORDER BY id").fetchall() == [("KU åpent",)]
    assert db.execute("SELECT internal_notes FROM organisations").fetchall() == [(None,)]
    assert db.execute("SELECT a.title FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id").fetchall() \
        == [("Barnetrygd",)]
    with pytest.raises(Exception, match="view"):
        db.execute("UPDATE meetings SET title = 'x'")


def test_filter_frame_drops_columns_and_marked_rows(db, forum):
    frame = visibility.read_table(db, "meetings", EDITOR)
    shown = visibility.filter_frame("meetings", frame, VIEWER)
    assert list(shown["title"]) == ["KU åpent"]
    assert "internal_notes" not in shown.columns and "is_internal" not in shown.columns
    assert visibility.filter_frame("meetings", frame, EDITOR) is frame


def test_set_internal_is_audited_and_refused_for_viewers(db, forum):
    with pytest.raises(records.PermissionDenied):
        visibility.set_internal(db, VIEWER, "meetings", forum["open"], True, 1)
    version = visibility.set_internal(db, EDITOR, "meetings", forum["open"], True, 1)
    assert version == 2
    assert visibility.is_internal_record(db, "meetings", forum["open"])
    assert visibility.is_internal_record(db, "agenda_items", forum["item_open"])
    assert visibility.read_table(db, "meetings", VIEWER).empty


def test_audit_for_viewers_strips_internal_fields_and_hidden_records(db, forum):
    records.update(db, EDITOR, "organisations", forum["org"], {"name": "KREM!", "internal_notes": "HEMMELIG-2"}, 1)
    records.update(db, EDITOR, "meetings", forum["closed"], {"title": "Formøte"}, 1)
    new = records.create(db, EDITOR, "saker", {"title": "Utkast", "is_internal": 1})
    records.delete(db, EDITOR, "saker", new, 1)
    shown = visibility.read_table(db, "audit_log", VIEWER)
    assert list(zip(shown["table_name"], shown["action"])) == [("organisations", "update")]
    assert "HEMMELIG" not in "".join(shown["before"].fillna("")) + "".join(shown["after"].fillna(""))
    assert len(visibility.read_table(db, "audit_log", EDITOR)) == 4
