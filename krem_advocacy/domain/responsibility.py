"""Who answers for what: a person's høringer, budget inputs, innlegg and tilsagn, with their next deadline.

The dates come from `deadlines.deadlines` (the one definition of what is open, overdue or due), so
«Mitt ansvar», the home page block and the reminders agree with the deadline lists everywhere else.
"""

from datetime import date

import pandas as pd
from sqlite_utils import Database

from krem_advocacy.domain import deadlines
from krem_advocacy.store import notify_log
from krem_advocacy.store.connection import read_frame, read_one

# How far the deadlines are read for «Mitt ansvar»: everything still open, however far ahead or behind.
HORIZON_DAYS = 3650

# The records a person may answer for. `record_table`/`record_id` is what the item links to (an innlegg
# and a tilsagn open on their meeting); `dated_table`/`dated_id` whose deadlines count for it.
RESPONSIBLE_SQL = """
SELECT 'hoering' AS item_kind, 'hoeringer' AS record_table, h.id AS record_id, h.title,
       o.short_name AS context, 'hoeringer' AS dated_table, h.id AS dated_id, h.is_internal, h.our_status AS status
  FROM hoeringer h LEFT JOIN organisations o ON o.id = h.department_id
 WHERE h.responsible_person_id = :person AND h.our_status IN ('innkommet', 'til_vurdering', 'svarer')
UNION ALL
SELECT 'budget_input', 'budget_inputs', b.id, b.title, CAST(b.budget_year AS TEXT), 'budget_inputs', b.id,
       b.is_internal, b.phase
  FROM budget_inputs b
 WHERE b.responsible_person_id = :person AND (b.outcome IS NULL OR b.outcome = 'ukjent')
   AND b.phase NOT IN ('vedtatt', 'revidert')
UNION ALL
SELECT 'agenda_item', 'meetings', m.id, COALESCE(a.title, m.title), m.title, 'meetings', m.id,
       MAX(a.is_internal, m.is_internal), m.kind
  FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id
 WHERE a.responsible_person_id = :person AND substr(m.starts_at, 1, 10) >= :today
UNION ALL
SELECT 'tilsagn', 'meetings', m.id, t.text, m.title, NULL, NULL, MAX(t.is_internal, m.is_internal), t.status
  FROM tilsagn t JOIN meetings m ON m.id = t.meeting_id
 WHERE t.follow_up_person_id = :person AND t.status IN ('aapen', 'fulgt_opp')
"""

COLUMNS = ["item_kind", "record_table", "record_id", "title", "context", "is_internal", "status", "day",
           "deadline_kind", "days_left", "overdue"]


def items_for(db: Database, person_id: int, today: date) -> pd.DataFrame:
    """Everything a person answers for, overdue first, then by date, undated (tilsagn) last.

    Each item carries its next deadline (`day`, `deadline_kind`, `days_left`): the earliest one still
    ahead, or, when all are past, the latest one (then `overdue` is True).
    """
    records = read_frame(db, RESPONSIBLE_SQL, {"person": int(person_id), "today": today.isoformat()})
    if records.empty:
        return pd.DataFrame(columns=COLUMNS)
    dated = deadlines.deadlines(db, today, days_ahead=HORIZON_DAYS, days_back=HORIZON_DAYS)
    by_record: dict[tuple, list] = {}
    for row in dated.itertuples():
        by_record.setdefault((row.record_table, int(row.record_id)), []).append(row)
    days, kinds, lefts = [], [], []
    for row in records.itertuples():
        found = by_record.get((row.dated_table, int(row.dated_id))) if pd.notna(row.dated_id) else None
        chosen = _next_of(found or [])
        days.append(chosen.day if chosen else None)
        kinds.append(chosen.kind if chosen else None)
        lefts.append(int(chosen.days_left) if chosen else None)
    records["day"], records["deadline_kind"], records["days_left"] = days, kinds, lefts
    records["overdue"] = [left is not None and left < 0 for left in lefts]
    records["_undated"] = records["day"].isna()
    records = records.sort_values(["overdue", "_undated", "day", "title"], ascending=[False, True, True, True],
                                  kind="stable")
    return records[COLUMNS].reset_index(drop=True)


def _next_of(rows: list):
    ahead = [r for r in rows if r.days_left >= 0]
    if ahead:
        return min(ahead, key=lambda r: (r.days_left, r.kind))
    return max(rows, key=lambda r: r.days_left) if rows else None


def person_for_account(db: Database, account: str | None, email: str | None = None,
                       configured: int | str | None = None) -> int | None:
    """The person an account is: `configured` (the `person` key of the account in the secrets: an id, a
    name or an e-mail address), else the link made on Administrasjon, else the one person with the
    account's e-mail address. None when none of them names exactly one person."""
    if configured not in (None, ""):
        found = _person_named(db, configured)
        if found is not None:
            return found
    linked = notify_log.person_of_account(db, account)
    if linked is not None:
        return linked
    if email:
        rows = db.execute("SELECT id FROM people WHERE lower(trim(email)) = ?", [email.strip().lower()]).fetchall()
        if len(rows) == 1:
            return rows[0][0]
    return None


def _person_named(db: Database, value) -> int | None:
    text = str(value).strip()
    if text.isdigit():
        return int(text) if db.execute("SELECT 1 FROM people WHERE id = ?", [int(text)]).fetchone() else None
    rows = db.execute("SELECT id FROM people WHERE lower(trim(email)) = lower(?) OR lower(trim(name)) = lower(?)",
                      [text, text]).fetchall()
    return rows[0][0] if len(rows) == 1 else None


def person(db: Database, person_id: int) -> dict | None:
    """A person's name and address (for the page heading and the messages)."""
    return read_one(db, "SELECT id, name, email FROM people WHERE id = ?", [int(person_id)])


def count_for(db: Database, person_id: int, today: date) -> dict[str, int]:
    """How many items a person has: in all, overdue, due within a week (the home page block)."""
    items = items_for(db, person_id, today)
    soon = items["days_left"].apply(lambda d: d is not None and pd.notna(d) and 0 <= d <= 7)
    return {"total": len(items), "overdue": int(items["overdue"].sum()), "this_week": int(soon.sum())}
