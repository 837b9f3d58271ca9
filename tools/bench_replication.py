"""Benchmark of replication: Litestream's lag for a burst of writes, and what it costs a page's write.

`python -m tools.bench --replication-only` (or this module's `main`) measures, on the demo database
with a directory replica and a sync interval of 1 s:

- **lag**: a burst of 1 000 new saker written through the data layer (`saker.create_sak`, what the Saker
  page's form calls) as fast as they go; for each, the time from its commit until the replica holds
  the Litestream transaction that carries it. A poller looks at the local and replica LTX files every
  20 ms: a write is carried by the first local transaction after the last one seen before its commit,
  so the figures are good to about the polling interval.
- **cost**: the median time of one such write without Litestream and with it running (and syncing).

The section «Replication» of docs/benchmark.md is replaced; the page tables above it are left alone.
"""

import re
import statistics
import tempfile
import threading
import time
from pathlib import Path

from krem_advocacy.domain import saker
from krem_advocacy.domain.bootstrap import ensure_database
from krem_advocacy.store import replication
from krem_advocacy.store.connection import opened
from krem_advocacy.store.permissions import Actor

BURST = 1000
COST_WRITES = 200
POLL_S = 0.02
SYNC = "1s"
HEADING = "## Replication"
ACTOR = Actor("Benchmark", "editor")


def _max_txid(folder: Path) -> int:
    names = [p.name for p in folder.glob("*.ltx")] if folder.exists() else []
    return max((int(n.split("-")[1].split(".")[0], 16) for n in names), default=0)


class Poller(threading.Thread):
    """Notes (time, local max txid, replica max txid) every POLL_S seconds."""

    def __init__(self, db_path: Path, replica: Path):
        super().__init__(daemon=True)
        self.local = db_path.parent / f".{db_path.name}-litestream" / "ltx" / "0"
        self.replica = replica / "ltx" / "0"
        self.seen: list[tuple[float, int, int]] = []
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.seen.append((time.perf_counter(), _max_txid(self.local), _max_txid(self.replica)))
            time.sleep(POLL_S)


def _write(db_path: Path, title: str) -> float:
    started = time.perf_counter()
    with opened(db_path) as db:
        saker.create_sak(db, ACTOR, {"title": title, "status": "aktiv"})
    return time.perf_counter() - started


def measure(folder: Path, burst: int = BURST, cost_writes: int = COST_WRITES) -> dict:
    """Run both measurements in `folder` (`burst` writes for the lag, `cost_writes` each way for the cost);
    return the figures in milliseconds."""
    db_path = folder / "krem.db"
    ensure_database(db_path)
    without = [_write(db_path, f"uten {n}") for n in range(cost_writes)]
    target = replication.Target("file", directory=str(folder / "replica"), sync_interval=SYNC)
    supervisor = replication.Supervisor(db_path, target)
    supervisor.ensure_running()
    try:
        time.sleep(3)  # the first snapshot
        with_ = [_write(db_path, f"med {n}") for n in range(cost_writes)]
        time.sleep(3)
        poller = Poller(db_path, folder / "replica")
        poller.start()
        time.sleep(0.2)
        commits = []
        for n in range(burst):
            _write(db_path, f"støt {n}")
            commits.append(time.perf_counter())
        deadline = time.perf_counter() + 60
        while time.perf_counter() < deadline:
            if poller.seen and poller.seen[-1][2] >= poller.seen[-1][1] > 0 and poller.seen[-1][0] > commits[-1] + 2:
                break
            time.sleep(0.1)
        poller.done.set()
        poller.join()
    finally:
        supervisor.stop()
    lags = []
    seen = poller.seen
    for at in commits:
        before = max((local for t, local, _ in seen if t < at), default=0)
        carried = before + 1
        arrived = next((t for t, _, rep in seen if t >= at and rep >= carried), None)
        if arrived is not None:
            lags.append((arrived - at) * 1000)
    lags.sort()
    return {"writes": burst, "measured": len(lags), "median": statistics.median(lags),
            "p95": lags[int(0.95 * (len(lags) - 1))], "max": lags[-1],
            "without": statistics.median(without) * 1000, "with": statistics.median(with_) * 1000}


def section(figures: dict, load: str) -> str:
    """The Markdown section for docs/benchmark.md."""
    extra = figures["with"] / figures["without"] - 1
    writes = f"{figures['writes']:,}".replace(",", " ")
    return (f"{HEADING}\n\n"
            f"Measured by `python -m tools.bench` (or `--replication-only`; {load}), with a directory replica "
            f"and a sync interval of {SYNC}. "
            f"The method is in `tools/bench_replication.py`.\n\n"
            f"| what | figure |\n|---|---|\n"
            f"| replication lag, burst of {writes} writes: median | {figures['median']:.0f} ms |\n"
            f"| replication lag: 95th percentile | {figures['p95']:.0f} ms |\n"
            f"| replication lag: slowest | {figures['max']:.0f} ms |\n"
            f"| one page's write (new sak), without replication: median | {figures['without']:.1f} ms |\n"
            f"| the same write with Litestream replicating: median | {figures['with']:.1f} ms ({extra:+.0%}) |\n\n"
            "The lag is about the sync interval: Litestream reads the WAL every second and sends what it found "
            "each sync interval, so a write waits at most one interval plus the upload. A write itself does not "
            "wait for Litestream (it reads the WAL afterwards), so its cost is what sharing the disk and the "
            "WAL lock with it adds.\n")


def update(doc: Path, text: str) -> None:
    """Replace the Replication section of `doc` (or add it at the end); the rest stays as it was."""
    current = doc.read_text(encoding="utf-8") if doc.exists() else "# Benchmark\n"
    pattern = re.compile(rf"^{re.escape(HEADING)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(current):
        current = pattern.sub(lambda _: text + "\n", current).rstrip() + "\n"
    else:
        current = current.rstrip() + "\n\n" + text
    doc.write_text(current, encoding="utf-8")


def run(doc: Path, load: str, burst: int = BURST, cost_writes: int = COST_WRITES) -> str:
    """Measure in a temporary folder and update `doc`; return the section."""
    with tempfile.TemporaryDirectory() as tmp:
        figures = measure(Path(tmp), burst, cost_writes)
    text = section(figures, load)
    update(doc, text)
    return text
