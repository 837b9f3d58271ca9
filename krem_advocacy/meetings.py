"""Meetings (Kontaktutvalget, forum meetings, conferences): reads, agendas and tilsagn."""

from datetime import date

import pandas as pd
from sqlite_utils import Database

from krem_advocacy.db import read_frame, read_one

LIST_SQL = """
SELECT m.id, m.title, m.kind, m.starts_at, m.ends_at, m.place, p.name AS chair, m.themes,
       (SELECT COUNT(*) FROM agenda_items a WHERE a.meeting_id = m.id) AS agenda_count,
       (SELECT COUNT(*) FROM tilsagn t WHERE t.meeting_id = m.id) AS tilsagn_count,
       m.is_example
  FROM meetings m LEFT JOIN people p ON p.id = m.chair_person_id
 WHERE (:kind IS NULL OR m.kind = :kind)
   AND (:year IS NULL OR substr(m.starts_at, 1, 4) = :year)
   AND (:text IS NULL OR m.title LIKE '%' || :text || '%' OR m.themes LIKE '%' || :text || '%')
 ORDER BY m.starts_at DESC
"""

# A person's role (title and organisation) on a given day: the role that covered that day.
ROLE_AT_SQL = """
SELECT r.title, o.short_name, o.name FROM person_roles r LEFT JOIN organisations o ON o.id = r.organisation_id
 WHERE r.person_id = :person_id AND (r.from_date IS NULL OR r.from_date <= :day)
   AND (r.to_date IS NULL OR r.to_date >= :day)
 ORDER BY r.from_date DESC LIMIT 1
"""

OPEN_TILSAGN_SQL = """
SELECT t.id, t.text, t.status, m.id AS meeting_id, m.title AS meeting, m.starts_at,
       p.name AS responsible, o.short_name AS responsible_org, s.id AS sak_id, s.title AS sak
  FROM tilsagn t JOIN meetings m ON m.id = t.meeting_id
  LEFT JOIN people p ON p.id = t.responsible_person_id
  LEFT JOIN organisations o ON o.id = t.responsible_org_id
  LEFT JOIN saker s ON s.id = t.sak_id
 WHERE t.status IN ('aapen', 'fulgt_opp') AND m.starts_at < :before
 ORDER BY m.starts_at DESC
"""


def list_meetings(db: Database, kind=None, year=None, text=None) -> pd.DataFrame:
    """Meetings matching the filters, latest first."""
    return read_frame(db, LIST_SQL, {"kind": kind, "year": str(year) if year else None,
                                     "text": (text or "").strip() or None})


def get_meeting(db: Database, meeting_id: int, include_internal: bool = False) -> dict | None:
    """One meeting with attendees (with their role on the day), organisations, agenda and tilsagn."""
    record = read_one(db, """
        SELECT m.*, p.name AS chair_name, o.name AS host_name FROM meetings m
          LEFT JOIN people p ON p.id = m.chair_person_id
          LEFT JOIN organisations o ON o.id = m.host_org_id WHERE m.id = ?""", [meeting_id])
    if record is None:
        return None
    if not include_internal:
        record.pop("internal_notes", None)
    day = record["starts_at"][:10]
    attendees = read_frame(db, """
        SELECT p.id, p.name, p.side, mp.role_at_meeting FROM meeting_people mp
          JOIN people p ON p.id = mp.person_id WHERE mp.meeting_id = ? ORDER BY p.side DESC, p.name""",
        [meeting_id])
    attendees["role_on_day"] = [role_label(role_at(db, pid, day)) for pid in attendees["id"]]
    record["attendees"] = attendees
    record["organisations"] = read_frame(db, """
        SELECT o.id, o.name, o.short_name FROM meeting_organisations mo
          JOIN organisations o ON o.id = mo.organisation_id WHERE mo.meeting_id = ? ORDER BY o.name""",
        [meeting_id])
    record["agenda"] = agenda(db, meeting_id)
    record["tilsagn"] = read_frame(db, """
        SELECT t.id, t.text, t.status, p.name AS responsible, s.id AS sak_id, s.title AS sak
          FROM tilsagn t LEFT JOIN people p ON p.id = t.responsible_person_id
          LEFT JOIN saker s ON s.id = t.sak_id WHERE t.meeting_id = ? ORDER BY t.id""", [meeting_id])
    record["open_tilsagn_before"] = open_tilsagn(db, before=record["starts_at"])
    return record


def agenda(db: Database, meeting_id: int) -> pd.DataFrame:
    """A meeting's agenda items in order, with what each is tied to and who speaks."""
    return read_frame(db, """
        SELECT a.id, a.position, a.title, a.sak_id, s.title AS sak, a.hoering_id, h.title AS hoering,
               a.budget_input_id, b.title AS budget_input, o.name AS speaker_org,
               p.name AS speaker, a.summary
          FROM agenda_items a
          LEFT JOIN saker s ON s.id = a.sak_id
          LEFT JOIN hoeringer h ON h.id = a.hoering_id
          LEFT JOIN budget_inputs b ON b.id = a.budget_input_id
          LEFT JOIN organisations o ON o.id = a.speaker_org_id
          LEFT JOIN people p ON p.id = a.speaker_person_id
         WHERE a.meeting_id = ? ORDER BY a.position, a.id""", [meeting_id])


def role_at(db: Database, person_id: int, day: str) -> dict | None:
    """The role a person held on a day (title, organisation), or None."""
    return read_one(db, ROLE_AT_SQL, {"person_id": int(person_id), "day": day})


def role_label(role: dict | None) -> str:
    """«statssekretær, ASD» from a role row."""
    if not role:
        return ""
    org = role.get("short_name") or role.get("name")
    return f"{role['title']}, {org}" if org else role["title"]


def open_tilsagn(db: Database, before: str = "9999") -> pd.DataFrame:
    """Tilsagn not yet delivered (open or followed up) from meetings before a moment, latest first."""
    return read_frame(db, OPEN_TILSAGN_SQL, {"before": before})


def next_meeting(db: Database, today: date, kind: str = "ku") -> dict | None:
    """The next meeting of a kind from today on, or None."""
    return read_one(db, """
        SELECT m.id, m.title, m.starts_at, m.ends_at, m.place, m.themes, m.prep_deadline,
               (SELECT COUNT(*) FROM agenda_items a WHERE a.meeting_id = m.id) AS agenda_count
          FROM meetings m WHERE m.kind = ? AND substr(m.starts_at, 1, 10) >= ?
         ORDER BY m.starts_at LIMIT 1""", [kind, today.isoformat()])


def years(db: Database) -> list[str]:
    """Years that have meetings, newest first."""
    return [r[0] for r in db.execute(
        "SELECT DISTINCT substr(starts_at, 1, 4) FROM meetings ORDER BY 1 DESC")]
