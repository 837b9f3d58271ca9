"""The Saker page: the list with filters and the theme heatmap, one sak with its trail and activity chart, the form."""

from datetime import date

import pandas as pd
import streamlit as st

from krem_advocacy.charts import saker as saker_charts
from krem_advocacy.domain import organisations, saker
from krem_advocacy.domain.saker import TRAIL_KINDS
from krem_advocacy.text import codes, formatting
from krem_advocacy.ui import charts, editing, forms, links, tables, widgets
from krem_advocacy.ui.context import PageContext
from krem_advocacy.ui.data import later, read
from krem_advocacy.ui.links import record_link
from krem_advocacy.ui.record import record_footer

SCRIPT = "pages/saker.py"
TRAIL_ICONS = {"hoering": ":material/gavel:", "budget_input": ":material/account_balance:",
               "agenda_item": ":material/record_voice_over:", "tilsagn": ":material/handshake:"}
TRAIL_COLOURS = {"hoering": "blue", "budget_input": "violet", "agenda_item": "green", "tilsagn": "orange"}
TRAIL_STATUS_LISTS = {"hoering": "hoering_our_status", "budget_input": "budget_outcome",
                      "agenda_item": "meeting_kind", "tilsagn": "tilsagn_status"}
MAX_DETAIL_LENGTH = 240
EASY_DETAIL_LENGTH = 100  # the easy-read choice: shorter outcomes on the trail
HEATMAP_YEARS = (3, 5, 10)


def theme_label(ctx: PageContext, row) -> str:
    """A sak's theme in the page's language."""
    return row["theme_en"] if ctx.lang == "en" else row["theme_nb"]


# ---- The list and one sak ----

def show_detail(ctx: PageContext, sak_id: int) -> None:
    """One sak: its facts, stance and description, the trail of everything done on it, and the form for editors."""
    record = read(ctx, saker.get_sak, sak_id=sak_id, include_internal=True)
    widgets.back_link(ctx, SCRIPT, "saker.back")
    if record is None:
        widgets.not_found(ctx, SCRIPT, "saker.back")
        return
    st.title(widgets.plain(record["title"]))
    widgets.example_badge(ctx, record["is_example"])
    if ctx.actor.can_edit and editing.edit_toggle(ctx, f"sak_{sak_id}"):
        sak_form(ctx, record)
    if record["easy_read"]:
        st.info(f"**{ctx.t('saker.easy_read')}:** {widgets.plain(record['easy_read'])}", icon=":material/chat:")
    elif ctx.easy_read:
        st.caption(ctx.t("saker.no_easy_read"))
    if ctx.easy_read:  # the plain-language summary first; the facts and the long texts behind «Les mer»
        with st.expander(ctx.t("saker.read_more"), icon=":material/read_more:"):
            _sak_facts(ctx, record)
    else:
        _sak_facts(ctx, record)
    trail_section(ctx, sak_id)
    record_footer(ctx, record)


def _sak_facts(ctx: PageContext, record: dict) -> None:
    widgets.fields(ctx, [
        (ctx.t("saker.field.theme"), theme_label(ctx, record)),
        (ctx.t("saker.field.priority"), ctx.label("priority", record["priority"])),
        (ctx.t("saker.field.status"), ctx.label("sak_status", record["status"])),
        (ctx.t("saker.field.lead_org"), record["lead_org_name"]),
        (ctx.t("saker.field.responsible"), ", ".join(p["name"] for p in record["responsible"])),
        (ctx.t("saker.field.started_on"), formatting.format_date(record["started_on"])),
    ])
    if record["stance"]:
        st.markdown(f"**{ctx.t('saker.field.stance')}**  \n{widgets.plain(record['stance'])}")
    if record["description"]:
        st.markdown(f"**{ctx.t('saker.description')}**  \n{widgets.plain(record['description'])}")


def show_list(ctx: PageContext) -> None:
    """The list page: the new-sak form for editors, then the list and the theme heatmap in tabs."""
    st.title(ctx.t("saker.title"))
    st.caption(ctx.t("saker.intro"))
    if ctx.actor.can_edit and editing.edit_toggle(ctx, "sak_new", "saker.new"):
        sak_form(ctx)
    # Only the chosen tab is drawn: the heatmap counts ten years of activity on every sak.
    list_tab, heatmap_tab = st.tabs([ctx.t("saker.tab.list"), ctx.t("saker.tab.heatmap")], key="saker_view",
                                    on_change="rerun")
    if list_tab.open:
        with list_tab:
            _sak_table(ctx)
    if heatmap_tab.open:
        with heatmap_tab:
            theme_heatmap_section(ctx)


def _sak_table(ctx: PageContext) -> None:
    themes = read(ctx, saker.themes)
    theme_names = dict(zip(themes["code"], themes["label_en" if ctx.lang == "en" else "label_nb"]))
    with st.container(border=True):
        cols = st.columns([2, 1, 1])
        text = cols[0].text_input(ctx.t("common.search"), placeholder=ctx.t("common.search_placeholder"),
                                  key="sak_text")
        status = cols[1].selectbox(ctx.t("saker.filter.status"), codes.SAK_STATUSES, index=None,
                                   placeholder=ctx.t("common.all"), key="sak_status",
                                   format_func=lambda c: ctx.label("sak_status", c))
        theme = cols[2].selectbox(ctx.t("saker.filter.theme"), list(theme_names), index=None,
                                  placeholder=ctx.t("common.all"), key="sak_theme",
                                  format_func=lambda c: theme_names[c])
    # The first rows only, until «show all» (ten years of saker).
    limit = None if tables.showing_all("sak_table") else tables.TABLE_ROWS
    frame = read(ctx, saker.list_saker, status=status, theme_code=theme, text=text, limit=limit)
    st.caption(f"{ctx.t('common.count', n=tables.total_rows(frame))} · {ctx.t('common.open_hint')}")

    def display(rows):
        shown = rows.assign(
            theme=rows["theme_en" if ctx.lang == "en" else "theme_nb"],
            priority=rows["priority"].map(lambda c: ctx.label("priority", c)),
            status=rows["status"].map(lambda c: ctx.label("sak_status", c)),
        )
        # Easy read: what each sak is about in plain words instead of the finer columns.
        columns = (["title", "easy_read", "status"] if ctx.easy_read else
                   ["title", "theme", "priority", "status", "lead_org", "activity_count"])
        shown = shown[columns]
        shown.columns = [ctx.t(f"saker.col.{c}") for c in shown.columns]
        return shown

    chosen = tables.pick_from_table(ctx, frame, display, key="sak_table",
                                     load_all=later(ctx, saker.list_saker, status=status, theme_code=theme, text=text))
    if chosen is not None:
        links.open_record(SCRIPT, chosen, ctx)


# ---- The trail ----

def trail_section(ctx: PageContext, sak_id: int) -> None:
    """The sak's trail: activity chart, filter by kind, one entry per record (newest first), a download."""
    st.subheader(ctx.t("saker.trail"))
    full = read(ctx, saker.trail, sak_id=sak_id)
    if full.empty:
        st.info(ctx.t("saker.trail_empty"), icon=":material/info:")
        return
    st.caption(ctx.t("saker.trail_caption"))
    kind_labels = {k: ctx.t(f"saker.trail.kind.{k}") for k in TRAIL_KINDS}
    by_quarter = read(ctx, saker.trail_by_quarter, sak_id=sak_id)
    if not by_quarter.empty:
        first = formatting.parse_date(by_quarter["quarter_start"].min())
        last = max(formatting.parse_date(by_quarter["quarter_start"].max()), ctx.today)
        table = charts.crosstab(by_quarter, "period", "kind", "count", ctx.t("saker.axis.quarter"), kind_labels,
                                ctx.t("charts.total"))
        text = charts.text_view(ctx, charts.peak_summary(ctx, table, ctx.t("saker.axis.quarter"),
                                                         ctx.t("charts.total")), table)
        charts.show(saker_charts.sak_activity_chart, by_quarter, saker.quarters(first, last), kind_labels,
                    ctx.t("saker.axis.quarter"), ctx.t("saker.axis.count"), ctx.t("saker.axis.kind"), text=text)
    counts = full["kind"].value_counts()
    chosen = st.pills(ctx.t("saker.trail.filter"), [k for k in TRAIL_KINDS if k in counts],
                      selection_mode="multi", key=f"trail_kinds_{sak_id}",
                      format_func=lambda k: f"{kind_labels[k]} ({counts[k]})")
    frame = read(ctx, saker.trail, sak_id=sak_id, kinds=tuple(chosen)) if chosen else full
    for row in frame.itertuples():
        _trail_entry(ctx, row)
    st.download_button(ctx.t("saker.trail.download"), _trail_csv(ctx, frame).encode("utf-8-sig"),
                       file_name=f"sak-{sak_id}-spor.csv", mime="text/csv", icon=":material/download:")


def _trail_entry(ctx: PageContext, row) -> None:
    # One record on the trail: kind, status and date on top, the link that opens it, then to whom / by
    # whom and what came of it.
    with st.container(border=True, gap="small"):
        head = [f":{TRAIL_COLOURS[row.kind]}-badge[{TRAIL_ICONS[row.kind]} "
                f"{widgets.plain(ctx.t('saker.trail.kind.' + row.kind))}]"]
        status = ctx.label(TRAIL_STATUS_LISTS[row.kind], row.status) if widgets.present(row.status) else ""
        if status:
            head.append(f":gray-badge[{widgets.plain(status)}]")
        if widgets.present(row.day):
            when = formatting.format_date(row.day)
            if widgets.present(row.day_kind):
                when += f" ({ctx.t('saker.trail.day.' + row.day_kind)})"
            head.append(f"**{widgets.plain(when)}**")
        st.markdown(" ".join(head))
        record_link(ctx, row.record_table, int(row.record_id), widgets.plain(row.title))
        details = _trail_details(ctx, row)
        if details:
            st.caption(" · ".join(widgets.plain(d) for d in details))


def _trail_details(ctx: PageContext, row) -> list[str]:
    details = []
    if widgets.present(row.counterpart):
        details.append(ctx.t(f"saker.trail.who.{row.kind}", who=row.counterpart))
    if widgets.present(row.ask_amount):
        details.append(ctx.t("saker.trail.asked", amount=formatting.format_amount(row.ask_amount)))
    if widgets.present(row.adopted_amount):
        details.append(ctx.t("saker.trail.adopted", amount=formatting.format_amount(row.adopted_amount)))
    if widgets.present(row.followed_up_on):
        details.append(ctx.t("saker.trail.followed_up", date=formatting.format_date(row.followed_up_on)))
    if widgets.present(row.outcome):
        text = str(row.outcome)
        limit = EASY_DETAIL_LENGTH if ctx.easy_read else MAX_DETAIL_LENGTH
        text = text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"
        details.append(ctx.t(f"saker.trail.outcome.{row.kind}", text=text))
    return details


def _trail_csv(ctx: PageContext, frame: pd.DataFrame) -> str:
    # The trail as a table for the annual report: plain words, Norwegian dates, no codes.
    table = pd.DataFrame({
        ctx.t("saker.csv.day"): frame["day"].map(formatting.format_date),
        ctx.t("saker.csv.kind"): frame["kind"].map(lambda k: ctx.t(f"saker.trail.kind.{k}")),
        ctx.t("saker.csv.title"): frame["title"],
        ctx.t("saker.csv.status"): [ctx.label(TRAIL_STATUS_LISTS[k], s) if widgets.present(s) else ""
                                    for k, s in zip(frame["kind"], frame["status"])],
        ctx.t("saker.csv.who"): frame["counterpart"],
        ctx.t("saker.csv.outcome"): frame["outcome"],
        ctx.t("saker.csv.asked"): frame["ask_amount"],
        ctx.t("saker.csv.adopted"): frame["adopted_amount"],
    })
    return table.to_csv(index=False, sep=";")


# ---- Activity by theme and quarter ----

def theme_heatmap_section(ctx: PageContext) -> None:
    """The heatmap of activity on saker by theme and quarter, over a chosen number of years."""
    st.subheader(ctx.t("saker.heatmap"))
    st.caption(ctx.t("saker.heatmap_caption"))
    years = st.segmented_control(ctx.t("saker.heatmap_years"), HEATMAP_YEARS, default=HEATMAP_YEARS[0],
                                 key="heatmap_years", format_func=lambda n: ctx.t("saker.heatmap_years_option", n=n))
    start = first_quarter(ctx.today, years or HEATMAP_YEARS[0])
    frame = read(ctx, saker.activity_by_theme, start=start, end=ctx.today)
    if frame.empty:
        st.info(ctx.t("saker.heatmap_empty"), icon=":material/info:")
        return
    themes = read(ctx, saker.themes)
    labels = dict(zip(themes["code"], themes["label_en" if ctx.lang == "en" else "label_nb"]))
    labels[""] = ctx.t("saker.no_theme")
    periods = {p: p for p in saker.quarters(start, ctx.today)}
    named = frame.assign(theme=frame["theme_code"].fillna("").map(lambda code: labels.get(code, code)))
    table = charts.crosstab(named, "theme", "period", "count", ctx.t("saker.axis.theme"), periods,
                            ctx.t("charts.total"))
    top = table.loc[table[ctx.t("charts.total")].idxmax()]
    summary = ctx.t("charts.heatmap_summary", total=int(table[ctx.t("charts.total")].sum()),
                    top=top[ctx.t("saker.axis.theme")], most=int(top[ctx.t("charts.total")]))
    charts.show(saker_charts.theme_heatmap, frame, saker.quarters(start, ctx.today), labels, ctx.t("saker.axis.quarter"),
                ctx.t("saker.axis.theme"), ctx.t("saker.axis.count"), text=charts.text_view(ctx, summary, table))


def first_quarter(today: date, years: int) -> date:
    """The first day of the quarter that makes `years` whole years of quarters up to today's quarter."""
    index = today.year * 4 + (today.month - 1) // 3 - (years * 4 - 1)
    return date(index // 4, (index % 4) * 3 + 1, 1)


# ---- Creating and editing a sak ----

FORM_FIELDS = ("title", "theme_code", "priority", "status", "lead_org_id", "started_on", "responsible",
               "easy_read", "stance", "description", "source", "notes", "internal_notes")


def field_labels(ctx: PageContext) -> dict[str, str]:
    """The form's field labels (also used to name fields in error messages and conflicts)."""
    return {f: ctx.t(f"saker.form.{f}") for f in FORM_FIELDS}


def sak_form(ctx: PageContext, record: dict | None = None) -> None:
    """The form that creates a sak (record None) or edits one; saves through saker.create_sak/update_sak."""
    key = f"sak_{record['id']}" if record else "sak_new"
    form = forms.FormSession(ctx, key, record)
    form.stale_notice()
    opened = form.version or 0
    record = record or {}
    themes = read(ctx, saker.themes)
    theme_names = dict(zip(themes["code"], themes["label_en" if ctx.lang == "en" else "label_nb"]))
    orgs = read(ctx, organisations.options)
    org_names = {int(i): n for i, n in zip(orgs["id"], orgs["name"])}
    people = read(ctx, organisations.people_options)
    person_names = {int(i): n + (f" ({o})" if widgets.present(o) else "")
                    for i, n, o in zip(people["id"], people["name"], people["organisation"])}
    current_people = [p["id"] for p in record["responsible"]] if record else []
    labels = field_labels(ctx)
    w = f"{key}_{opened}_"  # widget keys belong to the opened version: a reload starts a fresh form
    with st.form(f"{w}form"):
        values = {"title": st.text_input(labels["title"], record.get("title") or "", max_chars=300, key=w + "title")}
        cols = st.columns(3)
        values["theme_code"] = cols[0].selectbox(
            labels["theme_code"], list(theme_names), index=_index(list(theme_names), record.get("theme_code")),
            format_func=theme_names.get, placeholder=ctx.t("saker.form.choose"), key=w + "theme")
        values["priority"] = cols[1].selectbox(
            labels["priority"], codes.PRIORITIES, index=_index(codes.PRIORITIES, record.get("priority") or "middels"),
            format_func=lambda c: ctx.label("priority", c), key=w + "priority")
        values["status"] = cols[2].selectbox(
            labels["status"], codes.SAK_STATUSES, index=_index(codes.SAK_STATUSES, record.get("status") or "aktiv"),
            format_func=lambda c: ctx.label("sak_status", c), key=w + "status")
        cols = st.columns(2)
        values["lead_org_id"] = cols[0].selectbox(
            labels["lead_org_id"], list(org_names), index=_index(list(org_names), record.get("lead_org_id")),
            format_func=org_names.get, placeholder=ctx.t("saker.form.choose"), key=w + "lead")
        values["started_on"] = cols[1].date_input(
            labels["started_on"], formatting.parse_date(record.get("started_on")), format="DD.MM.YYYY",
            min_value=date(1990, 1, 1), max_value=date(ctx.today.year + 5, 12, 31), key=w + "started")
        values["responsible"] = st.multiselect(labels["responsible"], list(person_names), default=current_people,
                                               format_func=person_names.get, key=w + "people",
                                               placeholder=ctx.t("saker.form.choose_people"))
        values["easy_read"] = st.text_area(labels["easy_read"], record.get("easy_read") or "",
                                           max_chars=saker.EASY_READ_MAX_LENGTH,
                                           help=ctx.t("saker.form.easy_read_help"), key=w + "easy_read")
        for field in ("stance", "description"):
            values[field] = st.text_area(labels[field], record.get(field) or "", key=w + field)
        values["source"] = st.text_input(labels["source"], record.get("source") or "", key=w + "source")
        values["notes"] = st.text_area(labels["notes"], record.get("notes") or "", key=w + "notes")
        values["internal_notes"] = st.text_area(labels["internal_notes"], record.get("internal_notes") or "",
                                                key=w + "internal_notes")
        submitted = st.form_submit_button(ctx.t("form.save"), type="primary", icon=":material/save:")
    if not submitted:
        return
    show = _display(ctx, theme_names, org_names)
    if record:
        saved = forms.save(ctx, lambda db: saker.update_sak(db, ctx.actor, record["id"], values, opened),
                           labels, attempted=values, show_value=show)
        if saved is not None:
            editing.finish(form)
    else:
        new_id = forms.save(ctx, lambda db: saker.create_sak(db, ctx.actor, values), labels)
        if new_id is not None:
            editing.close(key)
            links.open_record(SCRIPT, new_id, ctx)


def _display(ctx: PageContext, theme_names: dict, org_names: dict):
    # How a field's value reads in a conflict: names and labels, not ids and codes.
    def show(field: str, value) -> str:
        if value is None or value == "" or value == []:
            return ""
        if field == "theme_code":
            return theme_names.get(value, str(value))
        if field == "lead_org_id":
            return org_names.get(int(value), str(value))
        if field in ("priority", "status"):
            return ctx.label("priority" if field == "priority" else "sak_status", value)
        if field == "started_on":
            return formatting.format_date(value)
        return str(value).strip()
    return show


def _index(options, value) -> int | None:
    options = list(options)
    try:
        return options.index(int(value) if isinstance(options[0], int) and value is not None else value)
    except (ValueError, IndexError, TypeError):
        return None
