"""The shared page setup every page calls first: page config, database, language, role, sidebar."""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import streamlit as st

from krem_advocacy import config
from krem_advocacy.text import i18n
from krem_advocacy.store.connection import borrowed, ensure_database, revision
from krem_advocacy.store.records import VIEWER, Actor
from krem_advocacy.ui import auth as auth_ui

# (key, script path relative to app.py, icon). The file name is the URL: /hoeringer?id=5.
PAGES = [
    ("home", "app.py", ":material/dashboard:"),
    ("saker", "pages/saker.py", ":material/topic:"),
    ("hoeringer", "pages/hoeringer.py", ":material/gavel:"),
    ("budget", "pages/statsbudsjett.py", ":material/account_balance:"),
    ("meetings", "pages/moeter.py", ":material/groups:"),
    ("organisations", "pages/organisasjoner.py", ":material/corporate_fare:"),
    ("data", "pages/data.py", ":material/database:"),
    ("audit", "pages/endringslogg.py", ":material/history:"),
    ("admin", "pages/administrasjon.py", ":material/admin_panel_settings:"),
]
PAGE_SCRIPTS = {key: script for key, script, _ in PAGES}

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
# (?year_id=<budget_years.id>; people share ?year=2027, which the page reads too).
RECORD_PARAMS = {"budget_years": "year_id"}


@dataclass(frozen=True)
class PageContext:
    """What a page needs from the setup: language, who is looking, today, and the data version."""

    page: str
    lang: str
    actor: Actor
    today: date
    db_path: Path
    revision: int

    def t(self, key: str, **values) -> str:
        """Translate a catalogue key into this page's language."""
        return i18n.t(key, self.lang, **values)

    def label(self, code_list: str, code) -> str:
        """The display label of a stored code."""
        return i18n.code_label(code_list, code, self.lang)


def _default_actor() -> Actor:
    # For local development and browser tests only: KREM_DEV_EDITOR=<name> makes everyone an editor.
    name = config.dev_editor()
    return Actor(name, "editor") if name else VIEWER


@st.cache_resource(show_spinner=False)
def _prepared_database(path: str) -> str:
    # Once per server process and file: create with demo data if new, else migrate forward.
    ensure_database(Path(path))
    return path


def setup(page: str) -> PageContext:
    """Set up a page: config, database, language (?lang=en), the signed-in role and the sidebar."""
    lang = _language()
    st.set_page_config(
        page_title=f"{i18n.t('nav.' + page, lang)} · {i18n.t('app.name', lang)}",
        page_icon=":material/diversity_3:",
        layout="wide",
        initial_sidebar_state="auto",
    )
    path = config.db_path()
    _prepared_database(str(path.resolve()))
    with borrowed(str(path), "full") as db:  # the same pool as the page's reads (ui.data)
        current = revision(db)
    actor = st.session_state.get("actor") or _default_actor()
    ctx = PageContext(page=page, lang=lang, actor=actor, today=date.today(), db_path=path,
                      revision=current)
    st.html(_STYLE)
    _sidebar(ctx)
    _sync_link()
    _after_navigation()
    auth_ui.require_access(ctx)  # private mode: nothing below is shown before signing in
    return ctx


def _sync_link() -> None:
    # A page link to the page already open (a back link, «?year=2027» from a record) runs the page
    # with its parameters but leaves the old ones in the address bar, so the next click would bring the
    # old view back. Sending the parameters this run uses puts them in the address bar (the browser only
    # changes history when they differ).
    st.query_params.from_dict({key: st.query_params.get_all(key) for key in st.query_params})


# Long record titles in links must wrap on a phone instead of being cut off.
_STYLE = """<style>
[data-testid="stMain"] [data-testid="stPageLink-NavLink"] p,
[data-testid="stMain"] [data-testid="stPageLink-NavLink"] span {
  white-space: normal; overflow: visible; text-overflow: clip; }
[data-testid="stMain"] [data-testid="stPageLink-NavLink"] { height: auto; align-items: flex-start; }
</style>"""


# On a phone the sidebar covers the page: fold it away (no-op on a wide screen or when it is folded).
# At most once a second: a search from the menu and the page change it causes both ask for it.
FOLD_SIDEBAR_ON_PHONES = """<script>
if (window.innerWidth <= 768 && !(Date.now() - (window.kremSidebarFolded || 0) < 1000)) {
  const fold = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
  if (fold) { window.kremSidebarFolded = Date.now(); fold.click(); }
}
</script>"""

# Installed once per browser tab: when another page or record opens (its heading changes), start at its
# top instead of where the list was scrolled to, and on a phone fold the menu it was chosen in.
_WATCH_NAVIGATION = """<script>
if (!window.kremWatching) {
  window.kremWatching = true;
  let shown = null;
  const arrived = () => {
    const heading = document.querySelector('[data-testid="stMain"] h1');
    const now = heading ? heading.textContent : null;
    if (!now || now === shown) { return; }
    if (shown !== null) {
      for (const id of ["stMain", "stAppViewContainer"]) {
        const pane = document.querySelector(`[data-testid="${id}"]`);
        if (pane) { pane.scrollTo(0, 0); }
      }
      const fold = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
      if (fold && window.innerWidth <= 768 && !(Date.now() - (window.kremSidebarFolded || 0) < 1000)) {
        window.kremSidebarFolded = Date.now(); fold.click();
      }
    }
    shown = now;
  };
  new MutationObserver(arrived).observe(document.body, {subtree: true, childList: true, characterData: true});
  arrived();
}
</script>"""


def _after_navigation() -> None:
    st.html(_WATCH_NAVIGATION, unsafe_allow_javascript=True)


def _language() -> str:
    # The link wins (?lang=en can be shared); otherwise the choice made earlier in this session.
    from_link = st.query_params.get("lang")
    lang = i18n.normalise_language(from_link) if from_link else st.session_state.get("lang", i18n.DEFAULT_LANGUAGE)
    st.session_state["lang"] = lang
    if lang != i18n.DEFAULT_LANGUAGE and st.query_params.get("lang") != lang:
        st.query_params["lang"] = lang
    return lang


def _switch_language() -> None:
    lang = st.session_state.get("lang_switch") or i18n.DEFAULT_LANGUAGE
    st.session_state["lang"] = lang
    if lang == i18n.DEFAULT_LANGUAGE:
        st.query_params.pop("lang", None)
    else:
        st.query_params["lang"] = lang


def _sidebar(ctx: PageContext) -> None:
    with st.sidebar:
        st.markdown(f"### {ctx.t('app.name')}")
        st.caption(ctx.t("app.tagline"))
        from krem_advocacy.ui.search import search_box  # imported here: ui.search imports this module

        search_box(ctx)
        for key, script, icon in PAGES:
            st.page_link(script, label=ctx.t(f"nav.{key}"), icon=icon)
        st.divider()
        st.session_state["lang_switch"] = ctx.lang
        st.segmented_control(
            ctx.t("app.language"), list(i18n.LANGUAGES), key="lang_switch",
            format_func=lambda code: {"nb": "Norsk", "en": "English"}[code],
            on_change=_switch_language, required=True,
        )
        auth_ui.account_box(ctx)


def record_url(table: str, record_id: int, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """The deep link path of a record, e.g. `hoeringer?id=5` (relative to the app's root)."""
    script = PAGE_SCRIPTS[RECORD_PAGES[table]]
    slug = "" if script == "app.py" else Path(script).stem
    suffix = "" if lang == i18n.DEFAULT_LANGUAGE else f"&lang={lang}"
    return f"{slug}?{RECORD_PARAMS.get(table, 'id')}={int(record_id)}{suffix}"


def record_link(ctx: PageContext, table: str, record_id: int, label: str, icon: str | None = None) -> None:
    """A link that opens one record on its page."""
    params = {RECORD_PARAMS.get(table, "id"): str(int(record_id))}
    if ctx.lang != i18n.DEFAULT_LANGUAGE:
        params["lang"] = ctx.lang
    st.page_link(PAGE_SCRIPTS[RECORD_PAGES[table]], label=label, icon=icon or ":material/arrow_forward:",
                 query_params=params, width="stretch")


def selected_id() -> int | None:
    """The record id in the link (?id=…), or None when absent or not a number."""
    value = st.query_params.get("id")
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None
