"""The Organisasjoner page: the lists of organisations and people, one organisation's and one person's record of
work, and their forms."""

from datetime import date

import streamlit as st

from krem_advocacy.domain import organisations
from krem_advocacy.store.permissions import SEE_INTERNAL
from krem_advocacy.text import codes, formatting
from krem_advocacy.ui import editing, forms, links, tables, widgets
from krem_advocacy.ui.context import PageContext
from krem_advocacy.ui.data import later, read
from krem_advocacy.ui.links import record_link
from krem_advocacy.ui.record import record_footer

SCRIPT = "pages/organisasjoner.py"
FIRST_DAY, YEARS_AHEAD = date(1945, 1, 1), 5


def person_link(ctx: PageContext, person_id: int, label: str, icon: str = ":material/person:") -> None:
    """A link that opens a person's page (Organisasjoner ?person=…)."""
    record_link(ctx, "people", person_id, label, icon=icon)


def linked_person() -> int | None:
    """The person in the link (?person=…), or None when absent or not a number."""
    value = st.query_params.get("person")
    return int(value) if value and value.isdigit() else None


def open_person(ctx: PageContext, person_id: int) -> None:
    """Go to a person's page (used when a row of the people table is chosen)."""
    links.switch_to(ctx, SCRIPT, person=int(person_id))


def span(from_date, to_date, ctx: PageContext) -> str:
    """«01.01.2017 – 31.12.2017», «fra 01.01.2017», or '' when no dates are known."""
    start, end = formatting.format_date(from_date), formatting.format_date(to_date)
    if start and end:
        return f"{start} – {end}"
    if start:
        return ctx.t("organisations.since", date=start)
    return ctx.t("organisations.until", date=end) if end else ""


def _section(ctx: PageContext, title_key: str, rows: list[dict]) -> bool:
    # A subheading; False (with a quiet line) when there is nothing under it.
    st.subheader(ctx.t(title_key))
    if not rows:
        st.caption(ctx.t("organisations.nothing"))
        return False
    return True


# ---- The lists ----

def show_list(ctx: PageContext) -> None:
    """The list page: organisations and people in two tabs."""
    st.title(ctx.t("organisations.title"))
    st.caption(ctx.t("organisations.intro"))
    # Only the chosen tab is drawn (thousands of organisations and people after some years).
    tab_orgs, tab_people = st.tabs([ctx.t("organisations.tab.organisations"), ctx.t("organisations.tab.people")],
                                   key="org_view", on_change="rerun")
    if tab_orgs.open:
        with tab_orgs:
            _organisation_list(ctx)
    if tab_people.open:
        with tab_people:
            _people_list(ctx)


def _organisation_list(ctx: PageContext) -> None:
    if ctx.actor.can_edit and editing.edit_toggle(ctx, "org_new", "organisations.new"):
        organisation_form(ctx)
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


def _people_list(ctx: PageContext) -> None:
    if ctx.actor.can_edit and editing.edit_toggle(ctx, "person_new", "organisations.new_person"):
        person_form(ctx)
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
        open_person(ctx, chosen)


# ---- One organisation ----

def show_organisation(ctx: PageContext, org_id: int) -> None:
    """One organisation (?id=…), or a message when it does not exist."""
    record = read(ctx, organisations.get_organisation, org_id=org_id, include_internal=True)
    widgets.back_link(ctx, SCRIPT, "organisations.back")
    if record is None:
        widgets.not_found(ctx, SCRIPT, "organisations.back")
        return
    organisation_detail(ctx, record)


def organisation_detail(ctx: PageContext, record: dict) -> None:
    """An organisation's facts, people and roles held there, and what it led, signed, attended and said."""
    st.title(widgets.plain(record["name"]))
    widgets.example_badge(ctx, record["is_example"])
    if ctx.actor.can_edit and editing.edit_toggle(ctx, f"org_{record['id']}"):
        organisation_form(ctx, record)
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
    if record["children"]:
        st.markdown(f"**{ctx.t('organisations.children')}**")
        for row in record["children"]:
            record_link(ctx, "organisations", row["id"], widgets.plain(row["name"]),
                        icon=":material/subdirectory_arrow_right:")
    if _section(ctx, "organisations.people", record["people"]):
        for person in record["people"]:
            parts = [person["name"], person["title"] or "", span(person["from_date"], person["to_date"], ctx)]
            person_link(ctx, person["id"], widgets.plain(", ".join(p for p in parts if p)))
    if _section(ctx, "organisations.saker", record["saker"]):
        for row in record["saker"]:
            label = f"{row['title']} ({ctx.label('sak_status', row['status'])})"
            record_link(ctx, "saker", row["id"], widgets.plain(label), icon=":material/topic:")
    if _section(ctx, "organisations.signed", record["signed"]):
        for row in record["signed"]:
            part = ctx.t("organisations.part." + row["part"])
            label = f"{formatting.format_date(row['day'])} · {row['title']} ({part})"
            record_link(ctx, row["record_table"], row["id"], widgets.plain(label))
    if _section(ctx, "organisations.meetings", record["meetings"]):
        for row in record["meetings"]:
            label = f"{formatting.format_date(row['starts_at'])} · {row['title']}"
            record_link(ctx, "meetings", row["id"], widgets.plain(label), icon=":material/groups:")
    if _section(ctx, "organisations.innlegg", record["innlegg"]):
        for row in record["innlegg"]:
            speaker = f" – {row['speaker']}" if row["speaker"] else ""
            label = f"{formatting.format_date(row['starts_at'])} · {row['meeting']}: {row['title']}{speaker}"
            record_link(ctx, "meetings", row["meeting_id"], widgets.plain(label), icon=":material/record_voice_over:")
    if record["tilsagn"]:
        _tilsagn(ctx, record["tilsagn"])
    record_footer(ctx, record)


def _tilsagn(ctx: PageContext, rows: list[dict]) -> None:
    st.subheader(ctx.t("organisations.tilsagn"))
    for row in rows:
        status = ctx.label("tilsagn_status", row["status"])
        label = f"{formatting.format_date(row['starts_at'])} · {row['text']} ({status})"
        record_link(ctx, "meetings", row["meeting_id"], widgets.plain(label), icon=":material/handshake:")


# ---- One person ----

def show_person(ctx: PageContext, person_id: int) -> None:
    """One person (?person=…), or a message when they do not exist."""
    record = read(ctx, organisations.get_person, person_id=person_id, include_internal=True)
    widgets.back_link(ctx, SCRIPT, "organisations.back")
    if record is None:
        widgets.not_found(ctx, SCRIPT, "organisations.back")
        return
    person_detail(ctx, record)


def person_detail(ctx: PageContext, record: dict) -> None:
    """A person: organisation, roles over time, meetings with the role held that day, innlegg, saker."""
    st.title(widgets.plain(record["name"]))
    widgets.example_badge(ctx, record["is_example"])
    if ctx.actor.can_edit and editing.edit_toggle(ctx, f"person_{record['id']}"):
        person_form(ctx, record)
    widgets.fields(ctx, [(ctx.t("organisations.person.side"), ctx.label("person_side", record["side"]))]
                   # Contact details are for the people who work with the forum, not for anyone with the link.
                   + ([(ctx.t("organisations.person.email"), record["email"]),
                       (ctx.t("organisations.person.phone"), record["phone"])] if ctx.actor.can(SEE_INTERNAL) else []))
    if record["organisation_id"] is not None:
        st.markdown(f"**{ctx.t('organisations.person.organisation')}**")
        record_link(ctx, "organisations", record["organisation_id"], widgets.plain(record["organisation_name"]),
                    icon=":material/corporate_fare:")
    st.subheader(ctx.t("organisations.person.roles"))
    st.caption(ctx.t("organisations.person.roles_help"))
    if not record["roles"]:
        st.caption(ctx.t("organisations.nothing"))
    for role in record["roles"]:
        parts = [role["title"], _role_org(role), span(role["from_date"], role["to_date"], ctx)]
        st.markdown("- " + widgets.plain(", ".join(p for p in parts if p)))
    if ctx.actor.can_edit:
        role_editor(ctx, record)
    if _section(ctx, "organisations.person.meetings", record["meetings"]):
        for row in record["meetings"]:
            then = row["role_then"] or row["role_at_meeting"]
            suffix = f" – {then}" if then else ""
            label = f"{formatting.format_date(row['starts_at'])} · {row['title']}{suffix}"
            record_link(ctx, "meetings", row["id"], widgets.plain(label), icon=":material/groups:")
    if _section(ctx, "organisations.person.innlegg", record["innlegg"]):
        for row in record["innlegg"]:
            label = f"{formatting.format_date(row['starts_at'])} · {row['meeting']}: {row['title']}"
            record_link(ctx, "meetings", row["meeting_id"], widgets.plain(label), icon=":material/record_voice_over:")
    if _section(ctx, "organisations.person.saker", record["saker"]):
        for row in record["saker"]:
            label = f"{row['title']} ({ctx.label('sak_status', row['status'])})"
            record_link(ctx, "saker", row["id"], widgets.plain(label), icon=":material/topic:")
    if record["tilsagn"]:
        _tilsagn(ctx, record["tilsagn"])
    record_footer(ctx, record)


# ---- Forms ----

def _org_names(ctx: PageContext, exclude: int | None = None) -> dict[int, str]:
    orgs = read(ctx, organisations.options)
    return {int(i): n + (f" ({s})" if widgets.present(s) else "")
            for i, n, s in zip(orgs["id"], orgs["name"], orgs["short_name"]) if int(i) != exclude}


def _index(options: list, value) -> int | None:
    return options.index(value) if value in options else None


def _int(value) -> int | None:
    return None if value is None else int(value)


def _role_org(role: dict) -> str:
    # Where a role is held: the organisation's short name, else its name ('' when none is recorded).
    return role["short_name"] or role["organisation"] or ""


def organisation_form(ctx: PageContext, record: dict | None = None) -> None:
    """The form that creates an organisation (record None) or edits one."""
    key = f"org_{record['id']}" if record else "org_new"
    form = forms.FormSession(ctx, key, record)
    form.stale_notice()
    opened = form.version or 0
    record = record or {}
    names = _org_names(ctx, exclude=record.get("id"))
    labels = {f: ctx.t(f"organisations.form.{f}") for f in organisations.ORGANISATION_FIELDS}
    w = f"{key}_{opened}_"
    with st.form(f"{w}form"):
        values = {"name": st.text_input(labels["name"], record.get("name") or "", max_chars=300, key=w + "name")}
        cols = st.columns(3)
        values["short_name"] = cols[0].text_input(labels["short_name"], record.get("short_name") or "",
                                                  max_chars=organisations.MAX_SHORT_NAME_LENGTH, key=w + "short")
        values["kind"] = cols[1].selectbox(labels["kind"], codes.ORGANISATION_KINDS,
                                           index=_index(list(codes.ORGANISATION_KINDS), record.get("kind")),
                                           format_func=lambda c: ctx.label("organisation_kind", c),
                                           placeholder=ctx.t("organisations.form.choose"), key=w + "kind")
        values["parent_id"] = cols[2].selectbox(labels["parent_id"], list(names),
                                                index=_index(list(names), _int(record.get("parent_id"))),
                                                format_func=names.get, placeholder=ctx.t("organisations.form.none"),
                                                help=ctx.t("organisations.form.parent_help"), key=w + "parent")
        st.caption(ctx.t("organisations.form.membership_help"))
        cols = st.columns(4)
        for col, field in zip(cols[:2], ("member_since", "member_until")):
            values[field] = col.number_input(labels[field], min_value=organisations.FIRST_YEAR,
                                             max_value=organisations.LAST_YEAR, value=_int(record.get(field)),
                                             step=1, format="%d", key=w + field)
        values["member_status"] = cols[2].selectbox(labels["member_status"], codes.MEMBER_STATUSES,
                                                    index=_index(list(codes.MEMBER_STATUSES),
                                                                 record.get("member_status")),
                                                    format_func=lambda c: ctx.label("member_status", c),
                                                    placeholder=ctx.t("organisations.form.none"), key=w + "status")
        values["representatives"] = cols[3].number_input(labels["representatives"], min_value=0, max_value=50,
                                                         value=_int(record.get("representatives")), step=1,
                                                         key=w + "reps")
        values["url"] = st.text_input(labels["url"], record.get("url") or "", key=w + "url")
        _footer_fields(values, labels, record, w)
        submitted = st.form_submit_button(ctx.t("form.save"), type="primary", icon=":material/save:")
    if not submitted:
        return
    show = _display(ctx, names)
    if record:
        done = forms.save(ctx, lambda db: organisations.update_organisation(db, ctx.actor, record["id"], values,
                                                                            opened, today=ctx.today),
                          labels, attempted=values, show_value=show)
        if done is not None:
            editing.finish(form)
    else:
        new_id = forms.save(ctx, lambda db: organisations.create_organisation(db, ctx.actor, values, today=ctx.today),
                            labels)
        if new_id is not None:
            editing.close(key)
            links.open_record(SCRIPT, new_id, ctx)


def person_form(ctx: PageContext, record: dict | None = None) -> None:
    """The form that creates a person (record None) or edits one."""
    key = f"person_{record['id']}" if record else "person_new"
    form = forms.FormSession(ctx, key, record)
    form.stale_notice()
    opened = form.version or 0
    record = record or {}
    names = _org_names(ctx)
    labels = {f: ctx.t(f"organisations.form.person.{f}") for f in organisations.PERSON_FIELDS}
    w = f"{key}_{opened}_"
    with st.form(f"{w}form"):
        values = {"name": st.text_input(labels["name"], record.get("name") or "", max_chars=300, key=w + "name")}
        cols = st.columns(2)
        values["organisation_id"] = cols[0].selectbox(
            labels["organisation_id"], list(names), index=_index(list(names), _int(record.get("organisation_id"))),
            format_func=names.get, placeholder=ctx.t("organisations.form.none"), key=w + "org")
        values["side"] = cols[1].selectbox(labels["side"], codes.PERSON_SIDES,
                                           index=_index(list(codes.PERSON_SIDES), record.get("side")),
                                           format_func=lambda c: ctx.label("person_side", c),
                                           placeholder=ctx.t("organisations.form.choose"), key=w + "side")
        cols = st.columns(2)
        values["email"] = cols[0].text_input(labels["email"], record.get("email") or "", key=w + "email")
        values["phone"] = cols[1].text_input(labels["phone"], record.get("phone") or "", key=w + "phone")
        _footer_fields(values, labels, record, w)
        submitted = st.form_submit_button(ctx.t("form.save"), type="primary", icon=":material/save:")
    if not submitted:
        return
    if record:
        done = forms.save(ctx, lambda db: organisations.update_person(db, ctx.actor, record["id"], values, opened),
                          labels, attempted=values, show_value=_display(ctx, names))
        if done is not None:
            editing.finish(form)
    else:
        new_id = forms.save(ctx, lambda db: organisations.create_person(db, ctx.actor, values), labels)
        if new_id is not None:
            editing.close(key)
            open_person(ctx, new_id)


def role_editor(ctx: PageContext, person: dict) -> None:
    """Editors change, remove and add the person's roles, each in its own small form."""
    names = _org_names(ctx)
    for role in person["roles"]:
        # Expander labels are Markdown: the typed title and name are escaped like every user text.
        label = ctx.t("organisations.role.edit", title=widgets.plain(role["title"]), org=widgets.plain(_role_org(role)))
        with st.expander(label, icon=":material/edit:"):
            _role_form(ctx, names, person["id"], role)
    with st.expander(ctx.t("organisations.role.add"), icon=":material/add:"):
        _role_form(ctx, names, person["id"], None, default_org=_int(person.get("organisation_id")))


def _role_form(ctx: PageContext, names: dict, person_id: int, role: dict | None, default_org=None) -> None:
    key = f"role_{role['id']}" if role else f"role_new_{person_id}"
    form = forms.FormSession(ctx, key, role)
    form.stale_notice()
    opened = form.version or 0
    role = role or {"organisation_id": default_org}
    labels = {f: ctx.t(f"organisations.form.role.{f}") for f in ("title", "organisation_id", "from_date", "to_date",
                                                                  "source", "notes", "confirm_delete", "person_id")}
    w = f"{key}_{opened}_"
    latest = date(ctx.today.year + YEARS_AHEAD, 12, 31)
    with st.form(f"{w}form", clear_on_submit=role.get("id") is None):
        values = {"person_id": person_id,
                  "title": st.text_input(labels["title"], role.get("title") or "", placeholder=ctx.t(
                      "organisations.form.role.title_placeholder"), key=w + "title")}
        values["organisation_id"] = st.selectbox(labels["organisation_id"], list(names),
                                                 index=_index(list(names), _int(role.get("organisation_id"))),
                                                 format_func=names.get, placeholder=ctx.t("organisations.form.none"),
                                                 key=w + "org")
        cols = st.columns(2)
        for col, field in zip(cols, ("from_date", "to_date")):
            values[field] = col.date_input(labels[field], formatting.parse_date(role.get(field)), format="DD.MM.YYYY",
                                           min_value=FIRST_DAY, max_value=latest, key=w + field)
        values["source"] = st.text_input(labels["source"], role.get("source") or "", key=w + "source")
        values["notes"] = st.text_input(labels["notes"], role.get("notes") or "", key=w + "notes")
        confirm = st.checkbox(labels["confirm_delete"], key=w + "confirm") if role.get("id") else False
        cols = st.columns(2)
        save = cols[0].form_submit_button(ctx.t("form.save"), type="primary", icon=":material/save:")
        remove = cols[1].form_submit_button(ctx.t("organisations.role.delete"), icon=":material/delete:") \
            if role.get("id") else False
    if remove:
        if not confirm:
            st.warning(ctx.t("organisations.role.confirm_first"), icon=":material/warning:")
        elif forms.save(ctx, lambda db: organisations.delete_role(db, ctx.actor, role["id"], opened) or True,
                        labels, success_key="organisations.role.deleted") is not None:
            editing.finish(form)
    elif save:
        if role.get("id"):
            done = forms.save(ctx, lambda db: organisations.update_role(db, ctx.actor, role["id"], values, opened),
                              labels, attempted=values, show_value=_display(ctx, names))
        else:
            done = forms.save(ctx, lambda db: organisations.create_role(db, ctx.actor, values), labels)
        if done is not None:
            editing.finish(form)


def _footer_fields(values: dict, labels: dict, record: dict, w: str) -> None:
    # Source and notes, then the internal notes viewers never see.
    values["source"] = st.text_input(labels["source"], record.get("source") or "", key=w + "source")
    values["notes"] = st.text_area(labels["notes"], record.get("notes") or "", key=w + "notes")
    values["internal_notes"] = st.text_area(labels["internal_notes"], record.get("internal_notes") or "",
                                            key=w + "internal_notes")


def _display(ctx: PageContext, org_names: dict):
    # How a value reads in a conflict: names and labels instead of ids and codes.
    lists = {"kind": "organisation_kind", "member_status": "member_status", "side": "person_side"}

    def show(field: str, value) -> str:
        if not widgets.present(value):
            return ""
        if field in ("parent_id", "organisation_id"):
            return org_names.get(int(value), str(value))
        if field in lists:
            return ctx.label(lists[field], value)
        if field in ("from_date", "to_date"):
            return formatting.format_date(value)
        if field in ("member_since", "member_until", "representatives"):
            return str(int(value))
        return str(value).strip()
    return show
