"""Organisasjoner: organisations and people, and one organisation's record of work (?id=…)."""

import streamlit as st

from krem_advocacy import codes, formatting
from krem_advocacy.ui import widgets
from krem_advocacy.ui.data import read
from krem_advocacy.ui.page import record_link, selected_id, setup

SCRIPT = "pages/organisasjoner.py"
ctx = setup("organisations")


def show_detail(org_id: int) -> None:
    record = read(ctx, "organisations.get_organisation", org_id=org_id, include_internal=True)
    widgets.back_link(ctx, SCRIPT, "organisations.back")
    if record is None:
        widgets.not_found(ctx, SCRIPT, "organisations.back")
        return
    st.title(widgets.plain(record["name"]))
    widgets.example_badge(ctx, record["is_example"])
    widgets.fields(ctx, [
        (ctx.t("organisations.field.kind"), ctx.label("organisation_kind", record["kind"])),
        (ctx.t("organisations.field.short_name"), record["short_name"]),
        (ctx.t("organisations.field.parent"), record["parent_name"]),
        (ctx.t("organisations.field.member_since"), record["member_since"] and str(record["member_since"])),
        (ctx.t("organisations.field.member_until"), record["member_until"] and str(record["member_until"])),
        (ctx.t("organisations.field.member_status"), ctx.label("member_status", record["member_status"])),
        (ctx.t("organisations.field.representatives"), record["representatives"] and str(record["representatives"])),
    ])
    widgets.link_field(ctx.t("organisations.field.url"), record["url"])
    st.subheader(ctx.t("organisations.people"))
    if record["people"].empty:
        st.caption(ctx.t("organisations.nothing"))
    for person in record["people"].itertuples():
        span = " – ".join(formatting.format_date(d) for d in (person.from_date, person.to_date) if widgets.present(d))
        role = person.title if widgets.present(person.title) else ""
        st.markdown(widgets.plain(", ".join(x for x in (person.name, role, span) if x)))
    st.subheader(ctx.t("organisations.signed"))
    if record["signed"].empty:
        st.caption(ctx.t("organisations.nothing"))
    for row in record["signed"].itertuples():
        label = f"{formatting.format_date(row.day)} · {row.title} ({ctx.t('organisations.part.' + row.part)})"
        record_link(ctx, row.record_table, row.id, widgets.plain(label))
    st.subheader(ctx.t("organisations.meetings"))
    if record["meetings"].empty:
        st.caption(ctx.t("organisations.nothing"))
    for row in record["meetings"].itertuples():
        record_link(ctx, "meetings", row.id, widgets.plain(f"{formatting.format_date(row.starts_at)} · {row.title}"))
    st.subheader(ctx.t("organisations.innlegg"))
    if record["innlegg"].empty:
        st.caption(ctx.t("organisations.nothing"))
    for row in record["innlegg"].itertuples():
        speaker = f" – {row.speaker}" if widgets.present(row.speaker) else ""
        label = f"{formatting.format_date(row.starts_at)} · {row.meeting}: {row.title}{speaker}"
        record_link(ctx, "meetings", row.meeting_id, widgets.plain(label))
    widgets.record_footer(ctx, record)


def show_list() -> None:
    st.title(ctx.t("organisations.title"))
    st.caption(ctx.t("organisations.intro"))
    tab_orgs, tab_people = st.tabs([ctx.t("organisations.tab.organisations"), ctx.t("organisations.tab.people")])
    with tab_orgs:
        cols = st.columns([2, 1])
        text = cols[0].text_input(ctx.t("common.search"), placeholder=ctx.t("common.search_placeholder"),
                                  key="org_text")
        kind = cols[1].selectbox(ctx.t("organisations.filter.kind"), codes.ORGANISATION_KINDS, index=None,
                                 placeholder=ctx.t("common.all"), key="org_kind",
                                 format_func=lambda c: ctx.label("organisation_kind", c))
        frame = read(ctx, "organisations.list_organisations", kind=kind, text=text)
        st.caption(f"{ctx.t('common.count', n=len(frame))} · {ctx.t('common.open_hint')}")
        display = frame.assign(
            kind=frame["kind"].map(lambda c: ctx.label("organisation_kind", c)),
            member_status=frame["member_status"].map(lambda c: ctx.label("member_status", c)),
            member_since=frame["member_since"].map(lambda y: str(int(y)) if widgets.present(y) else ""),
        )[["name", "short_name", "kind", "member_since", "member_status", "signed_count", "meetings_count",
           "innlegg_count"]]
        display.columns = [ctx.t(f"organisations.col.{c}") for c in display.columns]
        chosen = widgets.pick_from_table(ctx, frame, display, key="org_table")
        if chosen is not None:
            widgets.open_record(SCRIPT, chosen, ctx)
    with tab_people:
        people = read(ctx, "organisations.list_people")
        shown = widgets.dates_for_display(people, ["from_date", "to_date"]).assign(
            side=people["side"].map(lambda c: ctx.label("person_side", c)),
        )[["name", "side", "organisation", "role", "from_date", "to_date"]]
        shown.columns = [ctx.t(f"organisations.people.col.{c}") for c in shown.columns]
        st.dataframe(shown, hide_index=True, width="stretch")


record_id = selected_id()
if record_id is not None:
    show_detail(record_id)
else:
    show_list()
