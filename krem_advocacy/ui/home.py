"""The home page (Oversikt): what is due and what is late first, then key figures, the next KU meeting, activity."""

from datetime import date

import streamlit as st

from krem_advocacy.charts import overview as overview_charts
from krem_advocacy.domain import activity, deadlines, meetings
from krem_advocacy.domain.activity import ACTIVITY_KINDS
from krem_advocacy.text import formatting
from krem_advocacy.ui import charts, responsibility, widgets
from krem_advocacy.ui.context import PageContext
from krem_advocacy.ui.data import read
from krem_advocacy.ui.links import record_link

# Each deadline list shows this many rows until asked for all (a busy month has dozens).
DEADLINES_SHOWN = 10
# The overdue count is not among them: «Forfalt» right under the title counts it, once.
KPIS = ["active_saker", "open_hoeringer", "answered_this_year", "open_tilsagn", "ku_meetings_this_year"]
WINDOW_KEY = "home_window"  # the chosen «next N days» (7 / 14 / 30)


def show(ctx: PageContext) -> None:
    """The whole home page: what is due and late right under the title (phone first), then the figures,
    the next KU and activity."""
    st.title(ctx.t("home.title"))
    _deadlines(ctx)
    st.caption(ctx.t("home.intro"))
    figures = read(ctx, activity.key_figures, today=ctx.today)
    with st.container(horizontal=True, wrap=True, gap="small"):
        for name in KPIS:
            # A fixed width lets the figures flow two to a row on a phone and five across on a wide screen.
            st.metric(ctx.t(f"home.kpi.{name}"), figures[name], border=True, width=165,
                      help=ctx.t(f"home.kpi_help.{name}"))
    left, right = st.columns([3, 2], gap="large")
    with left:
        responsibility.home_block(ctx)
        _next_ku(ctx)
    with right:
        _activity(ctx)


def _deadlines(ctx: PageContext) -> None:
    # One read, the states of domain/deadlines.py: the same numbers as on Høringer (docs/deadlines.md).
    due = read(ctx, deadlines.deadlines, today=ctx.today, days_ahead=max(deadlines.WINDOWS))
    overdue = deadlines.overdue(due)
    official = len(deadlines.overdue(due, "official"))
    label = ctx.t("home.overdue_count", n=len(overdue))
    # Tapping the count opens the list it counts.
    with st.expander(f":red[**{label}**]" if len(overdue) else label, key="home_overdue_box",
                     icon=":material/error:" if len(overdue) else ":material/check_circle:"):
        if overdue.empty:
            st.success(ctx.t("home.no_overdue"), icon=":material/check_circle:")
        else:
            st.caption(ctx.t("home.overdue_split", official=official, internal=len(overdue) - official))
        widgets.deadline_list(ctx, overdue, limit=DEADLINES_SHOWN, key="home_overdue")
    # The window chosen below is in the session before this run starts, so the heading can name it first.
    days = st.session_state.get(WINDOW_KEY) or deadlines.DEFAULT_WINDOW
    upcoming = deadlines.due_within(due, days)
    st.subheader(ctx.t("home.upcoming", days=days, n=len(upcoming)))
    st.segmented_control(ctx.t("home.window"), deadlines.WINDOWS, default=deadlines.DEFAULT_WINDOW,
                         key=WINDOW_KEY, format_func=lambda n: ctx.t("home.window_option", n=n),
                         label_visibility="collapsed")
    st.caption(ctx.t("home.upcoming_caption"))
    if upcoming.empty:
        st.info(ctx.t("home.no_upcoming", days=days), icon=":material/event_available:")
    widgets.deadline_list(ctx, upcoming, limit=DEADLINES_SHOWN, key="home_upcoming")


def _next_ku(ctx: PageContext) -> None:
    st.subheader(ctx.t("home.next_ku"))
    meeting = read(ctx, meetings.next_meeting, today=ctx.today, kind="ku")
    if meeting is None:
        st.info(ctx.t("home.no_next_ku"), icon=":material/event_busy:")
        return
    with st.container(border=True):
        record_link(ctx, "meetings", meeting["id"], widgets.plain(meeting["title"]), icon=":material/groups:")
        st.markdown(widgets.plain(ctx.t("home.next_ku_when", when=formatting.format_datetime(meeting["starts_at"]),
                                        place=meeting["place"] or "")))
        days = formatting.days_until(meeting["starts_at"], ctx.today)
        st.badge(formatting.relative_days(days, ctx.lang), icon=":material/schedule:", color="blue")
        if meeting["themes"]:
            st.caption(widgets.plain(meeting["themes"]))
        st.caption(ctx.t("home.next_ku_agenda", n=meeting["agenda_count"]))
        if meeting["prep_deadline"]:
            st.caption(ctx.t("home.next_ku_prep", date=formatting.format_date(meeting["prep_deadline"])))


def _activity(ctx: PageContext) -> None:
    st.subheader(ctx.t("home.activity"))
    st.caption(ctx.t("home.activity_caption"))
    years = st.segmented_control(ctx.t("home.activity_years"), [2, 5, 10], default=2, key="activity_years",
                                 format_func=lambda n: ctx.t("home.activity_years_option", n=n))
    start = date(ctx.today.year - (years or 2), ctx.today.month, 1)
    by_quarter = read(ctx, activity.activity_by_quarter, today=ctx.today, start=start)
    if by_quarter.empty:
        st.info(ctx.t("home.no_activity"))
        return
    labels = {kind: ctx.t(f"activity.{kind}") for kind in ACTIVITY_KINDS}
    table = charts.crosstab(by_quarter, "period", "kind", "count", ctx.t("home.axis.period"), labels,
                            ctx.t("charts.total"))
    text = charts.text_view(ctx, charts.peak_summary(ctx, table, ctx.t("home.axis.period"), ctx.t("charts.total")),
                            table)
    charts.show(overview_charts.activity_chart, by_quarter, labels, ctx.t("home.axis.period"),
                ctx.t("home.axis.count"), ctx.t("home.axis.kind"), text=text)
