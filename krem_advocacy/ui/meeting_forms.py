"""Editing meetings on the Møter page: the meeting form, the agenda builder, tilsagn and their follow-up."""

from datetime import date, time

import streamlit as st

from krem_advocacy.domain import meetings
from krem_advocacy.text import codes, formatting
from krem_advocacy.ui import duplicates, forms
from krem_advocacy.ui.context import PageContext
from krem_advocacy.ui.data import read
from krem_advocacy.ui.links import open_record, switch_to
from krem_advocacy.ui.widgets import plain

SCRIPT = "pages/moeter.py"
# Organisations that take part in meetings on the forum's side.
FORUM_KINDS = ("forum_member", "secretariat")
GOVERNMENT_KINDS = ("department", "directorate")


class Options:
    """Pickers' choices (ids) and their labels, from meetings.picker_options."""

    def __init__(self, ctx: PageContext):
        frames = read(ctx, meetings.picker_options)
        self.frames = frames
        people = frames["people"]
        self.person_label = {int(r.id): r.name + (f" – {r.role}" if isinstance(r.role, str) else "")
                             + (f" ({r.organisation})" if isinstance(r.organisation, str) else "")
                             for r in people.itertuples()}
        self.government = [int(i) for i in people.loc[people["side"] == "government", "id"]]
        self.forum = [int(i) for i in people.loc[people["side"] != "government", "id"]]
        orgs = frames["organisations"]
        self.org_label = {int(r.id): r.name + (f" ({r.short_name})" if isinstance(r.short_name, str)
                                                and r.short_name != r.name else "") for r in orgs.itertuples()}
        self.forum_orgs = [int(i) for i in orgs.loc[orgs["kind"].isin(FORUM_KINDS), "id"]]
        self.government_orgs = [int(i) for i in orgs.loc[orgs["kind"].isin(GOVERNMENT_KINDS), "id"]]
        self.sak_label = {int(r.id): r.title for r in frames["saker"].itertuples()}
        # Enough to tell look-alikes apart: frist, reference and status beside the title.
        self.hoering_label = {int(r.id): " · ".join(p for p in (
            r.title, r.deadline and f"{ctx.t('meetings.frist')} {formatting.format_date(r.deadline)}",
            r.their_ref if isinstance(r.their_ref, str) else None, ctx.label("hoering_our_status", r.our_status))
            if p) for r in frames["hoeringer"].itertuples()}
        self.budget_label = {int(r.id): f"{r.title} ({r.budget_year}"
                             + (f", kap. {r.chapter} post {r.post}" if isinstance(r.chapter, str) else "")
                             + f", {ctx.label('budget_phase', r.phase)})"
                             for r in frames["budget_inputs"].itertuples()}
        self.meeting_label = {int(r.id): f"{formatting.format_date(r.starts_at)} {r.title}"
                              for r in frames["meetings"].itertuples()}
        self.meeting_starts = {int(r.id): r.starts_at for r in frames["meetings"].itertuples()}


def _pick(label: str, labels: dict[int, str], current, key: str, ctx: PageContext, ids=None, **kwargs):
    # A selectbox of record ids shown by name; empty allowed.
    choices = list(ids if ids is not None else labels)
    current = int(current) if current is not None else None
    if current is not None and current not in choices:
        choices.insert(0, current)
    return st.selectbox(label, choices, index=choices.index(current) if current in choices else None,
                        format_func=lambda i: labels.get(i, str(i)), placeholder=ctx.t("meetings.choose"),
                        key=key, **kwargs)


# ---------------------------------------------------------------- the meeting

def meeting_labels(ctx: PageContext) -> dict[str, str]:
    """Form field -> label, for validation messages and conflicts."""
    return {f: ctx.t(f"meetings.form.{f}") for f in (*meetings.MEETING_FIELDS, "people")}


def meeting_form(ctx: PageContext, record: dict | None) -> None:
    """Create a meeting (record None) or edit one; saved through forms.save with a version check."""
    options = Options(ctx)
    meeting_id = record["id"] if record else None
    # Widget keys hold the opened version: after a reload the form starts afresh from the saved one.
    form = forms.FormSession(ctx, f"meeting-{meeting_id or 'new'}", record)
    version = form.version
    record = record or {}
    k = f"mf{meeting_id or 'new'}v{version or 0}_"
    start = formatting.parse_date(record.get("starts_at")) or None
    start_time = time.fromisoformat(record["starts_at"][11:16]) if record.get("starts_at") else time(12, 0)
    end_time = time.fromisoformat(record["ends_at"][11:16]) if record.get("ends_at") else None
    attending = record.get("attendees", [])
    with st.form(k + "form", border=False):
        title = st.text_input(ctx.t("meetings.form.title"), record.get("title") or "", key=k + "title",
                              placeholder=ctx.t("meetings.form.title_placeholder"))
        cols = st.columns(2)
        kind = cols[0].selectbox(ctx.t("meetings.form.kind"), codes.MEETING_KINDS,
                                 index=codes.MEETING_KINDS.index(record.get("kind") or "ku"), key=k + "kind",
                                 format_func=lambda c: ctx.label("meeting_kind", c))
        place = cols[1].text_input(ctx.t("meetings.form.place"), record.get("place") or "", key=k + "place")
        cols = st.columns(3)
        day = cols[0].date_input(ctx.t("meetings.form.date"), start, format="DD.MM.YYYY", key=k + "date")
        begins = cols[1].time_input(ctx.t("meetings.form.starts_at"), start_time, key=k + "start")
        ends = cols[2].time_input(ctx.t("meetings.form.ends_at"), end_time, key=k + "end")
        cols = st.columns(2)
        with cols[0]:
            chair = _pick(ctx.t("meetings.form.chair_person_id"), options.person_label,
                          record.get("chair_person_id"), k + "chair", ctx)
        with cols[1]:
            host = _pick(ctx.t("meetings.form.host_org_id"), options.org_label, record.get("host_org_id"),
                         k + "host", ctx)
        government = st.multiselect(
            ctx.t("meetings.form.government"), options.government, format_func=options.person_label.get,
            default=[p["id"] for p in attending if p["side"] == "government" and p["id"] in options.government],
            key=k + "gov", placeholder=ctx.t("meetings.choose"))
        forum = st.multiselect(
            ctx.t("meetings.form.forum"), options.forum, format_func=options.person_label.get,
            default=[p["id"] for p in attending if p["side"] != "government" and p["id"] in options.forum],
            key=k + "forum", placeholder=ctx.t("meetings.choose"))
        present = [o["id"] for o in record.get("organisations", [])]
        org_choices = options.forum_orgs + [i for i in present if i not in options.forum_orgs]
        orgs = st.multiselect(ctx.t("meetings.form.organisations"), org_choices, format_func=options.org_label.get,
                              default=present, key=k + "orgs",
                              placeholder=ctx.t("meetings.choose"))
        themes = st.text_input(ctx.t("meetings.form.themes"), record.get("themes") or "", key=k + "themes",
                               placeholder=ctx.t("meetings.form.themes_placeholder"))
        prep = st.date_input(ctx.t("meetings.form.prep_deadline"), formatting.parse_date(record.get("prep_deadline")),
                             format="DD.MM.YYYY", key=k + "prep")
        minutes = st.text_area(ctx.t("meetings.form.minutes"), record.get("minutes") or "", key=k + "minutes")
        minutes_url = st.text_input(ctx.t("meetings.form.minutes_url"), record.get("minutes_url") or "",
                                    key=k + "minutes_url", placeholder="https://")
        notes = st.text_area(ctx.t("meetings.form.notes"), record.get("notes") or "", key=k + "notes", height=80)
        internal = st.text_area(ctx.t("meetings.form.internal_notes"), record.get("internal_notes") or "",
                                key=k + "internal", height=80)
        source = st.text_input(ctx.t("meetings.form.source"), record.get("source") or "", key=k + "source")
        submitted = st.form_submit_button(ctx.t("form.save"), type="primary", icon=":material/save:")
    if not submitted:
        if meeting_id is None:
            _create(ctx, form, False, None)  # a duplicate waiting for «Lagre likevel»
        return
    values = {"title": title, "kind": kind, "place": place, "chair_person_id": chair, "host_org_id": host,
              "starts_at": f"{day.isoformat()}T{begins:%H:%M}" if isinstance(day, date) and begins else None,
              "ends_at": f"{day.isoformat()}T{ends:%H:%M}" if isinstance(day, date) and ends else None,
              "themes": themes, "prep_deadline": prep, "minutes": minutes, "minutes_url": minutes_url,
              "notes": notes, "internal_notes": internal, "source": source}
    people = [*government, *forum]
    describe = _describer(options)
    if meeting_id is None:
        _create(ctx, form, True, {**values, "people": people, "organisations": orgs})
        return
    saved = forms.save(ctx, lambda db: meetings.update_meeting(db, ctx.actor, meeting_id, values, version,
                                                              people, orgs),
                       meeting_labels(ctx), attempted=values,
                       show_value=describe)
    if saved:
        form.done()
    form.reload_button("meetings.reload", k + "reload")


def _create(ctx: PageContext, form: forms.FormSession, submitted: bool, values: dict | None) -> None:
    # A meeting on the same day and time with the same host (or the same title and day) as a saved one
    # is offered to open it instead; «Lagre likevel» saves it.
    def write(db, v):
        fields = {k: x for k, x in v.items() if k not in ("people", "organisations")}
        return meetings.create_meeting(db, ctx.actor, fields, v["people"], v["organisations"])

    new_id = duplicates.create(ctx, "meeting_new_duplicate", submitted, values, "meetings", write,
                               meeting_labels(ctx), lambda twin: describe_meeting(twin))
    if new_id:
        form.reset()
        open_record(SCRIPT, new_id, ctx)


def describe_meeting(record: dict) -> str:
    """A meeting told apart from its look-alikes: date and time, title, place."""
    return " · ".join(p for p in (formatting.format_datetime(record["starts_at"]), record["title"],
                                  record.get("place")) if p)


def delete_meeting_button(ctx: PageContext, record: dict) -> None:
    """Delete a meeting after a confirmation tick."""
    k = f"delete_meeting_{record['id']}"
    sure = st.checkbox(ctx.t("meetings.delete_confirm"), key=k + "_sure")
    if st.button(ctx.t("meetings.delete_meeting"), key=k, disabled=not sure, icon=":material/delete:"):
        done = forms.save(ctx, lambda db: meetings.delete_meeting(db, ctx.actor, record["id"], record["version"])
                          or True, meeting_labels(ctx), success_key="meetings.deleted")
        if done:
            switch_to(ctx, SCRIPT)


def _describer(options: Options):
    # Saved ids shown by name in the conflict comparison.
    lookups = {"chair_person_id": options.person_label, "host_org_id": options.org_label,
               "speaker_person_id": options.person_label, "speaker_org_id": options.org_label,
               "responsible_person_id": options.person_label, "responsible_org_id": options.org_label,
               "follow_up_person_id": options.person_label,
               "sak_id": options.sak_label, "hoering_id": options.hoering_label,
               "budget_input_id": options.budget_label, "followed_up_meeting_id": options.meeting_label}

    def describe(field: str, value) -> str:
        if value in (None, ""):
            return ""
        if field in lookups:
            return lookups[field].get(int(value), str(value)) if not isinstance(value, str) else value
        if field == "starts_at" or field == "ends_at":
            return formatting.format_datetime(value)
        if field == "prep_deadline":
            return formatting.format_date(value)
        return str(value)
    return describe


# ---------------------------------------------------------------- agenda items

def agenda_labels(ctx: PageContext) -> dict[str, str]:
    return {f: ctx.t(f"meetings.form.{f}") for f in meetings.AGENDA_FIELDS} | {
        "responsible_person_id": ctx.t("meetings.form.item_responsible")}


def agenda_item_form(ctx: PageContext, meeting_id: int, item: dict | None = None) -> None:
    """Add an agenda item (item None) or edit one: what it is about, who gives the innlegg, a short note."""
    options = Options(ctx)
    item_id = item["id"] if item is not None else None
    form = forms.FormSession(ctx, f"agenda-{item_id or f'new{meeting_id}'}", item)
    version = form.version
    k = f"ai{item_id or f'new{meeting_id}'}v{version or 0}_"
    get = (item or {}).get
    with st.form(k + "form", border=item is None, clear_on_submit=item is None):
        title = st.text_input(ctx.t("meetings.form.item_title"), get("title") or "", key=k + "title",
                              help=ctx.t("meetings.form.item_title_help"))
        sak = _pick(ctx.t("meetings.form.sak_id"), options.sak_label, get("sak_id"), k + "sak", ctx)
        hoering = _pick(ctx.t("meetings.form.hoering_id"), options.hoering_label, get("hoering_id"), k + "hoering",
                        ctx)
        budget = _pick(ctx.t("meetings.form.budget_input_id"), options.budget_label, get("budget_input_id"),
                       k + "budget", ctx)
        cols = st.columns(2)
        with cols[0]:
            org = _pick(ctx.t("meetings.form.speaker_org_id"), options.org_label, get("speaker_org_id"),
                        k + "org", ctx, ids=options.forum_orgs)
        with cols[1]:
            person = _pick(ctx.t("meetings.form.speaker_person_id"), options.person_label,
                           get("speaker_person_id"), k + "person", ctx, ids=options.forum)
        # Who prepares the innlegg (reminders before the meeting's preparation deadline go to them).
        responsible = _pick(ctx.t("meetings.form.item_responsible"), options.person_label,
                            get("responsible_person_id"), k + "responsible", ctx, ids=options.forum,
                            help=ctx.t("meetings.form.item_responsible_help"))
        summary = st.text_area(ctx.t("meetings.form.summary"), get("summary") or "", key=k + "summary", height=80)
        label = ctx.t("form.save") if item is not None else ctx.t("meetings.add_item")
        submitted = st.form_submit_button(label, type="primary", icon=":material/save:" if item is not None
                                          else ":material/add:")
    if not submitted:
        return
    values = {"title": title, "sak_id": sak, "hoering_id": hoering, "budget_input_id": budget,
              "speaker_org_id": org, "speaker_person_id": person, "responsible_person_id": responsible,
              "summary": summary}
    describe = _describer(options)
    if item is None:
        saved = forms.save(ctx, lambda db: meetings.create_agenda_item(db, ctx.actor, meeting_id, values),
                           agenda_labels(ctx))
    else:
        saved = forms.save(ctx, lambda db: meetings.update_agenda_item(db, ctx.actor, item_id, values, version),
                           agenda_labels(ctx), attempted=values,
                           show_value=describe)
    if saved:
        form.done()
    if item is not None:
        form.reload_button("meetings.reload", k + "reload")


def agenda_item_actions(ctx: PageContext, item: dict, first: bool, last: bool) -> None:
    """Move up, move down and remove buttons for one agenda item."""
    row = st.container(horizontal=True, gap="small")
    item_id = item["id"]
    version = forms.FormSession(ctx, f"agenda-{item_id}", item).version
    if row.button(ctx.t("meetings.move_up"), key=f"up_{item_id}", icon=":material/arrow_upward:", disabled=first):
        _act(ctx, lambda db: meetings.move_agenda_item(db, ctx.actor, item_id, -1, version), forget="agenda-")
    if row.button(ctx.t("meetings.move_down"), key=f"down_{item_id}", icon=":material/arrow_downward:",
                  disabled=last):
        _act(ctx, lambda db: meetings.move_agenda_item(db, ctx.actor, item_id, 1, version), forget="agenda-")
    if row.button(ctx.t("meetings.remove_item"), key=f"remove_{item_id}", icon=":material/delete:"):
        _act(ctx, lambda db: meetings.delete_agenda_item(db, ctx.actor, item_id, version), "meetings.removed",
             forget="agenda-")


def _act(ctx: PageContext, write, success_key: str = "form.saved", forget: str | None = None) -> None:
    # A one-click change: saved (then the page redraws) or explained where the button is. Moving items
    # renumbers others, so the versions remembered for them (`forget` prefix) are dropped either way.
    saved = forms.save(ctx, lambda db: write(db) or True, success_key=success_key)
    if forget:
        forms.forget_versions(forget)
    if saved:
        st.rerun()


def candidates(ctx: PageContext, meeting_id: int) -> None:
    """Suggestions from the database, each added to the agenda with one click (speaker: the lead organisation)."""
    found = read(ctx, meetings.agenda_candidates, meeting_id=meeting_id)
    if all(frame.empty for frame in found.values()):
        st.caption(ctx.t("meetings.no_candidates"))
        return
    sections = (
        ("saker", "meetings.candidates.saker", "sak_id",
         lambda r: ctx.t("meetings.candidates.sak_line", day=formatting.format_date(r.last_activity))),
        ("hoeringer", "meetings.candidates.hoeringer", "hoering_id",
         lambda r: ctx.t("meetings.candidates.hoering_line", day=formatting.format_date(r.deadline),
                         status=ctx.label("hoering_our_status", r.our_status))
         + (f" · {r.department}" if isinstance(r.department, str) else "")),
        ("budget_inputs", "meetings.candidates.budget_inputs", "budget_input_id",
         lambda r: f"{r.budget_year} · {ctx.label('budget_phase', r.phase)}"
         + (f" · kap. {r.chapter} post {r.post}" if isinstance(r.chapter, str) else "")
         + (f" · {ctx.t('meetings.candidates.current_phase')}" if r.in_current_phase else "")),
    )
    for name, heading, field, describe in sections:
        frame = found[name]
        if frame.empty:
            continue
        st.markdown(f"**{ctx.t(heading)}**")
        for row in frame.head(6).itertuples():
            cols = st.columns([5, 1], vertical_alignment="center")
            cols[0].markdown(f"{plain(row.title)}  \n:gray[{plain(describe(row))}]")
            if cols[1].button(ctx.t("meetings.add"), key=f"cand_{field}_{row.id}", icon=":material/add:"):
                values = {field: int(row.id), "speaker_org_id": _lead(row)}
                _act(ctx, lambda db, values=values: meetings.create_agenda_item(db, ctx.actor, meeting_id, values))


def _lead(row):
    value = getattr(row, "lead_org_id", None)
    return int(value) if value is not None and value == value else None


# ---------------------------------------------------------------- tilsagn

def tilsagn_labels(ctx: PageContext) -> dict[str, str]:
    return {f: ctx.t(f"meetings.form.{f}") for f in meetings.TILSAGN_FIELDS}


def tilsagn_form(ctx: PageContext, record: dict, promise: dict | None = None) -> None:
    """Record a tilsagn given in this meeting (promise None) or change one."""
    options = Options(ctx)
    meeting_id = record["id"]
    promise_id = promise["id"] if promise is not None else None
    form = forms.FormSession(ctx, f"tilsagn-{promise_id or f'new{meeting_id}'}", promise)
    version = form.version
    k = f"ti{promise_id or f'new{meeting_id}'}v{version or 0}_"
    get = (promise or {}).get
    items = {item["id"]: f"{item['position']}. {item['title']}" for item in record["agenda"]}
    later = [m for m, starts in options.meeting_starts.items() if starts > record["starts_at"]]
    with st.form(k + "form", border=promise is None, clear_on_submit=promise is None):
        text = st.text_area(ctx.t("meetings.form.text"), get("text") or "", key=k + "text", height=80,
                            placeholder=ctx.t("meetings.form.text_placeholder"))
        item = _pick(ctx.t("meetings.form.agenda_item_id"), items, get("agenda_item_id"), k + "item", ctx)
        sak = _pick(ctx.t("meetings.form.sak_id"), options.sak_label, get("sak_id"), k + "sak", ctx,
                    help=ctx.t("meetings.form.tilsagn_sak_help"))
        cols = st.columns(2)
        with cols[0]:
            person = _pick(ctx.t("meetings.form.responsible_person_id"), options.person_label,
                           get("responsible_person_id"), k + "person", ctx, ids=options.government)
        with cols[1]:
            org = _pick(ctx.t("meetings.form.responsible_org_id"), options.org_label, get("responsible_org_id"),
                        k + "org", ctx, ids=options.government_orgs)
        cols = st.columns(2)
        status = cols[0].selectbox(ctx.t("meetings.form.status"), codes.TILSAGN_STATUSES,
                                   index=codes.TILSAGN_STATUSES.index(get("status") or "aapen"), key=k + "status",
                                   format_func=lambda c: ctx.label("tilsagn_status", c))
        with cols[1]:
            followed = _pick(ctx.t("meetings.form.followed_up_meeting_id"), options.meeting_label,
                             get("followed_up_meeting_id"), k + "followed", ctx, ids=later)
        follow_up = _pick(ctx.t("meetings.form.follow_up_person_id"), options.person_label,
                          get("follow_up_person_id"), k + "follow_up", ctx, ids=options.forum,
                          help=ctx.t("meetings.form.follow_up_person_help"))
        notes = st.text_area(ctx.t("meetings.form.notes"), get("notes") or "", key=k + "notes", height=68)
        label = ctx.t("form.save") if promise is not None else ctx.t("meetings.add_tilsagn")
        submitted = st.form_submit_button(label, type="primary",
                                          icon=":material/save:" if promise is not None else ":material/add:")
    if not submitted:
        return
    values = {"text": text, "agenda_item_id": item, "sak_id": sak, "responsible_person_id": person,
              "responsible_org_id": org, "status": status, "followed_up_meeting_id": followed,
              "follow_up_person_id": follow_up, "notes": notes}
    describe = _describer(options)
    if promise is None:
        saved = forms.save(ctx, lambda db: meetings.create_tilsagn(db, ctx.actor, meeting_id, values),
                           tilsagn_labels(ctx))
    else:
        saved = forms.save(ctx, lambda db: meetings.update_tilsagn(db, ctx.actor, promise_id, values, version),
                           tilsagn_labels(ctx), attempted=values,
                           show_value=describe)
    if saved:
        form.done()
    if promise is not None:
        form.reload_button("meetings.reload", k + "reload")
        if st.button(ctx.t("meetings.delete_tilsagn"), key=k + "delete", icon=":material/delete:"):
            _act(ctx, lambda db: meetings.delete_tilsagn(db, ctx.actor, promise_id, version), "meetings.removed")


def follow_up_form(ctx: PageContext, meeting_id: int, promise: dict) -> None:
    """On a later meeting: set an earlier tilsagn's status and note that it was taken up here."""
    promise_id = promise["id"]
    version = forms.FormSession(ctx, f"tilsagn-{promise_id}", promise).version
    k = f"fu{meeting_id}_{promise_id}v{version}_"
    with st.form(k + "form", border=False):
        cols = st.columns([2, 2, 1], vertical_alignment="bottom")
        status = cols[0].selectbox(ctx.t("meetings.form.status"), codes.TILSAGN_STATUSES,
                                   index=codes.TILSAGN_STATUSES.index(promise["status"]), key=k + "status",
                                   format_func=lambda c: ctx.label("tilsagn_status", c))
        here = cols[1].checkbox(ctx.t("meetings.taken_up_here"), value=promise["followed_up_meeting_id"] == meeting_id,
                                key=k + "here")
        submitted = cols[2].form_submit_button(ctx.t("form.save"), icon=":material/save:")
    if not submitted:
        return
    values = {"status": status}
    if here:
        values["followed_up_meeting_id"] = meeting_id
    elif promise["followed_up_meeting_id"] == meeting_id:
        values["followed_up_meeting_id"] = None  # ticked off again: it was not taken up here after all
    _act(ctx, lambda db: meetings.update_tilsagn(db, ctx.actor, promise_id, values, version),
         forget=f"tilsagn-{promise_id}__")
