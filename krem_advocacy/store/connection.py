"""The one place that opens the SQLite file: connections for one unit of work, a pool for reads, write transactions."""

import contextlib
import os
import sqlite3
import threading
import weakref
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
        guard(db)
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
            if _IDLE[oldest]:  # a file's list is left empty when all its connections are lent out
                _IDLE[oldest].pop(0)[0].close()
            if not _IDLE[oldest]:
                del _IDLE[oldest]


# What a guarded connection may do at all (sqlite3 authorizer action codes); everything else, every kind of
# write, CREATE, DROP, ALTER, ATTACH and DETACH included, is refused.
_ALLOWED_ACTIONS = frozenset({sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION,
                              sqlite3.SQLITE_RECURSIVE, sqlite3.SQLITE_TRANSACTION, sqlite3.SQLITE_SAVEPOINT,
                              sqlite3.SQLITE_PRAGMA})
# Pragmas that only report something: without an argument, or with a table or index name as argument.
_READ_PRAGMAS = frozenset({"schema_version", "data_version", "user_version", "application_id", "journal_mode",
                           "foreign_keys", "busy_timeout", "query_only", "synchronous", "encoding", "page_size",
                           "page_count", "freelist_count", "compile_options", "database_list", "collation_list",
                           "function_list", "module_list", "pragma_list", "recursive_triggers"})
_NAME_PRAGMAS = frozenset({"table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo",
                           "foreign_key_list"})


# The guards set on connections, by connection: whether a full-text search is running (see `searching`).
_GUARDS: "weakref.WeakKeyDictionary[Database, dict]" = weakref.WeakKeyDictionary()


def guard(db: Database) -> Database:
    """Make a connection read-only for good, at the SQLite level: `query_only`, and an authorizer that
    refuses every write and every direct read of a table a temporary view shadows.

    `query_only` alone can be switched off again (`PRAGMA query_only = OFF`); the authorizer refuses that,
    and any INSERT, UPDATE, DELETE, CREATE, DROP, ALTER or ATTACH, whichever schema it names. On a
    viewer's connection (`visibility.restrict_to_public`) the shadowed tables can be read only through
    their views: `SELECT … FROM saker` reads the public rows, `SELECT … FROM main.saker` is refused
    («not authorized»), and so is their full-text index (`saker_fts`), except inside `searching`.
    Row counts are the one thing SQLite does not let an authorizer tell apart (a COUNT(*) reads no
    column), so they are not refused. Calling it again is harmless.
    """
    db.execute("PRAGMA query_only = ON")
    main_tables = {r[0] for r in db.execute("SELECT name FROM main.sqlite_master WHERE type = 'table'")}
    shadowed = frozenset(r[0] for r in db.execute(
        "SELECT name FROM temp.sqlite_master WHERE type = 'view'") if r[0] in main_tables)
    # The full-text index of a shadowed table (saker_fts and its own tables saker_fts_data, _idx …), and the
    # columns FTS5 reads from the table behind it to show a hit (the indexed ones and the id).
    indexes = {name: table for table in shadowed for name in main_tables
               if name == f"{table}_fts" or name.startswith(f"{table}_fts_")}
    indexed = {table: {"id", *(r[1] for r in db.execute(f"PRAGMA main.table_info([{table}_fts])"))}
               for table in shadowed if f"{table}_fts" in main_tables}
    state = {"searching": False}

    def authorize(action, first, second, schema, inner):
        # `inner` names the view (or trigger) whose own body is being read: the public view itself.
        if action == sqlite3.SQLITE_UPDATE and first in ("sqlite_master", "sqlite_temp_master") and not inner:
            # SQLite asks this while it sets up a table-valued function (json_each, pragma_table_info); no
            # statement can write the schema table (it is read-only without `writable_schema`, itself refused).
            return sqlite3.SQLITE_OK
        if action not in _ALLOWED_ACTIONS:
            return sqlite3.SQLITE_DENY
        if action == sqlite3.SQLITE_READ:
            if schema == "main" and inner is None and first in indexes and not state["searching"]:
                return sqlite3.SQLITE_DENY
            if second and schema == "main" and first in shadowed and inner is None and not (
                    state["searching"] and second in indexed.get(first, ())):
                return sqlite3.SQLITE_DENY
        elif action == sqlite3.SQLITE_PRAGMA:
            name = (first or "").lower()
            if second is None and name not in _READ_PRAGMAS | _NAME_PRAGMAS:
                return sqlite3.SQLITE_DENY
            if second is not None and name not in _NAME_PRAGMAS and not (
                    name == "query_only" and str(second).strip().lower() in ("on", "1", "true", "yes")):
                return sqlite3.SQLITE_DENY
        return sqlite3.SQLITE_OK

    db.conn.set_authorizer(authorize)
    _GUARDS[db] = state
    return db


@contextlib.contextmanager
def searching(db: Database) -> Iterator[Database]:
    """`with searching(db):` run a full-text search on a guarded connection.

    SQLite's FTS5 reads the table behind an index itself (`main.saker`: the indexed columns of a hit) and
    the index's own tables; a guarded viewer's connection lets it only inside this block, and only
    those columns. The search must join every hit with the table as the reader sees it (the public
    view), as `domain/search.py` does, so only public records come out.
    """
    state = _GUARDS.get(db)
    if state is None:
        yield db
        return
    state["searching"] = True
    try:
        yield db
    finally:
        state["searching"] = False


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
