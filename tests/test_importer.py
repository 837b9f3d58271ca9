"""Spreadsheet import: reading files, column mapping, every kind of bad row, duplicates, all-or-nothing commit."""

import io
from datetime import date, datetime

import openpyxl
import pytest

from krem_advocacy.domain import budget, hoeringer
from krem_advocacy.exchange import importer
from krem_advocacy.store import records
from krem_advocacy.store.errors import ConflictError, PermissionDenied, ValidationError
from krem_advocacy.text import amounts, i18n
from tests.helpers import HEADINGS, insert, thousand_rows, xlsx


@pytest.fixture
def forum(db):
    """Departments, forum members, a theme and one existing høring (24/109) to import against."""
    ids = {
        "bfd": insert(db, "organisations", name="Barne- og familiedepartementet", short_name="BFD", kind="department"),
        "aid": insert(db, "organisations", name="Arbeids- og inkluderingsdepartementet", short_name="AID",
                      kind="department"),
        "krem": insert(db, "organisations", name="KREM", short_name="KREM", kind="forum_member"),
        "affo": insert(db, "organisations", name="Aleneforeldreforeningen", short_name="AFFO", kind="forum_member"),
        "nav1": insert(db, "organisations", name="NAV Oslo", short_name="NAV", kind="other"),
        "nav2": insert(db, "organisations", name="NAV Skien", short_name="NAV", kind="other"),
    }
    insert(db, "themes", code="bolig", label_nb="Rett til egnet bolig for alle", label_en="Housing", origin="forum")
    ids["h109"] = insert(db, "hoeringer", title="Høring – Forslag til endringer i barnetrygdloven",
                         department_id=ids["bfd"], deadline="2024-02-06", our_ref="24/109", version=1)
    db.conn.commit()
    return ids


def checked(db, kind: str, data: bytes, filename: str = "fil.xlsx", mapping: dict | None = None):
    table = importer.read_table(data, filename, kind)
    return importer.check(db, kind, table, mapping or importer.guess_mapping(kind, table.columns))


def one_error(db, kind: str, headings: list[str], row: list) -> dict:
    preview = checked(db, kind, xlsx([row], headings))
    assert len(preview.bad_rows) == 1
    return preview.bad_rows[0].errors


def count(db, table: str) -> int:
    return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


# ---------------------------------------------------------------- the Done-when journey


def test_thousand_row_excel_with_three_bad_rows_writes_nothing_then_imports_once(db, forum, editor):
    before = (count(db, "hoeringer"), count(db, "audit_log"))
    preview = checked(db, "hoeringer", xlsx(thousand_rows(bad=True)))
    errors = preview.errors_frame("nb")
    assert list(errors["line"]) == [101, 501, 901]
    assert list(errors["reasons"]) == [
        "Høringsfrist: må være en gyldig dato («31.02.2025»)",
        "Departement/etat: finnes ikke blant organisasjonene; legg den til først («Finnesikkedepartementet»)",
        "Tittel: må fylles ut",
    ]
    assert preview.counts() == {"total": 1000, "new": 997, "update": 0, "unchanged": 0, "error": 3}
    with pytest.raises(ValidationError):
        importer.commit(db, editor, preview)
    assert (count(db, "hoeringer"), count(db, "audit_log")) == before

    fixed = xlsx(thousand_rows(bad=False))
    table = importer.read_table(fixed, "hoeringer.xlsx", "hoeringer")
    mapping = importer.guess_mapping("hoeringer", table.columns)
    # How long this takes is measured by the benchmark (`python -m tools.bench`, docs/benchmark.md).
    result = importer.import_rows(db, editor, "hoeringer", table, mapping, source_name="hoeringer.xlsx")
    assert (result.created, result.updated, result.skipped) == (1000, 0, 0)
    assert count(db, "hoeringer") == before[0] + 1000
    assert db.execute("SELECT COUNT(*) FROM audit_log WHERE action = 'import' AND table_name = 'hoeringer' "
                      "AND record_id IS NOT NULL AND actor = ?", [editor.name]).fetchone()[0] == 1000
    row = db.execute("SELECT title, department_id, published_on, deadline, internal_deadline, "
                     "internal_deadline_manual, our_ref, official_status, our_status, source, version "
                     "FROM hoeringer WHERE our_ref = '25/1001'").fetchone()
    assert row == ("Høring – forslag nummer 1", forum["bfd"], "2025-01-02", "2025-06-02", "2025-05-26", 0,
                   "25/1001", "paa_hoering", "innkommet", "hoeringer.xlsx", 1)

    again = importer.import_rows(db, editor, "hoeringer", importer.read_table(fixed, "hoeringer.xlsx", "hoeringer"),
                                 mapping)
    assert (again.created, again.updated, again.skipped) == (0, 0, 1000)
    assert count(db, "hoeringer") == before[0] + 1000


# ---------------------------------------------------------------- reading files


def test_csv_from_norwegian_excel_semicolons_and_windows_encoding(db, forum):
    data = "Tittel;Departement;Høringsfrist\nHøring – bostøtte;AID;15.06.2026\n".encode("cp1252")
    preview = checked(db, "hoeringer", data, "hoeringer.csv")
    assert [r.values for r in preview.rows] == [
        {"title": "Høring – bostøtte", "department_id": forum["aid"], "deadline": "2026-06-15",
         "internal_deadline": "2026-06-08", "internal_deadline_manual": 0}]


def test_csv_with_commas_quotes_and_byte_order_mark(db, forum):
    data = '\ufefftitle,deadline,notes\n"Høring – a, b og c",2026-06-15,"linje 1\nlinje 2"\n'.encode("utf-8")
    preview = checked(db, "hoeringer", data, "x.csv")
    assert preview.rows[0].values["title"] == "Høring – a, b og c"
    assert preview.rows[0].values["notes"] == "linje 1\nlinje 2"


def test_a_title_line_above_the_headings_is_skipped(db, forum):
    data = xlsx([["Høring – bostøtte", "AID", None, "15.06.2026", None, None, None]], title_row="Forumets høringer 2026")
    table = importer.read_table(data, "fil.xlsx", "hoeringer")
    assert table.columns == HEADINGS
    assert table.lines == [3]


@pytest.mark.parametrize("data, filename, key", [
    (b"", "tom.csv", "data.import.error.empty"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\x00\x00\x01", "brev.csv", "data.import.error.not_a_table"),
    (b"PK\x03\x04 not really a zip", "ark.xlsx", "data.import.error.not_a_table"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "gammel.xls", "data.import.error.old_excel"),
    (b"{}", "bilde.png", "data.import.error.file_type"),
    ("Tittel;Høringsfrist\n".encode(), "bare-overskrift.csv", "data.import.error.no_data_rows"),
    ("Kjære forum,\nher er et brev og ikke en tabell.\nHilsen Kari\n".encode(), "brev.txt",
     "data.import.error.not_a_table"),
])
def test_a_file_that_is_not_a_table_gets_a_clear_reason(data, filename, key):
    with pytest.raises(importer.NotATableError) as caught:
        importer.read_table(data, filename, "hoeringer")
    assert caught.value.key == key


def test_the_first_sheet_with_data_is_read_and_others_can_be_chosen():
    book = openpyxl.Workbook()
    book.active.title = "Forside"
    second = book.create_sheet("Høringer")
    second.append(["Tittel"])
    second.append(["Høring – a"])
    third = book.create_sheet("Møter")
    third.append(["Tittel", "Dato"])
    third.append(["KU", "10.05.2017"])
    buffer = io.BytesIO()
    book.save(buffer)
    table = importer.read_table(buffer.getvalue(), "arbeidsbok.xlsx", "hoeringer")
    assert (table.sheet, table.sheets, table.rows) == ("Høringer", ["Forside", "Høringer", "Møter"], [["Høring – a"]])
    assert importer.read_table(buffer.getvalue(), "arbeidsbok.xlsx", "meetings", "Møter").rows == [["KU", "10.05.2017"]]


# ---------------------------------------------------------------- mapping


@pytest.mark.parametrize("kind, headings, expected", [
    ("hoeringer", ["Tittel", "Departement", "Publisert", "Høringsfrist", "Intern frist", "Vår ref.", "Lenke",
                   "Status", "Vår status", "Hovedansvarlig", "Notater", "Kolonne uten mening"],
     ["title", "department_id", "published_on", "deadline", "internal_deadline", "our_ref", "url",
      "official_status", "our_status", "lead_org_id", "notes", None]),
    ("hoeringer", ["Title", "Ministry", "Published", "Deadline", "Internal deadline", "Our ref", "Link",
                   "Official status", "Our status", "Lead organisation", "Notes"],
     ["title", "department_id", "published_on", "deadline", "internal_deadline", "our_ref", "url",
      "official_status", "our_status", "lead_org_id", "notes"]),
    ("budget_inputs", ["Tittel", "Budsjettår", "Fase", "Mottaker", "Kap.", "Post", "Beløp", "Prop. 1 S", "Utfall"],
     ["title", "budget_year", "phase", "recipient_org_id", "chapter", "post", "ask_amount", "prop_amount",
      "outcome"]),
    ("meetings", ["Møte", "Type", "Dato", "Klokkeslett", "Sted", "Referat"],
     ["title", "kind", "starts_at", "start_time", "place", "minutes"]),
    ("saker", ["Sak", "Tema", "Prioritet", "Status", "Ansvarlig", "Startet"],
     ["title", "theme_code", "priority", "status", "lead_org_id", "started_on"]),
    ("organisations", ["Navn", "Kortnavn", "Type", "Medlem siden", "Medlemsstatus", "Nettside"],
     ["name", "short_name", "kind", "member_since", "member_status", "url"]),
    # An export of the table itself comes back in: the column names are the fields.
    ("hoeringer", ["id", "title", "department_id", "deadline", "our_ref", "created_at", "version"],
     [None, "title", "department_id", "deadline", "our_ref", None, None]),
])
def test_norwegian_and_english_headings_are_recognised(kind, headings, expected):
    assert list(importer.guess_mapping(kind, headings).values()) == expected


def test_headings_ignore_case_spacing_and_punctuation():
    mapping = importer.guess_mapping("hoeringer", ["  VÅR REF ", "høringsfrist:", "TITTEL"])
    assert mapping == {"  VÅR REF ": "our_ref", "høringsfrist:": "deadline", "TITTEL": "title"}


def test_a_field_is_mapped_from_one_column_only():
    assert importer.guess_mapping("hoeringer", ["Tittel", "Title"]) == {"Tittel": "title", "Title": None}


def test_the_template_headings_map_back_to_every_field():
    for kind in importer.KINDS:
        for lang in ("nb", "en"):
            headings = list(importer.template(kind, lang).columns)
            assert list(importer.guess_mapping(kind, headings).values()) == [f.name for f in importer.fields_of(kind)]


def test_an_adjusted_mapping_is_used(db, forum):
    data = xlsx([["Høring – egen overskrift", "2026-06-15", "BFD"]], ["Overskrift", "Svar innen", "Eier"])
    table = importer.read_table(data, "fil.xlsx", "hoeringer")
    guessed = importer.guess_mapping("hoeringer", table.columns)
    assert guessed == {"Overskrift": None, "Svar innen": None, "Eier": "department_id"}
    assert importer.missing_required("hoeringer", guessed) == ["title"]
    mapping = {**guessed, "Overskrift": "title", "Svar innen": "deadline"}
    assert importer.missing_required("hoeringer", mapping) == []
    preview = importer.check(db, "hoeringer", table, mapping)
    assert preview.rows[0].values["title"] == "Høring – egen overskrift"
    assert preview.rows[0].values["deadline"] == "2026-06-15"
    # Leaving a column out means it is not imported.
    preview = importer.check(db, "hoeringer", table, {**mapping, "Eier": None})
    assert "department_id" not in preview.rows[0].values


def test_a_missing_required_column_blocks_the_commit(db, forum, editor):
    preview = checked(db, "hoeringer", xlsx([["BFD"]], ["Departement"]))
    assert preview.missing == ["title"]
    assert not preview.can_commit
    with pytest.raises(ValidationError) as caught:
        importer.commit(db, editor, preview)
    assert caught.value.errors == {"title": "validation.required"}


# ---------------------------------------------------------------- every kind of bad row


@pytest.mark.parametrize("kind, headings, row, expected", [
    ("hoeringer", ["Tittel", "Høringsfrist"], [None, "2026-01-01"], {"title": "validation.required"}),
    ("hoeringer", ["Tittel"], ["x" * 301], {"title": "validation.too_long"}),
    ("hoeringer", ["Tittel", "Høringsfrist"], ["H", "neste uke"], {"deadline": "validation.date"}),
    ("hoeringer", ["Tittel", "Høringsfrist"], ["H", "30.02.2026"], {"deadline": "validation.date"}),
    ("hoeringer", ["Tittel", "Publisert", "Høringsfrist"], ["H", "01.03.2026", "01.02.2026"],
     {"deadline": "validation.deadline_before_published"}),
    ("hoeringer", ["Tittel", "Høringsfrist", "Intern frist"], ["H", "01.03.2026", "05.03.2026"],
     {"internal_deadline": "validation.internal_after_deadline"}),
    ("hoeringer", ["Tittel", "Lenke"], ["H", "www.regjeringen.no/høring"], {"url": "validation.url"}),
    ("hoeringer", ["Tittel", "Status"], ["H", "Kanskje"], {"official_status": "validation.choice"}),
    ("hoeringer", ["Tittel", "Departement"], ["H", "Sjokoladedepartementet"],
     {"department_id": "validation.import_unknown_org"}),
    ("hoeringer", ["Tittel", "Hovedansvarlig"], ["H", "NAV"], {"lead_org_id": "validation.import_org_ambiguous"}),
    ("hoeringer", ["Tittel", "Høringsinstans"], ["H", "kanskje"], {"named_instance": "validation.import_boolean"}),
    ("budget_inputs", ["Tittel", "Budsjettår", "Fase", "Kap.", "Post"], ["B", 2026, "Prop. 1 S", "62100", "70"],
     {"chapter": "validation.chapter"}),
    ("budget_inputs", ["Tittel", "Budsjettår", "Fase", "Kap.", "Post"], ["B", 2026, "Prop. 1 S", "621", "700"],
     {"post": "validation.post"}),
    ("budget_inputs", ["Tittel", "Budsjettår", "Fase", "Post"], ["B", 2026, "prop1s", "70"],
     {"chapter": "validation.post_needs_chapter"}),
    ("budget_inputs", ["Tittel", "Budsjettår", "Fase", "Beløp"], ["B", 2026, "prop1s", -5000],
     {"ask_amount": "validation.amount_negative"}),
    ("budget_inputs", ["Tittel", "Budsjettår", "Fase", "Beløp"], ["B", 2026, "prop1s", "en del"],
     {"ask_amount": "validation.amount_not_number"}),
    ("budget_inputs", ["Tittel", "Budsjettår", "Fase"], ["B", "neste år", "prop1s"],
     {"budget_year": "validation.budget_year"}),
    ("budget_inputs", ["Tittel", "Budsjettår"], ["B", 2026], {"phase": "validation.required"}),
    ("meetings", ["Tittel", "Type", "Dato"], ["KU", "ku", None], {"starts_at": "validation.required"}),
    ("meetings", ["Tittel", "Type", "Dato", "Klokkeslett"], ["KU", "ku", "10.05.2017", "kvart over"],
     {"start_time": "validation.import_time"}),
    ("meetings", ["Tittel", "Type", "Dato", "Slutt"], ["KU", "ku", "10.05.2017 14:00", "10.05.2017 12:00"],
     {"ends_at": "validation.end_before_start"}),
    ("meetings", ["Tittel", "Type", "Dato", "Frist for forberedelser"], ["KU", "ku", "10.05.2017", "12.05.2017"],
     {"prep_deadline": "validation.prep_after_meeting"}),
    ("saker", ["Tittel", "Tema"], ["S", "Månelanding"], {"theme_code": "validation.import_unknown_theme"}),
    ("saker", ["Tittel", "Prioritet"], ["S", "skyhøy"], {"priority": "validation.choice"}),
    ("organisations", ["Navn", "Type"], ["Ny forening", "hemmelig"], {"kind": "validation.choice"}),
    ("organisations", ["Navn", "Type", "Medlem siden", "Medlem til"], ["F", "forum_member", 2020, 2010],
     {"member_until": "validation.organisations.member_until_before_since"}),
    ("organisations", ["Navn", "Type", "Representanter"], ["F", "forum_member", "to"],
     {"representatives": "validation.import_integer"}),
])
def test_each_kind_of_bad_row_is_marked_with_its_reason(db, forum, kind, headings, row, expected):
    assert one_error(db, kind, headings, row) == expected


def test_a_row_twice_in_the_file_is_bad_and_names_the_other_row(db, forum):
    preview = checked(db, "hoeringer", xlsx([["Høring – a", "BFD"], ["Høring – b", "AID"], ["høring - A", "BFD"]],
                                            ["Tittel", "Departement"]))
    assert [r.line for r in preview.bad_rows] == [4]
    assert preview.errors_frame("en")["reasons"][0] == "Title: appears twice in the file (also on row 2) («høring - A»)"


def test_a_row_with_several_problems_is_one_bad_row_with_every_reason(db, forum):
    preview = checked(db, "hoeringer", xlsx([["H", "Ukjent", "i morgen", "ftp://x"]],
                                            ["Tittel", "Departement", "Høringsfrist", "Lenke"]))
    assert preview.bad_rows[0].errors == {"department_id": "validation.import_unknown_org",
                                          "deadline": "validation.date", "url": "validation.url"}
    assert len(preview.errors_frame()) == 1


# ---------------------------------------------------------------- good rows of every kind


def test_values_are_read_the_way_people_write_them(db, forum):
    headings = ["Tittel", "Budsjettår", "Fase", "Mottaker", "Kap.", "Post", "Beløp", "Prop. 1 S", "Vedtatt", "Utfall"]
    preview = checked(db, "budget_inputs", xlsx([
        ["Frivillig arbeid", "2026", "Prop. 1 S", "aid", 621, 1, "1 500 000 kr", 1000000.0, "kr 900.000", "Delvis"],
    ], headings))
    assert preview.rows[0].values == {
        "title": "Frivillig arbeid", "budget_year": 2026, "phase": "prop1s", "recipient_org_id": forum["aid"],
        "chapter": "621", "post": "01", "ask_amount": 1_500_000, "prop_amount": 1_000_000,
        "adopted_amount": 900_000, "outcome": "delvis"}


def test_meetings_join_a_date_and_a_time_column(db, forum):
    preview = checked(db, "meetings", xlsx([
        ["Kontaktutvalget – barnefattigdom", "Kontaktutvalget", datetime(2017, 5, 10), "12:00", "14:00", "ASD"],
        ["Forummøte", "forum", "08.01.2018 kl. 12:00", None, "08.01.2018 14:00", None],
        ["Makt og muligheter", "Konferanse", "22.10.2015", None, None, None],
    ], ["Tittel", "Type", "Dato", "Klokkeslett", "Slutt", "Sted"]))
    assert [(r.values["kind"], r.values["starts_at"], r.values.get("ends_at")) for r in preview.rows] == [
        ("ku", "2017-05-10T12:00", "2017-05-10T14:00"),
        ("forum", "2018-01-08T12:00", "2018-01-08T14:00"),
        ("konferanse", "2015-10-22", None),
    ]


def test_saker_and_organisations_import_with_labels_and_lookups(db, forum, editor):
    sak = checked(db, "saker", xlsx([["Bolig for alle", "Rett til egnet bolig for alle", "Høy", "KREM"]],
                                    ["Tittel", "Tema", "Prioritet", "Ansvarlig"]))
    assert sak.rows[0].values == {"title": "Bolig for alle", "theme_code": "bolig", "priority": "hoey",
                                  "lead_org_id": forum["krem"]}
    org = checked(db, "organisations", xlsx([["Barneombudet", "BO", "Direktorat", "BFD", None, "Ja"]],
                                            ["Navn", "Kortnavn", "Type", "Overordnet", "Medlem siden", "Aktiv"]))
    assert org.rows[0].values == {"name": "Barneombudet", "short_name": "BO", "kind": "directorate",
                                  "parent_id": forum["bfd"], "member_since": None}
    importer.commit(db, editor, org)
    assert db.execute("SELECT name, kind, parent_id FROM organisations WHERE short_name = 'BO'").fetchone() == (
        "Barneombudet", "directorate", forum["bfd"])


@pytest.mark.parametrize("text, expected", [
    (1500000, 1_500_000), (1500000.0, 1_500_000), ("1500000", 1_500_000), ("1 500 000", 1_500_000),
    ("1\u00a0500\u00a0000 kr", 1_500_000), ("kr 1.500.000", 1_500_000), ("NOK 250 000", 250_000),
    ("300 000,-", 300_000), ("0", 0), (None, None), ("", None),
    ("1,5 mill", 1_500_000), ("250'", 250_000), ("2 mrd", 2_000_000_000),
])
def test_amounts_in_whole_kroner(text, expected):
    assert importer.AMOUNT_PARSER is amounts.parse_amount  # the budget form's parser
    assert importer.AMOUNT_PARSER(text) == expected


@pytest.mark.parametrize("text, key", [
    ("-5", "validation.amount_negative"), ("1,5", "validation.amount_whole"), ("1.5", "validation.amount_whole"),
    (12.5, "validation.amount_whole"), ("abc", "validation.amount_not_number"),
    (True, "validation.amount_not_number"), ("1,250 mill", "validation.amount_ambiguous"),
])
def test_amounts_that_are_refused_with_the_forms_reason(text, key):
    with pytest.raises(amounts.AmountError) as caught:
        importer.AMOUNT_PARSER(text)
    assert caught.value.key == key


@pytest.mark.parametrize("text, expected", [
    ("2024-02-06", "2024-02-06"), ("06.02.2024", "2024-02-06"), ("6.2.2024", "2024-02-06"),
    ("06.02.24", "2024-02-06"), ("06/02/2024", "2024-02-06"), ("2024-02-06 00:00:00", "2024-02-06"),
    (datetime(2024, 2, 6), "2024-02-06"),
])
def test_dates_in_norwegian_and_iso_forms(text, expected):
    assert importer.parse_date(text).isoformat() == expected


# ---------------------------------------------------------------- duplicates


def test_duplicates_by_our_ref_or_by_title_and_department(db, forum):
    rows = [["Et annet navn på samme høring", "BFD", "24/109"],  # same Vår ref.
            ["Høring - forslag til endringer i BARNETRYGDLOVEN", "BFD", None],  # same title (other dash) + dept
            ["Høring – Forslag til endringer i barnetrygdloven", "AID", None]]  # same title, other department
    preview = checked(db, "hoeringer", xlsx(rows, ["Tittel", "Departement", "Vår ref."]))
    assert [r.duplicate_id for r in preview.rows] == [forum["h109"], forum["h109"], None]
    assert [r.status for r in preview.rows] == ["update", "unchanged", "new"]
    assert preview.rows[0].changes == {"title": "Et annet navn på samme høring"}


def test_duplicates_are_skipped_or_updated_as_chosen(db, forum, editor):
    data = xlsx([["Høring – Forslag til endringer i barnetrygdloven", "BFD", "24/109", "13.02.2024", None]],
                ["Tittel", "Departement", "Vår ref.", "Høringsfrist", "Notater"])
    preview = checked(db, "hoeringer", data)
    assert preview.rows[0].changes == {"deadline": "2024-02-13"}
    skipped = importer.commit(db, editor, preview, on_duplicate="skip")
    assert (skipped.created, skipped.updated, skipped.skipped) == (0, 0, 1)
    assert db.execute("SELECT deadline, version FROM hoeringer WHERE id = ?", [forum["h109"]]).fetchone() == (
        "2024-02-06", 1)

    updated = importer.commit(db, editor, checked(db, "hoeringer", data), on_duplicate="update")
    assert (updated.created, updated.updated, updated.skipped) == (0, 1, 0)
    assert db.execute("SELECT deadline, version FROM hoeringer WHERE id = ?", [forum["h109"]]).fetchone() == (
        "2024-02-13", 2)
    audit = db.execute("SELECT action, before, after FROM audit_log WHERE record_id = ? AND table_name = 'hoeringer'",
                       [forum["h109"]]).fetchall()
    assert audit == [("import", '{"deadline": "2024-02-06", "version": 1}', '{"deadline": "2024-02-13", "version": 2}')]
    # The same file again: nothing differs any more, so nothing is updated.
    again = importer.commit(db, editor, checked(db, "hoeringer", data), on_duplicate="update")
    assert (again.created, again.updated, again.skipped) == (0, 0, 1)


def test_an_update_refuses_to_overwrite_a_record_changed_since_the_check(db, forum, editor):
    preview = checked(db, "hoeringer", xlsx([["Nytt navn", "BFD", "24/109"]], ["Tittel", "Departement", "Vår ref."]))
    records.update(db, editor, "hoeringer", forum["h109"], {"notes": "endret av en annen"}, expected_version=1)
    with pytest.raises(ConflictError):
        importer.commit(db, editor, preview, on_duplicate="update")
    assert db.execute("SELECT title FROM hoeringer WHERE id = ?", [forum["h109"]]).fetchone()[0].startswith("Høring")


def test_other_kinds_find_their_twins(db, forum):
    insert(db, "budget_inputs", title="Frivillig arbeid", budget_year=2026, phase="prop1s",
           recipient_org_id=forum["aid"])
    insert(db, "meetings", title="KU mars", kind="ku", starts_at="2026-03-16T12:00")
    insert(db, "saker", title="Barnetrygd")
    db.conn.commit()
    budget = checked(db, "budget_inputs", xlsx([["Frivillig arbeid", 2026, "vedtatt", "AID"],
                                                ["Frivillig arbeid", 2027, "prop1s", "AID"]],
                                               ["Tittel", "Budsjettår", "Fase", "Mottaker"]))
    assert [r.status for r in budget.rows] == ["update", "new"]
    meetings = checked(db, "meetings", xlsx([["KU mars", "ku", "16.03.2026"], ["KU mars", "ku", "16.06.2026"]],
                                            ["Tittel", "Type", "Dato"]))
    assert [r.status for r in meetings.rows] == ["unchanged", "new"]
    saker = checked(db, "saker", xlsx([["barnetrygd"]], ["Tittel"]))
    assert saker.rows[0].status == "unchanged"
    orgs = checked(db, "organisations", xlsx([["Kreativt og mangfoldig arbeidsliv", "KREM", "forum_member"]],
                                             ["Navn", "Kortnavn", "Type"]))
    assert orgs.rows[0].duplicate_id == forum["krem"]


# ---------------------------------------------------------------- all or nothing, and who may


def test_a_failure_halfway_leaves_nothing_behind(db, forum, monkeypatch, editor):
    preview = checked(db, "hoeringer", xlsx([[f"Høring {i}", "BFD"] for i in range(20)], ["Tittel", "Departement"]))
    real_create = records.create
    calls = []

    def failing_create(*args, **kwargs):
        calls.append(1)
        if len(calls) == 11:
            raise RuntimeError("disk full")
        return real_create(*args, **kwargs)

    monkeypatch.setattr(records, "create", failing_create)
    before = (count(db, "hoeringer"), count(db, "audit_log"))
    with pytest.raises(RuntimeError):
        importer.commit(db, editor, preview)
    assert (count(db, "hoeringer"), count(db, "audit_log")) == before


def test_only_editors_may_import(db, forum, viewer):
    preview = checked(db, "hoeringer", xlsx([["Høring – ny"]], ["Tittel"]))
    with pytest.raises(PermissionDenied):
        importer.commit(db, viewer, preview)
    assert count(db, "hoeringer") == 1


def test_the_import_is_summarised_in_the_audit_log(db, forum, editor):
    table = importer.read_table(xlsx([["Høring – ny"]], ["Tittel"]), "liste.xlsx", "hoeringer")
    importer.import_rows(db, editor, "hoeringer", table, {"Tittel": "title"}, source_name="liste.xlsx")
    summary = db.execute("SELECT actor, action, table_name, after FROM audit_log WHERE record_id IS NULL").fetchone()
    assert summary == (editor.name, "import", "hoeringer",
                       '{"file": "liste.xlsx", "created": 1, "updated": 0, "skipped": 0}')


def test_checking_and_writing_a_large_file_report_progress(db, forum, editor):
    table = importer.read_table(xlsx([[f"Høring {i}", "BFD"] for i in range(450)], ["Tittel", "Departement"]),
                                "stor.xlsx", "hoeringer")
    mapping = importer.guess_mapping("hoeringer", table.columns)
    checking, writing = [], []
    preview = importer.check(db, "hoeringer", table, mapping, progress=checking.append)
    importer.commit(db, editor, preview, progress=writing.append)
    for steps in (checking, writing):
        assert steps == sorted(steps) and steps[0] == 0 and steps[-1] == 1.0 and len(steps) >= 5


# ---------------------------------------------------------------- one rule set with the forms


def form_reason(write) -> dict:
    """What a form's save shows: the field and its message (forms.save prints i18n.t(key))."""
    with pytest.raises(ValidationError) as caught:
        write()
    return {field: i18n.t(key) for field, key in caught.value.errors.items()}


def test_an_import_row_and_the_budget_form_give_the_same_reason(db, forum, editor):
    form = {"title": "B", "budget_year": "2026", "phase": "prop1s", "chapter": "621"}
    assert form_reason(lambda: budget.create_budget_input(db, editor, {**form, "post": "7"})) == {
        "post": "må ha to sifre, f.eks. 70 eller 01"}
    assert form_reason(lambda: budget.create_budget_input(db, editor, {**form, "ask_amount": "-5 000"})) == {
        "ask_amount": "kan ikke være negativt"}
    preview = checked(db, "budget_inputs", xlsx([["B", 2026, "prop1s", "621", "7", None],
                                                 ["C", 2026, "prop1s", "621", "70", "-5 000"]],
                                                ["Tittel", "Budsjettår", "Fase", "Kap.", "Post", "Beløp"]))
    assert list(preview.errors_frame("nb")["reasons"]) == [
        "Post: må ha to sifre, f.eks. 70 eller 01 («7»)",
        "Beløp vi ber om: kan ikke være negativt («-5 000»)",
    ]


def test_an_import_row_and_the_hoering_form_give_the_same_reason(db, forum, editor):
    values = {"title": "H", "published_on": "2026-03-01", "deadline": "2026-02-01"}
    assert form_reason(lambda: hoeringer.create_hoering(db, editor, values)) == {
        "deadline": "kan ikke være før publiseringsdatoen"}
    preview = checked(db, "hoeringer", xlsx([["H", "01.03.2026", "01.02.2026", "24/1"]],
                                            ["Tittel", "Publisert", "Høringsfrist", "Vår ref."]))
    assert preview.errors_frame("nb")["reasons"][0] == (
        "Høringsfrist: kan ikke være før publiseringsdatoen («01.02.2026»)")
    # A rule the importer never had reaches it through the form's validator.
    assert one_error(db, "hoeringer", ["Tittel", "Saksnummer"], ["H", "sak 109"]) == {
        "their_ref": "validation.their_ref"}


def test_one_and_a_half_million_imports_as_1500000(db, forum, editor):
    table = importer.read_table(xlsx([["Frivillig arbeid", 2027, "Prop. 1 S", "1,5 mill", "250'"]],
                                     ["Tittel", "Budsjettår", "Fase", "Beløp", "Prop. 1 S"]),
                                "budsjett.xlsx", "budget_inputs")
    result = importer.import_rows(db, editor, "budget_inputs", table,
                                  importer.guess_mapping("budget_inputs", table.columns))
    assert result.created == 1
    assert db.execute("SELECT ask_amount, prop_amount FROM budget_inputs WHERE title = 'Frivillig arbeid'"
                      ).fetchone() == (1_500_000, 250_000)


def test_imported_rows_get_what_the_form_derives(db, forum, editor):
    # The configured lead time, not the default 7 days, and the outcome that follows from the amounts.
    hoeringer.set_lead_days(db, editor, 14, date(2026, 1, 1))
    preview = checked(db, "hoeringer", xlsx([["H", "15.06.2026"]], ["Tittel", "Høringsfrist"]))
    assert preview.rows[0].values["internal_deadline"] == "2026-06-01"
    budget_row = checked(db, "budget_inputs", xlsx([["B", 2026, "vedtatt", "kap. 621", "post 70", 100, 100]],
                                                   ["Tittel", "Budsjettår", "Fase", "Kap.", "Post", "Beløp",
                                                    "Vedtatt"]))
    assert budget_row.rows[0].values == {"title": "B", "budget_year": 2026, "phase": "vedtatt", "chapter": "621",
                                         "post": "70", "ask_amount": 100, "adopted_amount": 100,
                                         "outcome": "innfridd"}
