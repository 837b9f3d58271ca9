"""The benchmark's data and harness: synthetic data of the right size and shape, every page timed, the table."""

import pytest

from krem_advocacy.site import PAGES, RECORD_PAGES
from krem_advocacy.store.connection import opened
from tests.helpers import TODAY
from tools import bench, browser_bench, load, serving, synthetic


@pytest.fixture(scope="module")
def two_x(tmp_path_factory):
    """The demo plus one unit of synthetic data: twice the demo."""
    path = tmp_path_factory.mktemp("bench") / "bench-2.db"
    bench.build_database(path, 2, today=TODAY)
    return path


def test_synthetic_data_scales_every_table_with_the_demo(db):
    counts = synthetic.generate(db, 3, today=TODAY)
    assert counts == {table: n * 3 for table, n in synthetic.PER_SCALE.items()} | {"budget_years": 12}
    # Ten busy years at 100×: tens of thousands of records and a hundred thousand audit rows.
    records = sum(n for t, n in synthetic.PER_SCALE.items() if t in ("organisations", "people", "person_roles",
                  "saker", "hoeringer", "budget_inputs", "meetings", "agenda_items", "tilsagn")) * 100
    assert records > 15_000 and synthetic.PER_SCALE["audit_log"] * 100 == 100_000


def test_synthetic_data_looks_like_ten_real_years(db):
    synthetic.generate(db, 10, today=TODAY)
    def one(sql):
        return db.execute(sql).fetchone()[0]

    assert one("SELECT MIN(published_on) FROM hoeringer") < "2017-01-01"
    assert one("SELECT MAX(published_on) FROM hoeringer") <= TODAY.isoformat()
    # Old høringer are answered or closed; a small backlog is overdue; recent ones are open.
    open_old = one("SELECT COUNT(*) FROM hoeringer WHERE deadline < '2025-01-01' "
                   "AND our_status IN ('innkommet', 'til_vurdering', 'svarer')")
    assert 0 <= open_old < 0.05 * one("SELECT COUNT(*) FROM hoeringer WHERE deadline < '2025-01-01'")
    assert one("SELECT COUNT(*) FROM hoeringer WHERE deadline >= '2026-03-02' AND our_status IN ('innkommet', 'til_vurdering', 'svarer')") > 0
    for table in ("sak_people", "hoering_cosigners", "hoering_saker", "budget_input_cosigners",
                  "budget_input_saker", "meeting_people", "meeting_organisations", "person_roles"):
        assert one(f"SELECT COUNT(*) FROM {table}") > 0, table
    assert 0 < one("SELECT COUNT(*) FROM saker WHERE is_internal = 1") < one("SELECT COUNT(*) FROM saker")
    assert one("SELECT COUNT(DISTINCT table_name) FROM audit_log") >= 5
    assert one("SELECT COUNT(*) FROM saker_fts") == one("SELECT COUNT(*) FROM saker")  # search index kept up
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_every_page_and_a_record_of_each_kind_is_timed(two_x):
    found = bench.targets(two_x)
    assert {t["page"] for t in found} == {key for key, _, _ in PAGES} | {f"{t} (record)" for t in RECORD_PAGES}
    assert {(t["page"], t["role"]) for t in found if t["page"] == "admin"} == {("admin", "admin")}
    assert {t["role"] for t in found if t["page"] == "saker"} == {"viewer", "editor"}
    with opened(two_x) as db:
        for target in found:
            if target["params"]:
                table = target["page"].removesuffix(" (record)")
                assert db.execute(f"SELECT is_internal FROM {table} WHERE id = ?",
                                  [int(next(iter(target["params"].values())))]).fetchone() == (0,)


def test_the_benchmark_writes_its_table(two_x, tmp_path, monkeypatch):
    chosen = ["home", "hoeringer (record)"]
    original = bench.targets
    monkeypatch.setattr(bench, "targets", lambda path: [t for t in original(path) if t["page"] in chosen])
    out = tmp_path / "benchmark.md"
    assert bench.main(["--scales", "1", "2", "--repeat", "1", "--import-rows", "20", "--burst", "20",
                       "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Benchmark\n")
    assert "| page | role | fresh 1× | fresh 2× | repeat 2× | growth |" in text
    rows = [line for line in text.splitlines() if line.startswith("| home |") or line.startswith("| hoeringer (record)")]
    assert len(rows) == 4  # viewer and editor of each
    assert "Database size: 1×:" in text
    # The spreadsheet import is timed too (20 rows here; its time is the report's, never a test's).
    assert "Spreadsheet import: 20 høringer from an Excel file checked and written in " in text
    # And replication's lag and cost, in a section of its own (20 writes here).
    assert "## Replication" in text and "| replication lag, burst of 20 writes: median |" in text
    assert "| the same write with Litestream replicating: median |" in text


def test_the_timed_import_writes_every_row(tmp_path):
    figure = bench.measure_import(tmp_path / "import.db", 30)
    assert figure["rows"] == 30 and figure["seconds"] > 0
    with opened(tmp_path / "import.db") as db:
        assert db.execute("SELECT COUNT(*) FROM hoeringer WHERE source = 'bench.xlsx'").fetchone()[0] == 30
    assert bench.import_line({"rows": 1000, "seconds": 2.5}).endswith("(2.50 s per 1000 rows; target ≤ 10 s per "
                                                                       "1000 rows: yes).")


def test_percentiles_are_nearest_rank():
    values = [float(v) for v in range(1, 21)]  # 1 … 20
    assert load.percentile(values, 0.95) == 19.0
    assert load.percentile(values, 0.5) == 10.0
    assert load.percentile([3.0], 0.95) == 3.0


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    """`streamlit run serve.py` on the demo data (created on the first page, as on a first start)."""
    path = tmp_path_factory.mktemp("load") / "load.db"
    with serving.streamlit_server("serve.py", path) as (url, proc):
        yield url, proc


def test_load_run_draws_every_page_of_every_session(demo_server):
    url, proc = demo_server
    result = load.run(url, 4, pid=proc.pid)
    assert result.failures() == []
    assert sorted(v.page for v in result.visits) == ["hoeringer"] * 4 + ["home"] * 4
    # Each visit received the page's elements: well over the few hundred bytes of an empty run.
    assert all(v.bytes > 5_000 for v in result.visits)
    assert result.peak_mb > 50  # the server's memory was read while it worked
    lines = bench.load_lines(load.alone(url, 1), result, 4, 1)
    assert lines[0] == "## 4 viewers at once"
    assert any(line.startswith("| home | ") for line in lines) and any(line.startswith("| hoeringer | ")
                                                                       for line in lines)


def test_load_run_reports_a_page_that_does_not_exist_as_failed(demo_server):
    url, proc = demo_server
    result = load.run(url, 2, pid=proc.pid, journey=(("nowhere", "no-such-page"),))
    assert len(result.failures()) == 2 and "page not found" in result.failures()[0].error
    assert result.times("nowhere") == []


@pytest.mark.browser
def test_browser_benchmark_times_pages_beside_an_empty_page(tmp_path, demo_server):
    chosen = {("home", "viewer"), ("hoeringer", "editor"), ("hoeringer (record)", "viewer")}
    run = browser_bench.run([1], 1, tmp_path, bench.build_database,
                            lambda path: [t for t in bench.targets(path) if (t["page"], t["role"]) in chosen])
    rows = {(r.page, r.role): r for r in run.rows[1]}
    assert set(rows) == chosen
    assert set(run.empty[1]) == {"visit", "rerun", "switch", "bytes"} and run.empty[1]["visit"] > 0
    for row in rows.values():
        assert row.visit > 0 and row.visit_ms > 0 and row.interaction is not None
        assert row.bytes > 5_000  # the page's elements came over the websocket
    assert rows[("hoeringer", "editor")].what.startswith("tab ")  # Høringer's lazy tabs rerun the page
    table = browser_bench.report(run)
    assert table[0] == "## In the browser"
    assert sum(line.startswith("| home | viewer |") for line in table) == 1
    # The protocol client of the load run gets what the browser gets for the same page (within a tenth:
    # the browser's session also reports its timezone and theme, which the page does not depend on).
    url, _ = demo_server
    by_protocol = load.alone(url, 1, journey=(("home", ""),))
    assert by_protocol  # the home page finished over the protocol
    protocol_bytes = serving.run_async(load.session(url, (("home", ""),)))[0].bytes
    assert abs(protocol_bytes - rows[("home", "viewer")].bytes) <= 0.1 * rows[("home", "viewer")].bytes
