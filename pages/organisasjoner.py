"""Organisasjoner: organisations and people; one organisation (?id=…) or one person (?person=…)."""

import streamlit as st

from krem_advocacy.text import codes
from krem_advocacy.ui import editing, widgets
from krem_advocacy.domain import organisations
from krem_advocacy.ui import organisations as ui
from krem_advocacy.ui.data import later, read
from krem_advocacy.ui.links import selected_id
from krem_advocacy.ui.page import setup
from krem_advocacy.ui import links
from krem_advocacy.ui import tables

SCRIPT = "pages/organisasjoner.py"
ctx = setup("organisations")


def person_id() -> int | None:
    value = st.query_params.get("person")
    return int(value) if value and value.isdigit() else None


def show_organisation(org_id: int) -> None:
    record = read(ctx, organisations.get_organisation, org_id=org_id, include_internal=True)
    widgets.back_link(ctx, SCRIPT, "organisations.back")
    if record is None:
        widgets.not_found(ctx, SCRIPT, "organisations.back")
        return
    ui.organisation_detail(ctx, record)


def show_person(chosen: int) -> None:
    record = read(ctx, organisations.get_person, person_id=chosen, include_internal=True)
    widgets.back_link(ctx, SCRIPT, "organisations.back")
    if record is None:
        widgets.not_found(ctx, SCRIPT, "organisations.back")
        return
    ui.person_detail(ctx, record)


def show_list() -> None:
    st.title(ctx.t("organisations.title"))
    st.caption(ctx.t("organisations.intro"))
    # Only the chosen tab is drawn (thousands of organisations and people after some years).
    tab_orgs, tab_people = st.tabs([ctx.t("organisations.tab.organisations"), ctx.t("organisations.tab.people")],
                                   key="org_view", on_change="rerun")
    if tab_orgs.open:
        with tab_orgs:
            organisation_list()
    if tab_people.open:
        with tab_people:
            people_list()


def organisation_list() -> None:
    if ctx.actor.can_edit and editing.edit_toggle(ctx, "org_new", "organisations.new"):
        ui.organisation_form(ctx)
    cols = st.columns([2, 1])
    text = cols[0].text_input(ctx.t("common.search"), placeholder=ctx.t("common.search_placeholder"),
                              key="org_text")
    kind = cols[1].selectbox(ctx.t("organisations.filter.kind"), codes.ORGANISATION_KINDS, index=None,
                             placeholder=ctx.t("common.all"), key="org_kind",
                             format_func=lambda c: ctx.label("organisation_kind", c))
    # The first rows only, until «show all»: counting what thousands of organisations did takes long.
    limit = None if tables.showing_all("org_table") else tables.TABLE_ROWS
    frame = read(ctx, organisations.list_organisations, kind=kind, text=text, limit=limit)
    st.caption(f"{ctx.t('common.count', n=tables.total_rows(frame))} · {ctx.t('common.open_hint')}")

    def display(rows):
        shown = rows.assign(
            kind=rows["kind"].map(lambda c: ctx.label("organisation_kind", c)),
            member_status=rows["member_status"].map(lambda c: ctx.label("member_status", c)),
            member_since=rows["member_since"].map(lambda y: str(int(y)) if widgets.present(y) else ""),
        )[["name", "short_name", "kind", "member_since", "member_status", "signed_count", "meetings_count",
           "innlegg_count"]]
        shown.columns = [ctx.t(f"organisations.col.{c}") for c in shown.columns]
        return shown

    chosen = tables.pick_from_table(ctx, frame, display, key="org_table",
                                     load_all=later(ctx, organisations.list_organisations, kind=kind, text=text))
    if chosen is not None:
        links.open_record(SCRIPT, chosen, ctx)


def people_list() -> None:
    if ctx.actor.can_edit and editing.edit_toggle(ctx, "person_new", "organisations.new_person"):
        ui.person_form(ctx)
    side = st.selectbox(ctx.t("organisations.filter.side"), codes.PERSON_SIDES, index=None,
                        placeholder=ctx.t("common.all"), key="person_side",
                        format_func=lambda c: ctx.label("person_side", c))
    people = read(ctx, organisations.list_people, side=side)
    st.caption(f"{ctx.t('common.count', n=len(people))} · {ctx.t('common.open_hint')}")

    def display(rows):
        shown = widgets.dates_for_display(rows, ["from_date", "to_date"]).assign(
            side=rows["side"].map(lambda c: ctx.label("person_side", c)),
        )[["name", "side", "organisation", "role", "from_date", "to_date"]]
        shown.columns = [ctx.t(f"organisations.people.col.{c}") for c in shown.columns]
        return shown

    chosen = tables.pick_from_table(ctx, people, display, key="people_table")
    if chosen is not None:
        ui.open_person(ctx, chosen)


if person_id() is not None:
    show_person(person_id())
elif selected_id() is not None:
    show_organisation(selected_id())
else:
    show_list()
