"""Høringer: the list with filters, and one høring in detail (?id=…)."""

import streamlit as st

from krem_advocacy import codes, formatting
from krem_advocacy.ui import widgets
from krem_advocacy.ui.data import read
from krem_advocacy.ui.page import record_link, selected_id, setup

SCRIPT = "pages/hoeringer.py"
ctx = setup("hoeringer")


def show_detail(hoering_id: int) -> None:
    record = read(ctx, "hoeringer.get_hoering", hoering_id=hoering_id, include_internal=True)
    widgets.back_link(ctx, SCRIPT, "hoeringer.back")
    if record is None:
        widgets.not_found(ctx, SCRIPT, "hoeringer.back")
        return
    st.title(widgets.plain(record["title"]))
    widgets.example_badge(ctx, record["is_example"])
    days = formatting.days_until(record["deadline"], ctx.today)
    if days is not None and record["our_status"] in ("innkommet", "til_vurdering", "svarer"):
        bucket = widgets.BUCKET_COLOURS["overdue" if days < 0 else "this_week" if days <= 7 else "next_30"]
        st.badge(ctx.t("hoeringer.days_left", relative=formatting.relative_days(days, ctx.lang)), color=bucket)
    if record["short_deadline"]:
        st.warning(ctx.t("hoeringer.short_deadline_warning"), icon=":material/timer_off:")
    cosigners = ", ".join(record["cosigners"]["name"])
    widgets.fields(ctx, [
        (ctx.t("hoeringer.field.department"), record["department_name"]),
        (ctx.t("hoeringer.field.our_ref"), record["our_ref"]),
        (ctx.t("hoeringer.field.published_on"), formatting.format_date(record["published_on"])),
        (ctx.t("hoeringer.field.deadline"), formatting.format_date(record["deadline"])),
        (ctx.t("hoeringer.field.internal_deadline"), formatting.format_date(record["internal_deadline"])),
        (ctx.t("hoeringer.field.official_status"), ctx.label("hoering_official_status", record["official_status"])),
        (ctx.t("hoeringer.field.our_status"), ctx.label("hoering_our_status", record["our_status"])),
        (ctx.t("hoeringer.field.named_instance"), ctx.t("common.yes" if record["named_instance"] else "common.no")),
        (ctx.t("hoeringer.field.answer_type"), ctx.label("answer_type", record["answer_type"])),
        (ctx.t("hoeringer.field.lead_org"), record["lead_org_name"]),
        (ctx.t("hoeringer.field.cosigners"), cosigners),
        (ctx.t("hoeringer.field.submitted_on"), formatting.format_date(record["submitted_on"])),
        (ctx.t("hoeringer.short_reason"), record["short_deadline_reason"]),
        (ctx.t("hoeringer.field.result"), record["result"]),
    ])
    widgets.link_field(ctx.t("hoeringer.field.url"), record["url"])
    widgets.link_field(ctx.t("hoeringer.field.answer_url"), record["answer_url"])
    if not record["saker"].empty:
        st.subheader(ctx.t("hoeringer.linked_saker"))
        for sak in record["saker"].itertuples():
            record_link(ctx, "saker", sak.id, widgets.plain(sak.title), icon=":material/topic:")
    if not record["agenda_items"].empty:
        st.subheader(ctx.t("hoeringer.in_meetings"))
        for item in record["agenda_items"].itertuples():
            label = f"{formatting.format_date(item.starts_at)} · {item.meeting}: {item.title}"
            record_link(ctx, "meetings", item.meeting_id, widgets.plain(label), icon=":material/groups:")
    widgets.record_footer(ctx, record)


def show_list() -> None:
    st.title(ctx.t("hoeringer.title"))
    st.caption(ctx.t("hoeringer.intro"))
    departments = read(ctx, "hoeringer.departments")
    with st.container(border=True):
        cols = st.columns([2, 1, 1, 1])
        text = cols[0].text_input(ctx.t("common.search"), placeholder=ctx.t("common.search_placeholder"),
                                  key="hoering_text")
        our_status = cols[1].selectbox(ctx.t("hoeringer.filter.our_status"), codes.HOERING_OUR_STATUSES,
                                       index=None, placeholder=ctx.t("common.all"), key="hoering_our_status",
                                       format_func=lambda c: ctx.label("hoering_our_status", c))
        official = cols[2].selectbox(ctx.t("hoeringer.filter.official_status"), codes.HOERING_OFFICIAL_STATUSES,
                                     index=None, placeholder=ctx.t("common.all"), key="hoering_official",
                                     format_func=lambda c: ctx.label("hoering_official_status", c))
        names = dict(zip(departments["id"], departments["short_name"].fillna(departments["name"])))
        department = cols[3].selectbox(ctx.t("hoeringer.filter.department"), list(names), index=None,
                                       placeholder=ctx.t("common.all"), key="hoering_department",
                                       format_func=lambda i: names[i])
    frame = read(ctx, "hoeringer.list_hoeringer", our_status=our_status, official_status=official,
                 department_id=department, text=text)
    st.caption(f"{ctx.t('common.count', n=len(frame))} · {ctx.t('common.open_hint')}")
    display = widgets.dates_for_display(frame, ["deadline", "internal_deadline"])
    display = display.assign(
        our_status=frame["our_status"].map(lambda c: ctx.label("hoering_our_status", c)),
        official_status=frame["official_status"].map(lambda c: ctx.label("hoering_official_status", c)),
        flags=frame["short_deadline"].map(lambda s: ctx.t("hoeringer.short_flag") if s else ""),
    )[["title", "department", "deadline", "internal_deadline", "our_status", "official_status", "our_ref", "flags"]]
    display.columns = [ctx.t(f"hoeringer.col.{c}") for c in display.columns]
    chosen = widgets.pick_from_table(ctx, frame, display, key="hoering_table")
    if chosen is not None:
        widgets.open_record(SCRIPT, chosen, ctx)


record_id = selected_id()
if record_id is not None:
    show_detail(record_id)
else:
    show_list()
