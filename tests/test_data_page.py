"""The Data page in AppTest: upload → mapping → preview → commit, duplicates, exports by role, the feed.

On literal records (`data_forum`): what an import is checked against and what the sample feed already has.
"""

import socket

import pytest

from krem_advocacy.store.connection import opened
from tests.helpers import (
    EDITOR,
    FEED_PATH,
    FEED_ROUTES,
    fixture_server,
    insert,
    open_page,
    show_tab,
    thousand_rows,
    xlsx,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE = "pages/data.py"


@pytest.fixture
def data_forum(app_db_path, db):
    """Literal records in the app's database: three ministries, a member, one record on every list page, the
    høring 24/109 to import against, and the two consultations of the sample feed the forum already tracks
    (one by its title, one by its address)."""
    ids = {
        "bfd": insert(db, "organisations", name="Barne- og familiedepartementet", short_name="BFD", kind="department"),
        "aid": insert(db, "organisations", name="Arbeids- og inkluderingsdepartementet", short_name="AID",
                      kind="department"),
        "kdd": insert(db, "organisations", name="Kommunal- og distriktsdepartementet", short_name="KDD",
                      kind="department"),
        "krem": insert(db, "organisations", name="KREM", short_name="KREM", kind="forum_member"),
    }
    insert(db, "themes", code="barn", label_nb="Barn i fattige familier", label_en="Children", origin="forum")
    ids["h109"] = insert(db, "hoeringer", title="Høring – Forslag til endringer i barnetrygdloven",
                         department_id=ids["bfd"], deadline="2024-02-06", our_ref="24/109", our_status="levert")
    insert(db, "hoeringer", title="Annen tittel", department_id=ids["bfd"], url="https://www.regjeringen.no/no/"
           "dokumenter/horing-endringer-i-folketrygdloven-kapittel-15/id9000102")
    insert(db, "saker", title="Barnetrygd", theme_code="barn", lead_org_id=ids["krem"])
    insert(db, "budget_inputs", title="Frivillig arbeid", budget_year=2027, phase="prop1s", chapter="621", post="70")
    insert(db, "meetings", title="KU mars", kind="ku", starts_at="2026-03-16T12:00")
    db.conn.commit()
    return ids


def upload(at, name: str, data: bytes, mime: str = XLSX):
    at.file_uploader(key="import_file").set_value((name, data, mime))
    at.run()
    assert not at.exception, at.exception
    return at


def count(path, sql="SELECT COUNT(*) FROM hoeringer"):
    with opened(path) as db:
        return db.execute(sql).fetchone()[0]


def metrics(at) -> dict:
    return {m.label: m.value for m in at.metric}


def frame_with(at, column: str):
    return next(d.value for d in [*at.table, *at.dataframe] if column in d.value.columns)


def test_viewers_see_contents_and_exports_but_no_import(app_db_path, data_forum):
    at = open_page(PAGE)
    assert [t.label for t in at.tabs] == ["Innhold", "Eksporter"]
    assert not at.file_uploader
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Last ned themes.csv", "Last ned themes.xlsx", "Last ned databasen (SQLite)",
                      "Last ned alt som JSON"]
    assert "Interne notater er ikke med i nedlastingen for lesere." in [c.value for c in at.caption]


def test_editors_get_import_feed_and_export_tabs_in_both_languages(app_db_path, data_forum, editor):
    assert [t.label for t in open_page(PAGE, editor, timeout=120).tabs] == [
        "Innhold", "Importer", "Regjeringen.no", "Eksporter"]
    assert [t.label for t in open_page(PAGE, editor, timeout=120, lang="en").tabs] == [
        "Contents", "Import", "Regjeringen.no", "Export"]


def test_thousand_rows_with_three_bad_ones_then_fixed_then_again(app_db_path, data_forum, editor):
    before = count(app_db_path)
    at = upload(open_page(PAGE, editor, timeout=120), "hoeringer.xlsx", xlsx(thousand_rows(bad=True)))
    assert metrics(at) == {"Rader": "1\u00a0000", "Nye": "997", "Finnes fra før": "0", "Med feil": "3"}
    assert at.error[0].value == ("3 rader har feil. Ingenting er lagret. Rett radene i fila og last den opp igjen.")
    errors = frame_with(at, "Hva er feil")
    assert list(errors["Rad"]) == [101, 501, 901]
    assert list(errors["Hva er feil"]) == [
        "Høringsfrist: må være en gyldig dato («31.02.2025»)",
        "Departement/etat: finnes ikke blant organisasjonene; legg den til først («Finnesikkedepartementet»)",
        "Tittel: må fylles ut",
    ]
    assert not [b for b in at.button if b.key == "import_commit"]
    assert count(app_db_path) == before

    at = upload(at, "hoeringer.xlsx", xlsx(thousand_rows(bad=False)))
    assert metrics(at)["Nye"] == "1\u00a0000"
    commit = at.button(key="import_commit")
    assert commit.label == "Importer 1\u00a0000 rader"
    commit.click().run()
    assert not at.exception, at.exception
    assert count(app_db_path) == before + 1000
    assert at.success[0].value == ("Importen av hoeringer.xlsx (høringer) er lagret: 1\u00a0000 lagt til, "
                                   "0 oppdatert, 0 hoppet over.")
    # The same file again: everything is already there, nothing to import.
    assert metrics(at) == {"Rader": "1\u00a0000", "Nye": "0", "Finnes fra før": "1\u00a0000", "Med feil": "0"}
    assert "Alt i fila finnes allerede. Ingenting å importere." in [i.value for i in at.info]
    assert count(app_db_path) == before + 1000


def test_the_mapping_can_be_adjusted_in_the_page(app_db_path, data_forum, editor):
    at = open_page(PAGE, editor, timeout=120)
    at.selectbox(key="import_kind").set_value("saker").run()
    at = upload(at, "saker.xlsx", xlsx([["Ny sak om bostøtte", "Høy"]], ["Overskrift", "Prioritet"]))
    assert "Disse feltene må ha en kolonne før importen kan sjekkes: Tittel." in at.warning[0].value
    column = next(s for s in at.selectbox if s.label == "Overskrift")
    column.set_value("title").run()
    assert not at.warning
    assert metrics(at) == {"Rader": "1", "Nye": "1", "Finnes fra før": "0", "Med feil": "0"}
    at.button(key="import_commit").click().run()
    assert count(app_db_path, "SELECT priority FROM saker WHERE title = 'Ny sak om bostøtte'") == "hoey"


def test_duplicates_are_offered_as_update_or_skip(app_db_path, data_forum, editor):
    with opened(app_db_path) as db:
        version = db.execute("SELECT version FROM hoeringer WHERE our_ref = '24/109'").fetchone()[0]
    data = xlsx([["Høring – Forslag til endringer i barnetrygdloven", "BFD", "24/109", "Svar levert 05.02.2024"],
                 ["Høring – helt ny", "BFD", None, None]], ["Tittel", "Departement", "Vår ref.", "Resultat"])
    at = upload(open_page(PAGE, editor, timeout=120), "h.xlsx", data)
    assert at.warning[0].value.startswith("1 rad finnes fra før")
    assert at.button(key="import_commit").label == "Importer 1 rad"
    at.radio(key="import_on_duplicate").set_value("update").run()
    assert at.button(key="import_commit").label == "Importer 2 rader"
    at.button(key="import_commit").click().run()
    assert not at.exception, at.exception
    with opened(app_db_path) as db:
        assert db.execute("SELECT result, version FROM hoeringer WHERE our_ref = '24/109'").fetchone() == (
            "Svar levert 05.02.2024", version + 1)
        assert db.execute("SELECT COUNT(*) FROM hoeringer WHERE title = 'Høring – helt ny'").fetchone()[0] == 1


def test_a_file_that_is_not_a_table_gets_a_clear_message(app_db_path, data_forum, editor):
    at = upload(open_page(PAGE, editor, timeout=120), "referat.csv", b"%PDF-1.7\n\x00\x01\x02\x03binary", "text/csv")
    assert at.error[0].value == ("«referat.csv» ser ikke ut som en tabell. Last opp et regneark med overskrifter "
                                 "i første rad og én post per rad.")


def test_every_list_page_offers_csv_and_excel_of_the_list(app_db_path, data_forum):
    for page in ("pages/hoeringer.py", "pages/saker.py", "pages/statsbudsjett.py", "pages/moeter.py",
                 "pages/organisasjoner.py"):
        at = open_page(page)
        if page == "pages/hoeringer.py":  # the list is in its own tab, next to the calendar download
            show_tab(at, "list")
        labels = [b.proto.label for b in at.get("download_button")]
        lists = [label for label in labels if label != "Last ned kalenderfil (.ics)"]
        assert lists and lists == ["CSV", "Excel"] * (len(lists) // 2), page  # a pair under every list


def test_the_feed_lists_new_consultations_and_adds_the_picked_one(app_db_path, data_forum, monkeypatch, editor):
    with fixture_server(FEED_ROUTES) as feed:
        monkeypatch.setenv("KREM_FEED_URL", feed.url + FEED_PATH)
        at = open_page(PAGE, editor, timeout=120)
        at.button(key="feed_fetch").click().run()
    assert not at.exception, at.exception
    boxes = [c for c in at.checkbox if c.key and c.key.startswith("feed_pick_")]
    assert [c.label.replace("\\", "") for c in boxes] == [
        "Høring – forslag til endringer i sosialtjenesteloven (boligsosialt arbeid)",
        "Høring – forskrift om tilskudd til ferie- og fritidstiltak for barn og familier",
        "Høring – NOU 2026: 3 Et tryggere boligmarked for alle",
        "Høyring – endringar i opplæringslova (skolemåltid)",
    ]
    assert "**4 nye av 6 i feeden**" in [m.value for m in at.markdown]
    boxes[0].check().run()
    at.button(key="feed_add").click().run()
    assert not at.exception, at.exception
    assert at.success[0].value == "1 høring er lagt til:"
    with opened(app_db_path) as db:
        row = db.execute("SELECT h.deadline, o.short_name, f.guid FROM hoeringer h "
                         "JOIN organisations o ON o.id = h.department_id JOIN feed_seen f ON f.hoering_id = h.id "
                         "WHERE h.title LIKE '%boligsosialt arbeid%'").fetchone()
    assert row == ("2026-06-15", "AID", "https://www.regjeringen.no/id9000103")
    assert len([c for c in at.checkbox if c.key and c.key.startswith("feed_pick_")]) == 3
    # Not relevant: remembered as seen, no høring made.
    next(c for c in at.checkbox if c.key and c.key.startswith("feed_pick_")).check().run()
    at.button(key="feed_ignore").click().run()
    assert len([c for c in at.checkbox if c.key and c.key.startswith("feed_pick_")]) == 2
    assert count(app_db_path, "SELECT COUNT(*) FROM feed_seen WHERE hoering_id IS NULL") == 1
    # Select all, then dismiss the rest: nothing new is left.
    at.checkbox(key="feed_select_all").check().run()
    assert at.button(key="feed_ignore").label == "Ikke relevant (2)"
    at.button(key="feed_ignore").click().run()
    assert "Ingen nye høringer: alle 6 i feeden er sett før eller finnes allerede." in [s.value for s in at.success]


def test_a_network_failure_of_the_feed_says_so(app_db_path, data_forum, monkeypatch, editor):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("KREM_FEED_URL", f"http://127.0.0.1:{port}/rss")
    at = open_page(PAGE, editor, timeout=120)
    at.button(key="feed_fetch").click().run()
    assert at.error[0].value.startswith(f"Fikk ikke kontakt med http://127.0.0.1:{port}/rss")
    assert "ingenting er endret" in at.error[0].value


@pytest.mark.parametrize("actor", [None, EDITOR])
def test_the_page_still_shows_contents_and_recent_changes(app_db_path, data_forum, actor):
    at = open_page(PAGE, actor)
    counts = at.dataframe[0].value
    assert "hoeringer" in list(counts["Tabell"])
    assert any(s.value == "Siste endringer" for s in at.subheader)
