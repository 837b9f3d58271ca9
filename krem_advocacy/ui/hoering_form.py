"""Editing høringer: the new and edit forms, archive and restore, and the lead-time setting."""

from datetime import date

import streamlit as st

from krem_advocacy.domain import hoeringer
from krem_advocacy.text import codes, formatting
from krem_advocacy.ui import described, duplicates, forms, links, widgets
from krem_advocacy.ui.context import PageContext
from krem_advocacy.ui.data import read

SCRIPT = "pages/hoeringer.py"
NEW_BOX = "hoering_new_box"  # the new-høring expander (open while its key is True)
# Dates as far back as the oldest høringer the forum tracks, and ahead as far as anyone plans.
MIN_DATE = date(2000, 1, 1)
DATE_FORMAT = "DD.MM.YYYY"

# Form fields in the order they are shown and listed in messages (field -> i18n key of the label).
LABELS = {
    "title": "hoeringer.field.title", "department_id": "hoeringer.field.department",
    "published_on": "hoeringer.field.published_on", "deadline": "hoeringer.field.deadline",
    "internal_deadline_manual": "hoeringer.field.internal_manual",
    "internal_deadline": "hoeringer.field.internal_deadline", "their_ref": "hoeringer.field.their_ref",
    "our_ref": "hoeringer.field.our_ref",
    "url": "hoeringer.field.url_short", "official_status": "hoeringer.field.official_status",
    "our_status": "hoeringer.field.our_status", "named_instance": "hoeringer.field.named_instance",
    "lead_org_id": "hoeringer.field.lead_org", "cosigners": "hoeringer.field.cosigners",
    "answer_type": "hoeringer.field.answer_type", "answer_url": "hoeringer.field.answer_url_short",
    "submitted_on": "hoeringer.field.submitted_on", "short_deadline_reason": "hoeringer.short_reason",
    "result": "hoeringer.field.result", "saker": "hoeringer.linked_saker", "notes": "common.notes",
    "internal_notes": "common.internal_notes",
}


# Fields of the høring's description that the form does not lay out itself are drawn from it.
EXTRAS = described.extra_fields(hoeringer.KIND, LABELS)


def field_label(ctx: PageContext, field: str) -> str:
    """The label of a form field (its description's label for the fields the form does not lay out)."""
    if field in LABELS:
        return ctx.t(LABELS[field])
    extra = {f.name: f for f in EXTRAS}.get(field)
    return extra.label_in(ctx.lang) if extra else field


# ---------------------------------------------------------------- the lead time

def lead_days_setting(ctx: PageContext) -> None:
    """A popover where editors set how many days before the frist our internal deadline falls."""
    current = read(ctx, hoeringer.lead_days)
    with st.popover(ctx.t("hoeringer.lead.button", days=current), icon=":material/tune:"):
        st.markdown(ctx.t("hoeringer.lead.intro"))
        days = st.number_input(ctx.t("hoeringer.lead.label"), min_value=0, max_value=hoeringer.MAX_LEAD_DAYS,
                               value=current, step=1, key="hoering_lead_days")
        if st.button(ctx.t("form.save"), key="hoering_lead_save", icon=":material/save:"):
            moved = forms.save(ctx, lambda db: hoeringer.set_lead_days(db, ctx.actor, days, ctx.today),
                               {"lead_days": ctx.t("hoeringer.lead.label")})
            if moved is not None:
                forms.FormSession(ctx, "hoering_lead", extra=("hoering_lead_days",)).done("hoeringer.lead.saved")


# ---------------------------------------------------------------- new and edit

def _choices(ctx: PageContext) -> dict:
    departments = read(ctx, hoeringer.departments)
    organisations = read(ctx, hoeringer.answering_organisations)
    saker = read(ctx, hoeringer.sak_choices)
    return {
        "departments": {int(r.id): f"{r.short_name} – {r.name}" if widgets.present(r.short_name) else r.name
                        for r in departments.itertuples()},
        "organisations": {int(r.id): r.name for r in organisations.itertuples()},
        "saker": {int(r.id): r.title for r in saker.itertuples()},
        "lead_days": read(ctx, hoeringer.lead_days),
    }


def _initial(record: dict | None) -> dict:
    """Form values from a saved høring (or the defaults of a new one)."""
    record = record or {}

    def day(field):
        return formatting.parse_date(record.get(field))

    return {
        "title": record.get("title") or "", "department_id": record.get("department_id"),
        "published_on": day("published_on"), "deadline": day("deadline"),
        "internal_deadline_manual": bool(record.get("internal_deadline_manual")),
        "internal_deadline": day("internal_deadline"), "our_ref": record.get("our_ref") or "",
        "their_ref": record.get("their_ref") or "",
        "url": record.get("url") or "", "official_status": record.get("official_status") or "paa_hoering",
        "our_status": record.get("our_status") or "innkommet", "named_instance": bool(record.get("named_instance")),
        "lead_org_id": record.get("lead_org_id"),
        "cosigners": [c["id"] for c in record.get("cosigners", [])],
        "answer_type": record.get("answer_type"), "answer_url": record.get("answer_url") or "",
        "submitted_on": day("submitted_on"), "short_deadline_reason": record.get("short_deadline_reason") or "",
        "result": record.get("result") or "",
        "saker": [s["id"] for s in record.get("saker", [])],
        "notes": record.get("notes") or "", "internal_notes": record.get("internal_notes") or "",
        **{f.name: described.initial(f, record.get(f.name)) for f in EXTRAS},
    }


def _fields(ctx: PageContext, prefix: str, initial: dict) -> dict:
    """Draw the form's widgets (prefilled from `initial` on first draw); return the values typed."""
    for field, value in initial.items():
        st.session_state.setdefault(f"{prefix}_{field}", value)
    choices = _choices(ctx)
    today = ctx.today
    max_date = date(today.year + 10, 12, 31)

    def key(field):
        return f"{prefix}_{field}"

    def label(field, required=False):
        return field_label(ctx, field) + (" *" if required else "")

    def pick_date(column, field):
        return column.date_input(label(field), min_value=MIN_DATE, max_value=max_date, format=DATE_FORMAT,
                                 key=key(field))

    values = {}
    st.markdown(f"**{ctx.t('hoeringer.form.section.hoering')}**")
    values["title"] = st.text_input(label("title", True), key=key("title"), max_chars=300,
                                    placeholder=ctx.t("hoeringer.form.title_placeholder"))
    left, right = st.columns(2)
    departments = choices["departments"]
    values["department_id"] = left.selectbox(
        label("department_id"), list(departments), key=key("department_id"), placeholder=ctx.t("common.none"),
        format_func=lambda i: departments.get(i, str(i)), index=None)
    values["their_ref"] = right.text_input(label("their_ref"), key=key("their_ref"), placeholder="24/109",
                                           help=ctx.t("hoeringer.form.their_ref_help"))
    values["published_on"] = pick_date(left, "published_on")
    values["deadline"] = pick_date(right, "deadline")
    values["our_ref"] = left.text_input(label("our_ref"), key=key("our_ref"),
                                        help=ctx.t("hoeringer.form.our_ref_help"))
    values["official_status"] = right.selectbox(
        label("official_status"), codes.HOERING_OFFICIAL_STATUSES, key=key("official_status"),
        format_func=lambda c: ctx.label("hoering_official_status", c))
    values["url"] = st.text_input(label("url"), key=key("url"), placeholder="https://www.regjeringen.no/…")
    short = hoeringer.is_short_deadline(_iso(values["published_on"]), _iso(values["deadline"]))
    if short:
        st.warning(ctx.t("hoeringer.form.short_warning"), icon=":material/timer_off:")
    if short or st.session_state.get(key("short_deadline_reason")):
        values["short_deadline_reason"] = st.text_input(
            label("short_deadline_reason"), key=key("short_deadline_reason"),
            help=ctx.t("hoeringer.form.short_reason_help"))
    else:
        values["short_deadline_reason"] = None

    st.markdown(f"**{ctx.t('hoeringer.form.section.ours')}**")
    left, right = st.columns(2)
    values["our_status"] = left.selectbox(
        label("our_status"), hoeringer.FORM_STATUSES, key=key("our_status"),
        format_func=lambda c: ctx.label("hoering_our_status", c))
    values["internal_deadline_manual"] = right.toggle(label("internal_deadline_manual"),
                                                      key=key("internal_deadline_manual"))
    if values["internal_deadline_manual"]:
        values["internal_deadline"] = pick_date(right, "internal_deadline")
    else:
        derived = hoeringer.derive_internal_deadline(_iso(values["deadline"]), _iso(values["published_on"]),
                                                     choices["lead_days"])
        if (initial["internal_deadline"] and not initial["internal_deadline_manual"]
                and (values["deadline"], values["published_on"]) == (initial["deadline"], initial["published_on"])):
            derived = _iso(initial["internal_deadline"])  # kept when its dates are unchanged (as the save does)
        right.caption(ctx.t("hoeringer.form.internal_derived", date=formatting.format_date(derived),
                            days=choices["lead_days"]) if derived else
                      ctx.t("hoeringer.form.internal_needs_deadline", days=choices["lead_days"]))
        # Shown as typed in a conflict; the data layer derives it again when saving.
        values["internal_deadline"] = formatting.parse_date(derived)
    organisations = choices["organisations"]
    values["lead_org_id"] = left.selectbox(
        label("lead_org_id"), list(organisations), key=key("lead_org_id"), index=None,
        placeholder=ctx.t("common.none"), format_func=lambda i: organisations.get(i, str(i)))
    values["cosigners"] = right.multiselect(
        label("cosigners"), list(organisations), key=key("cosigners"), placeholder=ctx.t("common.none"),
        format_func=lambda i: organisations.get(i, str(i)))
    values["named_instance"] = st.checkbox(label("named_instance"), key=key("named_instance"))
    sak_titles = choices["saker"]
    values["saker"] = st.multiselect(label("saker"), list(sak_titles), key=key("saker"),
                                     placeholder=ctx.t("common.none"), format_func=lambda i: sak_titles.get(i, str(i)))

    st.markdown(f"**{ctx.t('hoeringer.form.section.answer')}**")
    left, right = st.columns(2)
    values["answer_type"] = left.selectbox(
        label("answer_type"), codes.ANSWER_TYPES, key=key("answer_type"), index=None,
        placeholder=ctx.t("common.none"), format_func=lambda c: ctx.label("answer_type", c))
    values["submitted_on"] = pick_date(right, "submitted_on")
    values["answer_url"] = st.text_input(label("answer_url"), key=key("answer_url"), placeholder="https://…")
    values["result"] = st.text_area(label("result"), key=key("result"), height=80)
    for extra in EXTRAS:
        values[extra.name] = described.draw(ctx, extra, key(extra.name))
    values["notes"] = st.text_area(label("notes"), key=key("notes"), height=100)
    values["internal_notes"] = st.text_area(label("internal_notes"), key=key("internal_notes"), height=80)
    return values


def _iso(value) -> str | None:
    return value.isoformat() if isinstance(value, date) else None


def new_form(ctx: PageContext) -> None:
    """An expander with the form for a new høring; after saving, the new høring opens."""
    prefix = "hf_new"
    # Drawn only while open: its pickers hold every department, organisation and sak.
    with widgets.lazy_expander(ctx.t("hoeringer.form.new"), NEW_BOX, icon=":material/add_circle:") as box:
        if not box.open:
            return
        values = _fields(ctx, prefix, _initial(None))
        # Checked as the title and references are typed, by the rule the import uses.
        found = duplicates.twins(ctx, "hoeringer", values) if values["title"].strip() or values["their_ref"].strip() \
            or values["our_ref"].strip() else []
        if found:
            duplicates.offer(ctx, "hoeringer", found, lambda twin: describe(ctx, twin))
        with st.container(horizontal=True, gap="small"):
            clicked = st.button(ctx.t("hoeringer.form.create"), type="primary", icon=":material/save:",
                                key="hf_new_save")
            anyway = bool(found) and st.button(ctx.t("form.duplicate_save"), icon=":material/save:",
                                               key="hf_new_save_anyway")
        if clicked and found:
            st.error(ctx.t("form.duplicate_blocked"), icon=":material/content_copy:")
        elif clicked or anyway:
            new_id = forms.save(ctx, lambda db: hoeringer.create_hoering(db, ctx.actor, values, ctx.today),
                                _labels(ctx))
            if new_id is not None:
                forms.FormSession(ctx, prefix, typed=prefix + "_").reset()
                forms.flash("hoeringer.form.created")
                links.open_record(SCRIPT, new_id, ctx)


def describe(ctx: PageContext, record: dict) -> str:
    """A høring told apart from its look-alikes: title, Vår ref., frist and our status."""
    parts = [record["title"]]
    parts += [record[ref] for ref in ("their_ref", "our_ref") if record.get(ref)]
    if record.get("deadline"):
        parts.append(f"{ctx.t('hoeringer.field.deadline')} {formatting.format_date(record['deadline'])}")
    parts.append(ctx.label("hoering_our_status", record.get("our_status")))
    return " · ".join(parts)


def actions(ctx: PageContext, record: dict) -> bool:
    """Edit, archive and restore buttons for editors; return True while the edit form is open."""
    hoering_id = record["id"]
    edit_key = f"hoering_edit_{hoering_id}"
    with st.container(horizontal=True, gap="small", vertical_alignment="center"):
        archived = record["our_status"] == "arkivert"
        if not archived:
            # Opening or closing the form starts from the saved record next time.
            st.toggle(ctx.t("form.edit"), key=edit_key, on_change=_edit_session(ctx, record).reset)
            st.button(ctx.t("hoeringer.archive"), icon=":material/inventory_2:", key=f"hoering_archive_{hoering_id}",
                      on_click=_queue, args=("archive", hoering_id, record["version"]),
                      help=ctx.t("hoeringer.archive_help"))
        else:
            st.button(ctx.t("hoeringer.restore"), icon=":material/unarchive:", key=f"hoering_restore_{hoering_id}",
                      on_click=_queue, args=("restore", hoering_id, record["version"]),
                      help=ctx.t("hoeringer.restore_help"))
    _run_queued(ctx, hoering_id)
    if archived:
        st.info(ctx.t("hoeringer.archived_note"), icon=":material/inventory_2:")
    return bool(st.session_state.get(edit_key)) and not archived


def _queue(action: str, hoering_id: int, version: int) -> None:
    # The version shown when the button was drawn, so an archive on a stale page is refused as a conflict.
    st.session_state["hoering_action"] = (action, hoering_id, version)


def _run_queued(ctx: PageContext, hoering_id: int) -> None:
    queued = st.session_state.pop("hoering_action", None)
    if not queued or queued[1] != hoering_id:
        return
    action, _, version = queued
    write = hoeringer.archive_hoering if action == "archive" else hoeringer.restore_hoering
    if forms.save(ctx, lambda db: write(db, ctx.actor, hoering_id, version), _labels(ctx),
                  success_key=f"hoeringer.{action}d") is not None:
        forms.flash(f"hoeringer.{action}d")
        st.session_state.pop(f"hoering_edit_{hoering_id}", None)
        st.rerun()


def _edit_session(ctx: PageContext, record: dict) -> forms.FormSession:
    # The edit form's memory: the version opened (`hoering_<id>`) and the values typed (`hf_<id>_…`).
    return forms.FormSession(ctx, f"hoering_{record['id']}", record, typed=f"hf_{record['id']}_")


def _cancel_edit(form: forms.FormSession, edit_key: str) -> None:
    form.reset()
    st.session_state[edit_key] = False


def edit_form(ctx: PageContext, record: dict) -> None:
    """The edit form of one høring; a stale save shows both versions instead of overwriting."""
    hoering_id = record["id"]
    prefix = f"hf_{hoering_id}"
    edit_key = f"hoering_edit_{hoering_id}"
    form = _edit_session(ctx, record)
    version = form.version
    with st.container(border=True):
        values = _fields(ctx, prefix, _initial(record))
        with st.container(horizontal=True, gap="small"):
            clicked = st.button(ctx.t("form.save"), type="primary", icon=":material/save:",
                                key=f"{prefix}_save_button")
            st.button(ctx.t("form.cancel"), icon=":material/close:", key=f"{prefix}_cancel_button",
                      on_click=_cancel_edit, args=(form, edit_key))
        if clicked:
            saved = forms.save(
                ctx, lambda db: hoeringer.update_hoering(db, ctx.actor, hoering_id, values, version, ctx.today),
                _labels(ctx), attempted=values, show_value=_shower(ctx), on_reload=form.reset,
            )
            if saved is not None:
                st.session_state.pop(edit_key, None)
                form.done("form.saved")


def _labels(ctx: PageContext) -> dict[str, str]:
    return ({field: field_label(ctx, field) for field in LABELS} | {f.name: field_label(ctx, f.name) for f in EXTRAS}
            | {"lead_days": ctx.t("hoeringer.lead.label")})


def _shower(ctx: PageContext):
    """Formats form and database values alike, for showing two versions side by side."""
    choices = _choices(ctx)
    code_lists = {"official_status": "hoering_official_status", "our_status": "hoering_our_status",
                  "answer_type": "answer_type"}
    extras = {f.name: f for f in EXTRAS}

    def show(field: str, value) -> str:
        if value is None or value == "" or value == []:
            return ""
        if field == "department_id":
            return choices["departments"].get(int(value), str(value))
        if field == "lead_org_id":
            return choices["organisations"].get(int(value), str(value))
        if field == "cosigners":
            return ", ".join(sorted(choices["organisations"].get(int(i), str(i)) for i in value))
        if field == "saker":
            return ", ".join(sorted(choices["saker"].get(int(i), str(i)) for i in value))
        if field in code_lists:
            return ctx.label(code_lists[field], value)
        if field in ("named_instance", "internal_deadline_manual"):
            return ctx.t("common.yes" if value else "common.no")
        if field in hoeringer.DATE_FIELDS:
            return formatting.format_date(value)
        if field in extras:
            return described.shown(ctx, extras[field], value)
        return str(value).strip()

    return show
