"""The Endringslogg page: filters kept in the link, and one card per change with before and after."""

import pandas as pd
import streamlit as st

from krem_advocacy.domain import changelog as audit
from krem_advocacy.site import RECORD_PAGES
from krem_advocacy.store.migrations import RECORD_TABLES
from krem_advocacy.text import formatting, i18n
from krem_advocacy.ui.context import PageContext
from krem_advocacy.ui.data import read
from krem_advocacy.ui.links import record_link
from krem_advocacy.ui.widgets import plain

# Where each record table's field labels live in the catalogue.
FIELD_AREAS = {"saker": "saker", "hoeringer": "hoeringer", "budget_inputs": "budget", "budget_years": "budget",
               "meetings": "meetings", "organisations": "organisations"}
MAX_VALUE_CHARS = 300
PAGE_SIZE = 20  # changes per page; «Vis flere» adds as many again
COUNT_CAP = 10_000  # above this the page says «more than 10 000» instead of counting every change
# Filter widget key -> query parameter, so a filtered log can be linked to (?table=hoeringer&record=5).
PARAMS = {"audit_table": "table", "audit_record": "record", "audit_actor": "person"}


def show(ctx: PageContext) -> None:
    """The page: filters, how many changes match, the newest of them, and a button for more."""
    st.title(ctx.t("audit.title"))
    st.caption(ctx.t("audit.intro"))
    if not ctx.actor.can_edit:
        st.caption(ctx.t("audit.intro_viewer"))
    chosen = filters(ctx)
    # "Show more" grows the list; a new filter starts again from the newest page.
    if st.session_state.get("audit_shown_for") != chosen:
        st.session_state["audit_shown_for"] = chosen
        st.session_state["audit_limit"] = PAGE_SIZE
    limit = st.session_state["audit_limit"]
    total = read(ctx, audit.count_changes, **chosen, cap=COUNT_CAP)
    frame = read(ctx, audit.changes, **chosen, limit=limit)
    if frame.empty:
        st.info(ctx.t("audit.empty"), icon=":material/history:")
        return
    if total > len(frame):
        st.caption(ctx.t("audit.count_shown", shown=len(frame), n=count_text(ctx, total)))
    else:
        st.caption(ctx.t("audit.count_one") if total == 1 else ctx.t("audit.count", n=total))
    entries(ctx, frame)
    if total > len(frame):
        if st.button(ctx.t("audit.more"), icon=":material/expand_more:", key="audit_more"):
            st.session_state["audit_limit"] = limit + PAGE_SIZE
            st.rerun()


def filters(ctx: PageContext) -> dict:
    """Kind of record, record, person and dates; returns the keyword arguments for `audit.changes`."""
    _from_link()
    tables = read(ctx, audit.tables)
    linked_table = st.session_state.get("audit_table")
    if linked_table and linked_table not in tables:
        if linked_table in RECORD_TABLES:
            tables = [*tables, linked_table]  # linked from a record that has no changes yet
        else:
            st.session_state.pop("audit_table")
    with st.container(border=True):
        top = st.columns([1, 2, 1])
        table = top[0].selectbox(ctx.t("audit.filter.table"), tables, index=None, key="audit_table",
                                 placeholder=ctx.t("common.all"), format_func=lambda t: table_label(ctx, t),
                                 on_change=_forget_record)
        record_id = None
        if table:
            records = read(ctx, audit.records_of, table_name=table)
            labels = dict(zip(records["record_id"], records["label"]))
            linked = st.session_state.get("audit_record")
            if linked is not None and linked not in labels:
                labels[linked] = ""  # a record with no changes yet: show that, not the whole table
            record_id = top[1].selectbox(ctx.t("audit.filter.record"), list(labels), index=None, key="audit_record",
                                         placeholder=ctx.t("common.all"),
                                         format_func=lambda r: labels.get(r) or f"#{r}")
        else:
            top[1].selectbox(ctx.t("audit.filter.record"), [], index=None, disabled=True, key="audit_record_off",
                             placeholder=ctx.t("common.all"))
        person = top[2].selectbox(ctx.t("audit.filter.actor"), read(ctx, audit.actors), index=None,
                                  key="audit_actor", placeholder=ctx.t("common.all"))
        dates = st.columns([1, 1, 2], vertical_alignment="bottom")
        start = dates[0].date_input(ctx.t("audit.filter.start"), value=None, key="audit_start", format="DD.MM.YYYY")
        end = dates[1].date_input(ctx.t("audit.filter.end"), value=None, key="audit_end", format="DD.MM.YYYY")
        dates[2].button(ctx.t("audit.clear"), on_click=_clear, icon=":material/filter_alt_off:")
    _to_link()
    return {"table_name": table, "record_id": record_id, "actor": person, "start": start, "end": end}


def entries(ctx: PageContext, frame: pd.DataFrame) -> None:
    """One card per change: what, who, when, and the fields before and after."""
    for row in frame.itertuples():
        with st.container(border=True, gap="small"):
            _heading(ctx, row)
            when = audit.local_time(row.at).strftime("%d.%m.%Y kl. %H:%M")
            st.caption(ctx.t("audit.entry", when=when, actor=plain(row.actor),
                             action=ctx.label("audit_action", row.action)))
            changed = audit.field_changes(row.before, row.after)
            if not changed:
                st.caption(ctx.t("audit.no_fields"))
                continue
            lines = [f"| {ctx.t('audit.col.field')} | {ctx.t('audit.col.before')} | {ctx.t('audit.col.after')} |",
                     "|---|---|---|"]
            lines += [f"| {plain(field_label(ctx, row.table_name, f))} | {_value(ctx, f, old)} | {_value(ctx, f, new)} |"
                      for f, old, new in changed]
            st.markdown("\n".join(lines))


def count_text(ctx: PageContext, total: int) -> str:
    """A count of changes for the page, «mer enn 10 000» once it passes COUNT_CAP."""
    if total > COUNT_CAP:
        return ctx.t("audit.more_than", n=formatting.format_amount(COUNT_CAP, unit=""))
    return formatting.format_amount(total, unit="")


def table_label(ctx: PageContext, table: str) -> str:
    """«Høringer» for hoeringer; the whole database for a restore."""
    for key in (f"audit.table.{table}", f"data.table.{table}"):
        if key in i18n.CATALOGUE[i18n.DEFAULT_LANGUAGE]:
            return ctx.t(key)
    return table


def field_label(ctx: PageContext, table: str, field: str) -> str:
    """The field's label from its page if there is one, else a common one, else the column name."""
    if table == "demo":  # the demo import logs rows per table
        return table_label(ctx, field)
    for key in (f"{FIELD_AREAS.get(table, table)}.field.{field}", f"audit.field.{field}"):
        if key in i18n.CATALOGUE[i18n.DEFAULT_LANGUAGE]:
            return ctx.t(key)
    return field


def _heading(ctx: PageContext, row) -> None:
    kind = table_label(ctx, row.table_name)
    if row.record_id != row.record_id or row.record_id is None:
        st.markdown(f"**{plain(kind)}**")
        return
    name = row.label or f"#{int(row.record_id)}"
    if row.table_name in RECORD_PAGES and row.label and row.action != "delete":
        record_link(ctx, row.table_name, int(row.record_id), f"{plain(kind)}: {plain(name)}",
                    icon=":material/description:")
    else:
        st.markdown(f"**{plain(kind)}: {plain(name)}**")


def _value(ctx: PageContext, field: str, value) -> str:
    if value is None or value == "":
        return "–"
    if field.startswith("is_") and value in (0, 1):
        return ctx.t("common.yes") if value else ctx.t("common.no")
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value) or ctx.t("common.none")
    text = str(value)
    if len(text) > MAX_VALUE_CHARS:
        text = text[:MAX_VALUE_CHARS].rstrip() + " …"
    return plain(text).replace("  \n", " ").replace("|", "\\|")


def _link() -> tuple:
    return tuple(st.query_params.get(param) for param in PARAMS.values())


def _from_link() -> None:
    # A link that differs from what the widgets last wrote (arrival from a record's history link)
    # sets the filters; afterwards the widgets lead and the link follows them.
    if _link() == st.session_state.get("audit_link_seen"):
        return
    for key, param in PARAMS.items():
        value = st.query_params.get(param)
        if not value:
            st.session_state.pop(key, None)
        elif key == "audit_record":
            if value.isdigit():
                st.session_state[key] = int(value)
        else:
            st.session_state[key] = value


def _to_link() -> None:
    for key, param in PARAMS.items():
        value = st.session_state.get(key)
        if value is None:
            st.query_params.pop(param, None)
        elif st.query_params.get(param) != str(value):
            st.query_params[param] = str(value)
    st.session_state["audit_link_seen"] = _link()


def _forget_record() -> None:
    st.session_state.pop("audit_record", None)


def _clear() -> None:
    for key in (*PARAMS, "audit_start", "audit_end"):
        st.session_state.pop(key, None)
