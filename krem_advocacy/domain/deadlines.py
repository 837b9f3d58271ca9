"""Every dated obligation in one list, and THE definition of each deadline state (docs/deadlines.md).

A høring is *live* while we still owe an answer or a decision (our status innkommet, til vurdering or
svarer), nothing has been delivered (no `submitted_on`) and its official status is still *på høring*.
Only live høringer have deadlines in the lists. A live høring whose official frist passed more than
`stale_days` ago (a setting, default 14) is *stale*: it leaves the overdue lists and is offered once as
«Frist passert uten svar – arkivere?». Every count, list, chip, the calendar, the feed and the digest
read their states from here.
"""

from datetime import date, timedelta

import pandas as pd
from sqlite_utils import Database

from krem_advocacy.store import settings
from krem_advocacy.store.connection import read_frame
from krem_advocacy.store.errors import ValidationError
from krem_advocacy.store.permissions import EDIT, Actor, require

# Høringer we still owe an answer or a decision on.
OPEN_HOERING_STATUSES = ("innkommet", "til_vurdering", "svarer")
# Our statuses that end a høring's deadlines: answered, decided not to answer, archived.
OVER_OUR_STATUSES = ("svarer_ikke", "levert", "arkivert")
# The official status while the consultation is open; any other (under behandling, ferdigbehandlet) ends it.
OPEN_OFFICIAL_STATUS = "paa_hoering"
# What the official status probably is once the frist has passed.
SUGGESTED_CLOSED_STATUS = "under_behandling"

BUCKETS = ("overdue", "this_week", "next_30", "later")
# The «next N days» windows a page may offer; 14 is the home page's default.
WINDOWS = (7, 14, 30)
DEFAULT_WINDOW = 14
# The kinds of høring deadline rows: the official frist and our internal one.
HOERING_KINDS = ("hoering_frist", "hoering_internal")
# Which deadlines a count takes: the official frist, the internal one, or both (a høring counted once).
SCOPES = ("official", "internal", "both")

STALE_DAYS_KEY = "hoering_stale_days"
DEFAULT_STALE_DAYS = 14
MAX_STALE_DAYS = 365

# SQL condition of a live høring (alias h).
LIVE_SQL = ("h.our_status IN ('innkommet', 'til_vurdering', 'svarer') AND h.submitted_on IS NULL "
            "AND h.official_status = 'paa_hoering'")

HOERING_DEADLINES_SQL = f"""
SELECT h.deadline AS day, 'hoering_frist' AS kind, h.title, 'hoeringer' AS record_table,
       h.id AS record_id, h.our_status AS status, o.short_name AS owner
  FROM hoeringer h LEFT JOIN organisations o ON o.id = h.department_id
 WHERE h.deadline IS NOT NULL AND {LIVE_SQL}
   AND h.deadline BETWEEN :start AND :end
UNION ALL
SELECT h.internal_deadline, 'hoering_internal', h.title, 'hoeringer', h.id, h.our_status, lead.short_name
  FROM hoeringer h LEFT JOIN organisations lead ON lead.id = h.lead_org_id
 WHERE h.internal_deadline IS NOT NULL AND {LIVE_SQL}
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

STALE_SQL = f"""
SELECT h.id, h.title, h.deadline, h.internal_deadline, h.our_status, h.official_status, h.version,
       o.short_name AS department
  FROM hoeringer h LEFT JOIN organisations o ON o.id = h.department_id
 WHERE {LIVE_SQL} AND h.deadline IS NOT NULL AND h.deadline < :before
 ORDER BY h.deadline DESC, h.title
"""


def is_live(our_status: str | None, official_status: str | None, submitted_on: str | None = None) -> bool:
    """True while a høring still has deadlines: open on our side, nothing delivered, still på høring."""
    return (our_status in OPEN_HOERING_STATUSES and not submitted_on
            and (official_status or OPEN_OFFICIAL_STATUS) == OPEN_OFFICIAL_STATUS)


def stale_days(db: Database) -> int:
    """Days after the frist before a live høring is offered for archiving (setting, default 14)."""
    value = settings.get(db, STALE_DAYS_KEY)
    try:
        return int(value) if value is not None else DEFAULT_STALE_DAYS
    except ValueError:
        return DEFAULT_STALE_DAYS


def set_stale_days(db: Database, actor: Actor, days) -> int:
    """Change after how many days past the frist a live høring is offered for archiving (1–365)."""
    require(actor, EDIT)
    try:
        days = int(days)
    except (TypeError, ValueError):
        raise ValidationError({"stale_days": "validation.stale_days"}) from None
    if not 1 <= days <= MAX_STALE_DAYS:
        raise ValidationError({"stale_days": "validation.stale_days"})
    settings.put(db, STALE_DAYS_KEY, str(days), actor)
    return days


def deadlines(db: Database, today: date, days_ahead: int = 30, days_back: int = 90,
              keep_past: bool = False, hoeringer_only: bool = False) -> pd.DataFrame:
    """Deadlines from `days_back` ago to `days_ahead` ahead, soonest first, with days left and bucket.

    Columns: day, kind, title, record_table, record_id, status, owner, days_left, bucket.
    Høring deadlines appear only while the høring is live. Of past ones, only what is still overdue
    work stays, one row per høring: its official frist while the høring is not stale, else its
    internal deadline while the official frist is still ahead. Stale høringer, past meetings and
    budget dates do not appear unless `keep_past` (a calendar keeps its history). `hoeringer_only`
    leaves out budget dates and meetings.
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
    if not keep_past:
        past = frame["days_left"] < 0
        frist = frame["kind"] == "hoering_frist"
        late = set(frame.loc[past & frist, "record_id"])
        overdue_frist = frist & (frame["days_left"] >= -stale_days(db))
        # A passed internal deadline matters while the frist is ahead; after that the frist is what is late.
        overdue_internal = (frame["kind"] == "hoering_internal") & ~frame["record_id"].isin(late)
        frame = frame[~past | overdue_frist | overdue_internal]
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


def overdue(frame: pd.DataFrame, scope: str = "both") -> pd.DataFrame:
    """The overdue rows of a `deadlines` frame, latest first, at most one per høring.

    `official`: høringer whose frist has passed; `internal`: those whose internal deadline has passed
    while the frist is still ahead; `both`: the two together (never the same høring twice).
    """
    kinds = {"official": ("hoering_frist",), "internal": ("hoering_internal",), "both": HOERING_KINDS}[scope]
    rows = frame[(frame["days_left"] < 0) & frame["kind"].isin(kinds)]
    return rows.sort_values(["day", "title"], ascending=[False, True], kind="stable").reset_index(drop=True)


def due_within(frame: pd.DataFrame, days: int, scope: str = "both") -> pd.DataFrame:
    """Rows of a `deadlines` frame due from today to `days` days ahead, soonest first.

    `scope` official / internal keeps only that kind of høring deadline (with every other kind of
    date); both keeps all.
    """
    rows = frame[(frame["days_left"] >= 0) & (frame["days_left"] <= days)]
    if scope == "official":
        rows = rows[rows["kind"] != "hoering_internal"]
    elif scope == "internal":
        rows = rows[rows["kind"] != "hoering_frist"]
    return rows.reset_index(drop=True)


def counts(db: Database, today: date) -> dict[str, int]:
    """The numbers every page shows: overdue høringer, due within each window, and stale ones.

    Keys: overdue (høringer, official and internal together), overdue_official, overdue_internal,
    due_7, due_14, due_30 (every dated row in the window, as the lists show them), due_7_hoeringer …
    (distinct høringer with a deadline in the window), stale.
    """
    frame = deadlines(db, today, days_ahead=max(WINDOWS))
    found = {"overdue": len(overdue(frame)), "overdue_official": len(overdue(frame, "official")),
             "overdue_internal": len(overdue(frame, "internal")), "stale": len(stale_hoeringer(db, today))}
    for days in WINDOWS:
        rows = due_within(frame, days)
        found[f"due_{days}"] = len(rows)
        found[f"due_{days}_hoeringer"] = int(rows[rows["record_table"] == "hoeringer"]["record_id"].nunique())
    return found


def stale_hoeringer(db: Database, today: date) -> pd.DataFrame:
    """Live høringer whose frist passed more than `stale_days` ago with nothing delivered, latest first.

    Shown once each as «Frist passert uten svar – arkivere?»; no overdue count includes them.
    """
    before = (today - timedelta(days=stale_days(db))).isoformat()
    frame = read_frame(db, STALE_SQL, {"before": before})
    frame["days_left"] = [(date.fromisoformat(d) - today).days for d in frame["deadline"]]
    return frame


def suggested_official_status(official_status: str | None, deadline: str | None, today: date) -> str | None:
    """The official status the dates suggest, when it differs from the saved one (else None).

    A consultation whose frist has passed is probably *under behandling* at the ministry.
    """
    if official_status == OPEN_OFFICIAL_STATUS and deadline and date.fromisoformat(deadline[:10]) < today:
        return SUGGESTED_CLOSED_STATUS
    return None
