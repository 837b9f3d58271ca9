"""Exports from pages: CSV and Excel of any list as shown, and the Data page's whole-table and whole-database files."""

from urllib.parse import urlsplit

import pandas as pd
import streamlit as st

from krem_advocacy import site
from krem_advocacy.exchange import exporter
from krem_advocacy.store.connection import opened
from krem_advocacy.text import formatting, i18n
from krem_advocacy.ui.context import PageContext

CSV_MIME = "text/csv"
JSON_MIME = "application/json"
SQLITE_MIME = "application/vnd.sqlite3"


def counted(ctx: PageContext, key: str, n: int, **values) -> str:
    """A text with a count: the `<key>_one` variant for exactly one («1 rad», not «1 rader»)."""
    singular = f"{key}_one"
    chosen = singular if n == 1 and singular in i18n.CATALOGUE["nb"] else key
    return ctx.t(chosen, n=number(n), **values)


def number(n: int) -> str:
    return formatting.format_amount(n, unit="")


def table_label(ctx: PageContext, table: str) -> str:
    """A table's name for people (its technical name when no label exists, e.g. a newer table)."""
    key = f"data.table.{table}"
    return ctx.t(key) if key in i18n.CATALOGUE["nb"] else table


# ---------------------------------------------------------------- export buttons under lists


def _base_url(ctx: PageContext) -> str | None:
    # The app's address as the browser sees it (proxies and sub-paths included), for links in files.
    try:
        url = st.context.url
    except Exception:
        return None
    if not url:
        return None
    parts = urlsplit(url)
    path = parts.path
    slug = site.PAGE_SCRIPTS.get(ctx.page, "app.py").rsplit("/", 1)[-1].removesuffix(".py")
    if path.rstrip("/").endswith("/" + slug):
        path = path.rstrip("/")[: -len(slug)]
    return f"{parts.scheme}://{parts.netloc}{path.rstrip('/')}/"


def list_export_buttons(ctx: PageContext, frame, display, key: str, name: str | None = None,
                        total: int | None = None) -> None:
    """CSV and Excel of the list as shown (same rows and columns), with a link to each record.

    `frame` is the list's rows, or a function that reads them (every row, however many are on screen);
    `display` the list as shown, or a function that makes it from the rows; `total` how many rows there
    are. The files are made when a button is clicked, not on every run of the page.
    """
    table = next((t for t, page in site.RECORD_PAGES.items() if page == ctx.page), None)
    base = _base_url(ctx)
    actor, lang, title = ctx.actor, ctx.lang, ctx.t(f"nav.{ctx.page}")
    link_column = ctx.t("data.export.link_column")

    def shown() -> pd.DataFrame:
        records = frame() if callable(frame) else frame
        listed = display(records) if callable(display) else display
        rows = exporter._visible(table or name or ctx.page, listed.reset_index(drop=True), actor)
        if table and base and "id" in records.columns and len(records) == len(rows):
            links = [base + site.record_path(table, int(i), lang) for i in records["id"]]
            rows = rows.assign(**{link_column: links})
        return rows

    stem = f"krem-{name or ctx.page}-{exporter.file_stamp(ctx.today)}"
    help_text = ctx.t("data.export.list_help", n=total if total is not None else len(frame))
    row = st.container(horizontal=True, gap="medium")
    row.download_button(ctx.t("data.export.csv"), lambda: exporter.to_csv(shown()), file_name=f"{stem}.csv",
                        mime=CSV_MIME, icon=":material/download:", on_click="ignore", key=f"{key}_csv",
                        type="tertiary", help=help_text)
    row.download_button(ctx.t("data.export.excel"), lambda: exporter.to_excel(shown(), title),
                        file_name=f"{stem}.xlsx", mime=exporter.EXCEL_MIME, icon=":material/table_view:",
                        on_click="ignore", key=f"{key}_xlsx", type="tertiary", help=help_text)


# ---------------------------------------------------------------- export section


def export_section(ctx: PageContext) -> None:
    """Download one table (CSV, Excel) or the whole database (SQLite, JSON), as the role may see it."""
    with opened(ctx.db_path) as db:
        tables = [t for t in exporter.exportable_tables(db, ctx.actor) if not t.startswith("_")]
    st.subheader(ctx.t("data.export.table_title"))
    table = st.selectbox(ctx.t("data.download_pick"), tables, key="download_table",
                         format_func=lambda name: table_label(ctx, name))
    stem = f"krem-{table}-{exporter.file_stamp(ctx.today)}"
    path, actor = ctx.db_path, ctx.actor

    def frame():
        with opened(path) as db:
            return exporter.table_frame(db, table, actor)

    cols = st.columns(2)
    cols[0].download_button(ctx.t("data.download_button", table=table), lambda: exporter.to_csv(frame()),
                            file_name=f"{stem}.csv", mime=CSV_MIME, icon=":material/download:",
                            on_click="ignore", key="download_csv", width="stretch")
    cols[1].download_button(ctx.t("data.export.excel_button", table=table),
                            lambda: exporter.to_excel(frame(), table), file_name=f"{stem}.xlsx",
                            mime=exporter.EXCEL_MIME, icon=":material/table_view:", on_click="ignore",
                            key="download_xlsx", width="stretch")
    st.subheader(ctx.t("data.export.all_title"))
    st.caption(ctx.t("data.export.all_intro"))
    stamp = exporter.file_stamp(ctx.today)

    def dump():
        with opened(path) as db:
            return exporter.json_dump(db, actor)

    cols = st.columns(2)
    cols[0].download_button(ctx.t("data.export.sqlite"), lambda: exporter.sqlite_copy(path, actor),
                            file_name=f"krem-{stamp}.db", mime=SQLITE_MIME, icon=":material/database:",
                            on_click="ignore", key="download_sqlite", width="stretch")
    cols[1].download_button(ctx.t("data.export.json"), dump, file_name=f"krem-{stamp}.json", mime=JSON_MIME,
                            icon=":material/data_object:", on_click="ignore", key="download_json",
                            width="stretch")
    st.caption(ctx.t("data.export.editor_note" if ctx.actor.can_edit else "data.download_note"))
