"""The Data page's regjeringen.no section: new høringer from the feed, picked and added, and the feed's address."""

import hashlib

import pandas as pd
import streamlit as st

from krem_advocacy.domain import sources
from krem_advocacy.exchange import hoering_feed, hoering_page
from krem_advocacy.store.connection import opened
from krem_advocacy.text import formatting
from krem_advocacy.ui import forms
from krem_advocacy.ui.context import PageContext
from krem_advocacy.ui.exports import counted
from krem_advocacy.ui.links import record_link
from krem_advocacy.ui.widgets import plain

# ---------------------------------------------------------------- feed section


def feed_section(ctx: PageContext) -> None:
    """New consultations from regjeringen.no: fetch, pick, add; remember what was seen."""
    with opened(ctx.db_path) as db:
        url = hoering_feed.feed_url(db)
        checked = hoering_feed.last_checked(db)
    st.caption(ctx.t("data.feed.intro"))
    line = ctx.t("data.feed.address", url=url)
    if checked:
        line += " · " + ctx.t("data.feed.last_checked", when=formatting.format_datetime(_local(checked)))
    st.caption(line)
    if st.button(ctx.t("data.feed.fetch"), icon=":material/rss_feed:", key="feed_fetch", type="primary"):
        _fetch(ctx, url)
    if "feed_error" in st.session_state:
        st.error(st.session_state["feed_error"], icon=":material/cloud_off:")
    if "feed_items" in st.session_state:
        _pick(ctx, st.session_state["feed_items"])
    if "feed_added" in st.session_state:
        ids, titles = st.session_state["feed_added"]
        st.success(counted(ctx, "data.feed.added", len(ids)), icon=":material/check_circle:")
        for record_id, title in zip(ids, titles):
            record_link(ctx, "hoeringer", record_id, plain(title), icon=":material/gavel:")
        _pages_read(ctx, dict(zip(ids, titles)))
    _seen_list(ctx)
    _settings(ctx, url)


def _local(stamp: str) -> str:
    # Stored in UTC; shown in Norwegian time, to the minute.
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime.fromisoformat(stamp).astimezone(ZoneInfo("Europe/Oslo")).strftime("%Y-%m-%dT%H:%M")


def _fetch(ctx: PageContext, url: str) -> None:
    st.session_state.pop("feed_error", None)
    st.session_state.pop("feed_added", None)
    st.session_state.pop("feed_pages", None)
    try:
        with st.spinner(ctx.t("data.feed.fetching")):
            items = hoering_feed.load(url)
    except hoering_feed.FeedError as error:
        st.session_state.pop("feed_items", None)
        st.session_state["feed_error"] = ctx.t(error.key, url=url, detail=error.detail)
        with opened(ctx.db_path) as db:
            sources.record_run(db, ctx.actor, "feed", False, [url], None, error.detail or error.key)
        return
    with opened(ctx.db_path) as db:
        hoering_feed.note_checked(db, ctx.actor)
        sources.record_run(db, ctx.actor, "feed", True, [url], len(items))
    st.session_state["feed_items"] = items


def _pages_read(ctx: PageContext, titles: dict) -> None:
    # The regjeringen.no page of each høring just added was read too (hoering_page.refresh_added).
    pages = st.session_state.get("feed_pages") or []
    read_ok = [hoering_id for hoering_id, error in pages if error is None]
    if read_ok:
        st.caption(ctx.t("hoering_page.feed_read", n=len(read_ok)))
    for hoering_id, error in pages:
        if error is not None:
            reason = ctx.t(error.key, url=getattr(error, "url", ""), detail=getattr(error, "detail", "")) \
                if isinstance(error, hoering_page.PageError) else str(error)
            st.warning(ctx.t("hoering_page.feed_failed", title=plain(titles.get(hoering_id, "")), reason=reason),
                       icon=":material/warning:")


def _item_key(item: hoering_feed.FeedItem) -> str:
    return "feed_pick_" + hashlib.sha1(item.guid.encode("utf-8")).hexdigest()[:12]


def _select_all(keys: list[str]) -> None:
    for key in keys:
        st.session_state[key] = st.session_state.get("feed_select_all", False)


def _pick(ctx: PageContext, items: list) -> None:
    with opened(ctx.db_path) as db:
        fresh = hoering_feed.new_items(db, items)
    if not fresh:
        st.success(ctx.t("data.feed.nothing_new", n=len(items)), icon=":material/done_all:")
        return
    st.markdown(f"**{ctx.t('data.feed.new', n=len(fresh), total=len(items))}**")
    keys = [_item_key(item) for item in fresh]
    st.checkbox(ctx.t("data.feed.select_all"), key="feed_select_all", on_change=_select_all, args=(keys,))
    for item in fresh:
        with st.container(border=True, gap="small"):
            st.checkbox(plain(item.title), key=_item_key(item))
            parts = [ctx.t("data.feed.published", when=formatting.format_date(item.published_on))
                     if item.published_on else "",
                     ctx.t("data.feed.deadline", when=formatting.format_date(item.deadline)) if item.deadline else ""]
            text = " · ".join(p for p in parts if p)
            if item.link:
                text += f"{' · ' if text else ''}[{ctx.t('data.feed.open')}]({item.link.replace(')', '%29')})"
            if item.summary and item.summary != item.title:
                st.caption(plain(_shorten(item.summary)))
            if text:
                st.caption(text)
    chosen = [item for item in fresh if st.session_state.get(_item_key(item))]
    row = st.container(horizontal=True)
    if row.button(ctx.t("data.feed.add", n=len(chosen)), type="primary", disabled=not chosen,
                      icon=":material/add:", key="feed_add"):
        ids = forms.save(ctx, lambda db: hoering_feed.add_items(db, ctx.actor, chosen),
                         success_key="data.feed.saved")
        if ids is not None:
            st.session_state["feed_added"] = (ids, [item.title for item in chosen])
            with st.spinner(ctx.t("hoering_page.fetching")), ctx.store.writing() as db:
                st.session_state["feed_pages"] = [
                    (hoering_id, outcome if isinstance(outcome, Exception) else None)
                    for hoering_id, outcome in hoering_page.refresh_added(db, ctx.actor, ids)]
            st.rerun()
    if row.button(ctx.t("data.feed.ignore", n=len(chosen)), disabled=not chosen,
                      icon=":material/visibility_off:", key="feed_ignore"):
        if forms.save(ctx, lambda db: hoering_feed.mark_seen(db, ctx.actor, chosen),
                      success_key="data.feed.ignored") is not None:
            st.rerun()


def _shorten(text: str, limit: int = 280) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def _seen_list(ctx: PageContext) -> None:
    with opened(ctx.db_path) as db:
        seen = hoering_feed.tracked(db)
    if seen.empty:
        return
    with st.expander(ctx.t("data.feed.seen", n=len(seen))):
        shown = pd.DataFrame({
            ctx.t("data.feed.col.title"): seen["title"],
            ctx.t("data.feed.col.seen_at"): seen["seen_at"].map(lambda v: formatting.format_datetime(_local(v))),
            ctx.t("data.feed.col.added"): seen["hoering_id"].map(
                lambda v: ctx.t("common.yes") if v == v and v is not None else ctx.t("common.no")),
        })
        st.dataframe(shown, hide_index=True, width="stretch")


def _settings(ctx: PageContext, url: str) -> None:
    with st.expander(ctx.t("data.feed.settings"), icon=":material/settings:"):
        st.caption(ctx.t("data.feed.settings_help", default=hoering_feed.DEFAULT_FEED_URL))
        with st.form("feed_url_form", border=False):
            value = st.text_input(ctx.t("data.feed.url"), value=url, key="feed_url")
            cols = st.columns(2)
            save = cols[0].form_submit_button(ctx.t("data.feed.save_url"), icon=":material/save:")
            reset = cols[1].form_submit_button(ctx.t("data.feed.reset_url"), icon=":material/restart_alt:")
        if save or reset:
            new = None if reset else value
            if forms.save(ctx, lambda db: hoering_feed.save_feed_url(db, ctx.actor, new),
                          {"feed_url": ctx.t("data.feed.url")}) is not None:
                st.session_state.pop("feed_items", None)
                st.rerun()
