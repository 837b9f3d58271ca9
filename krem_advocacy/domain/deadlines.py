"""Every dated obligation in one list: høringsfrister, internal deadlines, budget hearings and votes, meetings."""

from datetime import date, timedelta

import pandas as pd
from sqlite_utils import Database

from krem_advocacy.store.connection import read_frame

# Høringer we still owe an answer or a decision on.
OPEN_HOERING_STATUSES = ("innkommet", "til_vurdering", "svarer")

BUCKETS = ("overdue", "this_week", "next_30", "later")

HOERING_DEADLINES_SQL = """
SELECT h.deadline AS day, 'hoering_frist' AS kind, h.title, 'hoeringer' AS record_table,
       h.id AS record_id, h.our_status AS status, o.short_name AS owner
  FROM hoeringer h LEFT JOIN organisations o ON o.id = h.department_id
 WHERE h.deadline IS NOT NULL AND h.our_status IN ('innkommet', 'til_vurdering', 'svarer')
   AND h.deadline BETWEEN :start AND :end
UNION ALL
SELECT h.internal_deadline, 'hoering_internal', h.title, 'hoeringer', h.id, h.our_status, lead.short_name
  FROM hoeringer h LEFT JOIN organisations lead ON lead.id = h.lead_org_id
 WHERE h.internal_deadline IS NOT NULL AND h.our_status IN ('innkommet', 'til_vurdering', 'svarer')
   AND h.internal_deadline BETWEEN :start AND :end
"""

DEADLINES_SQL = HOERING_DEADLINES_SQL + """UNION ALL
SELECT b.hearing_application_deadline, 'budget_hearing_application', b.title, 'budget_inputs', b.id,
       b.phase, r.short_name
  FROM budget_inputs b LEFT JOIN organisations r ON r.id = b.recipient_org_id
 WHERE b.hearing_application_deadline BETWEEN :start AND :end
UNION ALL
SELECT b.hearing_on, 'budget_hearing', b.title, 'budget_inputs', b.id, b.phase, r.short_name
  FROM budget_inputs b LEFT JOIN organisations r ON r.id = b.recipient_org_id
 WHERE b.hearing_on BETWEEN :start AND :end
UNION ALL
SELECT y.day, y.kind, 'Prop. 1 S (' || (y.budget_year - 1) || '–' || y.budget_year || ')', 'budget_years',
       y.id, NULL, NULL
  FROM (SELECT id, budget_year, hearing_application_deadline AS day, 'budget_hearing_application' AS kind
          FROM budget_years
        UNION ALL SELECT id, budget_year, hearing_on, 'budget_hearing' FROM budget_years
        UNION ALL SELECT id, budget_year, frames_vote_on, 'budget_frames_vote' FROM budget_years
        UNION ALL SELECT id, budget_year, final_vote_on, 'budget_final_vote' FROM budget_years) y
 WHERE y.day BETWEEN :start AND :end
   -- the year's hearing dates only when no input of that year already lists the same date
   AND NOT EXISTS (SELECT 1 FROM budget_inputs b WHERE b.budget_year = y.budget_year AND (
        (y.kind = 'budget_hearing_application' AND b.hearing_application_deadline = y.day)
        OR (y.kind = 'budget_hearing' AND b.hearing_on = y.day)))
UNION ALL
SELECT substr(m.starts_at, 1, 10), 'meeting', m.title, 'meetings', m.id, m.kind, o.short_name
  FROM meetings m LEFT JOIN organisations o ON o.id = m.host_org_id
 WHERE substr(m.starts_at, 1, 10) BETWEEN :past_from AND :end
UNION ALL
SELECT m.prep_deadline, 'meeting_prep', m.title, 'meetings', m.id, m.kind, o.short_name
  FROM meetings m LEFT JOIN organisations o ON o.id = m.host_org_id
 WHERE m.prep_deadline BETWEEN :past_from AND :end
"""


def deadlines(db: Database, today: date, days_ahead: int = 30, days_back: int = 90,
              keep_past: bool = False, hoeringer_only: bool = False) -> pd.DataFrame:
    """Deadlines from `days_back` ago to `days_ahead` ahead, soonest first, with days left and bucket.

    Past høring deadlines appear only while the høring is still open (they are overdue);
    past meetings and budget dates do not appear unless `keep_past` (a calendar keeps its history).
    `hoeringer_only` leaves out budget dates and meetings.
    """
    start = (today - timedelta(days=days_back)).isoformat()
    params = {
        "today": today.isoformat(),
        "start": start,
        "end": (today + timedelta(days=days_ahead)).isoformat(),
        "past_from": start if keep_past else today.isoformat(),
    }
    sql = HOERING_DEADLINES_SQL if hoeringer_only else DEADLINES_SQL
    frame = read_frame(db, sql + " ORDER BY day, kind, title", params)
    frame["days_left"] = [(date.fromisoformat(d) - today).days for d in frame["day"]]
    # Budget dates and meetings already past are history, not overdue work.
    if not keep_past:
        frame = frame[(frame["days_left"] >= 0) | frame["kind"].isin(["hoering_frist", "hoering_internal"])]
    frame["bucket"] = [bucket(d) for d in frame["days_left"]]
    return frame.reset_index(drop=True)


def bucket(days_left: int) -> str:
    """overdue (< 0), this_week (0–7 days), next_30 (8–30), later (> 30)."""
    if days_left < 0:
        return "overdue"
    if days_left <= 7:
        return "this_week"
    if days_left <= 30:
        return "next_30"
    return "later"
