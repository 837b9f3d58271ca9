"""The database as a whole: counts per table, migrations applied, the latest audit entries."""

import pandas as pd
from sqlite_utils import Database

from krem_advocacy.store import migrations
from krem_advocacy.store.connection import read_frame
from krem_advocacy.store.migrations import LINK_TABLES, RECORD_TABLES

SHOWN_TABLES = ["themes", *RECORD_TABLES, *LINK_TABLES, "audit_log", "settings", "feed_seen"]


def table_counts(db: Database, cap: int | None = None) -> pd.DataFrame:
    """Rows per table, in schema order (columns table, rows).

    With `cap`, counting stops at cap + 1: a viewer's change log is counted row by row through what
    viewers may see, which takes long for ten years of changes.
    """
    existing = set(db.table_names())
    limit = f" LIMIT {int(cap) + 1}" if cap is not None else ""
    rows = [(name, db.execute(f"SELECT COUNT(*) FROM (SELECT 1 FROM [{name}]{limit})").fetchone()[0])
            for name in SHOWN_TABLES if name in existing]
    return pd.DataFrame(rows, columns=["table", "rows"])


def applied_migrations(db: Database) -> pd.DataFrame:
    """The migrations applied to this file, in order, and any still pending."""
    applied = {m.name: m.applied_at for m in migrations.migrations.applied(db)}
    return pd.DataFrame([(name, applied.get(name)) for name in migrations.all_names()],
                        columns=["name", "applied_at"])


def recent_audit(db: Database, limit: int = 50) -> pd.DataFrame:
    """The latest changes, newest first (without before/after bodies)."""
    return read_frame(db, """
        SELECT id, at, actor, action, table_name, record_id FROM audit_log
         ORDER BY id DESC LIMIT ?""", [limit])


def export_table(db: Database, table: str, include_internal: bool = False) -> pd.DataFrame:
    """All rows of one shown table, without internal notes unless asked for."""
    if table not in SHOWN_TABLES:
        raise ValueError(f"unknown table: {table}")
    frame = read_frame(db, f"SELECT * FROM [{table}]")
    if not include_internal and "internal_notes" in frame.columns:
        frame = frame.drop(columns=["internal_notes"])
    return frame
