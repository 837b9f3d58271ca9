"""The Statsbudsjett page through AppTest: forms, validation messages, phases, conflicts, the year view, charts.

On literal budget records (`budget_forum`), dated from today as the page is.
"""

from datetime import date, timedelta
from pathlib import Path

import pytest

from krem_advocacy.domain import budget
from krem_advocacy.store.connection import opened
from tests.helpers import insert, open_box, open_page, texts

PAGE = "pages/statsbudsjett.py"


@pytest.fixture
def budget_forum(app_db_path, db):
    """Literal budget records in the app's database, dated from today: next year's budget with its cycle (the
    vote on the frames in four days), and six inputs to two ministries over three years, four of them on
    kap. 621 post 70 (this year's with an internal note)."""
    today = date.today()
    year = today.year + 1

    def day(days: int) -> str:
        return (today + timedelta(days=days)).isoformat()

    ids = {"year": year}
    ids["aid"] = insert(db, "organisations", name="Arbeids- og inkluderingsdepartementet", short_name="AID",
                        kind="department")
    ids["bfd"] = insert(db, "organisations", name="Barne- og familiedepartementet", short_name="BFD",
                        kind="department")
    ids["krem"] = insert(db, "organisations", name="KREM", short_name="KREM", kind="forum_member")
    ids["year_id"] = insert(db, "budget_years", budget_year=year, prop1s_on=day(-45),
                            hearing_application_deadline=day(-38), hearing_on=day(-30), frames_vote_on=day(4),
                            final_vote_on=day(24), revised_on=day(170))
    ids["current"] = insert(db, "budget_inputs", title="Frivillig arbeid mot fattigdom", budget_year=year,
                            phase="budsjetthoering", recipient_org_id=ids["aid"], lead_org_id=ids["krem"],
                            chapter="621", post="70", ask_amount=38_000_000, prop_amount=31_500_000,
                            sent_on=day(-60), internal_notes="Intern: følg opp partiene i komiteen.")
    for budget_year, adopted, outcome in ((year - 1, 30_000_000, "delvis"), (year - 2, 28_000_000, "innfridd"),
                                          (year - 3, 20_000_000, "ikke")):
        insert(db, "budget_inputs", title=f"Frivillig arbeid {budget_year}", budget_year=budget_year, phase="vedtatt",
               recipient_org_id=ids["aid"], chapter="621", post="70", ask_amount=35_000_000,
               prop_amount=adopted, adopted_amount=adopted,
               outcome=outcome)
    insert(db, "budget_inputs", title="Tilskudd til ferietiltak", budget_year=year - 1, phase="vedtatt",
           recipient_org_id=ids["bfd"], chapter="846", post="61", ask_amount=10_000_000, adopted_amount=8_000_000,
           outcome="delvis")
    insert(db, "budget_inputs", title="Barnetrygd for de minste", budget_year=year, phase="vaarinnspill",
           recipient_org_id=ids["bfd"], chapter="845", post="70", ask_amount=500_000_000)
    db.conn.commit()
    return ids


def submit(at, label: str) -> None:
    """Click the form button with this label (the sidebar has a search form too)."""
    next(b for b in at.form_submit_button if b.label == label).click().run()


def input_id_by_title(path: Path, title: str) -> int:
    with opened(path) as db:
        return db.execute("SELECT id FROM budget_inputs WHERE title = ?", [title]).fetchone()[0]


def row(path: Path, input_id: int, columns: str):
    with opened(path) as db:
        return db.execute(f"SELECT {columns} FROM budget_inputs WHERE id = ?", [input_id]).fetchone()


def test_an_editor_creates_an_input_with_kroner_as_typed(app_db_path, budget_forum, editor):
    at = open_page(PAGE, editor, new="1", year="2027")
    assert at.title[0].value == "Nytt budsjettinnspill"
    at.text_input(key="binew_title").input("Styrk kap. 621 post 70")
    at.text_input(key="binew_chapter").input("621")
    at.text_input(key="binew_post").input("70")
    at.text_input(key="binew_ask_amount").input("1,5 mill")
    at.text_input(key="binew_prop_amount").input("250'")
    at.date_input(key="binew_hearing_application_deadline").set_value(date(2026, 10, 15))
    submit(at, "Opprett innspillet")
    assert not at.exception, at.exception
    input_id = input_id_by_title(app_db_path, "Styrk kap. 621 post 70")
    assert row(app_db_path, input_id, "budget_year, chapter, post, ask_amount, prop_amount, "
                                       "hearing_application_deadline, phase") == (
        2027, "621", "70", 1_500_000, 250_000, "2026-10-15", "vaarinnspill")


def test_validation_messages_name_the_field_and_the_rule(app_db_path, budget_forum, editor):
    at = open_page(PAGE, editor, new="1")
    at.text_input(key="binew_title").input("Feil")
    at.text_input(key="binew_chapter").input("621")
    at.text_input(key="binew_post").input("7")
    at.text_input(key="binew_ask_amount").input("-5")
    at.text_input(key="binew_prop_amount").input("abc")
    submit(at, "Opprett innspillet")
    message = at.error[0].value.replace("\\", "")
    assert "Ikke lagret" in message
    assert "**Post**: må ha to sifre, f.eks. 70 eller 01" in message
    assert "**Beløp vi ber om**: kan ikke være negativt" in message
    assert "**Beløp i Prop. 1 S**: er ikke et beløp" in message
    with opened(app_db_path) as db:
        assert db.execute("SELECT COUNT(*) FROM budget_inputs WHERE title = 'Feil'").fetchone()[0] == 0


def test_an_adopted_amount_without_a_year_is_refused_with_a_clear_message(app_db_path, budget_forum, editor):
    at = open_page(PAGE, editor, new="1")
    at.text_input(key="binew_title").input("Uten år")
    at.text_input(key="binew_budget_year").input("")
    at.text_input(key="binew_adopted_amount").input("33 mill")
    submit(at, "Opprett innspillet")
    assert "**Budsjettår**: må fylles ut når et vedtatt beløp er lagt inn" in at.error[0].value.replace("\\", "")


def test_next_phase_button_moves_the_input_and_is_audited(app_db_path, budget_forum, editor):
    with opened(app_db_path) as db:
        input_id = budget.create_budget_input(db, editor, {"title": "Fasetest", "budget_year": 2027,
                                                           "phase": "vaarinnspill"})
    at = open_page(PAGE, editor, id=str(input_id))
    at.button(key=f"bi_next_{input_id}").click().run()
    assert not at.exception, at.exception
    assert row(app_db_path, input_id, "phase, version") == ("prop1s", 2)
    assert "Innspillet er flyttet til «Prop. 1 S»." in texts(at)
    at.button(key=f"bi_next_{input_id}").click().run()
    assert row(app_db_path, input_id, "phase") == ("budsjetthoering",)
    with opened(app_db_path) as db:
        actors = db.execute("SELECT actor FROM audit_log WHERE table_name = 'budget_inputs' AND record_id = ? "
                            "AND action = 'update'", [input_id]).fetchall()
    assert actors == [(editor.name,), (editor.name,)]


def test_choose_any_phase_and_record_the_adopted_amount(app_db_path, budget_forum, editor):
    with opened(app_db_path) as db:
        input_id = budget.create_budget_input(db, editor, {"title": "Vedtak", "budget_year": 2027, "phase": "prop1s",
                                                           "ask_amount": "38 mill", "prop_amount": "31,5 mill"})
    at = open_page(PAGE, editor, id=str(input_id))
    at.selectbox(key=f"bi_pick_{input_id}").set_value("vedtatt").run()
    at.button(key=f"bi_move_{input_id}").click().run()
    assert row(app_db_path, input_id, "phase") == ("vedtatt",)
    at.text_input(key=f"bi_quick_{input_id}").input("33 mill").run()
    at.button(key=f"bi_adopt_{input_id}").click().run()
    assert not at.exception, at.exception
    assert row(app_db_path, input_id, "adopted_amount, outcome") == (33_000_000, "delvis")
    assert "33\u00a0000\u00a0000\u00a0kr" in texts(at)


def test_a_stale_edit_shows_what_was_typed_and_what_is_saved(app_db_path, budget_forum, editor, other_editor):
    with opened(app_db_path) as db:
        input_id = budget.create_budget_input(db, editor, {"title": "Konflikt", "budget_year": 2027,
                                                           "ask_amount": "10 mill"})
    prefix = f"bi{input_id}_"
    at = open_box(open_page(PAGE, editor, id=str(input_id)), "budget_edit")
    with opened(app_db_path) as db:  # someone else saves first
        budget.update_budget_input(db, other_editor, input_id,
                                   {"title": "Konflikt", "budget_year": 2027, "ask_amount": "12 mill"}, 1)
    at.text_input(key=f"{prefix}ask_amount").input("11 mill")
    submit(at, "Lagre endringene")
    assert any("noen andre har lagret" in e.value for e in at.error)
    conflict = texts(at)
    assert "| Felt | Det du skrev | Lagret nå |" in conflict  # only the field that differs, side by side
    assert "| **Beløp vi ber om** | 11\u00a0000\u00a0000\u00a0kr | 12\u00a0000\u00a0000\u00a0kr |" in conflict
    assert "Tittel" not in conflict
    assert row(app_db_path, input_id, "ask_amount") == (12_000_000,)
    assert any("Noen andre har lagret dette innspillet" in w.value for w in at.warning)
    at.button(key=f"{prefix}reload").click().run()  # load the saved version, then save again
    assert at.text_input(key=f"{prefix}ask_amount").value == "12 000 000"
    at.text_input(key=f"{prefix}ask_amount").input("11 mill")
    submit(at, "Lagre endringene")
    assert row(app_db_path, input_id, "ask_amount, version") == (11_000_000, 3)


def test_a_viewer_sees_the_input_but_no_editing(app_db_path, budget_forum):
    with opened(app_db_path) as db:
        input_id = db.execute("SELECT id FROM budget_inputs WHERE internal_notes IS NOT NULL").fetchone()[0]
    at = open_page(PAGE, None, id=str(input_id))
    assert not [b for b in at.button if b.key and b.key.startswith("bi_")]
    assert not [b for b in at.form_submit_button if b.form_id != "site_search"]
    assert "Intern:" not in texts(at)
    assert "38\u00a0000\u00a0000\u00a0kr" in texts(at)


def test_the_year_view_shows_the_pipeline_and_what_is_due(app_db_path, budget_forum, editor):
    year = date.today().year + 1
    at = open_page(PAGE, editor, year=str(year))
    body = texts(at)
    for phase in ("1. Vårinnspill til departement", "4. Innstilling/forlik", "6. Revidert budsjett"):
        assert phase in body
    assert "Det som kommer" in body
    assert "Rammevedtak" in body
    assert f"Innspill til budsjettet for {year}" in body


def test_an_editor_sets_a_new_budget_years_dates(app_db_path, budget_forum, editor):
    year = date.today().year + 3
    at = open_box(open_page(PAGE, editor, year=str(year)), f"budget_year_edit_{year}")
    at.date_input(key=f"by{year}_hearing_application_deadline").set_value(date(year - 1, 10, 14))
    at.date_input(key=f"by{year}_hearing_on").set_value(date(year - 1, 10, 22))
    submit(at, "Lagre datoene")
    assert not at.exception, at.exception
    with opened(app_db_path) as db:
        assert db.execute("SELECT hearing_application_deadline, hearing_on FROM budget_years WHERE budget_year = ?",
                          [year]).fetchone() == (f"{year - 1}-10-14", f"{year - 1}-10-22")


def test_the_charts_are_drawn(app_db_path, budget_forum):
    at = open_page(PAGE, None)
    assert not at.get("vega_lite_chart")  # drawn when their tab is chosen
    at.session_state["budget_view"] = "Diagrammer"
    charts = at.run().get("vega_lite_chart")
    assert len(charts) == 4  # per year, outcomes, per recipient, per chapter
    body = texts(at)
    assert "Utfall over årene" in body and "Per mottaker og kapittel" in body


@pytest.mark.parametrize("lang, title", [("nb", "Statsbudsjett"), ("en", "State budget")])
def test_list_search_by_budget_line(app_db_path, budget_forum, lang, title):
    at = open_page(PAGE, None, lang=lang)
    assert at.title[0].value == title
    at.text_input(key="budget_text").input("kap. 621 post 70").run()
    shown = at.dataframe[0].value
    assert len(shown) >= 4
    assert set(shown[shown.columns[2]]) == {"kap. 621 post 70" if lang == "nb" else "chap. 621 post 70"}


def test_home_links_a_budget_years_votes_to_the_year_view(app_db_path, budget_forum):
    at = open_page()
    year = date.today().year + 1
    with opened(app_db_path) as db:
        year_id = db.execute("SELECT id FROM budget_years WHERE budget_year = ?", [year]).fetchone()[0]
    links = {(e.proto.label.replace("\\", ""), e.proto.query_string) for e in at.get("page_link")
             if e.proto.page == "statsbudsjett"}
    assert (f"Prop. 1 S ({year - 1}–{year})", f"year_id={year_id}") in links
    at = open_page(PAGE, None, year_id=str(year_id))  # the link opens that year's view
    assert f"Innspill til budsjettet for {year}" in texts(at)


def test_record_path_of_a_budget_year_uses_the_year():
    from krem_advocacy.site import record_path

    assert record_path("budget_years", 3) == "statsbudsjett?year_id=3"
    assert record_path("budget_inputs", 5, "en") == "statsbudsjett?id=5&lang=en"


def test_dev_editor_switch_makes_the_visitor_an_editor(app_db_path, budget_forum, monkeypatch):
    monkeypatch.setenv("KREM_DEV_EDITOR", "Test")
    at = open_page(PAGE, None)
    assert any(c.value == "Innlogget som Test (Redaktør)" for c in at.sidebar.caption)
    assert any(link.proto.label == "Nytt budsjettinnspill" for link in at.get("page_link"))
    monkeypatch.delenv("KREM_DEV_EDITOR")
    at = open_page(PAGE, None)
    assert not any(link.proto.label == "Nytt budsjettinnspill" for link in at.get("page_link"))


def test_an_editor_deletes_an_input_after_confirming(app_db_path, budget_forum, editor):
    with opened(app_db_path) as db:
        input_id = budget.create_budget_input(db, editor, {"title": "Feilregistrert", "budget_year": 2027})
    at = open_box(open_page(PAGE, editor, id=str(input_id)), "budget_edit")
    assert at.button(key=f"bi_delete_{input_id}").disabled
    at.checkbox(key=f"bi_delete_{input_id}_sure").check().run()
    at.button(key=f"bi_delete_{input_id}").click().run()
    assert not at.exception, at.exception
    with opened(app_db_path) as db:
        assert db.execute("SELECT COUNT(*) FROM budget_inputs WHERE id = ?", [input_id]).fetchone()[0] == 0
        assert db.execute("SELECT COUNT(*) FROM audit_log WHERE action = 'delete' AND record_id = ?",
                          [input_id]).fetchone()[0] == 1
    assert "«Feilregistrert» er slettet." in texts(at)
