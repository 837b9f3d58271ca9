"""Settings kept in the database (the `settings` table): read one, save or forget one, audited when asked."""

from sqlite_utils import Database

from krem_advocacy.store.connection import write_transaction
from krem_advocacy.store.permissions import Actor
from krem_advocacy.store.records import audit, now_iso

UPSERT_SQL = ("INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) "
              "ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at")


def get(db: Database, key: str) -> str | None:
    """The saved value of a setting, or None."""
    row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def put(db: Database, key: str, value: str | None, actor: Actor | None = None) -> bool:
    """Save a setting (None forgets it); with `actor`, a change is written to the audit log.

    Returns True when the value changed. The caller checks who may change it.
    """
    with write_transaction(db):
        before = get(db, key)
        if value is None:
            db.execute("DELETE FROM settings WHERE key = ?", [key])
        else:
            db.execute(UPSERT_SQL, [key, str(value), now_iso()])
        changed = before != (None if value is None else str(value))
        if changed and actor is not None:
            audit(db, actor, "update", "settings", None, {key: before}, {key: value})
    return changed
