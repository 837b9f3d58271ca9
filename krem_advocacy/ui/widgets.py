"""Shared pieces of pages: plain-text output, record headers, detail fields, lists that open records."""

import re

import pandas as pd
import streamlit as st

from krem_advocacy.text import formatting
from krem_advocacy.ui.page import PageContext, record_link

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")

# Urgency colours of deadline buckets (Streamlit badge colours).
BUCKET_COLOURS = {"overdue": "red", "this_week": "orange", "next_30": "blue", "later": "gray"}
BUCKET_ICONS = {"overdue": ":material/error:", "this_week": ":material/schedule:",
                "next_30": ":material/event:", "later": ":material/event_upcoming:"}


def plain(text) -> str:
    """User text made safe for st.markdown: shown as typed, never as markup or HTML."""
    if text is None:
        return ""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text)).replace("\n", "  \n")


def example_badge(ctx: PageContext, is_example) -> None:
    """A grey badge on records invented for the demo."""
    if is_example:
        st.badge(ctx.t("common.example"), icon=":material/science:", color="gray",
                 help=ctx.t("common.example_help"))


def fields(ctx: PageContext, pairs: list[tuple[str, str | None]], columns: int = 2) -> None:
    """Label/value pairs in a responsive grid; empty values are left out."""
    shown = [(label, value) for label, value in pairs if value not in (None, "")]
    if not shown:
        return
    cols = st.columns(columns)
    for index, (label, value) in enumerate(shown):
        with cols[index % columns]:
            st.markdown(f"**{plain(label)}**  \n{plain(value)}")


def link_field(label: str, url: str | None) -> None:
    """A labelled external link (only http/https addresses become links)."""
    if url and str(url).startswith(("http://", "https://")):
        st.markdown(f"**{plain(label)}**  \n[{plain(url)}]({url.replace(')', '%29')})")


def back_link(ctx: PageContext, script: str, label_key: str) -> None:
    """A link back to the page's list (drops ?id but keeps the language)."""
    params = {"lang": ctx.lang} if ctx.lang != "nb" else None
    st.page_link(script, label=ctx.t(label_key), icon=":material/arrow_back:", query_params=params)


def not_found(ctx: PageContext, script: str, label_key: str) -> None:
    """The message for a deep link to a record that does not exist."""
    st.warning(ctx.t("common.not_found"), icon=":material/search_off:")
    back_link(ctx, script, label_key)


# A list shows this many rows until asked for all: ten years of records would otherwise be sent
# to the browser on every visit (filters and search find the rest; exports always hold every row).
TABLE_ROWS = 100


def showing_all(key: str) -> bool:
    """True once «show all» was clicked under the table `key` (a page may then read every row)."""
    return bool(st.session_state.get(f"{key}_show_all"))


def total_rows(frame: pd.DataFrame) -> int:
    """How many rows match in all: a query read with a limit says so in `total_rows`."""
    if "total_rows" in frame.columns and len(frame):
        return int(frame["total_rows"].iloc[0])
    return len(frame)


def pick_from_table(ctx: PageContext, frame: pd.DataFrame, display, key: str,
                    column_config: dict | None = None, export_name: str | None = None,
                    limit: int = TABLE_ROWS, load_all=None) -> int | None:
    """Show a table whose rows can be selected, with CSV/Excel export of the list as shown; return the chosen id.

    `display` is the list as shown (same rows as `frame`, labels instead of codes), or a function that
    makes it from rows of `frame`: then only the rows on screen are labelled, and the rest when exported.
    Long lists show their first `limit` rows (in the query's order) with a button that shows them all.
    A page may read only the first rows (with `total_rows`, see `total_rows`) and give `load_all`, a
    function that reads every row, for the exports.
    """
    if frame.empty:
        st.info(ctx.t("common.no_rows"), icon=":material/info:")
        return None
    all_key = f"{key}_show_all"
    total = total_rows(frame)
    shown = len(frame) if st.session_state.get(all_key) or len(frame) <= limit else limit
    table = display(frame.head(shown)) if callable(display) else display.head(shown)
    event = st.dataframe(table, hide_index=True, width="stretch", on_select="rerun",
                         selection_mode="single-row", key=key, column_config=column_config)
    if shown < total:
        with st.container(horizontal=True, gap="small", vertical_alignment="center"):
            st.caption(ctx.t("common.showing_first", shown=shown, total=total))
            st.button(ctx.t("common.show_all", total=total), key=f"{key}_more", type="tertiary",
                      icon=":material/expand_more:", on_click=st.session_state.__setitem__, args=(all_key, True))
    from krem_advocacy.ui.data_io import list_export_buttons  # imports widgets: load it late

    everything = (lambda: load_all()) if load_all is not None and total > len(frame) else (lambda: frame)
    list_export_buttons(ctx, everything, display, key, export_name, total=total)
    rows = event.selection.rows if event is not None else []
    return int(frame.iloc[rows[0]]["id"]) if rows else None


def lazy_expander(label: str, key: str, icon: str | None = None):
    """An expander whose content is drawn only while it is open: check `.open` inside `with`.

    Forms with thousands of choices (every organisation, person, sak) are costly to build; a closed
    expander would still build them on every run. Opening it reruns the page.
    """
    return st.expander(label, icon=icon, key=key, on_change="rerun")


def open_record(script: str, record_id: int, ctx: PageContext) -> None:
    """Go to a record's deep link (used when a table row is chosen)."""
    params = {"id": str(record_id)}
    if ctx.lang != "nb":
        params["lang"] = ctx.lang
    st.switch_page(script, query_params=params)


def deadline_list(ctx: PageContext, frame: pd.DataFrame, limit: int | None = None, key: str | None = None) -> None:
    """Deadlines as tappable rows: urgency badge, date, what it is, and a link to the record.

    With `limit` and `key`, longer lists show their first `limit` rows and a button that shows them all.
    """
    all_key = f"{key}_show_all"
    if limit is not None and key and st.session_state.get(all_key):
        limit = None
    rows = frame if limit is None else frame.head(limit)
    for row in rows.itertuples():
        with st.container(border=True, gap="small"):
            kind = ctx.t(f"deadline.{row.kind}")
            owner = f" · {row.owner}" if isinstance(row.owner, str) and row.owner else ""
            relative = formatting.relative_days(row.days_left, ctx.lang)
            st.markdown(
                f":{BUCKET_COLOURS[row.bucket]}-badge[{BUCKET_ICONS[row.bucket]} {relative}] "
                f"**{formatting.format_date(row.day)}** · {plain(kind + owner)}")
            record_link(ctx, row.record_table, row.record_id, plain(row.title))
    if key and len(rows) < len(frame):
        st.button(ctx.t("common.show_all", total=len(frame)), key=f"{key}_more", type="tertiary",
                  icon=":material/expand_more:", on_click=st.session_state.__setitem__, args=(all_key, True))


def dates_for_display(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """A copy with ISO date columns shown as DD.MM.YYYY."""
    shown = frame.copy()
    for column in columns:
        if column in shown:
            shown[column] = shown[column].map(formatting.format_date)
    return shown


def amounts_for_display(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """A copy with kroner columns shown as «1 500 000 kr»."""
    shown = frame.copy()
    for column in columns:
        if column in shown:
            shown[column] = shown[column].map(formatting.format_amount)
    return shown


def record_footer(ctx: PageContext, record: dict) -> None:
    """Source, notes and last-changed line at the bottom of a record."""
    st.divider()
    if record.get("notes"):
        st.markdown(f"**{ctx.t('common.notes')}**  \n{plain(record['notes'])}")
    if record.get("internal_notes") and ctx.actor.can_edit:
        st.markdown(f"**{ctx.t('common.internal_notes')}**  \n{plain(record['internal_notes'])}")
    if record.get("source"):
        st.caption(f"{ctx.t('common.source')}: {plain(record['source'])}")
    if record.get("updated_at"):
        st.caption(ctx.t("common.updated", when=formatting.format_date(record["updated_at"]),
                         version=record.get("version", 1)))
    from krem_advocacy.ui.internal import record_controls  # imports forms, which imports this module

    record_controls(ctx, record)


def present(value) -> bool:
    """True for a real value (not None, NaN or an empty string)."""
    return value is not None and value == value and value != ""
