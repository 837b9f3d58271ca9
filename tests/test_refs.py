"""«Vår ref.» (ours) and «Deres ref. / saksnummer» (the authority's): the migration, import and export."""

from krem_advocacy.domain import hoeringer
from krem_advocacy.exchange import exporter, importer
from krem_advocacy.store import connection as dbmod
from krem_advocacy.store import migrations
from tests.helpers import insert, xlsx


def test_migration_moves_the_authoritys_numbers_and_keeps_our_own(tmp_path):
    path = tmp_path / "old.db"
    with dbmod.opened(path) as db:
        migrations.apply(db, stop_before="0800_hoering_their_ref")
        for title, ref in (("A", "24/109"), ("B", " 24/13487-2 "), ("C", "KREM-2024-7"), ("D", None)):
            insert(db, "hoeringer", title=title, our_ref=ref)
        db.conn.commit()
    with dbmod.opened(path) as db:
        migrations.apply(db)
        assert db.execute("SELECT title, our_ref, their_ref FROM hoeringer ORDER BY title").fetchall() == [
            ("A", None, "24/109"), ("B", None, "24/13487-2"), ("C", "KREM-2024-7", None), ("D", None, None)]
        # The moved numbers stay findable by search.
        assert db.execute("SELECT rowid FROM hoeringer_fts WHERE hoeringer_fts MATCH '\"24/109\"'").fetchall()


def test_both_references_import_by_their_headings_and_export_and_import_again(db, small_forum, editor):
    data = xlsx([["Ny høring", "BFD", "KREM 12", "25/1001"]], ["Tittel", "Departement", "Vår ref.", "Saksnummer"])
    table = importer.read_table(data, "h.xlsx", "hoeringer")
    mapping = importer.guess_mapping("hoeringer", table.columns)
    assert (mapping["Vår ref."], mapping["Saksnummer"]) == ("our_ref", "their_ref")
    assert importer.guess_mapping("hoeringer", ["Deres ref.", "Our ref."]) == {
        "Deres ref.": "their_ref", "Our ref.": "our_ref"}
    importer.commit(db, editor, importer.check(db, "hoeringer", table, mapping))
    assert db.execute("SELECT our_ref, their_ref FROM hoeringer WHERE title = 'Ny høring'").fetchone() == (
        "KREM 12", "25/1001")
    frame = exporter.table_frame(db, "hoeringer", editor)
    row = frame[frame["title"] == "Ny høring"].iloc[0]
    assert (row["our_ref"], row["their_ref"]) == ("KREM 12", "25/1001")
    # The exported file reads back with both columns recognised: the same høring, found as a duplicate.
    again = importer.read_table(exporter.to_excel(frame[frame["title"] == "Ny høring"], "hoeringer"), "e.xlsx",
                                "hoeringer")
    mapping = importer.guess_mapping("hoeringer", again.columns)
    assert (mapping["our_ref"], mapping["their_ref"]) == ("our_ref", "their_ref")
    assert [r.status for r in importer.check(db, "hoeringer", again, mapping).rows] == ["unchanged"]
    assert hoeringer.KIND.names.index("their_ref") == hoeringer.KIND.names.index("our_ref") + 1
