"""Statsbudsjett: budget inputs by year, chapter and post, and one input in detail (?id=…)."""

import streamlit as st

from krem_advocacy import codes, formatting
from krem_advocacy.charts.budget import amounts_by_year_chart
from krem_advocacy.ui import widgets
from krem_advocacy.ui.data import read
from krem_advocacy.ui.page import record_link, selected_id, setup

SCRIPT = "pages/statsbudsjett.py"
CYCLE_FIELDS = ["prop1s_on", "hearing_application_deadline", "hearing_on", "frames_vote_on",
                "final_vote_on", "revised_on"]
ctx = setup("budget")


def budget_line(chapter, post) -> str:
    return ctx.t("budget.line", chapter=chapter, post=post) if chapter else ""


def show_detail(input_id: int) -> None:
    record = read(ctx, "budget.get_budget_input", input_id=input_id, include_internal=True)
    widgets.back_link(ctx, SCRIPT, "budget.back")
    if record is None:
        widgets.not_found(ctx, SCRIPT, "budget.back")
        return
    st.title(widgets.plain(record["title"]))
    widgets.example_badge(ctx, record["is_example"])
    widgets.fields(ctx, [
        (ctx.t("budget.field.year"), str(record["budget_year"])),
        (ctx.t("budget.field.phase"), ctx.label("budget_phase", record["phase"])),
        (ctx.t("budget.field.recipient"), record["recipient_name"]),
        (ctx.t("budget.field.lead_org"), record["lead_org_name"]),
        (ctx.t("budget.field.cosigners"), ", ".join(record["cosigners"]["name"])),
        (ctx.t("budget.field.line"), budget_line(record["chapter"], record["post"])),
        (ctx.t("budget.field.post_name"), record["post_name"]),
        (ctx.t("budget.field.ask_amount"), formatting.format_amount(record["ask_amount"])),
        (ctx.t("budget.field.prop_amount"), formatting.format_amount(record["prop_amount"])),
        (ctx.t("budget.field.adopted_amount"), formatting.format_amount(record["adopted_amount"])),
        (ctx.t("budget.field.outcome"), ctx.label("budget_outcome", record["outcome"])),
        (ctx.t("budget.field.sent_on"), formatting.format_date(record["sent_on"])),
        (ctx.t("budget.field.hearing_application_deadline"),
         formatting.format_date(record["hearing_application_deadline"])),
        (ctx.t("budget.field.hearing_on"), formatting.format_date(record["hearing_on"])),
    ])
    if record["ask"]:
        st.markdown(f"**{ctx.t('budget.field.ask')}**  \n{widgets.plain(record['ask'])}")
    widgets.link_field(ctx.t("budget.field.document_url"), record["document_url"])
    cycle = record["budget_cycle"]
    if cycle:
        st.subheader(ctx.t("budget.cycle", year=record["budget_year"]))
        widgets.fields(ctx, [(ctx.t(f"budget.cycle.{f}"), formatting.format_date(cycle[f])) for f in CYCLE_FIELDS],
                       columns=3)
    if not record["saker"].empty:
        st.subheader(ctx.t("budget.linked_saker"))
        for sak in record["saker"].itertuples():
            record_link(ctx, "saker", sak.id, widgets.plain(sak.title), icon=":material/topic:")
    widgets.record_footer(ctx, record)


def show_list() -> None:
    st.title(ctx.t("budget.title"))
    st.caption(ctx.t("budget.intro"))
    years = read(ctx, "budget.years_with_inputs")
    with st.container(border=True):
        cols = st.columns([2, 1, 1, 1])
        text = cols[0].text_input(ctx.t("common.search"), placeholder=ctx.t("common.search_placeholder"),
                                  key="budget_text")
        year = cols[1].selectbox(ctx.t("budget.filter.year"), years, index=None,
                                 placeholder=ctx.t("common.all"), key="budget_year")
        phase = cols[2].selectbox(ctx.t("budget.filter.phase"), codes.BUDGET_PHASES, index=None,
                                  placeholder=ctx.t("common.all"), key="budget_phase",
                                  format_func=lambda c: ctx.label("budget_phase", c))
        outcome = cols[3].selectbox(ctx.t("budget.filter.outcome"), codes.BUDGET_OUTCOMES, index=None,
                                    placeholder=ctx.t("common.all"), key="budget_outcome",
                                    format_func=lambda c: ctx.label("budget_outcome", c))
    frame = read(ctx, "budget.list_budget_inputs", budget_year=year, phase=phase, outcome=outcome, text=text)
    st.caption(f"{ctx.t('common.count', n=len(frame))} · {ctx.t('common.open_hint')}")
    display = widgets.amounts_for_display(frame, ["ask_amount", "prop_amount", "adopted_amount"]).assign(
        line=[budget_line(c, p) for c, p in zip(frame["chapter"], frame["post"])],
        phase=frame["phase"].map(lambda c: ctx.label("budget_phase", c)),
        outcome=frame["outcome"].map(lambda c: ctx.label("budget_outcome", c)),
    )[["title", "budget_year", "line", "phase", "recipient", "ask_amount", "prop_amount", "adopted_amount",
       "outcome"]]
    display.columns = [ctx.t(f"budget.col.{c}") for c in display.columns]
    chosen = widgets.pick_from_table(ctx, frame, display, key="budget_table")
    if chosen is not None:
        widgets.open_record(SCRIPT, chosen, ctx)
    st.subheader(ctx.t("budget.chart"))
    st.caption(ctx.t("budget.chart_caption"))
    amounts = read(ctx, "budget.amounts_by_year")
    if not amounts.empty:
        labels = {s: ctx.t(f"budget.series.{s}") for s in ("asked", "proposed", "adopted")}
        st.altair_chart(amounts_by_year_chart(amounts, labels, ctx.t("budget.chart.year"),
                                              ctx.t("budget.chart.amount"), ctx.t("budget.chart.series")),
                        width="stretch")


record_id = selected_id()
if record_id is not None:
    show_detail(record_id)
else:
    show_list()
