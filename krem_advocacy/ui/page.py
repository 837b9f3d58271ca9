"""The shared page setup every page calls first: page config, database, language, role, sidebar."""

from datetime import date
from pathlib import Path

import streamlit as st

from krem_advocacy import config, site
from krem_advocacy.domain import accounts as auth
from krem_advocacy.store.database import Store
from krem_advocacy.store.permissions import VIEWER, Actor
from krem_advocacy.text import i18n
from krem_advocacy.ui import auth as auth_ui
from krem_advocacy.ui import replication as replication_ui
from krem_advocacy.ui import scripts, sidebar
from krem_advocacy.ui.context import PageContext


def _default_actor() -> Actor:
    # For local development and browser tests only: KREM_DEV_EDITOR=<name> makes everyone an editor.
    name = config.dev_editor()
    return Actor(name, "editor", account=auth.dev_account(name)) if name else VIEWER


@st.cache_resource(show_spinner=False)
def _store(path: str) -> Store:
    # Once per server process and file: restore from the replica or create with demo data if new, else
    # migrate forward; then replicate it when a replica is configured.
    replication_ui.start(Path(path))
    return Store(path)


def setup(page: str) -> PageContext:
    """Set up a page: config, database, language (?lang=en), the signed-in role and the sidebar."""
    lang = _language()
    st.set_page_config(
        page_title=f"{i18n.t('nav.' + page, lang)} · {i18n.t('app.name', lang)}",
        page_icon=":material/diversity_3:",
        layout="wide",
        initial_sidebar_state="auto",
    )
    store = _store(str(config.db_path().resolve()))
    actor = st.session_state.get("actor") or _default_actor()
    ctx = PageContext(page=page, lang=lang, actor=actor, today=date.today(), store=store,
                      revision=store.revision(), easy_read=_easy_read())
    st.html(scripts.STYLE)
    st.html(scripts.page_language(lang), unsafe_allow_javascript=True)
    sidebar.draw(ctx)
    _sync_link()
    st.html(scripts.WATCH_NAVIGATION, unsafe_allow_javascript=True)
    auth_ui.require_access(ctx)  # private mode: nothing below is shown before signing in
    return ctx


def _sync_link() -> None:
    # A page link to the page already open (a back link, «?year=2027» from a record) runs the page
    # with its parameters but leaves the old ones in the address bar, so the next click would bring the
    # old view back. Sending the parameters this run uses puts them in the address bar (the browser only
    # changes history when they differ).
    st.query_params.from_dict({key: st.query_params.get_all(key) for key in st.query_params})


def _easy_read() -> bool:
    # As the language: ?lettlest=1 in a link wins (it can be shared), else the choice made in this session.
    from_link = st.query_params.get(site.EASY_READ_PARAM)
    easy = from_link in ("1", "ja", "yes", "true") if from_link is not None else bool(st.session_state.get("easy_read"))
    st.session_state["easy_read"] = easy
    if easy and st.query_params.get(site.EASY_READ_PARAM) != "1":
        st.query_params[site.EASY_READ_PARAM] = "1"
    return easy


def _language() -> str:
    # The link wins (?lang=en can be shared); otherwise the choice made earlier in this session.
    from_link = st.query_params.get("lang")
    lang = i18n.normalise_language(from_link) if from_link else st.session_state.get("lang", i18n.DEFAULT_LANGUAGE)
    st.session_state["lang"] = lang
    if lang != i18n.DEFAULT_LANGUAGE and st.query_params.get("lang") != lang:
        st.query_params["lang"] = lang
    return lang
