"""Cached reads for pages, keyed by the database file and its revision so every write is seen."""

import importlib

import streamlit as st

from krem_advocacy.db import opened
from krem_advocacy.ui.page import PageContext
from krem_advocacy.visibility import restrict_to_public, sees_internal


@st.cache_data(show_spinner=False, max_entries=512, ttl=3600)
def _cached(qualified_name: str, db_path: str, revision: int, kwargs: tuple, public: bool = False):
    # `revision` is part of the key only: a write bumps it, so the next read misses the cache.
    module_name, function_name = qualified_name.rsplit(".", 1)
    function = getattr(importlib.import_module(f"krem_advocacy.{module_name}"), function_name)
    with opened(db_path) as db:
        if public:
            restrict_to_public(db)  # viewers: internal records and fields are not in the tables at all
        return function(db, **dict(kwargs))


def read(ctx: PageContext, qualified_name: str, **kwargs):
    """Call a query function such as `hoeringer.list_hoeringer` with a connection, cached.

    The function gets the database as first argument and the keyword arguments given here.
    Viewers never get internal fields or records: `include_internal` is forced off for them, and
    the query runs on a connection that only holds what a viewer may see (`visibility`).
    """
    public = not sees_internal(ctx.actor)
    if "include_internal" in kwargs and public:
        kwargs["include_internal"] = False
    return _cached(qualified_name, str(ctx.db_path), ctx.revision, tuple(sorted(kwargs.items())), public)
