"""The demo database: created on first start from data/demo, relative dates, never overwritten."""

from datetime import date, timedelta

from krem_advocacy.domain import bootstrap, deadlines, demo
from krem_advocacy.store import connection as dbmod

FORUM_2017 = {
    "Bikuben – brukerstyrt senter i Nord-Norge", "Aleneforeldreforeningen", "Marborg", "Velferdsalliansen",
    "Wayback", "Stiftelsen rettferd for taperne", "RIO – Rusmisbrukernes interesseorganisasjon",
    "Leieboerforeningen", "KREM – Kreativt og mangfoldig arbeidsliv", "BibiAmka", "Bydelsmødrene",
    "Landsforeningen for barnevernsbarn",
}


def test_relative_dates_resolve_against_the_creation_day():
    today = date(2026, 3, 2)
    assert demo.resolve_value("today+10", today) == "2026-03-12"
    assert demo.resolve_value("today-3", today) == "2026-02-27"
    assert demo.resolve_value("today+18 12:00", today) == "2026-03-20T12:00"
    assert demo.resolve_value("year+1", today) == 2027
    assert demo.resolve_value(date(2024, 2, 6), today) == "2024-02-06"
    assert demo.resolve_value("Høring – today", today) == "Høring – today"


def test_first_start_creates_the_demo_with_the_forum_of_2017(demo_db_path):
    with dbmod.opened(demo_db_path) as db:
        members = dict(db.execute(
            "SELECT name, member_status FROM organisations WHERE kind = 'forum_member'").fetchall())
        assert FORUM_2017 <= set(members)
        assert members["Landsforeningen for barnevernsbarn"] == "permisjon"
        assert db.execute("SELECT name FROM organisations WHERE kind = 'secretariat'").fetchone()[0] == "Batteriet Oslo"
        departments = {r[0] for r in db.execute("SELECT short_name FROM organisations WHERE kind = 'department'")}
        assert {"ASD", "AID", "BFD", "HOD", "KD", "KDD", "JD", "FIN"} <= departments
        assert db.execute("SELECT COUNT(*) FROM themes").fetchone()[0] >= 14
        ku = {r[0][:10] for r in db.execute("SELECT starts_at FROM meetings WHERE kind = 'ku'")}
        assert {"2017-05-10", "2018-01-08"} <= ku
        refs = {r[0] for r in db.execute("SELECT their_ref FROM hoeringer WHERE their_ref IS NOT NULL")}
        assert {"24/109", "24/13487"} <= refs
        # Invented records are marked, and every record names a source or is an example.
        assert db.execute("SELECT COUNT(*) FROM hoeringer WHERE is_example = 1").fetchone()[0] > 0
        assert db.execute("SELECT COUNT(*) FROM hoeringer WHERE is_example = 0 AND source IS NULL").fetchone()[0] == 0


def test_demo_has_overdue_this_week_and_later_deadlines_and_two_years_of_activity(demo_db_path):
    today = date.today()
    with dbmod.opened(demo_db_path) as db:
        buckets = set(deadlines.deadlines(db, today, days_ahead=120)["bucket"])
        assert {"overdue", "this_week", "next_30", "later"} <= buckets
        since = (today - timedelta(days=730)).isoformat()
        answered = db.execute("SELECT COUNT(*) FROM hoeringer WHERE submitted_on >= ?", [since]).fetchone()[0]
        held = db.execute("SELECT COUNT(*) FROM meetings WHERE starts_at >= ? AND starts_at < ?",
                          [since, today.isoformat()]).fetchone()[0]
        assert answered >= 4 and held >= 4


def test_existing_file_is_kept_and_a_deleted_one_is_recreated(demo_db_path):
    with dbmod.opened(demo_db_path) as db:
        db.execute("UPDATE saker SET title = 'Endret av oss' WHERE id = 1")
        db.conn.commit()
        count = db.execute("SELECT COUNT(*) FROM hoeringer").fetchone()[0]
    bootstrap.ensure_database(demo_db_path)  # a second start
    with dbmod.opened(demo_db_path) as db:
        assert db.execute("SELECT title FROM saker WHERE id = 1").fetchone()[0] == "Endret av oss"
        assert db.execute("SELECT COUNT(*) FROM hoeringer").fetchone()[0] == count
    for suffix in ("", "-wal", "-shm"):
        demo_db_path.with_name(demo_db_path.name + suffix).unlink(missing_ok=True)
    bootstrap.ensure_database(demo_db_path)
    with dbmod.opened(demo_db_path) as db:
        assert db.execute("SELECT title FROM saker WHERE id = 1").fetchone()[0] != "Endret av oss"
        assert db.execute("SELECT COUNT(*) FROM hoeringer").fetchone()[0] == count


def test_loading_twice_adds_nothing(db):
    first = demo.load(db)
    assert first["hoeringer"] > 0
    assert demo.load(db) == {}
