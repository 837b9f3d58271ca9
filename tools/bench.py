"""Benchmark: every page through AppTest at 1×, 10× and 100× the demo data, against an empty page.

Run `python -m tools.bench` (add `--scales 1 10` or `--repeat 5` to change it). It writes
docs/benchmark.md. Every page is timed twice per round: *fresh* (a new AppTest with cold data caches,
as a first visit) and *repeat* (the same AppTest run again, as an interaction). Each round first times
the empty page (`st.write("hi")`, a new AppTest) the same way, and the page's times are given as ratios
to it, so a busy machine slows both sides alike; the table shows the median ratio over the rounds.
Pages are opened as an anonymous viewer (what most visitors are) and, where an editor sees more
(forms, internal records), as an editor too; the administration page as an administrator.

Besides the pages it times one spreadsheet import: `--import-rows` (1 000) new høringer from an Excel
file into the demo database, checked and written in one transaction as the Data page's import does.

`--browser` adds the same pages timed in headless Chromium against `streamlit run` (tools/browser_bench.py),
`--load 50` a run of fifty viewers at once at the largest scale (tools/load.py), and `--stretch 1000`
the browser visits of viewers at 1000×. `--parts browser load` leaves the AppTest table out.
"""

import argparse
import importlib
import io
import os
import pkgutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import date, datetime
from pathlib import Path

import openpyxl
import streamlit as st
from sqlite_utils import Database
from streamlit import logger
from streamlit.testing.v1 import AppTest

import krem_advocacy
from krem_advocacy import config
from krem_advocacy.domain.bootstrap import ensure_database
from krem_advocacy.exchange import importer
from krem_advocacy.site import PAGE_SCRIPTS, PAGES, RECORD_PAGES, RECORD_PARAMS
from krem_advocacy.store import connection as dbmod
from krem_advocacy.store.connection import opened
from krem_advocacy.store.permissions import Actor
from tools import bench_replication, browser_bench, load, serving, synthetic

EMPTY_PAGE = 'import streamlit as st\nst.write("hi")\n'
TARGET_FRESH = 2.5  # × the empty page's fresh run, at the largest scale
TARGET_REPEAT = 1.0
TARGET_GROWTH = 1.3  # a page's fresh ratio at the largest scale over its ratio at 1×
MAX_CHART_ROWS = 5000
TARGET_LOAD_P95 = 10.0  # seconds, every page, for fifty viewers arriving at once at the largest scale
TARGET_LOAD_MB = 1000.0  # the server's resident memory during the load run
IMPORT_ROWS = 1000  # rows of the timed spreadsheet import
TARGET_IMPORT_SECONDS = 10.0  # per IMPORT_ROWS rows, checked and written


class QueryTimer:
    """Wraps the query helpers of every krem_advocacy module to record the slowest SQL and chart sizes.

    `read_frame` / `read_one` are timed to the last row; any other statement through sqlite-utils'
    `Database.execute` is timed to its first row.
    """

    def __init__(self):
        self.slowest = (0.0, "")
        self.max_chart_rows = 0
        self._patched = []

    def __enter__(self):
        helpers = (dbmod.read_frame, dbmod.read_one)  # taken before any module is patched
        for name, module in list(sys.modules.items()):
            if not name.startswith("krem_advocacy"):
                continue
            for attr in ("read_frame", "read_one"):
                original = getattr(module, attr, None)
                if original in helpers:
                    self._patch(module, attr, self._timed(original))
            guard = getattr(module, "guard_rows", None)
            if guard is not None and name.startswith("krem_advocacy.charts"):
                self._patch(module, "guard_rows", self._counted(guard))
        self._patch(Database, "execute", self._timed(Database.execute))
        return self

    def __exit__(self, *exc):
        for module, attr, original in reversed(self._patched):
            setattr(module, attr, original)

    def _patch(self, module, attr, replacement):
        self._patched.append((module, attr, getattr(module, attr)))
        setattr(module, attr, replacement)

    def _timed(self, function):
        def timed(db, sql, params=None):
            start = time.perf_counter()
            result = function(db, sql, params)
            elapsed = time.perf_counter() - start
            if elapsed > self.slowest[0]:
                self.slowest = (elapsed, " ".join(sql.split())[:80])
            return result
        return timed

    def _counted(self, function):
        def counted(frame):
            self.max_chart_rows = max(self.max_chart_rows, len(frame))
            return function(frame)
        return counted


def targets(db_path: Path) -> list[dict]:
    """Every page of the navigation, and one demo record of each kind, as a viewer and as an editor.

    Each target: label, script (None for the home page), query params and role.
    """
    found = []
    for key, script, _ in PAGES:
        script = None if script == "app.py" else script
        if key == "admin":  # a viewer only sees that signing in is needed
            found.append({"page": key, "script": script, "params": {}, "role": "admin"})
            continue
        found += [{"page": key, "script": script, "params": {}, "role": role} for role in ("viewer", "editor")]
    with opened(db_path) as db:
        for table, page in RECORD_PAGES.items():
            # The same record at every scale, so its page grows only by what surrounds it: the first
            # public record of the demo (synthetic records say so in `source`). A budget year opens by
            # its own parameter, ?year_id=.
            row = db.execute(f"SELECT MIN(id) FROM [{table}] WHERE is_internal = 0 "
                             f"AND COALESCE(source, '') <> ?", [synthetic_source()]).fetchone()
            if row and row[0]:
                for role in ("viewer", "editor"):
                    found.append({"page": f"{table} (record)", "script": PAGE_SCRIPTS[page],
                                  "params": {RECORD_PARAMS.get(table, "id"): str(row[0])}, "role": role})
    return found


def synthetic_source() -> str:
    """The `source` of every synthetic record."""
    return synthetic.SOURCE


def _import_package() -> None:
    # Every query module must be imported before QueryTimer patches their helpers.
    for info in pkgutil.walk_packages(krem_advocacy.__path__, "krem_advocacy."):
        if not info.name.endswith(".__main__"):
            importlib.import_module(info.name)


def _actor(role: str):
    return None if role == "viewer" else Actor(f"Benchmark {role}", role)


def page_runner(root: Path, target: dict):
    """A function that opens the page in a new AppTest with cold data caches; returns (AppTest, seconds)."""

    actor = _actor(target["role"])

    def fresh():
        # cache_data is what a first visitor finds cold; cache_resource (the prepared database)
        # lives once per server process, so it stays, as it would for a real first visit.
        st.cache_data.clear()
        start = time.perf_counter()
        at = AppTest.from_file(str(root / "app.py"), default_timeout=120)
        for key, value in target["params"].items():
            at.query_params[key] = value
        if actor is not None:
            at.session_state["actor"] = actor
        if target["script"]:
            at.switch_page(target["script"])  # the page itself is the first run, as when a link is opened
        at.run()
        elapsed = time.perf_counter() - start
        if at.exception:
            raise RuntimeError(f"{target['page']}: {at.exception[0].message}")
        return at, elapsed

    return fresh


def empty_runner():
    """A function that runs the empty page in a new AppTest with cold data caches; returns seconds."""

    def run():
        st.cache_data.clear()
        start = time.perf_counter()
        AppTest.from_string(EMPTY_PAGE, default_timeout=60).run()
        return time.perf_counter() - start

    return run


def measure(root: Path, db_path: Path, rounds: int) -> list[dict]:
    """Time every target fresh and repeated, each round against a fresh run of the empty page."""
    empty = empty_runner()
    empty()  # imports and component scanning happen once per process
    rows = []
    for target in targets(db_path):
        runner = page_runner(root, target)
        runner()  # warm-up: the page's first imports
        fresh, repeat, empties = [], [], []
        with QueryTimer() as timer:
            for _ in range(rounds):
                base = empty()
                at, elapsed = runner()
                start = time.perf_counter()
                at.run()
                repeated = time.perf_counter() - start
                empties.append(base)
                fresh.append(elapsed / base)
                repeat.append(repeated / base)
        tracemalloc.start()
        runner()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        rows.append({**target, "fresh": statistics.median(fresh), "repeat": statistics.median(repeat),
                     "empty": statistics.median(empties), "slowest_query": timer.slowest,
                     "chart_rows": timer.max_chart_rows, "peak_mb": peak / 1e6})
    return rows


def build_database(path: Path, scale: int, today: date | None = None) -> None:
    """A database with the demo data plus synthetic data to reach `scale` × the demo."""

    ensure_database(path)
    if scale > 1:
        with opened(path) as db:
            synthetic.generate(db, scale - 1, today=today)
            # As a database that has been in use: its write-ahead log written back into the file.
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def import_spreadsheet(rows: int) -> bytes:
    """An Excel file of `rows` new høringer to two of the demo's ministries (by short and by full name)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Tittel", "Departement", "Publisert", "Høringsfrist", "Vår ref.", "Lenke", "Status"])
    for i in range(rows):
        sheet.append([f"Høring – forslag nummer {i}", "BFD" if i % 2 else "Arbeids- og inkluderingsdepartementet",
                      datetime(2025, 1, 1 + i % 28), f"{1 + i % 28:02d}.06.2025", f"25/{1000 + i}",
                      f"https://www.regjeringen.no/no/dokumenter/forslag-{i}/id{3000000 + i}/", "På høring"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def measure_import(path: Path, rows: int = IMPORT_ROWS) -> dict:
    """Import `rows` new høringer from an Excel file into a new demo database at `path`; return rows and seconds.

    The time is that of `importer.import_rows` (every row checked, then all written in one transaction), what
    the Data page's import button runs; reading the file is not counted.
    """
    ensure_database(path)
    table = importer.read_table(import_spreadsheet(rows), "bench.xlsx", "hoeringer")
    mapping = importer.guess_mapping("hoeringer", table.columns)
    with opened(path) as db:
        start = time.perf_counter()
        result = importer.import_rows(db, _actor("editor"), "hoeringer", table, mapping, source_name="bench.xlsx")
        elapsed = time.perf_counter() - start
    if result.created != rows:
        raise RuntimeError(f"import: {result.created} of {rows} rows created")
    return {"rows": rows, "seconds": elapsed}


def import_line(figure: dict) -> str:
    """The import's figure as one sentence of the report, with whether it meets its target."""
    per_thousand = figure["seconds"] / figure["rows"] * 1000
    meets = "yes" if per_thousand <= TARGET_IMPORT_SECONDS else "**no**"
    return (f"Spreadsheet import: {figure['rows']} høringer from an Excel file checked and written in "
            f"{figure['seconds']:.2f} s ({per_thousand:.2f} s per 1000 rows; target ≤ {TARGET_IMPORT_SECONDS:.0f} s "
            f"per 1000 rows: {meets}).")


def database_size(path: Path) -> int:
    """Bytes on disk: the file and its write-ahead log."""
    wal = Path(str(path) + "-wal")
    return path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)


def _label(row: dict) -> str:
    return f"{row['page']} · {row['role']}"


def misses(row: dict, base: dict | None) -> list[str]:
    """Which targets a row (at the largest scale) misses; `base` is the same page at 1×."""
    missed = []
    if row["fresh"] > TARGET_FRESH:
        missed.append("fresh")
    if row["repeat"] > TARGET_REPEAT:
        missed.append("repeat")
    if base and row["fresh"] / base["fresh"] > TARGET_GROWTH:
        missed.append("growth")
    if row["chart_rows"] > MAX_CHART_ROWS:
        missed.append("chart rows")
    return missed


def report(results: dict[int, list[dict]], seconds: float, sizes: dict[int, int], load: str,
           import_figure: dict | None = None) -> str:
    """The Markdown table written to docs/benchmark.md (with the import's figure above it, when measured)."""
    scales = sorted(results)
    top = scales[-1]
    base = {_label(r): r for r in results[scales[0]]} if scales[0] == 1 and top != 1 else {}
    empty_ms = statistics.median(r["empty"] for r in results[top]) * 1000
    lines = [
        "# Benchmark",
        "",
        f"Made by `python -m tools.bench` on {date.today().strftime('%d.%m.%Y')} in {seconds:.0f} s "
        f"({load}). The empty page (`st.write(\"hi\")`, a new AppTest) ran in {empty_ms:.0f} ms at the median; "
        "every time below is a ratio to the empty page's fresh run in the same round. *Fresh*: a new AppTest "
        "with cold data caches (a first visit). *Repeat*: the same AppTest run again (an interaction). "
        f"*Growth*: fresh at {top}× over fresh at 1×. Pages are opened as an anonymous viewer and as an "
        "editor (who also gets the forms and internal records), the administration page as an administrator.",
        "",
        f"Targets at {top}×: fresh ≤ {TARGET_FRESH}, repeat ≤ {TARGET_REPEAT}, growth ≤ {TARGET_GROWTH}, "
        f"chart rows ≤ {MAX_CHART_ROWS}.",
        "",
        "Database size: " + ", ".join(f"{s}×: {sizes[s] / 1e6:.1f} MB" for s in scales),
        "",
        *([import_line(import_figure), ""] if import_figure else []),
        "| page | role | " + " | ".join(f"fresh {s}×" for s in scales) + f" | repeat {top}× | growth | "
        f"chart rows | peak MB | slowest query at {top}× | meets targets |",
        "|---|---|" + "---|" * len(scales) + "---|---|---|---|---|---|",
    ]
    for row in results[top]:
        label = _label(row)
        fresh = []
        for s in scales:
            match = [r for r in results[s] if _label(r) == label]
            fresh.append(f"{match[0]['fresh']:.2f}" if match else "–")
        growth = row["fresh"] / base[label]["fresh"] if label in base else None
        missed = misses(row, base.get(label))
        slow_s, slow_sql = row["slowest_query"]
        lines.append(
            f"| {row['page']} | {row['role']} | " + " | ".join(fresh) + f" | {row['repeat']:.2f} | "
            + (f"{growth:.2f}" if growth is not None else "–")
            + f" | {row['chart_rows']} | {row['peak_mb']:.1f} | {slow_s * 1000:.1f} ms `{slow_sql}` | "
            + ("yes" if not missed else "**no**: " + ", ".join(missed)) + " |")
    return "\n".join(lines) + "\n"


def load_lines(url_figures: dict, result, sessions: int, scale: int) -> list[str]:
    """The load run's section of the report: one viewer alone beside `sessions` viewers at once."""
    lines = [
        "## Fifty viewers at once" if sessions == 50 else f"## {sessions} viewers at once",
        "",
        f"`python -m tools.bench --load {sessions}` at {scale}×: {sessions} sessions opened within 0.1 s over "
        "Streamlit's websocket protocol (tools/load.py), each drawing the home page and then the Høringer page "
        "in the same session, against one `streamlit run serve.py`. Times from asking for a page until the "
        "server has sent its last element; the browser's own drawing (on each visitor's machine) is not in them.",
        "",
        f"Targets: p95 ≤ {TARGET_LOAD_P95:.0f} s for every page, no failed session, server memory ≤ "
        f"{TARGET_LOAD_MB:.0f} MB.",
        "",
        "| page | alone (median) | median | p95 | p95 / alone | meets targets |",
        "|---|---|---|---|---|---|",
    ]
    for page, single in url_figures.items():
        times = result.times(page)
        p95 = load.percentile(times, 0.95)
        meets = p95 <= TARGET_LOAD_P95 and not result.failures()
        lines.append(f"| {page} | {single:.2f} s | {statistics.median(times):.2f} s | {p95:.2f} s | "
                     f"{p95 / single:.1f} | " + ("yes" if meets else "**no**") + " |")
    failed = result.failures()
    lines += ["", f"Server memory at its peak: {result.peak_mb:.0f} MB "
              + ("(meets the target)" if result.peak_mb <= TARGET_LOAD_MB else "(**over the target**)")
              + f". Whole run: {result.seconds:.1f} s. Failed visits: {len(failed)}"
              + (" (" + "; ".join(f"{v.page}: {v.error}" for v in failed[:3]) + ")" if failed else "") + "."]
    return lines


def measure_load(scale: int, sessions: int, folder: Path) -> list[str]:
    """Start the app on a database at `scale`, time one viewer alone, then `sessions` at once."""
    path = folder / f"load-{scale}.db"
    build_database(path, scale)
    with serving.streamlit_server("serve.py", path) as (url, proc):
        load.alone(url, 1)  # the server's first imports and cold caches, as after a restart
        single = load.alone(url, 3)
        result = load.run(url, sessions, pid=proc.pid)
    return load_lines(single, result, sessions, scale)


def _load() -> str:
    try:
        one, five, _ = os.getloadavg()
    except OSError:
        return "load unknown"
    return f"{os.cpu_count()} cores, load average {one:.1f} (1 min) / {five:.1f} (5 min) at the end"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and write docs/benchmark.md."""
    parser = argparse.ArgumentParser(prog="python -m tools.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--repeat", type=int, default=5, help="rounds per page (the median is reported)")
    parser.add_argument("--import-rows", type=int, default=IMPORT_ROWS, help="rows of the timed spreadsheet import")
    parser.add_argument("--out", type=Path, default=config.PROJECT_ROOT / "docs" / "benchmark.md")
    parser.add_argument("--burst", type=int, default=bench_replication.BURST,
                        help="writes in the burst whose replication lag is measured")
    parser.add_argument("--replication-only", action="store_true",
                        help="measure only replication (tools/bench_replication.py) and replace its section")
    parser.add_argument("--parts", nargs="+", choices=("apptest", "replication", "browser", "load"),
                        default=["apptest", "replication"],
                        help="what to run (--browser and --load add their parts)")
    parser.add_argument("--browser", action="store_true", help="also time every page in headless Chromium")
    parser.add_argument("--browser-repeat", type=int, default=3, help="rounds per page in the browser")
    parser.add_argument("--load", type=int, default=0, metavar="SESSIONS", help="also run SESSIONS viewers at once")
    parser.add_argument("--stretch", type=int, default=0, metavar="SCALE",
                        help="also time viewers' browser visits at SCALE (1000: about 400 MB)")
    args = parser.parse_args(argv)
    parts = set(args.parts) | ({"browser"} if args.browser else set()) | ({"load"} if args.load else set())
    if args.replication_only:
        print(bench_replication.run(args.out, _load(), args.burst))
        return 0

    logger.set_log_level("error")  # AppTest outside a server warns on every cache call
    started = time.perf_counter()
    root = config.PROJECT_ROOT
    results, sizes, extra = {}, {}, []
    import_figure = None
    _import_package()
    previous = os.environ.get("KREM_DB")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            if "apptest" in parts:
                for scale in args.scales:
                    path = Path(tmp) / f"bench-{scale}.db"
                    build_database(path, scale)
                    sizes[scale] = database_size(path)
                    os.environ["KREM_DB"] = str(path)
                    results[scale] = measure(root, path, args.repeat)
                    print(f"{scale}×: " + ", ".join(f"{_label(r)} {r['fresh']:.2f}/{r['repeat']:.2f}"
                                                   for r in results[scale]), flush=True)
                import_figure = measure_import(Path(tmp) / "bench-import.db", args.import_rows)
                print(import_line(import_figure), flush=True)
            if "browser" in parts:
                extra += ["", *browser_bench.main_run(args.scales, args.browser_repeat, build_database,
                                                           lambda path: targets(path))]
            if "load" in parts:
                extra += ["", *measure_load(max(args.scales), args.load or 50, Path(tmp))]
            if args.stretch:
                extra += ["", *browser_bench.stretch(args.stretch, Path(tmp), build_database,
                                                          lambda path: targets(path))]
    finally:
        if previous is None:
            os.environ.pop("KREM_DB", None)
        else:
            os.environ["KREM_DB"] = previous
    seconds = time.perf_counter() - started
    text = (report(results, seconds, sizes, _load(), import_figure) if results
            else f"# Benchmark\n\nMade by `python -m tools.bench` on {date.today().strftime('%d.%m.%Y')} in "
                 f"{seconds:.0f} s ({_load()}).\n")
    text += "\n".join(extra) + ("\n" if extra else "")
    args.out.write_text(text, encoding="utf-8")
    if "replication" in parts:
        text += "\n" + bench_replication.run(args.out, _load(), args.burst, min(args.burst, bench_replication.COST_WRITES))
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
