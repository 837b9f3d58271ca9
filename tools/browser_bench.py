"""Browser benchmark: every page in headless Chromium against `streamlit run` on loopback, beside an empty page.

For every page of the navigation and one record of each kind, as a viewer and as an editor, at each
scale: the time from navigation until Streamlit has finished drawing (the app root's
`data-test-script-state` is `notRunning` after a run, and no skeleton is left), the time of one
interaction on the page (a tab, or the language switch where a page has no tabs) from the click until
drawn again, and the bytes the server sent over the websocket. An empty Streamlit page
(`st.write("hi")`, EMPTY_APP in tools/serving.py) is timed the same way in the same run, and every figure is a
ratio to it, medians of several rounds.

A viewer's visit is a new browser context opening the address (a first visit: no cache, a new
session). An editor signs in once per scale through the sidebar, as people do, and then opens each page
inside that session (a full reload would sign them out): that is a page switch, compared with a switch
between the empty app's two pages.
"""

import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from google.protobuf.message import DecodeError
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from tools.serving import (
    BENCH_PASSWORD,
    BENCH_USER,
    EMPTY_APP,
    outside_event_loop,
    page_path,
    secrets_file,
    streamlit_server,
)

CHROMIUM = "/usr/lib/chromium/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
               "--disable-component-update", "--no-first-run", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 900}
DRAW_TIMEOUT_MS = 120_000

# Targets at the largest scale (docs/performance.md).
TARGET_VISIT = 2.0  # × the empty page's first visit
TARGET_INTERACTION = 1.5  # × the empty page's rerun
TARGET_GROWTH = 1.2  # visit ratio at the largest scale over the ratio at 1×
MAX_BYTES = 1_000_000

# Watches the app root from the first byte of the document: remembers a run having started, so a wait
# for "drawn" cannot be satisfied by the state before the run.
WATCH_SCRIPT = """
window.__kremRuns = 0;
new MutationObserver((records) => {
  for (const r of records) {
    if (r.attributeName === 'data-test-script-state' &&
        (r.oldValue === 'running' || r.target.getAttribute('data-test-script-state') === 'running')) {
      window.__kremRuns += 1;
    }
  }
}).observe(document, {subtree: true, attributes: true, attributeOldValue: true,
                      attributeFilter: ['data-test-script-state']});
"""

# True (the time, from the page's time origin) once a run has happened since `window.__kremMark` and the
# app is idle with nothing left to draw.
DRAWN = """(mark) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || window.__kremRuns <= mark) return false;
  if (app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-testid="stSkeleton"], [data-testid="stStatusWidget"]')) return false;
  return performance.now();
}"""

# The app is idle with nothing left to draw (after the server said a run finished).
IDLE = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-testid="stSkeleton"], [data-testid="stStatusWidget"]')) return false;
  return performance.now();
}"""

# Opens a page inside the session, as a link in the app does (Streamlit follows the history).
SWITCH = """(href) => {
  const mark = window.__kremRuns;
  const start = performance.now();
  history.pushState(null, '', href);
  window.dispatchEvent(new PopStateEvent('popstate'));
  return [mark, start];
}"""

CLICK = """(element) => {
  const mark = window.__kremRuns;
  const start = performance.now();
  element.click();
  return [mark, start];
}"""


@dataclass
class Row:
    """One target's medians at one scale: ratios and milliseconds."""
    page: str
    role: str
    visit: float
    interaction: float | None
    bytes: int
    visit_ms: float
    interaction_ms: float | None
    what: str = ""


@dataclass
class Run:
    """The whole benchmark: rows per scale and the empty page's figures per scale."""
    rows: dict[int, list[Row]] = field(default_factory=dict)
    empty: dict[int, dict[str, float]] = field(default_factory=dict)


class Browser:
    """One Chromium for the run; counts websocket bytes per page."""

    def __init__(self, playwright):
        self.browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True)

    def new_page(self, base_url: str):
        context = self.browser.new_context(base_url=base_url, viewport=VIEWPORT, locale="nb-NO")
        context.add_init_script(WATCH_SCRIPT)
        page = context.new_page()
        page.bytes_received = 0
        page.runs_finished = 0  # script_finished messages received (the server's word that a run ended)
        page.run_mark = None  # (JS run count, runs_finished) when the last timed action was done

        def on_socket(ws):
            def count(payload):
                page.bytes_received += len(payload)
                if isinstance(payload, bytes) and _finishes_a_run(payload):
                    page.runs_finished += 1
            ws.on("framereceived", count)

        page.on("websocket", on_socket)
        return page

    def close(self):
        self.browser.close()


def _finishes_a_run(payload: bytes) -> bool:
    message = ForwardMsg()
    try:
        message.ParseFromString(payload)
    except DecodeError:
        return False
    return message.WhichOneof("type") == "script_finished"


def wait_drawn(page, mark: int) -> float:
    """Wait until a run after `mark` has finished drawing; return that moment (ms from the time origin).

    A quick run can go from running to finished within one React update, so the app root's state never
    shows it: then the server's script_finished message (counted in Python) says the run happened, and the
    page is drawn when it is idle with nothing left to draw.
    """
    finished = page.run_mark[1] if page.run_mark and page.run_mark[0] == mark else None
    deadline = time.monotonic() + DRAW_TIMEOUT_MS / 1000
    while finished is not None and time.monotonic() < deadline:
        if page.evaluate("window.__kremRuns") > mark:
            break  # the state showed the run: wait for it as usual
        if page.runs_finished > finished:
            return page.wait_for_function(IDLE, polling="raf", timeout=DRAW_TIMEOUT_MS).json_value()
        page.wait_for_timeout(5)
    return page.wait_for_function(DRAWN, arg=mark, polling="raf", timeout=DRAW_TIMEOUT_MS).json_value()


def first_visit(browser: Browser, base_url: str, path: str) -> tuple[float, int, object]:
    """Open `path` in a new context; return (ms from navigation to drawn, bytes, the page)."""
    page = browser.new_page(base_url)
    page.goto("/" + path)
    drawn = wait_drawn(page, 0)
    page.wait_for_timeout(100)  # frames still on their way belong to this page
    return drawn, page.bytes_received, page


def started(page, act) -> tuple[int, float]:
    """Do `act()` (it returns the run mark and the start time) until a run starts; return the last (mark, start).

    Streamlit's frontend sometimes lets a click or a history event go by in the first moments of a session
    (no run starts); then it is done again and timed from there, as a second click would be.
    """
    for _ in range(3):
        mark, start = marked(page, act)
        if run_seen(page, 3):
            return mark, start
    raise PlaywrightTimeout("no run started after three tries")


def marked(page, act) -> tuple[int, float]:
    """Do `act()` (it returns the JS run count and the start time), remembering both run counts before it."""
    finished = page.runs_finished
    mark, start = act()
    page.run_mark = (mark, finished)
    return mark, start


def run_seen(page, seconds: float) -> bool:
    """Whether a run began after the last `marked` action (the state showed it, or the server finished one)."""
    mark, finished = page.run_mark
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if page.runs_finished > finished or page.evaluate("window.__kremRuns") > mark:
            return True
        page.wait_for_timeout(10)
    return False


def switch(page, href: str) -> tuple[float, int]:
    """Open `href` inside the page's session; return (ms to drawn, bytes)."""
    before = page.bytes_received
    mark, start = started(page, lambda: page.evaluate(SWITCH, href))
    drawn = wait_drawn(page, mark)
    page.wait_for_timeout(100)
    return drawn - start, page.bytes_received - before


def interact(page, use_tab: bool = True) -> tuple[float | None, str]:
    """One interaction that makes the server run the page again: the page's second tab where choosing it
    reruns the page (a lazy tab), else the language switch; return (ms from the click to drawn, what).

    A plain tab is drawn by the browser alone (no rerun), so it tells nothing of the server: then the
    language switch is timed instead and the tab left alone in later rounds (`what` says which).
    """
    tabs = page.get_by_test_id("stMain").get_by_role("tab")
    if use_tab and tabs.count() > 1:
        tab = tabs.nth(1)
        mark, start = marked(page, lambda: tab.evaluate(CLICK))
        if run_seen(page, 2.5):
            return wait_drawn(page, mark) - start, "tab " + tab.inner_text().strip().split("\n")[-1]
    choice = page.get_by_test_id("stSidebar").get_by_text("English", exact=True)
    if not choice.count():
        return None, ""
    mark, start = started(page, lambda: choice.first.evaluate(CLICK))
    return wait_drawn(page, mark) - start, "language"


def sign_in(page) -> None:
    """Sign the benchmark's editor in through the sidebar."""
    sidebar = page.get_by_test_id("stSidebar")
    if not sidebar.get_by_label("Brukernavn").is_visible():
        sidebar.get_by_text("Logg inn", exact=True).first.click()
    sidebar.get_by_label("Brukernavn").fill(BENCH_USER)
    sidebar.get_by_label("Passord", exact=True).fill(BENCH_PASSWORD)
    mark, _ = marked(page, lambda: (page.evaluate("window.__kremRuns"), 0.0))
    sidebar.get_by_role("button", name="Logg inn").click()
    wait_drawn(page, mark)
    page.get_by_test_id("stSidebar").get_by_role("button", name="Logg ut").wait_for(timeout=DRAW_TIMEOUT_MS)


def measure_empty(browser: Browser, url: str, rounds: int) -> dict[str, float]:
    """The empty page's medians: first visit, rerun (its button) and switch to its second page, in ms."""
    visits, reruns, switches, sizes = [], [], [], []
    for _ in range(rounds):
        drawn, size, page = first_visit(browser, url, "hi")
        visits.append(drawn)
        sizes.append(size)
        again = page.get_by_role("button", name="again")
        mark, start = started(page, lambda: again.evaluate(CLICK))  # noqa: B023 (called at once)
        reruns.append(wait_drawn(page, mark) - start)
        switches.append(switch(page, "/two")[0])
        page.context.close()
    return {"visit": statistics.median(visits), "rerun": statistics.median(reruns),
            "switch": statistics.median(switches), "bytes": statistics.median(sizes)}


def href(target: dict) -> str:
    """The address of a target, as a link in the app would give it."""
    query = urlencode(target["params"])
    return "/" + page_path(target["script"]) + (f"?{query}" if query else "")


def measure_scale(browser: Browser, url: str, targets: list[dict], rounds: int, empty: dict) -> list[Row]:
    """Every target at one scale: viewers by first visits, editors by switches in one signed-in session."""
    rows = []
    for target in [t for t in targets if t["role"] == "viewer"]:
        visits, interactions, sizes, what = [], [], [], ""
        for _ in range(rounds):
            drawn, size, page = first_visit(browser, url, href(target).lstrip("/"))
            visits.append(drawn)
            sizes.append(size)
            took, what = interact(page, use_tab=what != "language")
            if took is not None:
                interactions.append(took)
            page.context.close()
        rows.append(_row(target, visits, interactions, sizes, empty["visit"], empty["rerun"], what))
    editor = browser.new_page(url)
    editor.goto("/")
    wait_drawn(editor, 0)
    sign_in(editor)
    for target in [t for t in targets if t["role"] != "viewer"]:
        visits, interactions, sizes, what = [], [], [], ""
        for _ in range(rounds):
            switch(editor, "/")  # from the home page each time, as from the menu
            took, size = switch(editor, href(target))
            visits.append(took)
            sizes.append(size)
            took, what = interact(editor, use_tab=what != "language")
            if took is not None:
                interactions.append(took)
            if what == "language":  # back to Bokmål for the next round (the language is in the session)
                norsk = editor.get_by_test_id("stSidebar").get_by_text("Norsk", exact=True).first
                mark, _ = marked(editor, lambda: norsk.evaluate(CLICK))  # noqa: B023 (called at once)
                wait_drawn(editor, mark)
        rows.append(_row(target, visits, interactions, sizes, empty["switch"], empty["rerun"], what))
    editor.context.close()
    return rows


def _row(target, visits, interactions, sizes, empty_visit, empty_rerun, what) -> Row:
    visit_ms = statistics.median(visits)
    interaction_ms = statistics.median(interactions) if interactions else None
    return Row(target["page"], target["role"], visit_ms / empty_visit,
               interaction_ms / empty_rerun if interaction_ms is not None else None,
               int(statistics.median(sizes)), visit_ms, interaction_ms, what)


def run(scales: list[int], rounds: int, folder: Path, build, targets_of, log=print, roles=("viewer", "editor")) -> Run:
    """Build each scale's database (`build(path, scale)`), start the app and the empty page, time every target.

    `targets_of(path)` lists the targets (tools.bench.targets: every page and a record of each kind).
    """
    return outside_event_loop(_run, scales, rounds, folder, build, targets_of, log, roles)


def _run(scales, rounds, folder, build, targets_of, log, roles) -> Run:
    result = Run()
    secrets = secrets_file(folder)
    empty_entry = folder / "empty_app.py"
    empty_entry.write_text(EMPTY_APP, encoding="utf-8")
    with sync_playwright() as playwright:
        browser = Browser(playwright)
        try:
            for scale in scales:
                path = folder / f"browser-{scale}.db"
                build(path, scale)
                targets = [t for t in targets_of(path) if t["role"] in roles or t["role"] == "admin" and "editor" in roles]
                with streamlit_server(str(empty_entry), cwd=folder) as (empty_url, _):
                    first_visit(browser, empty_url, "hi")[2].context.close()  # the server's first imports
                    with streamlit_server("serve.py", path, secrets=secrets) as (url, _):
                        first_visit(browser, url, "")[2].context.close()  # the app's first imports
                        result.empty[scale] = measure_empty(browser, empty_url, rounds)
                        result.rows[scale] = measure_scale(browser, url, targets, rounds, result.empty[scale])
                log(f"browser {scale}×: " + ", ".join(f"{r.page}·{r.role} {r.visit:.2f}" for r in result.rows[scale]))
        finally:
            browser.close()
    return result


def misses(row: Row, base: Row | None) -> list[str]:
    """Which targets a row at the largest scale misses (`base`: the same target at 1×)."""
    missed = []
    if row.visit > TARGET_VISIT:
        missed.append("visit")
    if row.interaction is not None and row.interaction > TARGET_INTERACTION:
        missed.append("interaction")
    if base is not None and row.visit / base.visit > TARGET_GROWTH:
        missed.append("growth")
    if row.bytes > MAX_BYTES:
        missed.append("bytes")
    return missed


def report(run: Run) -> list[str]:
    """The browser table for docs/benchmark.md."""
    scales = sorted(run.rows)
    top = scales[-1]
    base = {(r.page, r.role): r for r in run.rows[scales[0]]} if scales[0] == 1 and top != 1 else {}
    empty = run.empty[top]
    lines = [
        "## In the browser",
        "",
        f"`python -m tools.bench --browser`: headless Chromium against `streamlit run serve.py` on 127.0.0.1. "
        f"The empty page at {top}×'s run: first visit {empty['visit']:.0f} ms, rerun {empty['rerun']:.0f} ms, "
        f"switch {empty['switch']:.0f} ms, {empty['bytes'] / 1000:.0f} kB. *Visit*: a viewer's first visit "
        "(a new browser context opening the address) over the empty page's first visit; an editor's is a "
        "page switch inside the signed-in session over the empty app's switch. *Interaction*: the click "
        "named in the last column until drawn again, over the empty page's rerun. *Growth*: visit at "
        f"{top}× over visit at 1×. *kB*: sent by the server over the websocket for the visit.",
        "",
        f"Targets at {top}×: visit ≤ {TARGET_VISIT}, interaction ≤ {TARGET_INTERACTION}, growth ≤ "
        f"{TARGET_GROWTH}, ≤ {MAX_BYTES // 1000} kB per page.",
        "",
        "| page | role | " + " | ".join(f"visit {s}×" for s in scales) + f" | ms {top}× | interaction {top}× | "
        "growth | kB | interaction | meets targets |",
        "|---|---|" + "---|" * len(scales) + "---|---|---|---|---|---|",
    ]
    for row in run.rows[top]:
        key = (row.page, row.role)
        visits = []
        for s in scales:
            match = [r for r in run.rows[s] if (r.page, r.role) == key]
            visits.append(f"{match[0].visit:.2f}" if match else "–")
        growth = row.visit / base[key].visit if key in base else None
        missed = misses(row, base.get(key))
        lines.append(
            f"| {row.page} | {row.role} | " + " | ".join(visits) + f" | {row.visit_ms:.0f} | "
            + (f"{row.interaction:.2f}" if row.interaction is not None else "–") + " | "
            + (f"{growth:.2f}" if growth is not None else "–") + f" | {row.bytes / 1000:.0f} | {row.what or '–'} | "
            + ("yes" if not missed else "**no**: " + ", ".join(missed)) + " |")
    return lines


def main_run(scales: list[int], rounds: int, build, targets_of, log=print) -> list[str]:
    """Run the browser benchmark in a temporary folder; return its table's lines."""
    with tempfile.TemporaryDirectory() as tmp:
        return report(run(scales, rounds, Path(tmp), build, targets_of, log))


def stretch(scale: int, folder: Path, build, targets_of, log=print) -> list[str]:
    """Viewers' first visits at a large scale (one round): which page breaks its target first."""
    result = run([scale], 1, folder, build, targets_of, log, roles=("viewer",))
    rows = sorted(result.rows[scale], key=lambda r: r.visit, reverse=True)
    lines = [f"## Stretch: {scale}×", "",
             f"`python -m tools.bench --stretch {scale}`: viewers' first visits in the browser, one round, slowest "
             f"first (the empty page: {result.empty[scale]['visit']:.0f} ms).", "",
             "| page | visit | ms | interaction | kB | meets the visit target |", "|---|---|---|---|---|---|"]
    for row in rows:
        lines.append(f"| {row.page} | {row.visit:.2f} | {row.visit_ms:.0f} | "
                     + (f"{row.interaction:.2f}" if row.interaction is not None else "–")
                     + f" | {row.bytes / 1000:.0f} | " + ("yes" if row.visit <= TARGET_VISIT else "**no**") + " |")
    return lines
