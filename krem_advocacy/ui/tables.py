"""Lists that open records: the first rows of a long list, «show all», and the list's CSV/Excel export."""

import pandas as pd
import streamlit as st

from krem_advocacy.ui.context import PageContext
from krem_advocacy.ui.exports import list_export_buttons

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
    everything = (lambda: load_all()) if load_all is not None and total > len(frame) else (lambda: frame)
    list_export_buttons(ctx, everything, display, key, export_name, total=total)
    rows = event.selection.rows if event is not None else []
    return int(frame.iloc[rows[0]]["id"]) if rows else None
