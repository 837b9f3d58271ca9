"""An editor prepares a Kontaktutvalg meeting in a real browser: the meeting, three agenda items, a tilsagn,
the Word brief; and a tilsagn stays open on the next meeting until its status changes."""

import re
import sqlite3
from datetime import date, timedelta

import docx
import pytest
from playwright.sync_api import Page, expect

from krem_advocacy.domain.bootstrap import ensure_database
from tests.helpers import served

TIMEOUT = 30_000


@pytest.fixture(scope="module")
def editor_server(tmp_path_factory):
    """A server of its own (fresh demo database) where every session is the editor «Test Redaktør»."""
    db_path = tmp_path_factory.mktemp("meetings") / "meetings.db"
    ensure_database(db_path)  # made here, so the tests can read it before the first page is drawn
    with served(db_path, env={"KREM_DEV_EDITOR": "Test Redaktør"}) as url:
        yield url, db_path


@pytest.fixture
def editor_page(browser, editor_server):
    context = browser.new_context(base_url=editor_server[0], accept_downloads=True, locale="nb-NO",
                                  viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    yield page
    context.close()


def choose(page: Page, scope, label: str, typed: str, option: str | re.Pattern) -> None:
    """Pick an option in a Streamlit selectbox: open it, type to filter, click the option.

    On a busy machine a rerun can close the list while it opens, so try again a few times.
    """
    for attempt in range(3):
        try:
            scope.get_by_label(label, exact=True).click(timeout=10_000)
            page.keyboard.type(typed)
            page.get_by_role("option", name=option).first.click(timeout=10_000)
            return
        except Exception:
            if attempt == 2:
                raise
            page.keyboard.press("Escape")


def open_form(page: Page, expander: str, button: str):
    """Open the expander holding a form (unless it stayed open) and return the form."""
    form = form_of(page, button)
    if not form.first.is_visible():
        page.get_by_text(expander, exact=True).first.click()
    expect(form.first).to_be_visible()
    return form.first


def form_of(page: Page, button: str):
    """The form holding a submit button with this label."""
    return page.get_by_test_id("stForm").filter(has=page.get_by_role("button", name=button, exact=True))


def shown(page: Page, text: str):
    """A paragraph showing this text (not the same words in a form's text area)."""
    return page.locator("p", has_text=text).first


def query(db_path, sql, params=()):
    with sqlite3.connect(db_path) as conn:
        return conn.execute(sql, params).fetchall()


def test_editor_builds_a_ku_meeting_and_downloads_its_word_brief(editor_page: Page, editor_server, tmp_path):
    page, db_path = editor_page, editor_server[1]
    day = date.today() + timedelta(days=5)  # before the demo's next KU meeting (in 18 days)
    page.goto("/moeter")
    expect(page.get_by_role("heading", name="Møter", exact=True)).to_be_visible(timeout=TIMEOUT)

    # The meeting, through the form.
    page.get_by_text("Nytt møte", exact=True).click()
    page.get_by_label("Tittel", exact=True).fill("KU – sosialt entreprenørskap og høstens budsjett")
    page.get_by_role("spinbutton", name="day, Dato").click()
    page.keyboard.type(day.strftime("%d%m%Y"))
    page.get_by_label("Sted", exact=True).fill("Arbeids- og inkluderingsdepartementet")
    choose(page, page, "Møteleder", "Kari", re.compile("^Kari Eksempelsen"))
    page.get_by_role("button", name="Lagre", exact=True).click()
    expect(page.get_by_role("heading", name="KU – sosialt entreprenørskap og høstens budsjett")).to_be_visible(
        timeout=TIMEOUT)
    assert "id=" in page.url
    expect(page.get_by_text("Ingen punkter på dagsorden ennå.")).to_be_visible()

    # Three agenda items: a sak, a høring and a budget input, with who gives the innlegg.
    items = [
        ("Sak", "arbeidsgiveravgiften", "Sosialt entreprenørskap – fjerne arbeidsgiveravgiften", "KREM"),
        ("Høring", "vintertillegg", "Høring – midlertidig vintertillegg i økonomisk sosialhjelp for barnefamilier",
         "AFFO"),
        ("Budsjettinnspill", "Overgangsstønad", "Overgangsstønad til enslige forsørgere", "Velferdsalliansen"),
    ]
    for number, (label, typed, title, speaker) in enumerate(items, start=1):
        form = open_form(page, "Legg til punkt på dagsorden", "Legg til punkt på dagsorden")
        choose(page, form, label, typed, re.compile(re.escape(typed)))
        choose(page, form, "Innlegg ved organisasjon", speaker, re.compile(re.escape(speaker)))
        form.get_by_role("button", name="Legg til punkt på dagsorden").click()
        expect(page.get_by_text(f"{number}. {title}", exact=True)).to_be_visible(timeout=TIMEOUT)

    # A tilsagn given under the first item.
    form = open_form(page, "Registrer tilsagn", "Registrer tilsagn")
    form.get_by_label("Hva lovet regjeringen?").fill("Statsråden vil utrede fritak for arbeidsgiveravgift.")
    choose(page, form, "Under punkt", "1.", re.compile("^1\\. Sosialt"))
    choose(page, form, "Hvem i regjeringen", "Kari", re.compile("^Kari Eksempelsen"))
    form.get_by_role("button", name="Registrer tilsagn").click()
    expect(shown(page, "Statsråden vil utrede fritak for arbeidsgiveravgift.")).to_be_visible(timeout=TIMEOUT)
    meeting_id = query(db_path, "SELECT id FROM meetings WHERE title LIKE 'KU – sosialt%'")[0][0]
    assert query(db_path, "SELECT status, responsible_org_id IS NOT NULL, sak_id IS NOT NULL FROM tilsagn "
                          "WHERE meeting_id = ?", [meeting_id]) == [("aapen", 1, 1)]

    # The Word brief.
    with page.expect_download() as download:
        page.get_by_role("button", name="Last ned Word (.docx)").first.click()
    assert download.value.suggested_filename.startswith(f"forberedelse-{day.isoformat()}-ku-sosialt")
    saved = tmp_path / "brief.docx"
    download.value.save_as(saved)
    text = "\n".join(p.text for p in docx.Document(str(saved)).paragraphs)
    assert "Forberedelse: KU – sosialt entreprenørskap og høstens budsjett" in text
    for number, (_, _, title, _) in enumerate(items, start=1):
        assert f"{number}. {title}" in text
    # The earlier history of the items' saker: KREM's innlegg in KU 10.05.2017 and its (broken) promise.
    assert "10.05.2017 Kontaktutvalget – barnefattigdom – «Sosialt entreprenørskap som verktøy mot fattigdom»" \
        in text
    assert "Ikke innfridd: «Departementet vil se nærmere på rammevilkårene for sosiale entreprenører.»" in text
    assert "Statsråden vil utrede fritak for arbeidsgiveravgift." in text  # the tilsagn given in the meeting

    # The print-friendly view shows the same brief without the sidebar.
    page.get_by_role("link", name="Vis utskriftsvennlig").click()
    expect(page.get_by_role("heading", name=re.compile("^Forberedelse: KU – sosialt"))).to_be_visible(
        timeout=TIMEOUT)
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()


def test_a_tilsagn_shows_as_open_on_the_next_meeting_until_its_status_changes(editor_page: Page, editor_server):
    page, db_path = editor_page, editor_server[1]
    # The last KU meeting held, and the first one coming up.
    earlier = query(db_path, "SELECT id, title FROM meetings WHERE kind = 'ku' AND starts_at < date('now') "
                             "ORDER BY starts_at DESC LIMIT 1")[0]
    following = query(db_path, "SELECT id, title FROM meetings WHERE kind = 'ku' AND starts_at >= date('now') "
                               "ORDER BY starts_at LIMIT 1")[0]
    promise = "Departementet vil sende forumet et svar om bostøtten før neste møte."

    page.goto(f"/moeter?id={earlier[0]}")
    expect(page.get_by_role("heading", name=earlier[1])).to_be_visible(timeout=TIMEOUT)
    form = open_form(page, "Registrer tilsagn", "Registrer tilsagn")
    form.get_by_label("Hva lovet regjeringen?").fill(promise)
    form.get_by_role("button", name="Registrer tilsagn").click()
    expect(shown(page, promise)).to_be_visible(timeout=TIMEOUT)

    tilsagn_id = query(db_path, "SELECT id FROM tilsagn WHERE text = ?", [promise])[0][0]

    # On the next meeting it is due: open, with a link back to where it was given.
    page.goto(f"/moeter?id={following[0]}")
    expect(page.get_by_role("heading", name=following[1])).to_be_visible(timeout=TIMEOUT)
    due = page.locator(f".st-key-due_{tilsagn_id}")
    expect(due.locator("p", has_text=promise)).to_be_visible()
    expect(due.get_by_text("Åpen", exact=True).first).to_be_visible()
    expect(due.get_by_role("link", name=f"Gitt i {earlier[1]}", exact=False)).to_be_visible()

    # Followed up (asked about here, not yet delivered): still open, and noted as taken up in this meeting.
    choose(page, due, "Status", "Fulgt", "Fulgt opp")
    due.get_by_text("Tatt opp i dette møtet").click()
    due.get_by_role("button", name="Lagre").click()
    taken = page.locator(f".st-key-taken_{tilsagn_id}")
    expect(taken.get_by_text("Fulgt opp", exact=True).first).to_be_visible(timeout=TIMEOUT)
    expect(due.get_by_text("Fulgt opp", exact=True).first).to_be_visible()
    assert query(db_path, "SELECT status, followed_up_meeting_id FROM tilsagn WHERE id = ?", [tilsagn_id]) == [
        ("fulgt_opp", following[0])]

    # Delivered: it leaves the open tilsagn on the next meeting.
    choose(page, due, "Status", "Innfridd", "Innfridd")
    due.get_by_role("button", name="Lagre").click()
    expect(taken.get_by_text("Innfridd", exact=True).first).to_be_visible(timeout=TIMEOUT)
    expect(due).to_have_count(0)
    page.reload()
    expect(page.get_by_role("heading", name=following[1])).to_be_visible(timeout=TIMEOUT)
    expect(page.locator(f".st-key-taken_{tilsagn_id}")).to_be_visible()
    expect(page.locator(f".st-key-due_{tilsagn_id}")).to_have_count(0)
    assert query(db_path, "SELECT status FROM tilsagn WHERE id = ?", [tilsagn_id]) == [("innfridd",)]
