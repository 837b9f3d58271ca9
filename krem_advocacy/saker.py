"""Saker (policy topics): reads for lists, one record and its trail."""

import pandas as pd
from sqlite_utils import Database

from krem_advocacy.db import read_frame, read_one

LIST_SQL = """
SELECT s.id, s.title, s.theme_code, t.label_nb AS theme_nb, t.label_en AS theme_en, s.priority,
       s.status, o.name AS lead_org, s.started_on, s.is_example,
       (SELECT COUNT(*) FROM hoering_saker l WHERE l.sak_id = s.id)
     + (SELECT COUNT(*) FROM budget_input_saker l WHERE l.sak_id = s.id)
     + (SELECT COUNT(*) FROM agenda_items a WHERE a.sak_id = s.id) AS activity_count
  FROM saker s
  LEFT JOIN themes t ON t.code = s.theme_code
  LEFT JOIN organisations o ON o.id = s.lead_org_id
 WHERE (:status IS NULL OR s.status = :status)
   AND (:theme_code IS NULL OR s.theme_code = :theme_code)
   AND (:lead_org_id IS NULL OR s.lead_org_id = :lead_org_id)
   AND (:text IS NULL OR s.title LIKE '%' || :text || '%' OR s.description LIKE '%' || :text || '%')
 ORDER BY CASE s.status WHEN 'aktiv' THEN 0 WHEN 'pause' THEN 1 ELSE 2 END,
          CASE s.priority WHEN 'hoey' THEN 0 WHEN 'middels' THEN 1 ELSE 2 END, s.title
"""

# Everything done on a sak, one row per event, newest first.
TRAIL_SQL = """
SELECT * FROM (
    SELECT COALESCE(h.submitted_on, h.deadline, h.published_on) AS day, 'hoering' AS kind,
           h.title, 'hoeringer' AS record_table, h.id AS record_id, h.our_status AS status
      FROM hoering_saker l JOIN hoeringer h ON h.id = l.hoering_id WHERE l.sak_id = :sak_id
    UNION ALL
    SELECT COALESCE(b.sent_on, b.hearing_on, b.budget_year || '-01-01'), 'budget_input',
           b.title, 'budget_inputs', b.id, b.outcome
      FROM budget_input_saker l JOIN budget_inputs b ON b.id = l.budget_input_id WHERE l.sak_id = :sak_id
    UNION ALL
    SELECT substr(m.starts_at, 1, 10), 'agenda_item', a.title || ' – ' || m.title, 'meetings', m.id,
           m.kind
      FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id WHERE a.sak_id = :sak_id
    UNION ALL
    SELECT substr(m.starts_at, 1, 10), 'tilsagn', t.text, 'meetings', m.id, t.status
      FROM tilsagn t JOIN meetings m ON m.id = t.meeting_id WHERE t.sak_id = :sak_id
)
ORDER BY day DESC, kind
"""


def list_saker(db: Database, status=None, theme_code=None, lead_org_id=None, text=None) -> pd.DataFrame:
    """Saker matching the filters: active and high priority first."""
    return read_frame(db, LIST_SQL, {
        "status": status, "theme_code": theme_code, "lead_org_id": lead_org_id,
        "text": (text or "").strip() or None,
    })


def get_sak(db: Database, sak_id: int, include_internal: bool = False) -> dict | None:
    """One sak with theme, lead organisation and responsible people."""
    record = read_one(db, """
        SELECT s.*, t.label_nb AS theme_nb, t.label_en AS theme_en, o.name AS lead_org_name
          FROM saker s LEFT JOIN themes t ON t.code = s.theme_code
          LEFT JOIN organisations o ON o.id = s.lead_org_id WHERE s.id = ?""", [sak_id])
    if record is None:
        return None
    if not include_internal:
        record.pop("internal_notes", None)
    record["responsible"] = read_frame(db, """
        SELECT p.id, p.name, o.name AS organisation FROM sak_people l JOIN people p ON p.id = l.person_id
          LEFT JOIN organisations o ON o.id = p.organisation_id WHERE l.sak_id = ? ORDER BY p.name""",
        [sak_id])
    return record


def trail(db: Database, sak_id: int) -> pd.DataFrame:
    """Every høring, budget input, agenda item and tilsagn on the sak, newest first."""
    return read_frame(db, TRAIL_SQL, {"sak_id": sak_id})


def themes(db: Database) -> pd.DataFrame:
    """The topic list (code, labels), in the forum's order."""
    return read_frame(db, "SELECT code, label_nb, label_en, origin FROM themes ORDER BY sort_order, code")


def options(db: Database) -> pd.DataFrame:
    """All saker as (id, title), for pickers."""
    return read_frame(db, "SELECT id, title, status FROM saker ORDER BY title")
