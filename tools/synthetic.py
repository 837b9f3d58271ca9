"""Synthetic forum data at a multiple of the demo's size, for the benchmark and load tests.

Rows are made deterministically (a seeded random generator) with the shape of a real forum's ten
years: records spread over the ten years before `today` (a few planned months ahead), old høringer
answered or archived and old tilsagn settled while recent ones are open, every link table filled,
a few records marked internal, and an audit log of about a thousand rows per unit of scale over
every kind of record. Scale 100 is roughly ten busy years: some 16 000 records, 35 000 link rows
and 100 000 audit rows.
"""

import json
import random
from datetime import date, timedelta

from sqlite_utils import Database

from krem_advocacy.store.connection import write_transaction
from krem_advocacy.store.records import now_iso
from krem_advocacy.text import codes

# Rows per unit of scale: the demo dataset's size (scale 100 ≈ ten busy years).
PER_SCALE = {
    "organisations": 30,
    "people": 20,
    "person_roles": 21,
    "saker": 13,
    "sak_people": 16,
    "hoeringer": 23,
    "hoering_cosigners": 30,
    "hoering_saker": 35,
    "budget_inputs": 13,
    "budget_input_cosigners": 32,
    "budget_input_saker": 22,
    "meetings": 19,
    "meeting_people": 71,
    "meeting_organisations": 97,
    "agenda_items": 25,
    "tilsagn": 11,
    "audit_log": 1000,
}
YEARS = 10  # the span the records are spread over, back from today
INTERNAL_SHARE = 0.03  # records marked internal (hidden from viewers)
BACKLOG_SHARE = 0.01  # høringer past their frist still open: the overdue backlog
SOURCE = "syntetisk"  # the `source` of every synthetic record

WORDS = ("bolig", "barnetrygd", "sosialhjelp", "NAV", "arbeid", "rus", "psykisk helse", "integrering",
         "barnevern", "kriminalomsorg", "bostøtte", "minstenorm", "unge utenfor", "entreprenørskap",
         "brukermedvirkning", "utdanning", "økonomisk rådgivning", "gjeld", "husleie", "inkludering")
ROLE_TITLES = ("statsråd", "statssekretær", "politisk rådgiver", "avdelingsdirektør", "representant",
               "vararepresentant", "leder", "rådgiver")
PLACES = ("Oslo", "Bergen", "Trondheim", "Digitalt", "Stortinget", "Departementenes servicesenter")


class _Generator:
    def __init__(self, db: Database, scale: int, today: date, seed: int):
        self.db = db
        self.scale = scale
        self.today = today
        self.rng = random.Random(seed)
        self.stamp = now_iso()
        self.counts: dict[str, int] = {}

    # ------------------------------------------------------------ helpers

    def n(self, table: str) -> int:
        return PER_SCALE[table] * self.scale

    def day(self, ahead: int = 0) -> date:
        """A day in the ten years before today, or up to `ahead` days after it."""
        return self.today + timedelta(days=self.rng.randint(-365 * YEARS, ahead))

    def words(self, k: int = 2) -> str:
        return " og ".join(self.rng.sample(WORDS, k))

    def title(self, prefix: str) -> str:
        return f"{prefix} – {self.words()} ({self.rng.randint(1, 99999)})"

    def text(self, sentences: int) -> str:
        return " ".join(f"Syntetisk tekst om {self.words()}." for _ in range(sentences))

    def maybe(self, share: float, value):
        return value if self.rng.random() < share else None

    def record(self, **values) -> dict:
        return {**values, "is_example": 1, "source": SOURCE, "created_at": self.stamp,
                "updated_at": self.stamp, "version": self.rng.randint(1, 4),
                "is_internal": int(self.rng.random() < INTERNAL_SHARE),
                "notes": self.maybe(0.3, self.text(1)), "internal_notes": self.maybe(0.1, self.text(1))}

    def insert(self, table: str, rows: list[dict]) -> list[int]:
        if not rows:
            return []
        columns = list(rows[0])
        sql = f"INSERT INTO [{table}] ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
        first = self.db.execute(f"SELECT COALESCE(MAX(rowid), 0) FROM [{table}]").fetchone()[0] + 1
        self.db.conn.executemany(sql, [[r[c] for c in columns] for r in rows])
        self.counts[table] = self.counts.get(table, 0) + len(rows)
        return list(range(first, first + len(rows)))

    def link(self, table: str, left: str, right: str, lefts: list[int], rights: list[int], **extra) -> None:
        pairs = set()
        while len(pairs) < min(self.n(table), len(lefts) * len(rights)):
            pairs.add((self.rng.choice(lefts), self.rng.choice(rights)))
        self.insert(table, [{left: a, right: b, **extra} for a, b in sorted(pairs)])

    # ------------------------------------------------------------ tables

    def organisations(self) -> None:
        # Government has a bounded number of ministries, agencies, committees and parties, however long
        # the forum runs; the rest are members, municipalities and others.
        caps = {"department": 20, "directorate": 100, "committee": 15, "party": 12}
        made = dict.fromkeys(caps, 0)
        kinds = ["forum_member"] * 5 + ["municipality"] * 2 + ["other"] * 2 + list(caps)
        rows = []
        for i in range(self.n("organisations")):
            kind = self.rng.choice(kinds)
            if kind in caps:
                if made[kind] >= caps[kind]:
                    kind = "forum_member"
                else:
                    made[kind] += 1
            member = kind == "forum_member"
            since = self.rng.randint(self.today.year - YEARS - 8, self.today.year) if member else None
            status = self.rng.choice(("aktiv",) * 8 + ("permisjon", "utmeldt")) if member else None
            rows.append(self.record(
                name=f"Organisasjon {i} for {self.words(1)}", short_name=f"O{i}", kind=kind,
                member_since=since, member_status=status,
                member_until=self.rng.randint(since, self.today.year) if status == "utmeldt" else None,
                representatives=self.rng.randint(1, 3) if member else None,
                url=self.maybe(0.5, f"https://example.org/o{i}")))
        self.orgs = self.insert("organisations", rows)
        by_kind = dict(self.db.execute("SELECT kind, group_concat(id) FROM organisations GROUP BY kind").fetchall())
        self.departments = [int(i) for i in (by_kind.get("department") or "").split(",") if i] or self.orgs
        self.members = [int(i) for i in (by_kind.get("forum_member") or "").split(",") if i] or self.orgs
        directorates = [o for o, row in zip(self.orgs, rows) if row["kind"] == "directorate"]
        self.db.conn.executemany("UPDATE organisations SET parent_id = ? WHERE id = ?",
                                 [(self.rng.choice(self.departments), d) for d in directorates])

    def people(self) -> None:
        self.persons = self.insert("people", [self.record(
            name=f"Person {i}", organisation_id=self.rng.choice(self.orgs), side=self.rng.choice(codes.PERSON_SIDES),
            email=self.maybe(0.7, f"person{i}@example.org"), phone=self.maybe(0.4, f"9{i:07d}"[:8]))
            for i in range(self.n("people"))])
        rows = []
        for _ in range(self.n("person_roles")):
            start = self.day()
            end = self.maybe(0.6, start + timedelta(days=self.rng.randint(100, 1500)))
            rows.append(self.record(
                person_id=self.rng.choice(self.persons), organisation_id=self.rng.choice(self.orgs),
                title=self.rng.choice(ROLE_TITLES), from_date=start.isoformat(),
                to_date=end.isoformat() if end and end < self.today else None))
        self.insert("person_roles", rows)

    def saker(self, themes: list[str]) -> None:
        rows = []
        for _ in range(self.n("saker")):
            started = self.day()
            old = (self.today - started).days > 3 * 365
            rows.append(self.record(
                title=self.title("Sak"), description=self.text(3), easy_read=self.maybe(0.4, self.text(1)),
                theme_code=self.rng.choice(themes), priority=self.rng.choice(codes.PRIORITIES),
                stance=self.maybe(0.6, self.text(2)),
                status=self.rng.choice(("avsluttet",) * 3 + ("pause",)) if old else self.rng.choice(
                    ("aktiv",) * 3 + ("pause",)),
                lead_org_id=self.rng.choice(self.members), started_on=started.isoformat()))
        self.saker_ids = self.insert("saker", rows)
        self.link("sak_people", "sak_id", "person_id", self.saker_ids, self.persons)

    def hoeringer(self) -> None:
        rows = []
        for _ in range(self.n("hoeringer")):
            published = self.day()
            deadline = published + timedelta(days=self.rng.choice((21, 28, 42, 60, 90, 90)))
            days_left = (deadline - self.today).days
            if days_left >= 0:
                status = self.rng.choice(("innkommet", "til_vurdering", "svarer", "svarer_ikke"))
                official = "paa_hoering"
            elif self.rng.random() < BACKLOG_SHARE:
                status = self.rng.choice(("til_vurdering", "svarer"))
                official = "under_behandling"
            else:
                status = self.rng.choice(("levert", "levert", "arkivert", "svarer_ikke"))
                official = self.rng.choice(("under_behandling", "ferdigbehandlet", "ferdigbehandlet"))
            answered = status in ("levert", "arkivert")
            rows.append(self.record(
                title=self.title("Høring"), department_id=self.rng.choice(self.departments),
                published_on=published.isoformat(), deadline=deadline.isoformat(),
                internal_deadline=(deadline - timedelta(days=7)).isoformat(),
                their_ref=f"{published.year % 100:02d}/{self.rng.randint(1, 9999)}",
                url=f"https://www.regjeringen.no/no/dokumenter/h{self.rng.randint(1, 10**6)}/",
                official_status=official, our_status=status, named_instance=int(self.rng.random() < 0.3),
                answer_type=self.rng.choice(codes.ANSWER_TYPES) if answered else None,
                lead_org_id=self.rng.choice(self.members) if status not in ("innkommet", "svarer_ikke") else None,
                submitted_on=(deadline - timedelta(days=1)).isoformat() if answered else None,
                short_deadline_reason=self.maybe(0.05, self.text(1)),
                result=self.maybe(0.3, self.text(2)) if answered else None))
        self.hoering_ids = self.insert("hoeringer", rows)
        self.link("hoering_cosigners", "hoering_id", "organisation_id", self.hoering_ids, self.members)
        self.link("hoering_saker", "hoering_id", "sak_id", self.hoering_ids, self.saker_ids)

    def budget(self) -> None:
        years = range(self.today.year - YEARS, self.today.year + 2)
        existing = {r[0] for r in self.db.execute("SELECT budget_year FROM budget_years")}
        self.insert("budget_years", [self.record(
            budget_year=y, prop1s_on=f"{y - 1}-10-07", hearing_application_deadline=f"{y - 1}-10-15",
            hearing_on=f"{y - 1}-10-25", frames_vote_on=f"{y - 1}-11-25", final_vote_on=f"{y - 1}-12-15",
            revised_on=f"{y}-06-20") for y in years if y not in existing])
        rows = []
        for _ in range(self.n("budget_inputs")):
            year = self.rng.choice(years)
            settled = year <= self.today.year
            ask = self.rng.randint(1, 200) * 100_000
            rows.append(self.record(
                title=self.title("Innspill"), budget_year=year,
                phase=self.rng.choice(codes.BUDGET_PHASES if settled else codes.BUDGET_PHASES[:2]),
                recipient_org_id=self.rng.choice(self.departments), lead_org_id=self.rng.choice(self.members),
                chapter=str(self.rng.randint(600, 899)), post=f"{self.rng.choice((1, 21, 60, 61, 70, 71)):02d}",
                chapter_name=f"Kapittel om {self.words(1)}", post_name=self.rng.choice(("Driftsutgifter", "Tilskudd")),
                ask=self.text(2), ask_amount=ask, prop_amount=self.rng.randint(0, ask // 100_000) * 100_000,
                adopted_amount=self.rng.randint(0, ask // 100_000) * 100_000 if settled else None,
                outcome=self.rng.choice(codes.BUDGET_OUTCOMES) if settled else "ukjent",
                sent_on=f"{year - 1}-0{self.rng.randint(1, 9)}-15",
                hearing_application_deadline=f"{year - 1}-10-15", hearing_on=f"{year - 1}-10-25"))
        budget_ids = self.insert("budget_inputs", rows)
        self.link("budget_input_cosigners", "budget_input_id", "organisation_id", budget_ids, self.members)
        self.link("budget_input_saker", "budget_input_id", "sak_id", budget_ids, self.saker_ids)
        self.budget_ids = budget_ids

    def meetings(self) -> None:
        rows = []
        for _ in range(self.n("meetings")):
            day = self.day(ahead=180)
            past = day < self.today
            rows.append(self.record(
                title=self.title("Møte"), kind=self.rng.choice(codes.MEETING_KINDS),
                starts_at=f"{day.isoformat()}T{self.rng.choice(('09:00', '12:00', '13:30'))}",
                ends_at=f"{day.isoformat()}T15:00", place=self.rng.choice(PLACES),
                host_org_id=self.rng.choice(self.departments), chair_person_id=self.rng.choice(self.persons),
                themes=self.words(), prep_deadline=(day - timedelta(days=7)).isoformat(),
                minutes=self.text(6) if past else None,
                minutes_url=self.maybe(0.3, "https://example.org/referat.pdf") if past else None))
        self.meeting_ids = self.insert("meetings", rows)
        dates = dict(zip(self.meeting_ids, (r["starts_at"] for r in rows)))
        self.link("meeting_people", "meeting_id", "person_id", self.meeting_ids, self.persons,
                  role_at_meeting=None)
        self.link("meeting_organisations", "meeting_id", "organisation_id", self.meeting_ids, self.orgs)
        items, positions = [], {}
        for _ in range(self.n("agenda_items")):
            meeting = self.rng.choice(self.meeting_ids)
            positions[meeting] = positions.get(meeting, 0) + 1
            about = self.rng.randrange(3)
            items.append(self.record(
                meeting_id=meeting, position=positions[meeting], title=self.title("Innlegg"),
                sak_id=self.rng.choice(self.saker_ids) if about == 0 else None,
                hoering_id=self.rng.choice(self.hoering_ids) if about == 1 else None,
                budget_input_id=self.rng.choice(self.budget_ids) if about == 2 else None,
                speaker_org_id=self.rng.choice(self.members), speaker_person_id=self.rng.choice(self.persons),
                summary=self.maybe(0.6, self.text(2))))
        item_ids = self.insert("agenda_items", items)
        tilsagn = []
        for _ in range(self.n("tilsagn")):
            index = self.rng.randrange(len(item_ids))
            meeting = items[index]["meeting_id"]
            old = dates[meeting][:10] < (self.today - timedelta(days=365)).isoformat()
            tilsagn.append(self.record(
                meeting_id=meeting, agenda_item_id=item_ids[index], sak_id=self.rng.choice(self.saker_ids),
                text=self.title("Tilsagn"), responsible_person_id=self.rng.choice(self.persons),
                responsible_org_id=self.rng.choice(self.departments),
                status=self.rng.choice(("innfridd", "ikke_innfridd", "innfridd", "fulgt_opp")) if old
                else self.rng.choice(("aapen", "aapen", "fulgt_opp")),
                followed_up_meeting_id=self.maybe(0.3, self.rng.choice(self.meeting_ids))))
        self.insert("tilsagn", tilsagn)

    def audit_log(self) -> None:
        # Mostly updates of the busy kinds, with creates, links and archiving; a few mark a record internal.
        tables = {"hoeringer": self.hoering_ids, "saker": self.saker_ids, "meetings": self.meeting_ids,
                  "budget_inputs": self.budget_ids, "organisations": self.orgs, "people": self.persons}
        weights = (40, 20, 15, 10, 10, 5)
        rows = []
        for _ in range(self.n("audit_log")):
            table = self.rng.choices(list(tables), weights)[0]
            action = self.rng.choices(("update", "create", "link", "archive"), (80, 12, 6, 2))[0]
            when = self.day()
            before = {"our_status": "til_vurdering", "notes": self.text(1)} if action != "create" else None
            after = {"our_status": "svarer", "notes": self.text(1), "version": self.rng.randint(2, 9)}
            if self.rng.random() < 0.01:
                after["is_internal"] = 1
            rows.append({
                "at": f"{when.isoformat()}T{self.rng.randint(7, 20):02d}:{self.rng.randint(0, 59):02d}:00+00:00",
                "actor": f"Person {self.rng.randint(0, 50)}", "action": action, "table_name": table,
                "record_id": self.rng.choice(tables[table]),
                "before": json.dumps(before, ensure_ascii=False) if before else None,
                "after": json.dumps(after, ensure_ascii=False)})
        rows.sort(key=lambda r: r["at"])  # the log is written in time order
        self.insert("audit_log", rows)


def generate(db: Database, scale: int, today: date | None = None, seed: int = 2026) -> dict[str, int]:
    """Add `scale` × the demo's volume of synthetic records to a migrated database; return counts per table."""
    if scale < 1:
        return {}
    gen = _Generator(db, scale, today or date.today(), seed)
    with write_transaction(db):
        themes = [r[0] for r in db.execute("SELECT code FROM themes")]
        if not themes:
            db.execute("INSERT INTO themes (code, label_nb, label_en, origin) "
                       "VALUES ('annet', 'Annet', 'Other', 'annet')")
            themes = ["annet"]
        gen.organisations()
        gen.people()
        gen.saker(themes)
        gen.hoeringer()
        gen.budget()
        gen.meetings()
        gen.audit_log()
    return gen.counts
