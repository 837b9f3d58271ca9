"""Read queries against a small literal forum, with literal expected rows."""

from datetime import date

from krem_advocacy.domain import activity, budget, deadlines, hoeringer, meetings, organisations, saker
from tests.helpers import TODAY, insert, rows


def test_deadlines_cover_every_kind_with_buckets(db, small_forum):
    frame = deadlines.deadlines(db, TODAY, days_ahead=30)
    assert rows(frame, ["day", "kind", "title", "days_left", "bucket"]) == [
        # Høring A's internal deadline (20.02) is not listed: its frist has passed, which is what is late.
        ("2026-02-27", "hoering_frist", "Høring A", -3, "overdue"),
        ("2026-02-27", "hoering_internal", "Høring B", -3, "overdue"),
        ("2026-03-06", "hoering_frist", "Høring B", 4, "this_week"),
        ("2026-03-09", "meeting_prep", "KU mars", 7, "this_week"),
        ("2026-03-16", "meeting", "KU mars", 14, "next_30"),
        ("2026-03-20", "budget_hearing_application", "Frivillig arbeid", 18, "next_30"),
        ("2026-03-27", "budget_hearing", "Frivillig arbeid", 25, "next_30"),
    ]


def test_deadlines_leave_out_answered_and_far_hoeringer(db, small_forum):
    titles = set(deadlines.deadlines(db, TODAY, days_ahead=30)["title"])
    assert "Høring C" not in titles  # levert
    assert "Høring D" not in titles  # frist beyond 30 days
    assert "Høring D" in set(deadlines.deadlines(db, TODAY, days_ahead=120)["title"])


def test_bucket_edges():
    assert [deadlines.bucket(d) for d in (-1, 0, 7, 8, 30, 31)] == [
        "overdue", "this_week", "this_week", "next_30", "next_30", "later"]


def test_activity_by_quarter(db, small_forum):
    frame = activity.activity_by_quarter(db, TODAY, date(2025, 1, 1))
    assert rows(frame, ["period", "kind", "count"]) == [
        ("2025 K4", "budget_input_sent", 1),
        ("2025 K4", "hoering_answered", 1),
        ("2026 K1", "innlegg_given", 1),
        ("2026 K1", "meeting_held", 1),
    ]


def test_key_figures(db, small_forum):
    assert activity.key_figures(db, TODAY) == {
        "active_saker": 1, "open_hoeringer": 3, "overdue_hoeringer": 2, "answered_this_year": 0,
        "open_tilsagn": 1, "ku_meetings_this_year": 1, "current_budget_inputs": 1,
    }


def test_sak_trail_newest_first(db, small_forum):
    frame = saker.trail(db, small_forum["sak"])
    assert rows(frame, ["day", "kind", "title", "record_table"]) == [
        ("2026-01-12", "agenda_item", "Barnetrygden – KU januar", "meetings"),
        ("2026-01-12", "tilsagn", "Vil se på satsene", "meetings"),
        ("2025-11-20", "hoering", "Høring C", "hoeringer"),
        ("2025-10-15", "budget_input", "Frivillig arbeid", "budget_inputs"),
    ]
    # Each row opens its own record (agenda items and tilsagn open their meeting) and says what came of it.
    ids = small_forum
    assert rows(frame.fillna({"counterpart": "–"}), ["record_id", "day_kind", "status", "counterpart"]) == [
        (ids["ku_past"], "meeting", "ku", "AFFO"),
        (ids["ku_past"], "meeting", "aapen", "–"),
        (ids["h_done"], "submitted", "levert", "BFD"),
        (ids["budget"], "sent", "ukjent", "–"),
    ]
    assert frame.loc[frame["kind"] == "budget_input", "ask_amount"].tolist() == [1_500_000]
    assert rows(saker.trail(db, ids["sak"], kinds=["hoering", "tilsagn"]), ["kind", "title"]) == [
        ("tilsagn", "Vil se på satsene"), ("hoering", "Høring C")]


def test_list_hoeringer_filters_and_short_deadline_flag(db, small_forum):
    frame = hoeringer.list_hoeringer(db, our_status="til_vurdering")
    assert list(frame["title"]) == ["Høring B"]
    # Høring B: published 20.02, frist 06.03 = 14 days, under six weeks.
    assert list(frame["short_deadline"]) == [True]
    assert list(hoeringer.list_hoeringer(db, text="høring d")["title"]) == ["Høring D"]
    assert hoeringer.is_short_deadline("2026-01-01", "2026-02-12") is False  # exactly six weeks
    assert hoeringer.is_short_deadline("2026-01-01", "2026-02-11") is True


def test_get_hoering_hides_internal_notes_unless_asked(db, small_forum):
    db.execute("UPDATE hoeringer SET internal_notes = 'strategi' WHERE id = ?", [small_forum["h_done"]])
    assert "internal_notes" not in hoeringer.get_hoering(db, small_forum["h_done"])
    record = hoeringer.get_hoering(db, small_forum["h_done"], include_internal=True)
    assert record["internal_notes"] == "strategi"
    assert [s["title"] for s in record["saker"]] == ["Barnetrygd"]
    assert hoeringer.get_hoering(db, 9999) is None


def test_budget_amounts_by_year(db, small_forum):
    frame = budget.amounts_by_year(db)
    assert rows(frame, ["budget_year", "asked", "proposed", "inputs"]) == [(2027, 1_500_000, 1_000_000, 1)]


def test_open_tilsagn_before_next_meeting(db, small_forum):
    frame = meetings.open_tilsagn(db, before="2026-03-16T12:00")
    assert rows(frame, ["text", "status", "meeting"]) == [("Vil se på satsene", "aapen", "KU januar")]
    assert meetings.open_tilsagn(db, before="2026-01-01").empty


def test_next_meeting(db, small_forum):
    assert meetings.next_meeting(db, TODAY)["title"] == "KU mars"
    assert meetings.next_meeting(db, date(2026, 4, 1)) is None


def test_role_at_a_date_follows_the_role_history(db, small_forum):
    person = insert(db, "people", name="Ola Eksempel", side="government")
    insert(db, "person_roles", person_id=person, organisation_id=small_forum["bfd"], title="statssekretær",
           from_date="2024-01-01", to_date="2025-06-30")
    insert(db, "person_roles", person_id=person, organisation_id=small_forum["bfd"], title="statsråd",
           from_date="2025-07-01")
    assert meetings.role_label(meetings.role_at(db, person, "2025-01-01")) == "statssekretær, BFD"
    assert meetings.role_label(meetings.role_at(db, person, "2026-01-01")) == "statsråd, BFD"
    assert meetings.role_at(db, person, "2023-01-01") is None


def test_organisation_record_of_work(db, small_forum):
    insert(db, "hoering_cosigners", hoering_id=small_forum["h_done"], organisation_id=small_forum["krem"])
    insert(db, "meeting_organisations", meeting_id=small_forum["ku_past"], organisation_id=small_forum["affo"])
    krem = organisations.get_organisation(db, small_forum["krem"])
    assert [(s["title"], s["part"]) for s in krem["signed"]] == [("Høring C", "cosigner")]
    affo = organisations.get_organisation(db, small_forum["affo"])
    assert [m["title"] for m in affo["meetings"]] == ["KU januar"]
    assert [i["title"] for i in affo["innlegg"]] == ["Barnetrygden"]
    listed = organisations.list_organisations(db, kind="forum_member")
    assert rows(listed, ["name", "signed_count", "meetings_count", "innlegg_count"]) == [
        ("Aleneforeldreforeningen", 0, 1, 1), ("KREM", 1, 0, 0)]
