"""Load the demo dataset from the readable YAML files in data/demo/ into a database.

Format (see data/demo/README.md): one file per table, a list of records whose keys are the
table's columns. A record may have a `key` that other records use to refer to it: a column
ending in `_id` given a string is looked up by key in the table it references. Dates may be
literal (`2024-02-06`) or relative to the day the database is created (`today+10`,
`today-3`, `today+18 12:00`), so the demo never goes stale; years may be `year+1`.
"""

import re
from datetime import date, datetime, timedelta
from pathlib import Path

import yaml
from sqlite_utils import Database

from krem_advocacy import config
from krem_advocacy.domain import kinds
from krem_advocacy.store import settings
from krem_advocacy.store.connection import write_transaction
from krem_advocacy.store.permissions import SYSTEM
from krem_advocacy.store.records import audit, now_iso

# The setting that says the demo was loaded (and on which day), so it is never loaded twice.
DEMO_LOADED_KEY = "demo_loaded_on"

# Load order respects foreign keys.
FILES = [
    "themes",
    "organisations",
    "people",
    "saker",
    "hoeringer",
    "budget_years",
    "budget_inputs",
    "meetings",
]

# Which table a `*_id` column refers to, and the nested lists of ids in a record (link name -> link),
# as each kind declares them.
REFERENCES = {table: kind.references for table, kind in kinds.BY_TABLE.items()}
LINKS = {table: {link.name: link for link in kind.links if link.setter is None}
         for table, kind in kinds.BY_TABLE.items()}

_RELATIVE = re.compile(r"^today([+-]\d+)?(?: (\d{1,2}:\d{2}))?$")
_YEAR = re.compile(r"^year([+-]\d+)?$")


def resolve_value(value, today: date):
    """Turn `today+N [HH:MM]` into an ISO date (or date-time) and `year+N` into a year."""
    if not isinstance(value, str):
        if isinstance(value, datetime):
            return value.isoformat(timespec="minutes")
        if isinstance(value, date):
            return value.isoformat()
        return value
    match = _RELATIVE.match(value.strip())
    if match:
        day = today + timedelta(days=int(match.group(1) or 0))
        if not match.group(2):
            return day.isoformat()
        hour, minute = match.group(2).split(":")
        return f"{day.isoformat()}T{int(hour):02d}:{minute}"
    match = _YEAR.match(value.strip())
    if match:
        return today.year + int(match.group(1) or 0)
    return value


def read_files(directory: Path | None = None) -> dict[str, list[dict]]:
    """Read every demo file into lists of records (missing files give empty lists)."""
    directory = directory or config.DEMO_DIR
    data = {}
    for name in FILES:
        path = directory / f"{name}.yaml"
        data[name] = yaml.safe_load(path.read_text(encoding="utf-8")) or [] if path.exists() else []
    return data


def load(db: Database, directory: Path | None = None, today: date | None = None) -> dict[str, int]:
    """Insert the demo data in one transaction unless it was loaded before; return counts per table."""
    today = today or date.today()
    data = read_files(directory)
    counts: dict[str, int] = {}
    with write_transaction(db):
        if settings.get(db, DEMO_LOADED_KEY) is not None:
            return counts
        keys: dict[str, dict[str, int]] = {}
        for table in FILES:
            for record in data[table]:
                _insert(db, table, record, keys, today, counts)
        settings.put(db, DEMO_LOADED_KEY, today.isoformat())
        audit(db, SYSTEM, "import", "demo", None, None, counts)
    return counts


def _insert(db, table, record, keys, today, counts, parent=None):
    record = dict(record)
    key = record.pop("key", None)
    nested = {}
    # Children of a record: people's roles, a meeting's attendees, agenda items and tilsagn.
    for field in ("roles", "attendees", "agenda", "tilsagn"):
        if field in record:
            nested[field] = record.pop(field) or []
    links = {f: record.pop(f) or [] for f in list(record) if f in LINKS.get(table, {})}
    references = REFERENCES.get(table, {})
    row = {}
    for column, value in record.items():
        value = resolve_value(value, today)
        if column in references and isinstance(value, str):
            value = _lookup(keys, references[column], value)
        row[column] = value
    if parent:
        row.update(parent)
    if table == "themes":
        db.execute(
            "INSERT INTO themes (code, label_nb, label_en, origin, sort_order) VALUES (?, ?, ?, ?, ?)",
            [row["code"], row["label_nb"], row["label_en"], row.get("origin", "forum"),
             counts.get("themes", 0)],
        )
        counts["themes"] = counts.get("themes", 0) + 1
        return None
    stamp = now_iso()
    row.update(created_at=stamp, updated_at=stamp, version=1)
    columns = ", ".join(f"[{c}]" for c in row)
    cursor = db.execute(
        f"INSERT INTO [{table}] ({columns}) VALUES ({', '.join('?' for _ in row)})",
        list(row.values()),
    )
    record_id = cursor.lastrowid
    counts[table] = counts.get(table, 0) + 1
    if key:
        keys.setdefault(table, {})[key] = record_id
    for field, refs in links.items():
        link = LINKS[table][field]
        for ref in refs:
            db.execute(
                f"INSERT INTO [{link.table}] ([{link.owner}], [{link.other}]) VALUES (?, ?)",
                [record_id, _lookup(keys, link.ref, ref)],
            )
    for role in nested.get("roles", []):
        _insert(db, "person_roles", role, keys, today, counts, {"person_id": record_id})
    for attendee in nested.get("attendees", []):
        db.execute(
            "INSERT INTO meeting_people (meeting_id, person_id, role_at_meeting) VALUES (?, ?, ?)",
            [record_id, _lookup(keys, "people", attendee["person"]), attendee.get("role")],
        )
    for position, item in enumerate(nested.get("agenda", []), start=1):
        item = {"position": position, **item}
        _insert(db, "agenda_items", item, keys, today, counts, {"meeting_id": record_id})
    for promise in nested.get("tilsagn", []):
        _insert(db, "tilsagn", promise, keys, today, counts, {"meeting_id": record_id})
    return record_id


def _lookup(keys, table, key):
    try:
        return keys[table][key]
    except KeyError:
        raise ValueError(f"demo data: no {table} record with key {key!r}") from None
