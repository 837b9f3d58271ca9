"""Søk: full-text search across every kind of record (?q=… is a shareable link to the results)."""

import streamlit as st

from krem_advocacy.ui import search
from krem_advocacy.ui.page import setup

ctx = setup("search")
search.fold_sidebar_after_search()
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
    st.switch_page("pages/sok.py", query_params=search.query_params(ctx, (text or "").strip()))

if query:
    search.results(ctx, query)
else:
    st.info(ctx.t("search.intro"), icon=":material/search:")
