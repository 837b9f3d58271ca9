"""The Høringer page's views: filters with status counts, deadlines by urgency, the list, the timeline, one høring."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from krem_advocacy.charts import hoeringer as hoeringer_charts
from krem_advocacy.charts.hoeringer import SELECTION
from krem_advocacy.domain import deadlines, hoeringer
from krem_advocacy.domain.deadlines import BUCKETS, OPEN_HOERING_STATUSES
from krem_advocacy.text import codes, formatting
from krem_advocacy.ui import (
    calendar,
    charts,
    described,
    forms,
    hoering_form,
    hoering_page,
    hoering_stale,
    links,
    stortinget,
    tables,
    widgets,
)
from krem_advocacy.ui.context import PageContext
from krem_advocacy.ui.data import read
from krem_advocacy.ui.links import record_link
from krem_advocacy.ui.record import record_footer

SCRIPT = "pages/hoeringer.py"
SORTS = ("soonest", "latest", "title")
STATUS_KEY = "hoering_our_status"  # the status filter (tests and links rely on this key)
CHIPS_KEY = "hoering_status_chips"
VIEW_KEY = "hoering_view"  # the chosen tab
BUCKET_ROWS = 10  # deadlines shown per group until asked for all (a backlog can hold many)
TAB_ICONS = {"deadlines": ":material/alarm:", "list": ":material/list:", "timeline": ":material/timeline:",
             "stortinget": ":material/account_balance:"}


def show_list(ctx: PageContext) -> None:
    """The list page: actions, folded filters with status counts, then deadlines, the table and the timeline in tabs.

    The filters are folded so that on a phone the deadlines come first.
    """
    st.title(ctx.t("hoeringer.title"))
    st.caption(ctx.t("hoeringer.intro"))
    forms.show_flash(ctx)
    with st.container(horizontal=True, gap="small"):
        calendar.panel(ctx)
        if ctx.actor.can_edit:
            hoering_form.lead_days_setting(ctx)
            hoering_stale.setting(ctx)
    if ctx.actor.can_edit:
        hoering_form.new_form(ctx)
    filters = _filters(ctx)
    views = {"deadlines": _deadline_view, "list": _table, "timeline": _timeline}
    if ctx.actor.can_edit:  # fetching and taking in are an editor's work (ui/stortinget.py)
        views["stortinget"] = stortinget.tab
    tabs = st.tabs([tab_label(ctx, name) for name in views], key=VIEW_KEY, on_change="rerun")
    for tab, view in zip(tabs, views.values()):
        if tab.open:  # only the chosen tab is drawn: each view reads and renders ten years of høringer
            with tab:
                view(ctx, filters)


def tab_label(ctx: PageContext, view: str) -> str:
    """The label of a view's tab («Frister», «Liste», «Tidslinje»), also its value in session state."""
    return f"{TAB_ICONS[view]} {ctx.t('hoeringer.tab.' + view)}"


def _filters(ctx: PageContext) -> dict:
    departments = read(ctx, hoeringer.departments)
    names = dict(zip(departments["id"], departments["short_name"].fillna(departments["name"])))
    people = described.people(ctx)
    active = sum(1 for k in (STATUS_KEY, "hoering_official", "hoering_department", "hoering_text",
                             "hoering_responsible") if st.session_state.get(k))
    label = ctx.t("hoeringer.filters_active", n=active) if active else ctx.t("hoeringer.filters")
    with st.expander(label, icon=":material/filter_list:", key="hoering_filters"):
        cols = st.columns([3, 2, 2, 2, 2])
        text = cols[0].text_input(ctx.t("common.search"), placeholder=ctx.t("hoeringer.search_placeholder"),
                                  key="hoering_text")
        our_status = cols[1].selectbox(ctx.t("hoeringer.filter.our_status"), codes.HOERING_OUR_STATUSES,
                                       index=None, placeholder=ctx.t("hoeringer.filter.not_archived"),
                                       key=STATUS_KEY, format_func=lambda c: ctx.label("hoering_our_status", c))
        official = cols[2].selectbox(ctx.t("hoeringer.filter.official_status"), codes.HOERING_OFFICIAL_STATUSES,
                                     index=None, placeholder=ctx.t("common.all"), key="hoering_official",
                                     format_func=lambda c: ctx.label("hoering_official_status", c))
        department = cols[3].selectbox(ctx.t("hoeringer.filter.department"), list(names), index=None,
                                       placeholder=ctx.t("common.all"), key="hoering_department",
                                       format_func=lambda i: names[i])
        responsible = cols[4].selectbox(ctx.t("mine.filter"), list(people), index=None,
                                        placeholder=ctx.t("common.all"), key="hoering_responsible",
                                        format_func=lambda i: people.get(i, str(i)))
        filters = {"our_status": our_status, "official_status": official, "department_id": department, "text": text,
                   "responsible_person_id": responsible}
        _status_chips(ctx, filters)
    return filters


def _chips_changed() -> None:
    # A status count was clicked: it becomes the status filter (clicking it again clears it).
    st.session_state[STATUS_KEY] = st.session_state.get(CHIPS_KEY)


def _status_chips(ctx: PageContext, filters: dict) -> None:
    counts = read(ctx, hoeringer.status_counts, official_status=filters["official_status"],
                  department_id=filters["department_id"], text=filters["text"],
                  responsible_person_id=filters["responsible_person_id"])
    # The chips show the same filter as the status box above (set before the chips are drawn).
    st.session_state[CHIPS_KEY] = filters["our_status"]
    st.pills(ctx.t("hoeringer.status_counts"), codes.HOERING_OUR_STATUSES, key=CHIPS_KEY,
             format_func=lambda c: f"{ctx.label('hoering_our_status', c)} · {counts[c]}",
             on_change=_chips_changed, help=ctx.t("hoeringer.status_counts_help"))


def _sorted(frame: pd.DataFrame, sort: str, date_column: str) -> pd.DataFrame:
    if frame.empty:
        return frame
    if sort == "title":
        return frame.sort_values("title", key=lambda s: s.str.lower(), kind="stable")
    return frame.sort_values([date_column, "title"], ascending=[sort == "soonest", True], kind="stable")


def _deadline_view(ctx: PageContext, filters: dict) -> None:
    frame = read(ctx, hoeringer.deadline_view, today=ctx.today, **filters)
    if filters["our_status"] and filters["our_status"] not in OPEN_HOERING_STATUSES:
        st.info(ctx.t("hoeringer.deadlines_closed_status",
                      status=ctx.label("hoering_our_status", filters["our_status"])), icon=":material/info:")
        return
    hoering_stale.panel(ctx)
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    left.caption(ctx.t("hoeringer.deadlines_caption"))
    sort = right.selectbox(ctx.t("hoeringer.sort"), SORTS, key="hoering_sort",
                           format_func=lambda s: ctx.t(f"hoeringer.sort.{s}"))
    for bucket in BUCKETS:
        rows = _sorted(frame[frame["bucket"] == bucket], sort, "day")
        with st.container(key=f"hoering_bucket_{bucket}"):
            st.markdown(f"#### :{widgets.BUCKET_COLOURS[bucket]}[{widgets.BUCKET_ICONS[bucket]}] "
                        f"{ctx.t('bucket.' + bucket)} · {len(rows)}")
            if rows.empty:
                st.caption(ctx.t("hoeringer.bucket_empty"))
            elif bucket == "overdue":
                official = len(deadlines.overdue(rows, "official"))
                st.caption(ctx.t("home.overdue_split", official=official, internal=len(rows) - official))
            all_key = f"hoering_bucket_{bucket}_all"
            shown = rows if st.session_state.get(all_key) else rows.head(BUCKET_ROWS)
            for row in shown.itertuples():
                _deadline_row(ctx, row)
            if len(shown) < len(rows):
                st.button(ctx.t("common.show_all", total=len(rows)), key=f"hoering_bucket_{bucket}_more",
                          type="tertiary", icon=":material/expand_more:", on_click=st.session_state.__setitem__,
                          args=(all_key, True))


def _deadline_row(ctx: PageContext, row) -> None:
    with st.container(border=True, gap="small"):
        kind = ctx.t(f"deadline.{row.kind}")
        lead = row.lead_short if widgets.present(row.lead_short) else row.lead_org
        owner = row.department if row.kind == "hoering_frist" else lead
        who = f" · {owner}" if widgets.present(owner) else ""
        st.markdown(f"{widgets.urgency_badge(ctx, row.bucket, row.days_left)} "
                    f"**{formatting.format_date(row.day)}** · {widgets.plain(kind + who)} "
                    f":gray-badge[{widgets.plain(ctx.label('hoering_our_status', row.status))}]")
        record_link(ctx, "hoeringer", row.record_id, widgets.plain(row.title), icon=":material/gavel:")
        if row.kind == "hoering_internal" and not widgets.present(row.lead_org) and row.status != "innkommet":
            st.caption(ctx.t("hoeringer.no_lead_yet"))


def _table(ctx: PageContext, filters: dict) -> None:
    # Latest frist first, as the query orders it; the column headers sort it otherwise.
    frame = read(ctx, hoeringer.list_hoeringer, **filters)
    st.caption(f"{ctx.t('common.count', n=len(frame))} · {ctx.t('common.open_hint')}")

    def display(rows):
        shown = widgets.dates_for_display(rows, ["deadline", "internal_deadline"]).assign(
            our_status=rows["our_status"].map(lambda c: ctx.label("hoering_our_status", c)),
            official_status=rows["official_status"].map(lambda c: ctx.label("hoering_official_status", c)),
            lead_org=rows["lead_short"].fillna(rows["lead_org"]),
            flags=rows["short_deadline"].map(lambda s: ctx.t("hoeringer.short_flag") if s else ""),
        )[["deadline", "our_status", "title", "department", "internal_deadline", "lead_org", "responsible_person",
           "official_status", "their_ref", "our_ref", "flags"]]  # what matters first: on a phone the first three fit
        shown.columns = [ctx.t(f"hoeringer.col.{c}") for c in shown.columns]
        return shown

    chosen = tables.pick_from_table(ctx, frame, display, key="hoering_table")
    if chosen is not None:
        links.open_record(SCRIPT, chosen, ctx)


def _timeline(ctx: PageContext, filters: dict) -> None:
    frame = read(ctx, hoeringer.timeline, today=ctx.today, **filters)
    st.caption(ctx.t("hoeringer.timeline_caption"))
    if frame.empty:
        st.info(ctx.t("common.no_rows"), icon=":material/info:")
        return
    labels = {c: ctx.label("hoering_our_status", c) for c in codes.HOERING_OUR_STATUSES}
    texts = {k: ctx.t(f"hoeringer.chart.{k}") for k in
             ("hoering", "published", "deadline", "internal", "status", "department", "today", "date")}
    event = charts.show(hoeringer_charts.timeline_chart, frame, ctx.today, labels, texts, on_select="rerun",
                        selection_mode=SELECTION, key="hoering_timeline", text=_timeline_text(ctx, frame, labels))
    picked = (event.selection.get(SELECTION) or []) if event is not None else []
    if picked and "id" in picked[0]:
        links.open_record(SCRIPT, int(picked[0]["id"]), ctx)


def _timeline_text(ctx: PageContext, frame: pd.DataFrame, labels: dict[str, str]) -> charts.TextView:
    # The timeline in words (the nearest open deadline) and as a table of its dates.
    upcoming = frame[frame["deadline"].fillna("") >= ctx.today.isoformat()].sort_values("deadline")
    if upcoming.empty:
        summary = ctx.t("charts.timeline_summary_past", n=len(frame))
    else:
        first = upcoming.iloc[0]
        summary = ctx.t("charts.timeline_summary", n=len(frame), title=first["title"],
                        date=formatting.format_date(first["deadline"]))
    columns = ["title", "department", "deadline", "internal_deadline", "our_status"]
    table = widgets.dates_for_display(frame[columns], ["deadline", "internal_deadline"])
    table = table.assign(our_status=table["our_status"].map(lambda code: labels.get(code, code)))
    table.columns = [ctx.t(f"hoeringer.col.{c}") for c in columns]
    return charts.text_view(ctx, summary, table)


def show_detail(ctx: PageContext, hoering_id: int) -> None:
    """One høring: status and urgency, its fields, links, and for editors the form, archiving and history."""
    record = read(ctx, hoeringer.get_hoering, hoering_id=hoering_id, include_internal=True)
    widgets.back_link(ctx, SCRIPT, "hoeringer.back")
    if record is None:
        widgets.not_found(ctx, SCRIPT, "hoeringer.back")
        return
    st.title(widgets.plain(record["title"]))
    forms.show_flash(ctx)
    _badges(ctx, record)
    if record["short_deadline"]:
        st.warning(ctx.t("hoeringer.short_deadline_warning"), icon=":material/timer_off:")
    _suggested_status(ctx, record)
    if ctx.actor.can_edit and hoering_form.actions(ctx, record):
        hoering_form.edit_form(ctx, record)
        return
    if ctx.actor.can_edit:
        hoering_page.panel(ctx, record)
    _fields(ctx, record)
    _links(ctx, record)
    record_footer(ctx, record)
    if ctx.actor.can_edit:
        _history(ctx, hoering_id)


def _badges(ctx: PageContext, record: dict) -> None:
    with st.container(horizontal=True, gap="small"):
        widgets.example_badge(ctx, record["is_example"])
        archived = record["our_status"] == "arkivert"
        st.badge(ctx.label("hoering_our_status", record["our_status"]),
                 icon=":material/inventory_2:" if archived else ":material/flag:", color="gray" if archived else "violet")
        st.badge(ctx.label("hoering_official_status", record["official_status"]), icon=":material/gavel:",
                 color="gray")
        days = formatting.days_until(record["deadline"], ctx.today)
        if days is not None and record["our_status"] in OPEN_HOERING_STATUSES:
            bucket = "overdue" if days < 0 else "this_week" if days <= 7 else "next_30" if days <= 30 else "later"
            st.badge(ctx.t("hoeringer.days_left", relative=formatting.relative_days(days, ctx.lang)),
                     icon=widgets.BUCKET_ICONS[bucket], color=widgets.BUCKET_COLOURS[bucket])


def _suggested_status(ctx: PageContext, record: dict) -> None:
    # The dates say the ministry has probably closed the consultation: offer the change in one click.
    suggested = deadlines.suggested_official_status(record["official_status"], record["deadline"], ctx.today)
    if suggested is None or record["our_status"] == "arkivert":
        return
    with st.container(horizontal=True, gap="small", vertical_alignment="center"):
        st.info(ctx.t("hoeringer.suggest_official", status=ctx.label("hoering_official_status", suggested)),
                icon=":material/lightbulb:")
        if ctx.actor.can_edit and st.button(ctx.t("hoeringer.suggest_apply",
                                                  status=ctx.label("hoering_official_status", suggested)),
                                            key="hoering_suggest_official"):
            saved = forms.save(ctx, lambda db: hoeringer.update_hoering(
                db, ctx.actor, record["id"], {"official_status": suggested}, record["version"], ctx.today))
            if saved is not None:
                st.rerun()


def internal_deadline_text(ctx: PageContext, record: dict) -> str:
    """«19.03.2026 (automatisk: 7 dager før høringsfristen)» or «… (satt for hånd)»."""
    if not record.get("internal_deadline"):
        return ""
    day = formatting.format_date(record["internal_deadline"])
    if record.get("internal_deadline_manual"):
        return f"{day} ({ctx.t('hoeringer.internal_manual')})"
    days = (formatting.parse_date(record["deadline"]) - formatting.parse_date(record["internal_deadline"])).days \
        if record.get("deadline") else None
    return f"{day} ({ctx.t('hoeringer.internal_derived', days=days)})" if days is not None else day


def _fields(ctx: PageContext, record: dict) -> None:
    cosigners = ", ".join(c["name"] for c in record["cosigners"])
    widgets.fields(ctx, [
        (ctx.t("hoeringer.field.department"), record["department_name"]),
        (ctx.t("hoeringer.field.their_ref"), record["their_ref"]),
        (ctx.t("hoeringer.field.our_ref"), record["our_ref"]),
        (ctx.t("hoeringer.field.published_on"), formatting.format_date(record["published_on"])),
        (ctx.t("hoeringer.field.deadline"), formatting.format_date(record["deadline"])),
        (ctx.t("hoeringer.field.internal_deadline"), internal_deadline_text(ctx, record)),
        (ctx.t("hoeringer.field.official_status"), ctx.label("hoering_official_status", record["official_status"])),
        (ctx.t("hoeringer.field.our_status"), ctx.label("hoering_our_status", record["our_status"])),
        (ctx.t("hoeringer.field.named_instance"), ctx.t("common.yes" if record["named_instance"] else "common.no")),
        (ctx.t("hoeringer.field.lead_org"), record["lead_org_name"]),
        (ctx.t("hoeringer.field.cosigners"), cosigners),
        (ctx.t("hoeringer.field.answer_type"), ctx.label("answer_type", record["answer_type"])),
        (ctx.t("hoeringer.field.submitted_on"), formatting.format_date(record["submitted_on"])),
        (ctx.t("hoeringer.short_reason"), record["short_deadline_reason"]),
        (ctx.t("hoeringer.field.result"), record["result"]),
        *((f.label_in(ctx.lang), described.shown(ctx, f, record.get(f.name))) for f in hoering_form.EXTRAS),
    ])
    widgets.link_field(ctx.t("hoeringer.field.url"), record["url"])
    widgets.link_field(ctx.t("hoeringer.field.answer_url"), record["answer_url"])


def _links(ctx: PageContext, record: dict) -> None:
    if record["saker"]:
        st.subheader(ctx.t("hoeringer.linked_saker"))
        for sak in record["saker"]:
            record_link(ctx, "saker", sak["id"], widgets.plain(sak["title"]), icon=":material/topic:")
    if record["agenda_items"]:
        st.subheader(ctx.t("hoeringer.in_meetings"))
        for item in record["agenda_items"]:
            label = f"{formatting.format_date(item['starts_at'])} · {item['meeting']}: {item['title']}"
            record_link(ctx, "meetings", item["meeting_id"], widgets.plain(label), icon=":material/groups:")


def _history(ctx: PageContext, hoering_id: int) -> None:
    frame = read(ctx, hoeringer.history, hoering_id=hoering_id)
    with st.expander(ctx.t("hoeringer.history", n=len(frame)), icon=":material/history:"):
        if frame.empty:
            st.caption(ctx.t("hoeringer.history_empty"))
        for row in frame.itertuples():
            fields = [k for k in (row.after or row.before) if k not in ("version", "updated_at", "created_at", "id")]
            names = ", ".join(hoering_form.field_label(ctx, f) for f in fields[:8])
            if row.action == "create":
                names = ""
            st.markdown(f"**{_local_time(row.at)}** · {widgets.plain(row.actor)} · "
                        f"{ctx.label('audit_action', row.action)}"
                        + (f" – {widgets.plain(names)}" if names else ""))


def _local_time(stamp: str) -> str:
    # Audit times are stored in UTC; people read them in Norwegian time.
    moment = datetime.fromisoformat(stamp).astimezone(ZoneInfo("Europe/Oslo"))
    return moment.strftime("%d.%m.%Y kl. %H:%M")
