"""The influence report: what the forum, or one member organisation, did in a period and what came of it.

Every figure of the Rapport page and of its Word and PDF downloads comes from here, counted the same
way for the chosen period and for the period before it. What each figure counts, and which date puts a
record in a period, is written out in docs/report.md. The queries read whatever the connection shows:
pages read them through `ui.data.read`, so a viewer's report is counted on a connection that holds only
public records (`store/visibility.py`).
"""

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

import pandas as pd
from sqlite_utils import Database

from krem_advocacy.domain import saker
from krem_advocacy.store.connection import read_frame, read_one

# ---------------------------------------------------------------- periods


@dataclass(frozen=True)
class Period:
    """The days a report covers: `start` to `end` as chosen, counted up to `through` (never after today)."""

    start: date
    end: date
    through: date

    @property
    def year(self) -> int | None:
        """The calendar year when the period is exactly one, else None."""
        whole = self.start == date(self.start.year, 1, 1) and self.end == date(self.start.year, 12, 31)
        return self.start.year if whole else None

    @property
    def ongoing(self) -> bool:
        """True while the period is not over: its figures stop at today."""
        return self.through < self.end

    @property
    def empty(self) -> bool:
        """True when nothing of the period has happened yet (it starts after today)."""
        return self.through < self.start


def period(start: date, end: date, today: date) -> Period:
    """The period from `start` to `end` (inclusive), counted up to today at the latest."""
    if end < start:
        raise ValueError("the period ends before it starts")
    return Period(start, end, min(end, today))


def year_period(year: int, today: date) -> Period:
    """One calendar year, counted up to today at the latest."""
    return period(date(year, 1, 1), date(year, 12, 31), today)


def default_period(today: date) -> Period:
    """The period a report opens on: the last whole calendar year."""
    return year_period(today.year - 1, today)


def previous(current: Period) -> Period:
    """The period just before, as long as this one and counted as far into it as this one is.

    Whole months step back by months (a year by a year, a half-year by six months); other periods by
    their number of days. A period still going on is compared with the same part of the one before.
    """
    months = _whole_months(current.start, current.end)
    if months:
        start, end = _months_back(current.start, months), _months_back(current.end, months, month_end=True)
        through = _months_back(current.through, months) if current.ongoing else end
    else:
        length = timedelta(days=(current.end - current.start).days + 1)
        start, end, through = current.start - length, current.end - length, current.through - length
    return Period(start, end, min(through, end))


def _whole_months(start: date, end: date) -> int:
    last_day = calendar.monthrange(end.year, end.month)[1]
    if start.day != 1 or end.day != last_day:
        return 0
    return (end.year - start.year) * 12 + end.month - start.month + 1


def _months_back(day: date, months: int, month_end: bool = False) -> date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, last_day if month_end else min(day.day, last_day))


def years(db: Database, today: date) -> list[int]:
    """Calendar years a report can be made for, newest first: every year with activity, last year and this year."""
    found = {int(r[0]) for r in db.execute(YEARS_SQL) if r[0] and str(r[0]).isdigit()}
    found |= {today.year, today.year - 1}
    return sorted((y for y in found if y <= today.year), reverse=True)


YEARS_SQL = """
SELECT substr(submitted_on, 1, 4) FROM hoeringer WHERE submitted_on IS NOT NULL
UNION SELECT substr(starts_at, 1, 4) FROM meetings
UNION SELECT substr(COALESCE(sent_on, hearing_on, budget_year || '-01-01'), 1, 4) FROM budget_inputs
"""


# ---------------------------------------------------------------- who the report is about

def organisations(db: Database) -> pd.DataFrame:
    """The organisations a report can be made for: forum members and the secretariat (id, name, short_name)."""
    return read_frame(db, """
        SELECT id, name, short_name FROM organisations WHERE kind IN ('forum_member', 'secretariat')
         ORDER BY name COLLATE NOCASE""")


def organisation(db: Database, org_id: int) -> dict | None:
    """One organisation's name and short name, or None when the reader cannot see it."""
    return read_one(db, "SELECT id, name, short_name FROM organisations WHERE id = ?", [int(org_id)])


# ---------------------------------------------------------------- what puts a record in the period

# A høring is answered on its delivery date (submitted_on); one the forum decided not to answer
# (svarer_ikke) never counts, an archived one does when it was delivered (archiving follows delivery).
ANSWERED = "h.submitted_on BETWEEN :start AND :end AND h.our_status <> 'svarer_ikke'"
# The organisation's own høringer and budget inputs: it led them or co-signed them.
OWN_HOERING = """(:org IS NULL OR h.lead_org_id = :org OR EXISTS (
    SELECT 1 FROM hoering_cosigners c WHERE c.hoering_id = h.id AND c.organisation_id = :org))"""
OWN_BUDGET = """(:org IS NULL OR b.lead_org_id = :org OR EXISTS (
    SELECT 1 FROM budget_input_cosigners c WHERE c.budget_input_id = b.id AND c.organisation_id = :org))"""
# A budget input's day: when it was sent, else its Storting hearing, else 1 January of its budget year
# (the same day the saker trail gives it).
BUDGET_DAY = "COALESCE(b.sent_on, b.hearing_on, b.budget_year || '-01-01')"
# A meeting is held on its start date; the speaker of an innlegg is its organisation, or the person's.
MEETING_DAY = "substr(m.starts_at, 1, 10)"
SPEAKER_ORG = "COALESCE(a.speaker_org_id, sp.organisation_id)"
# A tilsagn belongs to an organisation when it was given on its innlegg, or (given without an agenda
# item) on a sak it spoke on in that meeting.
OWN_TILSAGN = f"""(:org IS NULL OR t.agenda_item_id IN (
    SELECT a.id FROM agenda_items a LEFT JOIN people sp ON sp.id = a.speaker_person_id
     WHERE {SPEAKER_ORG} = :org)
  OR (t.agenda_item_id IS NULL AND t.sak_id IN (
    SELECT a.sak_id FROM agenda_items a LEFT JOIN people sp ON sp.id = a.speaker_person_id
     WHERE a.meeting_id = t.meeting_id AND {SPEAKER_ORG} = :org)))"""

HOERINGER_SQL = f"""
SELECT h.id, h.title, h.submitted_on, h.answer_type, h.our_status, h.official_status, h.result,
       COALESCE(d.short_name, d.name) AS department, d.name AS department_name,
       h.lead_org_id, COALESCE(l.short_name, l.name) AS lead_org,
       (SELECT group_concat(name, ', ') FROM (
           SELECT COALESCE(o.short_name, o.name) AS name FROM hoering_cosigners c
             JOIN organisations o ON o.id = c.organisation_id WHERE c.hoering_id = h.id
            ORDER BY name COLLATE NOCASE)) AS cosigners,
       (SELECT COUNT(*) FROM hoering_cosigners c JOIN organisations o ON o.id = c.organisation_id
         WHERE c.hoering_id = h.id) AS cosigner_count,
       CASE WHEN :org IS NULL THEN NULL WHEN h.lead_org_id = :org THEN 'lead' ELSE 'cosigner' END AS role
  FROM hoeringer h
  LEFT JOIN organisations d ON d.id = h.department_id
  LEFT JOIN organisations l ON l.id = h.lead_org_id
 WHERE {ANSWERED} AND {OWN_HOERING}
 ORDER BY h.submitted_on, h.id
"""

# Who answered together: every organisation that led or co-signed an answered høring (for one
# organisation: the others on its answers).
PARTNERS_SQL = f"""
WITH answered AS (SELECT h.id, h.lead_org_id FROM hoeringer h WHERE {ANSWERED} AND {OWN_HOERING}),
parts AS (
    SELECT id AS hoering_id, lead_org_id AS org_id, 1 AS led FROM answered WHERE lead_org_id IS NOT NULL
    UNION ALL
    SELECT c.hoering_id, c.organisation_id, 0 FROM hoering_cosigners c JOIN answered a ON a.id = c.hoering_id
)
SELECT o.id, o.name, COALESCE(o.short_name, o.name) AS short_name, SUM(p.led) AS led,
       SUM(1 - p.led) AS cosigned, COUNT(*) AS answers
  FROM parts p JOIN organisations o ON o.id = p.org_id
 WHERE :org IS NULL OR p.org_id <> :org
 GROUP BY o.id ORDER BY answers DESC, led DESC, o.name COLLATE NOCASE
"""

MEETINGS_SQL = f"""
SELECT m.id, {MEETING_DAY} AS day, m.title, m.themes, p.name AS chair,
       (SELECT COUNT(*) FROM agenda_items a LEFT JOIN people sp ON sp.id = a.speaker_person_id
         WHERE a.meeting_id = m.id AND {SPEAKER_ORG} IS NOT NULL
           AND (:org IS NULL OR {SPEAKER_ORG} = :org)) AS innlegg,
       (SELECT COUNT(*) FROM tilsagn t WHERE t.meeting_id = m.id AND {OWN_TILSAGN}) AS tilsagn
  FROM meetings m LEFT JOIN people p ON p.id = m.chair_person_id
 WHERE m.kind = 'ku' AND {MEETING_DAY} BETWEEN :start AND :end
   AND (:org IS NULL OR EXISTS (
       SELECT 1 FROM agenda_items a LEFT JOIN people sp ON sp.id = a.speaker_person_id
        WHERE a.meeting_id = m.id AND {SPEAKER_ORG} = :org))
 ORDER BY m.starts_at, m.id
"""

# Innlegg in KU meetings: one row per agenda item with a speaking organisation.
INNLEGG_SQL = f"""
SELECT a.id, m.id AS meeting_id, {MEETING_DAY} AS day, a.title, {SPEAKER_ORG} AS org_id,
       o.name AS organisation, COALESCE(o.short_name, o.name) AS org_short, sp.name AS person,
       a.sak_id, COALESCE(th.code, '') AS theme_code, th.label_nb AS theme_nb, th.label_en AS theme_en,
       COALESCE(th.sort_order, 9999) AS theme_order
  FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id
  LEFT JOIN people sp ON sp.id = a.speaker_person_id
  LEFT JOIN organisations o ON o.id = {SPEAKER_ORG}
  LEFT JOIN saker s ON s.id = a.sak_id
  LEFT JOIN themes th ON th.code = s.theme_code
 WHERE m.kind = 'ku' AND {MEETING_DAY} BETWEEN :start AND :end AND {SPEAKER_ORG} IS NOT NULL
   AND o.id IS NOT NULL AND (:org IS NULL OR {SPEAKER_ORG} = :org)
 ORDER BY m.starts_at, a.position, a.id
"""

# Tilsagn given in any meeting held in the period, with their status today.
TILSAGN_SQL = f"""
SELECT t.id, m.id AS meeting_id, {MEETING_DAY} AS day, m.title AS meeting, m.kind AS meeting_kind, t.text,
       t.status, s.title AS sak,
       NULLIF(TRIM(COALESCE(rp.name, '') || CASE WHEN rp.name IS NOT NULL AND ro.id IS NOT NULL THEN ', ' ELSE '' END
                   || COALESCE(ro.short_name, ro.name, '')), '') AS responsible,
       substr(f.starts_at, 1, 10) AS followed_up_on, f.title AS followed_up_meeting
  FROM tilsagn t JOIN meetings m ON m.id = t.meeting_id
  LEFT JOIN saker s ON s.id = t.sak_id
  LEFT JOIN people rp ON rp.id = t.responsible_person_id
  LEFT JOIN organisations ro ON ro.id = t.responsible_org_id
  LEFT JOIN meetings f ON f.id = t.followed_up_meeting_id
 WHERE {MEETING_DAY} BETWEEN :start AND :end AND {OWN_TILSAGN}
 ORDER BY m.starts_at, t.id
"""

BUDGET_SQL = f"""
SELECT b.id, b.title, b.budget_year, b.phase, b.chapter, b.post, b.chapter_name, b.post_name,
       b.ask_amount, b.prop_amount, b.adopted_amount, b.outcome, {BUDGET_DAY} AS day,
       COALESCE(r.short_name, r.name) AS recipient,
       CASE WHEN :org IS NULL THEN NULL WHEN b.lead_org_id = :org THEN 'lead' ELSE 'cosigner' END AS role
  FROM budget_inputs b LEFT JOIN organisations r ON r.id = b.recipient_org_id
 WHERE {BUDGET_DAY} BETWEEN :start AND :end AND {OWN_BUDGET}
 ORDER BY b.budget_year, CAST(b.chapter AS INTEGER), b.post, day, b.id
"""

# The saker that moved: something was done on them in the period towards the government (a høring
# answered, a budget input, an agenda item in a meeting other than the forum's own, a tilsagn given or
# followed up). `own` marks what the organisation did itself; for one organisation a sak counts when
# it did something on it, or leads it and it moved.
MOVED_SQL = f"""
WITH events AS (
    SELECT l.sak_id, {OWN_HOERING} AS own
      FROM hoering_saker l JOIN hoeringer h ON h.id = l.hoering_id WHERE {ANSWERED}
    UNION ALL
    SELECT l.sak_id, {OWN_BUDGET}
      FROM budget_input_saker l JOIN budget_inputs b ON b.id = l.budget_input_id
     WHERE {BUDGET_DAY} BETWEEN :start AND :end
    UNION ALL
    SELECT a.sak_id, (:org IS NULL OR {SPEAKER_ORG} = :org)
      FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id
      LEFT JOIN people sp ON sp.id = a.speaker_person_id
     WHERE {MEETING_DAY} BETWEEN :start AND :end AND m.kind <> 'forum'
    UNION ALL
    SELECT t.sak_id, {OWN_TILSAGN}
      FROM tilsagn t JOIN meetings m ON m.id = t.meeting_id WHERE {MEETING_DAY} BETWEEN :start AND :end
    UNION ALL
    SELECT t.sak_id, {OWN_TILSAGN}
      FROM tilsagn t JOIN meetings m ON m.id = t.followed_up_meeting_id
     WHERE {MEETING_DAY} BETWEEN :start AND :end
)
SELECT s.id, s.title, s.status, COALESCE(o.short_name, o.name) AS lead_org, th.label_nb AS theme_nb,
       th.label_en AS theme_en, COUNT(*) AS events, SUM(e.own) AS own_events
  FROM events e JOIN saker s ON s.id = e.sak_id
  LEFT JOIN organisations o ON o.id = s.lead_org_id
  LEFT JOIN themes th ON th.code = s.theme_code
 GROUP BY s.id
HAVING :org IS NULL OR SUM(e.own) > 0 OR MAX(s.lead_org_id = :org)
 ORDER BY events DESC, s.title COLLATE NOCASE
"""

# What each activity kind of the report is, in the order charts and tables show them.
ACTIVITY_KINDS = ("hoering_answered", "ku_meeting", "innlegg", "budget_input", "tilsagn_given")
TILSAGN_OUTCOMES = ("innfridd", "fulgt_opp", "ikke_innfridd", "aapen")
BUDGET_OUTCOMES = ("innfridd", "delvis", "ikke", "ukjent")
# Periods up to two years are counted per month over time, longer ones per quarter.
MONTHLY_UP_TO_DAYS = 731


# ---------------------------------------------------------------- the figures of one period

@dataclass(frozen=True)
class Figures:
    """Everything counted for one period (and one organisation or the whole forum), as small frames."""

    period: Period
    hoeringer: pd.DataFrame
    partners: pd.DataFrame
    meetings: pd.DataFrame
    innlegg: pd.DataFrame
    tilsagn: pd.DataFrame
    budget_inputs: pd.DataFrame
    saker: pd.DataFrame

    @property
    def departments(self) -> pd.DataFrame:
        """Answered høringer per department (department, department_name, answers, med, uten, unknown)."""
        return by_department(self.hoeringer)

    @property
    def budget_lines(self) -> pd.DataFrame:
        """The budget inputs per budget year, kap. and post (see `budget_lines`)."""
        return budget_lines(self.budget_inputs)

    @property
    def speakers(self) -> pd.DataFrame:
        """Innlegg per organisation (org_id, organisation, org_short, innlegg, meetings)."""
        return speakers(self.innlegg)

    @property
    def themes(self) -> pd.DataFrame:
        """Innlegg per theme of their sak (theme_code, theme_nb, theme_en, innlegg); '' = no theme."""
        return themes(self.innlegg)

    def counts(self) -> dict:
        """The key figures: whole numbers, kroner, and the share of tilsagn fulfilled (0–1, None without any)."""
        h, t, lines = self.hoeringer, self.tilsagn, self.budget_lines
        answer = h["answer_type"].fillna("")
        status = t["status"]
        outcome = self.budget_inputs["outcome"]
        both = lines.dropna(subset=["prop_amount", "adopted_amount"])
        given = len(t)
        return {
            "hoeringer_answered": len(h),
            "hoeringer_with_remarks": int((answer == "med_merknad").sum()),
            "hoeringer_without_remarks": int((answer == "uten_merknad").sum()),
            "hoeringer_answer_type_unknown": int((answer == "").sum()),
            "hoeringer_joint": int(_joint(h).sum()),
            "hoeringer_with_result": int(h["result"].map(_present).sum()),
            "hoeringer_led": int((h["role"] == "lead").sum()),
            "hoeringer_cosigned": int((h["role"] == "cosigner").sum()),
            "departments": int(h["department"].dropna().nunique()),
            "ku_meetings": len(self.meetings),
            "innlegg": len(self.innlegg),
            "speaking_organisations": int(self.innlegg["org_id"].nunique()),
            "tilsagn_given": given,
            **{f"tilsagn_{code}": int((status == code).sum()) for code in TILSAGN_OUTCOMES},
            "tilsagn_share_fulfilled": (int((status == "innfridd").sum()) / given) if given else None,
            "budget_inputs": len(self.budget_inputs),
            "budget_lines": len(lines),
            **{f"budget_{code}": int((outcome == code).sum()) for code in BUDGET_OUTCOMES},
            "budget_asked": _sum(lines["ask_amount"]),
            "budget_proposed": _sum(lines["prop_amount"]),
            "budget_adopted": _sum(lines["adopted_amount"]),
            "budget_change": _sum(both["adopted_amount"] - both["prop_amount"]) if len(both) else None,
            "budget_lines_compared": len(both),
            "saker_moved": len(self.saker),
        }


def figures(db: Database, chosen: Period, org_id: int | None = None) -> Figures:
    """Count one period for the whole forum (`org_id` None) or one organisation's own part."""
    params = {"start": chosen.start.isoformat(), "end": chosen.through.isoformat(),
              "org": None if org_id is None else int(org_id)}
    return Figures(
        period=chosen,
        hoeringer=read_frame(db, HOERINGER_SQL, params),
        partners=read_frame(db, PARTNERS_SQL, params),
        meetings=read_frame(db, MEETINGS_SQL, params),
        innlegg=read_frame(db, INNLEGG_SQL, params),
        tilsagn=read_frame(db, TILSAGN_SQL, params),
        budget_inputs=read_frame(db, BUDGET_SQL, params),
        saker=read_frame(db, MOVED_SQL, params),
    )


def by_department(hoeringer: pd.DataFrame) -> pd.DataFrame:
    """Answered høringer per department, most first; høringer without a department are left out."""
    columns = ["department", "department_name", "answers", "med_merknad", "uten_merknad", "unknown"]
    known = hoeringer[hoeringer["department"].map(_present)]
    if known.empty:
        return pd.DataFrame(columns=columns)
    answer = known["answer_type"].fillna("")
    frame = known.assign(med_merknad=(answer == "med_merknad").astype(int),
                         uten_merknad=(answer == "uten_merknad").astype(int),
                         unknown=(answer == "").astype(int), answers=1)
    grouped = frame.groupby(["department", "department_name"], dropna=False, as_index=False)[
        ["answers", "med_merknad", "uten_merknad", "unknown"]].sum()
    return grouped.sort_values(["answers", "department"], ascending=[False, True]).reset_index(drop=True)[columns]


def budget_lines(inputs: pd.DataFrame) -> pd.DataFrame:
    """One row per budget year, kap. and post, with the ask, Prop. 1 S and adopted amounts and the change.

    Several inputs on the same line (a spring input and a hearing note on kap. 621 post 70) count the
    line once: its largest ask, Prop. 1 S and adopted amount. An input without a kap. is a line of its own.
    `change` is adopted minus Prop. 1 S where both are known: what the Storting added to (or cut from)
    the government's proposal.
    """
    columns = ["budget_year", "chapter", "post", "name", "inputs", "ask_amount", "prop_amount", "adopted_amount",
               "change", "outcome"]
    if inputs.empty:
        return pd.DataFrame(columns=columns)
    frame = inputs.assign(
        line=[f"{y}|{c}|{p or ''}" if _present(c) else f"id{i}"
              for y, c, p, i in zip(inputs["budget_year"], inputs["chapter"], inputs["post"], inputs["id"])],
        name=[_line_name(c, p, t) for c, p, t in zip(inputs["chapter_name"], inputs["post_name"], inputs["title"])],
    )
    rows = []
    for _, group in frame.groupby("line", sort=False):
        first = group.iloc[0]
        amounts = {col: _max(group[col]) for col in ("ask_amount", "prop_amount", "adopted_amount")}
        change = (amounts["adopted_amount"] - amounts["prop_amount"]
                  if amounts["adopted_amount"] is not None and amounts["prop_amount"] is not None else None)
        rows.append({"budget_year": int(first["budget_year"]), "chapter": _text(first["chapter"]),
                     "post": _text(first["post"]), "name": _first(group["name"]), "inputs": len(group),
                     **amounts, "change": change, "outcome": _best_outcome(group["outcome"])})
    lines = pd.DataFrame(rows, columns=columns)
    lines["_chapter"] = pd.to_numeric(lines["chapter"], errors="coerce")
    lines = lines.sort_values(["budget_year", "_chapter", "post"], na_position="last")
    return lines.drop(columns="_chapter").reset_index(drop=True)


def speakers(innlegg: pd.DataFrame) -> pd.DataFrame:
    """Innlegg per organisation, most first (org_id, organisation, org_short, innlegg, meetings)."""
    columns = ["org_id", "organisation", "org_short", "innlegg", "meetings"]
    if innlegg.empty:
        return pd.DataFrame(columns=columns)
    grouped = innlegg.groupby(["org_id", "organisation", "org_short"], as_index=False).agg(
        innlegg=("id", "count"), meetings=("meeting_id", "nunique"))
    return grouped.sort_values(["innlegg", "organisation"], ascending=[False, True]).reset_index(drop=True)[columns]


def people_speaking(innlegg: pd.DataFrame) -> pd.DataFrame:
    """Innlegg per person (for one organisation): person ('' when none is named), innlegg."""
    if innlegg.empty:
        return pd.DataFrame(columns=["person", "innlegg"])
    frame = innlegg.assign(person=innlegg["person"].fillna(""))
    grouped = frame.groupby("person", as_index=False).agg(innlegg=("id", "count"))
    return grouped.sort_values(["innlegg", "person"], ascending=[False, True]).reset_index(drop=True)


def themes(innlegg: pd.DataFrame) -> pd.DataFrame:
    """Innlegg per theme of their sak, in the platform's order; theme_code '' = no sak or no theme."""
    columns = ["theme_code", "theme_nb", "theme_en", "innlegg"]
    if innlegg.empty:
        return pd.DataFrame(columns=columns)
    grouped = innlegg.groupby(["theme_code", "theme_order"], as_index=False, dropna=False).agg(
        theme_nb=("theme_nb", "first"), theme_en=("theme_en", "first"), innlegg=("id", "count"))
    return grouped.sort_values(["theme_order", "theme_code"]).reset_index(drop=True)[columns]


# ---------------------------------------------------------------- the report: this period and the one before

@dataclass(frozen=True)
class Report:
    """A report's figures: the chosen period and the one before, the saker's trails and activity over time."""

    current: Figures
    previous: Figures
    organisation: dict | None  # id, name, short_name; None = the whole forum
    # Every trail row of the period's saker (sak_id, then saker.trail's columns; each sak's newest first).
    events: pd.DataFrame = field(default_factory=pd.DataFrame)
    activity: pd.DataFrame = field(default_factory=pd.DataFrame)  # bucket, start, kind, count

    @cached_property
    def trail_records(self) -> dict[int, list[dict]]:
        """Sak id -> its trail in the period as plain records (a busy year has hundreds of small trails)."""
        found: dict[int, list[dict]] = {int(sak_id): [] for sak_id in self.current.saker["id"]}
        for event in self.events.to_dict("records") if len(self.events) else []:
            found.setdefault(int(event.pop("sak_id")), []).append(event)
        return found

    @cached_property
    def trails(self) -> dict[int, pd.DataFrame]:
        """Sak id -> its trail in the period (saker.trail's columns), for every sak of the period."""
        columns = [c for c in self.events.columns if c != "sak_id"]
        return {sak_id: pd.DataFrame(rows, columns=columns) for sak_id, rows in self.trail_records.items()}

    @property
    def period(self) -> Period:
        return self.current.period

    @property
    def previous_period(self) -> Period:
        return self.previous.period


def build(db: Database, start: date, end: date, today: date, org_id: int | None = None) -> Report | None:
    """The report for `start`–`end` (and the period before) for the whole forum or one organisation.

    None when the organisation is not one the reader can see.
    """
    org = None
    if org_id is not None:
        org = organisation(db, org_id)
        if org is None:
            return None
    chosen = period(start, end, today)
    current = figures(db, chosen, org_id)
    before = figures(db, previous(chosen), org_id)
    ids = [int(sak_id) for sak_id in current.saker["id"]]
    # All the saker's trails in one query (one query per sak took seconds for a busy year).
    events = in_period(saker.trails(db, ids), chosen)
    return Report(current=current, previous=before, organisation=org, events=events, activity=activity(current))


def trail_in_period(db: Database, sak_id: int, chosen: Period) -> pd.DataFrame:
    """What happened on a sak in the period: its trail (`saker.trail`) cut to the period.

    A høring is on it when answered in the period (a deadline alone is not something done), an agenda
    item when its meeting was not the forum's own, a tilsagn when given or followed up in the period.
    """
    return in_period(saker.trail(db, sak_id), chosen)


def in_period(frame: pd.DataFrame, chosen: Period) -> pd.DataFrame:
    """Trail rows (`saker.trail`'s columns, of one sak or many) cut to the period, as `trail_in_period` says."""
    start, end = chosen.start.isoformat(), chosen.through.isoformat()
    day = frame["day"].fillna("")
    inside = (day >= start) & (day <= end)
    answered = (frame["kind"] != "hoering") | (frame["day_kind"] == "submitted")
    # The forum's own meetings prepare the work; they are on the sak's page, not in the report.
    answered &= ~((frame["kind"] == "agenda_item") & (frame["status"] == "forum"))
    followed = frame["followed_up_on"].fillna("").between(start, end) & (frame["kind"] == "tilsagn")
    return frame[(inside & answered) | followed].reset_index(drop=True)


def activity(current: Figures) -> pd.DataFrame:
    """What was done per month (or quarter, for periods over two years) and kind, every bucket listed.

    Counted from the same rows as the sections, so the totals are the section figures.
    """
    chosen = current.period
    monthly = (chosen.end - chosen.start).days < MONTHLY_UP_TO_DAYS
    buckets = _buckets(chosen.start, max(chosen.through, chosen.start), monthly)
    days = {
        "hoering_answered": current.hoeringer["submitted_on"],
        "ku_meeting": current.meetings["day"],
        "innlegg": current.innlegg["day"],
        "budget_input": current.budget_inputs["day"],
        "tilsagn_given": current.tilsagn["day"],
    }
    rows = []
    for kind in ACTIVITY_KINDS:
        counted = pd.Series([_bucket_of(str(d), monthly) for d in days[kind].dropna()], dtype=object).value_counts()
        for bucket, first in buckets:
            rows.append({"bucket": bucket, "start": first, "kind": kind, "count": int(counted.get(bucket, 0))})
    return pd.DataFrame(rows, columns=["bucket", "start", "kind", "count"])


def _buckets(start: date, end: date, monthly: bool) -> list[tuple[str, str]]:
    # (bucket key, its first day) from start to end: «2025-03» per month, «2025-K1» per quarter.
    found, year, month = [], start.year, start.month if monthly else (start.month - 1) // 3 * 3 + 1
    while (year, month) <= (end.year, end.month):
        first = date(year, month, 1)
        found.append((_bucket_of(first.isoformat(), monthly), first.isoformat()))
        month += 1 if monthly else 3
        if month > 12:
            year, month = year + 1, month - 12
    return found


def _bucket_of(day: str, monthly: bool) -> str:
    return day[:7] if monthly else f"{day[:4]}-K{(int(day[5:7]) - 1) // 3 + 1}"


# ---------------------------------------------------------------- small helpers

def _joint(hoeringer: pd.DataFrame) -> pd.Series:
    # A joint answer has at least one co-signer besides the lead organisation.
    return hoeringer["cosigner_count"].fillna(0).astype(int) > 0


def _present(value) -> bool:
    return value is not None and value == value and str(value).strip() != ""


def _text(value) -> str:
    return str(value) if _present(value) else ""


def _first(values: pd.Series) -> str:
    return next((str(v) for v in values if _present(v)), "")


def _max(values: pd.Series) -> int | None:
    known = values.dropna()
    return int(known.max()) if len(known) else None


def _sum(values: pd.Series) -> int | None:
    known = values.dropna()
    return int(known.sum()) if len(known) else None


def _line_name(chapter_name, post_name, title) -> str:
    names = [str(n) for n in (chapter_name, post_name) if _present(n)]
    return " – ".join(names) if names else str(title)


def _best_outcome(outcomes: pd.Series) -> str:
    # The line's outcome: the best any of its inputs reached (a hearing note may win what a spring input did not).
    known = [o for o in BUDGET_OUTCOMES if o in set(outcomes.dropna())]
    return known[0] if known else "ukjent"
