"""The Møter page's views: the list with every open tilsagn, one meeting with its agenda, and the brief."""

import streamlit as st

from krem_advocacy.domain import meetings
from krem_advocacy.exchange import brief
from krem_advocacy.text import codes, formatting
from krem_advocacy.ui import links, meeting_forms, tables, widgets
from krem_advocacy.ui.context import PageContext
from krem_advocacy.ui.data import later, read
from krem_advocacy.ui.links import record_link
from krem_advocacy.ui.record import record_footer

SCRIPT = meeting_forms.SCRIPT
VIEW_KEY = "meetings_view"  # the chosen tab of the list page
DUE_SHOWN = 15  # earlier open tilsagn shown on a meeting before «show all»
STATUS_COLOURS = {"aapen": "orange", "fulgt_opp": "blue", "innfridd": "green", "ikke_innfridd": "red"}

# The print view: only the brief, without the sidebar, header and buttons on paper.
_PRINT_STYLE = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"] {
  display: none !important; }
[data-testid="stMainBlockContainer"] { max-width: 52rem; padding-top: 1.5rem; }
[data-testid="stMarkdownContainer"] h1 { font-size: 2rem; }
@media print {
  [data-testid="stElementContainer"]:has(.stDownloadButton), [data-testid="stElementContainer"]:has(
    [data-testid="stPageLink"]), .brief-toolbar, [data-testid="stHorizontalBlock"]:has(.stDownloadButton) {
    display: none !important; }
  [data-testid="stMainBlockContainer"] { max-width: none; padding: 0; }
}
</style>"""


# ---------------------------------------------------------------- list

def show_list(ctx: PageContext) -> None:
    """All meetings with filters, and every open tilsagn across meetings."""
    st.title(ctx.t("meetings.title"))
    st.caption(ctx.t("meetings.intro"))
    if ctx.actor.can_edit:
        with widgets.lazy_expander(ctx.t("meetings.new"), "meeting_new", icon=":material/add:") as box:
            if box.open:
                meeting_forms.meeting_form(ctx, None)
    # Only the chosen tab is drawn (ten years of meetings and tilsagn).
    tabs = st.tabs([ctx.t("meetings.tab.meetings"), ctx.t("meetings.tab.tilsagn")], key=VIEW_KEY, on_change="rerun")
    for tab, view in zip(tabs, (_meeting_table, _tilsagn_table)):
        if tab.open:
            with tab:
                view(ctx)


def _meeting_table(ctx: PageContext) -> None:
    years = read(ctx, meetings.years)
    with st.container(border=True):
        cols = st.columns([2, 1, 1])
        text = cols[0].text_input(ctx.t("common.search"), placeholder=ctx.t("common.search_placeholder"),
                                  key="meeting_text")
        kind = cols[1].selectbox(ctx.t("meetings.filter.kind"), codes.MEETING_KINDS, index=None,
                                 placeholder=ctx.t("common.all"), key="meeting_kind",
                                 format_func=lambda c: ctx.label("meeting_kind", c))
        year = cols[2].selectbox(ctx.t("meetings.filter.year"), years, index=None,
                                 placeholder=ctx.t("common.all"), key="meeting_year")
    # The first rows only, until «show all» (ten years of meetings).
    limit = None if tables.showing_all("meeting_table") else tables.TABLE_ROWS
    frame = read(ctx, meetings.list_meetings, kind=kind, year=year, text=text, limit=limit)
    st.caption(f"{ctx.t('common.count', n=tables.total_rows(frame))} · {ctx.t('common.open_hint')}")

    def display(rows):
        shown = rows.assign(
            starts_at=rows["starts_at"].map(formatting.format_datetime),
            kind=rows["kind"].map(lambda c: ctx.label("meeting_kind", c)),
        )[["starts_at", "title", "kind", "place", "chair", "agenda_count", "tilsagn_count"]]
        shown.columns = [ctx.t(f"meetings.col.{c}") for c in shown.columns]
        return shown

    chosen = tables.pick_from_table(ctx, frame, display, key="meeting_table",
                                     load_all=later(ctx, meetings.list_meetings, kind=kind, year=year, text=text))
    if chosen is not None:
        links.open_record(SCRIPT, chosen, ctx)


def _tilsagn_table(ctx: PageContext) -> None:
    st.caption(ctx.t("meetings.tilsagn_intro"))
    cols = st.columns([2, 2])
    statuses = cols[0].multiselect(ctx.t("meetings.filter.status"), codes.TILSAGN_STATUSES,
                                   default=list(codes.OPEN_TILSAGN_STATUSES), key="tilsagn_status",
                                   format_func=lambda c: ctx.label("tilsagn_status", c),
                                   placeholder=ctx.t("common.all"))
    text = cols[1].text_input(ctx.t("common.search"), key="tilsagn_text",
                              placeholder=ctx.t("meetings.tilsagn_search_placeholder"))
    frame = read(ctx, meetings.list_tilsagn, statuses=tuple(statuses) or None, text=text)
    st.caption(f"{ctx.t('common.count', n=len(frame))} · {ctx.t('meetings.tilsagn_open_hint')}")

    def display(rows):
        shown = rows.assign(
            starts_at=rows["starts_at"].map(formatting.format_date),
            status=rows["status"].map(lambda c: ctx.label("tilsagn_status", c)),
            responsible=[" · ".join(x for x in (p, o) if isinstance(x, str))
                         for p, o in zip(rows["responsible"], rows["responsible_org"])],
            followed_up_meeting=[f"{formatting.format_date(d)} {m}" if isinstance(m, str) else ""
                                 for d, m in zip(rows["followed_up_at"], rows["followed_up_meeting"])],
        )[["starts_at", "meeting", "text", "responsible", "status", "followed_up_meeting"]]
        shown.columns = [ctx.t(f"meetings.tcol.{c}") for c in shown.columns]
        return shown

    chosen = tables.pick_from_table(ctx, frame.assign(id=frame["meeting_id"]), display, key="tilsagn_table")
    if chosen is not None:
        links.open_record(SCRIPT, chosen, ctx)


# ---------------------------------------------------------------- one meeting

def show_detail(ctx: PageContext, meeting_id: int) -> None:
    """One meeting: facts, people, the agenda (built here by editors), tilsagn, the brief and the minutes."""
    record = read(ctx, meetings.get_meeting, meeting_id=meeting_id, include_internal=True)
    widgets.back_link(ctx, SCRIPT, "meetings.back")
    if record is None:
        widgets.not_found(ctx, SCRIPT, "meetings.back")
        return
    st.title(widgets.plain(record["title"]))
    widgets.example_badge(ctx, record["is_example"])
    when = formatting.format_datetime(record["starts_at"])
    if record["ends_at"]:
        when += "–" + str(record["ends_at"])[11:16]
    chair = record["chair_name"] and record["chair_name"] + (f" ({record['chair_role']})" if record["chair_role"]
                                                             else "")
    widgets.fields(ctx, [
        (ctx.t("meetings.field.kind"), ctx.label("meeting_kind", record["kind"])),
        (ctx.t("meetings.field.when"), when),
        (ctx.t("meetings.field.place"), record["place"]),
        (ctx.t("meetings.field.host"), record["host_name"]),
        (ctx.t("meetings.field.chair"), chair),
        (ctx.t("meetings.field.themes"), record["themes"]),
        (ctx.t("meetings.field.prep_deadline"), formatting.format_date(record["prep_deadline"])),
    ])
    _brief_bar(ctx, record)
    if ctx.actor.can_edit:
        with widgets.lazy_expander(ctx.t("meetings.edit"), "meeting_edit", icon=":material/edit:") as box:
            if box.open:
                meeting_forms.meeting_form(ctx, record)
                meeting_forms.delete_meeting_button(ctx, record)
    _attendees(ctx, record)
    _agenda(ctx, record)
    _tilsagn(ctx, record)
    _due(ctx, record)
    if record["minutes"] or record["minutes_url"]:
        st.subheader(ctx.t("meetings.minutes"))
        if record["minutes"]:
            st.markdown(widgets.plain(record["minutes"]))
        widgets.link_field(ctx.t("meetings.minutes_link"), record["minutes_url"])
    record_footer(ctx, record)


def _brief_bar(ctx: PageContext, record: dict) -> None:
    with st.container(border=True):
        st.markdown(f"**{ctx.t('brief.title')}**  \n{ctx.t('brief.intro')}")
        row = st.container(horizontal=True, gap="small")
        with row:
            links.page_link(ctx, SCRIPT, ctx.t("brief.open"), icon=":material/print:", id=record["id"], brief=1)
        _downloads(ctx, record, row)


def _downloads(ctx: PageContext, record: dict, where) -> None:
    kwargs = {"meeting_id": record["id"], "lang": ctx.lang, "include_internal": True, "today": ctx.today}
    # The files are made when a button is clicked, not on every visit to the meeting.
    word = later(ctx, brief.docx_for_meeting, **kwargs)
    text = later(ctx, brief.markdown_for_meeting, **kwargs)
    where.download_button(ctx.t("brief.download_docx"), word, on_click="ignore", icon=":material/description:",
                          file_name=brief.file_name(record["title"], record["starts_at"], "docx"),
                          mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    where.download_button(ctx.t("brief.download_md"), text, on_click="ignore", icon=":material/article:",
                          file_name=brief.file_name(record["title"], record["starts_at"], "md"),
                          mime="text/markdown")


def _attendees(ctx: PageContext, record: dict) -> None:
    attendees = record["attendees"]
    if attendees:
        st.subheader(ctx.t("meetings.attendees"))
        cols = st.columns(2)
        for col, side, key in ((cols[0], "government", "meetings.attendees_government"),
                               (cols[1], "forum", "meetings.attendees_forum")):
            with col:
                st.markdown(f"**{ctx.t(key)}**")
                for person in attendees:
                    if (person["side"] == "government") == (side == "government"):
                        role = person["role_on_day"] or person["role_at_meeting"] or ""
                        st.markdown(widgets.plain(f"{person['name']}" + (f" – {role}" if role else "")))
    if record["organisations"]:
        st.caption(f"{ctx.t('meetings.organisations')}: "
                   + widgets.plain(", ".join(o["name"] for o in record["organisations"])))


def _agenda(ctx: PageContext, record: dict) -> None:
    agenda = record["agenda"]
    st.subheader(ctx.t("meetings.agenda"))
    if not agenda:
        st.info(ctx.t("meetings.agenda_empty"))
    for index, item in enumerate(agenda):
        with st.container(border=True, key=f"agenda_item_{item['id']}"):
            st.markdown(f"**{item['position']}. {widgets.plain(item['title'])}**")
            who = brief.speaker_label(item["speaker_org"], item["speaker_org_short"], item["speaker"])
            if who:
                st.caption(widgets.plain(ctx.t("meetings.speaker", who=who)))
            if item.get("preparer"):
                st.caption(widgets.plain(ctx.t("meetings.preparer", who=item["preparer"])))
            if item["summary"] is not None:
                st.markdown(widgets.plain(item["summary"]))
            if item["sak_id"] is not None:
                record_link(ctx, "saker", item["sak_id"], widgets.plain(item["sak"]), icon=":material/topic:")
            if item["hoering_id"] is not None:
                record_link(ctx, "hoeringer", item["hoering_id"], widgets.plain(item["hoering"]),
                            icon=":material/gavel:")
            if item["budget_input_id"] is not None:
                record_link(ctx, "budget_inputs", item["budget_input_id"], widgets.plain(item["budget_input"]),
                            icon=":material/account_balance:")
            made = [p for p in record["tilsagn"] if p.get("agenda_item_id") == item["id"]]
            if made:
                st.markdown(f"**{ctx.t('meetings.item_tilsagn')}**")
                for promise in made:
                    st.markdown(f":{STATUS_COLOURS.get(promise['status'], 'gray')}-badge["
                                f"{ctx.label('tilsagn_status', promise['status'])}] {widgets.plain(promise['text'])}")
            if ctx.actor.can_edit:
                meeting_forms.agenda_item_actions(ctx, item, first=index == 0, last=index == len(agenda) - 1)
                with widgets.lazy_expander(ctx.t("meetings.edit_item"), f"agenda_edit_{item['id']}",
                                           icon=":material/edit:") as box:
                    if box.open:
                        meeting_forms.agenda_item_form(ctx, record["id"], item)
    if ctx.actor.can_edit:
        with widgets.lazy_expander(ctx.t("meetings.add_item"), "agenda_add", icon=":material/playlist_add:") as box:
            if box.open:
                meeting_forms.agenda_item_form(ctx, record["id"])
        with widgets.lazy_expander(ctx.t("meetings.candidates"), "agenda_candidates",
                                   icon=":material/lightbulb:") as box:
            if box.open:
                st.caption(ctx.t("meetings.candidates_intro"))
                meeting_forms.candidates(ctx, record["id"])


def _tilsagn(ctx: PageContext, record: dict) -> None:
    st.subheader(ctx.t("meetings.tilsagn"))
    if not record["tilsagn"]:
        st.caption(ctx.t("meetings.tilsagn_empty"))
    for promise in record["tilsagn"]:
        with st.container(border=True, key=f"tilsagn_{promise['id']}"):
            _promise(ctx, promise)
            if ctx.actor.can_edit:
                with widgets.lazy_expander(ctx.t("meetings.edit_tilsagn"), f"tilsagn_edit_{promise['id']}",
                                           icon=":material/edit:") as box:
                    if box.open:
                        meeting_forms.tilsagn_form(ctx, record, promise)
    if ctx.actor.can_edit:
        with widgets.lazy_expander(ctx.t("meetings.add_tilsagn"), "tilsagn_add", icon=":material/add_task:") as box:
            if box.open:
                meeting_forms.tilsagn_form(ctx, record)


def _due(ctx: PageContext, record: dict) -> None:
    # Earlier meetings' promises still open: ask about them here. Editors can always update them.
    upcoming = record["starts_at"][:10] >= ctx.today.isoformat() or not record["minutes"]
    if upcoming or ctx.actor.can_edit:
        st.subheader(ctx.t("meetings.open_tilsagn"))
        st.caption(ctx.t("meetings.open_tilsagn_caption"))
        due = record["open_tilsagn_before"]
        if not due:
            st.caption(ctx.t("meetings.no_open_tilsagn"))
        # Years of open promises can pile up: the first ones, and a button for the rest.
        shown = due if st.session_state.get("due_show_all") else due[:DUE_SHOWN]
        for promise in shown:
            with st.container(border=True, key=f"due_{promise['id']}"):
                _promise(ctx, promise, given_in=True)
                if ctx.actor.can_edit:
                    meeting_forms.follow_up_form(ctx, record["id"], promise)
        if len(shown) < len(due):
            st.button(ctx.t("common.show_all", total=len(due)), key="due_more", type="tertiary",
                      icon=":material/expand_more:", on_click=st.session_state.__setitem__,
                      args=("due_show_all", True))
    if record["taken_up"]:
        st.subheader(ctx.t("meetings.taken_up"))
        for promise in record["taken_up"]:
            with st.container(border=True, key=f"taken_{promise['id']}"):
                _promise(ctx, promise, given_in=True)


def _promise(ctx: PageContext, promise: dict, given_in: bool = False) -> None:
    # The lists of tilsagn differ in what they hold: a tilsagn taken up here has no responsible organisation.
    st.badge(ctx.label("tilsagn_status", promise["status"]), color=STATUS_COLOURS.get(promise["status"], "gray"))
    st.markdown(widgets.plain(promise["text"]))
    extra = [x for x in (promise.get("responsible"), promise.get("responsible_org")) if x is not None]
    if promise.get("sak") is not None:
        extra.append(ctx.t("meetings.on_sak", sak=promise["sak"]))
    if promise.get("agenda_item") is not None and not given_in:
        extra.append(ctx.t("meetings.under_item", item=promise["agenda_item"]))
    followed = promise.get("followed_up_meeting")
    if followed is not None:
        extra.append(ctx.t("meetings.followed_up_in", meeting=f"{formatting.format_date(promise['followed_up_at'])} "
                                                               f"{followed}"))
    if promise.get("follow_up"):
        extra.append(ctx.t("meetings.follow_up_by", who=promise["follow_up"]))
    if extra:
        st.caption(widgets.plain(" · ".join(extra)))
    if given_in:
        record_link(ctx, "meetings", promise["meeting_id"],
                    ctx.t("meetings.given_in", meeting=widgets.plain(promise["meeting"]),
                          day=formatting.format_date(promise["starts_at"])), icon=":material/history:")


# ---------------------------------------------------------------- the brief (print view)

def show_brief(ctx: PageContext, meeting_id: int) -> None:
    """The preparation brief alone, clean for reading and printing, with the downloads."""
    st.html(_PRINT_STYLE)
    record = read(ctx, meetings.get_meeting, meeting_id=meeting_id)
    if record is None:
        widgets.not_found(ctx, SCRIPT, "meetings.back")
        return
    row = st.container(horizontal=True, gap="small")
    with row:
        links.page_link(ctx, SCRIPT, ctx.t("brief.back"), icon=":material/arrow_back:", id=meeting_id)
    _downloads(ctx, record, row)
    st.caption(ctx.t("brief.print_hint"))
    text = read(ctx, brief.markdown_for_meeting, meeting_id=meeting_id, lang=ctx.lang, include_internal=True,
                today=ctx.today)
    st.markdown(text)
