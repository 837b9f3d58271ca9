"""Statsbudsjett: inputs, the budget year, charts; one input (?id=), a year (?year=), a new input (?new=1)."""

import streamlit as st

from krem_advocacy.domain import budget
from krem_advocacy.text import codes
from krem_advocacy.ui import budget as view
from krem_advocacy.ui import widgets
from krem_advocacy.ui.data import later, read
from krem_advocacy.ui.links import selected_id
from krem_advocacy.ui.page import setup
from krem_advocacy.ui import tables

ctx = setup("budget")


def linked_year() -> int | None:
    """The budget year in the link: ?year=2027, or a budget year's record (?year_id=…)."""
    year, error = budget.parse_year(st.query_params.get("year"))
    if year is None and not error and (st.query_params.get("year_id") or "").isdigit():
        year = read(ctx, budget.year_of, year_id=int(st.query_params["year_id"]))
    return None if error else year


def show_new() -> None:
    widgets.back_link(ctx, view.SCRIPT, "budget.back")
    st.title(ctx.t("budget.new"))
    if not ctx.actor.can_edit:
        st.warning(ctx.t("form.permission_denied"), icon=":material/lock:")
        return
    years = read(ctx, budget.all_years)
    year = linked_year() or budget.default_year(years, ctx.today)
    view.input_form(ctx, None, defaults={"budget_year": year})


def show_inputs(years: list[int]) -> None:
    with st.container(border=True):
        cols = st.columns([2, 1, 1, 1])
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
    filters = {"budget_year": year, "phase": phase, "outcome": outcome, "text": text}
    limit = None if tables.showing_all("budget_table") else tables.TABLE_ROWS  # the first rows, until «show all»
    frame = read(ctx, budget.list_budget_inputs, **filters, limit=limit)
    st.caption(f"{ctx.t('common.count', n=tables.total_rows(frame))} · {ctx.t('common.open_hint')}")
    view.input_table(ctx, frame, key="budget_table", load_all=later(ctx, budget.list_budget_inputs, **filters))


def choose_year() -> None:
    # The chosen year goes in the link, so it can be shared and survives a reload.
    st.query_params.pop("year_id", None)
    st.query_params["year"] = str(st.session_state["budget_view_year"])


def show_year(years: list[int]) -> None:
    choices = view.year_choices(ctx, years)
    wanted = linked_year() or budget.default_year(years, ctx.today)
    if wanted not in choices:
        choices = sorted(set(choices) | {wanted}, reverse=True)
    year = st.selectbox(ctx.t("budget.filter.year"), choices, index=choices.index(wanted), key="budget_view_year",
                        on_change=choose_year)
    view.year_view(ctx, year)


def show_overview() -> None:
    view.flash(ctx)
    st.title(ctx.t("budget.title"))
    st.caption(ctx.t("budget.intro"))
    if ctx.actor.can_edit:
        params = {"new": "1", **({"lang": ctx.lang} if ctx.lang != "nb" else {})}
        st.page_link(view.SCRIPT, label=ctx.t("budget.new"), icon=":material/add_circle:", query_params=params)
    years = read(ctx, budget.all_years)
    names = [ctx.t("budget.tab.inputs"), ctx.t("budget.tab.year"), ctx.t("budget.tab.charts")]
    # Only the chosen tab is drawn (ten years of inputs, four charts); a linked year opens its tab.
    tabs = st.tabs(names, default=names[1] if linked_year() else names[0], key="budget_view", on_change="rerun")
    for tab, show in zip(tabs, (show_inputs, show_year, lambda years: view.charts(ctx, years))):
        if tab.open:
            with tab:
                show(years)


record_id = selected_id()
if st.query_params.get("new"):
    show_new()
elif record_id is not None:
    view.show_detail(ctx, record_id)
else:
    show_overview()
