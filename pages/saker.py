"""Saker: the list with filters and the theme heatmap, and one sak with its whole trail (?id=…)."""

import streamlit as st

from krem_advocacy.text import codes, formatting
from krem_advocacy.ui import editing, widgets
from krem_advocacy.domain import saker
from krem_advocacy.ui import saker as ui
from krem_advocacy.ui.data import later, read
from krem_advocacy.ui.links import selected_id
from krem_advocacy.ui.page import setup
from krem_advocacy.ui import links
from krem_advocacy.ui import tables
from krem_advocacy.ui.record import record_footer

SCRIPT = "pages/saker.py"
ctx = setup("saker")


def show_detail(sak_id: int) -> None:
    record = read(ctx, saker.get_sak, sak_id=sak_id, include_internal=True)
    widgets.back_link(ctx, SCRIPT, "saker.back")
    if record is None:
        widgets.not_found(ctx, SCRIPT, "saker.back")
        return
    st.title(widgets.plain(record["title"]))
    widgets.example_badge(ctx, record["is_example"])
    if ctx.actor.can_edit and editing.edit_toggle(ctx, f"sak_{sak_id}"):
        ui.sak_form(ctx, record)
    if record["easy_read"]:
        st.info(f"**{ctx.t('saker.easy_read')}:** {widgets.plain(record['easy_read'])}", icon=":material/chat:")
    widgets.fields(ctx, [
        (ctx.t("saker.field.theme"), ui.theme_label(ctx, record)),
        (ctx.t("saker.field.priority"), ctx.label("priority", record["priority"])),
        (ctx.t("saker.field.status"), ctx.label("sak_status", record["status"])),
        (ctx.t("saker.field.lead_org"), record["lead_org_name"]),
        (ctx.t("saker.field.responsible"), ", ".join(record["responsible"]["name"])),
        (ctx.t("saker.field.started_on"), formatting.format_date(record["started_on"])),
    ])
    if record["stance"]:
        st.markdown(f"**{ctx.t('saker.field.stance')}**  \n{widgets.plain(record['stance'])}")
    if record["description"]:
        st.markdown(f"**{ctx.t('saker.description')}**  \n{widgets.plain(record['description'])}")
    ui.trail_section(ctx, sak_id)
    record_footer(ctx, record)


def show_list() -> None:
    st.title(ctx.t("saker.title"))
    st.caption(ctx.t("saker.intro"))
    if ctx.actor.can_edit and editing.edit_toggle(ctx, "sak_new", "saker.new"):
        ui.sak_form(ctx)
    # Only the chosen tab is drawn: the heatmap counts ten years of activity on every sak.
    list_tab, heatmap_tab = st.tabs([ctx.t("saker.tab.list"), ctx.t("saker.tab.heatmap")], key="saker_view",
                                    on_change="rerun")
    if list_tab.open:
        with list_tab:
            sak_table()
    if heatmap_tab.open:
        with heatmap_tab:
            ui.theme_heatmap_section(ctx)


def sak_table() -> None:
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
        )[["title", "theme", "priority", "status", "lead_org", "activity_count"]]
        shown.columns = [ctx.t(f"saker.col.{c}") for c in shown.columns]
        return shown

    chosen = tables.pick_from_table(ctx, frame, display, key="sak_table",
                                     load_all=later(ctx, saker.list_saker, status=status, theme_code=theme, text=text))
    if chosen is not None:
        links.open_record(SCRIPT, chosen, ctx)


record_id = selected_id()
if record_id is not None:
    show_detail(record_id)
else:
    show_list()
