"""Key figures and activity over time, aggregated in SQL so charts receive a few rows."""

from datetime import date

import pandas as pd
from sqlite_utils import Database

from krem_advocacy.domain import deadlines
from krem_advocacy.store.connection import read_frame, read_one

ACTIVITY_KINDS = ("hoering_answered", "meeting_held", "budget_input_sent", "innlegg_given")

# Quarter label «2025 K3» computed in SQL from an ISO date column.
_QUARTER = "strftime('%Y', {col}) || ' K' || ((CAST(strftime('%m', {col}) AS INTEGER) + 2) / 3)"

ACTIVITY_SQL = f"""
SELECT period, kind, COUNT(*) AS count FROM (
    SELECT {_QUARTER.format(col='submitted_on')} AS period, 'hoering_answered' AS kind
      FROM hoeringer WHERE submitted_on BETWEEN :start AND :today
    UNION ALL
    SELECT {_QUARTER.format(col='substr(starts_at, 1, 10)')}, 'meeting_held'
      FROM meetings WHERE substr(starts_at, 1, 10) BETWEEN :start AND :today
    UNION ALL
    SELECT {_QUARTER.format(col='sent_on')}, 'budget_input_sent'
      FROM budget_inputs WHERE sent_on BETWEEN :start AND :today
    UNION ALL
    SELECT {_QUARTER.format(col='substr(m.starts_at, 1, 10)')}, 'innlegg_given'
      FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id
     WHERE a.speaker_org_id IS NOT NULL AND substr(m.starts_at, 1, 10) BETWEEN :start AND :today
)
GROUP BY period, kind ORDER BY period, kind
"""

KEY_FIGURES_SQL = """
SELECT
  (SELECT COUNT(*) FROM saker WHERE status = 'aktiv') AS active_saker,
  (SELECT COUNT(*) FROM hoeringer WHERE our_status IN ('innkommet', 'til_vurdering', 'svarer')) AS open_hoeringer,
  (SELECT COUNT(*) FROM hoeringer WHERE submitted_on >= :year_start) AS answered_this_year,
  (SELECT COUNT(*) FROM tilsagn WHERE status IN ('aapen', 'fulgt_opp')) AS open_tilsagn,
  (SELECT COUNT(*) FROM meetings WHERE kind = 'ku' AND substr(starts_at, 1, 10) >= :year_start
      AND substr(starts_at, 1, 10) <= :today) AS ku_meetings_this_year,
  (SELECT COUNT(*) FROM budget_inputs WHERE budget_year >= :next_year) AS current_budget_inputs
"""


def activity_by_quarter(db: Database, today: date, start: date) -> pd.DataFrame:
    """Counts per quarter and kind of activity between `start` and today (columns period, kind, count)."""
    return read_frame(db, ACTIVITY_SQL, {"start": start.isoformat(), "today": today.isoformat()})


def key_figures(db: Database, today: date) -> dict:
    """The home page's headline numbers (the overdue count is `deadlines.counts`, as on every page)."""
    figures = read_one(db, KEY_FIGURES_SQL, {
        "today": today.isoformat(),
        "year_start": date(today.year, 1, 1).isoformat(),
        "next_year": today.year + 1,
    })
    figures["overdue_hoeringer"] = deadlines.counts(db, today)["overdue"]
    return figures
