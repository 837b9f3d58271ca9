"""The search box on every page (in the sidebar) and the Søk page with its results."""

import pandas as pd
import streamlit as st

from krem_advocacy.domain import search
from krem_advocacy.domain.search import KINDS, MARK_END, MARK_START, MAX_RESULTS
from krem_advocacy.text import formatting
from krem_advocacy.ui.context import PageContext
from krem_advocacy.ui.data import read
from krem_advocacy.ui.links import record_link
from krem_advocacy.ui.scripts import FOLD_SIDEBAR_ON_PHONES
from krem_advocacy.ui.widgets import plain

SCRIPT = "pages/sok.py"
ICONS = {"sak": ":material/topic:", "hoering": ":material/gavel:", "budget_input": ":material/account_balance:",
         "meeting": ":material/groups:", "agenda_item": ":material/record_voice_over:",
         "tilsagn": ":material/handshake:", "organisation": ":material/corporate_fare:",
         "person": ":material/person:"}


def show(ctx: PageContext) -> None:
    """The Søk page: the search field with the words in the link (?q=…) and their results."""
    fold_sidebar_after_search()
    st.title(ctx.t("search.title"))
    query = (st.query_params.get("q") or "").strip()[:200]
    with st.form("search_page", border=False, enter_to_submit=True):
        cols = st.columns([4, 1], vertical_alignment="bottom")
        # The field is keyed by the words searched, so a new search from the sidebar shows its own words.
        text = cols[0].text_input(ctx.t("search.box_label"), value=query, placeholder=ctx.t("search.box_placeholder"),
                                  max_chars=200, key=f"search_page_text_{query}")
        submitted = cols[1].form_submit_button(ctx.t("search.button"), icon=":material/search:", type="primary",
                                               width="stretch")
    if submitted and (text or "").strip() != query:
        st.switch_page(SCRIPT, query_params=query_params(ctx, (text or "").strip()))
    if query:
        results(ctx, query)
    else:
        st.info(ctx.t("search.intro"), icon=":material/search:")


def search_box(ctx: PageContext) -> None:
    """A search field that opens the Søk page with the words typed (Enter or the button)."""
    with st.form("site_search", border=False, clear_on_submit=True, enter_to_submit=True):
        text = st.text_input(ctx.t("search.box_label"), placeholder=ctx.t("search.box_placeholder"),
                             label_visibility="collapsed", max_chars=200, key="site_search_text")
        submitted = st.form_submit_button(ctx.t("search.button"), icon=":material/search:", width="stretch")
    if submitted and (text or "").strip():
        st.session_state[_FROM_SIDEBAR] = True
        st.switch_page(SCRIPT, query_params=query_params(ctx, text.strip()))


_FROM_SIDEBAR = "search_from_sidebar"
# On a phone the open sidebar covers the page. Streamlit folds it for its own navigation links but not
# after st.switch_page, so the results would be hidden behind it: fold it once, on narrow screens only
# (768 px is Streamlit's own phone breakpoint). A fixed script; nothing the user typed goes into it.
def fold_sidebar_after_search() -> None:
    """After a search from the sidebar, fold the sidebar away on a phone so the results can be seen."""
    if st.session_state.pop(_FROM_SIDEBAR, False):
        st.html(FOLD_SIDEBAR_ON_PHONES, unsafe_allow_javascript=True)


def query_params(ctx: PageContext, text: str) -> dict:
    """The link parameters of a search (?q=…, and the language when it is not Bokmål)."""
    return ctx.params(q=text)


def results(ctx: PageContext, text: str) -> None:
    """The results of a search: a count, filters by kind, the hits best first, then records linked to
    the saker found."""
    found = read(ctx, search.search_all, text=text)
    hits, linked = found["hits"], found["linked"]
    if not found["terms"]:
        st.info(ctx.t("search.no_words"), icon=":material/info:")
        return
    if hits.empty:
        st.warning(ctx.t("search.no_hits", q=text), icon=":material/search_off:")
        st.caption(ctx.t("search.no_hits_help"))
        return
    more = len(hits) >= MAX_RESULTS  # the search stops at the best MAX_RESULTS
    st.caption(ctx.t("search.count_max" if more else "search.count", n=len(hits), q=text))
    counts = hits["kind"].value_counts()
    kinds = [k for k in KINDS if k in counts]
    chosen = st.pills(ctx.t("search.filter"), kinds, selection_mode="single", key="search_kind",
                      format_func=lambda k: f"{ctx.t('search.kind.' + k)} ({counts[k]})")
    shown = hits if not chosen else hits[hits["kind"] == chosen]
    for row in shown.itertuples():
        _result(ctx, row, _snippet(row.snippet, row.title))
    shown_linked = linked if not chosen else linked[linked["kind"] == chosen]
    if shown_linked.empty:
        return
    st.subheader(ctx.t("search.linked"))
    st.caption(ctx.t("search.linked_help"))
    for sak_title, group in shown_linked.groupby("via_sak", sort=False):
        st.markdown(f"**{plain(ctx.t('search.via', sak=sak_title))}**")
        for row in group.itertuples():
            _result(ctx, row, None)


def _result(ctx: PageContext, row, snippet: str | None) -> None:
    # One hit: a link that opens the record, then what it is, its date and where the words were found.
    with st.container(gap="xxsmall"):
        _result_lines(ctx, row, snippet)


def _result_lines(ctx: PageContext, row, snippet: str | None) -> None:
    # People open on the Organisasjoner page (?person=…): the link builder knows where each kind opens.
    record_link(ctx, row.open_table, int(row.open_id), plain(row.title), icon=ICONS[row.kind])
    details = [ctx.t(f"search.kind.{row.kind}")]
    if isinstance(row.day, str) and row.day:
        details.append(formatting.format_date(row.day))
    line = " · ".join(plain(d) for d in details)
    st.caption(f"{line} — {snippet}" if snippet else line)


def _snippet(snippet, title: str) -> str | None:
    # The words found in bold, in text that is shown as typed; left out when it only repeats the title.
    if not isinstance(snippet, str) or pd.isna(snippet):
        return None
    bare = snippet.replace(MARK_START, "").replace(MARK_END, "")
    if bare.strip() == str(title).strip():
        return None
    return plain(snippet).replace(MARK_START, "**").replace(MARK_END, "**").replace("  \n", " ")
