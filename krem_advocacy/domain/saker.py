"""Saker (policy topics): the list, one sak with its trail and activity, and creating and editing saker."""

import json
from datetime import date

import pandas as pd
from sqlite_utils import Database

from krem_advocacy.domain import fields
from krem_advocacy.domain.fields import Field, Link
from krem_advocacy.store.connection import read_frame, read_one, read_rows
from krem_advocacy.store.permissions import Actor

_LIST_ORDER = """CASE {t}.status WHEN 'aktiv' THEN 0 WHEN 'pause' THEN 1 ELSE 2 END,
          CASE {t}.priority WHEN 'hoey' THEN 0 WHEN 'middels' THEN 1 ELSE 2 END, {t}.title"""

# The saker to show are picked (and counted, `total_rows`) first; their activity is then counted only
# for those: a long list shows its first rows only.
LIST_SQL = f"""
WITH shown AS (
  SELECT s.id, s.title, s.easy_read, s.theme_code, s.priority, s.status, s.lead_org_id, s.started_on,
         s.is_example, COUNT(*) OVER () AS total_rows
    FROM saker s
   WHERE (:status IS NULL OR s.status = :status)
     AND (:theme_code IS NULL OR s.theme_code = :theme_code)
     AND (:lead_org_id IS NULL OR s.lead_org_id = :lead_org_id)
     AND (:text IS NULL OR s.title LIKE '%' || :text || '%' OR s.description LIKE '%' || :text || '%')
   ORDER BY {_LIST_ORDER.format(t="s")} LIMIT :limit)
SELECT s.id, s.title, s.easy_read, s.theme_code, t.label_nb AS theme_nb, t.label_en AS theme_en, s.priority,
       s.status, o.name AS lead_org, s.started_on, s.is_example,
       (SELECT COUNT(*) FROM hoering_saker l WHERE l.sak_id = s.id)
     + (SELECT COUNT(*) FROM budget_input_saker l WHERE l.sak_id = s.id)
     + (SELECT COUNT(*) FROM agenda_items a WHERE a.sak_id = s.id)
     + (SELECT COUNT(*) FROM tilsagn t WHERE t.sak_id = s.id) AS activity_count, s.total_rows
  FROM shown s
  LEFT JOIN themes t ON t.code = s.theme_code
  LEFT JOIN organisations o ON o.id = s.lead_org_id
 ORDER BY {_LIST_ORDER.format(t="s")}
"""

# Everything done on a sak, one row per event: the date and what it is (day_kind), where it opens
# (record_table, record_id), its status code, the counterpart (to whom, or who spoke / is responsible),
# its outcome in words and, for budget inputs, the kroner asked and adopted.
_TRAIL_EVENTS_OF = """
    SELECT {sak}COALESCE(h.submitted_on, h.deadline, h.published_on) AS day,
           CASE WHEN h.submitted_on IS NOT NULL THEN 'submitted' WHEN h.deadline IS NOT NULL THEN 'deadline'
                WHEN h.published_on IS NOT NULL THEN 'published' END AS day_kind,
           'hoering' AS kind, h.title, 'hoeringer' AS record_table, h.id AS record_id, h.id AS item_id,
           h.our_status AS status, COALESCE(d.short_name, d.name) AS counterpart, h.result AS outcome,
           NULL AS ask_amount, NULL AS adopted_amount, NULL AS followed_up_on
      FROM hoering_saker l JOIN hoeringer h ON h.id = l.hoering_id
      LEFT JOIN organisations d ON d.id = h.department_id
     WHERE l.sak_id {match}
    UNION ALL
    SELECT {sak_b}COALESCE(b.sent_on, b.hearing_on, b.budget_year || '-01-01'),
           CASE WHEN b.sent_on IS NOT NULL THEN 'sent' WHEN b.hearing_on IS NOT NULL THEN 'hearing'
                ELSE 'budget_year' END,
           'budget_input', b.title, 'budget_inputs', b.id, b.id, b.outcome,
           COALESCE(r.short_name, r.name), b.ask, b.ask_amount, b.adopted_amount, NULL
      FROM budget_input_saker l JOIN budget_inputs b ON b.id = l.budget_input_id
      LEFT JOIN organisations r ON r.id = b.recipient_org_id
     WHERE l.sak_id {match}
    UNION ALL
    SELECT {sak_a}substr(m.starts_at, 1, 10), 'meeting', 'agenda_item', a.title || ' – ' || m.title, 'meetings', m.id,
           a.id, m.kind,
           NULLIF(TRIM(COALESCE(so.short_name, so.name, '') || COALESCE(' (' || sp.name || ')', '')), ''),
           a.summary, NULL, NULL, NULL
      FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id
      LEFT JOIN organisations so ON so.id = a.speaker_org_id
      LEFT JOIN people sp ON sp.id = a.speaker_person_id
     WHERE a.sak_id {match}
    UNION ALL
    SELECT {sak_t}substr(m.starts_at, 1, 10), 'meeting', 'tilsagn', t.text, 'meetings', m.id, t.id, t.status,
           NULLIF(TRIM(COALESCE(rp.name, '') || COALESCE(' (' || COALESCE(ro.short_name, ro.name) || ')', '')), ''),
           NULL, NULL, NULL, substr(fm.starts_at, 1, 10)
      FROM tilsagn t JOIN meetings m ON m.id = t.meeting_id
      LEFT JOIN people rp ON rp.id = t.responsible_person_id
      LEFT JOIN organisations ro ON ro.id = t.responsible_org_id
      LEFT JOIN meetings fm ON fm.id = t.followed_up_meeting_id
     WHERE t.sak_id {match}
"""
# One sak's events, and the events of many saker at once (with the sak's id first), for the yearly report.
_TRAIL_EVENTS = _TRAIL_EVENTS_OF.format(sak="", sak_b="", sak_a="", sak_t="", match="= :sak_id")
_TRAILS_EVENTS = _TRAIL_EVENTS_OF.format(sak="l.sak_id, ", sak_b="l.sak_id, ", sak_a="a.sak_id, ",
                                         sak_t="t.sak_id, ", match="IN (SELECT value FROM json_each(:sak_ids))")

TRAILS_SQL = f"SELECT * FROM ({_TRAILS_EVENTS}) ORDER BY sak_id, day DESC, kind, item_id"

TRAIL_KINDS = ("hoering", "budget_input", "agenda_item", "tilsagn")

TRAIL_SQL = f"""
SELECT * FROM ({_TRAIL_EVENTS})
 WHERE (:kinds IS NULL OR kind IN (SELECT value FROM json_each(:kinds)))
 ORDER BY day DESC, kind, item_id
"""

# Quarter «2025 K3» of an ISO date, and the first day of that quarter (a date a time axis can place).
_QUARTER = "strftime('%Y', {col}) || ' K' || ((CAST(strftime('%m', {col}) AS INTEGER) + 2) / 3)"
_QUARTER_START = ("strftime('%Y', {col}) || '-' || "
                  "printf('%02d', ((CAST(strftime('%m', {col}) AS INTEGER) - 1) / 3) * 3 + 1) || '-01'")

TRAIL_BY_QUARTER_SQL = f"""
SELECT {_QUARTER_START.format(col='day')} AS quarter_start, {_QUARTER.format(col='day')} AS period, kind,
       COUNT(*) AS count
  FROM ({_TRAIL_EVENTS}) WHERE day IS NOT NULL
 GROUP BY quarter_start, kind ORDER BY quarter_start, kind
"""

# Activity on saker per theme and quarter: each høring, budget input, agenda item and tilsagn counted
# once per theme of the saker it is linked to (UNION drops the doubles of one record on two saker).
THEME_ACTIVITY_SQL = f"""
WITH events AS (
    SELECT 'hoering' AS kind, h.id, s.theme_code, COALESCE(h.submitted_on, h.deadline, h.published_on) AS day
      FROM hoering_saker l JOIN hoeringer h ON h.id = l.hoering_id JOIN saker s ON s.id = l.sak_id
    UNION
    SELECT 'budget_input', b.id, s.theme_code, COALESCE(b.sent_on, b.hearing_on, b.budget_year || '-01-01')
      FROM budget_input_saker l JOIN budget_inputs b ON b.id = l.budget_input_id JOIN saker s ON s.id = l.sak_id
    UNION
    SELECT 'agenda_item', a.id, s.theme_code, substr(m.starts_at, 1, 10)
      FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id JOIN saker s ON s.id = a.sak_id
    UNION
    SELECT 'tilsagn', t.id, s.theme_code, substr(m.starts_at, 1, 10)
      FROM tilsagn t JOIN meetings m ON m.id = t.meeting_id JOIN saker s ON s.id = t.sak_id
)
SELECT COALESCE(e.theme_code, '') AS theme_code, t.label_nb AS theme_nb, t.label_en AS theme_en,
       {_QUARTER.format(col='e.day')} AS period, COUNT(*) AS count
  FROM events e LEFT JOIN themes t ON t.code = e.theme_code
 WHERE e.day BETWEEN :start AND :end
 GROUP BY e.theme_code, period
 ORDER BY COALESCE(t.sort_order, 9999), e.theme_code, period
"""


def list_saker(db: Database, status=None, theme_code=None, lead_org_id=None, text=None,
               limit: int | None = None) -> pd.DataFrame:
    """Saker matching the filters: active and high priority first.

    With `limit`, only the first rows; `total_rows` says how many match in all.
    """
    return read_frame(db, LIST_SQL, {
        "status": status, "theme_code": theme_code, "lead_org_id": lead_org_id,
        "text": (text or "").strip() or None, "limit": -1 if limit is None else int(limit),
    })


def get_sak(db: Database, sak_id: int, include_internal: bool = False) -> dict | None:
    """One sak with theme, lead organisation and responsible people (a list of dicts)."""
    record = read_one(db, """
        SELECT s.*, t.label_nb AS theme_nb, t.label_en AS theme_en, o.name AS lead_org_name
          FROM saker s LEFT JOIN themes t ON t.code = s.theme_code
          LEFT JOIN organisations o ON o.id = s.lead_org_id WHERE s.id = ?""", [sak_id])
    if record is None:
        return None
    if not include_internal:
        record.pop("internal_notes", None)
    record["responsible"] = read_rows(db, """
        SELECT p.id, p.name, o.name AS organisation FROM sak_people l JOIN people p ON p.id = l.person_id
          LEFT JOIN organisations o ON o.id = p.organisation_id WHERE l.sak_id = ? ORDER BY p.name""",
        [sak_id])
    return record


def trail(db: Database, sak_id: int, kinds=None) -> pd.DataFrame:
    """Every høring, budget input, agenda item and tilsagn on the sak, newest first.

    `kinds` (some of TRAIL_KINDS) keeps only those kinds; None keeps all. Columns: day, day_kind, kind,
    title, record_table, record_id (what opens it), item_id, status, counterpart, outcome, ask_amount,
    adopted_amount, followed_up_on.
    """
    chosen = None if kinds is None else json.dumps([k for k in kinds if k in TRAIL_KINDS])
    return read_frame(db, TRAIL_SQL, {"sak_id": sak_id, "kinds": chosen})


def trails(db: Database, sak_ids) -> pd.DataFrame:
    """The trails of many saker in one query: `trail`'s columns after a sak_id column, each sak's newest first."""
    return read_frame(db, TRAILS_SQL, {"sak_ids": json.dumps([int(i) for i in sak_ids])})


def trail_by_quarter(db: Database, sak_id: int) -> pd.DataFrame:
    """The sak's trail counted per quarter and kind (quarter_start, period, kind, count), for its chart."""
    return read_frame(db, TRAIL_BY_QUARTER_SQL, {"sak_id": sak_id})


def activity_by_theme(db: Database, start: date, end: date) -> pd.DataFrame:
    """Activity on saker per theme and quarter between two dates (theme_code, theme_nb, theme_en, period,
    count), for the heatmap; activity on saker without a theme has theme_code ''."""
    return read_frame(db, THEME_ACTIVITY_SQL, {"start": start.isoformat(), "end": end.isoformat()})


def quarters(start: date, end: date) -> list[str]:
    """Every quarter from `start` to `end` as «2025 K3» labels (the columns of the heatmap)."""
    labels, year, quarter = [], start.year, (start.month - 1) // 3 + 1
    while (year, quarter) <= (end.year, (end.month - 1) // 3 + 1):
        labels.append(f"{year} K{quarter}")
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return labels


def themes(db: Database) -> pd.DataFrame:
    """The topic list (code, labels), in the forum's order."""
    return read_frame(db, "SELECT code, label_nb, label_en, origin FROM themes ORDER BY sort_order, code")


def options(db: Database) -> pd.DataFrame:
    """All saker as (id, title), for pickers."""
    return read_frame(db, "SELECT id, title, status FROM saker ORDER BY title")


MISSING = "validation.saker.missing"

# A sak as forms, imports, exports and checks know it (besides `responsible`, its people).
KIND = fields.Kind("saker", (
    Field("title", "title", ("Tittel", "Title"), required=True, search_weight=10.0,
          aliases=("tittel", "title", "sak", "navn", "topic")),
    Field("description", "longtext", ("Beskrivelse", "Description"), search_weight=2.0,
          aliases=("beskrivelse", "description", "om saken")),
    # «Kort fortalt» is for readers with little time or little Norwegian: a few short sentences.
    Field("easy_read", "longtext", ("Lettlest", "Easy read"), max_length=600, search_weight=3.0,
          aliases=("lettlest", "enkelt forklart", "easy read", "plain language")),
    Field("theme_code", "theme", ("Tema", "Theme"), aliases=("tema", "theme", "plattform")),
    Field("priority", "code", ("Prioritet", "Priority"), code_list="priority", aliases=("prioritet", "priority")),
    Field("stance", "longtext", ("Standpunkt", "Stance"), search_weight=2.0,
          aliases=("standpunkt", "holdning", "stance", "position")),
    Field("status", "code", ("Status", "Status"), code_list="sak_status", aliases=("status",)),
    Field("lead_org_id", "ref", ("Hovedansvarlig", "Lead organisation"), ref="organisations", missing=MISSING,
          aliases=("ansvarlig", "ledende organisasjon", "lead", "lead organisation", "lead organization")),
    Field("started_on", "date", ("Startet", "Started"), aliases=("startet", "start", "startdato", "started", "started on")),
    *fields.common_fields(),
), links=(
    Link("responsible", "sak_people", "sak_id", "person_id", "people", ("Ansvarlige", "Responsible"), missing=MISSING),
))

SAK_FIELDS = KIND.names
TEXT_FIELDS = KIND.of_type("longtext")
EASY_READ_MAX_LENGTH = KIND.field("easy_read").length


def clean_sak(db: Database, values: dict, previous: dict | None = None) -> tuple[dict, dict]:
    """Check a sak's values; return (row values, links) or raise ValidationError.

    An empty priority or status keeps the table's default (middels, aktiv).
    """
    row, links, errors = fields.clean_fields(db, KIND, values)
    for field in ("priority", "status"):  # required codes: an empty choice keeps the database default
        if row[field] is None:
            del row[field]
    fields.raise_errors(errors)
    return row, links


def create_sak(db: Database, actor: Actor, values: dict) -> int:
    """Create a sak with its responsible people (values as SAK_FIELDS plus `responsible`); return its id."""
    return fields.save(db, actor, KIND, values, clean_sak)


def update_sak(db: Database, actor: Actor, sak_id: int, values: dict, expected_version: int) -> int:
    """Save an edited sak if nobody saved it since `expected_version`; return the new version.

    Fields not given keep what is saved. Raises ConflictError (with the sak as saved now) instead of
    overwriting someone else's edit.
    """
    return fields.save(db, actor, KIND, values, clean_sak, sak_id, expected_version)


def responsible_ids(db: Database, sak_id: int) -> list[int]:
    """The ids of the sak's responsible people (for the edit form)."""
    return KIND.current_links(db, sak_id)["responsible"]


def check_import_row(db: Database, values: dict, raw: dict) -> dict[str, str]:
    """A spreadsheet row's problems as the form would name them (the importer's row rule for saker)."""
    return fields.validated(lambda: clean_sak(db, values))[1]


def duplicate_keys(values: dict) -> list[tuple]:
    """What makes two saker the same: the title."""
    return [("title", fields.normal_key(values.get("title")))]


IMPORT = fields.ImportSpec(KIND, check_import_row, duplicate_keys)
