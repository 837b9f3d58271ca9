"""Backups of the whole database and restoring one, with every check done before the live file is touched.

Copies are made with SQLite's backup API (consistent even while others write), never by copying
the file. A restore checks the upload on a private copy first (SQLite header, full length, integrity,
this app's migrations and tables, migrates it forward), keeps the current file as a dated copy, and
only then writes the upload into the live file, again with the backup API so open connections see it.
"""

import json
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from krem_advocacy.store import migrations
from krem_advocacy.store.connection import opened, write_transaction
from krem_advocacy.store.errors import KremError
from krem_advocacy.store.permissions import ADMINISTER, EDIT, Actor, require
from krem_advocacy.store.records import now_iso

SQLITE_HEADER = b"SQLite format 3\x00"
MIGRATION_SET = "krem_advocacy"
# Tables every database of this app has had since its first migration.
CORE_TABLES = (*migrations.RECORD_TABLES, *migrations.LINK_TABLES, "themes", "audit_log", "settings")


class RestoreRefused(KremError):
    """The uploaded file is not a database this app can restore; `key` names the i18n message."""

    def __init__(self, key: str, detail: str = ""):
        self.key = key
        self.detail = detail
        super().__init__(f"{key}: {detail}" if detail else key)


@dataclass(frozen=True)
class RestoreResult:
    """What a restore did: the dated copy of the data it replaced, and migrations run on the upload."""

    kept_copy: Path
    migrated: list[str]


def backups_dir(db_path: Path | str) -> Path:
    """Where dated copies are kept: `backups/` next to the database file."""
    return Path(db_path).resolve().parent / "backups"


def backup_file_name(now: datetime | None = None) -> str:
    """A dated file name such as `krem-20260302-141500.db` (UTC)."""
    now = now or datetime.now(UTC)
    return f"krem-{now.astimezone(UTC):%Y%m%d-%H%M%S}.db"


def backup_to(db_path: Path | str, target: Path | str) -> Path:
    """Write a consistent copy of the database to `target` (a single file, no -wal needed)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(str(db_path))
    copy = sqlite3.connect(str(target))
    try:
        source.backup(copy)
        # The copy should be one self-contained file: leave WAL mode so no side files are needed.
        copy.execute("PRAGMA journal_mode = DELETE")
    finally:
        copy.close()
        source.close()
    return target


def backup_bytes(db_path: Path | str, actor: Actor) -> bytes:
    """The whole database as bytes for a download (editors and admins: it holds internal notes)."""
    require(actor, EDIT)
    with tempfile.TemporaryDirectory() as folder:
        return backup_to(db_path, Path(folder) / "copy.db").read_bytes()


def keep_copy(db_path: Path | str, now: datetime | None = None) -> Path:
    """Save a dated copy of the current database in `backups/`; return its path."""
    folder = backups_dir(db_path)
    target = folder / backup_file_name(now)
    stem, counter = target.stem, 1
    while target.exists():  # two restores in one second must not overwrite the first copy
        target = folder / f"{stem}-{counter}.db"
        counter += 1
    return backup_to(db_path, target)


def list_backups(db_path: Path | str) -> list[Path]:
    """The dated copies kept next to the database, newest first."""
    folder = backups_dir(db_path)
    return sorted(folder.glob("krem-*.db"), reverse=True) if folder.exists() else []


def check_upload(data: bytes, folder: Path) -> tuple[Path, list[str]]:
    """Check an uploaded database on a private copy in `folder`; return (that copy, migrations run on it).

    Raises RestoreRefused with a message key for: not an SQLite file, a cut-off file, a damaged
    file, another application's database, or a database from a newer version of this app.
    """
    if len(data) < 100 or not data.startswith(SQLITE_HEADER):
        raise RestoreRefused("restore.not_sqlite")
    page_size = int.from_bytes(data[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(data[28:32], "big")
    # The header's page count is valid when its change counter matches "version-valid-for".
    if data[24:28] == data[92:96] and pages and len(data) < pages * page_size:
        raise RestoreRefused("restore.truncated", f"{len(data)} of {pages * page_size} bytes")
    if len(data) % page_size:
        raise RestoreRefused("restore.truncated", f"{len(data)} bytes is not a whole number of pages")
    candidate = folder / "upload.db"
    candidate.write_bytes(data)
    try:
        with opened(candidate) as db:
            result = [r[0] for r in db.execute("PRAGMA integrity_check").fetchall()]
            if result != ["ok"]:
                raise RestoreRefused("restore.damaged", "; ".join(result[:3]))
            _check_is_ours(db)
            migrated = migrations.apply(db)
            if db.execute("PRAGMA foreign_key_check").fetchone() is not None:
                raise RestoreRefused("restore.damaged", "foreign keys point to missing rows")
    except sqlite3.DatabaseError as error:
        raise RestoreRefused("restore.damaged", str(error)) from error
    return candidate, migrated


def restore(db_path: Path | str, data: bytes, actor: Actor, now: datetime | None = None) -> RestoreResult:
    """Replace the live database with an uploaded backup (admins only).

    Every check runs before anything is changed; a refused file raises RestoreRefused and the live
    data stays as it was. The current data is kept as a dated copy first.
    """
    require(actor, ADMINISTER)
    db_path = Path(db_path)
    with tempfile.TemporaryDirectory() as folder:
        candidate, migrated = check_upload(data, Path(folder))
        kept = keep_copy(db_path, now)
        with opened(db_path) as live:
            before = _revision(live)
        source = sqlite3.connect(str(candidate))
        target = sqlite3.connect(str(db_path), timeout=10)
        try:
            _match_page_size(source, target, candidate)
            source.backup(target)
        finally:
            target.close()
            source.close()
    with opened(db_path) as live:
        migrations.apply(live)
        _after_restore(live, actor, before, kept, migrated)
    return RestoreResult(kept, migrated)


def _check_is_ours(db: Database) -> None:
    tables = set(db.table_names())
    if "_sqlite_migrations" not in tables:
        raise RestoreRefused("restore.not_ours", "no migrations table")
    names = [r[0] for r in db.execute(
        "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", [MIGRATION_SET])]
    if not names:
        raise RestoreRefused("restore.not_ours", "no migrations of this app")
    unknown = sorted(set(names) - set(migrations.all_names()))
    if unknown:
        raise RestoreRefused("restore.newer", ", ".join(unknown))
    missing = [t for t in CORE_TABLES if t not in tables]
    if missing:
        raise RestoreRefused("restore.not_ours", "missing tables: " + ", ".join(missing))


def _match_page_size(source: sqlite3.Connection, target: sqlite3.Connection, candidate: Path) -> None:
    # The backup API cannot copy into a WAL database with another page size: rebuild the upload to match.
    wanted = target.execute("PRAGMA page_size").fetchone()[0]
    if source.execute("PRAGMA page_size").fetchone()[0] != wanted:
        source.execute("PRAGMA journal_mode = DELETE")
        source.execute(f"PRAGMA page_size = {int(wanted)}")
        source.execute("VACUUM")


def _revision(db: Database) -> int:
    row = db.execute("SELECT value FROM meta WHERE key = 'revision'").fetchone()
    return row[0] if row else 0


def _after_restore(db: Database, actor: Actor, before: int, kept: Path, migrated: list[str]) -> None:
    # The restored file's revision counter may be lower than the one it replaces; cached pages are
    # keyed by it, so move it past the old value or they would show the replaced data.
    with write_transaction(db):
        db.execute("UPDATE meta SET value = MAX(value, ?) + 1 WHERE key = 'revision'", [before])
        db.execute(
            "INSERT INTO audit_log (at, actor, action, table_name, record_id, before, after) "
            "VALUES (?, ?, 'restore', 'database', NULL, ?, ?)",
            [now_iso(), actor.name, json.dumps({"kept_copy": kept.name}),
             json.dumps({"migrated": migrated}, ensure_ascii=False)])

