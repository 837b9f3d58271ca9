"""The Stortinget tab, the regjeringen.no page button and the sources on the Data page, through AppTest."""

from datetime import date, timedelta

import pytest
import streamlit as st

from krem_advocacy.store import connection as dbmod
from tests.helpers import (
    ROOT,
    STORTINGET_FIXTURES,
    fixture_server,
    insert,
    open_page,
    shifted_storting_dates,
    show_tab,
    texts,
)

PAGE = "pages/hoeringer.py"
JSON = (STORTINGET_FIXTURES / "horinger_2026-2027.json").read_bytes()
CASE = (STORTINGET_FIXTURES / "sak_103002.json").read_bytes()
PROGRAMME = (STORTINGET_FIXTURES / "horingsprogram_11001.xml").read_bytes()
HTML = (ROOT / "tests" / "fixtures" / "regjeringen_hoering.html").read_bytes()
# Move the fixture so its first deadline (16.10.2026) is ten days from today, whatever day the test runs.
SHIFT = (date.today() + timedelta(days=10) - date(2026, 10, 16)).days


@pytest.fixture(autouse=True)
def _clear_caches():
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def storting(monkeypatch):
    with fixture_server({
        "/eksport/horinger?sesjonid=2026-2027": (200, shifted_storting_dates(JSON, SHIFT), "application/json"),
        "/eksport/horinger?sesjonid=2025-2026": (500, b"Runtime Error", "text/html"),
        "/eksport/sak?sakid=103002": (200, shifted_storting_dates(CASE, SHIFT), "application/json"),
        "/eksport/horingsprogram?horingid=11001": (200, PROGRAMME, "text/xml"),
    }) as server:
        monkeypatch.setenv("KREM_STORTINGET_URL", server.url + "/eksport")
        yield server


def count(path, sql):
    db = dbmod.connect(path)
    try:
        return db.execute(sql).fetchone()[0]
    finally:
        db.close()


def fetch(at, session="2026-2027"):
    at.text_input(key="stortinget_session").set_value(session).run()
    return at.button(key="stortinget_fetch").click().run()


@pytest.mark.parametrize("lang, asks, taken", [("nb", "Hent høringer fra Stortinget", "Tatt inn som høring:"),
                                              ("en", "Fetch hearings from the Storting", "Taken in as a consultation:")])
def test_an_editor_fetches_and_takes_a_hearing_in(app_db_path, editor, storting, lang, asks, taken):
    at = show_tab(open_page(PAGE, editor, lang=lang), "stortinget", lang)
    assert at.button(key="stortinget_fetch").label == asks
    assert storting.seen == []  # never asked at page load
    fetch(at)
    shown = texts(at)
    assert "Nasjonal minstenorm for sosialhjelp" in shown and "Klimaplan" not in shown  # ENE is not followed
    at.button(key="stortinget_take_11002").click().run()
    assert not at.exception
    assert taken in [s.value for s in at.success]
    assert count(app_db_path, "SELECT COUNT(*) FROM hoeringer WHERE venue = 'stortinget'") == 1
    # Taken ones are not offered again.
    assert not [b for b in at.button if b.key == "stortinget_take_11002"]


def test_the_budget_hearing_sets_the_years_dates(app_db_path, editor, storting):
    at = fetch(show_tab(open_page(PAGE, editor), "stortinget"))
    take = at.button(key="stortinget_take_11001")
    assert take.label == "Sett frister for budsjettåret 2027"
    take.click().run()
    assert "Søknadsfrist og høringsdato er satt for budsjettåret 2027." in [s.value for s in at.success]
    expected = (date(2026, 10, 16) + timedelta(days=SHIFT)).isoformat()
    assert count(app_db_path, "SELECT hearing_application_deadline FROM budget_years WHERE budget_year = 2027") == expected


def test_the_programme_is_read_on_request(app_db_path, editor, storting):
    at = fetch(show_tab(open_page(PAGE, editor), "stortinget"))
    assert not any("horingsprogram" in path for path in storting.seen)
    at.button(key="stortinget_programme_11001").click().run()
    assert list(at.dataframe[0].value["Hvem"]) == ["Velferdsalliansen",
                                                  "Samarbeidsforum mot fattigdom og sosial ekskludering"]
    at.button(key="stortinget_programme_11002").click().run()  # not published: the export answers 404
    assert any(w.value.startswith("Klarte ikke å lese programmet") for w in at.warning)


def test_a_failure_is_said_plainly_and_the_case_export_can_fill_in(app_db_path, editor, storting):
    at = fetch(show_tab(open_page(PAGE, editor), "stortinget"), "2025-2026")
    error = at.error[0].value
    assert "Klarte ikke å lese høringene fra Stortinget. Ingenting er endret." in error
    assert "HTTP 500" in error and "sesjonid=2025-2026" in error
    assert not at.success  # never «nothing new»
    at.text_input(key="stortinget_case_ids").set_value("103002").run()
    at.button(key="stortinget_try_cases").click().run()
    assert any("saksoversikten (eksport/sak)" in w.value for w in at.warning)
    assert "Nasjonal minstenorm for sosialhjelp" in texts(at)
    assert count(app_db_path, "SELECT COUNT(*) FROM hoeringer") == 0


def test_a_viewer_has_no_stortinget_tab(app_db_path):
    at = open_page(PAGE)
    assert "Hent høringer fra Stortinget" not in texts(at)
    assert not [b for b in at.button if b.key == "stortinget_fetch"]


@pytest.mark.parametrize("lang, changed", [("nb", "Oppdatert fra regjeringen.no:"), ("en", "Updated from regjeringen.no:")])
def test_an_editor_reads_the_regjeringen_page_and_the_data_page_shows_the_run(app_db_path, db, editor, monkeypatch,
                                                                               lang, changed):
    path = "/no/dokumenter/horing-barnetrygd/id1/"
    with fixture_server({path: (200, HTML, "text/html")}) as server:
        monkeypatch.setenv("KREM_REGJERINGEN_URL", server.url)
        insert(db, "organisations", name="Leieboerforeningen", kind="forum_member")
        hoering_id = insert(db, "hoeringer", title="Høring – barnetrygd", url=server.url + path, deadline="2024-02-20")
        db.conn.commit()
        at = open_page(PAGE, editor, id=str(hoering_id), lang=lang)
        at.button(key=f"hoering_page_fetch_{hoering_id}").click().run()
        message = at.success[0].value.replace("\\", "")  # markdown escapes
        assert message.startswith(changed) and "06.02.2024" in message
        assert "Leieboerforeningen" in texts(at)
    assert count(app_db_path, f"SELECT named_instance FROM hoeringer WHERE id = {hoering_id}") == 1
    data = open_page("pages/data.py", editor, lang=lang)
    assert any("regjeringen.no" in str(v) for v in data.dataframe[1].value.iloc[:, 0])


def test_a_hoering_held_by_the_storting_shows_and_edits_with_its_committee(app_db_path, db, editor):
    committee = insert(db, "organisations", name="Arbeids- og sosialkomiteen", short_name="ASOS", kind="committee")
    hoering_id = insert(db, "hoeringer", title="Nasjonal minstenorm", venue="stortinget", department_id=committee,
                        deadline=(date.today() + timedelta(days=5)).isoformat())
    db.conn.commit()
    at = open_page(PAGE, editor, id=str(hoering_id))
    shown = texts(at)
    assert "Arbeids- og sosialkomiteen" in shown and "Stortinget (komitéhøring)" in shown
    at.toggle(key=f"hoering_edit_{hoering_id}").set_value(True).run()
    assert not at.exception
    assert not [b for b in at.button if b.key == f"hoering_page_fetch_{hoering_id}"]  # no regjeringen.no page
