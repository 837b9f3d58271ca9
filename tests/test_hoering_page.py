"""A regjeringen.no høring page: parsed from a saved page, forum members matched, changes saved, failures harmless."""

import pytest

from krem_advocacy import cli
from krem_advocacy.domain import consultees
from krem_advocacy.exchange import hoering_page
from krem_advocacy.store.errors import ConflictError
from tests.helpers import ROOT, STORTINGET_FIXTURES, fixture_server, insert

PAGE = (ROOT / "tests" / "fixtures" / "regjeringen_hoering.html").read_bytes()
PATH = "/no/dokumenter/horing-forslag-til-endringer-i-barnetrygdloven/id3018937/"


@pytest.fixture
def regjeringen(monkeypatch):
    with fixture_server({PATH: (200, PAGE, "text/html; charset=utf-8"),
                         "/no/broken/": (500, b"oops", "text/plain"),
                         "/no/not-a-hearing/": (200, b"<html><h1>Forsiden</h1><p>Velkommen</p></html>", "text/html")}) as s:
        monkeypatch.setenv("KREM_REGJERINGEN_URL", s.url)
        yield s


@pytest.fixture
def forum(db):
    ids = {
        "bfd": insert(db, "organisations", name="Barne- og familiedepartementet", short_name="BFD", kind="department"),
        "lbf": insert(db, "organisations", name="Leieboerforeningen", kind="forum_member"),
        "rio": insert(db, "organisations", name="Rusmisbrukernes interesseorganisasjon (RIO)", kind="forum_member"),
        "krem": insert(db, "organisations", name="KREM – Kreativt og mangfoldig arbeidsliv", short_name="KREM",
                       kind="forum_member"),
        "gone": insert(db, "organisations", name="Velferdsalliansen", kind="forum_member", member_status="utmeldt",
                       member_until=2020),
    }
    db.conn.commit()
    return ids


def hoering(db, url: str, **values) -> int:
    return insert(db, "hoeringer", title="Høring – Forslag til endringer i barnetrygdloven", url=url,
                  published_on="2023-12-19", deadline="2024-02-20", official_status="paa_hoering",
                  our_status="til_vurdering", **values)


def state(db, hoering_id: int):
    return db.execute("SELECT deadline, official_status, their_ref, named_instance, version FROM hoeringer WHERE id = ?",
                      [hoering_id]).fetchone()


def test_the_saved_page_is_read():
    facts = hoering_page.parse(PAGE)
    assert (facts.deadline, facts.status, facts.case_ref) == ("2024-02-06", "under_behandling", "24/109")
    assert "Leieboerforeningen (LBF)" in facts.instances and "Departementene" in facts.instances
    assert "Høringen er åpen, og alle kan gi høringsuttalelse." not in facts.instances
    assert len(facts.instances) == 8


@pytest.mark.parametrize("listed, member", [
    ("Leieboerforeningen (LBF)", "Leieboerforeningen"),
    ("LEIEBOERFORENINGEN", "Leieboerforeningen"),
    ("RIO – Rusmisbrukernes interesseorganisasjon", "Rusmisbrukernes interesseorganisasjon (RIO)"),
    ("RIO - Rusmisbrukernes  interesseorganisasjon", "Rusmisbrukernes interesseorganisasjon (RIO)"),
    ("KREM - Kreativt og mangfoldig arbeidsliv", "KREM – Kreativt og mangfoldig arbeidsliv"),
    ("Kreativt og mangfoldig arbeidsliv (KREM)", "KREM – Kreativt og mangfoldig arbeidsliv"),
])
def test_forum_members_are_matched_robustly(db, forum, listed, member):
    assert [name for _, name in consultees.named_members(db, [listed])] == [member]


@pytest.mark.parametrize("listed", ["Leieboerforeningen i Oslo og omegn", "Velferdsalliansen", "Arbeids- og velferdsdirektoratet",
                                    "Kommunesektorens organisasjon (KS)"])
def test_other_names_are_not_members(db, forum, listed):
    # A longer name is another organisation; a member that has left is no longer one.
    assert consultees.named_members(db, [listed]) == []


def test_reading_the_page_saves_what_changed(db, editor, forum, regjeringen):
    hoering_id = hoering(db, regjeringen.url + PATH, department_id=forum["bfd"])
    db.conn.commit()
    outcome = hoering_page.refresh(db, editor, hoering_id)
    assert outcome.changes == {"deadline": ("2024-02-20", "2024-02-06"),
                               "official_status": ("paa_hoering", "under_behandling"),
                               "their_ref": (None, "24/109"), "named_instance": (0, 1)}
    assert outcome.members == ["Leieboerforeningen", "Rusmisbrukernes interesseorganisasjon (RIO)"]
    assert state(db, hoering_id) == ("2024-02-06", "under_behandling", "24/109", 1, 2)
    # Read again: the page says the same, nothing is written.
    again = hoering_page.refresh(db, editor, hoering_id)
    assert again.changes == {} and state(db, hoering_id)[4] == 2
    assert db.execute("SELECT ok FROM source_runs ORDER BY id").fetchall() == [(1,), (1,)]


@pytest.mark.parametrize("path, key", [("/no/broken/", "hoering_page.error.network"),
                                       ("/no/not-a-hearing/", "hoering_page.error.not_a_page")])
def test_a_page_that_cannot_be_read_changes_nothing(db, editor, forum, regjeringen, path, key):
    hoering_id = hoering(db, regjeringen.url + path)
    db.conn.commit()
    before = state(db, hoering_id)
    with pytest.raises(hoering_page.PageError) as failed:
        hoering_page.refresh(db, editor, hoering_id)
    assert failed.value.key == key
    assert state(db, hoering_id) == before
    assert db.execute("SELECT ok FROM source_runs").fetchall() == [(0,)]


def test_only_regjeringen_addresses_are_fetched(db, editor, forum, regjeringen):
    hoering_id = hoering(db, "https://example.org" + PATH)
    db.conn.commit()
    with pytest.raises(hoering_page.PageError) as failed:
        hoering_page.refresh(db, editor, hoering_id)
    assert failed.value.key == "hoering_page.error.not_regjeringen"
    assert regjeringen.seen == []


def test_the_default_address_is_regjeringen_no(monkeypatch):
    monkeypatch.delenv("KREM_REGJERINGEN_URL", raising=False)
    assert hoering_page.allowed("https://www.regjeringen.no/no/dokumenter/x/id1/")
    assert not hoering_page.allowed("https://www.regjeringen.no.evil.example/no/")
    assert not hoering_page.allowed("ftp://www.regjeringen.no/")


def test_a_stale_version_is_a_conflict_and_changes_nothing(db, editor, forum, regjeringen):
    hoering_id = hoering(db, regjeringen.url + PATH, version=3)
    db.conn.commit()
    with pytest.raises(ConflictError):
        hoering_page.refresh(db, editor, hoering_id, expected_version=2)
    assert state(db, hoering_id) == ("2024-02-20", "paa_hoering", None, 0, 3)


def test_the_command_reads_a_page(db_path, db, forum, regjeringen, capsys):
    hoering_id = hoering(db, regjeringen.url + PATH)
    broken = hoering(db, regjeringen.url + "/no/broken/")
    db.conn.commit()
    assert cli.main(["--db", str(db_path), "hoering-page", str(hoering_id)]) == 0
    assert "deadline: 2024-02-20 → 2024-02-06" in capsys.readouterr().out
    assert cli.main(["--db", str(db_path), "hoering-page", str(broken)]) == 1
    assert "Nothing was changed" in capsys.readouterr().err


def test_the_command_takes_storting_hearings_in(db_path, db, monkeypatch, capsys):
    body = (STORTINGET_FIXTURES / "horinger_2026-2027.json").read_bytes()
    with fixture_server({"/eksport/horinger?sesjonid=2026-2027": (200, body, "application/json"),
                         "/eksport/horinger?sesjonid=2025-2026": (500, b"error", "text/html")}) as server:
        monkeypatch.setenv("KREM_STORTINGET_URL", server.url + "/eksport")
        assert cli.main(["--db", str(db_path), "stortinget", "--session", "2026-2027", "--add", "11002"]) == 0
        out = capsys.readouterr().out
        assert "Took 11002 in as høring" in out
        assert db.execute("SELECT venue, deadline FROM hoeringer").fetchall() == [("stortinget", "2026-11-05")]
        assert cli.main(["--db", str(db_path), "stortinget", "--session", "2025-2026", "--add", "11003"]) == 1
        err = capsys.readouterr().err
        assert "nothing was changed" in err and "HTTP 500" in err and "--sak" in err
    assert db.execute("SELECT COUNT(*) FROM hoeringer").fetchone() == (1,)


def test_adding_from_the_feed_reads_each_new_hoerings_page(db_path, db, forum, regjeringen, tmp_path, capsys):
    rss = tmp_path / "feed.rss"
    rss.write_text(f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Høringer</title>
<item><title>Høring – Forslag til endringer i barnetrygdloven</title><link>{regjeringen.url}{PATH}</link>
<guid>a1</guid><pubDate>Tue, 19 Dec 2023 09:00:00 GMT</pubDate><description>Høringsfrist: 20.02.2024</description></item>
<item><title>Høring – noe annet</title><link>{regjeringen.url}/no/broken/</link><guid>a2</guid></item>
</channel></rss>""", encoding="utf-8")
    assert cli.main(["--db", str(db_path), "feed", "--file", str(rss), "--add", "all"]) == 0
    captured = capsys.readouterr()
    assert "changed deadline: 2024-02-20 → 2024-02-06" in captured.out
    assert "Nothing was changed" in captured.err  # the broken page: the høring stays added, as it was
    assert db.execute("SELECT title, deadline, named_instance FROM hoeringer ORDER BY id").fetchall() == [
        ("Høring – Forslag til endringer i barnetrygdloven", "2024-02-06", 1), ("Høring – noe annet", None, 0)]


def test_a_stortinget_hoering_is_owned_by_a_committee(db, editor, forum):
    from krem_advocacy.domain import hoeringer
    from krem_advocacy.store.errors import ValidationError

    with pytest.raises(ValidationError) as refused:
        hoeringer.create_hoering(db, editor, {"title": "Komitéhøring", "venue": "stortinget",
                                              "department_id": forum["bfd"]})
    assert refused.value.errors == {"department_id": "validation.owner_committee"}
    committee = insert(db, "organisations", name="Arbeids- og sosialkomiteen", kind="committee")
    with pytest.raises(ValidationError):
        hoeringer.create_hoering(db, editor, {"title": "Høring", "department_id": committee})
    assert hoeringer.create_hoering(db, editor, {"title": "Komitéhøring", "venue": "stortinget",
                                                 "department_id": committee}) > 0
