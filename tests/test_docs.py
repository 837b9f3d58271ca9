"""The documentation stays true: the schema doc names every table; the README names the commands."""

from krem_advocacy.store import connection as dbmod
from krem_advocacy.store import migrations
from tests.helpers import ROOT


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


def test_sqlite_utils_lists_the_tables_the_schema_doc_describes(db_path, small_forum):
    import json
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "sqlite_utils", "tables", str(db_path), "--counts"],
                            capture_output=True, text=True, check=True)
    listed = {row["table"]: row["count"] for row in json.loads(result.stdout)}
    text = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    for table in listed:
        assert f"`{table}`" in text, table
    assert listed["hoeringer"] > 0 and listed["organisations"] > 0
