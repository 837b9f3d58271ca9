"""The record kinds' descriptions against the schema the migrations make, and what is derived from them."""

import re
import sqlite3

import pytest
from sqlite_utils import Database

from krem_advocacy.domain import fields, kinds
from krem_advocacy.domain.search import WEIGHTS
from krem_advocacy.exchange import importer
from krem_advocacy.store import migrations
from krem_advocacy.text import codes
from tests.helpers import open_page

# Columns every record table has that the app keeps itself.
BOOKKEEPING = {"id", "created_at", "updated_at", "version", "is_example", "is_internal"}
TEXT_AFFINITY = {"title", "text", "longtext", "url", "date", "datetime", "code", "chapter", "post", "theme"}


@pytest.fixture(scope="module")
def schema_db():
    db = Database(sqlite3.connect(":memory:"))
    migrations.apply(db)
    yield db
    db.close()


def table_sql(db, table: str) -> str:
    return db.execute("SELECT sql FROM sqlite_master WHERE name = ?", [table]).fetchone()[0]


def test_every_record_table_has_one_description():
    assert sorted(kinds.BY_TABLE) == sorted(migrations.RECORD_TABLES)


@pytest.mark.parametrize("kind", kinds.ALL, ids=lambda k: k.table)
def test_every_column_is_described_with_its_type(schema_db, kind):
    columns = {row[1]: row for row in schema_db.execute(f"PRAGMA table_info([{kind.table}])")}
    described = {f.name: f for f in kind.fields + kind.system_fields}
    assert set(columns) - BOOKKEEPING == set(described)
    for name, field in described.items():
        affinity = columns[name][2]
        assert affinity == ("TEXT" if field.type in TEXT_AFFINITY else "INTEGER"), name


@pytest.mark.parametrize("kind", kinds.ALL, ids=lambda k: k.table)
def test_references_match_the_foreign_keys(schema_db, kind):
    foreign = {row[3]: row[2] for row in schema_db.execute(f"PRAGMA foreign_key_list([{kind.table}])")}
    assert kind.references == {column: table for column, table in foreign.items() if table != "themes"}
    themed = {column for column, table in foreign.items() if table == "themes"}
    assert themed == set(kind.of_type("theme"))


@pytest.mark.parametrize("kind", kinds.ALL, ids=lambda k: k.table)
def test_code_fields_hold_the_code_list_the_table_checks(schema_db, kind):
    sql = table_sql(schema_db, kind.table)
    for field in kind.fields:
        if field.type == "code":
            listed = re.search(rf"CHECK \(({field.name} IS NULL OR )?{field.name} IN \(([^)]*)\)\)", sql)
            assert listed, field.name
            assert [v.strip(" '") for v in listed.group(2).split(",")] == list(codes.CODE_LISTS[field.code_list])


@pytest.mark.parametrize("kind", kinds.ALL, ids=lambda k: k.table)
def test_a_column_the_table_requires_is_required_or_has_a_default(schema_db, kind):
    for row in schema_db.execute(f"PRAGMA table_info([{kind.table}])"):
        name, not_null, default = row[1], row[3], row[4]
        if name in BOOKKEEPING or not not_null or default is not None:
            continue
        field = kind.field(name)
        # Filled in or checked by the kind's cleaner: a role's person, an agenda item's title (its sak's).
        by_cleaner = (kind.table, name) in {("person_roles", "person_id"), ("agenda_items", "title")}
        assert field.required or field in kind.system_fields or by_cleaner, name


@pytest.mark.parametrize("kind", [k for k in kinds.ALL if k.links], ids=lambda k: k.table)
def test_links_are_tables_between_the_record_and_another(schema_db, kind):
    for link in kind.links:
        foreign = {row[3]: row[2] for row in schema_db.execute(f"PRAGMA foreign_key_list([{link.table}])")}
        assert foreign == {link.owner: kind.table, link.other: link.ref}, link.name


@pytest.mark.parametrize("table", sorted(WEIGHTS))
def test_the_search_index_holds_the_searchable_fields(table):
    assert set(migrations.schema()[f"{table}_fts"]) == set(kinds.BY_TABLE[table].searchable)
    assert len(WEIGHTS[table]) == len(migrations.schema()[f"{table}_fts"])


def test_internal_fields_are_the_columns_visibility_hides():
    from krem_advocacy.store.visibility import INTERNAL_COLUMNS

    internal = {f.name for kind in kinds.ALL for f in kind.fields if f.internal}
    assert internal == set(INTERNAL_COLUMNS)


@pytest.mark.parametrize("kind", kinds.ALL, ids=lambda k: k.table)
def test_every_field_is_labelled_in_both_languages(kind):
    for field in kind.fields:
        assert field.label_in("nb") and field.label_in("en"), field.name


@pytest.mark.parametrize("name", importer.KINDS)
def test_each_import_heading_names_one_field(name):
    seen = {}
    for field in importer.fields_of(name):
        for heading in {importer.normalise_heading(h) for h in (field.name, *field.label)}:
            assert seen.setdefault(heading, field.name) == field.name, heading


def test_a_text_field_is_checked_by_its_description(db):
    kind = kinds.BY_TABLE["hoeringer"]
    row, _, errors = fields.clean_fields(db, kind, {"title": "  Høring  ", "result": "x" * 20_001})
    assert row["title"] == "Høring"
    assert errors["result"] == "validation.too_long"
    assert errors["department_id"] is None


@pytest.mark.parametrize("kind", importer.KINDS)
@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_import_page_explains_the_columns_of_every_kind(app_db_path, editor, kind, lang):
    at = open_page("pages/data.py", editor, lang=lang)
    at.selectbox(key="import_kind").set_value(kind).run()
    assert not at.exception, at.exception
    shown = "\n".join(m.value for m in at.markdown).replace("\\", "")
    for field in importer.fields_of(kind):
        assert field.label_in(lang) in shown
