"""The data commands: `import`, `export` and `feed` for scripted use, on small files; no network."""

import io
import json
import sqlite3
import subprocess
import sys

import openpyxl
import pandas as pd

from krem_advocacy import cli
from krem_advocacy.store.connection import opened
from tests.helpers import ROOT

SAMPLE = ROOT / "tests" / "fixtures" / "regjeringen_hoeringer.rss"


def make_db(tmp_path):
    path = tmp_path / "cli.db"
    assert cli.main(["--db", str(path), "init", "--demo"]) == 0
    return path


def write_xlsx(path, headings, rows):
    book = openpyxl.Workbook()
    book.active.append(headings)
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def count(path, sql):
    with opened(path) as db:
        return db.execute(sql).fetchone()[0]


def test_help_lists_the_data_commands():
    result = subprocess.run([sys.executable, "-m", "krem_advocacy", "--help"], cwd=ROOT,
                            capture_output=True, text=True, check=True)
    for command in ("import", "export", "feed"):
        assert command in result.stdout


def test_import_reports_bad_rows_and_writes_nothing_then_imports_once(tmp_path, capsys):
    path = make_db(tmp_path)
    before = count(path, "SELECT COUNT(*) FROM hoeringer")
    bad = write_xlsx(tmp_path / "hoeringer.xlsx", ["Tittel", "Departement", "Høringsfrist"],
                     [["Høring – a", "BFD", "01.06.2027"], ["Høring – b", "Ukjent", "01.06.2027"],
                      ["Høring – c", "AID", "i morgen"]])
    assert cli.main(["--db", str(path), "import", "hoeringer", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "row 3: Ministry/agency: is not among the organisations; add it first («Ukjent»)" in err
    assert "row 4: Deadline: must be a valid date («i morgen»)" in err
    assert "Nothing was imported" in err
    assert count(path, "SELECT COUNT(*) FROM hoeringer") == before

    good = write_xlsx(tmp_path / "hoeringer.xlsx", ["Tittel", "Departement", "Høringsfrist"],
                      [["Høring – a", "BFD", "01.06.2027"], ["Høring – b", "AID", "01.06.2027"]])
    assert cli.main(["--db", str(path), "import", "hoeringer", str(good), "--as", "Kari"]) == 0
    assert "Imported: 2 created, 0 updated, 0 skipped." in capsys.readouterr().out
    assert count(path, "SELECT COUNT(*) FROM hoeringer") == before + 2
    assert count(path, "SELECT COUNT(*) FROM audit_log WHERE actor = 'Kari' AND action = 'import'") == 3
    assert cli.main(["--db", str(path), "import", "hoeringer", str(good)]) == 0
    assert "Imported: 0 created, 0 updated, 2 skipped." in capsys.readouterr().out


def test_import_with_a_custom_mapping_and_a_dry_run(tmp_path, capsys):
    path = make_db(tmp_path)
    data = tmp_path / "saker.csv"
    data.write_text("Overskrift;Hvor viktig\nNy sak om bolig;høy\n", encoding="utf-8")
    assert cli.main(["--db", str(path), "import", "saker", str(data)]) == 1
    assert "No column for required field(s): Title" in capsys.readouterr().err
    args = ["--db", str(path), "import", "saker", str(data), "--map", "Overskrift=title", "--map", "Hvor viktig=priority"]
    assert cli.main([*args, "--dry-run"]) == 0
    assert count(path, "SELECT COUNT(*) FROM saker WHERE title = 'Ny sak om bolig'") == 0
    assert cli.main(args) == 0
    assert count(path, "SELECT priority FROM saker WHERE title = 'Ny sak om bolig'") == "hoey"


def test_import_of_a_file_that_is_not_a_table(tmp_path, capsys):
    path = make_db(tmp_path)
    letter = tmp_path / "brev.xlsx"
    letter.write_bytes(b"Dette er ikke et regneark")
    assert cli.main(["--db", str(path), "import", "meetings", str(letter)]) == 1
    assert "does not look like a table" in capsys.readouterr().err


def test_export_a_table_and_the_whole_database(tmp_path, capsys):
    path = make_db(tmp_path)
    out = tmp_path / "h.xlsx"
    assert cli.main(["--db", str(path), "export", "hoeringer", "-o", str(out)]) == 0
    frame = pd.read_excel(out)
    assert len(frame) == count(path, "SELECT COUNT(*) FROM hoeringer")
    assert "internal_notes" not in frame.columns  # viewer by default
    assert cli.main(["--db", str(path), "export", "hoeringer", "--role", "editor", "-o", str(tmp_path / "h.csv")]) == 0
    assert "internal_notes" in pd.read_csv(tmp_path / "h.csv").columns
    assert cli.main(["--db", str(path), "export", "all", "-o", str(tmp_path / "all.json")]) == 0
    dump = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    assert len(dump["tables"]["saker"]["rows"]) == count(path, "SELECT COUNT(*) FROM saker")
    assert cli.main(["--db", str(path), "export", "all", "--role", "admin", "-o", str(tmp_path / "copy.db")]) == 0
    with sqlite3.connect(tmp_path / "copy.db") as copy:
        assert copy.execute("SELECT COUNT(*) FROM meetings").fetchone()[0] == count(path, "SELECT COUNT(*) FROM meetings")
    assert cli.main(["--db", str(path), "export", "all", "--format", "xlsx", "-o", str(tmp_path / "all.xlsx")]) == 0
    assert "organisations" in pd.read_excel(tmp_path / "all.xlsx", sheet_name=None)
    assert cli.main(["--db", str(path), "export", "nosuchtable"]) == 2


def test_feed_from_a_saved_file_lists_new_items_and_adds_them(tmp_path, capsys):
    path = make_db(tmp_path)
    capsys.readouterr()
    assert cli.main(["--db", str(path), "feed", "--file", str(SAMPLE)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "4 new of 6 in the feed"
    assert "1. Høring – forslag til endringer i sosialtjenesteloven (boligsosialt arbeid) " \
           "(published 2026-02-27 · deadline 2026-06-15)" in out
    assert cli.main(["--db", str(path), "feed", "--file", str(SAMPLE), "--add", "1", "--ignore", "2"]) == 0
    assert count(path, "SELECT COUNT(*) FROM feed_seen") == 2
    assert cli.main(["--db", str(path), "feed", "--file", str(SAMPLE)]) == 0
    assert "2 new of 6 in the feed" in capsys.readouterr().out


def test_feed_network_failure_is_a_clear_message(tmp_path, capsys):
    import socket

    path = make_db(tmp_path)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert cli.main(["--db", str(path), "feed", "--url", f"http://127.0.0.1:{port}/rss"]) == 1
    assert f"Could not reach http://127.0.0.1:{port}/rss" in capsys.readouterr().err


def test_excel_reading_needs_no_file_name_suffix_for_a_real_workbook():
    book = openpyxl.Workbook()
    book.active.append(["Tittel"])
    book.active.append(["Høring – x"])
    buffer = io.BytesIO()
    book.save(buffer)
    from krem_advocacy.exchange import importer

    assert importer.read_table(buffer.getvalue(), "", "hoeringer").rows == [["Høring – x"]]
