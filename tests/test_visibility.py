"""Visibility: viewers never get internal fields, internal records or what those records own."""

import pytest

from krem_advocacy.store import records, visibility
from krem_advocacy.store.errors import PermissionDenied
from tests.helpers import insert


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


def test_viewer_columns_leave_out_internal_notes_and_the_flag(editor, viewer):
    assert "internal_notes" not in visibility.visible_columns("saker", viewer)
    assert "is_internal" not in visibility.visible_columns("saker", viewer)
    assert visibility.visible_columns("saker", viewer)[:2] == ["id", "title"]
    assert "internal_notes" in visibility.visible_columns("saker", editor)


def test_read_table_hides_internal_records_and_what_they_own(db, forum, editor, viewer):
    meetings = visibility.read_table(db, "meetings", viewer)
    assert list(meetings["title"]) == ["KU åpent"]
    assert "internal_notes" not in meetings.columns
    assert list(visibility.read_table(db, "agenda_items", viewer)["title"]) == ["Barnetrygd"]
    links = visibility.read_table(db, "meeting_organisations", viewer)
    assert list(links["meeting_id"]) == [forum["open"]]
    assert len(visibility.read_table(db, "meetings", editor)) == 2
    assert visibility.read_table(db, "login_attempts", viewer).empty


def test_public_connection_shadows_every_table(db, forum):
    visibility.restrict_to_public(db)
    assert db.execute("SELECT title FROM meetings ORDER BY id").fetchall() == [("KU åpent",)]
    assert db.execute("SELECT internal_notes FROM organisations").fetchall() == [(None,)]
    assert db.execute("SELECT a.title FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id").fetchall() \
        == [("Barnetrygd",)]
    with pytest.raises(Exception, match="view"):
        db.execute("UPDATE meetings SET title = 'x'")


def test_filter_frame_drops_columns_and_marked_rows(db, forum, editor, viewer):
    frame = visibility.read_table(db, "meetings", editor)
    shown = visibility.filter_frame("meetings", frame, viewer)
    assert list(shown["title"]) == ["KU åpent"]
    assert "internal_notes" not in shown.columns and "is_internal" not in shown.columns
    assert visibility.filter_frame("meetings", frame, editor) is frame


def test_set_internal_is_audited_and_refused_for_viewers(db, forum, editor, viewer):
    with pytest.raises(PermissionDenied):
        visibility.set_internal(db, viewer, "meetings", forum["open"], True, 1)
    version = visibility.set_internal(db, editor, "meetings", forum["open"], True, 1)
    assert version == 2
    assert visibility.is_internal_record(db, "meetings", forum["open"])
    assert visibility.is_internal_record(db, "agenda_items", forum["item_open"])
    assert visibility.read_table(db, "meetings", viewer).empty


def test_audit_for_viewers_strips_internal_fields_and_hidden_records(db, forum, editor, viewer):
    records.update(db, editor, "organisations", forum["org"], {"name": "KREM!", "internal_notes": "HEMMELIG-2"}, 1)
    records.update(db, editor, "meetings", forum["closed"], {"title": "Formøte"}, 1)
    new = records.create(db, editor, "saker", {"title": "Utkast", "is_internal": 1})
    records.delete(db, editor, "saker", new, 1)
    shown = visibility.read_table(db, "audit_log", viewer)
    assert list(zip(shown["table_name"], shown["action"])) == [("organisations", "update")]
    assert "HEMMELIG" not in "".join(shown["before"].fillna("")) + "".join(shown["after"].fillna(""))
    assert len(visibility.read_table(db, "audit_log", editor)) == 4
