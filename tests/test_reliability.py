"""Reliability: concurrent writers lose nothing, an old database migrates whole, hostile text stays text."""

import multiprocessing
import time

import pytest

from krem_advocacy import db as dbmod
from krem_advocacy import demo, migrations, records
from krem_advocacy.records import Actor

WRITERS = 10
SECONDS = 2.0

HOSTILE = [
    "<script>alert('x')</script>",
    "<b>fet</b> <img src=x onerror=alert(1)>",
    "'; DROP TABLE saker; --",
    "Robert'); DELETE FROM hoeringer WHERE ('1'='1",
    "**ikke fet** [lenke](javascript:alert(1)) `kode` # overskrift",
    "æøå ÆØÅ – «sitat» — emoji 🧾 and \u202e reversed",
    "x" * 5000,
]


def _writer(path: str, writer: int, seconds: float, queue) -> None:
    # One process: write as fast as it can for a fixed time; report every id it was told was saved
    # and every error it was given.
    actor = Actor(f"skriver {writer}", "editor")
    saved, failed = [], []
    deadline = time.monotonic() + seconds
    n = 0
    while time.monotonic() < deadline:
        n += 1
        title = f"w{writer}-{n}"
        try:
            with dbmod.opened(path) as db:
                saved.append((records.create(db, actor, "saker", {"title": title}), title))
        except Exception as error:  # reported to the caller, counted by the test
            failed.append(f"{title}: {error}")
    queue.put((writer, saved, failed))


def test_ten_concurrent_writers_lose_no_acknowledged_write(db_path):
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    processes = [context.Process(target=_writer, args=(str(db_path), i, SECONDS, queue)) for i in range(WRITERS)]
    for process in processes:
        process.start()
    results = [queue.get(timeout=300) for _ in processes]  # generous: starting ten interpreters on a busy machine
    for process in processes:
        process.join(timeout=30)
    acknowledged = {record_id: title for _, saved, _ in results for record_id, title in saved}
    failures = [f for _, _, failed in results for f in failed]
    with dbmod.opened(db_path) as db:
        stored = dict(db.execute("SELECT id, title FROM saker").fetchall())
        audited = db.execute("SELECT COUNT(*) FROM audit_log WHERE table_name = 'saker'").fetchone()[0]
    assert len(acknowledged) > WRITERS  # every writer got work done
    assert stored == acknowledged  # nothing acknowledged is missing, nothing unacknowledged was written
    assert audited == len(acknowledged)
    assert failures == []  # with BEGIN IMMEDIATE and a busy timeout, no writer is refused


def test_database_from_the_first_schema_version_keeps_every_row(tmp_path):
    path = tmp_path / "v1.db"
    with dbmod.opened(path) as db:
        migrations.apply(db, stop_before="0002_filter_indexes")
        demo.load(db)
        tables = [t for t in db.table_names() if not t.startswith("_")]
        columns = {t: ", ".join(f"[{c}]" for c in db[t].columns_dict) for t in tables}
        before = {t: db.execute(f"SELECT {columns[t]} FROM [{t}] ORDER BY rowid").fetchall() for t in tables}
    dbmod.ensure_database(path)
    with dbmod.opened(path) as db:
        assert [m.name for m in migrations.migrations.applied(db)] == migrations.all_names()
        for table, rows in before.items():
            # Later migrations may add columns; every value that existed must still be there.
            assert db.execute(f"SELECT {columns[table]} FROM [{table}] ORDER BY rowid").fetchall() == rows, table


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_is_stored_exactly(db, text):
    actor = Actor("Kari", "editor")
    sak = records.create(db, actor, "saker", {"title": text, "description": text, "stance": text})
    row = records.get(db, "saker", sak)
    assert (row["title"], row["description"], row["stance"]) == (text, text, text)
    assert db.execute("SELECT COUNT(*) FROM hoeringer").fetchone()[0] == 0
    assert "saker" in db.table_names()


def test_plain_shows_user_text_literally_in_markdown():
    from krem_advocacy.ui.widgets import plain

    assert plain("<b>fet</b>") == "\\<b\\>fet\\</b\\>"
    assert plain("**x** [a](b)") == "\\*\\*x\\*\\* \\[a\\]\\(b\\)"
