"""Saker: the whole trail with outcomes, activity per quarter and theme, and creating and editing saker."""

import json
from datetime import date

import pytest

from krem_advocacy.domain import saker
from krem_advocacy.store.errors import ConflictError, PermissionDenied, ValidationError
from tests.helpers import rows


def test_trail_has_every_kind_in_date_order_with_links_and_outcomes(db, housing):
    frame = saker.trail(db, housing["sak"])
    assert rows(frame, ["day", "day_kind", "kind", "title", "record_table", "record_id", "status", "counterpart",
                        "outcome", "followed_up_on"]) == [
        ("2025-12-04", "deadline", "hoering", "Husleieloven", "hoeringer", housing["h_leie"], "til_vurdering",
         "KDD", None, None),
        ("2025-04-10", "sent", "budget_input", "Bostøtte for barnefamilier", "budget_inputs", housing["budget"],
         "delvis", "KDD", "Øk bostøtten.", None),
        ("2025-02-20", "submitted", "hoering", "Bostøtte", "hoeringer", housing["h_bost"], "levert", "KDD",
         "Inntektsgrensen ble hevet.", None),
        ("2025-01-20", "meeting", "agenda_item", "Bostøtte – KU januar", "meetings", housing["ku1"], "ku",
         "LBF (Lise Prøvesen)", "Inntektsgrensen har ikke fulgt prisene.", None),
        ("2025-01-20", "meeting", "tilsagn", "Ser på grensen.", "meetings", housing["ku1"], "innfridd",
         "Kari Eksempelsen (KDD)", None, "2025-06-02"),
    ]
    budget = frame[frame["kind"] == "budget_input"].iloc[0]
    assert (budget["ask_amount"], budget["adopted_amount"]) == (50_000_000, 20_000_000)


def test_trail_filtered_by_kind(db, housing):
    assert rows(saker.trail(db, housing["sak"], kinds=("agenda_item", "budget_input")), ["kind", "title"]) == [
        ("budget_input", "Bostøtte for barnefamilier"), ("agenda_item", "Bostøtte – KU januar")]
    assert saker.trail(db, housing["sak"], kinds=()).empty
    assert saker.trail(db, housing["sak"], kinds=["no_such_kind"]).empty
    assert saker.trail(db, housing["barn"])["title"].tolist() == ["Bostøtte"]


def test_trail_counted_per_quarter(db, housing):
    assert rows(saker.trail_by_quarter(db, housing["sak"]), ["quarter_start", "period", "kind", "count"]) == [
        ("2025-01-01", "2025 K1", "agenda_item", 1),
        ("2025-01-01", "2025 K1", "hoering", 1),
        ("2025-01-01", "2025 K1", "tilsagn", 1),
        ("2025-04-01", "2025 K2", "budget_input", 1),
        ("2025-10-01", "2025 K4", "hoering", 1),
    ]


def test_activity_by_theme_and_quarter(db, housing):
    frame = saker.activity_by_theme(db, date(2025, 1, 1), date(2025, 12, 31))
    # The bostøtte høring is on two saker with different themes: it counts once for each theme.
    assert rows(frame, ["theme_code", "theme_nb", "period", "count"]) == [
        ("bolig", "Rett til egnet bolig", "2025 K1", 3),
        ("bolig", "Rett til egnet bolig", "2025 K2", 1),
        ("bolig", "Rett til egnet bolig", "2025 K4", 1),
        ("barn", "Barn i fattige familier", "2025 K1", 1),
    ]
    assert rows(saker.activity_by_theme(db, date(2025, 4, 1), date(2025, 6, 30)), ["theme_code", "count"]) == [
        ("bolig", 1)]


def test_quarters_cover_the_range():
    assert saker.quarters(date(2024, 11, 5), date(2025, 7, 1)) == ["2024 K4", "2025 K1", "2025 K2", "2025 K3"]
    assert saker.quarters(date(2025, 1, 1), date(2025, 1, 1)) == ["2025 K1"]


def test_list_counts_every_kind_of_activity(db, housing):
    frame = saker.list_saker(db)
    assert rows(frame, ["title", "activity_count"]) == [("Barnefattigdom", 1), ("Rett til egnet bolig", 5)]


# ---- Writes ----

def audit_rows(db, table):
    return [(a, t, json.loads(after or "null")) for a, t, after in db.execute(
        "SELECT action, table_name, after FROM audit_log WHERE table_name = ? ORDER BY id", [table])]


def test_create_sak_with_people_is_audited(db, housing, editor):
    sak_id = saker.create_sak(db, editor, {
        "title": "  Gjeld og inkasso  ", "theme_code": "barn", "priority": "hoey", "status": "aktiv",
        "lead_org_id": housing["lbf"], "started_on": date(2026, 1, 5), "responsible": [housing["lise"]],
        "easy_read": "Mange har gjeld. Vi vil ha bedre hjelp.", "description": "", "stance": None,
        "internal_notes": "Bare for redaktører"})
    sak = db.execute("SELECT title, theme_code, priority, started_on, description, easy_read, version "
                     "FROM saker WHERE id = ?", [sak_id]).fetchone()
    assert sak == ("Gjeld og inkasso", "barn", "hoey", "2026-01-05", None, "Mange har gjeld. Vi vil ha bedre hjelp.", 1)
    assert saker.responsible_ids(db, sak_id) == [housing["lise"]]
    log = db.execute("SELECT actor, action, table_name, record_id FROM audit_log ORDER BY id").fetchall()
    assert log == [(editor.name, "create", "saker", sak_id), (editor.name, "link", "sak_people", sak_id)]


def test_invalid_sak_is_refused_and_nothing_is_written(db, housing, editor):
    with pytest.raises(ValidationError) as error:
        saker.create_sak(db, editor, {"title": "  ", "priority": "kanskje", "status": "ferdig",
                                      "theme_code": "finnes_ikke", "lead_org_id": 999, "responsible": [998],
                                      "started_on": "2026-13-01", "easy_read": "x" * 601})
    assert error.value.errors == {
        "title": "validation.required", "priority": "validation.choice", "status": "validation.choice",
        "theme_code": "validation.choice", "lead_org_id": "validation.saker.missing",
        "responsible": "validation.saker.missing", "started_on": "validation.date",
        "easy_read": "validation.too_long"}
    assert db.execute("SELECT COUNT(*) FROM saker").fetchone()[0] == 2
    assert db.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0] == 0


def test_update_sak_changes_fields_and_people_together(db, housing, editor):
    version = saker.update_sak(db, editor, housing["sak"], {
        "title": "Rett til egnet bolig for alle", "status": "pause", "responsible": [housing["lise"]]}, 1)
    assert version == 2
    assert db.execute("SELECT title, status, lead_org_id FROM saker WHERE id = ?", [housing["sak"]]).fetchone() == (
        "Rett til egnet bolig for alle", "pause", housing["lbf"])  # fields not given are kept
    assert saker.responsible_ids(db, housing["sak"]) == [housing["lise"]]
    update = audit_rows(db, "saker")[0]
    assert update == ("update", "saker", {"title": "Rett til egnet bolig for alle", "status": "pause", "version": 2})


def test_a_stale_edit_is_refused_with_the_saved_version(db, housing, editor, other_editor):
    saker.update_sak(db, editor, housing["sak"], {"status": "pause"}, 1)
    with pytest.raises(ConflictError) as error:
        saker.update_sak(db, other_editor, housing["sak"],
                         {"status": "avsluttet", "responsible": [housing["kari"]]}, 1)
    assert error.value.current["status"] == "pause"
    assert error.value.current["version"] == 2
    assert saker.responsible_ids(db, housing["sak"]) == []  # the links were not changed either


def test_a_viewer_cannot_create_or_edit(db, housing, viewer):
    with pytest.raises(PermissionDenied):
        saker.create_sak(db, viewer, {"title": "Noe"})
    with pytest.raises(PermissionDenied):
        saker.update_sak(db, viewer, housing["sak"], {"status": "pause"}, 1)
    assert db.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0] == 0
