"""Keyboard only, in a real browser: an editor adds a høring, opens it from the deadline list and downloads
the calendar without touching the mouse, and every control the Tab key reaches shows where the focus is."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.helpers import heading, served

# What the focused element is and whether a focus indicator is drawn on it (an outline or a ring).
FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  const ring = style.boxShadow && style.boxShadow !== 'none';
  const label = el.getAttribute('aria-label') || (el.labels && el.labels[0] && el.labels[0].innerText)
    || el.innerText || el.getAttribute('title') || el.tagName;
  return {name: label.trim().slice(0, 120), shown: Boolean(outline || ring), sized: box.width > 0 && box.height > 0,
          tag: el.tagName, role: el.getAttribute('role') || ''};
}"""


@pytest.fixture(scope="module")
def keyboard_url(tmp_path_factory):
    """A server of its own where every session is an editor, on a fresh demo database."""
    with served(tmp_path_factory.mktemp("keyboard") / "keyboard.db",
                env={"KREM_DEV_EDITOR": "Tastatur Test"}) as url:
        yield url


@pytest.fixture
def keyboard(browser, keyboard_url):
    context = browser.new_context(base_url=keyboard_url, locale="nb-NO", viewport={"width": 1280, "height": 900},
                                  accept_downloads=True)
    yield context.new_page()
    context.close()


# The app's focus ring (ui/scripts.STYLE) arrives a moment after the page's heading: tabbing starts after it.
STYLED = """() => [...document.querySelectorAll('style')].some(s => s.textContent.includes(':focus-visible { outline: 3px'))
  && document.querySelector('[data-testid="stApp"]')?.getAttribute('data-test-script-state') === 'notRunning'"""


def open_hoeringer(page: Page) -> None:
    """Open the Høringer page and wait until it has finished drawing, its focus ring style included."""
    page.goto("/hoeringer")
    expect(heading(page, "Høringer")).to_be_visible(timeout=30_000)
    page.wait_for_function(STYLED, timeout=30_000)


def tab_to(page: Page, name: str | re.Pattern, seen: list, limit: int = 300) -> dict:
    """Press Tab until the focused element's name matches; every stop on the way must show its focus."""
    pattern = name if isinstance(name, re.Pattern) else re.compile(re.escape(name))
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS)
        if focused is None:
            continue
        seen.append(focused)
        assert focused["shown"] and focused["sized"], f"no visible focus on {focused}"
        if pattern.search(focused["name"]):
            return focused
    raise AssertionError(f"Tab never reached {pattern.pattern!r}; last stops: {[(f['name'][:40], f['tag'], f['role']) for f in seen[-30:]]}")


def test_keyboard_only_adds_a_hoering_opens_it_from_the_deadlines_and_downloads_the_calendar(keyboard: Page):
    page = keyboard
    seen: list = []
    title = "Høring – tastaturtest"
    deadline = date.today() + timedelta(days=5)
    open_hoeringer(page)

    # Open the «Ny høring» form and fill in the title and the deadline.
    tab_to(page, re.compile(r"(^|\n)Ny høring$"), seen)
    page.keyboard.press("Enter")
    expect(page.get_by_label("Tittel *")).to_be_visible(timeout=20_000)
    tab_to(page, re.compile(r"^Tittel"), seen)
    page.keyboard.type(title)
    tab_to(page, re.compile(r"^day, Høringsfrist$"), seen)
    page.keyboard.type(deadline.strftime("%d%m%Y"))
    tab_to(page, re.compile(r"Lagre høringen"), seen)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=title)).to_be_visible(timeout=30_000)

    # Back to the list, and open it from the deadline list.
    open_hoeringer(page)
    chip = page.locator(".st-key-hoering_bucket_this_week").get_by_text("Innen 7 dager · om 5 dager").first
    expect(chip).to_be_visible(timeout=20_000)  # the urgency in words, not only in colour
    tab_to(page, re.compile("(^|\n)" + re.escape(title) + "$"), seen)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=title)).to_be_visible(timeout=30_000)

    # Download the calendar file from the Høringer page's calendar popover.
    open_hoeringer(page)
    download_button = page.get_by_role("button", name=re.compile("Last ned kalenderfil"))
    for attempt in range(3):
        # Start when the page has finished drawing: a run still going redraws the popover and closes it.
        expect(page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]')).to_be_attached(
            timeout=30_000)
        tab_to(page, re.compile(r"(^|\n)Kalender(\n|$)"), seen)
        page.keyboard.press("Enter")
        try:
            expect(download_button).to_be_visible(timeout=10_000)
            break
        except AssertionError:
            if attempt == 2:
                raise
    tab_to(page, re.compile(r"Last ned kalenderfil"), seen)
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename == "krem-frister.ics"
    with open(download.value.path(), "rb") as file:
        assert title.encode() in file.read().replace(b"\r\n ", b"")
    assert len(seen) > 10  # the journey went through many Tab stops, each of them checked
