"""The Statsbudsjett page: the inputs, the budget year and the charts; one input with its phase control and form."""

import pandas as pd
import streamlit as st

from krem_advocacy.charts import budget as budget_charts
from krem_advocacy.domain import budget, organisations, saker
from krem_advocacy.text import amounts, codes, formatting
from krem_advocacy.ui import charts as chart_views
from krem_advocacy.ui import described, duplicates, forms, links, tables, widgets
from krem_advocacy.ui.context import PageContext
from krem_advocacy.ui.data import later, read
from krem_advocacy.ui.links import record_link
from krem_advocacy.ui.record import record_controls, record_footer

SCRIPT = "pages/statsbudsjett.py"
AMOUNT_COLUMNS = ["ask_amount", "prop_amount", "adopted_amount"]
FORM_FIELDS = budget.FORM_ORDER
RESPONSIBLE = budget.KIND.field("responsible_person_id")
STATE_BADGES = {"done": ("green", ":material/check:"), "next": ("blue", ":material/arrow_forward:"),
                "later": ("gray", ":material/schedule:"), "open": ("gray", ":material/remove:")}


# ---------------------------------------------------------------- small helpers

def budget_line(ctx: PageContext, chapter, post) -> str:
    """«kap. 621 post 70» (or «kap. 621» without a post)."""
    if not widgets.present(chapter):
        return ""
    if not widgets.present(post):
        return ctx.t("budget.line_chapter", chapter=chapter)
    return ctx.t("budget.line", chapter=chapter, post=post)


def short(ctx: PageContext, value) -> str:
    """«16,8 mrd kr» in the page's language (for key figures; the exact amount goes in the help)."""
    return amounts.short_amount(value, ctx.t("budget.unit.mill"), ctx.t("budget.unit.mrd"),
                                ctx.t("budget.unit.decimal"))


def field_labels(ctx: PageContext) -> dict[str, str]:
    """Each form field's label, for validation messages and the conflict table."""
    return {field: ctx.t(f"budget.field.{field}") for field in FORM_FIELDS}


def phase_steps(ctx: PageContext, phase: str) -> None:
    """The six phases in a row, the ones passed ticked and the current one highlighted."""
    current = codes.BUDGET_PHASES.index(phase)
    badges = []
    for index, code in enumerate(codes.BUDGET_PHASES):
        label = ctx.label("budget_phase", code)
        if index < current:
            badges.append(f":green-badge[:material/check: {label}]")
        elif index == current:
            badges.append(f":blue-badge[:material/radio_button_checked: **{label}**]")
        else:
            badges.append(f":gray-badge[{label}]")
    st.markdown(" → ".join(badges))


# ---------------------------------------------------------------- the page and its tabs

def linked_year(ctx: PageContext) -> int | None:
    """The budget year in the link: ?year=2027, or a budget year's record (?year_id=…)."""
    year, error = budget.parse_year(st.query_params.get("year"))
    if year is None and not error and (st.query_params.get("year_id") or "").isdigit():
        year = read(ctx, budget.year_of, year_id=int(st.query_params["year_id"]))
    return None if error else year


def show_new(ctx: PageContext) -> None:
    """The form for a new input (?new=1), for the year in the link or the default one."""
    widgets.back_link(ctx, SCRIPT, "budget.back")
    st.title(ctx.t("budget.new"))
    if not ctx.actor.can_edit:
        st.warning(ctx.t("form.permission_denied"), icon=":material/lock:")
        return
    years = read(ctx, budget.all_years)
    year = linked_year(ctx) or budget.default_year(years, ctx.today)
    input_form(ctx, None, defaults={"budget_year": year})


def show_overview(ctx: PageContext) -> None:
    """The page without a record in the link: the inputs, the budget year and the charts in tabs."""
    forms.show_flash(ctx)
    st.title(ctx.t("budget.title"))
    st.caption(ctx.t("budget.intro"))
    if ctx.actor.can_edit:
        links.page_link(ctx, SCRIPT, ctx.t("budget.new"), icon=":material/add_circle:", new=1)
    years = read(ctx, budget.all_years)
    names = [ctx.t("budget.tab.inputs"), ctx.t("budget.tab.year"), ctx.t("budget.tab.charts")]
    # Only the chosen tab is drawn (ten years of inputs, four charts); a linked year opens its tab.
    tabs = st.tabs(names, default=names[1] if linked_year(ctx) else names[0], key="budget_view", on_change="rerun")
    for tab, show in zip(tabs, (_inputs_tab, _year_tab, charts)):
        if tab.open:
            with tab:
                show(ctx, years)


def _inputs_tab(ctx: PageContext, years: list[int]) -> None:
    people = described.people(ctx)
    with st.container(border=True):
        cols = st.columns([2, 1, 1, 1, 1])
        text = cols[0].text_input(ctx.t("common.search"), placeholder=ctx.t("budget.search_placeholder"),
                                  key="budget_text")
        year = cols[1].selectbox(ctx.t("budget.filter.year"), years, index=None,
                                 placeholder=ctx.t("common.all"), key="budget_year")
        phase = cols[2].selectbox(ctx.t("budget.filter.phase"), codes.BUDGET_PHASES, index=None,
                                  placeholder=ctx.t("common.all"), key="budget_phase",
                                  format_func=lambda c: ctx.label("budget_phase", c))
        outcome = cols[3].selectbox(ctx.t("budget.filter.outcome"), codes.BUDGET_OUTCOMES, index=None,
                                    placeholder=ctx.t("common.all"), key="budget_outcome",
                                    format_func=lambda c: ctx.label("budget_outcome", c))
        responsible = cols[4].selectbox(ctx.t("mine.filter"), list(people), index=None,
                                        placeholder=ctx.t("common.all"), key="budget_responsible",
                                        format_func=lambda i: people.get(i, str(i)))
    filters = {"budget_year": year, "phase": phase, "outcome": outcome, "text": text,
               "responsible_person_id": responsible}
    limit = None if tables.showing_all("budget_table") else tables.TABLE_ROWS  # the first rows, until «show all»
    frame = read(ctx, budget.list_budget_inputs, **filters, limit=limit)
    st.caption(f"{ctx.t('common.count', n=tables.total_rows(frame))} · {ctx.t('common.open_hint')}")
    input_table(ctx, frame, key="budget_table", load_all=later(ctx, budget.list_budget_inputs, **filters))


def _choose_year() -> None:
    # The chosen year goes in the link, so it can be shared and survives a reload.
    st.query_params.pop("year_id", None)
    st.query_params["year"] = str(st.session_state["budget_view_year"])


def _year_tab(ctx: PageContext, years: list[int]) -> None:
    choices = year_choices(ctx, years)
    wanted = linked_year(ctx) or budget.default_year(years, ctx.today)
    if wanted not in choices:
        choices = sorted(set(choices) | {wanted}, reverse=True)
    year = st.selectbox(ctx.t("budget.filter.year"), choices, index=choices.index(wanted), key="budget_view_year",
                        on_change=_choose_year)
    year_view(ctx, year)


# ---------------------------------------------------------------- one input

def show_detail(ctx: PageContext, input_id: int) -> None:
    """One budget input: phase, amounts, dates, links, the year's cycle; editors can move and edit it."""
    record = read(ctx, budget.get_budget_input, input_id=input_id, include_internal=True)
    widgets.back_link(ctx, SCRIPT, "budget.back")
    if record is None:
        widgets.not_found(ctx, SCRIPT, "budget.back")
        return
    forms.show_flash(ctx)
    st.title(widgets.plain(record["title"]))
    widgets.example_badge(ctx, record["is_example"])
    line = budget_line(ctx, record["chapter"], record["post"])
    if line:
        st.markdown(f"**{widgets.plain(line)}** {widgets.plain(record['post_name'] or '')}")
    phase_steps(ctx, record["phase"])
    if ctx.actor.can_edit:
        phase_control(ctx, record)
    widgets.fields(ctx, [
        (ctx.t("budget.field.budget_year"), str(record["budget_year"])),
        (ctx.t("budget.field.outcome"), ctx.label("budget_outcome", record["outcome"])),
        (ctx.t("budget.field.ask_amount"), formatting.format_amount(record["ask_amount"])),
        (ctx.t("budget.field.prop_amount"), formatting.format_amount(record["prop_amount"])),
        (ctx.t("budget.field.adopted_amount"), formatting.format_amount(record["adopted_amount"])),
        (ctx.t("budget.field.recipient_org_id"), record["recipient_name"]),
        (ctx.t("budget.field.lead_org_id"), record["lead_org_name"]),
        (ctx.t("budget.field.responsible_person_id"),
         described.shown(ctx, RESPONSIBLE, record.get("responsible_person_id"))),
        (ctx.t("budget.field.cosigners"), ", ".join(c["name"] for c in record["cosigners"])),
        (ctx.t("budget.field.chapter_name"), record["chapter_name"]),
        (ctx.t("budget.field.sent_on"), formatting.format_date(record["sent_on"])),
        (ctx.t("budget.field.hearing_application_deadline"),
         formatting.format_date(record["hearing_application_deadline"])),
        (ctx.t("budget.field.hearing_on"), formatting.format_date(record["hearing_on"])),
    ])
    if record["ask"]:
        st.markdown(f"**{ctx.t('budget.field.ask')}**  \n{widgets.plain(record['ask'])}")
    widgets.link_field(ctx.t("budget.field.document_url"), record["document_url"])
    if record["saker"]:
        st.subheader(ctx.t("budget.linked_saker"))
        for sak in record["saker"]:
            record_link(ctx, "saker", sak["id"], widgets.plain(sak["title"]), icon=":material/topic:")
    st.subheader(ctx.t("budget.cycle", year=record["budget_year"]))
    cycle = record["budget_cycle"]
    if cycle:
        widgets.fields(ctx, [(ctx.t(f"budget.cycle.{f}"), formatting.format_date(cycle[f]))
                             for f in budget.CYCLE_FIELDS], columns=3)
    else:
        st.caption(ctx.t("budget.cycle_missing"))
    links.page_link(ctx, SCRIPT, ctx.t("budget.open_year", year=record["budget_year"]), icon=":material/timeline:",
                    width="stretch", year=record["budget_year"])
    if ctx.actor.can_edit:
        with widgets.lazy_expander(ctx.t("budget.edit"), "budget_edit", icon=":material/edit:") as box:
            if box.open:  # its pickers hold every organisation and sak
                input_form(ctx, record)
                delete_control(ctx, record)
    record_footer(ctx, record)


def _queue(kind: str, input_id: int, value, version: int, value_key: str | None = None) -> None:
    # Button callbacks keep what the editor saw when clicking (the version and the target phase);
    # a typed value is read when the click arrives, since it may have been typed just before.
    if value_key is not None:
        value = st.session_state.get(value_key)
    st.session_state["budget_request"] = (kind, input_id, value, version)


def phase_control(ctx: PageContext, record: dict) -> None:
    """Move the input to the next phase (one click) or any phase; record the adopted amount."""
    request = st.session_state.pop("budget_request", None)
    labels = field_labels(ctx)
    if request and request[1] == record["id"]:
        kind, input_id, value, version = request
        # After a move the input's form starts again from the saved record, and so do these controls.
        form = forms.FormSession(ctx, _prefix(input_id), typed=_prefix(input_id),
                                 extra=(f"bi_pick_{input_id}", f"bi_quick_{input_id}"))
        if kind == "phase":
            if forms.save(ctx, lambda db: budget.set_phase(db, ctx.actor, input_id, value, version),
                          {"phase": labels["phase"]}, attempted={"phase": value},
                          show_value=display(ctx)) is not None:
                form.done("budget.phase_moved", phase=ctx.label("budget_phase", value))
        elif kind == "adopted":
            if forms.save(ctx, lambda db: budget.set_adopted_amount(db, ctx.actor, input_id, value, version),
                          {"adopted_amount": labels["adopted_amount"]}, attempted={"adopted_amount": value},
                          show_value=display(ctx)) is not None:
                form.done("budget.adopted_saved")
    with st.container(border=True):
        upcoming = budget.next_phase(record["phase"])
        cols = st.columns([3, 2], vertical_alignment="bottom")
        if upcoming:
            cols[0].button(ctx.t("budget.next_phase", phase=ctx.label("budget_phase", upcoming)),
                           type="primary", icon=":material/arrow_forward:", key=f"bi_next_{record['id']}",
                           on_click=_queue, args=("phase", record["id"], upcoming, record["version"]))
        else:
            cols[0].caption(ctx.t("budget.last_phase"))
        with cols[1].popover(ctx.t("budget.choose_phase"), icon=":material/tune:", width="stretch"):
            choice = st.selectbox(ctx.t("budget.field.phase"), codes.BUDGET_PHASES,
                                  index=codes.BUDGET_PHASES.index(record["phase"]),
                                  format_func=lambda c: ctx.label("budget_phase", c), key=f"bi_pick_{record['id']}")
            st.button(ctx.t("budget.move"), key=f"bi_move_{record['id']}", disabled=choice == record["phase"],
                      on_click=_queue, args=("phase", record["id"], choice, record["version"],
                                             f"bi_pick_{record['id']}"))
        if record["phase"] in ("innstilling", "vedtatt", "revidert") and record["adopted_amount"] is None:
            cols = st.columns([3, 2], vertical_alignment="bottom")
            key = f"bi_quick_{record['id']}"
            cols[0].text_input(ctx.t("budget.field.adopted_amount"), key=key,
                               placeholder=ctx.t("budget.amount_placeholder"), help=ctx.t("budget.amount_help"))
            cols[1].button(ctx.t("budget.save_adopted"), icon=":material/savings:", key=f"bi_adopt_{record['id']}",
                           on_click=_queue, args=("adopted", record["id"], None, record["version"], key))


def _prefix(input_id: int | None) -> str:
    return f"bi{input_id if input_id is not None else 'new'}_"


def _options(ctx: PageContext) -> dict[str, pd.DataFrame]:
    return {
        "recipients": read(ctx, organisations.options, kinds=("department", "committee", "party")),
        "leads": read(ctx, organisations.options, kinds=("forum_member", "secretariat")),
        "cosigners": read(ctx, organisations.options, kinds=("forum_member", "secretariat", "other")),
        "saker": read(ctx, saker.options),
    }


def _describe(ctx: PageContext, record: dict) -> str:
    """A budget input told apart from its look-alikes: title, year, kap./post and phase."""
    where = f"kap. {record['chapter']} post {record['post'] or '–'}" if record.get("chapter") else ""
    return " · ".join(p for p in (record["title"], str(record["budget_year"]), where,
                                  ctx.label("budget_phase", record["phase"])) if p)


def _names(frame: pd.DataFrame, column: str = "name") -> dict[int, str]:
    return {int(i): str(n) for i, n in zip(frame["id"], frame[column])}


def display(ctx: PageContext, options: dict[str, pd.DataFrame] | None = None):
    """How a field's value reads in a conflict, typed or saved: names, labels, «1 500 000 kr», DD.MM.YYYY."""
    orgs = {}
    for frame in (options or {}).values():
        if "short_name" in frame:
            orgs.update(_names(frame))

    def show(field: str, value) -> str:
        if not widgets.present(value) or value == []:
            return ""
        if field in AMOUNT_COLUMNS:
            try:
                return formatting.format_amount(amounts.parse_amount(value))
            except amounts.AmountError:
                return str(value)
        if field in ("sent_on", "hearing_application_deadline", "hearing_on", *budget.CYCLE_FIELDS):
            return formatting.format_date(value)
        if field in ("recipient_org_id", "lead_org_id"):
            return orgs.get(int(value), str(value))
        if field == "responsible_person_id":
            return described.shown(ctx, RESPONSIBLE, value)
        if field in ("phase", "outcome"):
            return ctx.label("budget_phase" if field == "phase" else "budget_outcome", value)
        return str(value).strip()
    return show


def input_form(ctx: PageContext, record: dict | None = None, defaults: dict | None = None) -> None:
    """Create (record None) or edit a budget input; saved through forms.save with the opened version."""
    record_id = record["id"] if record else None
    prefix = _prefix(record_id)
    current = record or {"phase": "vaarinnspill", "outcome": "ukjent", **(defaults or {})}
    # Opened afresh, the form starts from the version shown now; typed values are kept across reruns.
    form = forms.FormSession(ctx, prefix, record, typed=prefix, renew=True)
    form.stale_notice("budget.changed_since_opened", "budget.reload", f"{prefix}reload", "budget.reloaded")
    options = _options(ctx)
    labels = field_labels(ctx)
    org_names = {**_names(options["recipients"]), **_names(options["leads"]), **_names(options["cosigners"])}
    sak_names = _names(options["saker"], "title")
    cosigner_ids = [c["id"] for c in record["cosigners"]] if record else []
    sak_ids = [s["id"] for s in record["saker"]] if record else []

    def pick(field, frame, help_key=None):
        ids = list(frame["id"])
        value = current.get(field)
        index = ids.index(value) if widgets.present(value) and value in ids else None
        return st.selectbox(labels[field], ids, index=index, key=f"{prefix}{field}", format_func=org_names.get,
                            placeholder=ctx.t("budget.choose"), help=ctx.t(help_key) if help_key else None)

    def day(field):
        return st.date_input(labels[field], value=formatting.parse_date(current.get(field)), format="DD.MM.YYYY",
                             key=f"{prefix}{field}")

    with st.form(f"{prefix}form", border=record is None):
        values = {"title": st.text_input(labels["title"], value=current.get("title") or "", key=f"{prefix}title",
                                         max_chars=300)}
        cols = st.columns(3)
        with cols[0]:
            # Text, not a number field: a cleared or mistyped year gets a message instead of a silent default.
            year = current.get("budget_year")
            values["budget_year"] = st.text_input(labels["budget_year"], value="" if year is None else str(year),
                                                  key=f"{prefix}budget_year", max_chars=4,
                                                  placeholder=ctx.t("budget.year_placeholder"))
        with cols[1]:
            values["phase"] = st.selectbox(labels["phase"], codes.BUDGET_PHASES,
                                           index=codes.BUDGET_PHASES.index(current["phase"]), key=f"{prefix}phase",
                                           format_func=lambda c: ctx.label("budget_phase", c))
        with cols[2]:
            values["outcome"] = st.selectbox(labels["outcome"], codes.BUDGET_OUTCOMES,
                                             index=codes.BUDGET_OUTCOMES.index(current["outcome"]),
                                             key=f"{prefix}outcome", help=ctx.t("budget.outcome_help"),
                                             format_func=lambda c: ctx.label("budget_outcome", c))
        cols = st.columns(2)
        with cols[0]:
            values["recipient_org_id"] = pick("recipient_org_id", options["recipients"], "budget.recipient_help")
        with cols[1]:
            values["lead_org_id"] = pick("lead_org_id", options["leads"])
        st.session_state.setdefault(f"{prefix}responsible_person_id", current.get("responsible_person_id"))
        values["responsible_person_id"] = described.draw(ctx, RESPONSIBLE, f"{prefix}responsible_person_id")
        values["cosigners"] = st.multiselect(labels["cosigners"], list(options["cosigners"]["id"]),
                                                default=[i for i in cosigner_ids if i in org_names],
                                                format_func=org_names.get, key=f"{prefix}cosigner_ids",
                                                placeholder=ctx.t("budget.choose"))
        cols = st.columns([1, 1, 3, 3])
        for col, field, hint in zip(cols, ["chapter", "post", "chapter_name", "post_name"],
                                    ["budget.chapter_placeholder", "budget.post_placeholder", None, None]):
            values[field] = col.text_input(labels[field], value=current.get(field) or "", key=f"{prefix}{field}",
                                           placeholder=ctx.t(hint) if hint else None,
                                           help=ctx.t(f"budget.{field}_help") if hint else None)
        values["ask"] = st.text_area(labels["ask"], value=current.get("ask") or "", key=f"{prefix}ask", height=90)
        cols = st.columns(3)
        for col, field in zip(cols, AMOUNT_COLUMNS):
            values[field] = col.text_input(labels[field], value=amounts.amount_input(current.get(field)),
                                           key=f"{prefix}{field}", placeholder=ctx.t("budget.amount_placeholder"),
                                           help=ctx.t("budget.amount_help"))
        cols = st.columns(3)
        for col, field in zip(cols, ["sent_on", "hearing_application_deadline", "hearing_on"]):
            with col:
                values[field] = day(field)
        values["document_url"] = st.text_input(labels["document_url"], value=current.get("document_url") or "",
                                               key=f"{prefix}document_url", placeholder="https://")
        values["saker"] = st.multiselect(labels["saker"], list(options["saker"]["id"]),
                                           default=[i for i in sak_ids if i in sak_names], format_func=sak_names.get,
                                           key=f"{prefix}sak_ids", placeholder=ctx.t("budget.choose"))
        cols = st.columns(2)
        values["notes"] = cols[0].text_area(labels["notes"], value=current.get("notes") or "",
                                            key=f"{prefix}notes", height=90)
        values["internal_notes"] = cols[1].text_area(labels["internal_notes"], key=f"{prefix}internal_notes",
                                                     value=current.get("internal_notes") or "", height=90)
        values["source"] = st.text_input(labels["source"], value=current.get("source") or "", key=f"{prefix}source")
        submitted = st.form_submit_button(ctx.t("budget.save") if record else ctx.t("budget.create"),
                                          type="primary", icon=":material/save:")
    if record is None:
        # A new input on the same year, kap., post and phase as a saved one is offered to open it instead.
        new_id = duplicates.create(ctx, "budget_new_duplicate", submitted, values, "budget_inputs",
                                   lambda db, v: budget.create_budget_input(db, ctx.actor, v), labels,
                                   lambda twin: _describe(ctx, twin))
        if new_id is not None:
            forms.flash("budget.created")
            form.reset()
            links.open_record(SCRIPT, new_id, ctx)
        return
    if not submitted:
        return
    version = form.version
    saved = forms.save(ctx, lambda db: budget.update_budget_input(db, ctx.actor, record_id, values, version),
                       labels, attempted={k: v for k, v in values.items() if k not in ("cosigners", "saker")},
                       show_value=display(ctx, options), on_reload=form.reset)
    if saved is not None:
        form.done("budget.saved")


def delete_control(ctx: PageContext, record: dict) -> None:
    """Delete the input after a confirmation (the audit log keeps it)."""
    key = f"bi_delete_{record['id']}"
    sure = st.checkbox(ctx.t("budget.delete_confirm"), key=f"{key}_sure")
    if st.button(ctx.t("budget.delete"), key=key, icon=":material/delete:", disabled=not sure):
        version = forms.FormSession(ctx, _prefix(record["id"]), record).version
        done = forms.save(ctx, lambda db: budget.delete_budget_input(db, ctx.actor, record["id"], version) or True,
                          field_labels(ctx))
        if done:
            forms.flash("budget.deleted", title=record["title"])
            links.switch_to(ctx, SCRIPT)


# ---------------------------------------------------------------- the budget year

def year_view(ctx: PageContext, year: int) -> None:
    """The year's cycle as a pipeline with dates, what is due next, each input's phase, and the sums."""
    cycle = read(ctx, budget.get_budget_year, budget_year=year, include_internal=True)
    stages = read(ctx, budget.year_pipeline, budget_year=year, today=ctx.today)
    # Two rows of three on a wide screen, one after another on a phone.
    for row in (stages[:3], stages[3:]):
        for column, stage in zip(st.columns(3), row):
            colour, icon = STATE_BADGES[stage["state"]]
            number = codes.BUDGET_PHASES.index(stage["phase"]) + 1
            with column.container(border=True, gap="small", height="stretch"):
                st.markdown(f"**{number}. {ctx.label('budget_phase', stage['phase'])}**  \n"
                            f":{colour}-badge[{icon} {ctx.t('budget.state.' + stage['state'])}]")
                lines = [f"{ctx.t('budget.cycle.' + field)}: **{formatting.format_date(day) or '–'}**"
                         for field, day in stage["dates"]]
                lines.append(ctx.t("budget.inputs_in_phase", n=stage["inputs"]))
                st.markdown("  \n".join(lines))
    due = read(ctx, budget.next_dates, budget_year=year, today=ctx.today)
    st.subheader(ctx.t("budget.due_next"))
    if due.empty:
        st.info(ctx.t("budget.nothing_due"), icon=":material/event_available:")
    for row in due.itertuples():
        relative = formatting.relative_days(row.days_left, ctx.lang)
        text = f"**{formatting.format_date(row.day)}** · {ctx.t('budget.cycle.' + row.field)}"
        with st.container(border=True, gap="small"):
            st.markdown(f":blue-badge[:material/event: {relative}] {text}")
            if widgets.present(row.record_id):
                record_link(ctx, "budget_inputs", int(row.record_id), widgets.plain(row.title))
    frame = read(ctx, budget.list_budget_inputs, budget_year=year)
    st.subheader(ctx.t("budget.year_inputs", year=year))
    if not frame.empty:
        sums = (("ask_amount", "asked"), ("prop_amount", "proposed"), ("adopted_amount", "adopted"))
        for column, (field, series) in zip(st.columns(3), sums):
            total = frame[field].dropna()
            column.metric(ctx.t(f"budget.series.{series}"), short(ctx, total.sum()) if len(total) else "–",
                          help=formatting.format_amount(total.sum()) if len(total) else None, border=True)
    input_table(ctx, frame, key="budget_year_table", with_year=False)
    if ctx.actor.can_edit:
        links.page_link(ctx, SCRIPT, ctx.t("budget.new_for_year", year=year), icon=":material/add:", new=1, year=year)
        with widgets.lazy_expander(ctx.t("budget.edit_year" if cycle else "budget.add_year", year=year),
                                   f"budget_year_edit_{year}", icon=":material/edit_calendar:") as box:
            if box.open:
                year_form(ctx, year, cycle)
    if cycle:
        record_footer(ctx, cycle)
        record_controls(ctx, cycle, table="budget_years")  # the year is in ?year=, not ?id=: name its table


def year_form(ctx: PageContext, year: int, cycle: dict | None) -> None:
    """Set a budget year's cycle dates (creates the year's record the first time)."""
    prefix = f"by{year}_"
    form = forms.FormSession(ctx, prefix, cycle, typed=prefix, renew=True)
    version = form.version
    labels = {f: ctx.t(f"budget.cycle.{f}") for f in budget.CYCLE_FIELDS}
    labels.update(budget_year=ctx.t("budget.field.budget_year"), notes=ctx.t("common.notes"),
                  source=ctx.t("common.source"), internal_notes=ctx.t("common.internal_notes"))
    with st.form(f"{prefix}form", border=False):
        values = {"budget_year": year}
        cols = st.columns(3)
        for index, field in enumerate(budget.CYCLE_FIELDS):
            with cols[index % 3]:
                values[field] = st.date_input(labels[field], value=formatting.parse_date((cycle or {}).get(field)),
                                              format="DD.MM.YYYY", key=f"{prefix}{field}")
        values["notes"] = st.text_area(labels["notes"], value=(cycle or {}).get("notes") or "", key=f"{prefix}notes",
                                       height=70)
        values["source"] = st.text_input(labels["source"], value=(cycle or {}).get("source") or "",
                                         key=f"{prefix}source")
        if cycle is not None:
            values["internal_notes"] = cycle.get("internal_notes")
        submitted = st.form_submit_button(ctx.t("budget.save_year"), type="primary", icon=":material/save:")
    if not submitted:
        return
    if cycle is None:
        result = forms.save(ctx, lambda db: budget.create_budget_year(db, ctx.actor, values), labels)
    else:
        result = forms.save(ctx, lambda db: budget.update_budget_year(db, ctx.actor, cycle["id"], values, version),
                            labels, attempted=values, show_value=display(ctx), on_reload=form.reset)
    if result is not None:
        form.done("budget.year_saved", year=year)


# ---------------------------------------------------------------- lists and charts

def input_table(ctx: PageContext, frame: pd.DataFrame, key: str, with_year: bool = True, load_all=None) -> None:
    """Budget inputs as a table whose rows open the input (`load_all`: see tables.pick_from_table)."""
    columns = ["title", "budget_year", "line", "phase", "recipient", *AMOUNT_COLUMNS, "outcome"]

    def display(rows: pd.DataFrame) -> pd.DataFrame:
        shown = widgets.amounts_for_display(rows, AMOUNT_COLUMNS).assign(
            line=[budget_line(ctx, c, p) for c, p in zip(rows["chapter"], rows["post"])],
            phase=rows["phase"].map(lambda c: ctx.label("budget_phase", c)),
            outcome=rows["outcome"].map(lambda c: ctx.label("budget_outcome", c)),
        )
        shown = shown[[c for c in columns if with_year or c != "budget_year"]]
        shown.columns = [ctx.t(f"budget.col.{c}") for c in shown.columns]
        return shown

    chosen = tables.pick_from_table(ctx, frame, display, key=key, load_all=load_all)
    if chosen is not None:
        links.open_record(SCRIPT, chosen, ctx)


def charts(ctx: PageContext, years: list[int]) -> None:
    """Asked vs. proposed vs. adopted per year, outcomes over the years, and sums per recipient and chapter."""
    series = {s: ctx.t(f"budget.series.{s}") for s in ("asked", "proposed", "adopted")}
    units = {"mrd": ctx.t("budget.unit.mrd"), "mill": ctx.t("budget.unit.mill"),
             "decimal": ctx.t("budget.unit.decimal")}
    amounts_frame = read(ctx, budget.amounts_by_year)
    if amounts_frame.empty:
        st.info(ctx.t("common.no_rows"), icon=":material/info:")
        return
    st.subheader(ctx.t("budget.chart"))
    st.caption(ctx.t("budget.chart_caption") + " " + ctx.t("budget.chart_log_caption"))
    by_year = amounts_frame.assign(year=amounts_frame["budget_year"].astype(str))
    chart_views.show(budget_charts.amounts_by_group_chart, by_year, "year", ctx.t("budget.chart.year"), series,
                     ctx.t("budget.chart.amount_log"), ctx.t("budget.chart.series"), units,
                     text=_amounts_text(ctx, by_year, "year", ctx.t("budget.chart.year"), series, table=False))
    with st.expander(ctx.t("budget.chart_numbers"), icon=":material/table:"):
        table = widgets.amounts_for_display(amounts_frame, list(series))
        table = table[["budget_year", *series, "inputs"]]
        table.columns = [ctx.t("budget.chart.year"), *series.values(), ctx.t("budget.chart.count")]
        st.table(table, border="horizontal", hide_index=True)
    st.subheader(ctx.t("budget.chart_outcomes"))
    st.caption(ctx.t("budget.chart_outcomes_caption"))
    outcome_labels = {c: ctx.label("budget_outcome", c) for c in codes.BUDGET_OUTCOMES}
    outcomes = read(ctx, budget.outcomes_by_year)
    outcome_table = chart_views.crosstab(outcomes.assign(budget_year=outcomes["budget_year"].astype(str)),
                                         "budget_year", "outcome", "inputs", ctx.t("budget.chart.year"),
                                         outcome_labels, ctx.t("charts.total"))
    outcome_text = chart_views.text_view(ctx, chart_views.peak_summary(ctx, outcome_table, ctx.t("budget.chart.year"),
                                                                       ctx.t("charts.total")), outcome_table)
    chart_views.show(budget_charts.outcomes_by_year_chart, outcomes, outcome_labels,
                     ctx.t("budget.chart.year"), ctx.t("budget.chart.count"), ctx.t("budget.field.outcome"),
                     text=outcome_text)
    st.subheader(ctx.t("budget.chart_groups"))
    year = st.selectbox(ctx.t("budget.filter.year"), years, index=None, placeholder=ctx.t("budget.all_years"),
                        key="budget_chart_year")
    st.caption(ctx.t("budget.chart_groups_caption") + " " + ctx.t("budget.chart_log_caption"))
    for query, group, title in ((budget.amounts_by_recipient, "recipient", "budget.chart.recipient"),
                                (budget.amounts_by_chapter, "chapter_label", "budget.chart.chapter")):
        frame = read(ctx, query, budget_year=year)
        st.markdown(f"**{ctx.t(title)}**")
        if frame.empty:
            st.info(ctx.t("common.no_rows"), icon=":material/info:")
            continue
        if group == "chapter_label":
            frame = frame.assign(chapter_label=[f"{ctx.t('budget.line_chapter', chapter=c)} {n or ''}".strip()
                                                for c, n in zip(frame["chapter"], frame["chapter_name"])])
        chart_views.show(budget_charts.amounts_by_group_chart, frame, group, ctx.t(title), series,
                         ctx.t("budget.chart.amount_log"), ctx.t("budget.chart.series"), units,
                         text=_amounts_text(ctx, frame, group, ctx.t(title), series))


def _amounts_text(ctx: PageContext, frame: pd.DataFrame, group: str, group_title: str, series: dict[str, str],
                  table: bool = True) -> chart_views.TextView:
    # The largest ask and the adopted sum in words; the amounts as a table (unless the page shows it already).
    asked = frame["asked"].fillna(0)
    top = frame.loc[asked.idxmax()]
    summary = ctx.t("charts.budget_summary",
                    top=top[group], most=formatting.format_amount(top["asked"]),
                    adopted=formatting.format_amount(frame["adopted"].fillna(0).sum()))
    shown = None
    if table:
        shown = widgets.amounts_for_display(frame, list(series))[[group, *series, "inputs"]]
        shown.columns = [group_title, *series.values(), ctx.t("budget.chart.count")]
    return chart_views.text_view(ctx, summary, shown)


def year_choices(ctx: PageContext, years: list[int]) -> list[int]:
    """Recorded years plus the next two budget years, newest first (so a new year can be planned)."""
    return sorted(set(years) | {ctx.today.year + 1, ctx.today.year + 2}, reverse=True)
