"""The responsible person on records: list filters, spreadsheet import and export, the audit log."""

import json

from krem_advocacy.domain import budget, hoeringer
from krem_advocacy.exchange import exporter, importer
from tests.helpers import EDITOR, insert, xlsx


def _forum(db):
    ids = {"bfd": insert(db, "organisations", name="Barne- og familiedepartementet", short_name="BFD",
                         kind="department")}
    ids["kari"] = insert(db, "people", name="Kari Nordmann", side="forum", email="kari@krem.example.org")
    ids["ola"] = insert(db, "people", name="Ola Hansen", side="forum")
    ids["h1"] = insert(db, "hoeringer", title="Barnetrygd", department_id=ids["bfd"], deadline="2026-04-01",
                       our_status="svarer", responsible_person_id=ids["kari"])
    ids["h2"] = insert(db, "hoeringer", title="Bostøtte", department_id=ids["bfd"], deadline="2026-04-02",
                       our_status="svarer", responsible_person_id=ids["ola"])
    ids["b1"] = insert(db, "budget_inputs", title="Frivillig arbeid", budget_year=2027, phase="vaarinnspill",
                       responsible_person_id=ids["ola"])
    ids["b2"] = insert(db, "budget_inputs", title="Sosialhjelp", budget_year=2027, phase="vaarinnspill")
    db.conn.commit()
    return ids


def test_lists_filter_by_the_responsible_person(db):
    ids = _forum(db)
    mine = hoeringer.list_hoeringer(db, responsible_person_id=ids["kari"])
    assert list(mine["title"]) == ["Barnetrygd"] and list(mine["responsible_person"]) == ["Kari Nordmann"]
    assert list(hoeringer.list_hoeringer(db)["title"]) == ["Bostøtte", "Barnetrygd"]
    assert hoeringer.status_counts(db, responsible_person_id=ids["ola"])["svarer"] == 1
    assert list(budget.list_budget_inputs(db, responsible_person_id=ids["ola"])["title"]) == ["Frivillig arbeid"]


def test_import_reads_the_person_by_name_or_address_and_the_audit_log_records_it(db):
    ids = _forum(db)
    headings = ["Tittel", "Departement", "Høringsfrist", "Ansvarlig person"]
    table = importer.read_table(xlsx([["Ny høring om NAV", "BFD", "2026-05-01", "kari@krem.example.org"],
                                      ["Ny høring om bolig", "BFD", "2026-05-02", "Ola Hansen"]], headings),
                                "h.xlsx", "hoeringer")
    mapping = importer.guess_mapping("hoeringer", table.columns)
    assert mapping["Ansvarlig person"] == "responsible_person_id"
    preview = importer.check(db, "hoeringer", table, mapping)
    assert not preview.bad_rows
    importer.commit(db, EDITOR, preview)
    found = dict(db.execute("SELECT title, responsible_person_id FROM hoeringer WHERE title LIKE 'Ny høring%'"))
    assert found == {"Ny høring om NAV": ids["kari"], "Ny høring om bolig": ids["ola"]}
    # A change of the responsible person is in the change log, before and after.
    hoeringer.update_hoering(db, EDITOR, ids["h2"], {"responsible_person_id": ids["kari"]}, 1)
    before, after = db.execute("SELECT before, after FROM audit_log WHERE table_name = 'hoeringer' "
                               "AND record_id = ? ORDER BY id DESC", [ids["h2"]]).fetchone()
    assert json.loads(before)["responsible_person_id"] == ids["ola"]
    assert json.loads(after)["responsible_person_id"] == ids["kari"]
    # A person the directory does not have is a clear error in the preview.
    bad = importer.check(db, "hoeringer", importer.read_table(
        xlsx([["Tredje", "BFD", "2026-05-03", "Ingen Slik"]], headings), "h.xlsx", "hoeringer"), mapping)
    assert bad.bad_rows[0].errors == {"responsible_person_id": "validation.import_unknown_person"}


def test_export_carries_the_responsible_person(db):
    ids = _forum(db)
    frame = exporter.table_frame(db, "hoeringer", EDITOR)
    assert dict(zip(frame["title"], frame["responsible_person_id"]))["Barnetrygd"] == ids["kari"]
