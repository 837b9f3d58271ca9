"""Møter: meetings with filters, and one meeting with agenda, attendees and tilsagn (?id=…)."""

import streamlit as st

from krem_advocacy import codes, formatting
from krem_advocacy.ui import widgets
from krem_advocacy.ui.data import read
from krem_advocacy.ui.page import record_link, selected_id, setup

SCRIPT = "pages/moeter.py"
ctx = setup("meetings")


def show_agenda(agenda) -> None:
    st.subheader(ctx.t("meetings.agenda"))
    if agenda.empty:
        st.info(ctx.t("meetings.agenda_empty"))
    for item in agenda.itertuples():
        with st.container(border=True):
            st.markdown(f"**{item.position}. {widgets.plain(item.title)}**")
            who = " – ".join(str(x) for x in (item.speaker_org, item.speaker) if isinstance(x, str))
            if who:
                st.caption(widgets.plain(ctx.t("meetings.speaker", who=who)))
            if isinstance(item.summary, str):
                st.markdown(widgets.plain(item.summary))
            if widgets.present(item.sak_id):
                record_link(ctx, "saker", item.sak_id, widgets.plain(item.sak), icon=":material/topic:")
            if widgets.present(item.hoering_id):
                record_link(ctx, "hoeringer", item.hoering_id, widgets.plain(item.hoering), icon=":material/gavel:")
            if widgets.present(item.budget_input_id):
                record_link(ctx, "budget_inputs", item.budget_input_id, widgets.plain(item.budget_input),
                            icon=":material/account_balance:")


def show_tilsagn(frame, empty_key: str) -> None:
    if frame.empty:
        st.caption(ctx.t(empty_key))
    for row in frame.itertuples():
        status = ctx.label("tilsagn_status", row.status)
        colour = {"aapen": "orange", "fulgt_opp": "blue", "innfridd": "green"}.get(row.status, "red")
        st.badge(status, color=colour)
        st.markdown(widgets.plain(row.text))
        extra = [x for x in (getattr(row, "responsible", None), getattr(row, "meeting", None)) if isinstance(x, str)]
        if extra:
            st.caption(widgets.plain(" · ".join(extra)))


def show_detail(meeting_id: int) -> None:
    record = read(ctx, "meetings.get_meeting", meeting_id=meeting_id, include_internal=True)
    widgets.back_link(ctx, SCRIPT, "meetings.back")
    if record is None:
        widgets.not_found(ctx, SCRIPT, "meetings.back")
        return
    st.title(widgets.plain(record["title"]))
    widgets.example_badge(ctx, record["is_example"])
    when = formatting.format_datetime(record["starts_at"])
    if record["ends_at"]:
        when += "–" + str(record["ends_at"])[11:16]
    widgets.fields(ctx, [
        (ctx.t("meetings.field.kind"), ctx.label("meeting_kind", record["kind"])),
        (ctx.t("meetings.field.when"), when),
        (ctx.t("meetings.field.place"), record["place"]),
        (ctx.t("meetings.field.host"), record["host_name"]),
        (ctx.t("meetings.field.chair"), record["chair_name"]),
        (ctx.t("meetings.field.themes"), record["themes"]),
        (ctx.t("meetings.field.prep_deadline"), formatting.format_date(record["prep_deadline"])),
    ])
    attendees = record["attendees"]
    if not attendees.empty:
        st.subheader(ctx.t("meetings.attendees"))
        cols = st.columns(2)
        for col, side, key in ((cols[0], "government", "meetings.attendees_government"),
                               (cols[1], "forum", "meetings.attendees_forum")):
            people = attendees[attendees["side"] == side]
            with col:
                st.markdown(f"**{ctx.t(key)}**")
                for person in people.itertuples():
                    role = person.role_on_day or person.role_at_meeting or ""
                    st.markdown(widgets.plain(f"{person.name}" + (f" – {role}" if role else "")))
    if not record["organisations"].empty:
        st.caption(f"{ctx.t('meetings.organisations')}: " + widgets.plain(", ".join(record["organisations"]["name"])))
    show_agenda(record["agenda"])
    st.subheader(ctx.t("meetings.tilsagn"))
    show_tilsagn(record["tilsagn"], "meetings.tilsagn_empty")
    if record["starts_at"][:10] >= ctx.today.isoformat() or not record["minutes"]:
        st.subheader(ctx.t("meetings.open_tilsagn"))
        st.caption(ctx.t("meetings.open_tilsagn_caption"))
        show_tilsagn(record["open_tilsagn_before"], "meetings.no_open_tilsagn")
    if record["minutes"] or record["minutes_url"]:
        st.subheader(ctx.t("meetings.minutes"))
        if record["minutes"]:
            st.markdown(widgets.plain(record["minutes"]))
        widgets.link_field(ctx.t("meetings.minutes_link"), record["minutes_url"])
    widgets.record_footer(ctx, record)


def show_list() -> None:
    st.title(ctx.t("meetings.title"))
    st.caption(ctx.t("meetings.intro"))
    years = read(ctx, "meetings.years")
    with st.container(border=True):
        cols = st.columns([2, 1, 1])
        text = cols[0].text_input(ctx.t("common.search"), placeholder=ctx.t("common.search_placeholder"),
                                  key="meeting_text")
        kind = cols[1].selectbox(ctx.t("meetings.filter.kind"), codes.MEETING_KINDS, index=None,
                                 placeholder=ctx.t("common.all"), key="meeting_kind",
                                 format_func=lambda c: ctx.label("meeting_kind", c))
        year = cols[2].selectbox(ctx.t("meetings.filter.year"), years, index=None,
                                 placeholder=ctx.t("common.all"), key="meeting_year")
    frame = read(ctx, "meetings.list_meetings", kind=kind, year=year, text=text)
    st.caption(f"{ctx.t('common.count', n=len(frame))} · {ctx.t('common.open_hint')}")
    display = frame.assign(
        starts_at=frame["starts_at"].map(formatting.format_datetime),
        kind=frame["kind"].map(lambda c: ctx.label("meeting_kind", c)),
    )[["starts_at", "title", "kind", "place", "chair", "agenda_count", "tilsagn_count"]]
    display.columns = [ctx.t(f"meetings.col.{c}") for c in display.columns]
    chosen = widgets.pick_from_table(ctx, frame, display, key="meeting_table")
    if chosen is not None:
        widgets.open_record(SCRIPT, chosen, ctx)


record_id = selected_id()
if record_id is not None:
    show_detail(record_id)
else:
    show_list()
