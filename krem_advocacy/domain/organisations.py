"""Organisations and people: forum members, departments, directorates, committees; roles over time; edits."""

import re
from datetime import date

import pandas as pd
from sqlite_utils import Database

from krem_advocacy.domain import fields, validation
from krem_advocacy.domain.fields import Field
from krem_advocacy.store import records
from krem_advocacy.store.connection import read_frame, read_one, read_rows
from krem_advocacy.store.permissions import Actor
from krem_advocacy.text import codes

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

MISSING = "validation.organisations.missing"
FIRST_YEAR, LAST_YEAR = 1900, 2100
MAX_SHORT_NAME_LENGTH = 30
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9 ()-]{4,20}$")

# An organisation, a person and a person's role as forms, imports, exports and checks know them.
KIND = fields.Kind("organisations", (
    Field("name", "title", ("Navn", "Name"), required=True, search_weight=10.0,
          aliases=("navn", "name", "organisasjon", "organisation", "organization")),
    Field("short_name", "text", ("Kortnavn", "Short name"), max_length=MAX_SHORT_NAME_LENGTH, search_weight=10.0,
          aliases=("kortnavn", "forkortelse", "short name", "abbreviation")),
    Field("kind", "code", ("Type", "Kind"), required=True, code_list="organisation_kind",
          aliases=("type", "art", "kind", "kategori", "category")),
    Field("parent_id", "ref", ("Overordnet", "Parent organisation"), ref="organisations", missing=MISSING,
          aliases=("overordnet", "under", "departement", "parent", "parent organisation")),
    Field("member_since", "year", ("Medlem siden", "Member since"), aliases=("medlem siden", "member since", "medlem fra")),
    Field("member_until", "year", ("Medlem til", "Member until"), aliases=("medlem til", "member until", "utmeldt år")),
    Field("member_status", "code", ("Medlemsstatus", "Member status"), code_list="member_status",
          aliases=("medlemsstatus", "member status", "status")),
    Field("representatives", "integer", ("Representanter", "Representatives"),
          aliases=("representanter", "antall representanter", "representatives")),
    Field("url", "url", ("Nettside", "Website"), aliases=("nettside", "lenke", "url", "website", "link")),
    *fields.common_fields(),
))
PERSON_KIND = fields.Kind("people", (
    Field("name", "title", ("Navn", "Name"), required=True, search_weight=10.0),
    Field("organisation_id", "ref", ("Organisasjon", "Organisation"), ref="organisations", missing=MISSING),
    Field("side", "code", ("Side", "Side"), required=True, code_list="person_side"),
    Field("email", "longtext", ("E-post", "E-mail")),
    Field("phone", "longtext", ("Telefon", "Phone")),
    *fields.common_fields(),
))
ROLE_KIND = fields.Kind("person_roles", (
    Field("person_id", "ref", ("Person", "Person"), ref="people", missing=MISSING),  # required: see clean_role
    Field("organisation_id", "ref", ("Organisasjon", "Organisation"), ref="organisations", missing=MISSING),
    Field("title", "title", ("Tittel", "Title"), required=True),
    Field("from_date", "date", ("Fra", "From")),
    Field("to_date", "date", ("Til", "To")),
    *fields.common_fields(),
))

ORGANISATION_FIELDS = KIND.names
PERSON_FIELDS = PERSON_KIND.names
ROLE_FIELDS = ROLE_KIND.names
MEMBERSHIP_FIELDS = ("member_since", "member_until", "member_status", "representatives")


def clean_organisation(db: Database, values: dict, org_id: int | None = None,
                       today: date | None = None) -> dict:
    """Check an organisation's values; return the row or raise ValidationError.

    Membership (years, status, representatives) belongs to forum members only; the last year may not come
    before the first; a member that has left needs the year it left, and one whose last year has passed
    cannot still be active or on leave.
    """
    return _organisation_cleaner(today)(db, values, {"id": org_id} if org_id is not None else None)[0]


def _organisation_cleaner(today: date | None) -> fields.Cleaner:
    def clean(db: Database, values: dict, previous: dict | None) -> tuple[dict, dict]:
        row, links, errors = fields.clean_fields(db, KIND, values)
        for field in ("member_since", "member_until"):
            year = row.get(field)
            if not errors[field] and year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
                errors[field] = "validation.organisations.year"
        if not errors["representatives"] and row["representatives"] is not None and not 0 <= row["representatives"] <= 50:
            errors["representatives"] = "validation.organisations.representatives"
        since, until, status = row["member_since"], row["member_until"], row["member_status"]
        if since is not None and until is not None and until < since and not errors["member_until"]:
            errors["member_until"] = "validation.organisations.member_until_before_since"
        if status == "utmeldt" and until is None:
            errors["member_until"] = errors["member_until"] or "validation.organisations.left_needs_year"
        if status in ("aktiv", "permisjon") and until is not None and until < (today or date.today()).year:
            errors["member_status"] = "validation.organisations.status_after_leaving"
        if row["kind"] in codes.ORGANISATION_KINDS and row["kind"] != "forum_member":
            for field in MEMBERSHIP_FIELDS:
                if row[field] is not None:
                    errors[field] = errors[field] or "validation.organisations.membership_only_members"
        org_id, parent = (previous or {}).get("id"), row["parent_id"]
        if not errors["parent_id"] and parent is not None and org_id is not None and (
                parent == org_id or org_id in _ancestors(db, parent)):
            errors["parent_id"] = "validation.organisations.parent_cycle"
        fields.raise_errors(errors)
        return row, links
    return clean


def create_organisation(db: Database, actor: Actor, values: dict, today: date | None = None) -> int:
    """Create an organisation; return its id."""
    return fields.save(db, actor, KIND, values, _organisation_cleaner(today))


def update_organisation(db: Database, actor: Actor, org_id: int, values: dict, expected_version: int,
                        today: date | None = None) -> int:
    """Save an edited organisation unless someone saved it since `expected_version`; return the new version."""
    return fields.save(db, actor, KIND, values, _organisation_cleaner(today), org_id, expected_version)


def clean_person(db: Database, values: dict, previous: dict | None = None) -> tuple[dict, dict]:
    """Check a person's values; return (row, links) or raise ValidationError."""
    row, links, errors = fields.clean_fields(db, PERSON_KIND, values)
    if not errors["email"] and row["email"] and not _EMAIL.match(row["email"]):
        errors["email"] = "validation.organisations.email"
    if not errors["phone"] and row["phone"] and not _PHONE.match(row["phone"]):
        errors["phone"] = "validation.organisations.phone"
    fields.raise_errors(errors)
    return row, links


def create_person(db: Database, actor: Actor, values: dict) -> int:
    """Create a person; return the id."""
    return fields.save(db, actor, PERSON_KIND, values, clean_person)


def update_person(db: Database, actor: Actor, person_id: int, values: dict, expected_version: int) -> int:
    """Save an edited person unless someone saved it since `expected_version`; return the new version."""
    return fields.save(db, actor, PERSON_KIND, values, clean_person, person_id, expected_version)


def clean_role(db: Database, values: dict, previous: dict | None = None) -> tuple[dict, dict]:
    """Check a role's values (title, organisation, from/to dates); return (row, links) or raise."""
    row, links, errors = fields.clean_fields(db, ROLE_KIND, values)
    if not errors["from_date"] and not errors["to_date"]:
        errors["to_date"] = validation.not_before(row["to_date"], row["from_date"])
    if row["person_id"] is None:
        errors["person_id"] = MISSING  # a role belongs to someone
    fields.raise_errors(errors)
    return row, links


def create_role(db: Database, actor: Actor, values: dict) -> int:
    """Add a role a person held (person_id, title, organisation_id, from_date, to_date); return its id."""
    return fields.save(db, actor, ROLE_KIND, values, clean_role)


def update_role(db: Database, actor: Actor, role_id: int, values: dict, expected_version: int) -> int:
    """Save an edited role unless someone saved it since `expected_version`; return the new version."""
    return fields.save(db, actor, ROLE_KIND, values, clean_role, role_id, expected_version)


def delete_role(db: Database, actor: Actor, role_id: int, expected_version: int) -> None:
    """Remove a role entered by mistake (kept in the audit log)."""
    records.delete(db, actor, "person_roles", role_id, expected_version)


def _ancestors(db: Database, org_id: int) -> set[int]:
    # The chain of parents above an organisation (guarded against a cycle already in the data).
    seen: set[int] = set()
    current = db.execute("SELECT parent_id FROM organisations WHERE id = ?", [org_id]).fetchone()
    while current and current[0] is not None and current[0] not in seen:
        seen.add(current[0])
        current = db.execute("SELECT parent_id FROM organisations WHERE id = ?", [current[0]]).fetchone()
    return seen


# ---- Spreadsheet import ----

def check_import_row(db: Database, values: dict, raw: dict) -> dict[str, str]:
    """A spreadsheet row's problems as the form would name them (the importer's row rule for organisations)."""
    return fields.validated(lambda: clean_organisation(db, values))[1]


def duplicate_keys(values: dict) -> list[tuple]:
    """What makes two organisations the same: the name, or the short name."""
    keys = [("name", fields.normal_key(values.get("name")))]
    if values.get("short_name"):
        keys.append(("short", fields.normal_key(values["short_name"])))
    return keys


IMPORT = fields.ImportSpec(KIND, check_import_row, duplicate_keys)
