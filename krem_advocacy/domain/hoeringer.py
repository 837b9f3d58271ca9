"""Høringer (public consultations): reads for lists and one record, and the writes of the workflow."""

import json
import re
from datetime import date, timedelta

import pandas as pd
from sqlite_utils import Database

from krem_advocacy import config
from krem_advocacy.domain import deadlines, fields, validation
from krem_advocacy.domain.fields import Field, Link
from krem_advocacy.store import records, settings
from krem_advocacy.store.connection import read_frame, read_one, read_rows, write_transaction
from krem_advocacy.store.errors import ValidationError
from krem_advocacy.store.permissions import EDIT, Actor, require
from krem_advocacy.store.records import audit
from krem_advocacy.text import codes

# Shorter than this from publication to frist breaks utredningsinstruksen 3-3 unless a reason is given.
MIN_CONSULTATION_DAYS = 42

# The settings key of the lead time: days between our internal deadline and the official frist.
LEAD_DAYS_KEY = "hoering_lead_days"
MAX_LEAD_DAYS = 60

# The authority's reference on regjeringen.no is a case number YY/NNNN (e.g. 24/109), sometimes with a
# document suffix; «Vår ref.» is the forum's own and free text.
THEIR_REF_PATTERN = re.compile(r"^\d{2}/\d{1,6}(-\d{1,4})?$")

# Statuses the edit form offers; `arkivert` is reached only by archiving (and left by restoring).
FORM_STATUSES = tuple(s for s in codes.HOERING_OUR_STATUSES if s != "arkivert")

ORGANISATION = "validation.unknown_organisation"

# The høring as forms, imports, exports and checks know it (the schema is migration 0001 and later).
KIND = fields.Kind("hoeringer", (
    Field("title", "title", ("Tittel", "Title"), required=True, search_weight=10.0,
          aliases=("tittel", "title", "høring", "hoering", "navn", "consultation", "sak")),
    Field("department_id", "ref", ("Departement/etat", "Ministry/agency"), ref="organisations",
          missing="validation.unknown_department",
          aliases=("departement", "department", "eier", "owner", "departement/etat", "ministry", "ministry/agency",
                   "avsender", "etat", "department_id")),
    Field("published_on", "date", ("Publisert", "Published"),
          aliases=("publisert", "published", "publiseringsdato", "dato publisert", "sendt på høring",
                   "published on", "publication date")),
    Field("deadline", "date", ("Høringsfrist", "Deadline"),
          aliases=("høringsfrist", "frist", "deadline", "hoeringsfrist", "svarfrist")),
    Field("internal_deadline", "date", ("Intern frist", "Internal deadline"),
          aliases=("intern frist", "internal deadline", "vår frist")),
    Field("internal_deadline_manual", "flag", ("Intern frist satt for hånd", "Internal deadline set by hand"),
          importable=False),
    Field("our_ref", "text", ("Vår ref.", "Our ref."), search_weight=5.0,
          aliases=("vår ref.", "vår ref", "var ref", "vår referanse", "ref.", "ref", "our ref", "our reference",
                   "reference", "ref. (vår ref.)", "forumets ref.")),
    Field("their_ref", "text", ("Deres ref. / saksnummer", "Their ref. / case number"), search_weight=5.0,
          aliases=("deres ref. / saksnummer", "deres ref.", "deres ref", "deres referanse", "saksnummer", "saksnr",
                   "saksnr.", "departementets ref.", "their ref", "their ref. / case number", "case number",
                   "case no.")),
    Field("url", "url", ("Lenke", "Link"),
          aliases=("lenke", "url", "link", "nettadresse", "adresse", "høringen på regjeringen.no")),
    Field("official_status", "code", ("Offisiell status", "Official status"), code_list="hoering_official_status",
          aliases=("status", "offisiell status", "official status", "status på regjeringen.no")),
    Field("our_status", "code", ("Vår status", "Our status"), code_list="hoering_our_status",
          aliases=("vår status", "our status", "intern status", "forumets status")),
    Field("named_instance", "flag", ("Høringsinstans", "Named consultee"),
          aliases=("høringsinstans", "named instance", "navngitt høringsinstans",
                   "forumet er oppført som høringsinstans", "the forum is a named consultee")),
    Field("answer_type", "code", ("Svartype", "Answer type"), code_list="answer_type",
          aliases=("svartype", "answer type", "type svar")),
    Field("lead_org_id", "ref", ("Hovedansvarlig", "Lead organisation"), ref="organisations", missing=ORGANISATION,
          aliases=("ansvarlig", "ledende organisasjon", "hovedansvarlig organisasjon", "lead", "lead organisation",
                   "lead organization", "ansvarlig organisasjon")),
    fields.responsible_person(),
    Field("answer_url", "url", ("Lenke til vårt svar", "Link to our answer"),
          aliases=("lenke til svar", "svar-lenke", "vårt høringssvar", "answer url", "our answer", "høringssvar")),
    Field("submitted_on", "date", ("Levert", "Submitted"),
          aliases=("levert", "levert dato", "innsendt", "submitted", "submitted on", "sendt")),
    Field("short_deadline_reason", "longtext", ("Begrunnelse for kort frist", "Reason for the short deadline"),
          aliases=("begrunnelse for kort frist", "short deadline reason")),
    Field("result", "longtext", ("Resultat", "Result"), search_weight=2.0, aliases=("resultat", "result", "utfall")),
    Field("venue", "code", ("Holdes av", "Held by"), code_list="hoering_venue",
          aliases=("holdes av", "held by", "høringsarena", "venue")),
    *fields.common_fields(notes_weight=1.0),
), links=(
    Link("cosigners", "hoering_cosigners", "hoering_id", "organisation_id", "organisations",
         ("Medunderskrivere", "Co-signers"), missing=ORGANISATION),
    Link("saker", "hoering_saker", "hoering_id", "sak_id", "saker", ("Saker", "Topics"),
         missing="validation.unknown_sak"),
))

# Columns a form may write (all but `source`, which only imports set); dates and long texts.
FIELDS = tuple(name for name in KIND.names if name != "source")
DATE_FIELDS = KIND.of_type("date")
TEXT_FIELDS = KIND.of_type("longtext")

HOERING_DEADLINE_KINDS = ("hoering_frist", "hoering_internal")
# How far the deadline view and timeline look back and ahead.
VIEW_DAYS_BACK = 3650
VIEW_DAYS_AHEAD = 3650
TIMELINE_DAYS_BACK = 90
TIMELINE_LIMIT = 40

LIST_SQL = """
SELECT h.id, h.title, d.short_name AS department, h.published_on, h.deadline, h.internal_deadline,
       h.internal_deadline_manual, h.official_status, h.our_status, h.our_ref, h.their_ref, h.named_instance,
       lead.name AS lead_org, lead.short_name AS lead_short, h.is_example,
       h.responsible_person_id, rp.name AS responsible_person,
       julianday(h.deadline) - julianday(h.published_on) AS consultation_days
  FROM hoeringer h
  LEFT JOIN organisations d ON d.id = h.department_id
  LEFT JOIN organisations lead ON lead.id = h.lead_org_id
  LEFT JOIN people rp ON rp.id = h.responsible_person_id
 WHERE (:our_status IS NULL OR h.our_status = :our_status)
   AND (:our_status IS NOT NULL OR :include_archived OR h.our_status <> 'arkivert')
   AND (NOT :open_only OR h.our_status IN ('innkommet', 'til_vurdering', 'svarer'))
   AND (:official_status IS NULL OR h.official_status = :official_status)
   AND (:department_id IS NULL OR h.department_id = :department_id)
   AND (:responsible_person_id IS NULL OR h.responsible_person_id = :responsible_person_id)
   AND (:text IS NULL OR h.title LIKE '%' || :text || '%' OR h.our_ref LIKE '%' || :text || '%'
        OR h.their_ref LIKE '%' || :text || '%' OR d.short_name LIKE '%' || :text || '%' OR lead.name LIKE '%' || :text || '%')
 ORDER BY h.deadline IS NULL, h.deadline DESC
"""

STATUS_COUNTS_SQL = """
SELECT h.our_status, COUNT(*) AS count
  FROM hoeringer h
  LEFT JOIN organisations d ON d.id = h.department_id
  LEFT JOIN organisations lead ON lead.id = h.lead_org_id
 WHERE (:official_status IS NULL OR h.official_status = :official_status)
   AND (:department_id IS NULL OR h.department_id = :department_id)
   AND (:responsible_person_id IS NULL OR h.responsible_person_id = :responsible_person_id)
   AND (:text IS NULL OR h.title LIKE '%' || :text || '%' OR h.our_ref LIKE '%' || :text || '%'
        OR h.their_ref LIKE '%' || :text || '%' OR d.short_name LIKE '%' || :text || '%' OR lead.name LIKE '%' || :text || '%')
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
                   text=None, include_archived: bool = False, open_only: bool = False,
                   responsible_person_id=None) -> pd.DataFrame:
    """Høringer matching the filters, latest frist first (archived ones only when asked or filtered for).

    `open_only` keeps the ones we still owe an answer or a decision on (deadlines.OPEN_HOERING_STATUSES).
    """
    frame = read_frame(db, LIST_SQL, {
        "our_status": our_status, "official_status": official_status,
        "department_id": department_id, "text": _text_filter(text), "include_archived": int(include_archived),
        "open_only": int(open_only), "responsible_person_id": responsible_person_id,
    })
    frame["short_deadline"] = frame["consultation_days"].apply(is_short_deadline_days)
    return frame


def status_counts(db: Database, official_status=None, department_id=None, text=None,
                  responsible_person_id=None) -> dict[str, int]:
    """How many høringer have each of our statuses, with the other filters applied (every status listed)."""
    frame = read_frame(db, STATUS_COUNTS_SQL, {
        "official_status": official_status, "department_id": department_id, "text": _text_filter(text),
        "responsible_person_id": responsible_person_id})
    found = dict(zip(frame["our_status"], frame["count"]))
    return {status: int(found.get(status, 0)) for status in codes.HOERING_OUR_STATUSES}


def is_short_deadline_days(days) -> bool:
    """True when a consultation gives a real, positive gap under six weeks (utredningsinstruksen)."""
    # A reversed or same-day pair of dates is a typing error (the form says so), not a short consultation.
    return days is not None and days == days and 0 < days < MIN_CONSULTATION_DAYS


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
    """Organisations that own høringer (departments, directorates and Storting committees), for filters and forms."""
    return read_frame(db, """
        SELECT id, name, short_name FROM organisations
         WHERE kind IN ('department', 'directorate', 'committee') ORDER BY COALESCE(short_name, name)""")


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
                  text=None, responsible_person_id=None) -> pd.DataFrame:
    """Open høringer's official and internal deadlines with bucket and days left, for the filters given.

    Built on `deadlines.deadlines`, so the buckets are the same as on the home page; adds the høring's
    department, lead organisation and Vår ref.
    """
    listed = list_hoeringer(db, our_status=our_status, official_status=official_status,
                            department_id=department_id, text=text, open_only=True,
                            responsible_person_id=responsible_person_id)
    frame = deadlines.deadlines(db, today, days_ahead=VIEW_DAYS_AHEAD, days_back=VIEW_DAYS_BACK,
                                hoeringer_only=True)
    frame = frame[frame["kind"].isin(HOERING_DEADLINE_KINDS) & frame["record_id"].isin(listed["id"])]
    extra = listed[["id", "department", "lead_org", "lead_short", "our_ref", "their_ref", "internal_deadline_manual"]]
    merged = frame.merge(extra, left_on="record_id", right_on="id", how="left").drop(columns="id")
    return merged.reset_index(drop=True)


def timeline(db: Database, today: date, our_status=None, official_status=None, department_id=None,
             text=None, responsible_person_id=None) -> pd.DataFrame:
    """Høringer from publication to frist for the timeline chart: open ones and those with a recent frist.

    At most TIMELINE_LIMIT rows, soonest frist first.
    """
    listed = list_hoeringer(db, our_status=our_status, official_status=official_status,
                            department_id=department_id, text=text, responsible_person_id=responsible_person_id)
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
    require(actor, EDIT)
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

    `values` holds the kind's fields (KIND) and optionally the links `cosigners` and `saker` (lists of
    ids). The internal deadline is derived from the frist unless `internal_deadline_manual` is set.
    `action` names the audit entry (`import` for the feed).
    """
    return fields.save(db, actor, KIND, values, _cleaner(today), action=action)


def update_hoering(db: Database, actor: Actor, hoering_id: int, values: dict, expected_version: int,
                   today: date | None = None) -> int:
    """Validate and save changes to a høring if nobody saved it since `expected_version`; return the new version.

    Fields not in `values` keep their saved value; `cosigners`/`saker` are replaced only when given.
    A stale version raises ConflictError carrying the saved row with its links.
    """
    return fields.save(db, actor, KIND, values, _cleaner(today, updating=True), hoering_id, expected_version)


def archive_hoering(db: Database, actor: Actor, hoering_id: int, expected_version: int) -> int:
    """Set our status to `arkivert` (audited as `archive`); return the new version."""
    require(actor, EDIT)
    with write_transaction(db):
        current = fields.locked(db, KIND, hoering_id, expected_version)
        if current["our_status"] == "arkivert":
            raise ValidationError({"our_status": "validation.already_archived"})
        return records.update(db, actor, "hoeringer", hoering_id, {"our_status": "arkivert"},
                              expected_version, action="archive")


def restore_hoering(db: Database, actor: Actor, hoering_id: int, expected_version: int) -> int:
    """Give an archived høring back the status it had before archiving (audited as `restore`)."""
    require(actor, EDIT)
    with write_transaction(db):
        current = fields.locked(db, KIND, hoering_id, expected_version)
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


def clean_hoering(db: Database, values: dict, today: date | None = None) -> tuple[dict, dict]:
    """Check a new høring's values as the form does; return (row, links) or raise ValidationError.

    The row has the derived internal deadline (configured lead time) unless `internal_deadline_manual`.
    """
    return _cleaner(today)(db, values, None)


def _cleaner(today: date | None, updating: bool = False) -> fields.Cleaner:
    def clean(db: Database, values: dict, previous: dict | None) -> tuple[dict, dict]:
        row, links = _prepare(db, values, today or date.today(), previous)
        if updating and previous["our_status"] == "arkivert" and row["our_status"] != "arkivert":
            raise ValidationError({"our_status": "validation.use_restore"})
        return row, links
    return clean


def _prepare(db: Database, values: dict, today: date, previous: dict | None = None) -> tuple[dict, dict]:
    """Clean and check every field; return (row for the table, links) or raise ValidationError.

    A derived internal deadline is computed again only when the dates it depends on changed (or it
    was hand-set before), so editing an old høring's notes does not move it after a lead-time change.
    """
    values = {**values, "official_status": values.get("official_status") or "paa_hoering",
              "our_status": values.get("our_status") or "innkommet", "venue": values.get("venue") or "forvaltning"}
    row, links, errors = fields.clean_fields(db, KIND, values)
    if "source" not in values:  # set by imports; forms leave the saved source alone
        row.pop("source")
        errors.pop("source")
    if row["their_ref"] and not THEIR_REF_PATTERN.match(row["their_ref"]):
        errors["their_ref"] = "validation.their_ref"
    if not any(errors[f] for f in ("published_on", "deadline")) and validation.not_before(
            row["deadline"], row["published_on"]):
        errors["deadline"] = "validation.deadline_before_published"
    # A ministry's or agency's høring is owned by one; a Storting hearing by a committee.
    owners = ("committee",) if row["venue"] == "stortinget" else ("department", "directorate")
    if not errors["department_id"] and row["department_id"] is not None and not db.execute(
            f"SELECT 1 FROM organisations WHERE id = ? AND kind IN ({', '.join('?' * len(owners))})",
            [row["department_id"], *owners]).fetchone():
        errors["department_id"] = ("validation.owner_committee" if row["venue"] == "stortinget"
                                   else "validation.unknown_department")
    if not errors.get("cosigners") and row["lead_org_id"] is not None and row["lead_org_id"] in links.get(
            "cosigners", []):
        errors["cosigners"] = "validation.cosigner_is_lead"

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
    fields.raise_errors(errors)
    return row, links


# ---------------------------------------------------------------- spreadsheet import

def check_import_row(db: Database, values: dict, raw: dict) -> dict[str, str]:
    """A spreadsheet row's problems as the form would name them (the importer's row rule for høringer).

    Like the form: an internal deadline in the file is set by hand; without one it is derived from the
    høringsfrist with the configured lead time (`lead_days`).
    """
    manual = int(values.get("internal_deadline") is not None)
    checked, errors = fields.validated(lambda: clean_hoering(db, {**values, "internal_deadline_manual": manual}))
    if checked is not None:
        row, _ = checked
        if row["internal_deadline"] is not None:
            values["internal_deadline"] = row["internal_deadline"]
            values["internal_deadline_manual"] = row["internal_deadline_manual"]
    # Import only: a delivery dated before publication is a typing error in old spreadsheets.
    if "submitted_on" not in errors:
        errors["submitted_on"] = validation.not_before(values.get("submitted_on"), values.get("published_on"))
    for name in ("named_instance", "official_status", "our_status", "venue"):
        if name in values and values[name] is None:
            del values[name]  # the table's default applies
    return {k: v for k, v in errors.items() if v}


def duplicate_keys(values: dict) -> list[tuple]:
    """What makes two høringer the same: the same authority's case number, the same Vår ref., the same
    address, or the same title (case, dashes and spaces aside) and department."""
    keys = [("title", fields.normal_key(values.get("title")), values.get("department_id"))]
    if values.get("their_ref"):
        keys.append(("their_ref", fields.normal_key(values["their_ref"])))
    if values.get("our_ref"):
        keys.append(("ref", fields.normal_key(values["our_ref"])))
    if values.get("url"):
        keys.append(("url", str(values["url"]).strip().rstrip("/")))
    return keys


IMPORT = fields.ImportSpec(KIND, check_import_row, duplicate_keys,
                           derived=frozenset({"internal_deadline", "internal_deadline_manual"}))
