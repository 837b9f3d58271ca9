"""The one place that opens the SQLite file: connections for one unit of work, a pool for reads, write transactions."""

import contextlib
import os
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
from sqlite_utils import Database

from krem_advocacy import config

BUSY_TIMEOUT_MS = 10_000


def connect(path: Path | str | None = None) -> Database:
    """Open a connection for one unit of work (WAL, foreign keys, busy timeout).

    Never share one across sessions or threads: open, use, close.
    """
    path = Path(path) if path is not None else config.db_path()
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    return Database(conn, execute_plugins=False)


@contextlib.contextmanager
def opened(path: Path | str | None = None) -> Iterator[Database]:
    """`with opened() as db:` opens a connection and always closes it."""
    db = connect(path)
    try:
        yield db
    finally:
        db.close()


# Idle read connections kept for `borrowed`, newest last: (path, kind) -> [(db, file identity, schema)].
_IDLE: "OrderedDict[tuple[str, str], list[tuple[Database, tuple, int]]]" = OrderedDict()
_IDLE_LOCK = threading.Lock()
MAX_IDLE = 8  # connections kept open in all; more are closed after use


def _identity(path: str) -> tuple | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_dev, stat.st_ino)


def _schema_version(db: Database) -> int:
    return db.execute("PRAGMA main.schema_version").fetchone()[0]


@contextlib.contextmanager
def borrowed(path: Path | str, kind: str = "", prepare: Callable[[Database], object] | None = None
             ) -> Iterator[Database]:
    """`with borrowed(path) as db:` a connection for reads, taken from a small pool and given back after.

    For cached page reads, which would otherwise open a connection each: opening one, and preparing it
    (`prepare`, e.g. a viewer's connection gets a view per table), costs more than most page queries.
    Connections are pooled per file and `kind` (what `prepare` made of them) and used again only while
    the file is the same (same inode) with the same schema; one that fails or is left inside a
    transaction is closed instead.
    """
    key = (str(path), kind)
    identity = _identity(key[0])
    db = None
    with _IDLE_LOCK:
        idle = _IDLE.get(key, [])
        while idle and db is None:
            candidate, seen, schema = idle.pop()
            try:
                fits = seen == identity and _schema_version(candidate) == schema
            except sqlite3.Error:
                fits = False
            if fits:
                db = candidate
            else:
                candidate.close()
    if db is None:
        db = connect(path)
        if prepare is not None:
            prepare(db)
        # Lent for reads only: a page bug that tries to write through it fails instead of writing.
        db.execute("PRAGMA query_only = ON")
    try:
        yield db
    except BaseException:
        db.close()
        raise
    if db.conn.in_transaction or identity is None:
        db.close()
        return
    schema = _schema_version(db)
    with _IDLE_LOCK:
        _IDLE.setdefault(key, []).append((db, identity, schema))
        _IDLE.move_to_end(key)
        while sum(len(v) for v in _IDLE.values()) > MAX_IDLE:
            oldest = next(iter(_IDLE))
            _IDLE[oldest].pop(0)[0].close()
            if not _IDLE[oldest]:
                del _IDLE[oldest]


@contextlib.contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """Run a block of writes as one `BEGIN IMMEDIATE` transaction; roll back on any error.

    IMMEDIATE takes the write lock up front, so concurrent writers wait (busy timeout)
    instead of failing at once with "database is locked" as a plain BEGIN does in WAL mode.
    Nested calls join the outer transaction.
    """
    if db.conn.in_transaction:
        yield db
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.conn.rollback()
        raise
    else:
        db.conn.commit()


def revision(db: Database) -> int:
    """A number that grows with every change; cached reads are keyed by it."""
    row = db.execute("SELECT value FROM meta WHERE key = 'revision'").fetchone()
    return row[0] if row else 0


def read_frame(db: Database, sql: str, params=None) -> pd.DataFrame:
    """Run a SELECT and return a pandas DataFrame (the shape every query module returns)."""
    cursor = db.execute(sql, params or [])
    columns = [d[0] for d in cursor.description]
    return pd.DataFrame(cursor.fetchall(), columns=columns)


def read_rows(db: Database, sql: str, params=None) -> list[dict]:
    """Run a SELECT and return its rows as dicts, with None for NULL (a record's nested children)."""
    cursor = db.execute(sql, params or [])
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


def read_one(db: Database, sql: str, params=None) -> dict | None:
    """Run a SELECT and return its first row as a dict, or None."""
    cursor = db.execute(sql, params or [])
    row = cursor.fetchone()
    return dict(zip([d[0] for d in cursor.description], row)) if row else None
