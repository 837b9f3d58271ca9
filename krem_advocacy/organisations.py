"""Organisations and people: forum members, departments, directorates, committees; roles over time."""

import pandas as pd
from sqlite_utils import Database

from krem_advocacy.db import read_frame, read_one

LIST_SQL = """
SELECT o.id, o.name, o.short_name, o.kind, o.member_since, o.member_until, o.member_status,
       parent.short_name AS parent, o.is_example,
       (SELECT COUNT(*) FROM hoeringer h WHERE h.lead_org_id = o.id)
     + (SELECT COUNT(*) FROM hoering_cosigners c WHERE c.organisation_id = o.id)
     + (SELECT COUNT(*) FROM budget_inputs b WHERE b.lead_org_id = o.id)
     + (SELECT COUNT(*) FROM budget_input_cosigners c WHERE c.organisation_id = o.id) AS signed_count,
       (SELECT COUNT(*) FROM meeting_organisations mo WHERE mo.organisation_id = o.id) AS meetings_count,
       (SELECT COUNT(*) FROM agenda_items a WHERE a.speaker_org_id = o.id) AS innlegg_count
  FROM organisations o LEFT JOIN organisations parent ON parent.id = o.parent_id
 WHERE (:kind IS NULL OR o.kind = :kind)
   AND (:text IS NULL OR o.name LIKE '%' || :text || '%' OR o.short_name LIKE '%' || :text || '%')
 ORDER BY CASE o.kind WHEN 'forum_member' THEN 0 WHEN 'secretariat' THEN 1 WHEN 'department' THEN 2
          WHEN 'directorate' THEN 3 WHEN 'committee' THEN 4 ELSE 5 END, o.name
"""


def list_organisations(db: Database, kind=None, text=None) -> pd.DataFrame:
    """Organisations by kind (forum members first), with how much each has done."""
    return read_frame(db, LIST_SQL, {"kind": kind, "text": (text or "").strip() or None})


def get_organisation(db: Database, org_id: int, include_internal: bool = False) -> dict | None:
    """One organisation with its people, what it led or co-signed, meetings and innlegg."""
    record = read_one(db, """
        SELECT o.*, parent.name AS parent_name FROM organisations o
          LEFT JOIN organisations parent ON parent.id = o.parent_id WHERE o.id = ?""", [org_id])
    if record is None:
        return None
    if not include_internal:
        record.pop("internal_notes", None)
    record["people"] = read_frame(db, """
        SELECT p.id, p.name, r.title, r.from_date, r.to_date FROM people p
          LEFT JOIN person_roles r ON r.person_id = p.id AND r.organisation_id = p.organisation_id
         WHERE p.organisation_id = ? ORDER BY r.to_date IS NOT NULL, r.from_date DESC, p.name""", [org_id])
    record["signed"] = read_frame(db, """
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
    record["meetings"] = read_frame(db, """
        SELECT m.id, m.title, m.kind, m.starts_at FROM meeting_organisations mo
          JOIN meetings m ON m.id = mo.meeting_id WHERE mo.organisation_id = ?
         ORDER BY m.starts_at DESC""", [org_id])
    record["innlegg"] = read_frame(db, """
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
