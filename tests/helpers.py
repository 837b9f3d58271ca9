"""Shared test helpers: the page opener for AppTest, what a page says, literal rows, spreadsheets, the server.

Test modules import from here (never from another test module, nor from a conftest); fixtures live in
tests/conftest.py, which imports what it needs from here too.
"""

import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date, datetime
from pathlib import Path

import openpyxl
from streamlit.testing.v1 import AppTest

from krem_advocacy.store import migrations
from krem_advocacy.store.permissions import VIEWER as _VIEWER
from krem_advocacy.store.permissions import Actor

ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2026, 3, 2)  # a fixed Monday for literal expectations

# The actors of the tests. Tests take them as fixtures (`editor`, `other_editor`, `admin`, `viewer` in
# tests/conftest.py); these names are for what is decided when a module is read (parametrize, tables).
EDITOR = Actor("Test Redaktør", "editor")
OTHER_EDITOR = Actor("Per", "editor")
ADMIN = Actor("Test Admin", "admin")
VIEWER = _VIEWER  # Actor("anonym", "viewer"), the one a visitor who has not signed in is


# ---- literal records ------------------------------------------------------------------------------

def insert(db, table: str, **values) -> int:
    """Insert one literal row (timestamps filled in for record tables); return its id."""
    if table in migrations.RECORD_TABLES:
        values = {"created_at": "2026-01-01T00:00:00+00:00", "updated_at": "2026-01-01T00:00:00+00:00",
                  **values}
    columns = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    return db.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(values.values())).lastrowid


def rows(frame, columns) -> list[tuple]:
    """The frame's rows in these columns as tuples; empty cells (NaN in pandas) as None."""
    return [tuple(None if v != v else v for v in r) for r in frame[columns].itertuples(index=False)]


# ---- pages through AppTest ------------------------------------------------------------------------

def open_page(page: str | None = None, actor: Actor | None = None, *, secrets: dict | None = None,
              state: dict | None = None, timeout: int = 60, **params) -> AppTest:
    """Run app.py, then switch to `page` (e.g. "pages/hoeringer.py"; None or "app.py" stays home).

    `actor` is who is signed in (None: a visitor who is not), `secrets` the app's secrets, `state`
    more session state, `params` the query parameters; all set before the first run.
    """
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    for key, value in (secrets or {}).items():
        at.secrets[key] = value
    if actor is not None:
        at.session_state["actor"] = actor
    for key, value in (state or {}).items():
        at.session_state[key] = value
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page and page != "app.py":
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> str:
    """Everything a user reads on the page (titles, text, captions, messages), as one string."""
    parts = [e.value for kind in ("title", "subheader", "markdown", "caption", "info", "warning", "success",
                                  "error")
             for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts).replace("\\", "")


def open_box(at: AppTest, *keys: str) -> AppTest:
    """Open the expanders with these keys (their forms are drawn only while open) and run."""
    for key in keys:
        at.session_state[key] = True
    return at.run()


def show_tab(at: AppTest, view: str, lang: str = "nb") -> AppTest:
    """Choose a tab of the Høringer list page (only the chosen tab is drawn) and run."""
    from krem_advocacy.text import i18n
    from krem_advocacy.ui.hoeringer import TAB_ICONS, VIEW_KEY

    at.session_state[VIEW_KEY] = f"{TAB_ICONS[view]} {i18n.t('hoeringer.tab.' + view, lang)}"
    return at.run()


# ---- spreadsheets ---------------------------------------------------------------------------------

HEADINGS = ["Tittel", "Departement", "Publisert", "Høringsfrist", "Vår ref.", "Lenke", "Status"]


def xlsx(rows: list[list], headings: list[str] = HEADINGS, title_row: str | None = None) -> bytes:
    """An Excel file made with openpyxl: an optional title line, a heading row, then the rows."""
    book = openpyxl.Workbook()
    sheet = book.active
    if title_row:
        sheet.append([title_row])
    sheet.append(headings)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def thousand_rows(bad: bool) -> list[list]:
    """A thousand høringer under HEADINGS; with `bad`, rows 101, 501 and 901 of the file are wrong."""
    rows = []
    for i in range(1000):
        rows.append([f"Høring – forslag nummer {i}", "BFD" if i % 2 else "Arbeids- og inkluderingsdepartementet",
                     datetime(2025, 1, 1 + i % 28), f"{1 + i % 28:02d}.06.2025", f"25/{1000 + i}",
                     f"https://www.regjeringen.no/no/dokumenter/forslag-{i}/id{3000000 + i}/", "På høring"])
    if bad:
        rows[99][3] = "31.02.2025"  # line 101: no such date
        rows[499][1] = "Finnesikkedepartementet"  # line 501: unknown department
        rows[899][0] = None  # line 901: no title
    return rows


# ---- a real server for the browser tests ----------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db_path: Path, entry: str | None = None, env: dict | None = None):
    """Start `streamlit run` on a free loopback port; return (process, url) once it answers."""
    entry = entry or ("serve.py" if (ROOT / "serve.py").exists() else "app.py")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = open(db_path.parent / "streamlit.log", "wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", entry, "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=ROOT, env={**os.environ, "KREM_DB": str(db_path), **(env or {})}, stdout=log, stderr=log)
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=1):
                return proc, url
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError("streamlit did not start: " + (db_path.parent / "streamlit.log").read_text())
            time.sleep(0.1)


def heading(page, name: str, exact: bool = True):
    """The first heading called `name` on a Playwright page."""
    return page.get_by_role("heading", name=name, exact=exact).first
