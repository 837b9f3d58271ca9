"""Cached reads for pages, keyed by the database file and its revision so every write is seen."""

import importlib

import streamlit as st

from krem_advocacy.db import opened
from krem_advocacy.ui.page import PageContext


@st.cache_data(show_spinner=False, max_entries=512, ttl=3600)
def _cached(qualified_name: str, db_path: str, revision: int, kwargs: tuple):
    # `revision` is part of the key only: a write bumps it, so the next read misses the cache.
    module_name, function_name = qualified_name.rsplit(".", 1)
    function = getattr(importlib.import_module(f"krem_advocacy.{module_name}"), function_name)
    with opened(db_path) as db:
        return function(db, **dict(kwargs))


def read(ctx: PageContext, qualified_name: str, **kwargs):
    """Call a query function such as `hoeringer.list_hoeringer` with a connection, cached.

    The function gets the database as first argument and the keyword arguments given here.
    Viewers never get internal fields: `include_internal` is forced off for them.
    """
    if "include_internal" in kwargs and not ctx.actor.can_edit:
        kwargs["include_internal"] = False
    return _cached(qualified_name, str(ctx.db_path), ctx.revision, tuple(sorted(kwargs.items())))
