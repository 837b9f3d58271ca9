"""The Saker, Organisasjoner and Søk pages through AppTest: trails, forms, search.

On literal records (`saker_forum`: the housing sak and its trail, and what the other pages need); only the check
that every page of the demo renders in both languages opens the demo database.
"""

import pytest

from krem_advocacy.domain import saker
from krem_advocacy.site import PAGE_SCRIPTS, RECORD_PAGES
from krem_advocacy.store.connection import opened
from tests.helpers import insert, open_page, texts

PAGE_OF_TABLE = {table: PAGE_SCRIPTS[page].removeprefix("pages/").removesuffix(".py")
                 for table, page in RECORD_PAGES.items()}


def main_links(at):
    """(label, page, query) of every link to a record in the page body (not the change-log link)."""
    return [(e.proto.label.replace("\\", ""), e.proto.page, e.proto.query_string) for e in at.main.get("page_link")
            if e.proto.page != "endringslogg"]


@pytest.fixture
def saker_forum(app_db_path, housing, db):
    """The housing sak and its trail (`housing`) in the app's database, with what the other pages here need: a
    theme for new saker, KREM as a member since 2008, ASD with two people and their roles, the KU meeting one of
    them attended, a høring on barnetrygd and a budget input on øremerkede midler."""
    ids = dict(housing)
    insert(db, "themes", code="sosialhjelp_minstenorm", label_nb="Nasjonal minstenorm i sosialhjelpen",
           label_en="A national minimum standard for social assistance", origin="forum", sort_order=3)
    ids["krem"] = insert(db, "organisations", name="KREM – Kreativt og mangfoldig arbeidsliv", short_name="KREM",
                         kind="forum_member", member_since=2008, member_status="aktiv")
    ids["asd"] = insert(db, "organisations", name="Arbeids- og sosialdepartementet", short_name="ASD",
                        kind="department")
    ids["bakke"] = insert(db, "people", name="Morten Bakke", organisation_id=ids["asd"], side="government")
    insert(db, "person_roles", person_id=ids["bakke"], organisation_id=ids["asd"], title="statssekretær",
           from_date="2017-01-01", to_date="2017-12-31")
    ids["hauglie"] = insert(db, "people", name="Anniken Hauglie", organisation_id=ids["asd"], side="government")
    insert(db, "person_roles", person_id=ids["hauglie"], organisation_id=ids["asd"],
           title="arbeids- og sosialminister", from_date="2015-12-16", to_date="2020-01-24")
    ids["ku2017"] = insert(db, "meetings", title="Kontaktutvalget – barnefattigdom", kind="ku",
                           starts_at="2017-05-10T12:00")
    insert(db, "meeting_people", meeting_id=ids["ku2017"], person_id=ids["bakke"],
           role_at_meeting="statssekretær, Arbeids- og sosialdepartementet")
    insert(db, "hoeringer", title="Høring – Forslag til endringer i barnetrygdloven", department_id=ids["asd"],
           deadline="2024-02-06", our_status="levert")
    insert(db, "budget_inputs", title="Opptrappingsplan for rusfeltet – øremerkede midler og egnede boliger",
           budget_year=2026, phase="vedtatt")
    db.conn.commit()
    return ids


# ---- A sak's trail ----

def test_sak_page_lists_every_linked_record_of_all_four_kinds_in_date_order(app_db_path, saker_forum):
    housing = saker_forum["sak"]
    with opened(app_db_path) as db:
        trail = saker.trail(db, housing)
    assert set(trail["kind"]) == {"hoering", "budget_input", "agenda_item", "tilsagn"}
    assert list(trail["day"]) == sorted(trail["day"], reverse=True)
    at = open_page("pages/saker.py", id=str(housing))
    links = main_links(at)[1:]  # after «Alle saker»
    expected = [(title, PAGE_OF_TABLE[table], f"id={record_id}")
                for title, table, record_id in zip(trail["title"], trail["record_table"], trail["record_id"])]
    assert links == expected
    assert at.get("vega_lite_chart") or at.get("arrow_vega_lite_chart"), "no activity chart"
    body = texts(at)
    assert "Sporet: alt som er gjort på saken" in body
    assert "Til KDD" in body and "Innlegg: LBF (Lise Prøvesen)" in body


@pytest.mark.parametrize("lang, trail_heading", [("nb", "Sporet: alt som er gjort på saken"),
                                                  ("en", "The trail: everything done on this topic")])
def test_every_sak_person_and_organisation_page_renders_for_an_editor(demo_db_path, lang, trail_heading, editor):
    # Every sak's trail, every person and every organisation, with the forms open: no text key may be missing.
    with opened(demo_db_path) as db:
        sak_ids = [r[0] for r in db.execute("SELECT id FROM saker")]
        person_ids = [r[0] for r in db.execute("SELECT id FROM people")]
        org_ids = [r[0] for r in db.execute("SELECT id FROM organisations")]
    for sak in sak_ids:
        at = open_page("pages/saker.py", actor=editor, id=str(sak), lang=lang)
        at.toggle(key=f"sak_{sak}").set_value(True).run()
        assert not at.exception, sak
        assert trail_heading in texts(at)
    for person in person_ids[:10]:
        at = open_page("pages/organisasjoner.py", actor=editor, person=str(person), lang=lang)
        assert not at.exception, person
    for org in org_ids[:4]:
        at = open_page("pages/organisasjoner.py", actor=editor, id=str(org), lang=lang)
        at.toggle(key=f"org_{org}").set_value(True).run()
        assert not at.exception, org


def test_trail_filter_shows_only_the_chosen_kinds(app_db_path, saker_forum):
    housing = saker_forum["sak"]
    at = open_page("pages/saker.py", id=str(housing))
    at.button_group(key=f"trail_kinds_{housing}").set_value(["tilsagn"]).run()
    assert not at.exception
    assert [(label, page) for label, page, _ in main_links(at)[1:]] == [("Ser på grensen.", "moeter")]


def test_the_trail_downloads_for_the_annual_report(app_db_path, saker_forum):
    housing = saker_forum["sak"]
    at = open_page("pages/saker.py", id=str(housing))
    buttons = at.get("download_button")
    assert [b.proto.label for b in buttons] == ["Last ned sporet (CSV)"]


def test_saker_list_shows_the_theme_heatmap(app_db_path, saker_forum):
    at = open_page("pages/saker.py")
    assert "Aktivitet per tema og kvartal" not in texts(at)  # drawn when its tab is chosen
    at.session_state["saker_view"] = "Aktivitet per tema"
    at.run()
    assert "Aktivitet per tema og kvartal" in texts(at)
    assert at.get("vega_lite_chart") or at.get("arrow_vega_lite_chart")
    at = open_page("pages/saker.py", lang="en")
    at.session_state["saker_view"] = "Activity by theme"
    assert "Activity by theme and quarter" in texts(at.run())


# ---- Editing a sak ----

def test_viewers_see_no_editing_controls(app_db_path, saker_forum):
    housing = saker_forum["sak"]
    for page, params in (("pages/saker.py", {"id": str(housing)}), ("pages/saker.py", {}),
                         ("pages/organisasjoner.py", {}), ("pages/organisasjoner.py", {"person": "1"})):
        at = open_page(page, **params)
        assert len(at.toggle) == 0, page
        assert [w.key for w in at.main.text_input if w.key not in ("sak_text", "org_text")] == [], page
        assert "Legg til en rolle" not in [e.label for e in at.expander]


def test_an_editor_edits_a_sak_and_it_is_saved_and_audited(app_db_path, saker_forum, editor):
    housing = saker_forum["sak"]
    at = open_page("pages/saker.py", actor=editor, id=str(housing))
    at.toggle(key=f"sak_{housing}").set_value(True).run()
    at.text_input(key=f"sak_{housing}_1_title").input("Rett til en trygg og egnet bolig for alle")
    at.text_area(key=f"sak_{housing}_1_easy_read").input("Alle trenger et trygt hjem.")
    at.selectbox(key=f"sak_{housing}_1_status").set_value("pause")
    at.button(key=f"FormSubmitter:sak_{housing}_1_form-Lagre").click().run()
    assert not at.exception
    with opened(app_db_path) as db:
        assert db.execute("SELECT title, easy_read, status, version FROM saker WHERE id = ?",
                          [housing]).fetchone() == ("Rett til en trygg og egnet bolig for alle",
                                                    "Alle trenger et trygt hjem.", "pause", 2)
        assert db.execute("SELECT actor, action FROM audit_log WHERE table_name = 'saker' AND record_id = ?",
                          [housing]).fetchall() == [(editor.name, "update")]
    assert at.title[0].value.replace("\\", "") == "Rett til en trygg og egnet bolig for alle"


def test_an_invalid_sak_is_not_saved_and_the_reason_is_shown(app_db_path, saker_forum, editor):
    housing = saker_forum["sak"]
    at = open_page("pages/saker.py", actor=editor, id=str(housing))
    at.toggle(key=f"sak_{housing}").set_value(True).run()
    at.text_input(key=f"sak_{housing}_1_title").input("   ")
    at.button(key=f"FormSubmitter:sak_{housing}_1_form-Lagre").click().run()
    assert "Ikke lagret" in texts(at) and "Tittel: må fylles ut" in texts(at).replace("*", "")
    with opened(app_db_path) as db:
        assert db.execute("SELECT version FROM saker WHERE id = ?", [housing]).fetchone() == (1,)


def test_a_conflicting_edit_shows_both_versions_and_keeps_the_saved_one(app_db_path, saker_forum, editor, other_editor):
    housing = saker_forum["sak"]
    at = open_page("pages/saker.py", actor=editor, id=str(housing))
    at.toggle(key=f"sak_{housing}").set_value(True).run()
    with opened(app_db_path) as db:  # someone else saves while the form is open
        saker.update_sak(db, other_editor, housing, {"status": "avsluttet"}, 1)
    at.selectbox(key=f"sak_{housing}_1_status").set_value("pause")
    at.button(key=f"FormSubmitter:sak_{housing}_1_form-Lagre").click().run()
    body = texts(at)
    assert "noen andre har lagret denne posten" in body
    assert "| **Status** | Pause | Avsluttet |" in body  # what the editor chose, and what is saved now
    assert "Last inn den nye versjonen" in body
    with opened(app_db_path) as db:
        assert db.execute("SELECT status, version FROM saker WHERE id = ?", [housing]).fetchone() == ("avsluttet", 2)
    at.button(key=f"sak_{housing}__reload").click().run()  # start again from the saved version
    assert at.selectbox(key=f"sak_{housing}_2_status").value == "avsluttet"


def test_an_editor_creates_a_sak_and_lands_on_it(app_db_path, saker_forum, editor):
    at = open_page("pages/saker.py", actor=editor)
    at.toggle(key="sak_new").set_value(True).run()
    at.text_input(key="sak_new_0_title").input("Gjeld og inkasso")
    at.selectbox(key="sak_new_0_theme").set_value("sosialhjelp_minstenorm")
    at.button(key="FormSubmitter:sak_new_0_form-Lagre").click().run()
    assert not at.exception
    with opened(app_db_path) as db:
        new_id, theme = db.execute("SELECT id, theme_code FROM saker WHERE title = 'Gjeld og inkasso'").fetchone()
    assert theme == "sosialhjelp_minstenorm"
    assert at.query_params["id"] == [str(new_id)] or at.query_params["id"] == str(new_id)
    assert at.title[0].value == "Gjeld og inkasso"


# ---- Organisations and people ----

def test_a_person_page_shows_roles_over_time_and_the_role_at_each_meeting(app_db_path, saker_forum):
    with opened(app_db_path) as db:
        person = db.execute("SELECT id FROM people WHERE name = 'Morten Bakke'").fetchone()[0]
    at = open_page("pages/organisasjoner.py", person=str(person))
    assert at.title[0].value == "Morten Bakke"
    body = texts(at)
    assert "statssekretær, ASD, 01.01.2017 – 31.12.2017" in body
    assert ("10.05.2017 · Kontaktutvalget – barnefattigdom – statssekretær, ASD", "moeter") in [
        (label, page) for label, page, _ in main_links(at)]


def test_an_organisation_page_links_to_its_people(app_db_path, saker_forum):
    with opened(app_db_path) as db:
        asd, hauglie = db.execute("SELECT o.id, p.id FROM organisations o, people p "
                                  "WHERE o.short_name = 'ASD' AND p.name = 'Anniken Hauglie'").fetchone()
    at = open_page("pages/organisasjoner.py", id=str(asd))
    assert ("Anniken Hauglie, arbeids- og sosialminister, 16.12.2015 – 24.01.2020", "organisasjoner",
            f"person={hauglie}") in main_links(at)


def test_editing_an_organisation_checks_membership_years(app_db_path, saker_forum, editor):
    with opened(app_db_path) as db:
        krem = db.execute("SELECT id FROM organisations WHERE short_name = 'KREM'").fetchone()[0]
    at = open_page("pages/organisasjoner.py", actor=editor, id=str(krem))
    at.toggle(key=f"org_{krem}").set_value(True).run()
    at.number_input(key=f"org_{krem}_1_member_until").set_value(2001)
    at.button(key=f"FormSubmitter:org_{krem}_1_form-Lagre").click().run()
    assert "kan ikke være før året medlemskapet begynte" in texts(at)
    at.number_input(key=f"org_{krem}_1_member_until").set_value(2030)
    at.selectbox(key=f"org_{krem}_1_status").set_value("permisjon")
    at.button(key=f"FormSubmitter:org_{krem}_1_form-Lagre").click().run()
    with opened(app_db_path) as db:
        assert db.execute("SELECT member_until, member_status, version FROM organisations WHERE id = ?",
                          [krem]).fetchone() == (2030, "permisjon", 2)


def test_an_editor_adds_a_role_to_a_person(app_db_path, saker_forum, editor):
    with opened(app_db_path) as db:
        person = db.execute("SELECT id FROM people WHERE name = 'Morten Bakke'").fetchone()[0]
    at = open_page("pages/organisasjoner.py", actor=editor, person=str(person))
    at.text_input(key=f"role_new_{person}_0_title").input("statsråd")
    at.button(key=f"FormSubmitter:role_new_{person}_0_form-Lagre").click().run()
    assert not at.exception
    with opened(app_db_path) as db:
        assert db.execute("SELECT title FROM person_roles WHERE person_id = ? ORDER BY id", [person]).fetchall() == [
            ("statssekretær",), ("statsråd",)]


# ---- Search ----

def test_search_from_the_sidebar_opens_the_results(app_db_path, saker_forum):
    at = open_page()
    at.sidebar.text_input(key="site_search_text").input("barnetrygd")
    at.sidebar.button[0].click().run()
    assert not at.exception
    assert at.title[0].value == "Søk"
    links = [label for label, _, _ in main_links(at)]
    assert "Høring – Forslag til endringer i barnetrygdloven" in links


@pytest.mark.parametrize("lang, no_hits", [("nb", "Ingen treff for «qqqxyz»."), ("en", "Nothing found for «qqqxyz».")])
def test_a_search_with_no_hits_says_so(app_db_path, saker_forum, lang, no_hits):
    at = open_page("pages/sok.py", q="qqqxyz", lang=lang)
    assert [w.value for w in at.warning] == [no_hits]
    assert main_links(at) == []


def test_bolig_finds_the_housing_sak_and_the_records_linked_to_it(app_db_path, saker_forum):
    housing = saker_forum["sak"]
    at = open_page("pages/sok.py", q="bolig")
    links = main_links(at)
    assert ("Rett til egnet bolig", "saker", f"id={housing}") in links
    assert "Knyttet til sakene du fant" in texts(at)
    assert "Husleieloven" in [label for label, _, _ in links]  # has no «bolig» itself
    with opened(app_db_path) as db:
        linked = saker.trail(db, housing)
    titles = {label for label, _, _ in links}
    assert set(linked["title"]) <= titles  # every record on the housing sak's trail is reachable


def test_search_with_fts_syntax_and_norwegian_letters_works_on_the_page(app_db_path, saker_forum):
    at = open_page("pages/sok.py", q='"bør" AND -* (')
    assert not at.exception
    at = open_page("pages/sok.py", q="ØREMERKEDE")
    assert "Opptrappingsplan for rusfeltet – øremerkede midler og egnede boliger" in [
        label for label, _, _ in main_links(at)]


def test_search_results_filter_by_kind(app_db_path, saker_forum):
    at = open_page("pages/sok.py", q="bolig")
    at.button_group(key="search_kind").set_value("sak").run()
    pages = {page for _, page, _ in main_links(at)}
    assert pages == {"saker"}
