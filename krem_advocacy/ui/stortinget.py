"""The Høringer page's Stortinget tab: fetch a session's committee hearings on request, take one in with a click."""

import re

import pandas as pd
import streamlit as st

from krem_advocacy.domain import hoeringer, stortinget
from krem_advocacy.domain.stortinget import Hearing
from krem_advocacy.exchange import stortinget as export
from krem_advocacy.store.connection import opened
from krem_advocacy.text import formatting
from krem_advocacy.ui import forms
from krem_advocacy.ui.context import PageContext
from krem_advocacy.ui.data import read
from krem_advocacy.ui.links import record_link
from krem_advocacy.ui.widgets import plain

READ_KEY = "stortinget_read"  # the last read: a SessionRead, or ("error", tried)
TAKEN_KEY = "stortinget_taken"  # what the last take-in became, shown after the rerun
PROGRAMME_KEY = "stortinget_read_programme_"  # + hearing id: the programme read on request, or what went wrong
FIELD_LABELS = ("hearing", "session", "committees")


def _labels(ctx: PageContext) -> dict[str, str]:
    return {name: ctx.t(f"stortinget.field.{name}") for name in FIELD_LABELS} | {
        f.name: f.label_in(ctx.lang) for f in hoeringer.KIND.fields}


def tab(ctx: PageContext, filters: dict | None = None) -> None:
    """The tab (editors only): the session, the fetch button, what is new, and what was taken before."""
    st.caption(ctx.t("stortinget.intro"))
    _show_taken(ctx)
    with st.container(horizontal=True, vertical_alignment="bottom", gap="small"):
        session = st.text_input(ctx.t("stortinget.session"), value=stortinget.current_session(ctx.today),
                                help=ctx.t("stortinget.session_help"), key="stortinget_session", width=180)
        fetch = st.button(ctx.t("stortinget.fetch"), icon=":material/account_balance:", type="primary",
                          key="stortinget_fetch")
    if fetch:
        _fetch(ctx, session, None)
    state = st.session_state.get(READ_KEY)
    if state is None:
        st.info(ctx.t("stortinget.not_fetched"), icon=":material/info:")
    elif isinstance(state, tuple):
        _failure(ctx, session, state[1])
    else:
        _offered(ctx, state)
    _taken_list(ctx)
    _committees(ctx)


def _fetch(ctx: PageContext, session_text: str, case_ids: list[int] | None) -> None:
    st.session_state.pop(TAKEN_KEY, None)
    try:
        session = stortinget.check_session(session_text)
    except Exception:
        st.error(f"**{ctx.t('stortinget.session')}**: {ctx.t('validation.stortinget.session')}",
                 icon=":material/error:")
        return
    try:
        with st.spinner(ctx.t("stortinget.fetching")), ctx.store.writing() as db:
            result = export.fetch(db, ctx.actor, session, case_ids)
    except export.StortingError as error:
        st.session_state[READ_KEY] = ("error", error.tried)
        return
    except Exception as error:  # whatever it was, the editor must not take it for «nothing new»
        st.session_state.pop(READ_KEY, None)
        st.error(ctx.t("form.failed", reason=plain(str(error))), icon=":material/error:")
        return
    st.session_state[READ_KEY] = result


def _failure(ctx: PageContext, session: str, tried: list[tuple[str, str]]) -> None:
    lines = "\n".join(f"- `{url}`: {plain(what)}" for url, what in tried)
    st.error(ctx.t("stortinget.failed") + "\n\n" + lines, icon=":material/cloud_off:")
    st.caption(ctx.t("stortinget.fallback_intro"))
    with st.container(horizontal=True, vertical_alignment="bottom", gap="small"):
        typed = st.text_input(ctx.t("stortinget.case_ids"), key="stortinget_case_ids", placeholder="103002, 103003")
        go = st.button(ctx.t("stortinget.try_cases"), icon=":material/manage_search:", key="stortinget_try_cases")
    if go:
        ids = [int(n) for n in re.findall(r"\d+", typed or "")]
        if ids:
            _fetch(ctx, session, ids)
            st.rerun()


def _offered(ctx: PageContext, result: export.SessionRead) -> None:
    if result.source == "sak":
        st.warning(ctx.t("stortinget.from_cases"), icon=":material/alt_route:")
        if result.problems:
            st.warning(ctx.t("stortinget.cases_not_read", ids=", ".join(result.problems)), icon=":material/warning:")
    with opened(ctx.db_path) as db:
        fresh = stortinget.offered(db, result.hearings, ctx.today)
    session = result.hearings[0].session if result.hearings else st.session_state.get("stortinget_session", "")
    if not fresh:
        st.success(ctx.t("stortinget.nothing_new", n=len(result.hearings), session=session),
                   icon=":material/done_all:")
        return
    st.markdown(ctx.t("stortinget.read_ok", n=len(result.hearings), session=session, shown=len(fresh)))
    saker = read(ctx, hoeringer.sak_choices)
    titles = dict(zip(saker["id"], saker["title"]))
    for hearing in fresh:
        _hearing_card(ctx, hearing, titles)


def _hearing_card(ctx: PageContext, hearing: Hearing, sak_titles: dict) -> None:
    with st.container(border=True, gap="small", key=f"stortinget_hearing_{hearing.id}"):
        st.markdown(f"**{plain(hearing.title)}**")
        with st.container(horizontal=True, gap="small"):
            if hearing.is_budget and hearing.budget_year:
                st.badge(ctx.t("stortinget.budget_badge", year=hearing.budget_year), icon=":material/payments:",
                         color="green")
            if hearing.written:
                st.badge(ctx.t("stortinget.written_badge"), icon=":material/edit_note:", color="gray")
            st.badge(plain(hearing.committee_name or hearing.committee_id or ""), icon=":material/groups:",
                     color="violet")
        parts = []
        if hearing.application_deadline:
            days = formatting.relative_days(formatting.days_until(hearing.application_deadline, ctx.today), ctx.lang)
            parts.append(ctx.t("stortinget.deadline", when=formatting.format_date(hearing.application_deadline))
                         + f" ({days})")
        if hearing.input_deadline:
            parts.append(ctx.t("stortinget.input_deadline", when=formatting.format_date(hearing.input_deadline)))
        if not parts:
            parts.append(ctx.t("stortinget.no_deadline"))
        if hearing.hearing_on:
            parts.append(ctx.t("stortinget.hearing_on", when=formatting.format_date(hearing.hearing_on))
                         + (f", {plain(hearing.place)}" if hearing.place else ""))
        st.caption(" · ".join(parts) + f" · [{ctx.t('stortinget.open')}]({hearing.url})")
        for case in hearing.cases:
            st.caption(plain(f"{case.title}" + (f" ({case.reference})" if case.reference else "")))
        budget = hearing.is_budget and hearing.budget_year
        chosen = [] if budget else st.multiselect(
            ctx.t("stortinget.link_saker"), list(sak_titles), format_func=lambda i: sak_titles[i],
            placeholder=ctx.t("stortinget.pick_saker"), key=f"stortinget_saker_{hearing.id}")
        label = ctx.t("stortinget.take_budget", year=hearing.budget_year) if budget else ctx.t("stortinget.take")
        row = st.container(horizontal=True, gap="small")
        if row.button(ctx.t("stortinget.programme"), icon=":material/event_list:",
                      key=f"stortinget_programme_{hearing.id}"):
            _read_programme(ctx, hearing.id)
        _programme(ctx, hearing.id)
        if row.button(label, icon=":material/add:", key=f"stortinget_take_{hearing.id}", type="primary"):
            done = forms.save(ctx, lambda db: stortinget.take_in(db, ctx.actor, hearing, chosen, ctx.today),
                              _labels(ctx), success_key="stortinget.taken")
            if done is not None:
                st.session_state[TAKEN_KEY] = (hearing.title, done)
                st.rerun()


def _read_programme(ctx: PageContext, hearing_id: int) -> None:
    # On request only: who speaks when (published closer to the hearing).
    try:
        with st.spinner(ctx.t("stortinget.fetching")):
            st.session_state[f"{PROGRAMME_KEY}{hearing_id}"] = export.read_programme(hearing_id)
    except export.StortingError as error:
        st.session_state[f"{PROGRAMME_KEY}{hearing_id}"] = "; ".join(f"{url}: {what}" for url, what in error.tried)


def _programme(ctx: PageContext, hearing_id: int) -> None:
    items = st.session_state.get(f"{PROGRAMME_KEY}{hearing_id}")
    if items is None:
        return
    if isinstance(items, str):
        st.warning(ctx.t("stortinget.programme_failed", detail=plain(items)), icon=":material/cloud_off:")
    elif not items:
        st.caption(ctx.t("stortinget.programme_empty"))
    else:
        st.dataframe(pd.DataFrame({
            ctx.t("stortinget.col.day"): [formatting.format_date(i.day) for i in items],
            ctx.t("stortinget.col.time"): [i.time or "" for i in items],
            ctx.t("stortinget.col.speaker"): [i.text for i in items],
        }), hide_index=True, width="stretch")


def _show_taken(ctx: PageContext) -> None:
    done = st.session_state.pop(TAKEN_KEY, None)
    if not done:
        return
    title, result = done
    if "hoering_id" in result:
        st.success(ctx.t("stortinget.taken_hoering"), icon=":material/check_circle:")
        record_link(ctx, "hoeringer", result["hoering_id"], plain(title), icon=":material/gavel:")
    else:
        st.success(ctx.t("stortinget.taken_budget", year=result["budget_year"]), icon=":material/check_circle:")
        record_link(ctx, "budget_years", result["budget_year_id"],
                    ctx.t("stortinget.open_budget", year=result["budget_year"]), icon=":material/payments:")


def _taken_list(ctx: PageContext) -> None:
    frame = read(ctx, stortinget.taken)
    if frame.empty:
        return
    with st.expander(ctx.t("stortinget.taken_list", n=len(frame)), icon=":material/history:"):
        shown = pd.DataFrame({
            ctx.t("stortinget.col.title"): frame["title"],
            ctx.t("stortinget.col.committee"): frame["committee_id"].fillna(""),
            ctx.t("stortinget.col.taken_at"): frame["taken_at"].map(
                lambda v: formatting.format_date(str(v)[:10])),
            ctx.t("stortinget.col.became"): [
                ctx.t("stortinget.became_budget", year=int(y)) if y == y and y is not None
                else ctx.t("stortinget.became_hoering") for y in frame["budget_year"]],
        })
        st.dataframe(shown, hide_index=True, width="stretch")


def _committees(ctx: PageContext) -> None:
    with opened(ctx.db_path) as db:
        followed = stortinget.followed_committees(db)
        names = stortinget.committee_names(db)
    options = list(dict.fromkeys([*names, *followed]))
    with st.expander(ctx.t("stortinget.committees"), icon=":material/tune:"):
        with st.form("stortinget_committees_form", border=False):
            chosen = st.multiselect(ctx.t("stortinget.committees"), options, default=followed,
                                    format_func=lambda c: f"{names.get(c, c)} ({c})", accept_new_options=True,
                                    help=ctx.t("stortinget.committees_help"), key="stortinget_committees")
            saved = st.form_submit_button(ctx.t("stortinget.save_committees"), icon=":material/save:")
        if saved and forms.save(ctx, lambda db: stortinget.save_followed_committees(db, ctx.actor, chosen),
                                _labels(ctx), success_key="stortinget.committees_saved") is not None:
            st.rerun()
