"""The one write path for records: role check, optimistic version check, timestamps and the audit log.

Rows are written with sqlite-utils' Table API (identifiers quoted there), inside the caller's
`BEGIN IMMEDIATE` transaction (`connection.write_transaction`); this module adds the rest.
"""

import json
from datetime import UTC, datetime

from sqlite_utils import Database
from sqlite_utils.db import NotFoundError

from krem_advocacy.store.connection import write_transaction
from krem_advocacy.store.errors import ConflictError
from krem_advocacy.store.migrations import RECORD_TABLES
from krem_advocacy.store.permissions import EDIT, Actor, require


def now_iso() -> str:
    """The current UTC time as ISO 8601 with seconds, as stored in created/updated/audit columns."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def get(db: Database, table: str, record_id: int) -> dict | None:
    """One row as a dict, or None."""
    _check_table(table)
    try:
        return db[table].get(record_id)
    except NotFoundError:
        return None


def locked(db: Database, table: str, record_id: int, expected_version: int) -> dict:
    """The saved row if nobody saved it since `expected_version` (call inside the write transaction).

    The one version check: raises ConflictError with the row as saved now (None when it is gone).
    """
    current = get(db, table, record_id)
    if current is None or current["version"] != expected_version:
        raise ConflictError(table, record_id, expected_version, current)
    return current


def audit(db: Database, actor: Actor, action: str, table: str, record_id: int | None,
          before: dict | None, after: dict | None) -> None:
    """Append one row to the audit log (call inside the write's transaction)."""
    db.execute(
        "INSERT INTO audit_log (at, actor, action, table_name, record_id, before, after) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [now_iso(), actor.name, action, table, record_id,
         _dump(before), _dump(after)],
    )


def create(db: Database, actor: Actor, table: str, values: dict, action: str = "create") -> int:
    """Insert a record with timestamps and version 1, audited; return its id."""
    require(actor, EDIT)
    _check_table(table)
    stamp = now_iso()
    row = {**values, "created_at": stamp, "updated_at": stamp, "version": 1}
    with write_transaction(db):
        record_id = db[table].insert(row).last_pk
        audit(db, actor, action, table, record_id, None, get(db, table, record_id))
    return record_id


def update(db: Database, actor: Actor, table: str, record_id: int, values: dict,
           expected_version: int, action: str = "update") -> int:
    """Change a record if nobody saved it since `expected_version`; return the new version.

    Raises ConflictError (with the current row) instead of overwriting someone else's edit.
    """
    require(actor, EDIT)
    _check_table(table)
    with write_transaction(db):
        before = locked(db, table, record_id, expected_version)
        # The version was checked inside this BEGIN IMMEDIATE transaction: no other writer can come between.
        db[table].update(record_id, {**values, "updated_at": now_iso(), "version": expected_version + 1})
        after = get(db, table, record_id)
        audit(db, actor, action, table, record_id, _changed(before, after, "before"),
              _changed(before, after, "after"))
    return after["version"]


def delete(db: Database, actor: Actor, table: str, record_id: int, expected_version: int) -> None:
    """Delete a record if it is unchanged since `expected_version`, keeping it in the audit log."""
    require(actor, EDIT)
    _check_table(table)
    with write_transaction(db):
        before = locked(db, table, record_id, expected_version)
        db[table].delete(record_id)
        audit(db, actor, "delete", table, record_id, before, None)


def set_links(db: Database, actor: Actor, table: str, owner_column: str, owner_id: int,
              other_column: str, other_ids: list[int]) -> None:
    """Replace the many-to-many links of one record (e.g. a høring's co-signers), audited."""
    require(actor, EDIT)
    with write_transaction(db):
        old = sorted(r[0] for r in db.execute(
            f"SELECT [{other_column}] FROM [{table}] WHERE [{owner_column}] = ?", [owner_id]))
        new = sorted(set(int(i) for i in other_ids))
        if old == new:
            return
        db.execute(f"DELETE FROM [{table}] WHERE [{owner_column}] = ?", [owner_id])
        for other_id in new:
            db.execute(f"INSERT INTO [{table}] ([{owner_column}], [{other_column}]) VALUES (?, ?)",
                       [owner_id, other_id])
        audit(db, actor, "link", table, owner_id, {other_column: old}, {other_column: new})


def _changed(before: dict, after: dict, side: str) -> dict:
    # Keep the audit row small: only the fields that changed (plus version).
    keys = [k for k in after if before.get(k) != after.get(k) and k != "updated_at"]
    source = before if side == "before" else after
    return {k: source.get(k) for k in keys}


def _dump(value: dict | None) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, default=str)


def _check_table(table: str) -> None:
    # Table names are interpolated into SQL: allow only the known record tables.
    if table not in RECORD_TABLES:
        raise ValueError(f"not a record table: {table}")
