"""Reliability: concurrent writers lose nothing, a second editor is told, a killed import leaves no trace,
a locked database is reported, and a database from the first schema version migrates whole.

Hostile text is in tests/test_hostile_input.py.
"""

import csv
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from streamlit.testing.v1 import AppTest

from krem_advocacy import config
from krem_advocacy.domain import bootstrap, demo, saker
from krem_advocacy.store import connection as dbmod
from krem_advocacy.store import migrations
from krem_advocacy.store.permissions import Actor
from tests.helpers import ROOT, open_page

WRITERS = 10
SECONDS = 3.0


def _wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


# ---- ten concurrent writers -----------------------------------------------------------------------

@pytest.mark.slow
def test_ten_concurrent_writers_lose_no_acknowledged_write(db_path, tmp_path, editor):
    with dbmod.opened(db_path) as db:
        shared = saker.create_sak(db, editor, {"title": "Delt sak", "description": "start"})
    processes = [subprocess.Popen(
        [sys.executable, "-m", "tests.reliability_workers", "writer", str(db_path), str(n), str(tmp_path),
         str(SECONDS), str(shared)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for n in range(WRITERS)]
    try:
        # All ten write at once: they start together when every interpreter is up.
        _wait_for(lambda: all((tmp_path / f"ready-{n}").exists() for n in range(WRITERS))
                  or any(p.poll() is not None for p in processes), 180, "the writers to start")
        (tmp_path / "go").touch()
        outputs = [p.communicate(timeout=120) for p in processes]
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
    reports = []
    for process, (out, err) in zip(processes, outputs):
        assert process.returncode == 0, err
        reports.append(json.loads(out.strip().splitlines()[-1]))

    created = {record_id: title for r in reports for record_id, title in r["created"]}
    updates = sorted((version, text) for r in reports for text, version in r["updated"])
    failures = [f for r in reports for f in r["failed"]]
    for r in reports:  # every attempt ended as a saved write, a conflict or a reported failure
        assert r["attempts"] == len(r["created"]) + len(r["updated"]) + len(r["conflicts"]) + len(r["failed"])
    assert all(r["created"] for r in reports)  # every writer got work done at the same time as the others
    assert failures == []  # BEGIN IMMEDIATE and a busy timeout: no writer is refused for a lock
    with dbmod.opened(db_path) as db:
        stored = dict(db.execute("SELECT id, title FROM saker WHERE id != ?", [shared]).fetchall())
        final = db.execute("SELECT version, description FROM saker WHERE id = ?", [shared]).fetchone()
        logged_creates = db.execute("SELECT COUNT(*) FROM audit_log WHERE table_name = 'saker' AND action = 'create' "
                                    "AND record_id != ?", [shared]).fetchone()[0]
        logged_updates = db.execute("SELECT COUNT(*) FROM audit_log WHERE table_name = 'saker' AND action = 'update' "
                                    "AND record_id = ?", [shared]).fetchone()[0]
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert stored == created  # nothing acknowledged is missing, nothing unacknowledged was written
    assert logged_creates == len(created)
    # No lost update on the shared sak: each saved edit got its own version, and the last one is kept.
    assert [v for v, _ in updates] == list(range(2, 2 + len(updates)))
    assert final == ((updates[-1][0], updates[-1][1]) if updates else (1, "start"))
    assert logged_updates == len(updates)


def test_a_write_that_cannot_get_the_lock_is_reported_and_leaves_nothing(db_path, monkeypatch, editor):
    monkeypatch.setattr(dbmod, "BUSY_TIMEOUT_MS", 200)
    holder = sqlite3.connect(str(db_path))
    holder.execute("BEGIN IMMEDIATE")  # another process is in the middle of a long write
    try:
        with dbmod.opened(db_path) as db:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                saker.create_sak(db, editor, {"title": "Venter på låsen"})
    finally:
        holder.rollback()
        holder.close()
    with dbmod.opened(db_path) as db:
        assert db.execute("SELECT COUNT(*) FROM saker").fetchone()[0] == 0
        assert db.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0] == 0
        saker.create_sak(db, editor, {"title": "Venter på låsen"})  # once free, the same write goes through
        assert db.execute("SELECT title FROM saker").fetchall() == [("Venter på låsen",)]


def test_an_editor_whose_save_meets_a_locked_database_is_told_it_was_not_saved(app_db_path, small_forum, monkeypatch):
    monkeypatch.setattr(dbmod, "BUSY_TIMEOUT_MS", 200)
    with dbmod.opened(app_db_path) as db:
        sak_id, title = db.execute("SELECT id, title FROM saker ORDER BY id LIMIT 1").fetchone()
    at = _sak_editor(sak_id)
    version = at.session_state[f"sak_{sak_id}__version"]
    at.text_input(key=f"sak_{sak_id}_{version}_title").input("Endret under lås")
    holder = sqlite3.connect(str(app_db_path))
    holder.execute("BEGIN IMMEDIATE")
    try:
        _submit(at)
    finally:
        holder.rollback()
        holder.close()
    assert any("Ikke lagret" in e.value and "locked" in e.value for e in at.error), [e.value for e in at.error]
    with dbmod.opened(app_db_path) as db:
        assert db.execute("SELECT title FROM saker WHERE id = ?", [sak_id]).fetchone()[0] == title


# ---- two editors, one record -----------------------------------------------------------------------

def _sak_editor(sak_id: int, name: str = "Kari") -> AppTest:
    """The sak's page in its own session, signed in as an editor, with the edit form open."""
    return open_page("pages/saker.py", Actor(name, "editor"), state={f"sak_{sak_id}": True}, id=str(sak_id))


def _submit(at: AppTest) -> AppTest:
    [button] = [b for b in at.button if b.label == "Lagre"]
    return button.click().run()


def test_two_editors_on_one_record_the_second_is_told_and_nothing_is_lost(app_db_path, small_forum):
    with dbmod.opened(app_db_path) as db:
        sak_id, version = db.execute("SELECT id, version FROM saker ORDER BY id LIMIT 1").fetchone()
    kari, per = _sak_editor(sak_id, "Kari"), _sak_editor(sak_id, "Per")  # two browsers, same version open
    key = f"sak_{sak_id}_{version}_"
    kari.text_input(key=key + "title").input("Karis tittel")
    per.text_input(key=key + "title").input("Pers tittel")
    _submit(kari)
    assert not kari.error
    _submit(per)
    assert "noen andre har lagret denne posten" in per.error[0].value
    table = [m.value for m in per.markdown if "| Felt |" in m.value][0]
    assert "| **Tittel** | Pers tittel | Karis tittel |" in table  # what Per typed beside what is saved
    with dbmod.opened(app_db_path) as db:
        assert db.execute("SELECT title, version FROM saker WHERE id = ?", [sak_id]).fetchone() == (
            "Karis tittel", version + 1)
        logged = db.execute("SELECT actor FROM audit_log WHERE table_name = 'saker' AND record_id = ? "
                            "AND action = 'update'", [sak_id]).fetchall()
    assert logged == [("Kari",)]


# ---- a killed import ------------------------------------------------------------------------------

def _write_saker_csv(path, count: int, prefix: str) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["Tittel", "Beskrivelse", "Status"])
        out.writerows([f"{prefix} {i}", "Importert fra regneark. " * 10, "Aktiv"] for i in range(count))


def _state(path) -> tuple:
    with dbmod.opened(path) as db:
        return (db.execute("SELECT id, title, version FROM saker ORDER BY id").fetchall(),
                db.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0],
                db.execute("PRAGMA integrity_check").fetchone()[0])


def _assert_import_left_no_trace(path, before, prefix: str, rows: int) -> None:
    saker_rows, audit_rows, integrity = _state(path)
    assert integrity == "ok"
    assert saker_rows == before[0]  # every committed row as it was, none of the killed import's
    assert audit_rows == before[1]
    with dbmod.opened(path) as db:
        assert db.execute("SELECT COUNT(*) FROM saker_fts WHERE saker_fts MATCH ?", [f'"{prefix}"']).fetchone()[0] == 0
    # The same import run again completes.
    result = subprocess.run([sys.executable, "-m", "krem_advocacy", "import", "saker", str(path.parent / "import.csv"),
                             "--as", "Importtest"], cwd=ROOT, env={**os.environ, "KREM_DB": str(path)},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert f"Imported: {rows} created" in result.stdout
    with dbmod.opened(path) as db:
        assert db.execute("SELECT COUNT(*) FROM saker WHERE title LIKE ?", [prefix + " %"]).fetchone()[0] == rows


def test_an_import_killed_after_writing_rows_leaves_no_partial_import(db_path, small_forum, tmp_path, editor):
    rows, prefix = 400, "Avbrutt import"
    _write_saker_csv(tmp_path / "import.csv", rows, prefix)
    with dbmod.opened(db_path) as db:  # committed work from before the import
        saker.create_sak(db, editor, {"title": "Lagret før importen"})
    before = _state(db_path)
    marker = tmp_path / "stalled"
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.reliability_workers", "import-and-stall", str(db_path),
         str(tmp_path / "import.csv"), "250", str(marker)], cwd=ROOT, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)
    try:
        _wait_for(lambda: marker.exists() or process.poll() is not None, 120, "250 rows to be written")
        assert process.poll() is None, process.communicate()[1]
        os.kill(process.pid, signal.SIGKILL)  # 250 of 400 rows written inside the import's transaction
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL
    _assert_import_left_no_trace(db_path, before, prefix, rows)


@pytest.mark.slow
def test_the_command_line_import_killed_while_it_holds_the_write_lock_leaves_no_trace(db_path, small_forum, tmp_path):
    rows, prefix = 20_000, "Stor import"
    _write_saker_csv(tmp_path / "import.csv", rows, prefix)
    before = _state(db_path)
    wal = db_path.parent / (db_path.name + "-wal")
    wal_before = wal.stat().st_size if wal.exists() else 0
    process = subprocess.Popen([sys.executable, "-m", "krem_advocacy", "import", "saker",
                                str(tmp_path / "import.csv"), "--as", "Importtest"], cwd=ROOT,
                               env={**os.environ, "KREM_DB": str(db_path)}, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)

    def writing() -> bool:
        # Inside the import's transaction with rows written: the write lock is taken, and the rows not yet
        # committed have started to spill into the write-ahead log.
        probe = sqlite3.connect(str(db_path), timeout=0)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.rollback()
            return False
        except sqlite3.OperationalError:
            return wal.exists() and wal.stat().st_size > wal_before + 1_000_000
        finally:
            probe.close()

    try:
        _wait_for(lambda: process.poll() is not None or writing(), 120, "the import to be writing")
        assert process.poll() is None, "the import finished before it could be killed"
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL
    _assert_import_left_no_trace(db_path, before, prefix, rows)


# ---- the first schema version --------------------------------------------------------------------

def test_database_from_the_first_schema_version_keeps_every_row(tmp_path):
    path = tmp_path / "v1.db"
    # The first version kept the authority's case number in our_ref: the demo as it would have stored it.
    old_demo = tmp_path / "demo"
    shutil.copytree(config.DEMO_DIR, old_demo)
    hoeringer_file = old_demo / "hoeringer.yaml"
    hoeringer_file.write_text(hoeringer_file.read_text(encoding="utf-8").replace("their_ref:", "our_ref:"),
                              encoding="utf-8")
    with dbmod.opened(path) as db:
        migrations.apply(db, stop_before="0002_filter_indexes")
        demo.load(db, old_demo)
        tables = [t for t in db.table_names() if not t.startswith("_")]
        # our_ref is compared below: 0800 moves the case numbers out of it.
        columns = {t: ", ".join(f"[{c}]" for c in db[t].columns_dict if (t, c) != ("hoeringer", "our_ref"))
                   for t in tables}
        before = {t: db.execute(f"SELECT {columns[t]} FROM [{t}] ORDER BY rowid").fetchall() for t in tables}
        refs = db.execute("SELECT id, our_ref FROM hoeringer WHERE our_ref IS NOT NULL ORDER BY id").fetchall()
    assert sum(len(rows) for rows in before.values()) > 400  # the whole demo, in the first schema
    assert len(refs) == 2
    bootstrap.ensure_database(path)
    with dbmod.opened(path) as db:
        assert [m.name for m in migrations.migrations.applied(db)] == migrations.all_names()
        assert db.execute("SELECT id, their_ref FROM hoeringer WHERE their_ref IS NOT NULL ORDER BY id").fetchall() \
            == refs
        for table, rows in before.items():
            # Later migrations may add columns; every value that existed must still be there.
            assert db.execute(f"SELECT {columns[table]} FROM [{table}] ORDER BY rowid").fetchall() == rows, table
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        # The search index added later holds the old records too.
        assert db.execute("SELECT COUNT(*) FROM saker_fts").fetchone()[0] == len(before["saker"])
