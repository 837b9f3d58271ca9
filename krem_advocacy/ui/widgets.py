"""Shared pieces of pages: plain-text output, record headers, detail fields, lists that open records."""

import re

import pandas as pd
import streamlit as st

from krem_advocacy.text import formatting
from krem_advocacy.ui.context import PageContext
from krem_advocacy.ui.links import page_link, record_link

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")

# Urgency colours of deadline buckets (Streamlit badge colours).
BUCKET_COLOURS = {"overdue": "red", "this_week": "orange", "next_30": "blue", "later": "gray"}
BUCKET_ICONS = {"overdue": ":material/error:", "this_week": ":material/schedule:",
                "next_30": ":material/event:", "later": ":material/event_upcoming:"}
# Buckets whose chip names the bucket in words as well (colour is never the only signal, WCAG 1.4.1).
WORDED_BUCKETS = ("overdue", "this_week")


def urgency_badge(ctx: PageContext, bucket: str, days: int | None) -> str:
    """The markdown of a deadline's urgency chip: colour, icon and words («Forfalt · for 3 dager siden»)."""
    relative = formatting.relative_days(days, ctx.lang)
    words = f"{ctx.t('bucket.' + bucket)} · {relative}" if bucket in WORDED_BUCKETS else relative
    return f":{BUCKET_COLOURS[bucket]}-badge[{BUCKET_ICONS[bucket]} {words}]"


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
    page_link(ctx, script, ctx.t(label_key), icon=":material/arrow_back:")


def not_found(ctx: PageContext, script: str, label_key: str) -> None:
    """The message for a deep link to a record that does not exist."""
    st.warning(ctx.t("common.not_found"), icon=":material/search_off:")
    back_link(ctx, script, label_key)


def lazy_expander(label: str, key: str, icon: str | None = None):
    """An expander whose content is drawn only while it is open: check `.open` inside `with`.

    Forms with thousands of choices (every organisation, person, sak) are costly to build; a closed
    expander would still build them on every run. Opening it reruns the page.
    """
    return st.expander(label, icon=icon, key=key, on_change="rerun")


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
            st.markdown(
                f"{urgency_badge(ctx, row.bucket, row.days_left)} "
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


def present(value) -> bool:
    """True for a real value (not None, NaN or an empty string)."""
    return value is not None and value == value and value != ""
