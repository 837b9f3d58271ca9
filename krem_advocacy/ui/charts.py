"""Charts on pages: an Altair builder runs once per data and labels, then its Vega-Lite spec is reused.

Building an Altair chart costs about as much as drawing a whole empty page, so redrawing a page for
every click would mostly be spent rebuilding the same chart. `show` caches the finished spec (keyed
by the builder's arguments: the already aggregated data and the labels) and sends it with
`st.vega_lite_chart`, which draws exactly what `st.altair_chart` would.

Every chart has a text alternative (WCAG 1.1.1): a one-sentence summary under it, and a table of the
same numbers in a fold (`TextView`, made with `text_view`; docs/accessibility.md).
"""

import threading
from collections.abc import Callable
from typing import NamedTuple

import altair as alt
import pandas as pd
import streamlit as st

from krem_advocacy.ui.context import PageContext
from krem_advocacy.ui.widgets import plain

try:  # Streamlit guards Altair's global theme and data settings with this lock; share it.
    from streamlit.elements.vega_charts import _altair_globals_lock as _LOCK
except ImportError:  # pragma: no cover - a later Streamlit may move it
    _LOCK = threading.Lock()


@st.cache_data(show_spinner=False, max_entries=128, ttl=3600)
def spec(name: str, _builder: Callable, args: tuple, kwargs: tuple) -> dict:
    """The Vega-Lite spec of `_builder(*args, **kwargs)` (a function of krem_advocacy.charts), data included.

    Cached by the builder's `name` and its arguments (`_builder` itself is not hashed).
    """
    chart = _builder(*args, **dict(kwargs))
    with _LOCK:
        # As st.altair_chart does: no Altair default theme (it fixes every chart at 300 px), and the data
        # inlined as named datasets, which st.vega_lite_chart sends on as Arrow. The builders are
        # checked against the schema by the tests, so the schema check is skipped here.
        theme = alt.theme.enable("none") if alt.theme.active == "default" else None
        try:
            with alt.data_transformers.enable("default"):
                return chart.to_dict(validate=False)
        finally:
            if theme is not None:
                alt.theme.enable("default")


class TextView(NamedTuple):
    """What a chart shows, in words and as a table (its text alternative)."""

    summary: str
    table: pd.DataFrame | None  # None: the page shows the same numbers as a table right by the chart
    table_label: str


def text_view(ctx: PageContext, summary: str, table: pd.DataFrame | None) -> TextView:
    """A chart's text alternative: a one-sentence `summary` and a display `table` of the same numbers."""
    return TextView(summary, table, ctx.t("charts.table"))


def show(builder: Callable, *args, text: TextView, key: str | None = None, on_select="ignore",
         selection_mode=None, **kwargs):
    """Draw the chart `builder` (a function of krem_advocacy.charts) makes from these arguments, full width,
    with its text alternative under it.

    `on_select` and `selection_mode` work as in `st.altair_chart`; the selection state is returned.
    """
    name = f"{builder.__module__}.{builder.__qualname__}"
    event = st.vega_lite_chart(spec=spec(name, builder, args, tuple(sorted(kwargs.items()))), width="stretch",
                               key=key, on_select=on_select, selection_mode=selection_mode)
    st.markdown(f":material/insights: {plain(text.summary)}")
    if text.table is not None:
        with st.expander(text.table_label, icon=":material/table:"):
            st.dataframe(text.table, hide_index=True, width="stretch")
    return event


def crosstab(frame: pd.DataFrame, row: str, column: str, value: str, row_title: str, labels: dict[str, str],
             total_title: str) -> pd.DataFrame:
    """A chart's long frame as a display table: one row per `row`, a column per label and a total."""
    named = frame.assign(**{column: frame[column].map(lambda code: labels.get(code, code))})
    table = named.pivot_table(index=row, columns=column, values=value, aggfunc="sum", fill_value=0, sort=False)
    table = table[[label for label in dict.fromkeys(labels.values()) if label in table.columns]]
    table[total_title] = table.sum(axis=1)
    return table.reset_index().rename(columns={row: row_title}).rename_axis(columns=None)


def peak_summary(ctx: PageContext, table: pd.DataFrame, label: str, value: str, show_value=str) -> str:
    """«12 i alt; mest: 2025 K3 (5).» over a display table's `label` and `value` columns."""
    if table.empty:
        return ctx.t("charts.summary_empty")
    top = table.loc[table[value].idxmax()]
    return ctx.t("charts.summary", total=show_value(table[value].sum()), top=top[label],
                 most=show_value(top[value]))
