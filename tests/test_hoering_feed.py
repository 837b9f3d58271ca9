"""The regjeringen.no feed: parsing the stored sample, what is new, adding and remembering; never the network."""

import dataclasses
import json
import socket
from datetime import date

import pytest

from krem_advocacy.domain import hoeringer
from krem_advocacy.exchange import hoering_feed
from krem_advocacy.store.errors import PermissionDenied, ValidationError
from tests.helpers import FEED_PATH, FEED_ROUTES, ROOT, fixture_server, insert

SAMPLE = ROOT / "tests" / "fixtures" / "regjeringen_hoeringer.rss"


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Any connection beyond this machine fails the test: the feed tests use the stored sample."""
    real_connect = socket.socket.connect

    def guarded(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and host not in ("127.0.0.1", "::1", "localhost") and not host.startswith("/"):
            raise AssertionError(f"a test tried to reach {address}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    monkeypatch.delenv("KREM_FEED_URL", raising=False)


@pytest.fixture
def items():
    return hoering_feed.parse(SAMPLE.read_bytes())


@pytest.fixture
def tracked_db(db):
    """Departments, and the two consultations of the sample that the forum already tracks."""
    ids = {
        "bfd": insert(db, "organisations", name="Barne- og familiedepartementet", short_name="BFD", kind="department"),
        "aid": insert(db, "organisations", name="Arbeids- og inkluderingsdepartementet", short_name="AID",
                      kind="department"),
        "kdd": insert(db, "organisations", name="Kommunal- og distriktsdepartementet", short_name="KDD",
                      kind="department"),
    }
    insert(db, "hoeringer", title="Høring – Forslag til endringer i barnetrygdloven", department_id=ids["bfd"])
    insert(db, "hoeringer", title="Annen tittel", url="https://www.regjeringen.no/no/dokumenter/"
                                                      "horing-endringer-i-folketrygdloven-kapittel-15/id9000102")
    db.conn.commit()
    return ids


def test_the_sample_feed_is_parsed_into_consultations(items):
    assert [(i.title, i.published_on, i.deadline) for i in items] == [
        ("Høring – Forslag til endringer i barnetrygdloven", "2024-01-09", "2024-02-06"),
        ("Høring – Endringer i folketrygdloven kapittel 15 (stønader til enslig mor eller far)", "2025-10-16", None),
        ("Høring – forslag til endringer i sosialtjenesteloven (boligsosialt arbeid)", "2026-02-27", "2026-06-15"),
        ("Høring – forskrift om tilskudd til ferie- og fritidstiltak for barn og familier", "2026-02-25", "2026-05-04"),
        ("Høring – NOU 2026: 3 Et tryggere boligmarked for alle", "2026-02-23", None),
        ("Høyring – endringar i opplæringslova (skolemåltid)", "2026-03-02", "2026-09-01"),  # 23:30 UTC = 00:30 Oslo
    ]
    third = items[2]
    assert third.guid == "https://www.regjeringen.no/id9000103"
    assert third.link == ("https://www.regjeringen.no/no/dokumenter/horing-forslag-til-endringer-i-"
                          "sosialtjenesteloven-boligsosialt-arbeid/id9000103/")
    assert third.summary == ("Arbeids- og inkluderingsdepartementet sender forslag om en tydeligere plikt for "
                             "kommunen til å hjelpe vanskeligstilte på boligmarkedet på høring. "
                             "Høringsfrist: 15.06.2026")


@pytest.mark.parametrize("text, expected", [
    ("Høringsfrist: 06.02.2024.", "2024-02-06"),
    ("Høringsfristen er 4. mai 2026.", "2026-05-04"),
    ("Høyringsfrist: 01.09.2026", "2026-09-01"),
    ("Frist 1.3.2026", "2026-03-01"),
    ("Ingen frist er nevnt.", None),
    ("Høringsfrist: 31.02.2026", None),
])
def test_the_deadline_is_read_from_the_description(text, expected):
    assert hoering_feed.find_deadline(text) == expected


def test_only_items_not_yet_tracked_are_new(db, tracked_db, items):
    fresh = hoering_feed.new_items(db, items)
    assert [i.guid[-7:] for i in fresh] == ["9000103", "9000104", "9000105", "9000106"]


def test_picked_items_become_hoeringer_and_are_remembered(db, tracked_db, items, editor):
    fresh = hoering_feed.new_items(db, items)
    ids = hoering_feed.add_items(db, editor, [fresh[0], fresh[2]])
    rows = db.execute(f"SELECT title, department_id, published_on, deadline, internal_deadline, url, "
                      f"official_status, our_status, source FROM hoeringer WHERE id IN ({ids[0]}, {ids[1]}) "
                      "ORDER BY id").fetchall()
    assert rows == [
        ("Høring – forslag til endringer i sosialtjenesteloven (boligsosialt arbeid)", tracked_db["aid"],
         "2026-02-27", "2026-06-15", "2026-06-08", fresh[0].link, "paa_hoering", "innkommet", "regjeringen.no (RSS)"),
        ("Høring – NOU 2026: 3 Et tryggere boligmarked for alle", tracked_db["kdd"], "2026-02-23", None, None,
         fresh[2].link, "paa_hoering", "innkommet", "regjeringen.no (RSS)"),
    ]
    assert db.execute("SELECT guid, hoering_id FROM feed_seen ORDER BY hoering_id").fetchall() == [
        ("https://www.regjeringen.no/id9000103", ids[0]), ("https://www.regjeringen.no/id9000105", ids[1])]
    assert db.execute("SELECT COUNT(*) FROM audit_log WHERE action = 'import' AND table_name = 'hoeringer' "
                      "AND actor = ?", [editor.name]).fetchone()[0] == 2
    assert [i.guid[-7:] for i in hoering_feed.new_items(db, items)] == ["9000104", "9000106"]


def test_items_marked_not_relevant_stop_showing_as_new(db, tracked_db, items, editor):
    fresh = hoering_feed.new_items(db, items)
    assert hoering_feed.mark_seen(db, editor, fresh[:3]) == 3
    assert [i.guid[-7:] for i in hoering_feed.new_items(db, items)] == ["9000106"]
    assert db.execute("SELECT COUNT(*) FROM feed_seen WHERE hoering_id IS NULL").fetchone()[0] == 3
    assert db.execute("SELECT COUNT(*) FROM hoeringer").fetchone()[0] == 2


def test_viewers_may_not_add_or_dismiss(db, items, viewer):
    with pytest.raises(PermissionDenied):
        hoering_feed.add_items(db, viewer, items[:1])
    with pytest.raises(PermissionDenied):
        hoering_feed.mark_seen(db, viewer, items[:1])


@pytest.mark.parametrize("content", [b"<html><body>Siden finnes ikke</body></html>", b"", b"\x89PNG\r\n\x1a\n"])
def test_a_page_that_is_not_a_feed_says_so(content):
    with pytest.raises(hoering_feed.FeedError) as caught:
        hoering_feed.parse(content)
    assert caught.value.key == "data.feed.error.not_a_feed"


def test_a_network_failure_gives_a_clear_error():
    with socket.socket() as s:  # a loopback port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(hoering_feed.FeedError) as caught:
        hoering_feed.load(f"http://127.0.0.1:{port}/feed.rss")
    assert caught.value.key == "data.feed.error.network"
    assert "refused" in caught.value.detail.lower()


def test_the_feed_is_read_from_the_configured_address(monkeypatch):
    with fixture_server(FEED_ROUTES) as feed:
        assert len(hoering_feed.load(feed.url + FEED_PATH)) == 6
        monkeypatch.setenv("KREM_FEED_URL", feed.url + FEED_PATH)
        assert hoering_feed.feed_url() == feed.url + FEED_PATH
        assert len(hoering_feed.load()) == 6
        assert feed.seen == [FEED_PATH, FEED_PATH]
    # Only web addresses are read: a file path in the setting is refused as a network error, not opened.
    with pytest.raises(hoering_feed.FeedError) as caught:
        hoering_feed.load(SAMPLE.as_uri())
    assert caught.value.key == "data.feed.error.network"


def test_the_address_defaults_to_the_official_feed_and_can_be_changed(db, monkeypatch, editor, viewer):
    assert hoering_feed.feed_url(db) == "https://www.regjeringen.no/no/dokument/hoyringar/id1763/?show=rss"
    monkeypatch.setenv("KREM_FEED_URL", "https://example.org/env.rss")
    assert hoering_feed.feed_url(db) == "https://example.org/env.rss"
    hoering_feed.save_feed_url(db, editor, "https://example.org/saved.rss")
    assert hoering_feed.feed_url(db) == "https://example.org/saved.rss"
    with pytest.raises(ValidationError):
        hoering_feed.save_feed_url(db, editor, "file:///etc/passwd")
    with pytest.raises(PermissionDenied):
        hoering_feed.save_feed_url(db, viewer, "https://example.org/x.rss")
    hoering_feed.save_feed_url(db, editor, "")
    assert hoering_feed.feed_url(db) == "https://example.org/env.rss"


def test_a_feed_item_becomes_a_hoering_as_the_form_makes_it(db, tracked_db, items, editor):
    # The configured lead time (not the default 7 days) gives the internal deadline, and the write is audited.
    hoeringer.set_lead_days(db, editor, 10, date(2026, 1, 1))
    fresh = hoering_feed.new_items(db, items)
    [hoering_id] = hoering_feed.add_items(db, editor, [fresh[0]])
    assert db.execute("SELECT deadline, internal_deadline, internal_deadline_manual FROM hoeringer WHERE id = ?",
                      [hoering_id]).fetchone() == ("2026-06-15", "2026-06-05", 0)
    audit = db.execute("SELECT actor, action, after FROM audit_log WHERE table_name = 'hoeringer' AND record_id = ?",
                       [hoering_id]).fetchall()
    assert [(actor, action) for actor, action, _ in audit] == [(editor.name, "import")]
    after = json.loads(audit[0][2])
    assert (after["internal_deadline"], after["source"], after["our_status"]) == (
        "2026-06-05", "regjeringen.no (RSS)", "innkommet")


def test_a_feed_item_the_form_would_refuse_is_not_added(db, tracked_db, items, editor):
    fresh = hoering_feed.new_items(db, items)
    bad = dataclasses.replace(fresh[0], published_on="2026-07-01")  # after its own frist
    before = db.execute("SELECT COUNT(*) FROM hoeringer").fetchone()[0]
    with pytest.raises(ValidationError) as caught:
        hoering_feed.add_items(db, editor, [fresh[2], bad])
    assert caught.value.errors == {"deadline": "validation.deadline_before_published"}
    assert db.execute("SELECT COUNT(*) FROM hoeringer").fetchone()[0] == before
    assert db.execute("SELECT COUNT(*) FROM feed_seen").fetchone()[0] == 0
