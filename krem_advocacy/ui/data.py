"""Cached reads for pages, keyed by the database file and its revision so every write is seen."""

from collections.abc import Callable

import streamlit as st

from krem_advocacy.store.connection import borrowed
from krem_advocacy.store.visibility import restrict_to_public, sees_internal
from krem_advocacy.ui.context import PageContext


@st.cache_data(show_spinner=False, max_entries=512, ttl=3600)
def _cached(name: str, _function: Callable, db_path: str, revision: int, kwargs: tuple, public: bool = False):
    # The key is the function's name, the file, its revision and the arguments (`_function` itself is not
    # hashed): a write bumps the revision, so the next read misses the cache.
    # Viewers: internal records and fields are not in the tables at all (restrict_to_public). The
    # connection comes from a small pool: opening one per read cost more than most queries.
    kind, prepare = ("public", restrict_to_public) if public else ("full", None)
    with borrowed(db_path, kind, prepare) as db:
        return _function(db, **dict(kwargs))


def read(ctx: PageContext, function: Callable, **kwargs):
    """Call a query function such as `hoeringer.list_hoeringer` with a connection, cached.

    The function gets the database as first argument and the keyword arguments given here.
    Viewers never get internal fields or records: `include_internal` is forced off for them, and
    the query runs on a connection that only holds what a viewer may see (`visibility`).
    """
    public = not sees_internal(ctx.actor)
    if "include_internal" in kwargs and public:
        kwargs["include_internal"] = False
    name = f"{function.__module__}.{function.__qualname__}"
    return _cached(name, function, str(ctx.db_path), ctx.revision, tuple(sorted(kwargs.items())), public)


def later(ctx: PageContext, function: Callable, **kwargs):
    """`read` deferred: a function of no arguments for a download button that makes its file when clicked."""
    return lambda: read(ctx, function, **kwargs)
