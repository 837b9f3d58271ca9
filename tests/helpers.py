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


def literal_forum(db, today: date = TODAY) -> dict:
    """A tiny literal forum: two organisations, a department, a sak, høringer, a budget input, meetings.

    The dates are written as seen from TODAY; another `today` moves every date by the same number of days
    (and the budget year by the years between), so what is overdue, due this week or later stays so.
    Returns the ids by name (krem, affo, bfd, sak, h_overdue, h_week, h_done, h_later, budget, ku_past, item,
    tilsagn, ku_next).
    """
    shift = today - TODAY

    def day(iso: str) -> str:
        return (date.fromisoformat(iso) + shift).isoformat()

    def at(iso: str) -> str:
        on, clock = iso.split("T")
        return f"{day(on)}T{clock}"

    ids = {}
    ids["krem"] = insert(db, "organisations", name="KREM", short_name="KREM", kind="forum_member",
                         member_since=2008, member_status="aktiv")
    ids["affo"] = insert(db, "organisations", name="Aleneforeldreforeningen", short_name="AFFO",
                         kind="forum_member", member_since=2008, member_status="aktiv")
    ids["bfd"] = insert(db, "organisations", name="Barne- og familiedepartementet", short_name="BFD",
                        kind="department")
    ids["sak"] = insert(db, "saker", title="Barnetrygd", status="aktiv", priority="hoey", lead_org_id=ids["affo"])
    ids["h_overdue"] = insert(db, "hoeringer", title="Høring A", department_id=ids["bfd"],
                              published_on=day("2026-01-10"), deadline=day("2026-02-27"),
                              internal_deadline=day("2026-02-20"), our_status="svarer")
    ids["h_week"] = insert(db, "hoeringer", title="Høring B", department_id=ids["bfd"],
                           published_on=day("2026-02-20"), deadline=day("2026-03-06"),
                           internal_deadline=day("2026-02-27"), our_status="til_vurdering")
    ids["h_done"] = insert(db, "hoeringer", title="Høring C", department_id=ids["bfd"],
                           published_on=day("2025-09-01"), deadline=day("2025-12-01"),
                           submitted_on=day("2025-11-20"), our_status="levert")
    ids["h_later"] = insert(db, "hoeringer", title="Høring D", department_id=ids["bfd"],
                            published_on=day("2026-02-01"), deadline=day("2026-05-15"), our_status="innkommet")
    insert(db, "hoering_saker", hoering_id=ids["h_done"], sak_id=ids["sak"])
    ids["budget"] = insert(db, "budget_inputs", title="Frivillig arbeid", budget_year=2027 + today.year - TODAY.year,
                           phase="prop1s", chapter="621", post="70", ask_amount=1_500_000, prop_amount=1_000_000,
                           sent_on=day("2025-10-15"), hearing_application_deadline=day("2026-03-20"),
                           hearing_on=day("2026-03-27"))
    insert(db, "budget_input_saker", budget_input_id=ids["budget"], sak_id=ids["sak"])
    ids["ku_past"] = insert(db, "meetings", title="KU januar", kind="ku", starts_at=at("2026-01-12T12:00"))
    ids["item"] = insert(db, "agenda_items", meeting_id=ids["ku_past"], position=1, title="Barnetrygden",
                         sak_id=ids["sak"], speaker_org_id=ids["affo"])
    ids["tilsagn"] = insert(db, "tilsagn", meeting_id=ids["ku_past"], sak_id=ids["sak"],
                            text="Vil se på satsene", status="aapen")
    ids["ku_next"] = insert(db, "meetings", title="KU mars", kind="ku", starts_at=at("2026-03-16T12:00"),
                            prep_deadline=day("2026-03-09"))
    db.conn.commit()
    return ids


def rows(frame, columns) -> list[tuple]:
    """The rows (a frame, or a record's children as dicts) in these columns as tuples; empty cells as None."""
    if isinstance(frame, list):
        return [tuple(r[c] for c in columns) for r in frame]
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
                raise RuntimeError("streamlit did not start: " + (db_path.parent / "streamlit.log").read_text()) from None
            time.sleep(0.1)


def heading(page, name: str, exact: bool = True):
    """The first heading called `name` on a Playwright page."""
    return page.get_by_role("heading", name=name, exact=exact).first
