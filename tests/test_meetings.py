"""Meetings, agenda items and tilsagn: validation, the write path, ordering, follow-up and suggestions."""

import json
from datetime import date

import pytest

from krem_advocacy.domain import meetings
from krem_advocacy.store import records
from krem_advocacy.store.errors import ConflictError, PermissionDenied, ValidationError
from tests.helpers import insert, rows

KU = {"title": "KU april", "kind": "ku", "starts_at": "2026-04-20T12:00", "ends_at": "2026-04-20T14:00",
      "place": "AID", "themes": "bolig", "prep_deadline": "2026-04-13"}


def version_of(db, table, record_id):
    return db.execute(f"SELECT version FROM {table} WHERE id = ?", [record_id]).fetchone()[0]


def audit(db, table):
    return [(a, r) for a, r in db.execute(
        "SELECT action, record_id FROM audit_log WHERE table_name = ? ORDER BY id", [table])]


@pytest.fixture
def people(db, small_forum):
    ids = dict(small_forum)
    ids["ola"] = insert(db, "people", name="Ola Statsråd", side="government", organisation_id=ids["bfd"])
    insert(db, "person_roles", person_id=ids["ola"], organisation_id=ids["bfd"], title="statssekretær",
           from_date="2024-01-01", to_date="2026-03-31")
    insert(db, "person_roles", person_id=ids["ola"], organisation_id=ids["bfd"], title="statsråd",
           from_date="2026-04-01")
    ids["hanne"] = insert(db, "people", name="Hanne Demodal", side="forum", organisation_id=ids["affo"])
    db.conn.commit()
    return ids


# ---------------------------------------------------------------- meetings

def test_create_meeting_with_attendees_noting_their_role_on_the_day(db, people, editor):
    meeting_id = meetings.create_meeting(db, editor, KU, people=[people["ola"], people["hanne"]],
                                         organisations=[people["affo"], people["krem"]])
    saved = meetings.get_meeting(db, meeting_id)
    assert (saved["title"], saved["kind"], saved["starts_at"], saved["ends_at"], saved["version"]) == (
        "KU april", "ku", "2026-04-20T12:00", "2026-04-20T14:00", 1)
    assert [(a["name"], a["side"], a["role_at_meeting"], a["role_on_day"]) for a in saved["attendees"]] == [
        ("Ola Statsråd", "government", "statsråd, BFD", "statsråd, BFD"),
        ("Hanne Demodal", "forum", None, "")]
    assert [o["name"] for o in saved["organisations"]] == ["Aleneforeldreforeningen", "KREM"]
    assert audit(db, "meetings") == [("create", meeting_id)]
    assert audit(db, "meeting_people") == [("link", meeting_id)]
    assert audit(db, "meeting_organisations") == [("link", meeting_id)]
    assert db.execute("SELECT actor FROM audit_log WHERE table_name = 'meetings'").fetchone()[0] == editor.name


def test_meeting_validation_names_every_wrong_field_and_writes_nothing(db, small_forum, editor):
    bad = {"title": " ", "kind": "mote", "starts_at": "2026-04-20T12:00", "ends_at": "2026-04-20T11:00",
           "prep_deadline": "2026-04-21", "minutes_url": "regjeringen.no/referat", "host_org_id": 999}
    with pytest.raises(ValidationError) as caught:
        meetings.create_meeting(db, editor, bad)
    assert caught.value.errors == {
        "title": "validation.required", "kind": "validation.choice", "ends_at": "validation.end_before_start",
        "prep_deadline": "validation.prep_after_meeting", "minutes_url": "validation.url",
        "host_org_id": "validation.choice"}
    with pytest.raises(ValidationError) as caught:
        meetings.create_meeting(db, editor, {**KU, "starts_at": "20.04.2026 12:00"})
    assert caught.value.errors == {"starts_at": "validation.datetime"}
    with pytest.raises(ValidationError) as caught:
        meetings.create_meeting(db, editor, {**KU, "starts_at": None})
    assert caught.value.errors == {"starts_at": "validation.required"}
    assert db.execute("SELECT COUNT(*) FROM meetings").fetchone()[0] == 2  # only small_forum's
    assert db.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0] == 0


def test_a_viewer_cannot_create_or_change_meetings(db, small_forum, viewer):
    with pytest.raises(PermissionDenied):
        meetings.create_meeting(db, viewer, KU)
    with pytest.raises(PermissionDenied):
        meetings.create_agenda_item(db, viewer, small_forum["ku_next"], {"sak_id": small_forum["sak"]})
    with pytest.raises(PermissionDenied):
        meetings.create_tilsagn(db, viewer, small_forum["ku_past"], {"text": "x"})


def test_stale_meeting_edit_is_a_conflict_and_changes_nothing(db, people, editor, other_editor):
    meeting_id = meetings.create_meeting(db, editor, KU, people=[people["ola"]])
    meetings.update_meeting(db, other_editor, meeting_id, {"place": "BFD"}, expected_version=1)
    with pytest.raises(ConflictError) as caught:
        meetings.update_meeting(db, editor, meeting_id, {"place": "ASD"}, expected_version=1,
                                people=[people["hanne"]])
    assert caught.value.current["place"] == "BFD"
    saved = meetings.get_meeting(db, meeting_id)
    assert (saved["place"], saved["version"]) == ("BFD", 2)
    assert [a["name"] for a in saved["attendees"]] == ["Ola Statsråd"]


def test_update_changes_only_the_fields_given(db, small_forum, editor):
    meeting_id = meetings.create_meeting(db, editor, {**KU, "minutes": "Referat."})
    assert meetings.update_meeting(db, editor, meeting_id, {"themes": "bolig, NAV"}, expected_version=1) == 2
    saved = meetings.get_meeting(db, meeting_id)
    assert (saved["themes"], saved["minutes"], saved["place"]) == ("bolig, NAV", "Referat.", "AID")


def test_delete_meeting_removes_agenda_and_tilsagn_through_the_log(db, small_forum, editor):
    past = small_forum["ku_past"]
    meetings.update_tilsagn(db, editor, small_forum["tilsagn"], {"followed_up_meeting_id": small_forum["ku_next"]},
                            version_of(db, "tilsagn", small_forum["tilsagn"]))
    meetings.delete_meeting(db, editor, small_forum["ku_next"], version_of(db, "meetings", small_forum["ku_next"]))
    assert db.execute("SELECT followed_up_meeting_id FROM tilsagn WHERE id = ?",
                      [small_forum["tilsagn"]]).fetchone()[0] is None
    meetings.delete_meeting(db, editor, past, version_of(db, "meetings", past))
    assert db.execute("SELECT COUNT(*) FROM meetings").fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM agenda_items").fetchone()[0] == 0
    assert ("delete", small_forum["item"]) in audit(db, "agenda_items")
    assert ("delete", small_forum["tilsagn"]) in audit(db, "tilsagn")
    assert audit(db, "meetings")[-1] == ("delete", past)


# ---------------------------------------------------------------- agenda items

def test_agenda_items_are_numbered_named_after_what_they_are_about_and_get_the_speakers_organisation(
        db, people, editor):
    meeting = people["ku_next"]
    first = meetings.create_agenda_item(db, editor, meeting, {"sak_id": people["sak"],
                                                              "speaker_person_id": people["hanne"]})
    second = meetings.create_agenda_item(db, editor, meeting, {"hoering_id": people["h_week"]})
    third = meetings.create_agenda_item(db, editor, meeting, {"title": "Budsjettet", "budget_input_id":
                                                              people["budget"], "speaker_org_id": people["krem"]})
    assert rows(meetings.agenda(db, meeting), ["id", "position", "title", "speaker_org", "speaker"]) == [
        (first, 1, "Barnetrygd", "Aleneforeldreforeningen", "Hanne Demodal"),
        (second, 2, "Høring B", None, None),
        (third, 3, "Budsjettet", "KREM", None)]
    assert [a for a, _ in audit(db, "agenda_items")] == ["create", "create", "create"]


def test_agenda_item_needs_a_title_or_something_to_be_about(db, small_forum, editor):
    with pytest.raises(ValidationError) as caught:
        meetings.create_agenda_item(db, editor, small_forum["ku_next"], {"summary": "Noe"})
    assert caught.value.errors == {"title": "validation.required"}
    with pytest.raises(ValidationError) as caught:
        meetings.create_agenda_item(db, editor, small_forum["ku_next"], {"sak_id": 999})
    assert caught.value.errors == {"sak_id": "validation.choice"}
    with pytest.raises(ValidationError) as caught:
        meetings.create_agenda_item(db, editor, 999, {"title": "X"})
    assert caught.value.errors == {"meeting_id": "validation.choice"}


def test_move_and_remove_agenda_items_keeps_positions_one_to_n(db, small_forum, editor):
    meeting = small_forum["ku_next"]
    a, b, c = (meetings.create_agenda_item(db, editor, meeting, {"title": t}) for t in ("A", "B", "C"))
    meetings.move_agenda_item(db, editor, c, -1, expected_version=1)
    assert rows(meetings.agenda(db, meeting), ["title", "position"]) == [("A", 1), ("C", 2), ("B", 3)]
    meetings.move_agenda_item(db, editor, a, -1, expected_version=1)  # already first: stays
    assert list(meetings.agenda(db, meeting)["title"]) == ["A", "C", "B"]
    with pytest.raises(ConflictError):
        meetings.move_agenda_item(db, editor, c, 1, expected_version=1)  # c was moved: now version 2
    meetings.delete_agenda_item(db, editor, a, expected_version=1)
    assert rows(meetings.agenda(db, meeting), ["title", "position"]) == [("C", 1), ("B", 2)]


def test_removing_an_item_keeps_its_tilsagn_on_the_meeting_and_logs_it(db, small_forum, editor):
    past, item = small_forum["ku_past"], small_forum["item"]
    promise = meetings.create_tilsagn(db, editor, past, {"text": "Vil svare skriftlig", "agenda_item_id": item})
    meetings.delete_agenda_item(db, editor, item, expected_version=1)
    assert db.execute("SELECT meeting_id, agenda_item_id, sak_id FROM tilsagn WHERE id = ?",
                      [promise]).fetchone() == (past, None, small_forum["sak"])
    assert audit(db, "tilsagn") == [("create", promise), ("update", promise)]


# ---------------------------------------------------------------- tilsagn

def test_tilsagn_on_an_agenda_item_gets_its_sak_and_the_ministers_department(db, people, editor):
    promise = meetings.create_tilsagn(db, editor, people["ku_past"], {
        "text": "Vil vurdere satsene", "agenda_item_id": people["item"], "responsible_person_id": people["ola"]})
    row = records.get(db, "tilsagn", promise)
    assert (row["sak_id"], row["responsible_org_id"], row["status"], row["version"]) == (
        people["sak"], people["bfd"], "aapen", 1)


def test_tilsagn_validation(db, small_forum, editor):
    next_item = meetings.create_agenda_item(db, editor, small_forum["ku_next"], {"title": "Annet"})
    with pytest.raises(ValidationError) as caught:
        meetings.create_tilsagn(db, editor, small_forum["ku_past"], {
            "text": "", "status": "lovet", "agenda_item_id": next_item,
            "followed_up_meeting_id": small_forum["ku_past"]})
    assert caught.value.errors == {"text": "validation.required", "status": "validation.choice",
                                   "agenda_item_id": "validation.agenda_item_other_meeting",
                                   "followed_up_meeting_id": "validation.followup_not_later"}


def test_a_tilsagn_shows_as_open_on_the_next_meeting_until_its_status_changes(db, small_forum, editor):
    past, following = small_forum["ku_past"], small_forum["ku_next"]
    promise = meetings.create_tilsagn(db, editor, past, {"text": "Vil invitere forumet", "sak_id": small_forum["sak"]})

    def due():
        return [t["text"] for t in meetings.get_meeting(db, following)["open_tilsagn_before"]]

    assert due() == ["Vil se på satsene", "Vil invitere forumet"]
    assert not meetings.get_meeting(db, past)["open_tilsagn_before"]  # not due before it was made
    meetings.update_tilsagn(db, editor, promise, {"status": "fulgt_opp", "followed_up_meeting_id": following}, 1)
    assert due() == ["Vil se på satsene", "Vil invitere forumet"]  # followed up, not yet delivered
    assert [t["text"] for t in meetings.get_meeting(db, following)["taken_up"]] == ["Vil invitere forumet"]
    meetings.update_tilsagn(db, editor, promise, {"status": "innfridd"}, 2)
    assert due() == ["Vil se på satsene"]
    listed = meetings.list_tilsagn(db)
    assert rows(listed, ["text", "status", "meeting"]) == [("Vil se på satsene", "aapen", "KU januar")]
    everything = meetings.list_tilsagn(db, statuses=None)
    assert rows(everything, ["text", "status", "followed_up_meeting"]) == [
        ("Vil se på satsene", "aapen", None), ("Vil invitere forumet", "innfridd", "KU mars")]
    assert list(meetings.list_tilsagn(db, statuses=("innfridd",), text="invitere")["text"]) == [
        "Vil invitere forumet"]


def test_tilsagn_update_conflict_keeps_the_saved_status(db, small_forum, editor, other_editor):
    promise = small_forum["tilsagn"]
    meetings.update_tilsagn(db, other_editor, promise, {"status": "ikke_innfridd"}, 1)
    with pytest.raises(ConflictError):
        meetings.update_tilsagn(db, editor, promise, {"status": "innfridd"}, 1)
    assert records.get(db, "tilsagn", promise)["status"] == "ikke_innfridd"
    after = json.loads(db.execute("SELECT after FROM audit_log WHERE table_name = 'tilsagn'").fetchone()[0])
    assert after == {"status": "ikke_innfridd", "version": 2}


# ---------------------------------------------------------------- suggestions

def test_agenda_candidates_for_the_next_meeting(db, small_forum, editor):
    found = meetings.agenda_candidates(db, small_forum["ku_next"])
    assert rows(found["saker"], ["title", "last_activity"]) == [("Barnetrygd", "2026-01-12")]
    # Høringer by how close their frist is to the meeting (16.03.2026), within a month before and two after.
    assert rows(found["hoeringer"], ["title", "deadline"]) == [
        ("Høring B", "2026-03-06"), ("Høring A", "2026-02-27"), ("Høring D", "2026-05-15")]
    assert rows(found["budget_inputs"], ["title", "budget_year", "phase", "in_current_phase"]) == [
        ("Frivillig arbeid", 2027, "prop1s", False)]
    meetings.create_agenda_item(db, editor, small_forum["ku_next"], {"sak_id": small_forum["sak"],
                                                                     "hoering_id": small_forum["h_week"]})
    found = meetings.agenda_candidates(db, small_forum["ku_next"])
    assert found["saker"].empty
    assert list(found["hoeringer"]["title"]) == ["Høring A", "Høring D"]


def test_budget_inputs_in_the_current_phase_come_first(db, small_forum):
    # On 16.03.2026 the 2026 budget is adopted (the revised budget comes in May); 2027 has no dates yet.
    insert(db, "budget_years", budget_year=2026, prop1s_on="2025-10-07", hearing_on="2025-10-27",
           frames_vote_on="2025-11-27", final_vote_on="2025-12-15", revised_on="2026-05-12")
    insert(db, "budget_inputs", title="Innstilling: mer til post 70", budget_year=2026, phase="innstilling")
    insert(db, "budget_inputs", title="Vedtatt, venter på utfall", budget_year=2026, phase="vedtatt")
    insert(db, "budget_inputs", title="Avgjort", budget_year=2026, phase="vedtatt", outcome="innfridd")
    db.conn.commit()
    found = meetings.agenda_candidates(db, small_forum["ku_next"])
    assert rows(found["budget_inputs"], ["title", "current_phase", "in_current_phase"]) == [
        ("Vedtatt, venter på utfall", "vedtatt", True), ("Innstilling: mer til post 70", "vedtatt", False),
        ("Frivillig arbeid", None, False)]


def test_budget_phase_follows_the_cycles_dates():
    cycle = {"prop1s_on": "2025-10-07", "hearing_on": "2025-10-27", "frames_vote_on": "2025-11-27",
             "final_vote_on": "2025-12-15", "revised_on": "2026-05-12"}
    assert [meetings.budget_phase_on(cycle, date.fromisoformat(d)) for d in (
        "2025-04-01", "2025-10-07", "2025-11-01", "2025-12-01", "2026-01-10", "2026-06-01")] == [
        "vaarinnspill", "prop1s", "budsjetthoering", "innstilling", "vedtatt", "revidert"]
    assert meetings.budget_phase_on({}, date(2026, 1, 1)) is None
