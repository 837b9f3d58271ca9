"""The command line's access and safety commands: hash-password, backup, restore."""

import io
import sqlite3

from krem_advocacy import cli
from krem_advocacy.domain import accounts as auth
from krem_advocacy.store.connection import opened
from tests.helpers import insert


def test_hash_password_from_stdin_prints_a_verifiable_hash(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("riktig hest batteri\n"))
    assert cli.main(["hash-password", "--stdin"]) == 0
    printed = capsys.readouterr().out.strip()
    assert printed.startswith("scrypt$")
    assert auth.verify_password("riktig hest batteri", printed)
    assert "riktig" not in printed


def test_hash_password_asks_twice_and_refuses_a_mismatch(monkeypatch, capsys):
    answers = iter(["riktig hest batteri", "riktig hest batterj"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert cli.main(["hash-password"]) == 1
    assert "differ" in capsys.readouterr().err


def test_hash_password_refuses_a_short_password(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("kort\n"))
    assert cli.main(["hash-password", "--stdin"]) == 1
    assert "at least 10" in capsys.readouterr().err


def test_backup_then_restore_from_the_command_line(db_path, tmp_path, capsys):
    with opened(db_path) as db:
        insert(db, "organisations", name="KREM", kind="forum_member")
        db.conn.commit()
    copy = tmp_path / "copy.db"
    assert cli.main(["--db", str(db_path), "backup", str(copy)]) == 0
    with opened(db_path) as db:
        db.execute("DELETE FROM organisations")
        db.conn.commit()
    assert cli.main(["--db", str(db_path), "restore", str(copy)]) == 0
    assert "previous data is kept" in capsys.readouterr().out
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT name FROM organisations").fetchall() == [("KREM",)]


def test_restore_of_a_text_file_is_refused_with_the_reason(db_path, tmp_path, capsys):
    text = tmp_path / "notes.txt"
    text.write_text("not a database", encoding="utf-8")
    assert cli.main(["--db", str(db_path), "restore", str(text)]) == 1
    err = capsys.readouterr().err
    assert "Not restored: The file is not an SQLite database" in err
    assert "is unchanged" in err
