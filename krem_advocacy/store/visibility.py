"""What each role may see: viewers never get internal fields, internal records or what hangs on them.

Two things are internal:
- the columns in INTERNAL_COLUMNS (`internal_notes` on every record table), always;
- a whole record whose `is_internal` is 1 (marked per record by an editor), together with the
  records owned by it (an internal meeting's agenda items and tilsagn) and its link rows.

Pages read through `ui.data.read`, which gives viewers a connection made by `restrict_to_public`:
every record table is shadowed there by a temporary view of the same name holding only what a viewer
may see, so no query in any area module can leak an internal field by forgetting a filter.
Exports call `read_table` (or `filter_frame` on a frame they read themselves).
"""

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
from sqlite_utils import Database

from krem_advocacy.store import migrations, records
from krem_advocacy.store.connection import guard, opened, read_frame
from krem_advocacy.store.permissions import SEE_INTERNAL, Actor

# Columns that are never shown to viewers, on whichever table has them.
INTERNAL_COLUMNS = ("internal_notes",)
# The per-record mark: 1 = the whole record is internal.
FLAG = "is_internal"
# Tables viewers never read at all.
PRIVATE_TABLES = ("login_attempts", "calendar_tokens", "account_people", "notification_subscriptions",
                  "notification_keys", "notification_runs", "notification_log")


def sees_internal(actor: Actor) -> bool:
    """True when this role may see internal fields and records (signed-in editors and admins)."""
    return actor.can(SEE_INTERNAL)


def hidden_columns(table: str, actor: Actor, db: Database | None = None) -> list[str]:
    """The columns of `table` this role may not see (the flag itself is left out too, for tidiness)."""
    if sees_internal(actor):
        return []
    return [c for c in _table_columns(table, db) if c in INTERNAL_COLUMNS or c == FLAG]


def visible_columns(table: str, actor: Actor, db: Database | None = None) -> list[str]:
    """The columns of `table` this role may see, in schema order.

    Without `db` the schema of this version of the app is used.
    """
    hidden = set(hidden_columns(table, actor, db))
    return [c for c in _table_columns(table, db) if c not in hidden]


def filter_frame(table: str, frame: pd.DataFrame, actor: Actor) -> pd.DataFrame:
    """A frame read from `table` cut down to what this role may see.

    Drops internal columns and rows marked internal. Rows owned by an internal record (an agenda item
    of an internal meeting) can only be told apart with the database: use `read_table` for those.
    """
    if sees_internal(actor):
        return frame
    if table in PRIVATE_TABLES:
        return frame.iloc[0:0]
    if FLAG in frame.columns:
        frame = frame[frame[FLAG].fillna(0).astype(int) != 1]
    drop = [c for c in frame.columns if c in INTERNAL_COLUMNS or c == FLAG]
    return frame.drop(columns=drop).reset_index(drop=True)


def read_table(db: Database, table: str, actor: Actor) -> pd.DataFrame:
    """Every row and column of one table that this role may see (for exports)."""
    if sees_internal(actor):
        return read_frame(db, f"SELECT * FROM main.[{_known(db, table)}]")
    frame = read_frame(db, public_select(db, _known(db, table)))
    return filter_frame(table, frame, actor)


def is_internal_record(db: Database, table: str, record_id: int) -> bool:
    """True when the record, or the record that owns it, is marked internal."""
    if table not in migrations.RECORD_TABLES:
        return False
    visible = db.execute(f"SELECT 1 FROM ({public_select(db, table)}) WHERE id = ?", [record_id]).fetchone()
    exists = db.execute(f"SELECT 1 FROM main.[{table}] WHERE id = ?", [record_id]).fetchone()
    return bool(exists) and not visible


def set_internal(db: Database, actor: Actor, table: str, record_id: int, internal: bool,
                 expected_version: int) -> int:
    """Mark a record internal (hidden from viewers) or public again; return its new version."""
    return records.update(db, actor, table, record_id, {FLAG: 1 if internal else 0}, expected_version)


def restrict_to_public(db: Database) -> Database:
    """Make this connection see only what a viewer may: temporary views shadow the tables.

    Unqualified table names resolve to the `temp` schema first, so every query written against
    `saker`, `meetings` … now reads the public view. The connection is then guarded
    (`connection.guard`): every write is refused, and so is every direct read of a shadowed table
    (`main.saker`, `main.audit_log`, `main.login_attempts` …), so a page bug can neither write nor leak.
    """
    for statement in _view_statements(db):
        db.execute(statement)
    return guard(db)


_STATEMENTS: dict[int, list[str]] = {}


def _view_statements(db: Database) -> list[str]:
    # Building the views reads the schema table by table; the result only changes with the schema,
    # so it is kept per schema text (every cached read of a viewer opens a connection).
    schema = db.execute("SELECT group_concat(sql, ';') FROM (SELECT sql FROM main.sqlite_master ORDER BY name)")
    key = hash(schema.fetchone()[0])
    if key not in _STATEMENTS:
        statements = []
        for table in _main_tables(db):
            select = public_select(db, table)
            if select != f"SELECT * FROM main.[{table}]":
                statements.append(f"CREATE TEMP VIEW IF NOT EXISTS [{table}] AS {select}")
        _STATEMENTS[key] = statements
    return _STATEMENTS[key]


@contextlib.contextmanager
def opened_for(path: Path | str, actor: Actor) -> Iterator[Database]:
    """`with opened_for(path, actor) as db:` a connection that shows this role what it may see."""
    with opened(path) as db:
        if not sees_internal(actor):
            restrict_to_public(db)
        yield db


def public_select(db: Database, table: str) -> str:
    """The SELECT that gives a viewer's rows of one table (same columns, internal ones NULL)."""
    if table in PRIVATE_TABLES:
        return f"SELECT * FROM main.[{table}] WHERE 0"
    if table == "audit_log":
        return _public_audit(db)
    columns = _table_columns(table, db)
    conditions = []
    if table in migrations.RECORD_TABLES or table in migrations.LINK_TABLES:
        if FLAG in columns:
            conditions.append(f"[{FLAG}] = 0")
        for column, parent in _owners(db, table):
            conditions.append(f"([{column}] IS NULL OR [{column}] IN (SELECT id FROM ({public_select(db, parent)})))")
    if not conditions and not set(columns) & set(INTERNAL_COLUMNS):
        return f"SELECT * FROM main.[{table}]"
    shown = ", ".join(f"NULL AS [{c}]" if c in INTERNAL_COLUMNS else f"[{c}]" for c in columns)
    where = " WHERE " + " AND ".join(conditions) if conditions else ""
    return f"SELECT {shown} FROM main.[{table}]{where}"


def _public_audit(db: Database) -> str:
    # Internal fields are cut out of the before/after bodies; the history of a record a viewer may
    # not see is left out (for a deleted record: if it was ever marked internal).
    strip = ", ".join(f"'$.{c}'" for c in (*INTERNAL_COLUMNS, FLAG))
    visible_record = []
    for table in migrations.RECORD_TABLES:
        if table in _main_tables(db):
            visible_record.append(
                f"(a.table_name = '{table}' AND (a.record_id IN (SELECT id FROM ({public_select(db, table)})) "
                f"OR (a.record_id NOT IN (SELECT id FROM main.[{table}]) AND NOT EXISTS ("
                f"SELECT 1 FROM main.audit_log d WHERE d.table_name = a.table_name AND d.record_id = a.record_id "
                f"AND (json_extract(d.before, '$.{FLAG}') = 1 OR json_extract(d.after, '$.{FLAG}') = 1)))))")
    for table in migrations.LINK_TABLES:
        owners = _owners(db, table)
        if owners:
            # A link row's audit entry is filed under the owning record (the first column).
            parent = owners[0][1]
            visible_record.append(f"(a.table_name = '{table}' AND a.record_id IN "
                                  f"(SELECT id FROM ({public_select(db, parent)})))")
    known = ", ".join(f"'{t}'" for t in (*migrations.RECORD_TABLES, *migrations.LINK_TABLES))
    condition = " OR ".join([f"a.table_name NOT IN ({known})", *visible_record])
    return (f"SELECT a.id, a.at, a.actor, a.action, a.table_name, a.record_id, "
            f"json_remove(a.before, {strip}) AS before, json_remove(a.after, {strip}) AS after "
            f"FROM main.audit_log a WHERE {condition}")


def _owners(db: Database, table: str) -> list[tuple[str, str]]:
    # Foreign keys that make a row belong to a record (ON DELETE CASCADE), e.g. agenda_items.meeting_id.
    rows = db.execute(f"PRAGMA main.foreign_key_list([{table}])").fetchall()
    return [(row[3], row[2]) for row in rows
            if row[6] == "CASCADE" and row[2] in migrations.RECORD_TABLES and row[2] != table]


def _main_tables(db: Database) -> list[str]:
    return [r[0] for r in db.execute(
        "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]


def _known(db: Database, table: str) -> str:
    # Table names are interpolated into SQL: allow only tables that exist.
    if table not in _main_tables(db):
        raise ValueError(f"unknown table: {table}")
    return table


def _table_columns(table: str, db: Database | None) -> list[str]:
    if db is None:
        return list(migrations.schema().get(table, []))
    return [row[1] for row in db.execute(f"PRAGMA main.table_info([{table}])")]


def record_state(db: Database, table: str, record_id: int) -> dict | None:
    """Whether one record is marked internal, and its version (for the editor's switch)."""
    if table not in migrations.RECORD_TABLES:
        raise ValueError(f"not a record table: {table}")
    row = db.execute(f"SELECT [{FLAG}], version FROM [{table}] WHERE id = ?", [int(record_id)]).fetchone()
    return {"is_internal": bool(row[0]), "version": row[1]} if row else None
