"""Full-text search: Norwegian letters, prefixes, safe queries, ranking, linked records, the index in sync."""

import pytest

from krem_advocacy.domain import search
from krem_advocacy.store import connection as dbmod
from krem_advocacy.store import migrations
from tests.helpers import insert


def found(frame, columns=("kind", "title")):
    return [tuple(r) for r in frame[list(columns)].itertuples(index=False)]


@pytest.fixture
def forum(db):
    """Literal records with Norwegian letters, a housing sak with linked records of all four kinds."""
    ids = {}
    ids["leie"] = insert(db, "organisations", name="Leieboerforeningen", short_name="LBF", kind="forum_member")
    ids["kdd"] = insert(db, "organisations", name="Kommunal- og distriktsdepartementet", short_name="KDD",
                        kind="department")
    ids["bolig"] = insert(db, "saker", title="Rett til egnet bolig for alle", theme_code=None,
                          description="Boligsosialt arbeid og bostøtte.", internal_notes="hemmeligstrategi")
    ids["barn"] = insert(db, "saker", title="Barnefattigdom", description="Vi bør styrke barnetrygden.",
                         easy_read="Alle barn skal ha det godt.")
    ids["skole"] = insert(db, "saker", title="Skoleskyss", description="Hvor bor elevene?")
    ids["h_trygd"] = insert(db, "hoeringer", title="Høring – Forslag til endringer i barnetrygdloven",
                            our_ref="24/109", deadline="2024-02-06", department_id=ids["kdd"])
    ids["h_leie"] = insert(db, "hoeringer", title="Høring – endringer i husleieloven", deadline="2026-05-01",
                           department_id=ids["kdd"], internal_notes="bolig er hemmelig her")
    insert(db, "hoering_saker", hoering_id=ids["h_leie"], sak_id=ids["bolig"])
    ids["b_laan"] = insert(db, "budget_inputs", title="Startlån til vanskeligstilte", budget_year=2026,
                           phase="vaarinnspill", chapter="581", ask="Mer til lån og tilskudd.", sent_on="2025-04-01")
    insert(db, "budget_input_saker", budget_input_id=ids["b_laan"], sak_id=ids["bolig"])
    ids["m_ku"] = insert(db, "meetings", title="KU vår", kind="ku", starts_at="2026-03-10T12:00",
                         themes="ÆRLIG ØKONOMI, Åpenhet", minutes="Statsråden lovet å se på saken.")
    ids["item"] = insert(db, "agenda_items", meeting_id=ids["m_ku"], position=1, title="Husleie og innskudd",
                         sak_id=ids["bolig"], speaker_org_id=ids["leie"])
    ids["tilsagn"] = insert(db, "tilsagn", meeting_id=ids["m_ku"], sak_id=ids["bolig"],
                            text="Departementet ser på inntektsgrensen.")
    ids["person"] = insert(db, "people", name="Åse Ødegård", side="forum", organisation_id=ids["leie"])
    db.conn.commit()
    return ids


def test_barnetrygd_finds_the_hoering_on_barnetrygdloven(db, forum):
    hits = search.search(db, "barnetrygd")
    assert found(hits, ("kind", "record_id", "open_table")) == [
        ("hoering", forum["h_trygd"], "hoeringer"),
        ("sak", forum["barn"], "saker"),  # «barnetrygden» in the description: a prefix match in the text
    ]


def test_norwegian_letters_are_not_folded(db, forum):
    # «bør» (ought) and «bor» (lives) are different words; so are «lån» (loan) and «lan».
    assert found(search.search(db, "bør")) == [("sak", "Barnefattigdom")]
    assert found(search.search(db, "bor")) == [("sak", "Skoleskyss")]
    assert found(search.search(db, "lån")) == [("budget_input", "Startlån til vanskeligstilte")]
    assert search.search(db, "lan").empty
    assert found(search.search(db, "startlån")) == [("budget_input", "Startlån til vanskeligstilte")]


def test_upper_and_lower_case_ae_oe_aa_match(db, forum):
    assert found(search.search(db, "ærlig økonomi")) == [("meeting", "KU vår")]
    assert found(search.search(db, "ÅPENHET")) == [("meeting", "KU vår")]
    assert found(search.search(db, "åse ØDEGÅRD"), ("kind", "title", "open_table")) == [
        ("person", "Åse Ødegård", "people")]


def test_a_word_finds_words_that_start_with_it(db, forum):
    assert found(search.search(db, "bolig")) == [
        ("sak", "Rett til egnet bolig for alle"),  # whole word in the title: first
    ]
    assert found(search.search(db, "boligsosialt")) == [("sak", "Rett til egnet bolig for alle")]
    assert found(search.search(db, "husleie")) == [
        ("agenda_item", "Husleie og innskudd – KU vår"),  # the whole word in the title ranks first
        ("hoering", "Høring – endringer i husleieloven"),  # then the start of a word in the title
    ]


def test_every_word_must_match(db, forum):
    assert found(search.search(db, "egnet bolig")) == [("sak", "Rett til egnet bolig for alle")]
    assert search.search(db, "egnet barnetrygd").empty


@pytest.mark.parametrize("query", ['"', 'bolig"', '"bolig', "AND", "bolig AND", "OR bolig", "NOT", "-bolig",
                                   "bolig -", "*", "bolig*", "(bolig", "bolig)", "title:bolig", "NEAR(bolig)",
                                   "^bolig", "bolig + ", "{title}", "'", "%", "\\", "bolig; DROP TABLE saker"])
def test_fts_syntax_in_the_query_never_crashes(db, forum, query):
    hits = search.search(db, query)  # must not raise
    assert set(hits.columns) >= {"kind", "title", "snippet", "rank"}


def test_only_punctuation_is_no_query(db, forum):
    assert search.match_expression(' "*-() ') is None
    assert search.search(db, ' "*-() ').empty
    assert search.match_expression('bolig AND "nav') == '"bolig"* "AND"* "nav"*'
    assert search.match_expression("bør", prefix=False) == '"bør"'


def test_no_hits_is_an_empty_result(db, forum):
    result = search.search_all(db, "xyzzyfinnesikke")
    assert result["hits"].empty and result["linked"].empty
    assert result["terms"] == ["xyzzyfinnesikke"]


def test_bolig_brings_the_records_linked_to_the_housing_sak(db, forum):
    result = search.search_all(db, "bolig")
    assert found(result["hits"], ("kind", "record_id")) == [("sak", forum["bolig"])]
    assert found(result["linked"], ("kind", "title", "day", "open_table", "open_id", "via_sak")) == [
        ("hoering", "Høring – endringer i husleieloven", "2026-05-01", "hoeringer", forum["h_leie"],
         "Rett til egnet bolig for alle"),
        ("agenda_item", "Husleie og innskudd – KU vår", "2026-03-10", "meetings", forum["m_ku"],
         "Rett til egnet bolig for alle"),
        ("tilsagn", "Departementet ser på inntektsgrensen.", "2026-03-10", "meetings", forum["m_ku"],
         "Rett til egnet bolig for alle"),
        ("budget_input", "Startlån til vanskeligstilte", "2025-04-01", "budget_inputs", forum["b_laan"],
         "Rett til egnet bolig for alle"),
    ]


def test_a_linked_record_that_is_also_a_hit_is_shown_once(db, forum):
    result = search.search_all(db, "bolig husleieloven")  # no sak has both words
    assert result["linked"].empty
    result = search.search_all(db, "husleie")
    kinds = found(result["hits"], ("kind", "record_id"))
    assert ("hoering", forum["h_leie"]) in kinds
    assert result["linked"].empty  # no sak's title has «husleie»


def test_internal_notes_are_never_searched(db, forum):
    assert search.search(db, "hemmeligstrategi").empty
    assert search.search(db, "hemmelig").empty


def test_the_snippet_marks_the_words_found(db, forum):
    hits = search.search(db, "bostøtte")
    assert list(hits["snippet"]) == [f"Boligsosialt arbeid og {search.MARK_START}bostøtte{search.MARK_END}."]


def test_the_index_follows_inserts_updates_and_deletes(db, forum):
    db.execute("UPDATE saker SET title = 'Rett til en trygg bolig' WHERE id = ?", [forum["bolig"]])
    assert found(search.search(db, "trygg")) == [("sak", "Rett til en trygg bolig")]
    assert search.search(db, "egnet").empty
    new = insert(db, "saker", title="Gjeldsrådgivning i NAV")
    assert found(search.search(db, "gjeld"), ("kind", "record_id")) == [("sak", new)]
    db.execute("DELETE FROM saker WHERE id = ?", [new])
    assert search.search(db, "gjeld").empty
    assert db.execute("SELECT COUNT(*) FROM saker_fts WHERE saker_fts MATCH 'gjeld*'").fetchone()[0] == 0


def test_every_indexed_table_has_its_triggers_and_weights(db):
    for table in search.WEIGHTS:
        triggers = {t.name for t in db[table].triggers}
        assert {f"{table}_ai", f"{table}_ad", f"{table}_au"} <= triggers, table
        columns = [r[1] for r in db.execute(f"PRAGMA table_info([{table}_fts])")]
        assert len(columns) == len(search.WEIGHTS[table]), table
        assert "internal_notes" not in columns


def test_an_older_database_gets_its_existing_rows_indexed(tmp_path):
    path = tmp_path / "old.db"
    with dbmod.opened(path) as db:
        migrations.apply(db, stop_before="0400_search_index")
        insert(db, "saker", title="Bolig først")
        db.conn.commit()
    with dbmod.opened(path) as db:
        assert "0400_search_index" in migrations.apply(db)
        assert found(search.search(db, "bolig")) == [("sak", "Bolig først")]
