"""Benchmark: every page through AppTest at 1×, 10× and 100× the demo data, against an empty page.

Run `python -m krem_advocacy.bench` (add `--scales 1 10` or `--repeat 5` to change it). It writes
docs/benchmark.md. Times are medians; each page's times are given as ratios to the empty page's
fresh run measured the same way in the same process.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from krem_advocacy import config

EMPTY_PAGE = 'import streamlit as st\nst.write("hi")\n'
TARGET_FRESH = 2.5  # × the empty page's fresh run, at 100×
TARGET_REPEAT = 1.0
TARGET_GROWTH = 1.3  # a page's fresh cost at 100× over its cost at 1×
MAX_CHART_ROWS = 5000


def _median_time(run, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


class QueryTimer:
    """Wraps every query helper in krem_advocacy modules to record the slowest SQL and chart sizes."""

    def __init__(self):
        self.slowest = (0.0, "")
        self.max_chart_rows = 0
        self._patched = []

    def __enter__(self):
        from krem_advocacy import db as dbmod

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
                first_line = " ".join(sql.split())[:80]
                self.slowest = (elapsed, first_line)
            return result
        return timed

    def _counted(self, function):
        def counted(frame):
            self.max_chart_rows = max(self.max_chart_rows, len(frame))
            return function(frame)
        return counted


def _targets(db_path: Path) -> list[tuple[str, str | None, dict]]:
    """(label, page script or None for home, query params) for every page and one record of each kind."""
    from krem_advocacy.db import opened
    from krem_advocacy.ui.page import PAGES, PAGE_SCRIPTS, RECORD_PAGES, RECORD_PARAMS

    targets = [(key, None if script == "app.py" else script, {}) for key, script, _ in PAGES]
    with opened(db_path) as db:
        for table, page in RECORD_PAGES.items():
            if table in RECORD_PARAMS:
                continue  # opened by another parameter than ?id= (a budget year's view)
            row = db.execute(f"SELECT MAX(id) FROM [{table}] WHERE is_example = 1 OR is_example = 0").fetchone()
            if row and row[0]:
                targets.append((f"{page} (record)", PAGE_SCRIPTS[page], {"id": str(row[0])}))
    return targets


def _import_package() -> None:
    # Every query module must be imported before QueryTimer patches their helpers.
    import importlib
    import pkgutil

    import krem_advocacy

    for info in pkgutil.walk_packages(krem_advocacy.__path__, "krem_advocacy."):
        if not info.name.endswith((".__main__", ".bench")):
            importlib.import_module(info.name)


def _page_runner(root: Path, script: str | None, params: dict):
    """A function that makes a new AppTest for the page and runs it once with cold data caches."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    def fresh():
        # cache_data is what a first visitor finds cold; cache_resource (the prepared database)
        # lives once per server process, so it stays, as it would for a real first visit.
        st.cache_data.clear()
        start = time.perf_counter()
        at = AppTest.from_file(str(root / "app.py"), default_timeout=120)
        for key, value in params.items():
            at.query_params[key] = value
        if script:
            at.switch_page(script)  # the page itself is the first run, as when a deep link is opened
        at.run()
        elapsed = time.perf_counter() - start
        if at.exception:
            raise RuntimeError(f"{script}: {at.exception[0].message}")
        return at, elapsed

    return fresh


def measure(root: Path, db_path: Path, repeat: int) -> list[dict]:
    """Time every target page fresh and repeated; return one row per page."""
    rows = []
    targets = _targets(db_path)
    for _, script, params in targets:  # warm-up: first imports of pages and libraries
        _page_runner(root, script, params)()
    for label, script, params in targets:
        runner = _page_runner(root, script, params)
        fresh_times, repeat_times = [], []
        with QueryTimer() as timer:
            for _ in range(repeat):
                at, elapsed = runner()
                fresh_times.append(elapsed)
                start = time.perf_counter()
                at.run()
                repeat_times.append(time.perf_counter() - start)
        tracemalloc.start()
        runner()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        rows.append({"page": label, "fresh": statistics.median(fresh_times),
                     "repeat": statistics.median(repeat_times), "slowest_query": timer.slowest,
                     "chart_rows": timer.max_chart_rows, "peak_mb": peak / 1e6})
    return rows


def empty_page_fresh(repeat: int) -> float:
    """The empty page's fresh run (new AppTest, `st.write("hi")`), median seconds."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    def run():
        st.cache_data.clear()
        AppTest.from_string(EMPTY_PAGE, default_timeout=60).run()

    run()  # import and component scanning happen once per process
    return _median_time(run, repeat)


def build_database(path: Path, scale: int) -> None:
    """A database with the demo data plus synthetic data to reach `scale` × the demo."""
    from krem_advocacy import synthetic
    from krem_advocacy.db import ensure_database, opened

    ensure_database(path)
    if scale > 1:
        with opened(path) as db:
            synthetic.generate(db, scale - 1)


def report(results: dict[int, list[dict]], empty: float, seconds: float, sizes: dict[int, int]) -> str:
    """The Markdown table written to docs/benchmark.md."""
    scales = sorted(results)
    top = scales[-1]
    base = {r["page"]: r for r in results[scales[0]]}
    lines = [
        "# Benchmark",
        "",
        f"Made by `python -m krem_advocacy.bench` on {date.today().strftime('%d.%m.%Y')} "
        f"in {seconds:.0f} s. Empty page (`st.write(\"hi\")`) fresh run: {empty * 1000:.1f} ms; every "
        "figure below is a ratio to that. *Fresh*: a new AppTest with cold caches (a first visit). "
        "*Repeat*: the same AppTest run again (an interaction). *Growth*: fresh at the largest scale "
        "over fresh at 1×.",
        "",
        f"Targets at {top}×: fresh ≤ {TARGET_FRESH}, repeat ≤ {TARGET_REPEAT}, growth ≤ {TARGET_GROWTH}, "
        f"chart rows ≤ {MAX_CHART_ROWS}.",
        "",
        "Database size: " + ", ".join(f"{s}×: {sizes[s] / 1e6:.1f} MB" for s in scales),
        "",
        "| page | " + " | ".join(f"fresh {s}×" for s in scales) + f" | repeat {top}× | growth | "
        f"chart rows | peak MB | slowest query at {top}× | meets targets |",
        "|---|" + "---|" * len(scales) + "---|---|---|---|---|---|",
    ]
    for row in results[top]:
        page = row["page"]
        fresh = [next(r for r in results[s] if r["page"] == page)["fresh"] / empty for s in scales]
        repeat = row["repeat"] / empty
        growth = row["fresh"] / base[page]["fresh"] if page in base else float("nan")
        ok = fresh[-1] <= TARGET_FRESH and repeat <= TARGET_REPEAT and growth <= TARGET_GROWTH \
            and row["chart_rows"] <= MAX_CHART_ROWS
        slow_ms, slow_sql = row["slowest_query"]
        lines.append(
            f"| {page} | " + " | ".join(f"{f:.2f}" for f in fresh) + f" | {repeat:.2f} | {growth:.2f} | "
            f"{row['chart_rows']} | {row['peak_mb']:.1f} | {slow_ms * 1000:.1f} ms `{slow_sql}` | "
            f"{'yes' if ok else '**no**'} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and write docs/benchmark.md."""
    parser = argparse.ArgumentParser(prog="python -m krem_advocacy.bench", description=__doc__)
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--out", type=Path, default=config.PROJECT_ROOT / "docs" / "benchmark.md")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    root = config.PROJECT_ROOT
    results, sizes = {}, {}
    _import_package()
    with tempfile.TemporaryDirectory() as tmp:
        empty = empty_page_fresh(max(args.repeat, 5))
        for scale in args.scales:
            path = Path(tmp) / f"bench-{scale}.db"
            build_database(path, scale)
            sizes[scale] = path.stat().st_size + Path(str(path) + "-wal").stat().st_size \
                if Path(str(path) + "-wal").exists() else path.stat().st_size
            os.environ["KREM_DB"] = str(path)
            results[scale] = measure(root, path, args.repeat)
            print(f"{scale}×: " + ", ".join(f"{r['page']} {r['fresh'] / empty:.2f}" for r in results[scale]),
                  flush=True)
    text = report(results, empty, time.perf_counter() - started, sizes)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
