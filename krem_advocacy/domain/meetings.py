"""Meetings (Kontaktutvalget, forum meetings, conferences): reads, agendas, tilsagn and their writes."""

import json
from datetime import date, timedelta

import pandas as pd
from sqlite_utils import Database

from krem_advocacy.domain import fields, validation
from krem_advocacy.domain.fields import Field, Link
from krem_advocacy.store import records
from krem_advocacy.store.connection import read_frame, read_one, read_rows, write_transaction
from krem_advocacy.store.errors import ValidationError
from krem_advocacy.store.permissions import EDIT, Actor, require
from krem_advocacy.text import codes

# The meetings to show are picked (and counted, `total_rows`) first; their agenda items and tilsagn
# are then counted only for those: a long list shows its first rows only.
LIST_SQL = """
WITH shown AS (
  SELECT m.id, m.title, m.kind, m.starts_at, m.ends_at, m.place, m.chair_person_id, m.themes, m.is_example,
         COUNT(*) OVER () AS total_rows
    FROM meetings m
   WHERE (:kind IS NULL OR m.kind = :kind)
     AND (:year IS NULL OR substr(m.starts_at, 1, 4) = :year)
     AND (:text IS NULL OR m.title LIKE '%' || :text || '%' OR m.themes LIKE '%' || :text || '%')
   ORDER BY m.starts_at DESC LIMIT :limit)
SELECT m.id, m.title, m.kind, m.starts_at, m.ends_at, m.place, p.name AS chair, m.themes,
       (SELECT COUNT(*) FROM agenda_items a WHERE a.meeting_id = m.id) AS agenda_count,
       (SELECT COUNT(*) FROM tilsagn t WHERE t.meeting_id = m.id) AS tilsagn_count,
       m.is_example, m.total_rows
  FROM shown m LEFT JOIN people p ON p.id = m.chair_person_id
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
       p.name AS responsible, o.short_name AS responsible_org, s.id AS sak_id, s.title AS sak,
       t.followed_up_meeting_id, f.title AS followed_up_meeting, f.starts_at AS followed_up_at, t.version
  FROM tilsagn t JOIN meetings m ON m.id = t.meeting_id
  LEFT JOIN people p ON p.id = t.responsible_person_id
  LEFT JOIN organisations o ON o.id = t.responsible_org_id
  LEFT JOIN saker s ON s.id = t.sak_id
  LEFT JOIN meetings f ON f.id = t.followed_up_meeting_id
 WHERE t.status IN ('aapen', 'fulgt_opp') AND m.starts_at < :before
 ORDER BY m.starts_at DESC, t.id
"""

# Every tilsagn across meetings, for the list on the Møter page; open ones by default.
TILSAGN_LIST_SQL = """
SELECT t.id, m.starts_at, m.id AS meeting_id, m.title AS meeting, t.text, p.name AS responsible,
       COALESCE(o.short_name, o.name) AS responsible_org, t.status, s.title AS sak,
       f.title AS followed_up_meeting, f.starts_at AS followed_up_at, t.is_example
  FROM tilsagn t JOIN meetings m ON m.id = t.meeting_id
  LEFT JOIN people p ON p.id = t.responsible_person_id
  LEFT JOIN organisations o ON o.id = t.responsible_org_id
  LEFT JOIN saker s ON s.id = t.sak_id
  LEFT JOIN meetings f ON f.id = t.followed_up_meeting_id
 WHERE (:all_statuses = 1 OR t.status IN (SELECT value FROM json_each(:statuses)))
   AND (:text IS NULL OR t.text LIKE '%' || :text || '%' OR s.title LIKE '%' || :text || '%'
        OR m.title LIKE '%' || :text || '%')
 ORDER BY m.starts_at DESC, t.id
"""

AGENDA_SQL = """
SELECT a.id, a.position, a.title, a.sak_id, s.title AS sak, a.hoering_id, h.title AS hoering,
       a.budget_input_id, b.title AS budget_input, a.speaker_org_id, o.name AS speaker_org,
       COALESCE(o.short_name, o.name) AS speaker_org_short,
       a.speaker_person_id, p.name AS speaker, a.responsible_person_id, rp.name AS preparer, a.summary,
       a.version, a.is_example
  FROM agenda_items a
  LEFT JOIN saker s ON s.id = a.sak_id
  LEFT JOIN hoeringer h ON h.id = a.hoering_id
  LEFT JOIN budget_inputs b ON b.id = a.budget_input_id
  LEFT JOIN organisations o ON o.id = a.speaker_org_id
  LEFT JOIN people p ON p.id = a.speaker_person_id
  LEFT JOIN people rp ON rp.id = a.responsible_person_id
 WHERE a.meeting_id = ? ORDER BY a.position, a.id
"""

MEETING_TILSAGN_SQL = """
SELECT t.id, t.text, t.status, t.agenda_item_id, a.title AS agenda_item, t.sak_id, s.title AS sak,
       t.responsible_person_id, p.name AS responsible, t.responsible_org_id,
       COALESCE(o.short_name, o.name) AS responsible_org, t.followed_up_meeting_id,
       f.title AS followed_up_meeting, f.starts_at AS followed_up_at, t.follow_up_person_id,
       fu.name AS follow_up, t.notes, t.version, t.is_example
  FROM tilsagn t LEFT JOIN people p ON p.id = t.responsible_person_id
  LEFT JOIN people fu ON fu.id = t.follow_up_person_id
  LEFT JOIN organisations o ON o.id = t.responsible_org_id
  LEFT JOIN saker s ON s.id = t.sak_id
  LEFT JOIN agenda_items a ON a.id = t.agenda_item_id
  LEFT JOIN meetings f ON f.id = t.followed_up_meeting_id
 WHERE t.meeting_id = ? ORDER BY t.id
"""

# Active saker and the day of their latest activity (høring, budget input or agenda item).
SAK_ACTIVITY_SQL = """
SELECT s.id, s.title, s.priority, s.lead_org_id, o.name AS lead_org, MAX(x.day) AS last_activity
  FROM saker s LEFT JOIN organisations o ON o.id = s.lead_org_id
  JOIN (
    SELECT l.sak_id, COALESCE(h.submitted_on, h.published_on, h.deadline) AS day
      FROM hoering_saker l JOIN hoeringer h ON h.id = l.hoering_id
    UNION ALL
    SELECT l.sak_id, COALESCE(b.sent_on, b.hearing_on) FROM budget_input_saker l
      JOIN budget_inputs b ON b.id = l.budget_input_id
    UNION ALL
    SELECT a.sak_id, substr(m.starts_at, 1, 10) FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id
     WHERE a.meeting_id != :meeting_id
  ) x ON x.sak_id = s.id AND x.day <= :day
 WHERE s.status = 'aktiv'
   AND s.id NOT IN (SELECT sak_id FROM agenda_items WHERE meeting_id = :meeting_id AND sak_id IS NOT NULL)
 GROUP BY s.id HAVING MAX(x.day) >= :since
 ORDER BY last_activity DESC, CASE s.priority WHEN 'hoey' THEN 0 WHEN 'middels' THEN 1 ELSE 2 END, s.title
"""

HOERING_CANDIDATES_SQL = """
SELECT h.id, h.title, h.deadline, h.our_status, COALESCE(d.short_name, d.name) AS department, h.lead_org_id
  FROM hoeringer h LEFT JOIN organisations d ON d.id = h.department_id
 WHERE h.deadline BETWEEN :from_day AND :to_day
   AND h.our_status NOT IN ('svarer_ikke', 'arkivert')
   AND h.id NOT IN (SELECT hoering_id FROM agenda_items WHERE meeting_id = :meeting_id AND hoering_id IS NOT NULL)
 ORDER BY abs(julianday(h.deadline) - julianday(:day)), h.deadline
"""

BUDGET_CANDIDATES_SQL = """
SELECT b.id, b.title, b.budget_year, b.phase, b.chapter, b.post, b.ask_amount, b.lead_org_id,
       y.prop1s_on, y.hearing_on, y.frames_vote_on, y.final_vote_on, y.revised_on
  FROM budget_inputs b LEFT JOIN budget_years y ON y.budget_year = b.budget_year
 WHERE b.outcome = 'ukjent' AND b.budget_year BETWEEN :year AND :year + 1
   AND b.id NOT IN (SELECT budget_input_id FROM agenda_items
                     WHERE meeting_id = :meeting_id AND budget_input_id IS NOT NULL)
 ORDER BY b.budget_year, CAST(b.chapter AS INTEGER), b.post, b.title
"""

# How far around the meeting the suggestions look.
RECENT_SAK_DAYS = 365
HOERING_DAYS_BEFORE = 30
HOERING_DAYS_AFTER = 60

# The budget cycle's dates in order: the phase a budget year is in once each date has passed.
PHASE_DATES = (("prop1s_on", "prop1s"), ("hearing_on", "budsjetthoering"),
               ("frames_vote_on", "innstilling"), ("final_vote_on", "vedtatt"), ("revised_on", "revidert"))

# A meeting, an agenda item and a tilsagn as forms, imports and checks know them.
MEETING_KIND = fields.Kind("meetings", (
    Field("title", "title", ("Tittel", "Title"), required=True, search_weight=10.0,
          aliases=("tittel", "title", "møte", "navn", "meeting")),
    Field("kind", "code", ("Møtetype", "Meeting type"), required=True, code_list="meeting_kind",
          aliases=("type", "møtetype", "kind", "meeting type", "art")),
    Field("starts_at", "datetime", ("Dato", "Date"), required=True,
          aliases=("dato", "start", "starter", "tidspunkt", "date", "starts", "starts at", "when", "møtedato",
                   "dato og tid")),
    Field("ends_at", "datetime", ("Slutt", "Ends"), read_as="end", aliases=("slutt", "slutter", "til", "ends", "ends at", "end")),
    Field("place", "text", ("Sted", "Place"), search_weight=1.0, aliases=("sted", "place", "location", "where")),
    Field("host_org_id", "ref", ("Vertskap", "Host"), ref="organisations",
          aliases=("vert", "arrangør", "host", "organiser", "organizer")),
    Field("chair_person_id", "ref", ("Møteleder", "Chair"), ref="people", importable=False),
    Field("themes", "text", ("Temaer", "Themes"), search_weight=3.0, aliases=("temaer", "tema", "themes", "topics")),
    Field("prep_deadline", "date", ("Frist for forberedelser", "Preparation deadline"),
          aliases=("forberedelsesfrist", "frist for forberedelse", "prep deadline", "preparation deadline")),
    Field("minutes", "longtext", ("Referat", "Minutes"), search_weight=1.0, aliases=("referat", "minutes")),
    Field("minutes_url", "url", ("Lenke til referat", "Minutes link"), max_length=validation.MAX_TITLE_LENGTH,
          aliases=("lenke til referat", "referat-lenke", "minutes url", "minutes link")),
    *fields.common_fields(source="text"),
), links=(
    Link("people", "meeting_people", "meeting_id", "person_id", "people", ("Deltakere", "Attendees"),
         setter=lambda db, actor, meeting_id, people, row: _set_people(db, actor, meeting_id, people,
                                                                       row["starts_at"][:10])),
    Link("organisations", "meeting_organisations", "meeting_id", "organisation_id", "organisations",
         ("Organisasjoner", "Organisations")),
))

AGENDA_KIND = fields.Kind("agenda_items", (
    Field("title", "title", ("Tittel", "Title"), search_weight=8.0),
    Field("sak_id", "ref", ("Sak", "Topic"), ref="saker"),
    Field("hoering_id", "ref", ("Høring", "Consultation"), ref="hoeringer"),
    Field("budget_input_id", "ref", ("Budsjettinnspill", "Budget input"), ref="budget_inputs"),
    Field("speaker_org_id", "ref", ("Organisasjon med innlegg", "Organisation speaking"), ref="organisations"),
    Field("speaker_person_id", "ref", ("Innleder", "Speaker"), ref="people"),
    fields.responsible_person(),
    Field("summary", "longtext", ("Kort om innlegget", "Summary"), search_weight=2.0),
    *fields.common_fields(source="text"),
), system_fields=(
    Field("meeting_id", "ref", ("Møte", "Meeting"), ref="meetings"),
    Field("position", "integer", ("Nummer", "Position")),
))

TILSAGN_KIND = fields.Kind("tilsagn", (
    Field("text", "longtext", ("Tilsagn", "Commitment"), required=True, search_weight=4.0),
    Field("agenda_item_id", "ref", ("Punkt på dagsorden", "Agenda item"), ref="agenda_items"),
    Field("sak_id", "ref", ("Sak", "Topic"), ref="saker"),
    Field("responsible_person_id", "ref", ("Ansvarlig person", "Responsible person"), ref="people"),
    Field("responsible_org_id", "ref", ("Ansvarlig organisasjon", "Responsible organisation"), ref="organisations"),
    Field("status", "code", ("Status", "Status"), required=True, code_list="tilsagn_status"),
    Field("followed_up_meeting_id", "ref", ("Fulgt opp i møte", "Followed up in meeting"), ref="meetings"),
    # Who in the forum follows the tilsagn up (responsible_person_id is who in the government gave it).
    fields.responsible_person("follow_up_person_id", ("Ansvarlig for oppfølging", "Responsible for follow-up"),
                              ("ansvarlig for oppfølging", "oppfølging ved", "follow-up by", "responsible for follow-up")),
    *fields.common_fields(source="text"),
), system_fields=(
    Field("meeting_id", "ref", ("Møte", "Meeting"), ref="meetings"),
))

# The fields each form sets (source and internal notes of agenda items and tilsagn are not in their forms).
MEETING_FIELDS = MEETING_KIND.names
AGENDA_FIELDS = tuple(n for n in AGENDA_KIND.names if n not in ("source", "notes", "internal_notes"))
TILSAGN_FIELDS = tuple(n for n in TILSAGN_KIND.names if n not in ("source", "internal_notes"))
# Which table each id field points at (checked before writing, so a bad id is a clear message).
REFERENCES = {**MEETING_KIND.references, **AGENDA_KIND.references, **TILSAGN_KIND.references}


# ---------------------------------------------------------------- reads

def list_meetings(db: Database, kind=None, year=None, text=None, limit: int | None = None) -> pd.DataFrame:
    """Meetings matching the filters, latest first.

    With `limit`, only the first rows; `total_rows` says how many match in all.
    """
    return read_frame(db, LIST_SQL, {"kind": kind, "year": str(year) if year else None,
                                     "text": (text or "").strip() or None,
                                     "limit": -1 if limit is None else int(limit)})


def get_meeting(db: Database, meeting_id: int, include_internal: bool = False) -> dict | None:
    """One meeting with attendees (with their role on the day), organisations, agenda and tilsagn.

    Also the tilsagn due to be asked about (still open, from earlier meetings) and those taken up here.
    Each of these is a list of dicts with None for NULL.
    """
    record = read_one(db, """
        SELECT m.*, p.name AS chair_name, o.name AS host_name FROM meetings m
          LEFT JOIN people p ON p.id = m.chair_person_id
          LEFT JOIN organisations o ON o.id = m.host_org_id WHERE m.id = ?""", [meeting_id])
    if record is None:
        return None
    if not include_internal:
        record.pop("internal_notes", None)
    record["attendees"] = attendees(db, meeting_id, record["starts_at"][:10])
    chair_role = role_label(role_at(db, record["chair_person_id"], record["starts_at"][:10])) \
        if record["chair_person_id"] else ""
    record["chair_role"] = chair_role
    record["organisations"] = read_rows(db, """
        SELECT o.id, o.name, o.short_name FROM meeting_organisations mo
          JOIN organisations o ON o.id = mo.organisation_id WHERE mo.meeting_id = ? ORDER BY o.name""",
        [meeting_id])
    record["agenda"] = read_rows(db, AGENDA_SQL, [meeting_id])
    record["tilsagn"] = read_rows(db, MEETING_TILSAGN_SQL, [meeting_id])
    record["open_tilsagn_before"] = read_rows(db, OPEN_TILSAGN_SQL, {"before": record["starts_at"]})
    record["taken_up"] = read_rows(db, """
        SELECT t.id, t.text, t.status, m.id AS meeting_id, m.title AS meeting, m.starts_at,
               p.name AS responsible, s.title AS sak, t.version
          FROM tilsagn t JOIN meetings m ON m.id = t.meeting_id
          LEFT JOIN people p ON p.id = t.responsible_person_id LEFT JOIN saker s ON s.id = t.sak_id
         WHERE t.followed_up_meeting_id = ? ORDER BY m.starts_at, t.id""", [meeting_id])
    return record


def attendees(db: Database, meeting_id: int, day: str) -> list[dict]:
    """A meeting's people, government side first, with the role they held on the day."""
    people = read_rows(db, """
        SELECT p.id, p.name, p.side, mp.role_at_meeting, o.short_name AS organisation
          FROM meeting_people mp JOIN people p ON p.id = mp.person_id
          LEFT JOIN organisations o ON o.id = p.organisation_id
         WHERE mp.meeting_id = ? ORDER BY p.side DESC, p.name""", [meeting_id])
    return [{**person, "role_on_day": role_label(role_at(db, person["id"], day))} for person in people]


def agenda(db: Database, meeting_id: int) -> pd.DataFrame:
    """A meeting's agenda items in order, with what each is tied to and who speaks."""
    return read_frame(db, AGENDA_SQL, [meeting_id])


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


def list_tilsagn(db: Database, statuses: tuple[str, ...] | None = codes.OPEN_TILSAGN_STATUSES,
                 text: str | None = None) -> pd.DataFrame:
    """Tilsagn across all meetings with the given statuses (None: every status), latest meeting first."""
    return read_frame(db, TILSAGN_LIST_SQL, {
        "all_statuses": 1 if statuses is None else 0, "statuses": json.dumps(list(statuses or [])),
        "text": (text or "").strip() or None})


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


def agenda_candidates(db: Database, meeting_id: int) -> dict[str, pd.DataFrame]:
    """What could go on a meeting's agenda: saker, høringer and budget inputs not on it yet.

    `saker`: active saker with activity in the year before the meeting; `hoeringer`: frist from a month
    before to two months after the meeting, not dropped; `budget_inputs`: unsettled inputs of the budget
    years in play, with `current_phase` (the phase the cycle is in on the day) and `in_current_phase`.
    """
    row = read_one(db, "SELECT starts_at FROM meetings WHERE id = ?", [meeting_id])
    if row is None:
        return {"saker": pd.DataFrame(), "hoeringer": pd.DataFrame(), "budget_inputs": pd.DataFrame()}
    day = date.fromisoformat(row["starts_at"][:10])
    saker = read_frame(db, SAK_ACTIVITY_SQL, {
        "meeting_id": meeting_id, "day": day.isoformat(),
        "since": (day - timedelta(days=RECENT_SAK_DAYS)).isoformat()})
    hoeringer = read_frame(db, HOERING_CANDIDATES_SQL, {
        "meeting_id": meeting_id, "day": day.isoformat(),
        "from_day": (day - timedelta(days=HOERING_DAYS_BEFORE)).isoformat(),
        "to_day": (day + timedelta(days=HOERING_DAYS_AFTER)).isoformat()})
    budget = read_frame(db, BUDGET_CANDIDATES_SQL, {"meeting_id": meeting_id, "year": day.year})
    budget["current_phase"] = [budget_phase_on(row._asdict(), day) for row in budget.itertuples(index=False)]
    budget["in_current_phase"] = budget["phase"] == budget["current_phase"]
    budget = budget.sort_values(["in_current_phase", "budget_year"], ascending=[False, True], kind="stable")
    keep = ["id", "title", "budget_year", "phase", "chapter", "post", "ask_amount", "lead_org_id",
            "current_phase", "in_current_phase"]
    return {"saker": saker, "hoeringer": hoeringer, "budget_inputs": budget[keep].reset_index(drop=True)}


def budget_phase_on(cycle: dict, day: date) -> str | None:
    """The phase a budget year's cycle is in on a day, from its dates (None when no date is known).

    Before Prop. 1 S it is the spring input; each later date moves it on (hearing, committee report,
    adopted, revised budget).
    """
    dates = {column: str(cycle[column])[:10] for column, _ in PHASE_DATES
             if isinstance(cycle.get(column), (str, date))}  # a missing date reads as None or NaN
    if not dates:
        return None
    phase = "vaarinnspill"
    for column, next_phase in PHASE_DATES:
        if column in dates and dates[column] <= day.isoformat():
            phase = next_phase
    return phase


def picker_options(db: Database) -> dict[str, pd.DataFrame]:
    """Everything the meeting forms choose from: people, organisations, saker, høringer, budget inputs, meetings."""
    return {
        "people": read_frame(db, """
            SELECT p.id, p.name, p.side, p.organisation_id, COALESCE(o.short_name, o.name) AS organisation,
                   (SELECT r.title FROM person_roles r WHERE r.person_id = p.id
                     ORDER BY r.to_date IS NULL DESC, r.to_date DESC, r.from_date DESC LIMIT 1) AS role
              FROM people p LEFT JOIN organisations o ON o.id = p.organisation_id ORDER BY p.name"""),
        "organisations": read_frame(db, """
            SELECT id, name, short_name, kind FROM organisations ORDER BY name"""),
        "saker": read_frame(db, "SELECT id, title, status FROM saker ORDER BY status = 'avsluttet', title"),
        "hoeringer": read_frame(db, """
            SELECT id, title, deadline, our_status, their_ref FROM hoeringer ORDER BY deadline IS NULL, deadline DESC"""),
        "budget_inputs": read_frame(db, """
            SELECT id, title, budget_year, chapter, post, phase FROM budget_inputs
             ORDER BY budget_year DESC, CAST(chapter AS INTEGER), post, title"""),
        "meetings": read_frame(db, "SELECT id, title, kind, starts_at FROM meetings ORDER BY starts_at DESC"),
    }


# ---------------------------------------------------------------- writes: meetings

def create_meeting(db: Database, actor: Actor, values: dict, people: list[int] | None = None,
                   organisations: list[int] | None = None) -> int:
    """Create a meeting with its attendees and organisations (validated, audited); return its id."""
    values = {**values, "people": people or [], "organisations": organisations or []}
    return fields.save(db, actor, MEETING_KIND, values, _clean_meeting)


def update_meeting(db: Database, actor: Actor, meeting_id: int, values: dict, expected_version: int,
                   people: list[int] | None = None, organisations: list[int] | None = None) -> int:
    """Change a meeting (and, when given, its attendees and organisations); return the new version.

    Raises ConflictError if someone saved the meeting after `expected_version`.
    """
    links = {name: ids for name, ids in (("people", people), ("organisations", organisations)) if ids is not None}
    return fields.save(db, actor, MEETING_KIND, {**values, **links}, _clean_meeting, meeting_id, expected_version)


def delete_meeting(db: Database, actor: Actor, meeting_id: int, expected_version: int) -> None:
    """Delete a meeting with its agenda and tilsagn, each deletion in the audit log.

    Tilsagn from other meetings that were taken up here lose that link (audited as an update).
    """
    require(actor, EDIT)
    with write_transaction(db):
        fields.locked(db, MEETING_KIND, meeting_id, expected_version)
        for tid, version in db.execute(
                "SELECT id, version FROM tilsagn WHERE followed_up_meeting_id = ? AND meeting_id != ?",
                [meeting_id, meeting_id]).fetchall():
            records.update(db, actor, "tilsagn", tid, {"followed_up_meeting_id": None}, version)
        for tid, version in db.execute("SELECT id, version FROM tilsagn WHERE meeting_id = ?",
                                       [meeting_id]).fetchall():
            records.delete(db, actor, "tilsagn", tid, version)
        for item_id, version in db.execute("SELECT id, version FROM agenda_items WHERE meeting_id = ?",
                                           [meeting_id]).fetchall():
            records.delete(db, actor, "agenda_items", item_id, version)
        records.set_links(db, actor, "meeting_people", "meeting_id", meeting_id, "person_id", [])
        records.set_links(db, actor, "meeting_organisations", "meeting_id", meeting_id, "organisation_id", [])
        records.delete(db, actor, "meetings", meeting_id, expected_version)


def clean_meeting(db: Database, values: dict) -> dict:
    """Check a meeting's values as the form does (MEETING_FIELDS); return the row or raise ValidationError."""
    return _clean_meeting(db, values)[0]


def _clean_meeting(db: Database, values: dict, previous: dict | None = None) -> tuple[dict, dict]:
    row, links, errors = fields.clean_fields(db, MEETING_KIND, values)
    start = row["starts_at"] if not errors["starts_at"] else None  # order checks need a valid start
    if not errors["ends_at"] and row["ends_at"] and start and row["ends_at"] < start:
        errors["ends_at"] = "validation.end_before_start"
    if not errors["prep_deadline"] and row["prep_deadline"] and start and row["prep_deadline"] > start[:10]:
        errors["prep_deadline"] = "validation.prep_after_meeting"
    fields.raise_errors(errors)
    return row, links


def _set_people(db: Database, actor: Actor, meeting_id: int, people: list[int], day: str) -> None:
    # Like records.set_links, but each new attendee's role on the day is noted, so the meeting keeps
    # who someone was then even after their role changes; roles already noted are kept.
    new = sorted({int(p) for p in people})
    with write_transaction(db):
        existing = dict(db.execute("SELECT person_id, role_at_meeting FROM meeting_people WHERE meeting_id = ?",
                                   [meeting_id]).fetchall())
        old = sorted(existing)
        if old == new:
            return
        db.execute("DELETE FROM meeting_people WHERE meeting_id = ?", [meeting_id])
        for person_id in new:
            role = existing.get(person_id) or role_label(role_at(db, person_id, day)) or None
            db.execute("INSERT INTO meeting_people (meeting_id, person_id, role_at_meeting) VALUES (?, ?, ?)",
                       [meeting_id, person_id, role])
        records.audit(db, actor, "link", "meeting_people", meeting_id, {"person_id": old}, {"person_id": new})


# ---------------------------------------------------------------- writes: agenda items

def create_agenda_item(db: Database, actor: Actor, meeting_id: int, values: dict) -> int:
    """Add an item at the end of a meeting's agenda; return its id."""
    require(actor, EDIT)
    if not fields.exists(db, "meetings", meeting_id):
        raise ValidationError({"meeting_id": "validation.choice"})
    with write_transaction(db):
        position = db.execute("SELECT COALESCE(MAX(position), 0) + 1 FROM agenda_items WHERE meeting_id = ?",
                              [meeting_id]).fetchone()[0]
        return fields.save(db, actor, AGENDA_KIND, values, _clean_agenda_item,
                           extra={"meeting_id": meeting_id, "position": position})


def update_agenda_item(db: Database, actor: Actor, item_id: int, values: dict, expected_version: int) -> int:
    """Change an agenda item; return its new version (ConflictError if it changed meanwhile)."""
    return fields.save(db, actor, AGENDA_KIND, values, _clean_agenda_item, item_id, expected_version)


def delete_agenda_item(db: Database, actor: Actor, item_id: int, expected_version: int) -> None:
    """Remove an item from the agenda; its tilsagn stay on the meeting, the rest move up."""
    require(actor, EDIT)
    with write_transaction(db):
        current = fields.locked(db, AGENDA_KIND, item_id, expected_version)
        # The foreign key would clear these silently; do it through records so the log shows it.
        for tid, version in db.execute("SELECT id, version FROM tilsagn WHERE agenda_item_id = ?",
                                       [item_id]).fetchall():
            records.update(db, actor, "tilsagn", tid, {"agenda_item_id": None}, version)
        records.delete(db, actor, "agenda_items", item_id, expected_version)
        order = [r[0] for r in db.execute(
            "SELECT id FROM agenda_items WHERE meeting_id = ? ORDER BY position, id", [current["meeting_id"]])]
        _renumber(db, actor, order)


def move_agenda_item(db: Database, actor: Actor, item_id: int, step: int, expected_version: int) -> None:
    """Move an item one place up (step -1) or down (+1) on its agenda; the ends stay where they are."""
    require(actor, EDIT)
    with write_transaction(db):
        current = fields.locked(db, AGENDA_KIND, item_id, expected_version)
        order = [r[0] for r in db.execute(
            "SELECT id FROM agenda_items WHERE meeting_id = ? ORDER BY position, id", [current["meeting_id"]])]
        index = order.index(item_id)
        target = index + (1 if step > 0 else -1)
        if 0 <= target < len(order):
            order[index], order[target] = order[target], order[index]
        _renumber(db, actor, order)


def _renumber(db: Database, actor: Actor, order: list[int]) -> None:
    # Positions become 1..n in the given order; only items whose number changes are written.
    for position, item_id in enumerate(order, start=1):
        current_position, version = db.execute("SELECT position, version FROM agenda_items WHERE id = ?",
                                               [item_id]).fetchone()
        if current_position != position:
            records.update(db, actor, "agenda_items", item_id, {"position": position}, version)


def _clean_agenda_item(db: Database, values: dict, previous: dict | None = None) -> tuple[dict, dict]:
    row, links, errors = fields.clean_fields(db, AGENDA_KIND, values)
    fields.raise_errors(errors)
    if not row["title"]:
        # An item about a sak, høring or budget input is called after it unless named otherwise.
        row["title"] = _title_of(db, row)
    if row["speaker_person_id"] and not row["speaker_org_id"]:
        row["speaker_org_id"] = _organisation_of(db, row["speaker_person_id"])
    fields.raise_errors({"title": validation.required(row["title"])})
    return row, links


def _title_of(db: Database, row: dict) -> str | None:
    for field, table in (("sak_id", "saker"), ("hoering_id", "hoeringer"), ("budget_input_id", "budget_inputs")):
        if row.get(field):
            found = db.execute(f"SELECT title FROM [{table}] WHERE id = ?", [row[field]]).fetchone()
            if found:
                return found[0]
    return None


# ---------------------------------------------------------------- writes: tilsagn

def create_tilsagn(db: Database, actor: Actor, meeting_id: int, values: dict) -> int:
    """Record a commitment the government made in a meeting; return its id."""
    require(actor, EDIT)
    if not fields.exists(db, "meetings", meeting_id):
        raise ValidationError({"meeting_id": "validation.choice"})
    return fields.save(db, actor, TILSAGN_KIND, {**values, "meeting_id": meeting_id}, _clean_tilsagn,
                       extra={"meeting_id": meeting_id})


def update_tilsagn(db: Database, actor: Actor, tilsagn_id: int, values: dict, expected_version: int) -> int:
    """Change the given fields of a tilsagn (text, who, status, where followed up); return its new version."""
    return fields.save(db, actor, TILSAGN_KIND, values, _clean_tilsagn, tilsagn_id, expected_version)


def delete_tilsagn(db: Database, actor: Actor, tilsagn_id: int, expected_version: int) -> None:
    """Delete a tilsagn (kept in the audit log)."""
    records.delete(db, actor, "tilsagn", tilsagn_id, expected_version)


def _clean_tilsagn(db: Database, values: dict, previous: dict | None = None) -> tuple[dict, dict]:
    meeting_id = previous["meeting_id"] if previous else values["meeting_id"]
    row, links, errors = fields.clean_fields(db, TILSAGN_KIND, {**values, "status": values.get("status") or "aapen"})
    if row["agenda_item_id"] and not errors.get("agenda_item_id"):
        item = db.execute("SELECT meeting_id, sak_id FROM agenda_items WHERE id = ?",
                          [row["agenda_item_id"]]).fetchone()
        if item[0] != meeting_id:
            errors["agenda_item_id"] = "validation.agenda_item_other_meeting"
        elif not row["sak_id"]:
            row["sak_id"] = item[1]  # a promise on an agenda item is about that item's sak
    if row["followed_up_meeting_id"] and not errors.get("followed_up_meeting_id"):
        starts = dict(db.execute("SELECT id, starts_at FROM meetings WHERE id IN (?, ?)",
                                 [meeting_id, row["followed_up_meeting_id"]]).fetchall())
        if starts[row["followed_up_meeting_id"]] <= starts[meeting_id]:
            errors["followed_up_meeting_id"] = "validation.followup_not_later"
    fields.raise_errors(errors)
    if row["responsible_person_id"] and not row["responsible_org_id"]:
        row["responsible_org_id"] = _organisation_of(db, row["responsible_person_id"])
    return row, links


def _organisation_of(db: Database, person_id: int) -> int | None:
    found = db.execute("SELECT organisation_id FROM people WHERE id = ?", [person_id]).fetchone()
    return found[0] if found else None


# ---------------------------------------------------------------- spreadsheet import

def check_import_row(db: Database, values: dict, raw: dict) -> dict[str, str]:
    """A spreadsheet row's problems as the form would name them (the importer's row rule for meetings)."""
    errors = {}
    # Import only: a separate time column joins the date, and an end may be a time on the start's day.
    start = values.get("starts_at")
    clock = values.get("start_time")
    if start and clock:
        if "T" in start and start[11:16] != clock:
            errors["start_time"] = "validation.import_time_conflict"
        else:
            values["starts_at"] = f"{start[:10]}T{clock}"
    start = values.get("starts_at")
    end = values.get("ends_at")
    if end and len(end) == 5:
        if not start:
            return {**errors, "ends_at": "validation.import_datetime"}
        values["ends_at"] = f"{start[:10]}T{end}"
    # Old spreadsheets may give only a day: it is stored as a day, and checked as the day's first
    # (start) or last (end) minute, so the form's order rules compare days.
    probe = {k: v for k, v in values.items() if k in MEETING_FIELDS}
    for name, minute in (("starts_at", "00:00"), ("ends_at", "23:59")):
        if probe.get(name) and "T" not in probe[name]:
            probe[name] = f"{probe[name]}T{minute}"
    _, domain = fields.validated(lambda: clean_meeting(db, probe))
    return {**domain, **errors}


def duplicate_keys(values: dict) -> list[tuple]:
    """What makes two meetings the same: title and day, or the same day, start time and host."""
    keys = [("title", fields.normal_key(values.get("title")), str(values.get("starts_at") or "")[:10])]
    if values.get("starts_at") and values.get("host_org_id") is not None:
        keys.append(("when", str(values["starts_at"])[:16], values["host_org_id"]))
    return keys


IMPORT = fields.ImportSpec(
    MEETING_KIND, check_import_row, duplicate_keys,
    helper_fields=(("starts_at", Field("start_time", "text", ("Klokkeslett", "Time"), read_as="time",
                                       aliases=("klokkeslett", "kl.", "kl", "tid", "time", "start time",
                                                "fra kl.")),),))
