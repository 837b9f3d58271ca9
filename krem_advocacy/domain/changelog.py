"""The change log: who changed what and when, with before and after, filtered by record, person and date."""

import json
from datetime import UTC, date, datetime, time, timedelta

import pandas as pd
from sqlite_utils import Database

from krem_advocacy.store.connection import read_frame
from krem_advocacy.store.migrations import LINK_TABLES, RECORD_TABLES

# The column that names a record of each table in the log (title unless listed).
LABEL_COLUMNS = {"organisations": "name", "people": "name", "tilsagn": "text", "budget_years": "budget_year",
                 "person_roles": "title"}
# Bookkeeping fields that every update touches: left out of the before/after table.
QUIET_FIELDS = ("version", "updated_at", "created_at")


def _zone():
    # Times are stored in UTC and shown in Norwegian time; fall back to UTC where tzdata is missing.
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo("Europe/Oslo")
    except Exception:
        return UTC


def local_time(value: str) -> datetime:
    """A stored UTC timestamp as Norwegian local time."""
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(_zone())


def _where(table_name: str | None, record_id: int | None, actor: str | None,
           start: date | None, end: date | None) -> tuple[str, list]:
    clauses, params = [], []
    if table_name:
        clauses.append("table_name = ?")
        params.append(table_name)
    if record_id is not None:
        clauses.append("record_id = ?")
        params.append(int(record_id))
    if actor:
        clauses.append("actor = ?")
        params.append(actor)
    # Dates are chosen in Norwegian time; the log is in UTC: compare with the UTC bounds of those days.
    if start:
        clauses.append("at >= ?")
        params.append(datetime.combine(start, time.min, _zone()).astimezone(UTC).isoformat(timespec="seconds"))
    if end:
        clauses.append("at < ?")
        params.append(datetime.combine(end + timedelta(days=1), time.min, _zone())
                      .astimezone(UTC).isoformat(timespec="seconds"))
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def changes(db: Database, table_name: str | None = None, record_id: int | None = None, actor: str | None = None,
            start: date | None = None, end: date | None = None, limit: int = 50) -> pd.DataFrame:
    """The newest changes matching the filters (columns id, at, actor, action, table_name, record_id,
    before, after, label), newest first."""
    where, params = _where(table_name, record_id, actor, start, end)
    frame = read_frame(db, f"SELECT id, at, actor, action, table_name, record_id, before, after FROM audit_log"
                           f"{where} ORDER BY at DESC, id DESC LIMIT ?", [*params, int(limit)])
    labels = record_labels(db, frame)
    frame["label"] = [labels.get((t, r), "") for t, r in zip(frame["table_name"], frame["record_id"])]
    return frame


def count_changes(db: Database, table_name: str | None = None, record_id: int | None = None,
                  actor: str | None = None, start: date | None = None, end: date | None = None,
                  cap: int | None = None) -> int:
    """How many changes match the filters; with `cap`, counting stops at cap + 1 (more than `cap`)."""
    where, params = _where(table_name, record_id, actor, start, end)
    if cap is None:
        return db.execute(f"SELECT COUNT(*) FROM audit_log{where}", params).fetchone()[0]
    # Ten years of changes seen through a viewer's filter take a while to count one by one.
    return db.execute(f"SELECT COUNT(*) FROM (SELECT 1 FROM audit_log{where} LIMIT ?)",
                      [*params, int(cap) + 1]).fetchone()[0]


# The distinct names in the log are few; each is kept when the reader may see at least one of its
# changes. (Reading the distinct names from the whole log as the reader sees it would check every
# row against what viewers may see; the view audit_log_names holds the names of the unfiltered log,
# and nothing else, and is used only for the names.)
ACTORS_SQL = """
SELECT a.actor FROM (SELECT DISTINCT actor FROM audit_log_names) a
 WHERE EXISTS (SELECT 1 FROM audit_log v WHERE v.actor = a.actor)
 ORDER BY a.actor COLLATE NOCASE"""
TABLES_SQL = """
SELECT t.table_name FROM (SELECT DISTINCT table_name FROM audit_log_names) t
 WHERE EXISTS (SELECT 1 FROM audit_log v WHERE v.table_name = t.table_name)"""


def actors(db: Database) -> list[str]:
    """Everyone who has changed something the reader may see, by name."""
    return [r[0] for r in db.execute(ACTORS_SQL)]


def tables(db: Database) -> list[str]:
    """The kinds of record that have changes in the log, in schema order."""
    present = {r[0] for r in db.execute(TABLES_SQL)}
    ordered = [t for t in (*RECORD_TABLES, *LINK_TABLES) if t in present]
    return ordered + sorted(present - set(ordered))


def records_of(db: Database, table_name: str) -> pd.DataFrame:
    """The records of one table that have changes in the log (columns record_id, label), by label."""
    frame = read_frame(db, "SELECT DISTINCT ? AS table_name, record_id FROM audit_log "
                           "WHERE table_name = ? AND record_id IS NOT NULL", [table_name, table_name])
    labels = record_labels(db, frame)
    frame["label"] = [labels.get((table_name, r), "") for r in frame["record_id"]]
    return frame[["record_id", "label"]].sort_values(["label", "record_id"], key=lambda s: s.astype(str).str.lower()
                                                     ).reset_index(drop=True)


def record_labels(db: Database, frame: pd.DataFrame) -> dict[tuple[str, int], str]:
    """A readable name for each (table_name, record_id) in `frame`: its title now, or when it was deleted.

    Names that the reader may not see (a record hidden from viewers) stay empty.
    """
    labels: dict[tuple[str, int], str] = {}
    if frame.empty:
        return labels
    pairs = {(t, int(r)) for t, r in zip(frame["table_name"], frame["record_id"]) if r == r and r is not None}
    for table in {t for t, _ in pairs if t in RECORD_TABLES}:
        column = LABEL_COLUMNS.get(table, "title")
        ids = sorted(r for t, r in pairs if t == table)
        marks = ", ".join("?" for _ in ids)
        for record_id, label in db.execute(f"SELECT id, [{column}] FROM [{table}] WHERE id IN ({marks})", ids):
            labels[(table, record_id)] = str(label)
        # Deleted records: the name they had, from the log's last "before" body (viewers get it stripped
        # of internal fields, and not at all for records hidden from them).
        for record_id in [r for r in ids if (table, r) not in labels]:
            row = db.execute(f"SELECT json_extract(before, '$.{column}') FROM audit_log WHERE table_name = ? "
                             "AND record_id = ? AND action = 'delete' ORDER BY id DESC LIMIT 1",
                             [table, record_id]).fetchone()
            if row and row[0] is not None:
                labels[(table, record_id)] = str(row[0])
    return labels


def field_changes(before: str | None, after: str | None) -> list[tuple[str, object, object]]:
    """The fields of one log entry as (field, before, after), bookkeeping fields left out."""
    # Missing bodies come from pandas as NaN, not None.
    old = json.loads(before) if isinstance(before, str) and before else {}
    new = json.loads(after) if isinstance(after, str) and after else {}
    fields = [k for k in dict.fromkeys([*old, *new]) if k not in QUIET_FIELDS]
    return [(k, old.get(k), new.get(k)) for k in fields
            if not (k not in old and new.get(k) in (None, "")) and not (k not in new and old.get(k) in (None, ""))]
