"""Duplicates caught at entry: one rule per kind (its `duplicate_keys`), in the forms and in the import."""

from datetime import date, timedelta

from krem_advocacy.domain import kinds
from krem_advocacy.exchange import importer
from krem_advocacy.store.connection import opened
from tests.helpers import insert, open_box, open_page, texts, xlsx


def _count(path, sql, args=()):
    with opened(path) as db:
        return db.execute(sql, list(args)).fetchone()[0]


def test_the_rule_ignores_case_dashes_and_spaces(db, small_forum):
    insert(db, "hoeringer", title="Høring – Endringer i  barnetrygdloven", department_id=small_forum["bfd"],
           our_ref="24/109")
    db.conn.commit()
    same_title = {"title": "høring - endringer i barnetrygdloven", "department_id": small_forum["bfd"]}
    assert [r["our_ref"] for r in kinds.duplicates(db, "hoeringer", same_title)] == ["24/109"]
    assert kinds.duplicates(db, "hoeringer", {**same_title, "department_id": None}) == []
    assert len(kinds.duplicates(db, "hoeringer", {"title": "Noe annet", "our_ref": " 24/109 "})) == 1
    # Meetings: the same day, start time and host; budget inputs: the same year, kap., post and phase.
    insert(db, "meetings", title="Møte med AID", kind="annet", starts_at="2026-04-01T10:00",
           host_org_id=small_forum["bfd"])
    db.conn.commit()
    assert len(kinds.duplicates(db, "meetings", {"title": "Annet navn", "starts_at": "2026-04-01T10:00",
                                                 "host_org_id": small_forum["bfd"]})) == 1
    assert kinds.duplicates(db, "meetings", {"title": "Annet navn", "starts_at": "2026-04-01T11:00",
                                             "host_org_id": small_forum["bfd"]}) == []
    budget = {"title": "Et nytt navn", "budget_year": "2027", "chapter": "621", "post": "70", "phase": "prop1s"}
    assert len(kinds.duplicates(db, "budget_inputs", budget)) == 1
    assert kinds.duplicates(db, "budget_inputs", {**budget, "phase": "revidert"}) == []


def test_import_uses_the_same_rules_for_meetings_and_budget(db, small_forum):
    insert(db, "meetings", title="Møte med BFD", kind="annet", starts_at="2026-04-01T10:00",
           host_org_id=small_forum["bfd"])
    db.conn.commit()
    table = importer.read_table(xlsx([["Et annet navn", "Annet", "01.04.2026", "10:00", "BFD"]],
                                     ["Tittel", "Type", "Dato", "Klokkeslett", "Vertskap"]), "m.xlsx", "meetings")
    preview = importer.check(db, "meetings", table, importer.guess_mapping("meetings", table.columns))
    assert [r.duplicate_id is not None for r in preview.rows] == [True], [r.errors for r in preview.rows]
    table = importer.read_table(xlsx([["Annet navn", "2027", "621", "70", "Prop. 1 S"]],
                                     ["Tittel", "Budsjettår", "Kap.", "Post", "Fase"]), "b.xlsx", "budget_inputs")
    preview = importer.check(db, "budget_inputs", table, importer.guess_mapping("budget_inputs", table.columns))
    assert [r.duplicate_id for r in preview.rows] == [small_forum["budget"]], [r.errors for r in preview.rows]


def test_hoering_form_offers_the_saved_one_as_you_type_and_saves_anyway(app_db_path, current_forum, db, editor):
    insert(db, "hoeringer", title="Høring – Endringer i barnetrygdloven", department_id=current_forum["bfd"],
           our_ref="24/109", deadline=(date.today() + timedelta(days=40)).isoformat(), our_status="til_vurdering")
    db.conn.commit()
    at = open_box(open_page("pages/hoeringer.py", editor), "hoering_new_box")
    at.text_input(key="hf_new_title").input("Høring - endringer i barnetrygdloven").run()
    assert "Dette ser ut til å finnes fra før (1)." not in texts(at)  # no department chosen yet
    at.text_input(key="hf_new_our_ref").input("24/109").run()
    assert "Dette ser ut til å finnes fra før (1)." in texts(at)
    assert "Høring – Endringer i barnetrygdloven · 24/109 · Høringsfrist" in texts(at)
    assert any(e.proto.label == "Åpne den" for e in at.get("page_link"))
    before = _count(app_db_path, "SELECT COUNT(*) FROM hoeringer")
    at.button(key="hf_new_save").click().run()
    assert "Ikke lagret: det finnes allerede en lik post." in texts(at)
    assert _count(app_db_path, "SELECT COUNT(*) FROM hoeringer") == before
    at.button(key="hf_new_save_anyway").click().run()
    assert not at.exception, at.exception
    assert _count(app_db_path, "SELECT COUNT(*) FROM hoeringer WHERE our_ref = '24/109'") == 2


def test_meeting_form_offers_the_saved_one_and_saves_anyway(app_db_path, current_forum, editor):
    starts = _count(app_db_path, "SELECT starts_at FROM meetings WHERE title = 'KU mars'")
    at = open_box(open_page("pages/moeter.py", editor), "meeting_new")
    at.text_input(key="mfnewv0_title").input("ku  MARS")
    at.date_input(key="mfnewv0_date").set_value(starts[:10])
    next(b for b in at.form_submit_button if b.label == "Lagre").click().run()
    assert "Dette ser ut til å finnes fra før (1)." in texts(at)
    assert _count(app_db_path, "SELECT COUNT(*) FROM meetings WHERE title LIKE 'ku%mars'") == 1
    at.button(key="meeting_new_duplicate_save_anyway").click().run()
    assert not at.exception, at.exception
    assert _count(app_db_path, "SELECT COUNT(*) FROM meetings WHERE lower(title) LIKE 'ku%mars'") == 2


def test_budget_form_offers_the_saved_one_and_saves_anyway(app_db_path, current_forum, editor):
    year = date.today().year + 1
    at = open_page("pages/statsbudsjett.py", editor, new="1", year=str(year))
    at.text_input(key="binew_title").input("Et nytt innspill om frivillighet")
    at.selectbox(key="binew_phase").set_value("prop1s")
    at.text_input(key="binew_chapter").input("621")
    at.text_input(key="binew_post").input("70")
    next(b for b in at.form_submit_button if b.label == "Opprett innspillet").click().run()
    assert "Dette ser ut til å finnes fra før (1)." in texts(at)
    assert f"Frivillig arbeid · {year} · kap. 621 post 70" in texts(at)
    assert _count(app_db_path, "SELECT COUNT(*) FROM budget_inputs") == 1
    at.button(key="budget_new_duplicate_save_anyway").click().run()
    assert not at.exception, at.exception
    assert _count(app_db_path, "SELECT COUNT(*) FROM budget_inputs") == 2
