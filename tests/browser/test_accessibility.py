"""The accessibility audit: axe-core (WCAG 2.0/2.1 A and AA) on every page and one record of each kind.

Every page of `site.PAGES` (so a page added there is audited without touching this file), the search
page and one record of each kind, in Bokmål and English, as a viewer and as an editor, each at 1280 and
390 pixels wide. To stay within about four minutes on a shared two-core machine, each view is seen as a
viewer in one language and as an editor in the other, alternating from view to view (so every view is
audited in both languages and both roles); `pytest --axe-every-language` runs all four pairs. One browser for the whole audit. Two servers on one database, because the role is
fixed per server here (`KREM_DEV_EDITOR`): a sign-in lives in the Streamlit session, which a new address
(a record's deep link) does not keep. Each view also checks `<html lang>`, and that nothing needs
sideways scrolling at 390 px and at 640 px (1280 px at 200 % zoom).

The figures of the last run are written to `accessibility-results.md` beside pytest's temporary folders
(its path is printed); docs/accessibility.md quotes them.
"""

import json
import sqlite3
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from krem_advocacy import site
from krem_advocacy.domain.bootstrap import ensure_database
from tests.helpers import start_server

RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
OPTIONS = {"runOnly": {"type": "tag", "values": RULES}, "resultTypes": ["violations"]}
BLOCKING = ("serious", "critical")
WIDTHS = (1280, 390)
ZOOMED = 640  # 1280 px at 200 % zoom is 640 CSS pixels wide
ROLES = ("viewer", "editor")
LANGS = ("nb", "en")

# Views: every page of the menu, the search page (with a query, its fullest state) and one record of each
# kind that has a page of its own (resolved from the database when the test runs).
PAGE_VIEWS = [f"page:{key}" for key, _, _ in site.PAGES] + ["page:search"]
RECORD_VIEWS = [f"record:{table}" for table in sorted(set(site.RECORD_PAGES) | set(site.RECORD_SCRIPTS))]
VIEWS = PAGE_VIEWS + RECORD_VIEWS
SEARCH_QUERY = "bolig"

# Findings Streamlit itself causes and the app cannot fix from its side: (rule, the element's
# data-testid chain from the page's main areas down, as `described` writes it) -> what would fix it.
# Listed here and in docs/accessibility.md; never hidden: a finding not in this table fails the audit,
# and one in it is still counted and reported.
KNOWN_FINDINGS: dict[tuple[str, str], str] = {}

# The nearest elements with a data-testid, outermost first: names the Streamlit element a node is in
# (axe's own selectors are built from generated class names that change between Streamlit releases).
DESCRIBE = """targets => targets.map(target => {
  const node = document.querySelector(target[target.length - 1]);
  const chain = [];
  for (let el = node; el; el = el.parentElement) {
    const id = el.getAttribute && el.getAttribute('data-testid');
    if (id && !['stMarkdownContainer', 'stVerticalBlock', 'stElementContainer', 'stHorizontalBlock',
                'stLayoutWrapper', 'stColumn', 'stVerticalBlockBorderWrapper'].includes(id)) chain.unshift(id);
    if (['stSidebar', 'stMain', 'stHeader', 'stBottom'].includes(id)) break;
  }
  return chain.join(' > ') || target.join(' ');
})"""

SETTLED = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return app && app.getAttribute('data-test-script-state') === 'notRunning'
    && !document.querySelector('[data-testid="stSkeleton"]')
    && document.querySelector('[data-testid="stMain"] h1') !== null;
}"""

WIDE = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  return [document.documentElement.scrollWidth, window.innerWidth,
          main ? main.scrollWidth : 0, main ? main.clientWidth : 0];
}"""

RESULTS: dict[str, dict] = {}


@pytest.fixture(scope="module")
def audit(tmp_path_factory, browser):
    """(servers by role, the database, one browser context per role) for the whole audit."""
    folder = tmp_path_factory.mktemp("accessibility")
    db_path = folder / "audit.db"
    ensure_database(db_path)  # the demo, as on first start, before either server opens it
    viewer, viewer_url = start_server(db_path)
    (folder / "editor").mkdir()
    editor, editor_url = start_server(folder / "editor" / "audit.db", env={"KREM_DEV_EDITOR": "Tilgjengelighet",
                                                                         "KREM_DB": str(db_path)})
    urls = {"viewer": viewer_url, "editor": editor_url}
    contexts = {role: browser.new_context(base_url=url, viewport={"width": WIDTHS[0], "height": 900},
                                          locale="nb-NO") for role, url in urls.items()}
    pages = {role: context.new_page() for role, context in contexts.items()}
    yield pages, db_path
    for context in contexts.values():
        context.close()
    for proc in (viewer, editor):
        proc.terminate()
        proc.wait(timeout=10)
    _write_results(tmp_path_factory.getbasetemp().parent / "accessibility-results.md")


def _write_results(path: Path) -> None:
    lines = ["| view | role | language | width | serious/critical nodes | moderate/minor nodes | rules |",
             "|---|---|---|---|---|---|---|"]
    for name, result in sorted(RESULTS.items()):
        view, role, lang, width = name.split("|")
        rules = ", ".join(f"{rule} ({count})" for rule, count in sorted(result["rules"].items())) or "–"
        lines.append(f"| {view} | {role} | {lang} | {width} | {result['blocking']} | {result['other']} | {rules} |")
    total = sum(result["blocking"] for result in RESULTS.values())
    lines.append(f"\n{len(RESULTS)} page views, {total} serious or critical nodes.")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (path.with_suffix(".json")).write_text(json.dumps(RESULTS, indent=1, ensure_ascii=False), encoding="utf-8")
    print(f"\naccessibility results: {path}")


def _address(view: str, lang: str, db_path: Path) -> str:
    sort, view = view.split(":")
    if sort == "record":
        with sqlite3.connect(db_path) as conn:
            (record_id,) = conn.execute(f"SELECT min(id) FROM {view}").fetchone()  # noqa: S608 - a fixed table name
        return "/" + site.record_path(view, record_id, lang)
    script = site.SEARCH_SCRIPT if view == "search" else site.PAGE_SCRIPTS[view]
    slug = "" if script == "app.py" else Path(script).stem
    params = site.link_params(lang, q=SEARCH_QUERY if view == "search" else None)
    return "/" + slug + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def _settle(page: Page) -> None:
    page.wait_for_function(SETTLED, timeout=60_000)
    page.wait_for_timeout(300)  # the last element's paint after the script finished
    page.wait_for_function(SETTLED, timeout=60_000)


def _fold_sidebar(page: Page) -> None:
    # As on a phone's first visit: the menu folded away (a narrowed window keeps it open).
    sidebar = page.locator('[data-testid="stSidebar"][aria-expanded="true"]')
    if sidebar.count():
        page.locator('[data-testid="stSidebarCollapseButton"] button').click()
        page.wait_for_function("() => !document.querySelector('[data-testid=\"stSidebar\"][aria-expanded=\"true\"]')")


def _check(page: Page, name: str, problems: list[str]) -> None:
    response = Axe().run(page, options=OPTIONS).response
    blocking = other = 0
    rules: dict[str, int] = {}
    for violation in response["violations"]:
        nodes = violation["nodes"]
        rules[violation["id"]] = rules.get(violation["id"], 0) + len(nodes)
        if violation["impact"] not in BLOCKING:
            other += len(nodes)
            continue
        blocking += len(nodes)
        for node, where in zip(nodes, page.evaluate(DESCRIBE, [n["target"] for n in nodes])):
            if (violation["id"], where) not in KNOWN_FINDINGS:
                problems.append(f"{name}: {violation['id']} ({violation['impact']}) in {where}: "
                                f"{node['html'][:160]} — {node.get('failureSummary', '')[:200]}")
    RESULTS[name] = {"blocking": blocking, "other": other, "rules": rules}


def _no_sideways_scrolling(page: Page, name: str, problems: list[str]) -> None:
    document, window, main, main_visible = page.evaluate(WIDE)
    if document > window + 1 or main > main_visible + 1:
        problems.append(f"{name}: sideways scrolling (page {document} px, main {main} px in {window} px)")


def _pairs(view: str, every_language: bool) -> list[tuple[str, str]]:
    # (role, language) pairs: the viewer in one language, the editor in the other, swapped every other view.
    if every_language:
        return [(role, lang) for role in ROLES for lang in LANGS]
    first, second = LANGS if VIEWS.index(view) % 2 == 0 else LANGS[::-1]
    return [("viewer", first), ("editor", second)]


@pytest.mark.parametrize("view", VIEWS)
def test_every_view_passes_axe_in_both_languages_roles_and_widths(audit, view, pytestconfig):
    pages, db_path = audit
    problems: list[str] = []
    for role, lang in _pairs(view, pytestconfig.getoption("--axe-every-language")):
        page = pages[role]
        page.set_viewport_size({"width": WIDTHS[0], "height": 900})
        page.goto(_address(view, lang, db_path), wait_until="commit")
        _settle(page)
        assert page.locator('[data-testid="stException"]').count() == 0, f"{view} {role} {lang}: an error"
        shown_lang = page.evaluate("document.documentElement.lang")
        if shown_lang != lang:
            problems.append(f"{view} {role} {lang}: <html lang> says {shown_lang!r}")
        _check(page, f"{view}|{role}|{lang}|{WIDTHS[0]}", problems)
        for width in (ZOOMED, *WIDTHS[1:]):
            page.set_viewport_size({"width": width, "height": 900})
            _fold_sidebar(page)
            _settle(page)
            _no_sideways_scrolling(page, f"{view} {role} {lang} {width} px", problems)
            if width in WIDTHS:
                _check(page, f"{view}|{role}|{lang}|{width}", problems)
    assert not problems, "\n".join(problems)
