"""Import headings: the usual spellings of a known field are recognised, and every column that will not be
imported is named (in the page's preview, in both languages, and by the command line), so nothing is lost unseen."""

import pytest

from krem_advocacy import cli
from krem_advocacy.exchange import importer
from krem_advocacy.store.connection import opened
from tests.helpers import EDITOR, insert, open_page, xlsx


@pytest.mark.parametrize("heading", ["vaar_ref", "var_ref", "vår_ref", "Vår ref", "VAAR REF", "VårRef", "our_ref",
                                     "vaar-ref.", "Vaar referanse", "OurRef"])
def test_spellings_of_vaar_ref_are_recognised(heading):
    assert importer.guess_mapping("hoeringer", ["Tittel", heading])[heading] == "our_ref"


@pytest.mark.parametrize("kind, heading, field", [
    ("hoeringer", "hoeringsfrist", "deadline"),
    ("hoeringer", "horingsfrist", "deadline"),
    ("hoeringer", "Høringsfrist", "deadline"),
    ("hoeringer", "internal_deadline", "internal_deadline"),
    ("hoeringer", "intern_frist", "internal_deadline"),
    ("hoeringer", "published_on", "published_on"),
    ("hoeringer", "Vaar status", "our_status"),
    ("hoeringer", "hoeringsinstans", "named_instance"),
    ("hoeringer", "lead_org_id", "lead_org_id"),
    ("budget_inputs", "budsjettaar", "budget_year"),
    ("budget_inputs", "budsjettar", "budget_year"),
    ("budget_inputs", "ask_amount", "ask_amount"),
    ("budget_inputs", "soeknadsfrist", "hearing_application_deadline"),
    ("budget_inputs", "belop", "ask_amount"),
    ("meetings", "moetetype", "kind"),
    ("meetings", "starts_at", "starts_at"),
    ("meetings", "forberedelsesfrist", "prep_deadline"),
    ("organisations", "member_since", "member_since"),
    ("saker", "theme_code", "theme_code"),
])
def test_snake_case_names_and_ascii_spellings_of_aeoeaa_are_recognised(kind, heading, field):
    assert importer.guess_mapping(kind, ["x", heading])[heading] == field


def test_an_exact_heading_still_wins_over_a_loose_spelling():
    # «Vår ref.» names our_ref exactly; «vaar_ref» after it only loosely, so it is the one left out.
    mapping = importer.guess_mapping("hoeringer", ["vaar_ref", "Vår ref."])
    assert mapping == {"vaar_ref": None, "Vår ref.": "our_ref"}
    assert importer.guess_mapping("hoeringer", ["Svar innen", "Overskrift"]) == {"Svar innen": None, "Overskrift": None}


def test_the_value_under_vaar_ref_is_imported(db, editor):
    insert(db, "organisations", name="Barne- og familiedepartementet", short_name="BFD", kind="department")
    db.conn.commit()
    table = importer.read_table(xlsx([["Høring – barnetrygd", "BFD", "24/109"]], ["tittel", "departement", "vaar_ref"]),
                                "h.xlsx", "hoeringer")
    importer.import_rows(db, editor, "hoeringer", table, importer.guess_mapping("hoeringer", table.columns))
    assert db.execute("SELECT our_ref FROM hoeringer").fetchall() == [("24/109",)]


def test_the_columns_left_out_are_listed():
    mapping = importer.guess_mapping("hoeringer", ["Tittel", "vaar_ref", "Kolonne uten mening", "id", "Title"])
    assert importer.not_imported(mapping) == ["Kolonne uten mening", "id", "Title"]
    assert importer.not_imported({"Tittel": "title"}) == []


@pytest.fixture
def departments(app_db_path, db):
    insert(db, "organisations", name="Barne- og familiedepartementet", short_name="BFD", kind="department")
    db.conn.commit()


@pytest.mark.parametrize("lang, says", [("nb", "Disse kolonnene blir ikke importert"),
                                        ("en", "These columns will not be imported")])
def test_the_preview_names_every_column_that_will_not_be_imported(app_db_path, departments, lang, says):
    at = open_page("pages/data.py", EDITOR, timeout=120, lang=lang)
    data = xlsx([["Høring – a", "24/109", "ukjent", "x"]], ["Tittel", "vaar_ref", "Saksbehandler", "Kommentar 2"])
    at.file_uploader(key="import_file").set_value(("h.xlsx", data, "application/octet-stream"))
    at.run()
    assert not at.exception, at.exception
    notice = next(w.value.replace("\\", "") for w in at.warning if says in w.value)
    assert "Saksbehandler" in notice and "Kommentar 2" in notice
    assert "vaar_ref" not in notice and "Tittel" not in notice
    # Choosing to leave out a column that was recognised lists it too.
    column = next(s for s in at.selectbox if s.label == "vaar_ref")
    column.select_index(0).run()  # «Ikke importer»
    notice = next(w.value.replace("\\", "") for w in at.warning if says in w.value)
    assert "vaar_ref" in notice


def test_the_command_line_names_the_columns_it_leaves_out(tmp_path, capsys):
    path = tmp_path / "cli.db"
    assert cli.main(["--db", str(path), "init"]) == 0
    with opened(path) as db:
        insert(db, "organisations", name="Barne- og familiedepartementet", short_name="BFD", kind="department")
        db.conn.commit()
    data = tmp_path / "h.csv"
    data.write_text("Tittel;Departement;vaar_ref;Saksbehandler\nHøring – a;BFD;24/109;Kari\n", encoding="utf-8")
    assert cli.main(["--db", str(path), "import", "hoeringer", str(data), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Not imported (no field): Saksbehandler" in out
    assert "vaar_ref -> Our ref." in out


@pytest.mark.parametrize("kind", importer.KINDS)
def test_no_two_fields_share_a_spelling_once_written_loosely(kind):
    # A loose spelling naming two fields would send a column to whichever is described first.
    seen = {}
    for spec in importer.fields_of(kind):
        for heading in (spec.name, *spec.label, *spec.aliases):
            assert seen.setdefault(importer.loose_heading(heading), spec.name) == spec.name, heading
