"""Organisations and people: forum members, departments, directorates, committees; roles over time; edits."""

import re
from datetime import date

import pandas as pd
from sqlite_utils import Database

from krem_advocacy.text import codes
from krem_advocacy.store import records
from krem_advocacy.domain import validation
from krem_advocacy.store.connection import read_frame, read_one
from krem_advocacy.store.connection import read_rows
from krem_advocacy.store.records import Actor

_KIND_ORDER = """CASE {t}.kind WHEN 'forum_member' THEN 0 WHEN 'secretariat' THEN 1 WHEN 'department' THEN 2
          WHEN 'directorate' THEN 3 WHEN 'committee' THEN 4 ELSE 5 END, {t}.name"""

# The organisations to show are picked (and counted, `total_rows`) first; what each has done is then
# counted only for those, through the foreign-key indexes: a long list shows its first rows only.
LIST_SQL = f"""
WITH shown AS (
  SELECT o.id, o.name, o.short_name, o.kind, o.member_since, o.member_until, o.member_status, o.parent_id,
         o.is_example, COUNT(*) OVER () AS total_rows
    FROM organisations o
   WHERE (:kind IS NULL OR o.kind = :kind)
     AND (:text IS NULL OR o.name LIKE '%' || :text || '%' OR o.short_name LIKE '%' || :text || '%')
   ORDER BY {_KIND_ORDER.format(t="o")} LIMIT :limit)
SELECT s.id, s.name, s.short_name, s.kind, s.member_since, s.member_until, s.member_status,
       parent.short_name AS parent, s.is_example,
       (SELECT COUNT(*) FROM hoeringer h WHERE h.lead_org_id = s.id)
     + (SELECT COUNT(*) FROM hoering_cosigners c WHERE c.organisation_id = s.id)
     + (SELECT COUNT(*) FROM budget_inputs b WHERE b.lead_org_id = s.id)
     + (SELECT COUNT(*) FROM budget_input_cosigners c WHERE c.organisation_id = s.id) AS signed_count,
       (SELECT COUNT(*) FROM meeting_organisations mo WHERE mo.organisation_id = s.id) AS meetings_count,
       (SELECT COUNT(*) FROM agenda_items a WHERE a.speaker_org_id = s.id) AS innlegg_count, s.total_rows
  FROM shown s LEFT JOIN organisations parent ON parent.id = s.parent_id
 ORDER BY {_KIND_ORDER.format(t="s")}
"""


def list_organisations(db: Database, kind=None, text=None, limit: int | None = None) -> pd.DataFrame:
    """Organisations by kind (forum members first), with how much each has done.

    With `limit`, only the first rows; `total_rows` says how many match in all.
    """
    return read_frame(db, LIST_SQL, {"kind": kind, "text": (text or "").strip() or None,
                                     "limit": -1 if limit is None else int(limit)})


def get_organisation(db: Database, org_id: int, include_internal: bool = False) -> dict | None:
    """One organisation with its people, what it led or co-signed, meetings and innlegg (lists of dicts)."""
    record = read_one(db, """
        SELECT o.*, parent.name AS parent_name FROM organisations o
          LEFT JOIN organisations parent ON parent.id = o.parent_id WHERE o.id = ?""", [org_id])
    if record is None:
        return None
    if not include_internal:
        record.pop("internal_notes", None)
    # Everyone who held a role here (a minister in a ministry, a representative in a member), and people
    # of the organisation with no role recorded; current roles first.
    record["people"] = read_rows(db, """
        SELECT * FROM (
            SELECT p.id, p.name, r.title, r.from_date, r.to_date
              FROM person_roles r JOIN people p ON p.id = r.person_id WHERE r.organisation_id = :id
            UNION ALL
            SELECT p.id, p.name, NULL, NULL, NULL FROM people p
             WHERE p.organisation_id = :id AND NOT EXISTS (
                   SELECT 1 FROM person_roles r WHERE r.person_id = p.id AND r.organisation_id = :id))
         ORDER BY to_date IS NOT NULL, to_date DESC, from_date DESC, name""", {"id": org_id})
    record["saker"] = read_rows(db, """
        SELECT id, title, status, started_on FROM saker WHERE lead_org_id = ?
         ORDER BY CASE status WHEN 'aktiv' THEN 0 WHEN 'pause' THEN 1 ELSE 2 END, title""", [org_id])
    record["children"] = read_rows(db, """
        SELECT id, name, short_name, kind FROM organisations WHERE parent_id = ? ORDER BY name""", [org_id])
    record["tilsagn"] = read_rows(db, """
        SELECT t.id, t.text, t.status, m.id AS meeting_id, m.title AS meeting, m.starts_at
          FROM tilsagn t JOIN meetings m ON m.id = t.meeting_id WHERE t.responsible_org_id = ?
         ORDER BY m.starts_at DESC""", [org_id])
    record["signed"] = read_rows(db, """
        SELECT 'hoeringer' AS record_table, h.id, h.title,
               COALESCE(h.submitted_on, h.deadline) AS day,
               CASE WHEN h.lead_org_id = :id THEN 'lead' ELSE 'cosigner' END AS part
          FROM hoeringer h WHERE h.lead_org_id = :id
             OR h.id IN (SELECT hoering_id FROM hoering_cosigners WHERE organisation_id = :id)
        UNION ALL
        SELECT 'budget_inputs', b.id, b.title, COALESCE(b.sent_on, b.budget_year || '-01-01'),
               CASE WHEN b.lead_org_id = :id THEN 'lead' ELSE 'cosigner' END
          FROM budget_inputs b WHERE b.lead_org_id = :id
             OR b.id IN (SELECT budget_input_id FROM budget_input_cosigners WHERE organisation_id = :id)
        ORDER BY day DESC""", {"id": org_id})
    record["meetings"] = read_rows(db, """
        SELECT m.id, m.title, m.kind, m.starts_at FROM meeting_organisations mo
          JOIN meetings m ON m.id = mo.meeting_id WHERE mo.organisation_id = ?
         ORDER BY m.starts_at DESC""", [org_id])
    record["innlegg"] = read_rows(db, """
        SELECT m.id AS meeting_id, m.title AS meeting, m.starts_at, a.title, p.name AS speaker
          FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id
          LEFT JOIN people p ON p.id = a.speaker_person_id
         WHERE a.speaker_org_id = ? ORDER BY m.starts_at DESC""", [org_id])
    return record


def options(db: Database, kinds: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Organisations as (id, name, short_name), optionally of some kinds, for pickers."""
    if kinds:
        marks = ", ".join("?" for _ in kinds)
        return read_frame(db, f"SELECT id, name, short_name, kind FROM organisations WHERE kind IN ({marks}) "
                              "ORDER BY name", list(kinds))
    return read_frame(db, "SELECT id, name, short_name, kind FROM organisations ORDER BY name")


def list_people(db: Database, side=None) -> pd.DataFrame:
    """People with their organisation and current (latest) role."""
    return read_frame(db, """
        SELECT p.id, p.name, p.side, o.name AS organisation, o.id AS organisation_id,
               (SELECT r.title FROM person_roles r WHERE r.person_id = p.id
                 ORDER BY r.to_date IS NULL DESC, r.to_date DESC LIMIT 1) AS role,
               (SELECT r.from_date FROM person_roles r WHERE r.person_id = p.id
                 ORDER BY r.to_date IS NULL DESC, r.to_date DESC LIMIT 1) AS from_date,
               (SELECT r.to_date FROM person_roles r WHERE r.person_id = p.id
                 ORDER BY r.to_date IS NULL DESC, r.to_date DESC LIMIT 1) AS to_date,
               p.is_example
          FROM people p LEFT JOIN organisations o ON o.id = p.organisation_id
         WHERE (:side IS NULL OR p.side = :side) ORDER BY p.side, p.name""", {"side": side})


# The role a person held on a meeting's day (the same rule as meetings.role_at), as «tittel, KORTNAVN».
_ROLE_ON_DAY = """
    (SELECT r.title || COALESCE(', ' || COALESCE(o.short_name, o.name), '') FROM person_roles r
       LEFT JOIN organisations o ON o.id = r.organisation_id
      WHERE r.person_id = :id AND (r.from_date IS NULL OR r.from_date <= substr(m.starts_at, 1, 10))
        AND (r.to_date IS NULL OR r.to_date >= substr(m.starts_at, 1, 10))
      ORDER BY r.from_date DESC LIMIT 1)"""


def get_person(db: Database, person_id: int, include_internal: bool = False) -> dict | None:
    """One person: organisation, roles over time, meetings attended (with the role held that day),
    innlegg given, saker they are responsible for and tilsagn they answer for (lists of dicts, None for NULL)."""
    record = read_one(db, """
        SELECT p.*, o.name AS organisation_name FROM people p
          LEFT JOIN organisations o ON o.id = p.organisation_id WHERE p.id = ?""", [person_id])
    if record is None:
        return None
    if not include_internal:
        record.pop("internal_notes", None)
    record["roles"] = read_rows(db, """
        SELECT r.id, r.title, r.organisation_id, o.name AS organisation, o.short_name, r.from_date, r.to_date,
               r.version, r.is_example, r.source, r.notes
          FROM person_roles r LEFT JOIN organisations o ON o.id = r.organisation_id
         WHERE r.person_id = ? ORDER BY r.to_date IS NOT NULL, r.to_date DESC, r.from_date DESC""", [person_id])
    record["meetings"] = read_rows(db, f"""
        SELECT m.id, m.title, m.kind, m.starts_at, mp.role_at_meeting, {_ROLE_ON_DAY} AS role_then
          FROM meetings m LEFT JOIN meeting_people mp ON mp.meeting_id = m.id AND mp.person_id = :id
         WHERE mp.person_id IS NOT NULL OR m.chair_person_id = :id
         ORDER BY m.starts_at DESC""", {"id": person_id})
    record["innlegg"] = read_rows(db, """
        SELECT m.id AS meeting_id, m.title AS meeting, m.starts_at, a.title
          FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id
         WHERE a.speaker_person_id = ? ORDER BY m.starts_at DESC, a.position""", [person_id])
    record["saker"] = read_rows(db, """
        SELECT s.id, s.title, s.status FROM sak_people l JOIN saker s ON s.id = l.sak_id
         WHERE l.person_id = ? ORDER BY s.title""", [person_id])
    record["tilsagn"] = read_rows(db, """
        SELECT t.id, t.text, t.status, m.id AS meeting_id, m.title AS meeting, m.starts_at
          FROM tilsagn t JOIN meetings m ON m.id = t.meeting_id WHERE t.responsible_person_id = ?
         ORDER BY m.starts_at DESC""", [person_id])
    return record


def people_options(db: Database) -> pd.DataFrame:
    """People as (id, name, organisation short name), for pickers."""
    return read_frame(db, """
        SELECT p.id, p.name, COALESCE(o.short_name, o.name) AS organisation, p.side FROM people p
          LEFT JOIN organisations o ON o.id = p.organisation_id ORDER BY p.name""")


# ---- Edits: validate everything first, then write through `records` in one transaction. ----

ORGANISATION_FIELDS = ("name", "short_name", "kind", "parent_id", "member_since", "member_until", "member_status",
                       "representatives", "url", "source", "notes", "internal_notes")
PERSON_FIELDS = ("name", "organisation_id", "side", "email", "phone", "source", "notes", "internal_notes")
ROLE_FIELDS = ("person_id", "organisation_id", "title", "from_date", "to_date", "source", "notes",
               "internal_notes")
MEMBERSHIP_FIELDS = ("member_since", "member_until", "member_status", "representatives")
FIRST_YEAR, LAST_YEAR = 1900, 2100
MAX_SHORT_NAME_LENGTH = 30
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9 ()-]{4,20}$")


def clean_organisation(db: Database, values: dict, org_id: int | None = None,
                       today: date | None = None) -> dict:
    """Check an organisation's values (only the fields given); return the row values or raise ValidationError.

    Membership (years, status, representatives) belongs to forum members only; the last year may not come
    before the first; a member that has left needs the year it left, and one whose last year has passed
    cannot still be active or on leave.
    """
    today = today or date.today()
    row = _texts(values, ORGANISATION_FIELDS)
    for field in ("parent_id", "member_since", "member_until", "representatives"):
        if field in values:
            row[field] = _optional_int(values[field])
    errors = {"name": _title_error(row, "name"), "url": validation.url(row.get("url")),
              "short_name": validation.max_length(row.get("short_name"), MAX_SHORT_NAME_LENGTH),
              "kind": validation.one_of(row.get("kind"), codes.ORGANISATION_KINDS, nullable="kind" not in row),
              "member_status": validation.one_of(row.get("member_status"), codes.MEMBER_STATUSES)}
    for field in ("member_since", "member_until"):
        year = row.get(field)
        if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
            errors[field] = "validation.organisations.year"
    if row.get("representatives") is not None and not 0 <= row["representatives"] <= 50:
        errors["representatives"] = "validation.organisations.representatives"
    since, until, status = row.get("member_since"), row.get("member_until"), row.get("member_status")
    if since is not None and until is not None and until < since and not errors.get("member_until"):
        errors["member_until"] = "validation.organisations.member_until_before_since"
    if status == "utmeldt" and until is None and "member_until" in row:
        errors["member_until"] = errors.get("member_until") or "validation.organisations.left_needs_year"
    if status in ("aktiv", "permisjon") and until is not None and until < today.year:
        errors["member_status"] = "validation.organisations.status_after_leaving"
    if row.get("kind") in codes.ORGANISATION_KINDS and row["kind"] != "forum_member":
        for field in MEMBERSHIP_FIELDS:
            if row.get(field) is not None:
                errors[field] = errors.get(field) or "validation.organisations.membership_only_members"
    parent = row.get("parent_id")
    if parent is not None:
        if not _exists(db, "SELECT 1 FROM organisations WHERE id = ?", parent):
            errors["parent_id"] = "validation.organisations.missing"
        elif org_id is not None and (parent == org_id or org_id in _ancestors(db, parent)):
            errors["parent_id"] = "validation.organisations.parent_cycle"
    errors.update(_text_length_errors(row))
    validation.raise_if_any(errors)
    return row


def create_organisation(db: Database, actor: Actor, values: dict, today: date | None = None) -> int:
    """Create an organisation; return its id."""
    records.require_editor(actor)
    row = clean_organisation(db, {"name": None, "kind": None, **values}, today=today)
    return records.create(db, actor, "organisations", row)


def update_organisation(db: Database, actor: Actor, org_id: int, values: dict, expected_version: int,
                        today: date | None = None) -> int:
    """Save an edited organisation unless someone saved it since `expected_version`; return the new version."""
    records.require_editor(actor)
    row = clean_organisation(db, values, org_id=org_id, today=today)
    return records.update(db, actor, "organisations", org_id, row, expected_version)


def clean_person(db: Database, values: dict) -> dict:
    """Check a person's values (only the fields given); return the row values or raise ValidationError."""
    row = _texts(values, PERSON_FIELDS)
    if "organisation_id" in values:
        row["organisation_id"] = _optional_int(values["organisation_id"])
    errors = {"name": _title_error(row, "name"),
              "side": validation.one_of(row.get("side"), codes.PERSON_SIDES, nullable="side" not in row),
              "email": "validation.organisations.email" if row.get("email") and not _EMAIL.match(row["email"])
              else None,
              "phone": "validation.organisations.phone" if row.get("phone") and not _PHONE.match(row["phone"])
              else None}
    if row.get("organisation_id") is not None and not _exists(db, "SELECT 1 FROM organisations WHERE id = ?",
                                                              row["organisation_id"]):
        errors["organisation_id"] = "validation.organisations.missing"
    errors.update(_text_length_errors(row))
    validation.raise_if_any(errors)
    return row


def create_person(db: Database, actor: Actor, values: dict) -> int:
    """Create a person; return the id."""
    records.require_editor(actor)
    return records.create(db, actor, "people", clean_person(db, {"name": None, "side": None, **values}))


def update_person(db: Database, actor: Actor, person_id: int, values: dict, expected_version: int) -> int:
    """Save an edited person unless someone saved it since `expected_version`; return the new version."""
    records.require_editor(actor)
    return records.update(db, actor, "people", person_id, clean_person(db, values), expected_version)


def clean_role(db: Database, values: dict) -> dict:
    """Check a role's values (title, organisation, from/to dates); return the row values or raise."""
    row = _texts(values, ROLE_FIELDS)
    for field in ("person_id", "organisation_id"):
        if field in values:
            row[field] = _optional_int(values[field])
    for field in ("from_date", "to_date"):
        if isinstance(values.get(field), date):
            row[field] = values[field].isoformat()
    errors = {"title": _title_error(row, "title"),
              "from_date": validation.iso_date(row.get("from_date")),
              "to_date": validation.iso_date(row.get("to_date"))}
    if not errors["from_date"] and not errors["to_date"]:
        errors["to_date"] = validation.not_before(row.get("to_date"), row.get("from_date"))
    if "person_id" in row and (row["person_id"] is None or not _exists(db, "SELECT 1 FROM people WHERE id = ?",
                                                                       row["person_id"])):
        errors["person_id"] = "validation.organisations.missing"
    if row.get("organisation_id") is not None and not _exists(db, "SELECT 1 FROM organisations WHERE id = ?",
                                                              row["organisation_id"]):
        errors["organisation_id"] = "validation.organisations.missing"
    errors.update(_text_length_errors(row))
    validation.raise_if_any(errors)
    return row


def create_role(db: Database, actor: Actor, values: dict) -> int:
    """Add a role a person held (person_id, title, organisation_id, from_date, to_date); return its id."""
    records.require_editor(actor)
    return records.create(db, actor, "person_roles", clean_role(db, {"title": None, "person_id": None, **values}))


def update_role(db: Database, actor: Actor, role_id: int, values: dict, expected_version: int) -> int:
    """Save an edited role unless someone saved it since `expected_version`; return the new version."""
    records.require_editor(actor)
    return records.update(db, actor, "person_roles", role_id, clean_role(db, values), expected_version)


def delete_role(db: Database, actor: Actor, role_id: int, expected_version: int) -> None:
    """Remove a role entered by mistake (kept in the audit log)."""
    records.delete(db, actor, "person_roles", role_id, expected_version)


def _texts(values: dict, fields: tuple[str, ...]) -> dict:
    return {f: validation.clean_text(values[f]) for f in fields if f in values}


def _title_error(row: dict, field: str) -> str | None:
    if field not in row:
        return None
    return validation.required(row[field]) or validation.max_length(row[field], validation.MAX_TITLE_LENGTH)


def _text_length_errors(row: dict) -> dict:
    return {f: "validation.too_long" for f in ("source", "notes", "internal_notes", "email", "phone")
            if validation.max_length(row.get(f), validation.MAX_TEXT_LENGTH)}


def _ancestors(db: Database, org_id: int) -> set[int]:
    # The chain of parents above an organisation (guarded against a cycle already in the data).
    seen: set[int] = set()
    current = db.execute("SELECT parent_id FROM organisations WHERE id = ?", [org_id]).fetchone()
    while current and current[0] is not None and current[0] not in seen:
        seen.add(current[0])
        current = db.execute("SELECT parent_id FROM organisations WHERE id = ?", [current[0]]).fetchone()
    return seen


def _optional_int(value) -> int | None:
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return None
    return int(value)


def _exists(db: Database, sql: str, value) -> bool:
    return db.execute(sql, [value]).fetchone() is not None
