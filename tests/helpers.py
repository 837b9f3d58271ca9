"""Shared test helpers: the page opener for AppTest, what a page says, literal rows, spreadsheets, the server.

Test modules import from here (never from another test module, nor from a conftest); fixtures live in
tests/conftest.py, which imports what it needs from here too.
"""

import contextlib
import dataclasses
import http.server
import io
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import date, datetime
from pathlib import Path

import openpyxl
from streamlit.testing.v1 import AppTest

from krem_advocacy.store import migrations
from krem_advocacy.store.permissions import VIEWER as _VIEWER
from krem_advocacy.store.permissions import Actor
from tools.serving import streamlit_server

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

def free_port() -> int:
    """A loopback port nobody listens on now (for servers a test starts, or a closed port it needs)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db_path: Path, entry: str | None = None, env: dict | None = None):
    """Start `streamlit run` on a free loopback port; return (process, url) once it answers."""
    entry = entry or ("serve.py" if (ROOT / "serve.py").exists() else "app.py")
    port = free_port()
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


@contextlib.contextmanager
def served(db_path: Path, entry: str | None = None, env: dict | None = None):
    """`start_server` as a block (tools.serving.streamlit_server): yields the url; the server is stopped when the
    block ends, also on an error."""
    entry = entry or ("serve.py" if (ROOT / "serve.py").exists() else "app.py")
    with streamlit_server(entry, db_path, extra_env=env) as (url, _):
        yield url


def heading(page, name: str, exact: bool = True):
    """The first heading called `name` on a Playwright page."""
    return page.get_by_role("heading", name=name, exact=exact).first


def report_forum(db, year: int = 2025) -> dict:
    """Two years of a small forum for the influence report: `year` (the report's) and the year before.

    Two member organisations (KREM, AFFO), two departments, three saker, høringer answered alone and
    jointly (one archived after delivery, one internal, one not answered), KU meetings with innlegg and
    tilsagn (one meeting internal), a forum meeting, and budget inputs (two on the same kap./post).
    Returns the ids by name. The expected figures are written out in tests/test_report.py.
    """
    y, p = str(year), str(year - 1)
    ids = {}
    for code, nb, en, order in (("barn", "Barn i fattige familier", "Children in poor families", 1),
                                ("arbeid", "Et mer inkluderende arbeidsliv", "A more inclusive working life", 2)):
        insert(db, "themes", code=code, label_nb=nb, label_en=en, origin="forum", sort_order=order)
    ids["krem"] = insert(db, "organisations", name="KREM", short_name="KREM", kind="forum_member")
    ids["affo"] = insert(db, "organisations", name="Aleneforeldreforeningen", short_name="AFFO", kind="forum_member")
    ids["bfd"] = insert(db, "organisations", name="Barne- og familiedepartementet", short_name="BFD", kind="department")
    ids["aid"] = insert(db, "organisations", name="Arbeids- og inkluderingsdepartementet", short_name="AID",
                        kind="department")
    ids["kari"] = insert(db, "people", name="Kari Rapportsen", side="forum", organisation_id=ids["krem"])
    ids["ola"] = insert(db, "people", name="Ola Statsråd", side="government", organisation_id=ids["aid"])
    ids["barnetrygd"] = insert(db, "saker", title="Barnetrygden", theme_code="barn", lead_org_id=ids["affo"])
    ids["arbeid"] = insert(db, "saker", title="Arbeid for alle", theme_code="arbeid", lead_org_id=ids["krem"])
    ids["bolig"] = insert(db, "saker", title="Bolig", lead_org_id=ids["krem"])

    def hoering(key, title, department, submitted=None, answer_type=None, lead=None, status="levert",
                cosigners=(), sak=None, **extra):
        ids[key] = insert(db, "hoeringer", title=title, department_id=ids[department], submitted_on=submitted,
                          answer_type=answer_type, lead_org_id=ids[lead] if lead else None, our_status=status,
                          **extra)
        for org in cosigners:
            insert(db, "hoering_cosigners", hoering_id=ids[key], organisation_id=ids[org])
        if sak:
            insert(db, "hoering_saker", hoering_id=ids[key], sak_id=ids[sak])

    hoering("h_barnetrygd", "Høring – Barnetrygd", "bfd", f"{y}-03-10", "med_merknad", "affo", cosigners=["krem"],
            sak="barnetrygd", result="Satsen ble økt fra 1. januar.", deadline=f"{y}-03-15")
    hoering("h_sosial", "Høring – Sosialtjenesteloven", "aid", f"{y}-06-01", "med_merknad", "krem", sak="arbeid",
            deadline=f"{y}-06-05")
    hoering("h_nav", "Høring – NAV-kontorene", "aid", f"{y}-09-15", "uten_merknad", "affo", status="arkivert",
            deadline=f"{y}-09-20")
    hoering("h_intern", "Høring – Intern vurdering", "aid", f"{y}-10-01", "med_merknad", "krem", is_internal=1,
            deadline=f"{y}-10-10")
    hoering("h_ikke", "Høring – Ikke besvart", "bfd", lead="krem", status="svarer_ikke", deadline=f"{y}-05-01",
            sak="bolig")
    hoering("h_for", "Høring – Forrige år", "aid", f"{p}-04-01", "med_merknad", "krem", deadline=f"{p}-04-10")

    def meeting(key, title, starts_at, kind="ku", **extra):
        ids[key] = insert(db, "meetings", title=title, kind=kind, starts_at=starts_at, **extra)

    def item(key, meeting_key, position, title, sak=None, org=None, person=None):
        ids[key] = insert(db, "agenda_items", meeting_id=ids[meeting_key], position=position, title=title,
                          sak_id=ids[sak] if sak else None, speaker_org_id=ids[org] if org else None,
                          speaker_person_id=ids[person] if person else None)

    def tilsagn(key, meeting_key, text, status, item_key=None, sak=None, followed=None):
        ids[key] = insert(db, "tilsagn", meeting_id=ids[meeting_key], text=text, status=status,
                          agenda_item_id=ids[item_key] if item_key else None, sak_id=ids[sak] if sak else None,
                          responsible_person_id=ids["ola"], followed_up_meeting_id=ids[followed] if followed else None)

    meeting("ku_feb", "KU februar", f"{y}-02-10T12:00", themes="barnefattigdom, arbeid", chair_person_id=ids["ola"])
    meeting("ku_jun", "KU juni", f"{y}-06-15T12:00", themes="arbeidsliv")
    meeting("ku_intern", "KU internt", f"{y}-09-01T12:00", is_internal=1)
    meeting("forum_mar", "Forummøte mars", f"{y}-03-01T10:00", kind="forum")
    meeting("ku_for", "KU november", f"{p}-11-20T12:00")
    item("i_barnetrygd", "ku_feb", 1, "Barnetrygden må opp", sak="barnetrygd", org="affo")
    item("i_arbeid", "ku_feb", 2, "Arbeidsgiveravgift for sosiale entreprenører", sak="arbeid", person="kari")
    item("i_jun", "ku_jun", 1, "Lønnstilskudd", sak="arbeid", org="krem")
    item("i_intern", "ku_intern", 1, "Internt punkt", sak="arbeid", org="krem")
    item("i_forum", "forum_mar", 1, "Forberedelse", sak="bolig", org="krem")
    item("i_for", "ku_for", 1, "Barnetrygd i fjor", sak="barnetrygd", org="affo")
    tilsagn("t_satser", "ku_feb", "Vil vurdere satsene", "innfridd", "i_barnetrygd", "barnetrygd", "ku_jun")
    tilsagn("t_avgift", "ku_feb", "Skal se på arbeidsgiveravgiften", "aapen", "i_arbeid", "arbeid")
    tilsagn("t_lonn", "ku_jun", "Lønnstilskuddet videreføres", "ikke_innfridd", "i_jun", "arbeid")
    tilsagn("t_brev", "ku_jun", "Sender et brev om barnetrygden", "fulgt_opp", None, "barnetrygd")
    tilsagn("t_intern", "ku_intern", "Internt tilsagn", "innfridd", "i_intern", "arbeid")
    tilsagn("t_for", "ku_for", "Tilsagn i fjor", "innfridd", "i_for", "barnetrygd")

    def budget_input(key, title, budget_year, chapter, post, ask, prop, adopted, outcome, sent, lead,
                     cosigners=(), sak=None, phase="vedtatt"):
        ids[key] = insert(db, "budget_inputs", title=title, budget_year=budget_year, phase=phase, chapter=chapter,
                          post=post, ask_amount=ask, prop_amount=prop, adopted_amount=adopted, outcome=outcome,
                          sent_on=sent, lead_org_id=ids[lead], recipient_org_id=ids["aid"],
                          chapter_name="Tilskudd til sosial inkludering" if chapter == "621" else None)
        for org in cosigners:
            insert(db, "budget_input_cosigners", budget_input_id=ids[key], organisation_id=ids[org])
        if sak:
            insert(db, "budget_input_saker", budget_input_id=ids[key], sak_id=ids[sak])

    budget_input("b_frivillig", "Frivillig arbeid", year + 1, "621", "70", 5_000_000, 3_000_000, 4_000_000, "delvis",
                 f"{y}-03-01", "krem", cosigners=["affo"], sak="arbeid", phase="vaarinnspill")
    budget_input("b_horing", "Frivillig arbeid – budsjetthøringen", year + 1, "621", "70", 5_000_000, 3_000_000,
                 4_000_000, "delvis", f"{y}-10-25", "krem", phase="budsjetthoering")
    budget_input("b_barn", "Barnetillegg", year + 1, "846", "70", 2_000_000, 2_000_000, 2_000_000, "innfridd",
                 f"{y}-10-20", "affo", sak="barnetrygd")
    budget_input("b_for", "Frivillig arbeid i fjor", year, "621", "70", 4_000_000, 3_000_000, 3_000_000, "ikke",
                 f"{p}-04-01", "krem")
    db.conn.commit()
    return ids


# ---- outside sources served on loopback -----------------------------------------------------------

STORTINGET_FIXTURES = ROOT / "tests" / "fixtures" / "stortinget"


# The regjeringen.no consultation feed as the tests serve it on loopback (fixture_server).
FEED_PATH = "/no/dokument/hoyringar/id1763/?show=rss"
FEED_ROUTES = {FEED_PATH: (200, (ROOT / "tests" / "fixtures" / "regjeringen_hoeringer.rss").read_bytes(),
                           "application/rss+xml; charset=utf-8")}


@contextlib.contextmanager
def fixture_server(routes: dict[str, tuple[int, bytes, str]]):
    """Serve fixed answers on a free loopback port: routes map «/path?query» to (status, body, content type);
    anything else is 404. Yields the base address (http://127.0.0.1:<port>); `seen` on it lists what was asked."""

    asked: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the standard library's name)
            asked.append(self.path)
            status, body, kind = routes.get(self.path) or routes.get(self.path.split("&format=")[0]) or (
                404, b"not found", "text/plain")
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield FixtureServer(f"http://127.0.0.1:{server.server_address[1]}", asked)
    finally:
        server.shutdown()
        server.server_close()


@dataclasses.dataclass
class FixtureServer:
    url: str
    seen: list


def shifted_storting_dates(body: bytes, days: int) -> bytes:
    """A Storting JSON export with every real /Date(ms…)/ moved by `days` (sentinels stay), so a fixture's
    deadlines can lie ahead of whatever day a page test runs on."""
    def move(match):
        millis = int(match.group(1))
        if millis < 0:
            return match.group(0)
        return f"/Date({millis + days * 86_400_000}{match.group(2) or ''})/"
    return re.sub(r"/Date\((-?\d+)([+-]\d{4})?\)/", move, body.decode("utf-8")).encode("utf-8")
