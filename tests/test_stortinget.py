"""Storting committee hearings: reading the export (JSON, XML, sentinels), the committee filter, taking in, failures."""

from datetime import date

import pytest

from krem_advocacy.domain import stortinget
from krem_advocacy.exchange import stortinget as export
from krem_advocacy.store.errors import ValidationError
from tests.helpers import STORTINGET_FIXTURES, fixture_server, insert

DAY = date(2026, 10, 5)  # early in the 2026-2027 session: the budget hearing is still ahead
JSON = (STORTINGET_FIXTURES / "horinger_2026-2027.json").read_bytes()
XML = (STORTINGET_FIXTURES / "horinger_2026-2027.xml").read_bytes()
CASE = (STORTINGET_FIXTURES / "sak_103002.json").read_bytes()
PROGRAMME = (STORTINGET_FIXTURES / "horingsprogram_11001.xml").read_bytes()


def routes(session_status: int = 200) -> dict:
    return {
        "/eksport/horinger?sesjonid=2026-2027": (session_status, JSON if session_status == 200 else
                                                 b"<html><body>Runtime Error</body></html>", "application/json"),
        "/eksport/sak?sakid=103002": (200, CASE, "application/json"),
        "/eksport/horingsprogram?horingid=11001": (200, PROGRAMME, "text/xml"),
    }


@pytest.fixture
def storting(monkeypatch):
    """The Storting's export on loopback (the session export answers)."""
    with fixture_server(routes()) as server:
        monkeypatch.setenv("KREM_STORTINGET_URL", server.url + "/eksport")
        yield server


@pytest.fixture
def broken_storting(monkeypatch):
    """The session export answers HTTP 500, as it has been seen to; the per-case export works."""
    with fixture_server(routes(500)) as server:
        monkeypatch.setenv("KREM_STORTINGET_URL", server.url + "/eksport")
        yield server


def by_id(hearings):
    return {h.id: h for h in hearings}


def snapshot(db) -> dict:
    tables = ("hoeringer", "budget_years", "organisations", "storting_taken", "hoering_saker", "audit_log")
    return {t: db.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in tables}


# ---------------------------------------------------------------- parsing

@pytest.mark.parametrize("value, expected", [
    ("/Date(-62135596800000)/", None),
    ("/Date(-62135596800000+0100)/", None),
    ("0001-01-01T00:00:00", None),
    ("01.01.0001", None),
    ("", None),
    (None, None),
    ("/Date(1792101600000+0200)/", "2026-10-16"),  # midnight in Oslo is the evening before in UTC
    ("2026-11-05T00:00:00", "2026-11-05"),
    ("05.11.2026", "2026-11-05"),
])
def test_dates_are_read_and_sentinels_are_missing(value, expected):
    assert export.read_date(value) == expected


def test_the_json_export_is_read_with_its_fields():
    hearings = by_id(export.parse_hearings(JSON))
    assert set(hearings) == {11001, 11002, 11003, 11004, 11005}
    budget = hearings[11001]
    assert (budget.committee_id, budget.committee_name) == ("ASOS", "Arbeids- og sosialkomiteen")
    assert budget.application_deadline == "2026-10-16"
    assert budget.input_deadline is None  # sent as /Date(-62135596800000)/
    assert budget.hearing_dates == ("2026-10-27",)
    assert budget.is_budget and budget.budget_year == 2027
    assert budget.cases[0].reference == "Prop. 1 S (2026–2027)"
    written = hearings[11003]
    assert written.written and written.application_deadline is None and written.hearing_dates == ()
    assert written.deadline == "2026-11-20"  # a written hearing's frist is its input deadline
    assert not hearings[11002].is_budget
    assert hearings[11002].title == "Nasjonal minstenorm for sosialhjelp"
    assert hearings[11002].session == "2026-2027"


def test_the_xml_export_reads_the_same_and_its_sentinels_are_missing():
    from_xml, from_json = by_id(export.parse_hearings(XML)), by_id(export.parse_hearings(JSON))
    assert set(from_xml) == {11002, 11003}
    for hearing_id in from_xml:
        assert from_xml[hearing_id].deadline == from_json[hearing_id].deadline
        assert from_xml[hearing_id].committee_id == from_json[hearing_id].committee_id
        assert from_xml[hearing_id].cases == from_json[hearing_id].cases
    assert from_xml[11002].input_deadline is None  # «01.01.0001»
    assert from_xml[11003].application_deadline is None and from_xml[11003].hearing_dates == ()  # 0001-01-01
    assert from_xml[11002].place == "Stortinget, Komitésal 3"


def test_the_case_export_and_the_programme_are_read():
    (hearing,) = export.parse_case(CASE)
    assert (hearing.id, hearing.committee_id, hearing.application_deadline) == (11002, "ASOS", "2026-11-05")
    assert hearing.from_case_export and hearing.cases[0].reference == "Prop. 45 L (2026–2027)"
    programme = export.parse_programme(PROGRAMME)
    assert [(p.order, p.text) for p in programme][1] == (2, "Samarbeidsforum mot fattigdom og sosial ekskludering")


@pytest.mark.parametrize("body", [b"<html><body>Error</body></html>", b"{}", b"not xml at all", b""])
def test_an_answer_that_is_not_an_export_is_refused(body):
    with pytest.raises(ValueError):
        export.parse_hearings(body)


# ---------------------------------------------------------------- the committees followed

def test_only_new_hearings_of_followed_committees_with_a_deadline_ahead_are_offered(db):
    hearings = export.parse_hearings(JSON)
    offered = stortinget.offered(db, hearings, DAY)
    # ENE is not followed; HELSEOMS's deadline has passed. Soonest deadline first.
    assert [h.id for h in offered] == [11001, 11002, 11003]


def test_the_committees_followed_are_a_setting(db, editor):
    stortinget.save_followed_committees(db, editor, ["ene", " FAMKUL "])
    assert stortinget.followed_committees(db) == ["ENE", "FAMKUL"]
    assert [h.id for h in stortinget.offered(db, export.parse_hearings(JSON), DAY)] == [11004, 11003]
    with pytest.raises(ValidationError):
        stortinget.save_followed_committees(db, editor, [])
    with pytest.raises(ValidationError):
        stortinget.save_followed_committees(db, editor, ["not a committee!"])
    assert stortinget.followed_committees(db) == ["ENE", "FAMKUL"]


def test_a_committee_without_an_id_is_matched_by_name():
    hearing = stortinget.Hearing(id=1, committee_id=None, committee_name="arbeids- og  sosialkomiteen")
    assert stortinget.is_followed(hearing, ["ASOS"])
    assert not stortinget.is_followed(hearing, ["FINANS"])


# ---------------------------------------------------------------- taking in

def test_a_hearing_becomes_a_hoering_held_by_the_committee(db, editor):
    sak = insert(db, "saker", title="Rettighetsbasert sosialhjelp", status="aktiv")
    hearing = by_id(export.parse_hearings(JSON))[11002]
    done = stortinget.take_in(db, editor, hearing, [sak], DAY)
    row = db.execute("SELECT h.title, h.venue, h.deadline, h.url, h.source, o.name, o.short_name, o.kind, "
                     "h.internal_deadline FROM hoeringer h JOIN organisations o ON o.id = h.department_id "
                     "WHERE h.id = ?", [done["hoering_id"]]).fetchone()
    assert row == ("Nasjonal minstenorm for sosialhjelp", "stortinget", "2026-11-05",
                   "https://www.stortinget.no/no/Hva-skjer-pa-Stortinget/Horing/horing/?h=11002", "data.stortinget.no",
                   "Arbeids- og sosialkomiteen", "ASOS", "committee", "2026-10-29")
    assert db.execute("SELECT sak_id FROM hoering_saker WHERE hoering_id = ?", [done["hoering_id"]]).fetchall() == [(sak,)]
    notes = db.execute("SELECT notes FROM hoeringer WHERE id = ?", [done["hoering_id"]]).fetchone()[0]
    assert "Prop. 45 L (2026–2027)" in notes and "12.11.2026" in notes
    # Remembered: not offered again, and a second take-in is refused without writing anything.
    assert 11002 not in {h.id for h in stortinget.offered(db, export.parse_hearings(JSON), DAY)}
    before = snapshot(db)
    with pytest.raises(ValidationError) as refused:
        stortinget.take_in(db, editor, hearing, [], DAY)
    assert refused.value.errors == {"hearing": "validation.stortinget.already_taken"}
    assert snapshot(db) == before


def test_the_committee_already_recorded_is_the_owner(db, editor):
    asos = insert(db, "organisations", name="Arbeids- og sosialkomiteen", kind="committee")
    hearings = by_id(export.parse_hearings(JSON))
    first = stortinget.take_in(db, editor, hearings[11002], [], DAY)
    assert db.execute("SELECT department_id FROM hoeringer WHERE id = ?", [first["hoering_id"]]).fetchone() == (asos,)
    assert db.execute("SELECT COUNT(*) FROM organisations WHERE kind = 'committee'").fetchone() == (1,)


def test_the_budget_hearing_sets_the_budget_years_dates(db, editor):
    insert(db, "budget_years", budget_year=2027, prop1s_on="2026-10-06")
    hearing = by_id(export.parse_hearings(JSON))[11001]
    done = stortinget.take_in(db, editor, hearing, [], DAY)
    assert done["budget_year"] == 2027
    assert db.execute("SELECT prop1s_on, hearing_application_deadline, hearing_on FROM budget_years "
                      "WHERE budget_year = 2027").fetchone() == ("2026-10-06", "2026-10-16", "2026-10-27")
    assert db.execute("SELECT COUNT(*) FROM hoeringer").fetchone() == (0,)
    assert db.execute("SELECT budget_year_id FROM storting_taken WHERE hearing_id = 11001").fetchone() == (
        done["budget_year_id"],)


def test_the_budget_hearing_creates_the_budget_year_when_missing(db, editor):
    done = stortinget.take_in(db, editor, by_id(export.parse_hearings(JSON))[11001], [], DAY)
    assert db.execute("SELECT budget_year, hearing_application_deadline, hearing_on, source FROM budget_years "
                      "WHERE id = ?", [done["budget_year_id"]]).fetchone() == (
        2027, "2026-10-16", "2026-10-27", "data.stortinget.no")


def test_a_budget_hearing_the_year_refuses_writes_nothing(db, editor):
    # The year's Prop. 1 S is recorded after the hearing's application deadline: the cycle check refuses.
    insert(db, "budget_years", budget_year=2027, prop1s_on="2026-10-20")
    before = snapshot(db)
    with pytest.raises(ValidationError):
        stortinget.take_in(db, editor, by_id(export.parse_hearings(JSON))[11001], [], DAY)
    assert snapshot(db) == before


def test_a_viewer_cannot_take_a_hearing_in(db, viewer):
    from krem_advocacy.store.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        stortinget.take_in(db, viewer, by_id(export.parse_hearings(JSON))[11002], [], DAY)


# ---------------------------------------------------------------- reading over the network, and failing

def test_the_session_is_read_from_the_export_and_the_run_remembered(db, editor, storting):
    result = export.fetch(db, editor, "2026-2027")
    assert result.source == "horinger" and len(result.hearings) == 5
    assert storting.seen == ["/eksport/horinger?sesjonid=2026-2027&format=json"]
    assert db.execute("SELECT source, ok, found FROM source_runs").fetchall() == [("stortinget", 1, 5)]


def test_an_http_500_is_a_failure_that_names_what_was_tried_and_changes_nothing(db, editor, broken_storting):
    before = snapshot(db)
    with pytest.raises(export.StortingError) as failed:
        export.fetch(db, editor, "2026-2027")
    (url, what), = failed.value.tried
    assert url == broken_storting.url + "/eksport/horinger?sesjonid=2026-2027&format=json"
    assert "HTTP 500" in what
    assert snapshot(db) == before
    assert db.execute("SELECT ok, found FROM source_runs").fetchall() == [(0, None)]  # never «0 found»


def test_when_the_session_export_fails_the_case_export_fills_in_and_says_so(db, editor, broken_storting):
    result = export.fetch(db, editor, "2026-2027", [103002, 999])
    assert result.source == "sak"
    assert [h.id for h in result.hearings] == [11002]
    assert result.problems == ["999"]  # that case's export answered 404
    assert [what for _, what in result.tried][0].startswith("HTTP 500")
    assert db.execute("SELECT ok, found, message FROM source_runs").fetchone() == (1, 1, "eksport/sak; not read: 999")


def test_a_network_failure_is_a_failure(db, editor, monkeypatch):
    with fixture_server({}) as server:
        gone = server.url
    monkeypatch.setenv("KREM_STORTINGET_URL", gone + "/eksport")
    before = snapshot(db)
    with pytest.raises(export.StortingError):
        export.fetch(db, editor, "2026-2027")
    assert snapshot(db) == before


def test_an_answer_that_is_not_an_export_is_a_failure(db, editor, monkeypatch):
    with fixture_server({"/eksport/horinger?sesjonid=2026-2027": (200, b"<html>maintenance</html>", "text/html")}) as s:
        monkeypatch.setenv("KREM_STORTINGET_URL", s.url + "/eksport")
        with pytest.raises(export.StortingError) as failed:
            export.fetch(db, editor, "2026-2027")
    assert "unreadable answer" in failed.value.tried[0][1]


def test_the_programme_is_read_on_request(storting):
    assert [p.text for p in export.read_programme(11001)][0] == "Velferdsalliansen"
    with pytest.raises(export.StortingError):
        export.read_programme(1)  # 404


@pytest.mark.parametrize("text, expected", [("2025-2026", "2025-2026"), ("2025–2026", "2025-2026"),
                                             (" 2025/2026 ", "2025-2026")])
def test_sessions_are_checked(text, expected):
    assert stortinget.check_session(text) == expected


@pytest.mark.parametrize("text", ["2025", "2025-2027", "abcd-efgh", ""])
def test_a_wrong_session_is_refused(text):
    with pytest.raises(ValidationError):
        stortinget.check_session(text)


def test_the_current_session_starts_in_october():
    assert stortinget.current_session(date(2026, 3, 2)) == "2025-2026"
    assert stortinget.current_session(date(2026, 10, 1)) == "2026-2027"
