"""The command line: help for every command, init (empty or demo), migrate, info."""

import subprocess
import sys

from krem_advocacy import cli
from tests.helpers import ROOT


def test_help_explains_each_command():
    result = subprocess.run([sys.executable, "-m", "krem_advocacy", "--help"], cwd=ROOT,
                            capture_output=True, text=True, check=True)
    for command in ("init", "migrate", "info"):
        assert command in result.stdout
    assert "KREM_DB" in result.stdout


def test_init_empty_then_info_and_migrate(tmp_path, capsys):
    path = tmp_path / "cli.db"
    assert cli.main(["--db", str(path), "init"]) == 0
    assert cli.main(["--db", str(path), "info"]) == 0
    out = capsys.readouterr().out
    assert "0003_revision_counter: applied" in out
    assert "organisations" in out
    assert cli.main(["--db", str(path), "migrate"]) == 0
    assert "applied 0 migration(s)" in capsys.readouterr().out


def test_init_refuses_existing_file_without_force(tmp_path, capsys):
    path = tmp_path / "cli.db"
    assert cli.main(["--db", str(path), "init"]) == 0
    assert cli.main(["--db", str(path), "init"]) == 1
    assert "already exists" in capsys.readouterr().err


def test_init_demo_fills_the_database(tmp_path, monkeypatch, capsys):
    path = tmp_path / "demo.db"
    monkeypatch.setenv("KREM_DB", str(path))
    assert cli.main(["init", "--demo"]) == 0
    assert "demo data" in capsys.readouterr().out
    from krem_advocacy.store.connection import opened

    with opened(path) as db:
        assert db.execute("SELECT COUNT(*) FROM organisations WHERE kind = 'forum_member'").fetchone()[0] >= 12


def test_commands_on_a_missing_file_say_how_to_create_it(tmp_path, capsys):
    assert cli.main(["--db", str(tmp_path / "none.db"), "info"]) == 1
    assert "init" in capsys.readouterr().err
