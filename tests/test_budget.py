"""Budget inputs and budget years: every validation rule, writes with audit and conflicts, phases, aggregates."""

import json
import sqlite3
from datetime import date

import pytest
from sqlite_utils import Database

from krem_advocacy.domain import budget, deadlines
from krem_advocacy.store import migrations
from krem_advocacy.store.errors import ConflictError, PermissionDenied, ValidationError
from tests.helpers import TODAY, insert, rows


@pytest.fixture
def orgs(db):
    ids = {
        "krem": insert(db, "organisations", name="KREM", short_name="KREM", kind="forum_member"),
        "rio": insert(db, "organisations", name="RIO", short_name="RIO", kind="forum_member"),
        "asos": insert(db, "organisations", name="Arbeids- og sosialkomiteen", short_name="ASOS",
                       kind="committee"),
        "aid": insert(db, "organisations", name="Arbeids- og inkluderingsdepartementet", short_name="AID",
                      kind="department"),
        "sak": insert(db, "saker", title="Frivillighet"),
    }
    db.conn.commit()
    return ids


def ask(**changes):
    """A valid budget input as a form sends it, with some fields changed."""
    values = {"title": "Frivillig arbeid mot fattigdom", "budget_year": 2027, "phase": "vaarinnspill",
              "chapter": "621", "post": "70", "post_name": "Frivillig arbeid", "ask_amount": "38 mill",
              "outcome": "ukjent"}
    values.update(changes)
    return values


def empty_database():
    """A migrated database without records (budget rules that look nothing up)."""
    db = Database(sqlite3.connect(":memory:"))
    migrations.apply(db)
    return db


EMPTY = empty_database()


def clean(values, db=EMPTY):
    return budget.clean_budget_input(db, values)


def errors_for(values) -> dict:
    with pytest.raises(ValidationError) as caught:
        clean(values)
    return caught.value.errors


# ---------------------------------------------------------------- validation, one rule at a time

def test_a_valid_input_is_cleaned_into_a_row(db, orgs):
    row, links = clean(ask(cosigners=[orgs["rio"], orgs["krem"], orgs["rio"]], saker=[orgs["sak"]],
                           sent_on=date(2026, 4, 15), hearing_application_deadline="2026-10-15",
                           hearing_on="2026-10-23", prop_amount="31,5 mill"), db)
    assert (row["chapter"], row["post"], row["ask_amount"], row["prop_amount"]) == ("621", "70", 38_000_000,
                                                                                      31_500_000)
    assert (row["sent_on"], row["hearing_on"], row["budget_year"]) == ("2026-04-15", "2026-10-23", 2027)
    assert links == {"cosigners": sorted([orgs["krem"], orgs["rio"]]), "saker": [orgs["sak"]]}


def test_title_is_required():
    assert errors_for(ask(title="  ")) == {"title": "validation.required"}


@pytest.mark.parametrize("post", ["7", "700", "00", "7a", "post 7"])
def test_post_must_have_two_digits(post):
    assert errors_for(ask(post=post)) == {"post": "validation.post"}


@pytest.mark.parametrize("post, stored", [("70", "70"), ("01", "01"), ("post 70", "70"), (" 63 ", "63")])
def test_post_accepts_two_digits(post, stored):
    assert clean(ask(post=post))[0]["post"] == stored


@pytest.mark.parametrize("chapter", ["12345", "abc", "0", "6.21"])
def test_chapter_must_have_one_to_four_digits(chapter):
    assert errors_for(ask(chapter=chapter)) == {"chapter": "validation.chapter"}


@pytest.mark.parametrize("chapter, stored", [("621", "621"), ("kap. 621", "621"), ("0621", "621"), ("5", "5"),
                                             ("5700", "5700")])
def test_chapter_accepts_one_to_four_digits(chapter, stored):
    assert clean(ask(chapter=chapter))[0]["chapter"] == stored


def test_a_post_needs_its_chapter():
    assert errors_for(ask(chapter="")) == {"chapter": "validation.post_needs_chapter"}


def test_a_chapter_without_post_is_fine():
    row, _ = clean(ask(post=""))
    assert (row["chapter"], row["post"]) == ("621", None)


@pytest.mark.parametrize("field", ["ask_amount", "prop_amount", "adopted_amount"])
@pytest.mark.parametrize("typed, key", [("-5", "validation.amount_negative"),
                                        ("abc", "validation.amount_not_number"),
                                        ("1 500,50", "validation.amount_whole"),
                                        ("1,250 mill", "validation.amount_ambiguous")])
def test_every_amount_is_checked(field, typed, key):
    assert errors_for(ask(**{field: typed})) == {field: key}


def test_budget_year_is_required():
    assert errors_for(ask(budget_year=None)) == {"budget_year": "validation.required"}


def test_an_adopted_amount_without_a_year_says_why_the_year_is_needed():
    assert errors_for(ask(budget_year=None, adopted_amount="33 mill")) == {
        "budget_year": "validation.adopted_needs_year"}


@pytest.mark.parametrize("year", ["abc", 1989, 2101, "2027.5"])
def test_budget_year_must_be_a_plausible_year(year):
    assert errors_for(ask(budget_year=year)) == {"budget_year": "validation.budget_year"}


def test_document_link_must_be_a_web_address():
    assert errors_for(ask(document_url="notat.pdf")) == {"document_url": "validation.url"}


def test_dates_must_be_real_dates():
    assert errors_for(ask(sent_on="2026-02-30")) == {"sent_on": "validation.date"}


def test_hearing_cannot_be_before_its_application_deadline():
    assert errors_for(ask(hearing_application_deadline="2026-10-15", hearing_on="2026-10-10")) == {
        "hearing_on": "validation.hearing_before_application"}


def test_phase_and_outcome_must_be_known_codes():
    assert errors_for(ask(phase="ferdig", outcome="kanskje")) == {"phase": "validation.choice",
                                                                   "outcome": "validation.choice"}


def test_all_errors_are_reported_together_and_nothing_is_written(db, orgs, editor):
    with pytest.raises(ValidationError) as caught:
        budget.create_budget_input(db, editor, ask(title="", post="7", ask_amount="-5", prop_amount="abc",
                                                   budget_year=None, adopted_amount="1 mill"))
    assert caught.value.errors == {
        "title": "validation.required", "post": "validation.post", "ask_amount": "validation.amount_negative",
        "prop_amount": "validation.amount_not_number", "budget_year": "validation.adopted_needs_year"}
    assert db.execute("SELECT COUNT(*) FROM budget_inputs").fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0] == 0


@pytest.mark.parametrize("amounts_, outcome", [
    ((38, 31, 38), "innfridd"), ((38, 31, 40), "innfridd"), ((38, 31, 33), "delvis"), ((38, 31, 31), "ikke"),
    ((38, 31, 20), "ikke"), ((38, None, 33), "ukjent"), ((None, 31, 33), "ukjent"), ((38, 31, None), "ukjent"),
])
def test_suggested_outcome_follows_the_amounts(amounts_, outcome):
    assert budget.suggested_outcome(*amounts_) == outcome


def test_an_unknown_outcome_follows_the_adopted_amount_but_a_chosen_one_stays():
    derived, _ = clean(ask(prop_amount="31 mill", adopted_amount="33 mill"))
    chosen, _ = clean(ask(prop_amount="31 mill", adopted_amount="33 mill", outcome="ikke"))
    assert (derived["outcome"], chosen["outcome"]) == ("delvis", "ikke")


# ---------------------------------------------------------------- writes

def test_create_writes_the_input_its_links_and_the_audit_log(db, orgs, editor):
    input_id = budget.create_budget_input(db, editor, ask(recipient_org_id=orgs["asos"], lead_org_id=orgs["krem"],
                                                          cosigners=[orgs["rio"]], saker=[orgs["sak"]]))
    row = db.execute("SELECT title, chapter, post, ask_amount, recipient_org_id, version, is_example "
                     "FROM budget_inputs WHERE id = ?", [input_id]).fetchone()
    assert row == ("Frivillig arbeid mot fattigdom", "621", "70", 38_000_000, orgs["asos"], 1, 0)
    record = budget.get_budget_input(db, input_id)
    assert [c["name"] for c in record["cosigners"]] == ["RIO"]
    assert [s["title"] for s in record["saker"]] == ["Frivillighet"]
    audit = db.execute("SELECT actor, action, table_name FROM audit_log ORDER BY id").fetchall()
    assert audit == [(editor.name, "create", "budget_inputs"), (editor.name, "link", "budget_input_cosigners"),
                     (editor.name, "link", "budget_input_saker")]


def test_a_viewer_cannot_create_even_valid_input(db, orgs, viewer):
    with pytest.raises(PermissionDenied):
        budget.create_budget_input(db, viewer, ask())
    with pytest.raises(PermissionDenied):
        budget.set_phase(db, viewer, 1, "prop1s", 1)
    assert db.execute("SELECT COUNT(*) FROM budget_inputs").fetchone()[0] == 0


def test_update_logs_only_what_changed(db, orgs, editor):
    input_id = budget.create_budget_input(db, editor, ask())
    assert budget.update_budget_input(db, editor, input_id, ask(prop_amount="31,5 mill"), expected_version=1) == 2
    before, after = db.execute("SELECT before, after FROM audit_log WHERE action = 'update'").fetchone()
    assert json.loads(before) == {"prop_amount": None, "version": 1}
    assert json.loads(after) == {"prop_amount": 31_500_000, "version": 2}


def test_saving_an_unchanged_form_writes_nothing(db, orgs, editor):
    input_id = budget.create_budget_input(db, editor, ask())
    assert budget.update_budget_input(db, editor, input_id, ask(), expected_version=1) == 1
    assert db.execute("SELECT COUNT(*) FROM audit_log WHERE action = 'update'").fetchone()[0] == 0


def test_changing_only_the_co_signers_still_raises_the_version(db, orgs, editor, other_editor):
    input_id = budget.create_budget_input(db, editor, ask())
    assert budget.update_budget_input(db, editor, input_id, ask(cosigners=[orgs["rio"]]), 1) == 2
    with pytest.raises(ConflictError):
        budget.update_budget_input(db, other_editor, input_id, ask(title="Annen tittel"), expected_version=1)


def test_a_stale_edit_is_refused_with_the_saved_version(db, orgs, editor, other_editor):
    input_id = budget.create_budget_input(db, editor, ask())
    budget.update_budget_input(db, editor, input_id, ask(ask_amount="40 mill"), expected_version=1)
    with pytest.raises(ConflictError) as caught:
        budget.update_budget_input(db, other_editor, input_id, ask(ask_amount="35 mill"), expected_version=1)
    assert caught.value.current["ask_amount"] == 40_000_000
    assert db.execute("SELECT ask_amount FROM budget_inputs").fetchone()[0] == 40_000_000


def test_phases_follow_the_budget_year():
    assert [budget.next_phase(p) for p in ("vaarinnspill", "prop1s", "budsjetthoering", "innstilling", "vedtatt",
                                           "revidert")] == ["prop1s", "budsjetthoering", "innstilling", "vedtatt",
                                                            "revidert", None]


def test_set_phase_is_audited_and_version_checked(db, orgs, editor, other_editor):
    input_id = budget.create_budget_input(db, editor, ask())
    assert budget.set_phase(db, editor, input_id, "prop1s", expected_version=1) == 2
    assert budget.set_phase(db, editor, input_id, "budsjetthoering", expected_version=2) == 3
    with pytest.raises(ConflictError):  # someone who still saw version 2 clicks «next phase» again
        budget.set_phase(db, other_editor, input_id, "budsjetthoering", expected_version=2)
    with pytest.raises(ValidationError) as caught:
        budget.set_phase(db, editor, input_id, "ferdig", expected_version=3)
    assert caught.value.errors == {"phase": "validation.choice"}
    changes = [json.loads(r[0]) for r in db.execute("SELECT after FROM audit_log WHERE action = 'update' ORDER BY id")]
    assert changes == [{"phase": "prop1s", "version": 2}, {"phase": "budsjetthoering", "version": 3}]


def test_set_adopted_amount_reads_the_typed_amount_and_the_outcome_follows(db, orgs, editor):
    input_id = budget.create_budget_input(db, editor, ask(prop_amount="31 mill", phase="vedtatt"))
    assert budget.set_adopted_amount(db, editor, input_id, "33 mill", expected_version=1) == 2
    assert db.execute("SELECT adopted_amount, outcome FROM budget_inputs").fetchone() == (33_000_000, "delvis")
    with pytest.raises(ValidationError) as caught:
        budget.set_adopted_amount(db, editor, input_id, "-5", expected_version=2)
    assert caught.value.errors == {"adopted_amount": "validation.amount_negative"}
    with pytest.raises(ConflictError):
        budget.set_adopted_amount(db, editor, input_id, "34 mill", expected_version=1)


# ---------------------------------------------------------------- budget years

CYCLE = {"budget_year": 2027, "prop1s_on": "2026-10-08", "hearing_application_deadline": "2026-10-15",
         "hearing_on": "2026-10-23", "frames_vote_on": "2026-11-26", "final_vote_on": "2026-12-16",
         "revised_on": "2027-05-11"}


def test_a_budget_year_is_created_and_edited_with_its_dates(db, editor, other_editor):
    year_id = budget.create_budget_year(db, editor, CYCLE)
    assert budget.get_budget_year(db, 2027)["hearing_on"] == "2026-10-23"
    assert budget.update_budget_year(db, editor, year_id, {**CYCLE, "hearing_on": "2026-10-24"}, 1) == 2
    with pytest.raises(ConflictError):
        budget.update_budget_year(db, other_editor, year_id, {**CYCLE, "hearing_on": "2026-10-27"}, 1)
    assert db.execute("SELECT actor, action FROM audit_log WHERE table_name = 'budget_years' ORDER BY id"
                      ).fetchall() == [(editor.name, "create"), (editor.name, "update")]


@pytest.mark.parametrize("changes, errors", [
    ({"hearing_on": "2026-10-01"}, {"hearing_on": "validation.cycle_order"}),
    ({"hearing_application_deadline": "2026-10-01"}, {"hearing_application_deadline": "validation.cycle_order"}),
    ({"final_vote_on": "2026-11-20"}, {"final_vote_on": "validation.cycle_order"}),
    ({"revised_on": "2026-12-01"}, {"revised_on": "validation.cycle_order"}),
    ({"frames_vote_on": "2026-13-01"}, {"frames_vote_on": "validation.date"}),
    ({"budget_year": None}, {"budget_year": "validation.required"}),
    ({"budget_year": 3000}, {"budget_year": "validation.budget_year"}),
])
def test_budget_year_dates_follow_the_cycle(db, changes, errors, editor):
    with pytest.raises(ValidationError) as caught:
        budget.create_budget_year(db, editor, {**CYCLE, **changes})
    assert caught.value.errors == errors


def test_a_budget_year_exists_only_once(db, editor):
    budget.create_budget_year(db, editor, CYCLE)
    with pytest.raises(ValidationError) as caught:
        budget.create_budget_year(db, editor, {"budget_year": 2027})
    assert caught.value.errors == {"budget_year": "validation.budget_year_exists"}


def test_missing_dates_are_allowed(db, editor):
    year_id = budget.create_budget_year(db, editor, {"budget_year": 2028, "hearing_application_deadline": "2027-10-14"})
    assert budget.get_budget_year(db, 2028)["id"] == year_id


def test_year_pipeline_marks_done_next_and_later(db, editor):
    budget.create_budget_year(db, editor, CYCLE)
    budget.create_budget_input(db, editor, ask(phase="budsjetthoering"))
    budget.create_budget_input(db, editor, ask(phase="budsjetthoering", title="B"))
    stages = budget.year_pipeline(db, 2027, date(2026, 11, 22))
    assert [(s["phase"], s["state"], s["inputs"]) for s in stages] == [
        ("vaarinnspill", "done", 0), ("prop1s", "done", 0), ("budsjetthoering", "done", 2),
        ("innstilling", "next", 0), ("vedtatt", "later", 0), ("revidert", "later", 0)]
    assert stages[2]["dates"] == [("hearing_application_deadline", "2026-10-15"), ("hearing_on", "2026-10-23")]
    unknown = budget.year_pipeline(db, 2030, date(2026, 11, 22))
    assert {s["state"] for s in unknown} == {"open"}


def test_next_dates_mix_the_cycle_and_the_inputs_own_hearings(db, editor):
    budget.create_budget_year(db, editor, CYCLE)
    input_id = budget.create_budget_input(db, editor, ask(hearing_application_deadline="2026-11-28",
                                                          hearing_on="2026-12-05"))
    frame = budget.next_dates(db, 2027, date(2026, 11, 22))
    assert rows(frame, ["day", "field", "days_left"]) == [
        ("2026-11-26", "frames_vote_on", 4), ("2026-11-28", "hearing_application_deadline", 6),
        ("2026-12-05", "hearing_on", 13), ("2026-12-16", "final_vote_on", 24), ("2027-05-11", "revised_on", 170)]
    assert list(frame["record_id"])[1] == input_id


def test_year_of_a_budget_years_record(db, editor):
    year_id = budget.create_budget_year(db, editor, {"budget_year": 2027})
    assert (budget.year_of(db, year_id), budget.year_of(db, year_id + 1)) == (2027, None)


def test_default_year_is_the_budget_being_worked_on():
    assert budget.default_year([2028, 2027, 2016], date(2026, 11, 22)) == 2027
    assert budget.default_year([2025, 2016], date(2026, 11, 22)) == 2025
    assert budget.default_year([], date(2026, 3, 1)) == 2027


# ---------------------------------------------------------------- reads and aggregates

@pytest.fixture
def three_years(db, orgs, editor):
    for values in (
        ask(budget_year=2025, recipient_org_id=orgs["aid"], ask_amount="35 mill", prop_amount="30 mill",
            adopted_amount="30 mill"),
        ask(budget_year=2026, recipient_org_id=orgs["asos"], ask_amount="36 mill", prop_amount="31 mill",
            adopted_amount="33 mill"),
        ask(budget_year=2027, recipient_org_id=orgs["asos"], chapter="846", post="61", ask_amount="470 mill",
            prop_amount="420 mill"),
        ask(budget_year=2027, recipient_org_id=orgs["asos"], chapter="", post="", ask_amount="5 mill",
            title="Uten post"),
    ):
        budget.create_budget_input(db, editor, values)


def test_amounts_by_year(db, three_years):
    assert rows(budget.amounts_by_year(db), ["budget_year", "asked", "proposed", "adopted", "inputs"]) == [
        (2025, 35_000_000, 30_000_000, 30_000_000, 1), (2026, 36_000_000, 31_000_000, 33_000_000, 1),
        (2027, 475_000_000, 420_000_000, None, 2)]


def test_amounts_by_recipient_and_chapter(db, three_years):
    assert rows(budget.amounts_by_recipient(db), ["recipient", "asked", "proposed", "adopted", "inputs"]) == [
        ("ASOS", 511_000_000, 451_000_000, 33_000_000, 3), ("AID", 35_000_000, 30_000_000, 30_000_000, 1)]
    assert rows(budget.amounts_by_chapter(db), ["chapter", "asked", "adopted", "inputs"]) == [
        ("621", 71_000_000, 63_000_000, 2), ("846", 470_000_000, None, 1)]
    assert rows(budget.amounts_by_chapter(db, budget_year=2026), ["chapter", "asked"]) == [("621", 36_000_000)]


def test_outcomes_by_year(db, three_years):
    assert rows(budget.outcomes_by_year(db), ["budget_year", "outcome", "inputs"]) == [
        (2025, "ikke", 1), (2026, "delvis", 1), (2027, "ukjent", 2)]


@pytest.mark.parametrize("text, line", [
    ("kap. 621 post 70", ("621", "70")), ("621", ("621", None)), ("621 70", ("621", "70")),
    ("621.70", ("621", "70")), ("Kap 621, post 70", ("621", "70")), ("kapittel 5700", ("5700", None)),
    ("frivillig", (None, None)), ("12345", (None, None)),
])
def test_parse_line(text, line):
    assert budget.parse_line(text) == line


def test_the_list_finds_a_budget_line(db, three_years):
    assert len(budget.list_budget_inputs(db, text="kap. 621 post 70")) == 2
    assert list(budget.list_budget_inputs(db, text="846")["budget_year"]) == [2027]
    assert len(budget.list_budget_inputs(db, text="621 63")) == 0
    assert list(budget.list_budget_inputs(db, text="uten")["title"]) == ["Uten post"]


# ---------------------------------------------------------------- deadlines on the home page

def test_budget_deadlines_reach_the_home_page(db, small_forum, editor):
    year_id = budget.create_budget_year(db, editor, {"budget_year": 2027, "hearing_application_deadline": "2026-03-20",
                                           "hearing_on": "2026-03-26", "frames_vote_on": "2026-03-30",
                                           "final_vote_on": "2026-04-20"})
    frame = deadlines.deadlines(db, TODAY, days_ahead=30)
    budget_rows = frame[frame["kind"].str.startswith("budget")]
    assert rows(budget_rows, ["day", "kind", "title", "record_table", "record_id", "bucket"]) == [
        # the year's application deadline is the input's, so it is listed once, with the input
        ("2026-03-20", "budget_hearing_application", "Frivillig arbeid", "budget_inputs", small_forum["budget"],
         "next_30"),
        ("2026-03-26", "budget_hearing", "Prop. 1 S (2026–2027)", "budget_years", year_id, "next_30"),
        ("2026-03-27", "budget_hearing", "Frivillig arbeid", "budget_inputs", small_forum["budget"], "next_30"),
        ("2026-03-30", "budget_frames_vote", "Prop. 1 S (2026–2027)", "budget_years", year_id, "next_30"),
    ]
    assert list(frame.columns) == ["day", "kind", "title", "record_table", "record_id", "status", "owner",
                                   "days_left", "bucket"]


def test_past_budget_dates_are_not_overdue(db, small_forum, editor):
    budget.create_budget_year(db, editor, {"budget_year": 2026, "hearing_on": "2026-02-01"})
    assert "budget_years" not in set(deadlines.deadlines(db, TODAY)["record_table"])


def test_a_new_inputs_hearing_deadline_appears_among_the_deadlines(db, orgs, editor):
    input_id = budget.create_budget_input(db, editor, ask(hearing_application_deadline="2026-03-12"))
    frame = deadlines.deadlines(db, TODAY)
    assert rows(frame, ["day", "kind", "record_id", "days_left"]) == [
        ("2026-03-12", "budget_hearing_application", input_id, 10)]


def test_budget_deadlines_reach_the_calendar_export(db, small_forum, editor):
    from krem_advocacy.exchange import calendar_feed

    year_id = budget.create_budget_year(db, editor, {"budget_year": 2027, "hearing_on": "2026-03-26",
                                                     "frames_vote_on": "2026-03-30"})
    events = calendar_feed.calendar_events(db, TODAY)
    budget_events = events[events["kind"].str.startswith("budget")]
    assert rows(budget_events, ["day", "kind", "record_table", "record_id"]) == [
        ("2026-03-20", "budget_hearing_application", "budget_inputs", small_forum["budget"]),
        ("2026-03-26", "budget_hearing", "budget_years", year_id),
        ("2026-03-27", "budget_hearing", "budget_inputs", small_forum["budget"]),
        ("2026-03-30", "budget_frames_vote", "budget_years", year_id),  # the votes are calendar dates too
    ]
