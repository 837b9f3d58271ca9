"""Charts on pages: an Altair builder runs once per data and labels, then its Vega-Lite spec is reused.

Building an Altair chart costs about as much as drawing a whole empty page, so redrawing a page for
every click would mostly be spent rebuilding the same chart. `show` caches the finished spec (keyed
by the builder's arguments: the already aggregated data and the labels) and sends it with
`st.vega_lite_chart`, which draws exactly what `st.altair_chart` would.
"""

import threading
from collections.abc import Callable

import altair as alt
import streamlit as st

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


def show(builder: Callable, *args, key: str | None = None, on_select="ignore", selection_mode=None, **kwargs):
    """Draw the chart `builder` (a function of krem_advocacy.charts) makes from these arguments, full width.

    `on_select` and `selection_mode` work as in `st.altair_chart`; the selection state is returned.
    """
    name = f"{builder.__module__}.{builder.__qualname__}"
    return st.vega_lite_chart(spec=spec(name, builder, args, tuple(sorted(kwargs.items()))), width="stretch",
                              key=key, on_select=on_select, selection_mode=selection_mode)
