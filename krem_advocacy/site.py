"""The app's map: its pages, which page shows each kind of record, and the one place links are made.

No Streamlit here: pages (through `ui.links`), exports, the calendar feed and e-mails all build
their links with `record_path` and `link_params`, so `?lang=` and the record parameters are added alike.
"""

from pathlib import Path

from krem_advocacy.text.i18n import DEFAULT_LANGUAGE

# (key, script path relative to app.py, icon). The file name is the URL: /hoeringer?id=5.
PAGES = [
    ("home", "app.py", ":material/dashboard:"),
    ("mine", "pages/mitt_ansvar.py", ":material/assignment_ind:"),
    ("saker", "pages/saker.py", ":material/topic:"),
    ("hoeringer", "pages/hoeringer.py", ":material/gavel:"),
    ("budget", "pages/statsbudsjett.py", ":material/account_balance:"),
    ("meetings", "pages/moeter.py", ":material/groups:"),
    ("organisations", "pages/organisasjoner.py", ":material/corporate_fare:"),
    ("report", "pages/rapport.py", ":material/summarize:"),
    ("data", "pages/data.py", ":material/database:"),
    ("audit", "pages/endringslogg.py", ":material/history:"),
    ("admin", "pages/administrasjon.py", ":material/admin_panel_settings:"),
]
PAGE_SCRIPTS = {key: script for key, script, _ in PAGES}
# The easy-read choice in a link (?lettlest=1), kept like the language (ui/page.py).
EASY_READ_PARAM = "lettlest"
# Pages listed in the menu only for those who edit (they say nothing to a reader).
EDITOR_PAGES = ("mine",)
# Pages reached from others but not listed in the menu.
SEARCH_SCRIPT = "pages/sok.py"

# Which page shows a record of each table (deep links: <page>?id=<id>).
RECORD_PAGES = {
    "saker": "saker",
    "hoeringer": "hoeringer",
    "budget_inputs": "budget",
    "meetings": "meetings",
    "organisations": "organisations",
    "budget_years": "budget",
}

# The link parameter per table when it is not `id`: a budget year's record opens the year view
# (?year_id=<budget_years.id>; people share ?year=2027, which the page reads too). People open on the
# organisations page as ?person=<id>.
RECORD_PARAMS = {"budget_years": "year_id", "people": "person"}
RECORD_SCRIPTS = {"people": "pages/organisasjoner.py"}


def link_params(lang: str, **params) -> dict[str, str]:
    """Link parameters with the language added when it is not the default (Bokmål links stay short)."""
    shown = {key: str(value) for key, value in params.items() if value is not None}
    if lang != DEFAULT_LANGUAGE:
        shown["lang"] = lang
    return shown


def record_script(table: str) -> str:
    """The page script that shows a record of `table`."""
    return RECORD_SCRIPTS.get(table) or PAGE_SCRIPTS[RECORD_PAGES[table]]


def record_params(table: str, record_id: int, lang: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """The link parameters that open one record (`{"id": "5"}`, and the language)."""
    return link_params(lang, **{RECORD_PARAMS.get(table, "id"): int(record_id)})


def record_path(table: str, record_id: int, lang: str = DEFAULT_LANGUAGE) -> str:
    """The deep link path of a record, e.g. `hoeringer?id=5` (relative to the app's root)."""
    script = record_script(table)
    slug = "" if script == "app.py" else Path(script).stem
    query = "&".join(f"{key}={value}" for key, value in record_params(table, record_id, lang).items())
    return f"{slug}?{query}"
