"""Organisations and people: a person's roles over time and record of work; editing with validation."""

from datetime import date

import pytest

from krem_advocacy.domain import organisations
from krem_advocacy.store.errors import ConflictError, PermissionDenied, ValidationError
from tests.helpers import TODAY, insert, rows


@pytest.fixture
def ministry(db):
    """A ministry whose statssekretær changed, a directorate under it, a member, and two KU meetings."""
    ids = {}
    ids["asd"] = insert(db, "organisations", name="Arbeids- og sosialdepartementet", short_name="ASD",
                        kind="department")
    ids["nav"] = insert(db, "organisations", name="Arbeids- og velferdsdirektoratet", short_name="NAV",
                        kind="directorate", parent_id=ids["asd"])
    ids["krem"] = insert(db, "organisations", name="KREM", short_name="KREM", kind="forum_member",
                         member_since=2008, member_status="aktiv")
    ids["ola"] = insert(db, "people", name="Ola Demoberg", side="government", organisation_id=ids["asd"])
    ids["siri"] = insert(db, "people", name="Siri Prøvestad", side="government", organisation_id=ids["asd"])
    ids["nora"] = insert(db, "people", name="Nora Eksempeldatter", side="forum", organisation_id=ids["krem"],
                         email="nora@example.org")
    ids["r_ola"] = insert(db, "person_roles", person_id=ids["ola"], organisation_id=ids["asd"],
                          title="statssekretær", from_date="2023-01-01", to_date="2025-06-30")
    ids["r_ola2"] = insert(db, "person_roles", person_id=ids["ola"], organisation_id=ids["asd"],
                           title="statsråd", from_date="2025-07-01")
    insert(db, "person_roles", person_id=ids["siri"], organisation_id=ids["asd"], title="statssekretær",
           from_date="2025-07-01")
    ids["ku_old"] = insert(db, "meetings", title="KU 2024", kind="ku", starts_at="2024-05-10T12:00")
    ids["ku_new"] = insert(db, "meetings", title="KU 2026", kind="ku", starts_at="2026-01-20T12:00",
                           chair_person_id=ids["ola"])
    insert(db, "meeting_people", meeting_id=ids["ku_old"], person_id=ids["ola"], role_at_meeting="statssekretær")
    insert(db, "meeting_people", meeting_id=ids["ku_old"], person_id=ids["nora"])
    ids["sak"] = insert(db, "saker", title="Sosialt entreprenørskap", lead_org_id=ids["krem"])
    insert(db, "sak_people", sak_id=ids["sak"], person_id=ids["nora"])
    insert(db, "agenda_items", meeting_id=ids["ku_old"], position=1, title="Arbeidsgiveravgiften",
           speaker_org_id=ids["krem"], speaker_person_id=ids["nora"], sak_id=ids["sak"])
    insert(db, "tilsagn", meeting_id=ids["ku_old"], text="Ser på avgiften.", responsible_person_id=ids["ola"],
           responsible_org_id=ids["asd"])
    db.conn.commit()
    return ids


def test_a_person_shows_the_role_held_at_each_meeting(db, ministry):
    ola = organisations.get_person(db, ministry["ola"])
    assert rows(ola["roles"], ["title", "short_name", "from_date", "to_date"]) == [
        ("statsråd", "ASD", "2025-07-01", None),
        ("statssekretær", "ASD", "2023-01-01", "2025-06-30"),
    ]
    # 2024: statssekretær; 2026 (chairing, not on the attendee list): statsråd.
    assert rows(ola["meetings"], ["title", "role_at_meeting", "role_then"]) == [
        ("KU 2026", None, "statsråd, ASD"),
        ("KU 2024", "statssekretær", "statssekretær, ASD"),
    ]
    assert rows(ola["tilsagn"], ["text", "meeting"]) == [("Ser på avgiften.", "KU 2024")]
    nora = organisations.get_person(db, ministry["nora"])
    assert rows(nora["innlegg"], ["meeting", "title"]) == [("KU 2024", "Arbeidsgiveravgiften")]
    assert rows(nora["saker"], ["title"]) == [("Sosialt entreprenørskap",)]
    assert organisations.get_person(db, 9999) is None


def test_an_organisation_shows_who_held_roles_there_and_what_it_did(db, ministry):
    asd = organisations.get_organisation(db, ministry["asd"])
    assert rows(asd["people"], ["name", "title", "from_date", "to_date"]) == [
        ("Ola Demoberg", "statsråd", "2025-07-01", None),
        ("Siri Prøvestad", "statssekretær", "2025-07-01", None),
        ("Ola Demoberg", "statssekretær", "2023-01-01", "2025-06-30"),
    ]
    assert rows(asd["children"], ["short_name"]) == [("NAV",)]
    assert rows(asd["tilsagn"], ["text"]) == [("Ser på avgiften.",)]
    krem = organisations.get_organisation(db, ministry["krem"])
    assert rows(krem["saker"], ["title"]) == [("Sosialt entreprenørskap",)]
    assert rows(krem["people"], ["name", "title"]) == [("Nora Eksempeldatter", None)]  # no role recorded


def test_membership_rules(db, ministry):
    def errors(values, org_id=None):
        with pytest.raises(ValidationError) as error:
            organisations.clean_organisation(db, values, org_id=org_id, today=TODAY)
        return error.value.errors

    base = {"name": "Bydelsmødrene", "kind": "forum_member"}
    assert errors({**base, "member_since": 2015, "member_until": 2012, "member_status": "utmeldt"}) == {
        "member_until": "validation.organisations.member_until_before_since"}
    assert errors({**base, "member_since": 2015, "member_until": None, "member_status": "utmeldt"}) == {
        "member_until": "validation.organisations.left_needs_year"}
    assert errors({**base, "member_since": 2015, "member_until": 2020, "member_status": "aktiv"}) == {
        "member_status": "validation.organisations.status_after_leaving"}
    assert errors({**base, "member_since": 1850}) == {"member_since": "validation.organisations.year"}
    assert errors({"name": "Helsedirektoratet", "kind": "directorate", "member_since": 2010}) == {
        "member_since": "validation.organisations.membership_only_members"}
    assert errors({"name": "", "kind": "ukjent", "url": "www.x.no", "representatives": 99}) == {
        "name": "validation.required", "kind": "validation.choice", "url": "validation.url",
        "representatives": "validation.organisations.representatives"}
    # «permisjon» (on leave) with a last year still to come is fine; so is a member that left in 2019.
    on_leave = organisations.clean_organisation(db, {**base, "member_since": 2010, "member_until": 2026,
                                                     "member_status": "permisjon"}, today=TODAY)
    assert on_leave["member_status"] == "permisjon"
    assert organisations.clean_organisation(db, {**base, "member_since": 2010, "member_until": 2019,
                                                 "member_status": "utmeldt"}, today=TODAY)["member_until"] == 2019


def test_a_parent_cannot_be_the_organisation_or_below_it(db, ministry, editor):
    with pytest.raises(ValidationError) as error:
        organisations.update_organisation(db, editor, ministry["asd"], {"parent_id": ministry["nav"]}, 1, today=TODAY)
    assert error.value.errors == {"parent_id": "validation.organisations.parent_cycle"}
    with pytest.raises(ValidationError):
        organisations.update_organisation(db, editor, ministry["asd"], {"parent_id": ministry["asd"]}, 1, today=TODAY)


def test_create_and_update_an_organisation_with_audit_and_conflict(db, ministry, editor):
    org_id = organisations.create_organisation(db, editor, {
        "name": "Landsforeningen for barnevernsbarn", "short_name": "LFB", "kind": "forum_member",
        "member_since": 2010, "member_status": "permisjon", "representatives": 1}, today=TODAY)
    assert db.execute("SELECT short_name, member_status, version FROM organisations WHERE id = ?",
                      [org_id]).fetchone() == ("LFB", "permisjon", 1)
    assert organisations.update_organisation(db, editor, org_id, {"member_status": "aktiv"}, 1, today=TODAY) == 2
    with pytest.raises(ConflictError) as error:
        organisations.update_organisation(db, editor, org_id, {"member_status": "utmeldt", "member_until": 2026},
                                          1, today=TODAY)
    assert error.value.current["member_status"] == "aktiv"
    actions = db.execute("SELECT action FROM audit_log WHERE table_name = 'organisations' ORDER BY id").fetchall()
    assert actions == [("create",), ("update",)]


def test_people_and_roles_are_validated_and_audited(db, ministry, editor):
    with pytest.raises(ValidationError) as error:
        organisations.create_person(db, editor, {"name": "Ny", "side": "ukjent", "email": "ikke-en-adresse",
                                                 "phone": "ring meg", "organisation_id": 999})
    assert error.value.errors == {"side": "validation.choice", "email": "validation.organisations.email",
                                  "phone": "validation.organisations.phone",
                                  "organisation_id": "validation.organisations.missing"}
    person = organisations.create_person(db, editor, {"name": "Mona Testrud", "side": "government",
                                                      "organisation_id": ministry["asd"], "phone": "+47 22 00 00 00"})
    with pytest.raises(ValidationError) as error:
        organisations.create_role(db, editor, {"person_id": person, "title": "statssekretær",
                                               "from_date": date(2025, 1, 1), "to_date": date(2024, 1, 1)})
    assert error.value.errors == {"to_date": "validation.date_order"}
    role = organisations.create_role(db, editor, {"person_id": person, "title": "statssekretær",
                                                  "organisation_id": ministry["asd"], "from_date": date(2024, 1, 1)})
    assert organisations.update_role(db, editor, role, {"to_date": date(2025, 12, 31)}, 1) == 2
    with pytest.raises(ConflictError):
        organisations.delete_role(db, editor, role, 1)
    organisations.delete_role(db, editor, role, 2)
    assert db.execute("SELECT COUNT(*) FROM person_roles WHERE person_id = ?", [person]).fetchone() == (0,)
    log = db.execute("SELECT action, table_name FROM audit_log ORDER BY id").fetchall()
    assert log == [("create", "people"), ("create", "person_roles"), ("update", "person_roles"),
                   ("delete", "person_roles")]


def test_viewers_cannot_change_organisations_or_people(db, ministry, viewer):
    with pytest.raises(PermissionDenied):
        organisations.create_organisation(db, viewer, {"name": "X", "kind": "other"})
    with pytest.raises(PermissionDenied):
        organisations.update_person(db, viewer, ministry["ola"], {"name": "Y"}, 1)
    with pytest.raises(PermissionDenied):
        organisations.delete_role(db, viewer, ministry["r_ola"], 1)
