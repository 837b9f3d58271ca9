"""The Møter page through AppTest: forms for editors, conflicts, follow-up and the brief view.

On literal meetings (`meetings_forum`), dated from today as the page is.
"""

from datetime import date, timedelta

import pytest

from krem_advocacy.domain import meetings
from krem_advocacy.store.connection import opened
from tests.helpers import insert, open_box, open_page, texts

PAGE = "pages/moeter.py"


def one(db, sql, params=()):
    return db.execute(sql, list(params)).fetchone()


@pytest.fixture
def meetings_forum(app_db_path, db):
    """Literal meetings in the app's database, dated from today: a KU meeting in two weeks with three agenda items
    and an internal note; an earlier KU meeting with an open, a followed-up and a kept tilsagn; a past forum
    meeting with two items; the organisations, saker and a høring (due a week after the KU) they are about."""
    today = date.today()

    def day(days: int) -> str:
        return (today + timedelta(days=days)).isoformat()

    ids = {}
    ids["bfd"] = insert(db, "organisations", name="Barne- og familiedepartementet", short_name="BFD",
                        kind="department")
    ids["aid"] = insert(db, "organisations", name="Arbeids- og inkluderingsdepartementet", short_name="AID",
                        kind="department")
    ids["rio"] = insert(db, "organisations", name="RIO – Rusmisbrukernes interesseorganisasjon", short_name="RIO",
                        kind="forum_member")
    ids["krem"] = insert(db, "organisations", name="KREM", short_name="KREM", kind="forum_member")
    ids["minstenorm"] = insert(db, "saker", title="Nasjonal minstenorm i sosialhjelpen", status="aktiv")
    ids["barnefattigdom"] = insert(db, "saker", title="Barnefattigdom", status="aktiv")
    ids["hoering"] = insert(db, "hoeringer", title="Høring – endringer i sosialtjenesteloven", department_id=ids["aid"],
                            published_on=day(-20), deadline=day(21), our_status="til_vurdering")
    ids["ku_past"] = insert(db, "meetings", title="Kontaktutvalget – høst", kind="ku", starts_at=f"{day(-60)}T12:00")
    ids["open"] = insert(db, "tilsagn", meeting_id=ids["ku_past"], status="aapen", responsible_org_id=ids["bfd"],
                         text="BFD vil invitere forumet med i arbeidet med en ny strategi mot barnefattigdom.",
                         sak_id=ids["barnefattigdom"])
    ids["followed"] = insert(db, "tilsagn", meeting_id=ids["ku_past"], status="fulgt_opp",
                             text="AID vil svare skriftlig om minstenormen.", responsible_org_id=ids["aid"],
                             sak_id=ids["minstenorm"])
    insert(db, "tilsagn", meeting_id=ids["ku_past"], status="innfridd", text="Statsråden vil møte forumet igjen.")
    ids["ku_next"] = insert(db, "meetings", title="Kontaktutvalget – vinter", kind="ku", starts_at=f"{day(14)}T12:00",
                            place="AID, Oslo", prep_deadline=day(7),
                            internal_notes="Intern: ta opp de åpne tilsagnene fra høstens møte.")
    for position, title in enumerate(("Arbeidsgiveravgiften", "Strategien mot barnefattigdom", "Bostøtten"), 1):
        insert(db, "agenda_items", meeting_id=ids["ku_next"], position=position, title=title)
    ids["forum"] = insert(db, "meetings", title="Forummøte", kind="forum", starts_at=f"{day(-30)}T10:00")
    for position, title in enumerate(("Velkommen", "Planene for våren"), 1):
        insert(db, "agenda_items", meeting_id=ids["forum"], position=position, title=title)
    db.conn.commit()
    return ids


@pytest.fixture
def next_ku(app_db_path, meetings_forum):
    """The next KU meeting: (id, title)."""
    with opened(app_db_path) as db:
        return one(db, "SELECT id, title FROM meetings WHERE kind = 'ku' AND starts_at >= date('now') "
                       "ORDER BY starts_at LIMIT 1")


def button(at, label: str, key_part: str = ""):
    """The button (or form submit button) with this label (and key containing `key_part`)."""
    found = [b for b in at.button if b.label == label and key_part in (b.key or "")]
    assert found, f"no button {label!r}: {[b.label for b in at.button]}"
    return found[0]


def test_a_viewer_reads_the_meeting_and_downloads_the_brief_but_cannot_edit(next_ku):
    at = open_page(PAGE, id=str(next_ku[0]))
    assert at.title[0].value.replace("\\", "") == next_ku[1]
    labels = [e.label for e in at.expander]
    assert "Rediger møtet" not in labels and "Legg til punkt på dagsorden" not in labels
    downloads = [d.proto.label for d in at.get("download_button")]
    assert downloads == ["Last ned Word (.docx)", "Last ned Markdown"]
    assert "Forberedelsesnotat" in texts(at)
    assert not at.main.text_input and not at.main.text_area  # the sidebar has the search box


def test_an_editor_creates_a_meeting_and_lands_on_it(app_db_path, meetings_forum, editor):
    at = open_box(open_page(PAGE, editor), "meeting_new")
    at.text_input(key="mfnewv0_title").input("KU om bostøtte")
    at.date_input(key="mfnewv0_date").set_value("2026-05-04")
    at.text_input(key="mfnewv0_place").input("AID, Oslo")
    at.text_input(key="mfnewv0_themes").input("bolig, bostøtte")
    button(at, "Lagre").click().run()
    assert not at.exception, at.exception
    with opened(app_db_path) as db:
        row = one(db, "SELECT id, kind, starts_at, place, version FROM meetings WHERE title = 'KU om bostøtte'")
        logged = one(db, "SELECT actor, action FROM audit_log WHERE table_name = 'meetings' AND record_id = ?",
                     [row[0]])
    assert row[1:] == ("ku", "2026-05-04T12:00", "AID, Oslo", 1)
    assert logged == (editor.name, "create")
    assert at.title[0].value == "KU om bostøtte"  # the new meeting's page opened


def test_a_meeting_without_title_or_date_is_not_saved_and_says_why(app_db_path, meetings_forum, editor):
    at = open_box(open_page(PAGE, editor), "meeting_new")
    with opened(app_db_path) as db:
        before = one(db, "SELECT COUNT(*) FROM meetings")[0]
    button(at, "Lagre").click().run()
    message = at.error[0].value
    assert message.startswith("Ikke lagret. Rett opp dette først:")
    assert "**Tittel**: må fylles ut" in message and "**Starter kl\\.**: må fylles ut" in message
    with opened(app_db_path) as db:
        assert one(db, "SELECT COUNT(*) FROM meetings")[0] == before


def test_an_editor_adds_an_agenda_item_about_a_sak_with_a_speaker(app_db_path, next_ku, editor):
    meeting_id = next_ku[0]
    with opened(app_db_path) as db:
        sak_id = one(db, "SELECT id FROM saker WHERE title LIKE 'Nasjonal minstenorm%'")[0]
        org_id = one(db, "SELECT id FROM organisations WHERE short_name = 'RIO'")[0]
    at = open_box(open_page(PAGE, editor, id=str(meeting_id)), "agenda_add")
    k = f"ainew{meeting_id}v0_"
    at.selectbox(key=k + "sak").set_value(sak_id)
    at.selectbox(key=k + "org").set_value(org_id)
    at.text_area(key=k + "summary").input("RIO ber om en bindende minstenorm.")
    button(at, "Legg til punkt på dagsorden").click().run()
    assert not at.exception, at.exception
    with opened(app_db_path) as db:
        agenda = meetings.agenda(db, meeting_id)
    last = agenda.iloc[-1]
    assert (last["position"], last["title"], last["speaker_org"], last["summary"]) == (
        4, "Nasjonal minstenorm i sosialhjelpen", "RIO – Rusmisbrukernes interesseorganisasjon",
        "RIO ber om en bindende minstenorm.")
    assert "4. Nasjonal minstenorm i sosialhjelpen" in texts(at)


def test_moving_an_item_up_changes_the_order(app_db_path, next_ku, editor):
    meeting_id = next_ku[0]
    with opened(app_db_path) as db:
        before = list(meetings.agenda(db, meeting_id)["title"])
        second = int(meetings.agenda(db, meeting_id)["id"][1])
    at = open_page(PAGE, editor, id=str(meeting_id))
    at.button(key=f"up_{second}").click().run()
    with opened(app_db_path) as db:
        after = list(meetings.agenda(db, meeting_id)["title"])
    assert after == [before[1], before[0], before[2]]


def test_a_suggestion_goes_on_the_agenda_with_one_click(app_db_path, next_ku, editor):
    meeting_id = next_ku[0]
    with opened(app_db_path) as db:
        suggested = meetings.agenda_candidates(db, meeting_id)["hoeringer"].iloc[0]
    at = open_box(open_page(PAGE, editor, id=str(meeting_id)), "agenda_candidates")
    at.button(key=f"cand_hoering_id_{suggested['id']}").click().run()
    with opened(app_db_path) as db:
        last = meetings.agenda(db, meeting_id).iloc[-1]
    assert (last["title"], last["hoering_id"]) == (suggested["title"], suggested["id"])


def test_a_stale_edit_shows_what_was_typed_beside_what_is_saved(app_db_path, next_ku, editor, other_editor):
    meeting_id = next_ku[0]
    at = open_box(open_page(PAGE, editor, id=str(meeting_id)), "meeting_edit")
    with opened(app_db_path) as db:  # someone else saves the meeting after the form was opened
        version = one(db, "SELECT version FROM meetings WHERE id = ?", [meeting_id])[0]
        meetings.update_meeting(db, other_editor, meeting_id, {"place": "Statsministerens kontor"},
                                version)
    k = f"mf{meeting_id}v{version}_"
    at.text_input(key=k + "place").input("Teams")
    button(at, "Lagre", k).click().run()
    assert "noen andre har lagret denne posten" in at.error[0].value
    table = [m.value for m in at.markdown if "Det du skrev" in m.value]
    assert table and "| **Sted** | Teams | Statsministerens kontor |" in table[0]
    with opened(app_db_path) as db:
        assert one(db, "SELECT place FROM meetings WHERE id = ?", [meeting_id])[0] == "Statsministerens kontor"


def test_an_editor_records_a_tilsagn_and_follows_up_an_earlier_one(app_db_path, next_ku, editor):
    meeting_id = next_ku[0]
    with opened(app_db_path) as db:
        due = meetings.get_meeting(db, meeting_id)["open_tilsagn_before"]
        earlier = next(t for t in due if t["status"] == "aapen")
    at = open_box(open_page(PAGE, editor, id=str(meeting_id)), "tilsagn_add")
    k = f"tinew{meeting_id}v0_"
    at.text_area(key=k + "text").input("Statsråden vil svare skriftlig på spørsmålet om arbeidsgiveravgift.")
    button(at, "Registrer tilsagn").click().run()
    assert not at.exception, at.exception
    f = f"fu{meeting_id}_{earlier['id']}v{earlier['version']}_"
    at.selectbox(key=f + "status").set_value("innfridd")
    at.checkbox(key=f + "here").check()
    button(at, "Lagre", f).click().run()
    with opened(app_db_path) as db:
        assert one(db, "SELECT status, meeting_id FROM tilsagn WHERE text LIKE 'Statsråden vil svare%'") == (
            "aapen", meeting_id)
        assert one(db, "SELECT status, followed_up_meeting_id FROM tilsagn WHERE id = ?", [int(earlier["id"])]) == (
            "innfridd", meeting_id)
        remaining = meetings.get_meeting(db, meeting_id)["open_tilsagn_before"]
    assert int(earlier["id"]) not in [t["id"] for t in remaining]


def test_the_tilsagn_tab_lists_open_promises_across_meetings(app_db_path, meetings_forum):
    at = open_page(PAGE)
    at.session_state["meetings_view"] = "Tilsagn"  # the second tab; only the chosen tab is drawn
    tilsagn = at.run().dataframe[0].value
    assert "BFD vil invitere forumet med i arbeidet med en ny strategi mot barnefattigdom." in list(tilsagn["Tilsagn"])
    assert set(tilsagn["Status"]) == {"Åpen", "Fulgt opp"}


def test_the_print_view_shows_only_the_brief_with_downloads(next_ku):
    at = open_page(PAGE, id=str(next_ku[0]), brief="1")
    brief_text = [m.value for m in at.markdown if m.value.startswith("# Forberedelse:")]
    assert brief_text and brief_text[0].startswith(f"# Forberedelse: {next_ku[1]}\n")
    assert "## Dagsorden" in brief_text[0] and "## Åpne tilsagn å spørre om" in brief_text[0]
    assert "Intern:" not in brief_text[0]  # a viewer's brief has no internal notes
    assert [d.proto.label for d in at.get("download_button")] == ["Last ned Word (.docx)", "Last ned Markdown"]
    assert not at.title  # no page chrome: the brief is the page


def test_an_editors_brief_includes_the_internal_notes(next_ku, editor):
    at = open_page(PAGE, editor, id=str(next_ku[0]), brief="1", lang="en")
    brief_text = [m.value for m in at.markdown if m.value.startswith("# Preparation:")][0]
    assert "**Internal:** Intern: ta opp de åpne tilsagnene" in brief_text


def test_an_editor_sees_the_builder_in_english(next_ku, editor):
    at = open_page(PAGE, editor, id=str(next_ku[0]), lang="en")
    labels = [e.label for e in at.expander]
    for expected in ("Edit the meeting", "Change the item", "Add an agenda item", "Agenda suggestions",
                     "Record a commitment"):
        assert expected in labels, expected
    body = texts(at)
    assert "Open commitments from earlier meetings" in body
    assert [b.label for b in at.button if b.key and b.key.startswith("up_")][:1] == ["Up"]


def test_deleting_a_meeting_needs_a_tick_and_logs_each_part(app_db_path, meetings_forum, editor):
    with opened(app_db_path) as db:
        meeting_id, title = one(db, "SELECT id, title FROM meetings WHERE kind = 'forum' ORDER BY starts_at DESC")
        items = one(db, "SELECT COUNT(*) FROM agenda_items WHERE meeting_id = ?", [meeting_id])[0]
    at = open_box(open_page(PAGE, editor, id=str(meeting_id)), "meeting_edit")
    delete = at.button(key=f"delete_meeting_{meeting_id}")
    assert delete.disabled
    at.checkbox(key=f"delete_meeting_{meeting_id}_sure").check().run()
    at.button(key=f"delete_meeting_{meeting_id}").click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Møter"
    with opened(app_db_path) as db:
        assert one(db, "SELECT COUNT(*) FROM meetings WHERE id = ?", [meeting_id])[0] == 0
        logged = one(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'delete' AND table_name = 'agenda_items'")[0]
    assert items > 0 and logged == items


def test_moving_an_item_then_editing_it_is_not_a_conflict_with_oneself(app_db_path, next_ku, editor):
    meeting_id = next_ku[0]
    with opened(app_db_path) as db:
        first = int(meetings.agenda(db, meeting_id)["id"][0])
    at = open_page(PAGE, editor, id=str(meeting_id))
    at.button(key=f"down_{first}").click().run()
    with opened(app_db_path) as db:
        version = one(db, "SELECT version FROM agenda_items WHERE id = ?", [first])[0]
    assert version == 2
    open_box(at, f"agenda_edit_{first}")
    k = f"ai{first}v{version}_"
    at.text_input(key=k + "title").input("Arbeidsgiveravgiften for sosiale entreprenører")
    button(at, "Lagre", k).click().run()
    assert not at.error, at.error[0].value
    with opened(app_db_path) as db:
        assert one(db, "SELECT title, position FROM agenda_items WHERE id = ?", [first]) == (
            "Arbeidsgiveravgiften for sosiale entreprenører", 2)


def test_a_tilsagn_given_under_an_item_is_shown_under_that_item(app_db_path, current_forum, db):
    insert(db, "tilsagn", meeting_id=current_forum["ku_past"], agenda_item_id=current_forum["item"],
           text="Ser på satsene i revidert", status="aapen")
    db.conn.commit()
    at = open_page(PAGE, id=str(current_forum["ku_past"]))
    body = texts(at)
    assert "Tilsagn gitt under dette punktet" in body
    assert "under punkt «Barnetrygden»" in body  # and in the meeting's list of tilsagn
    under_item = body.split("Tilsagn gitt under dette punktet")[1]
    assert under_item.index("Ser på satsene i revidert") < under_item.index("under punkt «Barnetrygden»")
