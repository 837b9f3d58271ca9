"""The høring workflow in the data layer: validation, derived deadlines, conflicts, archive, audit, views."""

import json
from datetime import date

import pytest

from krem_advocacy.domain import hoeringer
from krem_advocacy.store import records
from krem_advocacy.store.errors import ConflictError, PermissionDenied, ValidationError
from tests.helpers import EDITOR, TODAY, insert


def count(db, table: str) -> int:
    return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def audit_rows(db, table="hoeringer"):
    return db.execute("SELECT actor, action, record_id, before, after FROM audit_log WHERE table_name = ? "
                      "ORDER BY id", [table]).fetchall()


def valid(forum, **changes) -> dict:
    values = {"title": "Høring – ny bostøtte", "department_id": forum["bfd"], "published_on": "2026-02-01",
              "deadline": "2026-05-01", "url": "https://www.regjeringen.no/no/dokumenter/x/id1/",
              "our_ref": "26/123", "lead_org_id": forum["krem"], "cosigners": [forum["affo"]],
              "saker": [forum["sak"]]}
    return {**values, **changes}


def errors_of(db, values) -> dict:
    """The validation errors of creating a høring from `values` (as an editor, who may)."""
    with pytest.raises(ValidationError) as raised:
        hoeringer.create_hoering(db, EDITOR, values, TODAY)
    return raised.value.errors


# ---------------------------------------------------------------- create and derived deadline

def test_create_derives_internal_deadline_and_saves_links_in_one_audited_write(db, small_forum, editor):
    before = count(db, "hoeringer")
    new_id = hoeringer.create_hoering(db, editor, valid(small_forum, deadline="2026-03-12", our_status=None), TODAY)
    record = hoeringer.get_hoering(db, new_id)
    assert count(db, "hoeringer") == before + 1
    assert (record["deadline"], record["internal_deadline"], record["internal_deadline_manual"]) == (
        "2026-03-12", "2026-03-05", 0)
    assert (record["our_status"], record["official_status"], record["version"]) == ("innkommet", "paa_hoering", 1)
    assert [c["name"] for c in record["cosigners"]] == ["Aleneforeldreforeningen"]
    assert [s["title"] for s in record["saker"]] == ["Barnetrygd"]
    assert [(a[0], a[1], a[2]) for a in audit_rows(db)] == [(editor.name, "create", new_id)]
    assert json.loads(audit_rows(db)[0][4])["title"] == "Høring – ny bostøtte"
    assert [r[1] for r in audit_rows(db, "hoering_cosigners")] == ["link"]


def test_manual_internal_deadline_is_kept(db, small_forum, editor):
    new_id = hoeringer.create_hoering(db, editor, valid(small_forum, internal_deadline_manual=True,
                                                        internal_deadline=date(2026, 4, 10)), TODAY)
    row = records.get(db, "hoeringer", new_id)
    assert (row["internal_deadline"], row["internal_deadline_manual"]) == ("2026-04-10", 1)


def test_derived_internal_deadline_never_falls_before_publication():
    assert hoeringer.derive_internal_deadline("2026-03-10", "2026-03-05", 7) == "2026-03-05"
    assert hoeringer.derive_internal_deadline("2026-03-10", None, 7) == "2026-03-03"
    assert hoeringer.derive_internal_deadline(None, "2026-03-05", 7) is None


def test_delivered_without_a_date_is_delivered_today(db, small_forum, editor):
    new_id = hoeringer.create_hoering(db, editor, valid(small_forum, our_status="levert"), TODAY)
    assert records.get(db, "hoeringer", new_id)["submitted_on"] == "2026-03-02"


def test_viewer_cannot_create(db, small_forum, viewer):
    with pytest.raises(PermissionDenied):
        hoeringer.create_hoering(db, viewer, valid(small_forum), TODAY)
    assert count(db, "audit_log") == 0


# ---------------------------------------------------------------- validation: one rule at a time

def test_empty_title_is_refused(db, small_forum):
    assert errors_of(db, valid(small_forum, title="   ")) == {"title": "validation.required"}


def test_frist_before_publication_is_refused(db, small_forum):
    assert errors_of(db, valid(small_forum, published_on="2026-03-01", deadline="2026-02-28")) == {
        "deadline": "validation.deadline_before_published"}


def test_frist_on_the_publication_day_is_allowed(db, small_forum, editor):
    hoeringer.create_hoering(db, editor, valid(small_forum, published_on="2026-03-01", deadline="2026-03-01"),
                             TODAY)


@pytest.mark.parametrize("link", ["www.regjeringen.no/x", "regjeringen", "ftp://regjeringen.no/x",
                                  "https://", "https://regjeringen.no/a b"])
def test_malformed_link_is_refused(db, small_forum, link):
    assert errors_of(db, valid(small_forum, url=link)) == {"url": "validation.url"}


def test_malformed_answer_link_is_refused(db, small_forum):
    assert errors_of(db, valid(small_forum, answer_url="vårt svar.pdf")) == {"answer_url": "validation.url"}


def test_unknown_department_is_refused(db, small_forum):
    assert errors_of(db, valid(small_forum, department_id=9999)) == {"department_id": "validation.unknown_department"}


def test_a_forum_member_is_not_a_department(db, small_forum):
    assert errors_of(db, valid(small_forum, department_id=small_forum["krem"])) == {
        "department_id": "validation.unknown_department"}


def test_malformed_their_ref_is_refused_and_real_ones_pass(db, small_forum, editor):
    # The authority's case number has regjeringen.no's form; «Vår ref.» is the forum's own, free text.
    assert errors_of(db, valid(small_forum, their_ref="sak 109")) == {"their_ref": "validation.their_ref"}
    for ref in ("24/109", "24/13487", "24/109-3"):
        hoeringer.create_hoering(db, editor, valid(small_forum, their_ref=ref, our_ref=f"KREM {ref}"), TODAY)


def test_unknown_organisations_and_saker_are_refused(db, small_forum):
    assert errors_of(db, valid(small_forum, lead_org_id=9999, cosigners=[9998], saker=[9997])) == {
        "lead_org_id": "validation.unknown_organisation", "cosigners": "validation.unknown_organisation",
        "saker": "validation.unknown_sak"}


def test_lead_cannot_also_cosign(db, small_forum):
    assert errors_of(db, valid(small_forum, cosigners=[small_forum["krem"]])) == {
        "cosigners": "validation.cosigner_is_lead"}


def test_manual_internal_deadline_must_be_given_and_before_the_frist(db, small_forum):
    assert errors_of(db, valid(small_forum, internal_deadline_manual=True, internal_deadline=None)) == {
        "internal_deadline": "validation.required"}
    assert errors_of(db, valid(small_forum, internal_deadline_manual=True, internal_deadline="2026-05-02")) == {
        "internal_deadline": "validation.internal_after_deadline"}


def test_bad_dates_and_codes_are_refused(db, small_forum):
    assert errors_of(db, valid(small_forum, published_on="2026-02-30", our_status="ferdig",
                               answer_type="kanskje")) == {
        "published_on": "validation.date", "our_status": "validation.choice", "answer_type": "validation.choice"}


def test_several_errors_are_reported_together_and_nothing_is_saved(db, small_forum):
    before = (count(db, "hoeringer"), count(db, "hoering_cosigners"), count(db, "audit_log"))
    errors = errors_of(db, valid(small_forum, title="", url="nettside", department_id=9999))
    assert errors == {"title": "validation.required", "url": "validation.url",
                      "department_id": "validation.unknown_department"}
    assert (count(db, "hoeringer"), count(db, "hoering_cosigners"), count(db, "audit_log")) == before


def test_a_failing_link_write_leaves_no_half_saved_hoering(db, small_forum, monkeypatch, editor):
    before = (count(db, "hoeringer"), count(db, "audit_log"))

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(records, "set_links", broken)
    with pytest.raises(RuntimeError):
        hoeringer.create_hoering(db, editor, valid(small_forum), TODAY)
    assert (count(db, "hoeringer"), count(db, "audit_log")) == before


# ---------------------------------------------------------------- short deadline flag

def test_short_deadline_flag_is_under_six_weeks():
    assert hoeringer.is_short_deadline("2026-01-01", "2026-02-12") is False  # 42 days: exactly six weeks
    assert hoeringer.is_short_deadline("2026-01-01", "2026-02-11") is True  # 41 days
    assert hoeringer.is_short_deadline(None, "2026-02-11") is False


def test_short_deadline_flag_on_a_saved_hoering_and_in_the_list(db, small_forum, editor):
    short_id = hoeringer.create_hoering(db, editor, valid(small_forum, title="Kort", published_on="2026-03-01",
                                                          deadline="2026-03-20"), TODAY)
    long_id = hoeringer.create_hoering(db, editor, valid(small_forum, title="Lang", published_on="2026-03-01",
                                                         deadline="2026-06-01"), TODAY)
    assert hoeringer.get_hoering(db, short_id)["short_deadline"] is True
    assert hoeringer.get_hoering(db, long_id)["short_deadline"] is False
    flags = dict(zip(*[hoeringer.list_hoeringer(db)[c] for c in ("title", "short_deadline")]))
    assert (flags["Kort"], flags["Lang"]) == (True, False)


# ---------------------------------------------------------------- edits and conflicts

def test_update_changes_fields_links_and_logs_them(db, small_forum, editor):
    new_id = hoeringer.create_hoering(db, editor, valid(small_forum), TODAY)
    version = hoeringer.update_hoering(db, editor, new_id, {"our_status": "svarer", "deadline": "2026-05-08",
                                                            "cosigners": []}, 1, TODAY)
    row = records.get(db, "hoeringer", new_id)
    assert (version, row["our_status"], row["internal_deadline"], row["title"]) == (
        2, "svarer", "2026-05-01", "Høring – ny bostøtte")
    assert count(db, "hoering_cosigners") == 0
    update = [a for a in audit_rows(db) if a[1] == "update"][0]
    assert json.loads(update[3]) == {"deadline": "2026-05-01", "internal_deadline": "2026-04-24",
                                     "our_status": "innkommet", "version": 1}
    assert hoeringer.history(db, new_id)["action"].tolist() == ["link", "update", "link", "link", "create"]


def test_conflicting_edit_is_refused_and_shows_the_saved_version(db, small_forum, editor, other_editor):
    new_id = hoeringer.create_hoering(db, editor, valid(small_forum), TODAY)
    # Both open version 1; Per saves first.
    hoeringer.update_hoering(db, other_editor, new_id, {"title": "Pers tittel", "cosigners": []}, 1, TODAY)
    with pytest.raises(ConflictError) as raised:
        hoeringer.update_hoering(db, editor, new_id, {"title": "Karis tittel"}, 1, TODAY)
    assert raised.value.current["title"] == "Pers tittel"
    assert raised.value.current["version"] == 2
    assert raised.value.current["cosigners"] == []
    assert raised.value.current["saker"] == [small_forum["sak"]]
    row = records.get(db, "hoeringer", new_id)
    assert (row["title"], row["version"]) == ("Pers tittel", 2)
    assert [a[0] for a in audit_rows(db) if a[1] == "update"] == [other_editor.name]


def test_editing_notes_does_not_move_an_old_derived_deadline(db, small_forum, editor):
    new_id = hoeringer.create_hoering(db, editor, valid(small_forum, published_on="2025-09-01",
                                                        deadline="2025-12-01"), TODAY)
    db.execute("INSERT INTO settings (key, value, updated_at) VALUES ('hoering_lead_days', '10', 'x')")
    hoeringer.update_hoering(db, editor, new_id, {"notes": "Levert sent"}, 1, TODAY)
    assert records.get(db, "hoeringer", new_id)["internal_deadline"] == "2025-11-24"
    hoeringer.update_hoering(db, editor, new_id, {"deadline": "2025-12-11"}, 2, TODAY)
    assert records.get(db, "hoeringer", new_id)["internal_deadline"] == "2025-12-01"


# ---------------------------------------------------------------- archive and restore

def test_archive_and_restore_return_to_the_status_before(db, small_forum, editor):
    new_id = hoeringer.create_hoering(db, editor, valid(small_forum, our_status="svarer"), TODAY)
    assert hoeringer.archive_hoering(db, editor, new_id, 1) == 2
    assert records.get(db, "hoeringer", new_id)["our_status"] == "arkivert"
    assert new_id not in set(hoeringer.list_hoeringer(db)["id"])
    assert new_id in set(hoeringer.list_hoeringer(db, our_status="arkivert")["id"])
    with pytest.raises(ValidationError):
        hoeringer.update_hoering(db, editor, new_id, {"our_status": "svarer"}, 2, TODAY)
    assert hoeringer.restore_hoering(db, editor, new_id, 2) == 3
    assert records.get(db, "hoeringer", new_id)["our_status"] == "svarer"
    assert [a[1] for a in audit_rows(db)] == ["create", "archive", "restore"]


def test_restore_of_a_hoering_archived_before_the_audit_log(db, small_forum, editor):
    assert hoeringer.status_before_archive(db, small_forum["h_done"]) == "levert"
    db.execute("UPDATE hoeringer SET our_status = 'arkivert', version = 1 WHERE id = ?", [small_forum["h_later"]])
    hoeringer.restore_hoering(db, editor, small_forum["h_later"], 1)
    assert records.get(db, "hoeringer", small_forum["h_later"])["our_status"] == "innkommet"


def test_archive_on_a_stale_version_is_a_conflict(db, small_forum, editor, other_editor):
    new_id = hoeringer.create_hoering(db, editor, valid(small_forum), TODAY)
    hoeringer.update_hoering(db, other_editor, new_id, {"notes": "x"}, 1, TODAY)
    with pytest.raises(ConflictError):
        hoeringer.archive_hoering(db, editor, new_id, 1)
    assert records.get(db, "hoeringer", new_id)["our_status"] == "innkommet"


# ---------------------------------------------------------------- the lead time setting

def test_lead_days_default_and_change_moves_only_derived_future_deadlines(db, small_forum, editor):
    assert hoeringer.lead_days(db) == 7
    manual = hoeringer.create_hoering(db, editor, valid(small_forum, title="Manuell", internal_deadline_manual=1,
                                                        internal_deadline="2026-04-01"), TODAY)
    derived = hoeringer.create_hoering(db, editor, valid(small_forum, title="Avledet"), TODAY)
    past = hoeringer.create_hoering(db, editor, valid(small_forum, title="Gammel", published_on="2026-01-01",
                                                      deadline="2026-02-20"), TODAY)
    moved = hoeringer.set_lead_days(db, editor, 14, TODAY)
    assert moved == 3  # «Avledet» and the literal forum's Høring B and D (frist ahead, not set by hand)
    assert hoeringer.lead_days(db) == 14
    internal = {i: records.get(db, "hoeringer", i)["internal_deadline"]
                for i in (manual, derived, past, small_forum["h_week"], small_forum["h_overdue"])}
    assert internal == {manual: "2026-04-01", derived: "2026-04-17", past: "2026-02-13",
                        small_forum["h_week"]: "2026-02-20", small_forum["h_overdue"]: "2026-02-20"}
    assert audit_rows(db, "settings")[0][3:] == ('{"hoering_lead_days": 7}', '{"hoering_lead_days": 14}')
    # New høringer use the new lead time.
    newest = hoeringer.create_hoering(db, editor, valid(small_forum, title="Ny"), TODAY)
    assert records.get(db, "hoeringer", newest)["internal_deadline"] == "2026-04-17"


@pytest.mark.parametrize("days", [-1, 61, "en uke", None])
def test_lead_days_must_be_0_to_60(db, days, editor):
    with pytest.raises(ValidationError) as raised:
        hoeringer.set_lead_days(db, editor, days, TODAY)
    assert raised.value.errors == {"lead_days": "validation.lead_days"}
    assert hoeringer.lead_days(db) == 7


def test_viewer_cannot_change_lead_days(db, viewer):
    with pytest.raises(PermissionDenied):
        hoeringer.set_lead_days(db, viewer, 10, TODAY)


# ---------------------------------------------------------------- views

def test_deadline_view_groups_open_hoeringer_by_urgency(db, small_forum):
    frame = hoeringer.deadline_view(db, TODAY)
    assert [tuple(r) for r in frame[["day", "kind", "title", "bucket", "department"]].itertuples(index=False)] == [
        ("2026-02-27", "hoering_frist", "Høring A", "overdue", "BFD"),
        ("2026-02-27", "hoering_internal", "Høring B", "overdue", "BFD"),
        ("2026-03-06", "hoering_frist", "Høring B", "this_week", "BFD"),
        ("2026-05-15", "hoering_frist", "Høring D", "later", "BFD"),
    ]
    assert set(hoeringer.deadline_view(db, TODAY, text="høring b")["title"]) == {"Høring B"}
    assert set(hoeringer.deadline_view(db, TODAY, our_status="innkommet")["title"]) == {"Høring D"}


def test_status_counts_cover_every_status(db, small_forum):
    assert hoeringer.status_counts(db) == {"innkommet": 1, "til_vurdering": 1, "svarer": 1, "svarer_ikke": 0,
                                           "levert": 1, "arkivert": 0}
    assert hoeringer.status_counts(db, text="Høring C")["levert"] == 1
    assert sum(hoeringer.status_counts(db, text="Høring C").values()) == 1


def test_timeline_holds_open_and_recent_hoeringer(db, small_forum):
    insert(db, "hoeringer", title="Gammel levert", published_on="2024-01-01", deadline="2024-03-01",
           our_status="levert")
    frame = hoeringer.timeline(db, TODAY)
    assert frame["title"].tolist() == ["Høring A", "Høring B", "Høring D"]
    assert frame.columns.tolist() == ["id", "title", "department", "published_on", "deadline", "internal_deadline",
                                      "our_status", "short_deadline"]
