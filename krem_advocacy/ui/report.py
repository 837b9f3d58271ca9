"""The Rapport page: a year or a period, the whole forum or one organisation; the report and its Word and PDF files.

The page draws the `exchange.report.Document` that the files are written from, read through
`ui.data.read` on the reader's connection, so what a viewer sees and downloads holds no internal record.
An editor chooses whether internal records are included (off by default: reports are made to be shared).
"""

from dataclasses import replace
from datetime import date

import streamlit as st

from krem_advocacy import site
from krem_advocacy.domain import report
from krem_advocacy.exchange import report as document_files
from krem_advocacy.store.permissions import VIEWER
from krem_advocacy.store.visibility import sees_internal
from krem_advocacy.ui import charts, links, widgets
from krem_advocacy.ui.context import PageContext
from krem_advocacy.ui.data import later, read

SCRIPT = "pages/rapport.py"
CUSTOM = "custom"  # the period choice that opens the date fields
FORUM = "forum"  # the scope choice for the whole forum (a selectbox shows None as no choice at all)
MAX_YEARS = 10
# Up to this many saker, each one's trail is a fold of its own; beyond it one picker shows one trail at a
# time (a busy year's hundreds of folded tables made the page slow to send and to draw).
PARTS_ON_PAGE = 12
PERIOD_KEY, DATES_KEY, ORG_KEY, INTERNAL_KEY = "report_period", "report_dates", "report_org", "report_internal"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def show(ctx: PageContext) -> None:
    """The whole page: the choices, the files, the key figures and each section with its charts and tables."""
    st.title(ctx.t("report.title"))
    st.caption(ctx.t("report.intro"))
    # Who reads decides what is counted: a viewer's connection holds only public records, and so does an
    # editor's unless internal records were asked for (the switch's state from the last run).
    internal = sees_internal(ctx.actor) and bool(st.session_state.get(INTERNAL_KEY))
    reader = ctx if internal or not sees_internal(ctx.actor) else replace(ctx, actor=VIEWER)
    chosen = _choices(ctx, reader)
    if chosen is None:
        return
    start, end, org_id = chosen
    kwargs = {"start": start, "end": end, "today": ctx.today, "org_id": org_id, "lang": ctx.lang,
              "internal": internal}
    document = read(reader, document_files.assemble, **kwargs)
    if document is None:  # an organisation the reader cannot see (or no longer there)
        st.warning(ctx.t("report.org_not_found"), icon=":material/search_off:")
        kwargs["org_id"] = None
        document = read(reader, document_files.assemble, **kwargs)
    _link(start, end, kwargs["org_id"])
    st.caption(widgets.plain(document.subtitle))
    for note in document.notes:
        st.info(note, icon=":material/info:")
    _downloads(reader, document, kwargs)
    _key_figures(ctx, document)
    for section in document.sections:
        _section(ctx, section)
    st.caption(ctx.t("report.made_on", day=document.made_on))


# ---------------------------------------------------------------- what the report is for

def _choices(ctx: PageContext, reader: PageContext) -> tuple[date, date, int | None] | None:
    years = read(reader, report.years, today=ctx.today)
    organisations = read(reader, report.organisations)
    names = dict(zip(organisations["id"], organisations["name"]))
    _from_link(ctx, years, names)
    with st.container(border=True):
        cols = st.columns([1, 2])
        choice = cols[0].selectbox(ctx.t("report.filter.period"), [*years, CUSTOM], key=PERIOD_KEY,
                                   format_func=lambda o: ctx.t("report.filter.custom") if o == CUSTOM else str(o))
        scope = cols[1].selectbox(ctx.t("report.filter.org"), [FORUM, *names], key=ORG_KEY,
                                  format_func=lambda o: ctx.t("report.filter.whole_forum") if o == FORUM
                                  else names.get(o, str(o)))
        org_id = None if scope == FORUM else int(scope)
        dates = None
        if choice == CUSTOM:
            dates = st.date_input(ctx.t("report.filter.dates"), key=DATES_KEY, format="DD.MM.YYYY",
                                  min_value=date(2000, 1, 1), max_value=date(ctx.today.year, 12, 31))
        if sees_internal(ctx.actor):
            st.toggle(ctx.t("report.filter.internal"), key=INTERNAL_KEY, help=ctx.t("report.filter.internal_help"))
    if choice != CUSTOM:
        return date(choice, 1, 1), date(choice, 12, 31), org_id
    if not isinstance(dates, (tuple, list)) or len(dates) < 2:
        st.info(ctx.t("report.dates_incomplete"), icon=":material/date_range:")
        return None
    start, end = dates[0], dates[1]
    if (end - start).days > MAX_YEARS * 366:
        st.warning(ctx.t("report.dates_too_long"), icon=":material/date_range:")
        return None
    return start, end, org_id


def _from_link(ctx: PageContext, years: list[int], names: dict) -> None:
    # The first visit takes its choice from the link (?year=2025, ?from=…&to=…, ?org=<id>), else last year.
    params = st.query_params
    if PERIOD_KEY not in st.session_state:
        start, end = _date(params.get("from")), _date(params.get("to"))
        year = params.get("year")
        if start and end and start <= end:
            st.session_state[PERIOD_KEY] = CUSTOM
            st.session_state[DATES_KEY] = (start, end)
        elif year and year.isdigit() and int(year) in years:
            st.session_state[PERIOD_KEY] = int(year)
        else:
            st.session_state[PERIOD_KEY] = ctx.today.year - 1
    if DATES_KEY not in st.session_state:
        last = report.default_period(ctx.today)
        st.session_state[DATES_KEY] = (last.start, last.end)
    if ORG_KEY not in st.session_state:
        org = params.get("org")
        st.session_state[ORG_KEY] = int(org) if org and org.isdigit() and int(org) in names else FORUM


def _date(value) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _link(start: date, end: date, org_id: int | None) -> None:
    # The choice in the address bar, so the report can be shared and survives a reload.
    whole_year = start == date(start.year, 1, 1) and end == date(start.year, 12, 31)
    wanted = {"year": str(start.year)} if whole_year else {"from": start.isoformat(), "to": end.isoformat()}
    if org_id is not None:
        wanted["org"] = str(org_id)
    for key in ("year", "from", "to", "org"):
        if key not in wanted and key in st.query_params:
            del st.query_params[key]
    for key, value in wanted.items():
        if st.query_params.get(key) != value:
            st.query_params[key] = value


# ---------------------------------------------------------------- the files

def _downloads(reader: PageContext, document, kwargs: dict) -> None:
    with st.container(border=True):
        st.markdown(f"**{reader.t('report.downloads')}**  \n{reader.t('report.downloads_caption')}")
        row = st.container(horizontal=True, gap="small")
        # Made when a button is clicked, on the same reader's connection as the page.
        row.download_button(reader.t("report.download_docx"), later(reader, document_files.docx_report, **kwargs),
                            file_name=document_files.file_name(document, "docx"), mime=DOCX_MIME,
                            on_click="ignore", icon=":material/description:", key="report_docx")
        row.download_button(reader.t("report.download_pdf"), later(reader, document_files.pdf_report, **kwargs),
                            file_name=document_files.file_name(document, "pdf"), mime="application/pdf",
                            on_click="ignore", icon=":material/picture_as_pdf:", key="report_pdf")


# ---------------------------------------------------------------- the report

def _key_figures(ctx: PageContext, document) -> None:
    # Each figure with its change and, beside it, the period before («2024: 1»).
    year_before = document.previous_label.isdigit()
    with st.container(horizontal=True, wrap=True, gap="small"):
        for figure in document.figures:
            before = (f"{document.previous_label}: {figure.previous}" if year_before
                      else ctx.t("report.metric_before", previous=figure.previous))
            moved = figure.change not in ("", "0")
            st.metric(figure.short, figure.value, delta=figure.change.replace("−", "-") or None, border=True,
                      width=170, delta_color="normal" if moved else "off", delta_arrow="auto" if moved else "off",
                      delta_description=before)


def _section(ctx: PageContext, section) -> None:
    st.subheader(section.heading, anchor=f"report-{section.key}")
    st.markdown("  \n".join(widgets.plain(text) for text in section.summary))
    for index, (chart, table) in enumerate(section.arranged()):
        if chart is None:
            st.markdown(f"**{widgets.plain(table.title)}**")
            _table(ctx, table, key=f"report_table_{section.key}_{index}")
            continue
        st.markdown(f"**{widgets.plain(chart.title)}**")
        charts.show(chart.builder, *chart.args, key=f"report_chart_{chart.key}",
                    text=charts.text_view(ctx, _chart_summary(ctx, chart, table), None), **dict(chart.kwargs))
        if table is not None:  # the chart's numbers, folded away on the page (shown in the files)
            # Drawn only when opened: a busy year's tables of numbers were most of what the page sent.
            with widgets.lazy_expander(ctx.t("report.show_tables"), f"report_fold_{chart.key}",
                                       icon=":material/table:") as fold:
                if fold.open:
                    _table(ctx, table, key=f"report_numbers_{chart.key}")
    if len(section.parts) > PARTS_ON_PAGE:
        _one_part(ctx, section)
    for index, part in enumerate(section.parts if len(section.parts) <= PARTS_ON_PAGE else ()):
        with st.expander(f"{part.heading} · {part.summary}", icon=":material/timeline:"):
            _part(ctx, part, key=f"report_part_{section.key}_{index}")
    for note in section.notes:
        st.caption(widgets.plain(note))


def _one_part(ctx: PageContext, section) -> None:
    # Many saker: one picker and the chosen sak's trail (the files still hold every trail).
    st.caption(ctx.t("report.parts_many", n=len(section.parts)))
    parts = section.parts
    chosen = st.selectbox(ctx.t("report.parts_pick"), range(len(parts)), key=f"report_pick_{section.key}",
                          format_func=lambda i: f"{parts[i].heading} · {parts[i].summary}")
    if chosen is not None and chosen < len(parts):
        with st.container(border=True):
            _part(ctx, parts[chosen], key=f"report_part_{section.key}_{chosen}")


def _part(ctx: PageContext, part, key: str) -> None:
    if part.link:
        links.record_link(ctx, *part.link, widgets.plain(part.heading), icon=":material/topic:")
    if part.table.rows:
        _table(ctx, part.table, key=key)


def _chart_summary(ctx: PageContext, chart, table) -> str:
    # The chart's own description where it has one, else its largest figure read from its table of numbers
    # (shown in the fold right under it).
    if chart.description:
        return chart.description
    numeric = [i for i, is_number in enumerate(table.numeric) if is_number] if table is not None else []
    if not numeric or not table.rows:
        return chart.title

    def number(text) -> float:
        digits = "".join(ch for ch in str(text) if ch.isdigit() or ch in "-−")
        return float(digits.replace("−", "-")) if digits.strip("-−") else 0.0

    top = max(table.rows, key=lambda row: number(row[numeric[0]]))
    return ctx.t("charts.summary_top", title=chart.title, top=top[0], most=top[numeric[0]],
                 what=table.columns[numeric[0]].lower())


def _table(ctx: PageContext, table, key: str) -> None:
    """A table of the report; where its rows are records, choosing one opens it."""
    frame = table.frame()
    config = {column: st.column_config.TextColumn(column, alignment="right")
              for column, numeric in zip(table.columns, table.numeric) if numeric}
    if not table.links:
        st.dataframe(frame, hide_index=True, width="stretch", column_config=config, key=key)
        return
    event = st.dataframe(frame, hide_index=True, width="stretch", column_config=config, key=key,
                         on_select="rerun", selection_mode="single-row")
    st.caption(ctx.t("common.open_hint"))
    rows = event.selection.rows if event is not None else []
    if rows:
        target, record_id = table.links[rows[0]]
        st.switch_page(site.record_script(target), query_params=site.record_params(target, record_id, ctx.lang))
