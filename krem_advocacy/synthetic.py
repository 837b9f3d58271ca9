"""Synthetic forum data at a multiple of the demo's size, for the benchmark and load tests.

Rows are made deterministically (a seeded random generator) and spread over ten years before and
one year after `today`, with the same shape as real records: linked saker, co-signers, agendas,
tilsagn and an audit log of about a thousand rows per unit of scale.
"""

import json
import random
from datetime import date, timedelta

from sqlite_utils import Database

from krem_advocacy import codes
from krem_advocacy.db import write_transaction
from krem_advocacy.records import now_iso

# Rows per unit of scale: roughly the demo dataset's size (scale 100 ≈ ten busy years).
PER_SCALE = {
    "organisations": 30,
    "people": 20,
    "saker": 13,
    "hoeringer": 23,
    "budget_inputs": 13,
    "meetings": 19,
    "agenda_items": 25,
    "tilsagn": 11,
    "audit_log": 1000,
}

WORDS = ("bolig", "barnetrygd", "sosialhjelp", "NAV", "arbeid", "rus", "psykisk helse", "integrering",
         "barnevern", "kriminalomsorg", "bostøtte", "minstenorm", "unge utenfor", "entreprenørskap",
         "brukermedvirkning", "utdanning", "økonomisk rådgivning", "gjeld", "husleie", "inkludering")


def generate(db: Database, scale: int, today: date | None = None, seed: int = 2026) -> dict[str, int]:
    """Add `scale` × the demo's volume of synthetic records to a migrated database; return counts."""
    today = today or date.today()
    rng = random.Random(seed)
    stamp = now_iso()
    counts: dict[str, int] = {}

    def day(span_back: int = 3650, span_ahead: int = 365) -> date:
        return today + timedelta(days=rng.randint(-span_back, span_ahead))

    def insert_many(table: str, rows: list[dict]) -> list[int]:
        if not rows:
            return []
        columns = list(rows[0])
        sql = f"INSERT INTO [{table}] ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
        first = (db.execute(f"SELECT COALESCE(MAX(rowid), 0) FROM [{table}]").fetchone()[0]) + 1
        db.conn.executemany(sql, [[r[c] for c in columns] for r in rows])
        counts[table] = counts.get(table, 0) + len(rows)
        return list(range(first, first + len(rows)))

    def record(**values) -> dict:
        return {**values, "is_example": 1, "source": "syntetisk", "created_at": stamp, "updated_at": stamp,
                "version": 1}

    def title(prefix: str) -> str:
        return f"{prefix} – {rng.choice(WORDS)} og {rng.choice(WORDS)} ({rng.randint(1, 99999)})"

    with write_transaction(db):
        themes = [r[0] for r in db.execute("SELECT code FROM themes")]
        if not themes:
            db.execute("INSERT INTO themes (code, label_nb, label_en, origin) VALUES ('annet', 'Annet', 'Other', 'annet')")
            themes = ["annet"]
        n = PER_SCALE
        kinds = ["forum_member"] * 4 + ["department"] * 3 + ["directorate", "committee", "other"]
        orgs = insert_many("organisations", [record(
            name=f"Organisasjon {i}", short_name=f"O{i}", kind=rng.choice(kinds),
            member_since=rng.randint(2008, 2024), member_status=rng.choice(codes.MEMBER_STATUSES))
            for i in range(n["organisations"] * scale)])
        departments = [r[0] for r in db.execute("SELECT id FROM organisations WHERE kind = 'department'")] or orgs
        people = insert_many("people", [record(
            name=f"Person {i}", organisation_id=rng.choice(orgs), side=rng.choice(codes.PERSON_SIDES))
            for i in range(n["people"] * scale)])
        saker = insert_many("saker", [record(
            title=title("Sak"), description="Syntetisk sak for ytelsestest.", theme_code=rng.choice(themes),
            priority=rng.choice(codes.PRIORITIES), status=rng.choice(codes.SAK_STATUSES),
            lead_org_id=rng.choice(orgs), started_on=day().isoformat())
            for _ in range(n["saker"] * scale)])
        hoering_rows = []
        for _ in range(n["hoeringer"] * scale):
            published = day()
            deadline = published + timedelta(days=rng.choice((28, 42, 60, 90)))
            status = rng.choice(codes.HOERING_OUR_STATUSES)
            hoering_rows.append(record(
                title=title("Høring"), department_id=rng.choice(departments), published_on=published.isoformat(),
                deadline=deadline.isoformat(), internal_deadline=(deadline - timedelta(days=7)).isoformat(),
                our_ref=f"{published.year % 100}/{rng.randint(1, 9999)}",
                official_status=rng.choice(codes.HOERING_OFFICIAL_STATUSES), our_status=status,
                lead_org_id=rng.choice(orgs),
                submitted_on=(deadline - timedelta(days=1)).isoformat() if status == "levert" else None))
        hoeringer = insert_many("hoeringer", hoering_rows)
        insert_many("hoering_saker", [{"hoering_id": h, "sak_id": rng.choice(saker)} for h in hoeringer])
        budget_inputs = insert_many("budget_inputs", [record(
            title=title("Innspill"), budget_year=rng.randint(today.year - 9, today.year + 1),
            phase=rng.choice(codes.BUDGET_PHASES), recipient_org_id=rng.choice(departments),
            chapter=str(rng.randint(600, 899)), post=f"{rng.choice((1, 21, 60, 61, 70, 71)):02d}",
            ask_amount=rng.randint(1, 200) * 100_000, prop_amount=rng.randint(0, 150) * 100_000,
            outcome=rng.choice(codes.BUDGET_OUTCOMES), sent_on=day().isoformat(),
            hearing_application_deadline=day().isoformat())
            for _ in range(n["budget_inputs"] * scale)])
        insert_many("budget_input_saker", [{"budget_input_id": b, "sak_id": rng.choice(saker)}
                                           for b in budget_inputs])
        meetings = insert_many("meetings", [record(
            title=title("Møte"), kind=rng.choice(codes.MEETING_KINDS),
            starts_at=f"{day().isoformat()}T12:00", place="Oslo", themes=rng.choice(WORDS))
            for _ in range(n["meetings"] * scale)])
        insert_many("meeting_organisations", [{"meeting_id": m, "organisation_id": o}
                                              for m in meetings for o in set(rng.sample(orgs, 3))])
        items = insert_many("agenda_items", [record(
            meeting_id=rng.choice(meetings), position=rng.randint(1, 5), title=title("Innlegg"),
            sak_id=rng.choice(saker), speaker_org_id=rng.choice(orgs), speaker_person_id=rng.choice(people))
            for _ in range(n["agenda_items"] * scale)])
        insert_many("tilsagn", [record(
            meeting_id=rng.choice(meetings), agenda_item_id=rng.choice(items), sak_id=rng.choice(saker),
            text=title("Tilsagn"), status=rng.choice(codes.TILSAGN_STATUSES))
            for _ in range(n["tilsagn"] * scale)])
        insert_many("audit_log", [{
            "at": f"{day(3650, 0).isoformat()}T10:00:00+00:00", "actor": f"Person {rng.randint(0, 50)}",
            "action": "update", "table_name": "hoeringer", "record_id": rng.choice(hoeringer),
            "before": json.dumps({"our_status": "innkommet"}), "after": json.dumps({"our_status": "svarer"}),
        } for _ in range(n["audit_log"] * scale)])
    return counts
