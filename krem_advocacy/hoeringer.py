"""Høringer (public consultations): reads for lists and one record."""

from datetime import date

import pandas as pd
from sqlite_utils import Database

from krem_advocacy.db import read_frame, read_one

# Shorter than this from publication to frist breaks utredningsinstruksen 3-3 unless a reason is given.
MIN_CONSULTATION_DAYS = 42

LIST_SQL = """
SELECT h.id, h.title, d.short_name AS department, h.published_on, h.deadline, h.internal_deadline,
       h.official_status, h.our_status, h.our_ref, h.named_instance, lead.name AS lead_org,
       h.is_example,
       julianday(h.deadline) - julianday(h.published_on) AS consultation_days
  FROM hoeringer h
  LEFT JOIN organisations d ON d.id = h.department_id
  LEFT JOIN organisations lead ON lead.id = h.lead_org_id
 WHERE (:our_status IS NULL OR h.our_status = :our_status)
   AND (:official_status IS NULL OR h.official_status = :official_status)
   AND (:department_id IS NULL OR h.department_id = :department_id)
   AND (:text IS NULL OR h.title LIKE '%' || :text || '%' OR h.our_ref LIKE '%' || :text || '%')
 ORDER BY h.deadline IS NULL, h.deadline DESC
"""

DETAIL_SQL = """
SELECT h.*, d.name AS department_name, d.short_name AS department_short,
       lead.name AS lead_org_name
  FROM hoeringer h
  LEFT JOIN organisations d ON d.id = h.department_id
  LEFT JOIN organisations lead ON lead.id = h.lead_org_id
 WHERE h.id = ?
"""


def list_hoeringer(db: Database, our_status=None, official_status=None, department_id=None,
                   text=None) -> pd.DataFrame:
    """Høringer matching the filters, latest frist first."""
    frame = read_frame(db, LIST_SQL, {
        "our_status": our_status, "official_status": official_status,
        "department_id": department_id, "text": (text or "").strip() or None,
    })
    frame["short_deadline"] = frame["consultation_days"].apply(is_short_deadline_days)
    return frame


def is_short_deadline_days(days) -> bool:
    """True when a consultation gives fewer than six weeks (utredningsinstruksen)."""
    return days is not None and days == days and days < MIN_CONSULTATION_DAYS


def is_short_deadline(published_on: str | None, deadline: str | None) -> bool:
    """True when publication to frist is under six weeks."""
    if not published_on or not deadline:
        return False
    days = (date.fromisoformat(deadline[:10]) - date.fromisoformat(published_on[:10])).days
    return is_short_deadline_days(days)


def get_hoering(db: Database, hoering_id: int, include_internal: bool = False) -> dict | None:
    """One høring with its department, lead, co-signers and linked saker."""
    record = read_one(db, DETAIL_SQL, [hoering_id])
    if record is None:
        return None
    if not include_internal:
        record.pop("internal_notes", None)
    record["cosigners"] = read_frame(db, """
        SELECT o.id, o.name, o.short_name FROM hoering_cosigners c
          JOIN organisations o ON o.id = c.organisation_id
         WHERE c.hoering_id = ? ORDER BY o.name""", [hoering_id])
    record["saker"] = read_frame(db, """
        SELECT s.id, s.title, s.status FROM hoering_saker l JOIN saker s ON s.id = l.sak_id
         WHERE l.hoering_id = ? ORDER BY s.title""", [hoering_id])
    record["agenda_items"] = read_frame(db, """
        SELECT m.id AS meeting_id, m.title AS meeting, m.starts_at, a.title, o.name AS speaker_org
          FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id
          LEFT JOIN organisations o ON o.id = a.speaker_org_id
         WHERE a.hoering_id = ? ORDER BY m.starts_at DESC""", [hoering_id])
    record["short_deadline"] = is_short_deadline(record["published_on"], record["deadline"])
    return record


def departments(db: Database) -> pd.DataFrame:
    """Organisations that own høringer (departments and directorates), for filters and forms."""
    return read_frame(db, """
        SELECT id, name, short_name FROM organisations
         WHERE kind IN ('department', 'directorate') ORDER BY COALESCE(short_name, name)""")
