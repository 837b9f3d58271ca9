"""The documentation stays true: the schema doc names every table; the README names the commands."""

from krem_advocacy import db as dbmod
from krem_advocacy import migrations
from tests.conftest import ROOT


def test_schema_doc_describes_every_table(db_path):
    text = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    with dbmod.opened(db_path) as db:
        for table in db.table_names():
            assert f"`{table}`" in text, table
    for name in migrations.all_names():
        assert f"`{name}`" in text, name


def test_readme_names_the_run_and_test_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "bash scripts/run" in text
    assert "bash scripts/test" in text
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash scripts/test" in ci
