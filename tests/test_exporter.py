"""Exports: CSV, Excel, JSON and SQLite reopen in pandas with the same rows and columns; roles see what they may."""

import io
import json
import sqlite3

import openpyxl
import pandas as pd
import pytest

from krem_advocacy.exchange import exporter
from krem_advocacy.store import records
from tests.helpers import insert


def as_text(frame: pd.DataFrame) -> list[list[str]]:
    """Cells as text (empty for missing), the form every format can be compared in."""
    tidy = exporter.tidy(frame).astype(object)
    return [["" if v is None or v is pd.NA or v != v else str(v) for v in row] for row in tidy.itertuples(index=False)]


@pytest.fixture
def forum_db(db, small_forum, editor):
    """The small forum with some of everything an export holds: internal notes, people and their roles, a
    theme, a budget year, a seen feed item, text with commas, quotes, line breaks and Norwegian letters,
    amounts, the change log of real writes, and one sign-in."""
    insert(db, "themes", code="bolig", label_nb="Rett til egnet bolig", label_en="Housing", origin="forum",
           sort_order=1)
    person = insert(db, "people", name="Åse Ødegård", side="government", organisation_id=small_forum["bfd"])
    insert(db, "person_roles", person_id=person, organisation_id=small_forum["bfd"], title="statssekretær",
           from_date="2025-01-01")
    insert(db, "budget_years", budget_year=2027, hearing_on="2026-10-22", frames_vote_on="2026-11-20")
    insert(db, "feed_seen", guid="https://www.regjeringen.no/id9000103", title="Høring – bolig",
           seen_at="2026-03-01T08:00:00+00:00", hoering_id=small_forum["h_week"])
    db.execute("UPDATE hoeringer SET internal_notes = 'Intern: kort frist, spør AFFO' WHERE id = ?",
               [small_forum["h_week"]])
    sak = records.create(db, editor, "saker", {"title": 'Bolig – «trygg», "egnet" og rimelig',
                                                 "description": "Linje 1\nlinje 2; med komma, og semikolon",
                                                 "internal_notes": "Intern: bare for redaktører"})
    records.set_links(db, editor, "sak_people", "sak_id", sak, "person_id", [person])
    insert(db, "hoering_cosigners", hoering_id=small_forum["h_week"], organisation_id=small_forum["krem"])
    insert(db, "budget_input_cosigners", budget_input_id=small_forum["budget"], organisation_id=small_forum["krem"])
    insert(db, "meeting_people", meeting_id=small_forum["ku_past"], person_id=person, role_at_meeting="statssekretær")
    insert(db, "meeting_organisations", meeting_id=small_forum["ku_past"], organisation_id=small_forum["affo"])
    db.execute("INSERT INTO login_attempts (username, at, success) VALUES ('kari', '2026-01-01T00:00:00', 1)")
    db.conn.commit()
    return db


def test_every_table_reopens_from_csv_excel_and_json_with_the_same_rows_and_columns(forum_db, editor):
    dump = json.loads(exporter.json_dump(forum_db, editor))
    tables = exporter.exportable_tables(forum_db, editor)
    assert {"hoeringer", "budget_inputs", "meetings", "saker", "organisations", "audit_log", "feed_seen"} <= set(tables)
    for table in tables:
        frame = exporter.table_frame(forum_db, table, editor)
        expected = as_text(frame)

        from_csv = pd.read_csv(io.BytesIO(exporter.to_csv(frame)), dtype=str, keep_default_na=False)
        assert list(from_csv.columns) == list(frame.columns), table
        assert from_csv.values.tolist() == expected, table

        from_excel = pd.read_excel(io.BytesIO(exporter.to_excel(frame, table)), dtype=object)
        assert list(from_excel.columns) == list(frame.columns), table
        assert as_text(from_excel) == expected, table

        entry = dump["tables"][table]
        from_json = pd.DataFrame(entry["rows"], columns=entry["columns"])
        assert list(from_json.columns) == list(frame.columns), table
        assert as_text(from_json) == expected, table


def test_the_sqlite_copy_reopens_with_every_table_and_row(forum_db, db_path, tmp_path, editor):
    path = tmp_path / "copy.db"
    path.write_bytes(exporter.sqlite_copy(db_path, editor))
    with sqlite3.connect(path) as copy:
        for table in exporter.exportable_tables(forum_db, editor):
            original = exporter.table_frame(forum_db, table, editor)
            reopened = pd.read_sql(f"SELECT * FROM [{table}]", copy)
            assert list(reopened.columns) == list(original.columns), table
            assert as_text(reopened) == as_text(original), table
        assert copy.execute("SELECT COUNT(*) FROM login_attempts").fetchone()[0] == 0
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_viewers_get_no_internal_notes_and_no_change_log_in_any_format(forum_db, db_path, tmp_path, viewer):
    assert forum_db.execute("SELECT COUNT(*) FROM hoeringer WHERE internal_notes IS NOT NULL").fetchone()[0] > 0
    frame = exporter.table_frame(forum_db, "hoeringer", viewer)
    assert "internal_notes" not in frame.columns
    assert "internal_notes" not in pd.read_csv(io.BytesIO(exporter.to_csv(frame))).columns
    dump = json.loads(exporter.json_dump(forum_db, viewer))
    assert "internal_notes" not in dump["tables"]["hoeringer"]["columns"]
    assert dump["tables"]["audit_log"]["rows"] == []
    assert "login_attempts" not in dump["tables"]
    assert dump["role"] == "viewer"
    path = tmp_path / "viewer.db"
    data = exporter.sqlite_copy(db_path, viewer)
    assert b"Intern: kort frist" not in data  # wiped from the file, not only hidden
    path.write_bytes(data)
    with sqlite3.connect(path) as copy:
        assert copy.execute("SELECT COUNT(*) FROM hoeringer WHERE internal_notes IS NOT NULL").fetchone()[0] == 0
        assert copy.execute("SELECT COUNT(*) FROM saker WHERE internal_notes IS NOT NULL").fetchone()[0] == 0
        assert copy.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0] == 0
        assert copy.execute("SELECT COUNT(*) FROM hoeringer").fetchone()[0] == \
            forum_db.execute("SELECT COUNT(*) FROM hoeringer").fetchone()[0]


def test_editors_get_internal_notes_and_only_admins_get_sign_in_data(forum_db, editor, admin):
    assert "internal_notes" in exporter.table_frame(forum_db, "hoeringer", editor).columns
    assert "login_attempts" not in exporter.exportable_tables(forum_db, editor)
    assert len(exporter.table_frame(forum_db, "login_attempts", admin)) == 1
    with pytest.raises(ValueError):
        exporter.table_frame(forum_db, "login_attempts", editor)


def test_excel_has_a_frozen_bold_header_a_filter_and_clickable_links():
    frame = pd.DataFrame({"Tittel": ["Høring – a", "=1+1"], "Lenke": ["https://www.regjeringen.no/a/", None],
                          "Beløp": [1_500_000.0, None]})
    book = openpyxl.load_workbook(io.BytesIO(exporter.to_excel(frame, "Høringer")))
    sheet = book["Høringer"]
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold and sheet.auto_filter.ref == "A1:C3"
    assert sheet["B2"].hyperlink.target == "https://www.regjeringen.no/a/"
    assert sheet["A3"].data_type == "s" and sheet["A3"].value == "=1+1"  # text, never a formula
    assert sheet["C2"].value == 1_500_000 and isinstance(sheet["C2"].value, int)


def test_csv_opens_in_excel_with_norwegian_letters_and_whole_numbers():
    data = exporter.to_csv(pd.DataFrame({"Tittel": ["Bærum"], "Beløp": [1_500_000.0], "Post": ["01"]}))
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig") == "Tittel,Beløp,Post\r\nBærum,1500000,01\r\n"  # CRLF, as RFC 4180 and Excel


def test_the_internal_columns_of_a_list_are_dropped_for_viewers(db, editor, viewer):
    insert(db, "saker", title="S", internal_notes="hemmelig")
    frame = pd.DataFrame({"title": ["S"], "internal_notes": ["hemmelig"], "internal_deadline": ["2026-01-01"]})
    # The internal deadline is the forum's own date for its answer and is shown to everyone;
    # only internal notes (and records marked internal) are withheld.
    assert list(exporter._visible("hoeringer", frame, viewer).columns) == ["title", "internal_deadline"]
    assert list(exporter._visible("saker", frame, editor).columns) == ["title", "internal_notes", "internal_deadline"]


def test_a_viewers_exports_leave_out_internal_records_and_their_search_text(db_path, small_forum, tmp_path, editor,
                                                                            viewer):
    """Records marked internal, what they own and their indexed text never reach a viewer's export."""
    import json as jsonlib
    import sqlite3

    from krem_advocacy.store.connection import opened

    path = db_path  # the small forum's file
    with opened(path) as db:
        sak = records.create(db, editor, "saker", {"title": "Hemmeligsak om Zyxwv", "is_internal": 1})
        meeting = records.create(db, editor, "meetings", {"title": "Internt møte", "kind": "forum",
                                                          "starts_at": "2026-01-01T10:00", "is_internal": 1})
        records.create(db, editor, "agenda_items", {"meeting_id": meeting, "title": "Punkt Qwzyx"})
        public_with_internal_note = db.execute("SELECT id FROM hoeringer LIMIT 1").fetchone()[0]
        db.execute("UPDATE hoeringer SET internal_notes = 'HEMMELIG-NOTAT' WHERE id = ?", [public_with_internal_note])
        db.conn.commit()
        dump = exporter.json_dump(db, viewer).decode("utf-8")
        saker_csv = exporter.to_csv(exporter.table_frame(db, "saker", viewer)).decode("utf-8-sig")
    for text in (dump, saker_csv):
        assert "Zyxwv" not in text and "Qwzyx" not in text and "HEMMELIG-NOTAT" not in text
    assert "internal_deadline" in jsonlib.loads(dump)["tables"]["hoeringer"]["columns"]  # a public column
    copy = tmp_path / "copy.db"
    copy.write_bytes(exporter.sqlite_copy(path, viewer))
    raw = copy.read_bytes()
    assert b"Zyxwv" not in raw and b"Qwzyx" not in raw and b"HEMMELIG-NOTAT" not in raw
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT COUNT(*) FROM saker WHERE id = ?", [sak]).fetchone()[0] == 0
        assert conn.execute("SELECT COUNT(*) FROM saker_fts WHERE saker_fts MATCH 'Zyxwv'").fetchone()[0] == 0
        assert conn.execute("SELECT COUNT(*) FROM saker").fetchone()[0] > 0
    editor_copy = exporter.sqlite_copy(path, editor)
    assert b"Zyxwv" in editor_copy  # the control: an editor's copy has it
