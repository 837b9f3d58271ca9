"""The menu on every page: the app's name, the search box, the pages, the language and the account."""

import streamlit as st

from krem_advocacy import site
from krem_advocacy.text import i18n
from krem_advocacy.ui import auth as auth_ui
from krem_advocacy.ui import replication as replication_ui
from krem_advocacy.ui.context import PageContext
from krem_advocacy.ui.search import search_box


def draw(ctx: PageContext) -> None:
    """The sidebar: search, a translated link per page, the language switch and the account box."""
    with st.sidebar:
        st.markdown(f"### {ctx.t('app.name')}")
        st.caption(ctx.t("app.tagline"))
        search_box(ctx)
        for key, script, icon in site.PAGES:
            if key in site.EDITOR_PAGES and not ctx.actor.can_edit:
                continue
            st.page_link(script, label=ctx.t(f"nav.{key}"), icon=icon)
        st.divider()
        st.session_state["lang_switch"] = ctx.lang
        st.segmented_control(
            ctx.t("app.language"), list(i18n.LANGUAGES), key="lang_switch",
            format_func=lambda code: {"nb": "Norsk", "en": "English"}[code],
            on_change=_switch_language, required=True,
        )
        # Beside the language, drawn the same way: plain or easy-read texts.
        st.session_state["easy_switch"] = "easy" if ctx.easy_read else "plain"
        st.segmented_control(
            ctx.t("app.text_style"), ["plain", "easy"], key="easy_switch", help=ctx.t("app.easy_read_help"),
            format_func=lambda style: ctx.t(f"app.text_style.{style}"), on_change=_switch_easy_read, required=True,
        )
        auth_ui.account_box(ctx)
        replication_ui.storage_notice(ctx)


def _switch_easy_read() -> None:
    easy = st.session_state.get("easy_switch") == "easy"
    st.session_state["easy_read"] = easy
    if easy:
        st.query_params[site.EASY_READ_PARAM] = "1"
    else:
        st.query_params.pop(site.EASY_READ_PARAM, None)


def _switch_language() -> None:
    lang = st.session_state.get("lang_switch") or i18n.DEFAULT_LANGUAGE
    st.session_state["lang"] = lang
    if lang == i18n.DEFAULT_LANGUAGE:
        st.query_params.pop("lang", None)
    else:
        st.query_params["lang"] = lang
