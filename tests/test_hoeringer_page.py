"""The Høringer page through AppTest: the forms, validation, conflicts, archive, filters and the views.

On the small literal forum with its dates moved to today (the page counts days from the clock).
"""

from datetime import date, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from krem_advocacy.domain import hoeringer
from krem_advocacy.store.connection import opened
from tests.helpers import insert, open_page, show_tab, texts

PAGE = "pages/hoeringer.py"


def open_new_form(at) -> AppTest:
    """Open the «Ny høring» expander (its form is drawn only while open) and run."""
    from krem_advocacy.ui.hoering_form import NEW_BOX

    at.session_state[NEW_BOX] = True
    return at.run()


@pytest.fixture
def forum(current_forum, db):
    """The small forum dated from today, and a høring due in three weeks: every deadline group has one."""
    today = date.today()
    ids = dict(current_forum)
    ids["h_month"] = insert(db, "hoeringer", title="Høring E", department_id=ids["bfd"],
                            published_on=(today - timedelta(days=10)).isoformat(),
                            deadline=(today + timedelta(days=20)).isoformat(), our_status="til_vurdering")
    db.conn.commit()
    return ids


def hoering_by_title(path, title):
    with opened(path) as db:
        row = db.execute("SELECT id FROM hoeringer WHERE title = ?", [title]).fetchone()
        return hoeringer.get_hoering(db, row[0], include_internal=True) if row else None


def test_editor_adds_a_hoering_and_sees_the_derived_internal_deadline(app_db_path, forum, editor):
    today = date.today()
    at = open_new_form(open_page(PAGE, editor))
    at.text_input(key="hf_new_title").input("Høring – test av skjemaet")
    at.selectbox(key="hf_new_department_id").select_index(0)
    at.date_input(key="hf_new_published_on").set_value(today - timedelta(days=30))
    at.date_input(key="hf_new_deadline").set_value(today + timedelta(days=10))
    at.run()
    # The form already says where the internal deadline will fall.
    internal = (today + timedelta(days=3)).strftime("%d.%m.%Y")
    assert f"Intern frist blir {internal} (7 dager før høringsfristen)." in texts(at)
    at.button(key="hf_new_save").click().run()
    assert not at.exception, at.exception
    record = hoering_by_title(app_db_path, "Høring – test av skjemaet")
    assert (record["deadline"], record["internal_deadline"]) == (
        (today + timedelta(days=10)).isoformat(), (today + timedelta(days=3)).isoformat())
    # The new høring opens, with its internal deadline explained.
    assert at.title[0].value.replace("\\", "") == "Høring – test av skjemaet"
    assert f"{internal} (automatisk: 7 dager før høringsfristen)" in texts(at)
    assert "Høringen er lagret." in texts(at)


def test_validation_errors_are_listed_and_nothing_is_saved(app_db_path, forum, editor):
    with opened(app_db_path) as db:
        before = db.execute("SELECT COUNT(*) FROM hoeringer").fetchone()[0]
    at = open_new_form(open_page(PAGE, editor))
    at.date_input(key="hf_new_published_on").set_value(date(2026, 3, 1))
    at.date_input(key="hf_new_deadline").set_value(date(2026, 2, 1))
    at.text_input(key="hf_new_url").input("regjeringen.no/hoering")
    at.run()
    at.button(key="hf_new_save").click().run()
    error = at.error[0].value
    assert "Ikke lagret. Rett opp dette først:" in error
    assert "**Tittel**: må fylles ut" in error
    assert "**Høringsfrist**: kan ikke være før publiseringsdatoen" in error
    assert "**Lenke til høringen**: må være en nettadresse som begynner med https:// eller http://" in error
    with opened(app_db_path) as db:
        assert db.execute("SELECT COUNT(*) FROM hoeringer").fetchone()[0] == before


def test_conflicting_edit_shows_both_versions_and_keeps_the_other_save(app_db_path, forum, editor, other_editor):
    with opened(app_db_path) as db:
        hoering_id, version = db.execute("SELECT id, version FROM hoeringer WHERE id = ?", [forum["h_week"]]).fetchone()
    at = open_page(PAGE, editor, id=str(hoering_id))
    at.toggle(key=f"hoering_edit_{hoering_id}").set_value(True).run()
    at.text_input(key=f"hf_{hoering_id}_title").input("Min tittel")
    at.run()
    # Someone else saves the same høring meanwhile.
    with opened(app_db_path) as db:
        hoeringer.update_hoering(db, other_editor, hoering_id, {"title": "Pers tittel"}, version)
    at.button(key=f"hf_{hoering_id}_save_button").click().run()
    assert not at.exception, at.exception
    assert "noen andre har lagret denne posten etter at du åpnet den" in at.error[0].value
    table = [m.value for m in at.markdown if "| Felt |" in m.value][0]
    assert "| **Tittel** | Min tittel | Pers tittel |" in table
    assert "Alle andre felt er like i begge versjonene." in texts(at)
    assert hoering_by_title(app_db_path, "Pers tittel")["version"] == version + 1
    assert hoering_by_title(app_db_path, "Min tittel") is None
    # Starting again from the saved version fills the form with it.
    at.button(key=f"conflict_reload_hoeringer_{hoering_id}").click().run()
    at.toggle(key=f"hoering_edit_{hoering_id}").set_value(True).run()
    assert at.text_input(key=f"hf_{hoering_id}_title").value == "Pers tittel"


def test_edit_saves_and_closes_the_form(app_db_path, forum, editor):
    with opened(app_db_path) as db:
        hoering_id = db.execute("SELECT id FROM hoeringer WHERE id = ?", [forum["h_week"]]).fetchone()[0]
    at = open_page(PAGE, editor, id=str(hoering_id))
    at.toggle(key=f"hoering_edit_{hoering_id}").set_value(True).run()
    at.selectbox(key=f"hf_{hoering_id}_answer_type").set_value("uten_merknad")
    at.button(key=f"hf_{hoering_id}_save_button").click().run()
    assert not at.exception, at.exception
    with opened(app_db_path) as db:
        record = hoeringer.get_hoering(db, hoering_id)
        audit = db.execute("SELECT actor, action FROM audit_log WHERE table_name = 'hoeringer' AND record_id = ?",
                           [hoering_id]).fetchall()
    assert record["answer_type"] == "uten_merknad"
    assert audit == [(editor.name, "update")]
    assert "Uten merknad" in texts(at)
    assert not at.toggle(key=f"hoering_edit_{hoering_id}").value


def test_archive_and_restore_from_the_page(app_db_path, forum, editor):
    with opened(app_db_path) as db:
        hoering_id = db.execute("SELECT id FROM hoeringer WHERE our_status = 'svarer' LIMIT 1").fetchone()[0]
    at = open_page(PAGE, editor, id=str(hoering_id))
    at.button(key=f"hoering_archive_{hoering_id}").click().run()
    assert "Høringen er arkivert." in texts(at)
    assert hoering_by_id(app_db_path, hoering_id) == "arkivert"
    at.button(key=f"hoering_restore_{hoering_id}").click().run()
    assert "Høringen er gjenopprettet." in texts(at)
    assert hoering_by_id(app_db_path, hoering_id) == "svarer"


def hoering_by_id(path, hoering_id):
    with opened(path) as db:
        return db.execute("SELECT our_status FROM hoeringer WHERE id = ?", [hoering_id]).fetchone()[0]


def test_viewer_sees_no_editing_controls(app_db_path, forum):
    with opened(app_db_path) as db:
        hoering_id = db.execute("SELECT id FROM hoeringer LIMIT 1").fetchone()[0]
    at = open_page(PAGE, None)
    assert not [e for e in at.expander if "Ny høring" in e.label]
    assert not [b for b in at.button if b.key == "hoering_lead_save"]
    at = open_page(PAGE, None, id=str(hoering_id))
    assert not at.toggle
    assert not [b for b in at.button if str(b.key).startswith("hoering_archive")]


def test_status_counts_filter_the_list_and_follow_the_status_box(app_db_path, forum):
    at = open_page(PAGE, None)
    chips = at.button_group(key="hoering_status_chips")
    with opened(app_db_path) as db:
        delivered = db.execute("SELECT COUNT(*) FROM hoeringer WHERE our_status = 'levert'").fetchone()[0]
    assert chips.options[4] == f"Levert · {delivered}"
    chips.set_value("levert").run()
    assert at.selectbox(key="hoering_our_status").value == "levert"
    # Delivered høringer have no open deadlines: the deadline tab says so.
    assert any("har ingen åpne frister" in i.value for i in at.info)
    show_tab(at, "list")
    assert set(at.dataframe[0].value["Vår status"]) == {"Levert"}
    at.selectbox(key="hoering_our_status").set_value("svarer").run()
    assert at.button_group(key="hoering_status_chips").value == "svarer"
    assert set(at.dataframe[0].value["Vår status"]) == {"Svarer"}


def test_deadline_groups_timeline_and_calendar_download_are_shown(app_db_path, forum):
    at = open_page(PAGE, None)
    body = texts(at)
    for heading in ("Forfalt", "Innen 7 dager", "Neste 30 dager", "Senere"):
        assert f"] {heading} · " in body
    # Only the chosen tab is drawn: the timeline comes when its tab is chosen.
    assert not at.get("vega_lite_chart") and not at.dataframe
    show_tab(at, "timeline")
    assert at.get("vega_lite_chart")
    assert "] Forfalt · " not in texts(at)
    assert [d.proto.label for d in at.get("download_button")] == ["Last ned kalenderfil (.ics)"]
    # Without serve.py there is no feed address to offer, and the page says how to get one.
    assert "bash scripts/run" in body


def test_lead_time_setting_is_saved_from_the_page(app_db_path, forum, editor):
    at = open_page(PAGE, editor)
    at.number_input(key="hoering_lead_days").set_value(10)
    at.button(key="hoering_lead_save").click().run()
    assert not at.exception, at.exception
    with opened(app_db_path) as db:
        assert hoeringer.lead_days(db) == 10
    assert "Lagret. De automatiske interne fristene er oppdatert." in texts(at)
    assert at.number_input(key="hoering_lead_days").value == 10


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_history_is_shown_to_editors(app_db_path, forum, lang, editor, other_editor):
    with opened(app_db_path) as db:
        hoering_id, version = db.execute("SELECT id, version FROM hoeringer WHERE id = ?", [forum["h_week"]]).fetchone()
        hoeringer.update_hoering(db, other_editor, hoering_id, {"result": "Prop. 1 L"}, version)
    at = open_page(PAGE, editor, id=str(hoering_id), lang=lang)
    history = [e for e in at.expander if e.label.startswith(("Endringslogg", "Change log"))][0]
    assert history.label in ("Endringslogg (1)", "Change log (1)")
    assert any(other_editor.name in m.value and ("Resultat" in m.value or "Result" in m.value)
               for m in history.markdown)
