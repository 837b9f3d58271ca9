"""Høringer (public consultations): reads for lists and one record, and the writes of the workflow."""

import json
import re
from datetime import date, timedelta

import pandas as pd
from sqlite_utils import Database

from krem_advocacy.text import codes
from krem_advocacy import config
from krem_advocacy.domain import deadlines, validation
from krem_advocacy.store import records, settings
from krem_advocacy.store.connection import read_frame, read_one, write_transaction
from krem_advocacy.store.connection import read_rows
from krem_advocacy.store.records import Actor, ConflictError, ValidationError, audit, now_iso, require_editor

# Shorter than this from publication to frist breaks utredningsinstruksen 3-3 unless a reason is given.
MIN_CONSULTATION_DAYS = 42

# The settings key of the lead time: days between our internal deadline and the official frist.
LEAD_DAYS_KEY = "hoering_lead_days"
MAX_LEAD_DAYS = 60

# Vår ref. on regjeringen.no is a case number YY/NNNN (e.g. 24/109), sometimes with a document suffix.
OUR_REF_PATTERN = re.compile(r"^\d{2}/\d{1,6}(-\d{1,4})?$")

# Statuses the edit form offers; `arkivert` is reached only by archiving (and left by restoring).
FORM_STATUSES = tuple(s for s in codes.HOERING_OUR_STATUSES if s != "arkivert")

# Columns a form may write; everything else (id, version, timestamps, is_example, source) is kept.
FIELDS = ("title", "department_id", "published_on", "deadline", "internal_deadline", "internal_deadline_manual",
          "our_ref", "url", "official_status", "our_status", "named_instance", "answer_type", "lead_org_id",
          "answer_url", "submitted_on", "short_deadline_reason", "result", "notes", "internal_notes")
DATE_FIELDS = ("published_on", "deadline", "internal_deadline", "submitted_on")
TEXT_FIELDS = ("short_deadline_reason", "result", "notes", "internal_notes")

HOERING_DEADLINE_KINDS = ("hoering_frist", "hoering_internal")
# How far the deadline view and timeline look back and ahead.
VIEW_DAYS_BACK = 3650
VIEW_DAYS_AHEAD = 3650
TIMELINE_DAYS_BACK = 90
TIMELINE_LIMIT = 40

LIST_SQL = """
SELECT h.id, h.title, d.short_name AS department, h.published_on, h.deadline, h.internal_deadline,
       h.internal_deadline_manual, h.official_status, h.our_status, h.our_ref, h.named_instance,
       lead.name AS lead_org, lead.short_name AS lead_short, h.is_example,
       julianday(h.deadline) - julianday(h.published_on) AS consultation_days
  FROM hoeringer h
  LEFT JOIN organisations d ON d.id = h.department_id
  LEFT JOIN organisations lead ON lead.id = h.lead_org_id
 WHERE (:our_status IS NULL OR h.our_status = :our_status)
   AND (:our_status IS NOT NULL OR :include_archived OR h.our_status <> 'arkivert')
   AND (NOT :open_only OR h.our_status IN ('innkommet', 'til_vurdering', 'svarer'))
   AND (:official_status IS NULL OR h.official_status = :official_status)
   AND (:department_id IS NULL OR h.department_id = :department_id)
   AND (:text IS NULL OR h.title LIKE '%' || :text || '%' OR h.our_ref LIKE '%' || :text || '%'
        OR d.short_name LIKE '%' || :text || '%' OR lead.name LIKE '%' || :text || '%')
 ORDER BY h.deadline IS NULL, h.deadline DESC
"""

STATUS_COUNTS_SQL = """
SELECT h.our_status, COUNT(*) AS count
  FROM hoeringer h
  LEFT JOIN organisations d ON d.id = h.department_id
  LEFT JOIN organisations lead ON lead.id = h.lead_org_id
 WHERE (:official_status IS NULL OR h.official_status = :official_status)
   AND (:department_id IS NULL OR h.department_id = :department_id)
   AND (:text IS NULL OR h.title LIKE '%' || :text || '%' OR h.our_ref LIKE '%' || :text || '%'
        OR d.short_name LIKE '%' || :text || '%' OR lead.name LIKE '%' || :text || '%')
 GROUP BY h.our_status
"""

DETAIL_SQL = """
SELECT h.*, d.name AS department_name, d.short_name AS department_short,
       lead.name AS lead_org_name
  FROM hoeringer h
  LEFT JOIN organisations d ON d.id = h.department_id
  LEFT JOIN organisations lead ON lead.id = h.lead_org_id
 WHERE h.id = ?
"""

HISTORY_SQL = """
SELECT id, at, actor, action, table_name, before, after FROM audit_log
 WHERE record_id = :id AND table_name IN ('hoeringer', 'hoering_cosigners', 'hoering_saker')
 ORDER BY id DESC
"""


def _text_filter(text) -> str | None:
    return (text or "").strip() or None


def list_hoeringer(db: Database, our_status=None, official_status=None, department_id=None,
                   text=None, include_archived: bool = False, open_only: bool = False) -> pd.DataFrame:
    """Høringer matching the filters, latest frist first (archived ones only when asked or filtered for).

    `open_only` keeps the ones we still owe an answer or a decision on (deadlines.OPEN_HOERING_STATUSES).
    """
    frame = read_frame(db, LIST_SQL, {
        "our_status": our_status, "official_status": official_status,
        "department_id": department_id, "text": _text_filter(text), "include_archived": int(include_archived),
        "open_only": int(open_only),
    })
    frame["short_deadline"] = frame["consultation_days"].apply(is_short_deadline_days)
    return frame


def status_counts(db: Database, official_status=None, department_id=None, text=None) -> dict[str, int]:
    """How many høringer have each of our statuses, with the other filters applied (every status listed)."""
    frame = read_frame(db, STATUS_COUNTS_SQL, {
        "official_status": official_status, "department_id": department_id, "text": _text_filter(text)})
    found = dict(zip(frame["our_status"], frame["count"]))
    return {status: int(found.get(status, 0)) for status in codes.HOERING_OUR_STATUSES}


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
    """One høring with its department, lead, co-signers, linked saker and agenda items (lists of dicts)."""
    record = read_one(db, DETAIL_SQL, [hoering_id])
    if record is None:
        return None
    if not include_internal:
        record.pop("internal_notes", None)
    record["cosigners"] = read_rows(db, """
        SELECT o.id, o.name, o.short_name FROM hoering_cosigners c
          JOIN organisations o ON o.id = c.organisation_id
         WHERE c.hoering_id = ? ORDER BY o.name""", [hoering_id])
    record["saker"] = read_rows(db, """
        SELECT s.id, s.title, s.status FROM hoering_saker l JOIN saker s ON s.id = l.sak_id
         WHERE l.hoering_id = ? ORDER BY s.title""", [hoering_id])
    record["agenda_items"] = read_rows(db, """
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


def answering_organisations(db: Database) -> pd.DataFrame:
    """Forum members and the secretariat: who can lead or co-sign a joint answer."""
    return read_frame(db, """
        SELECT id, name, short_name FROM organisations
         WHERE kind IN ('forum_member', 'secretariat') ORDER BY name""")


def sak_choices(db: Database) -> pd.DataFrame:
    """Saker a høring can be linked to (active first)."""
    return read_frame(db, """
        SELECT id, title, status FROM saker
         ORDER BY CASE status WHEN 'aktiv' THEN 0 WHEN 'pause' THEN 1 ELSE 2 END, title""")


def history(db: Database, hoering_id: int) -> pd.DataFrame:
    """The audit trail of one høring and its links, newest first (before/after as dicts)."""
    frame = read_frame(db, HISTORY_SQL, {"id": hoering_id})
    for column in ("before", "after"):
        frame[column] = frame[column].map(lambda v: json.loads(v) if isinstance(v, str) and v else {})
    return frame


# ---------------------------------------------------------------- deadline view and timeline

def deadline_view(db: Database, today: date, our_status=None, official_status=None, department_id=None,
                  text=None) -> pd.DataFrame:
    """Open høringer's official and internal deadlines with bucket and days left, for the filters given.

    Built on `deadlines.deadlines`, so the buckets are the same as on the home page; adds the høring's
    department, lead organisation and Vår ref.
    """
    listed = list_hoeringer(db, our_status=our_status, official_status=official_status,
                            department_id=department_id, text=text, open_only=True)
    frame = deadlines.deadlines(db, today, days_ahead=VIEW_DAYS_AHEAD, days_back=VIEW_DAYS_BACK,
                                hoeringer_only=True)
    frame = frame[frame["kind"].isin(HOERING_DEADLINE_KINDS) & frame["record_id"].isin(listed["id"])]
    extra = listed[["id", "department", "lead_org", "lead_short", "our_ref", "internal_deadline_manual"]]
    merged = frame.merge(extra, left_on="record_id", right_on="id", how="left").drop(columns="id")
    return merged.reset_index(drop=True)


def timeline(db: Database, today: date, our_status=None, official_status=None, department_id=None,
             text=None) -> pd.DataFrame:
    """Høringer from publication to frist for the timeline chart: open ones and those with a recent frist.

    At most TIMELINE_LIMIT rows, soonest frist first.
    """
    listed = list_hoeringer(db, our_status=our_status, official_status=official_status,
                            department_id=department_id, text=text)
    since = (today - timedelta(days=TIMELINE_DAYS_BACK)).isoformat()
    shown = listed[listed["published_on"].notna() & listed["deadline"].notna()]
    shown = shown[(shown["deadline"] >= since) | shown["our_status"].isin(deadlines.OPEN_HOERING_STATUSES)]
    shown = shown.sort_values(["deadline", "title"]).head(TIMELINE_LIMIT)
    return shown[["id", "title", "department", "published_on", "deadline", "internal_deadline",
                  "our_status", "short_deadline"]].reset_index(drop=True)


# ---------------------------------------------------------------- the lead time setting

def lead_days(db: Database) -> int:
    """Days between our internal deadline and the høringsfrist (setting, default config.DEFAULT_LEAD_DAYS)."""
    value = settings.get(db, LEAD_DAYS_KEY)
    try:
        return int(value) if value is not None else config.DEFAULT_LEAD_DAYS
    except ValueError:
        return config.DEFAULT_LEAD_DAYS


def set_lead_days(db: Database, actor: Actor, days, today: date) -> int:
    """Change the lead time and move every derived internal deadline whose frist is today or later.

    Hand-set internal deadlines and past ones are left alone. Returns how many høringer moved.
    """
    require_editor(actor)
    try:
        days = int(days)
    except (TypeError, ValueError):
        raise ValidationError({"lead_days": "validation.lead_days"}) from None
    if not 0 <= days <= MAX_LEAD_DAYS:
        raise ValidationError({"lead_days": "validation.lead_days"})
    moved = 0
    with write_transaction(db):
        old = lead_days(db)
        settings.put(db, LEAD_DAYS_KEY, str(days))
        if old != days:
            audit(db, actor, "update", "settings", None, {LEAD_DAYS_KEY: old}, {LEAD_DAYS_KEY: days})
        rows = db.execute(
            "SELECT id, version, published_on, deadline, internal_deadline FROM hoeringer "
            "WHERE internal_deadline_manual = 0 AND deadline >= ?", [today.isoformat()]).fetchall()
        for hoering_id, version, published_on, deadline, internal in rows:
            derived = derive_internal_deadline(deadline, published_on, days)
            if derived != internal:
                records.update(db, actor, "hoeringer", hoering_id, {"internal_deadline": derived}, version)
                moved += 1
    return moved


def derive_internal_deadline(deadline: str | None, published_on: str | None, days: int) -> str | None:
    """The høringsfrist minus the lead time, but never before publication."""
    if not deadline:
        return None
    derived = (date.fromisoformat(deadline[:10]) - timedelta(days=days)).isoformat()
    if published_on and derived < published_on[:10]:
        return published_on[:10]
    return derived


# ---------------------------------------------------------------- writes

def create_hoering(db: Database, actor: Actor, values: dict, today: date | None = None,
                   action: str = "create") -> int:
    """Validate and insert a høring with its co-signers and saker in one transaction; return its id.

    `values` holds FIELDS plus optional `source`, `cosigners` and `saker` (lists of ids). The internal
    deadline is derived from the frist unless `internal_deadline_manual` is set. `action` names the
    audit entry (`import` for the feed).
    """
    require_editor(actor)
    today = today or date.today()
    with write_transaction(db):
        row, links = _prepare(db, {"official_status": "paa_hoering", "our_status": "innkommet", **values}, today)
        hoering_id = records.create(db, actor, "hoeringer", row, action=action)
        _set_links(db, actor, hoering_id, links)
    return hoering_id


def update_hoering(db: Database, actor: Actor, hoering_id: int, values: dict, expected_version: int,
                   today: date | None = None) -> int:
    """Validate and save changes to a høring if nobody saved it since `expected_version`; return the new version.

    Fields not in `values` keep their saved value; `cosigners`/`saker` are replaced only when given.
    A stale version raises ConflictError carrying the saved row with its links.
    """
    require_editor(actor)
    today = today or date.today()
    with write_transaction(db):
        current = records.get(db, "hoeringer", hoering_id)
        if current is None or current["version"] != expected_version:
            raise ConflictError("hoeringer", hoering_id, expected_version, _with_links(db, current))
        merged = {**{k: current[k] for k in FIELDS}, **values}
        row, links = _prepare(db, merged, today, previous=current)
        if current["our_status"] == "arkivert" and row["our_status"] != "arkivert":
            raise ValidationError({"our_status": "validation.use_restore"})
        version = records.update(db, actor, "hoeringer", hoering_id, row, expected_version)
        _set_links(db, actor, hoering_id, links)
    return version


def archive_hoering(db: Database, actor: Actor, hoering_id: int, expected_version: int) -> int:
    """Set our status to `arkivert` (audited as `archive`); return the new version."""
    require_editor(actor)
    with write_transaction(db):
        current = records.get(db, "hoeringer", hoering_id)
        if current is None or current["version"] != expected_version:
            raise ConflictError("hoeringer", hoering_id, expected_version, _with_links(db, current))
        if current["our_status"] == "arkivert":
            raise ValidationError({"our_status": "validation.already_archived"})
        return records.update(db, actor, "hoeringer", hoering_id, {"our_status": "arkivert"},
                              expected_version, action="archive")


def restore_hoering(db: Database, actor: Actor, hoering_id: int, expected_version: int) -> int:
    """Give an archived høring back the status it had before archiving (audited as `restore`)."""
    require_editor(actor)
    with write_transaction(db):
        current = records.get(db, "hoeringer", hoering_id)
        if current is None or current["version"] != expected_version:
            raise ConflictError("hoeringer", hoering_id, expected_version, _with_links(db, current))
        if current["our_status"] != "arkivert":
            raise ValidationError({"our_status": "validation.not_archived"})
        return records.update(db, actor, "hoeringer", hoering_id,
                              {"our_status": status_before_archive(db, hoering_id, current)},
                              expected_version, action="restore")


def status_before_archive(db: Database, hoering_id: int, current: dict | None = None) -> str:
    """Our status before the latest archiving (from the audit log); for a høring archived elsewhere
    (imported that way), `levert` when it has a submission date, else `innkommet`."""
    row = db.execute(
        "SELECT before FROM audit_log WHERE table_name = 'hoeringer' AND record_id = ? AND action = 'archive' "
        "ORDER BY id DESC LIMIT 1", [hoering_id]).fetchone()
    status = json.loads(row[0]).get("our_status") if row and row[0] else None
    if status in FORM_STATUSES:
        return status
    current = current or records.get(db, "hoeringer", hoering_id) or {}
    return "levert" if current.get("submitted_on") else "innkommet"


def _with_links(db: Database, row: dict | None) -> dict | None:
    # A conflict shows the saved co-signers and saker too, not only the row.
    if row is None:
        return None
    cosigners = [r[0] for r in db.execute(
        "SELECT organisation_id FROM hoering_cosigners WHERE hoering_id = ? ORDER BY organisation_id", [row["id"]])]
    saker = [r[0] for r in db.execute(
        "SELECT sak_id FROM hoering_saker WHERE hoering_id = ? ORDER BY sak_id", [row["id"]])]
    return {**row, "cosigners": cosigners, "saker": saker}


def _set_links(db: Database, actor: Actor, hoering_id: int, links: dict) -> None:
    if "cosigners" in links:
        records.set_links(db, actor, "hoering_cosigners", "hoering_id", hoering_id, "organisation_id",
                          links["cosigners"])
    if "saker" in links:
        records.set_links(db, actor, "hoering_saker", "hoering_id", hoering_id, "sak_id", links["saker"])


def _iso(value) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()[:10] or None


def _id(value):
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return value  # left for validation to refuse


def _ids(value) -> list:
    return [_id(v) for v in (value or [])]


def _known_ids(db: Database, sql: str) -> set[int]:
    return {r[0] for r in db.execute(sql)}


def clean_hoering(db: Database, values: dict, today: date | None = None) -> tuple[dict, dict]:
    """Check a new høring's values as the form does; return (row, links) or raise ValidationError.

    The row has the derived internal deadline (configured lead time) unless `internal_deadline_manual`.
    """
    return _prepare(db, values, today or date.today())


def _prepare(db: Database, values: dict, today: date, previous: dict | None = None) -> tuple[dict, dict]:
    """Clean and check every field; return (row for the table, links) or raise ValidationError.

    A derived internal deadline is computed again only when the dates it depends on changed (or it
    was hand-set before), so editing an old høring's notes does not move it after a lead-time change.
    """
    row = {
        "title": validation.clean_text(values.get("title")),
        "department_id": _id(values.get("department_id")),
        "our_ref": validation.clean_text(values.get("our_ref")),
        "url": validation.clean_text(values.get("url")),
        "answer_url": validation.clean_text(values.get("answer_url")),
        "official_status": values.get("official_status") or "paa_hoering",
        "our_status": values.get("our_status") or "innkommet",
        "answer_type": values.get("answer_type") or None,
        "lead_org_id": _id(values.get("lead_org_id")),
        "named_instance": int(bool(values.get("named_instance"))),
        "internal_deadline_manual": int(bool(values.get("internal_deadline_manual"))),
    }
    for field in DATE_FIELDS:
        row[field] = _iso(values.get(field))
    for field in TEXT_FIELDS:
        row[field] = validation.clean_text(values.get(field))
    if "source" in values:  # set by imports; forms leave the saved source alone
        row["source"] = validation.clean_text(values["source"])
    links = {}
    if "cosigners" in values:
        links["cosigners"] = _ids(values["cosigners"])
    if "saker" in values:
        links["saker"] = _ids(values["saker"])

    errors = {
        "title": validation.required(row["title"]) or validation.max_length(row["title"], validation.MAX_TITLE_LENGTH),
        "url": validation.url(row["url"]),
        "answer_url": validation.url(row["answer_url"]),
        "official_status": validation.one_of(row["official_status"], codes.HOERING_OFFICIAL_STATUSES),
        "our_status": validation.one_of(row["our_status"], codes.HOERING_OUR_STATUSES),
        "answer_type": validation.one_of(row["answer_type"], codes.ANSWER_TYPES),
    }
    if row["our_ref"] and not OUR_REF_PATTERN.match(row["our_ref"]):
        errors["our_ref"] = "validation.our_ref"
    for field in TEXT_FIELDS:
        errors[field] = validation.max_length(row[field], validation.MAX_TEXT_LENGTH)
    errors["source"] = validation.max_length(row.get("source"), validation.MAX_TEXT_LENGTH)
    for field in DATE_FIELDS:
        errors[field] = validation.iso_date(row[field])
    if not any(errors[f] for f in ("published_on", "deadline")) and validation.not_before(
            row["deadline"], row["published_on"]):
        errors["deadline"] = "validation.deadline_before_published"
    if row["department_id"] is not None and row["department_id"] not in _known_ids(
            db, "SELECT id FROM organisations WHERE kind IN ('department', 'directorate')"):
        errors["department_id"] = "validation.unknown_department"
    organisations = _known_ids(db, "SELECT id FROM organisations")
    if row["lead_org_id"] is not None and row["lead_org_id"] not in organisations:
        errors["lead_org_id"] = "validation.unknown_organisation"
    if any(i not in organisations for i in links.get("cosigners", [])):
        errors["cosigners"] = "validation.unknown_organisation"
    elif row["lead_org_id"] is not None and row["lead_org_id"] in links.get("cosigners", []):
        errors["cosigners"] = "validation.cosigner_is_lead"
    if links.get("saker") and any(i not in _known_ids(db, "SELECT id FROM saker") for i in links["saker"]):
        errors["saker"] = "validation.unknown_sak"

    if row["internal_deadline_manual"]:
        if row["internal_deadline"] is None:
            errors["internal_deadline"] = "validation.required"
        elif not errors["internal_deadline"] and not errors["deadline"] and validation.not_before(
                row["deadline"], row["internal_deadline"]):
            errors["internal_deadline"] = "validation.internal_after_deadline"
    elif not errors["deadline"] and not errors["published_on"]:
        unchanged = previous is not None and not previous["internal_deadline_manual"] and all(
            previous[f] == row[f] for f in ("deadline", "published_on"))
        row["internal_deadline"] = previous["internal_deadline"] if unchanged else derive_internal_deadline(
            row["deadline"], row["published_on"], lead_days(db))
        errors["internal_deadline"] = None
    if row["our_status"] == "levert" and row["submitted_on"] is None and not errors["our_status"]:
        row["submitted_on"] = today.isoformat()  # delivered today unless told otherwise
    validation.raise_if_any(errors)
    return row, links
