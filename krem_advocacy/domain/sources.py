"""Runs of outside sources (the Storting's export, regjeringen.no pages, the feed): remembered for the Data page."""

import pandas as pd
from sqlite_utils import Database

from krem_advocacy.store.connection import read_frame, write_transaction
from krem_advocacy.store.permissions import EDIT, Actor, require
from krem_advocacy.store.records import now_iso

SOURCES = ("stortinget", "hoering_page", "feed")
MAX_MESSAGE = 2000


def record_run(db: Database, actor: Actor, source: str, ok: bool, tried: list[str], found: int | None = None,
               message: str | None = None) -> None:
    """Remember one read of a source: whether it worked, what was asked, how many items, what was said.

    Bookkeeping, not a change to the records: it is written even when the read failed, so the Data page
    can say when a source last failed and why.
    """
    require(actor, EDIT)
    assert source in SOURCES, source
    with write_transaction(db):
        db.execute("INSERT INTO source_runs (source, at, actor, ok, found, tried, message) VALUES (?, ?, ?, ?, ?, ?, ?)",
                   [source, now_iso(), actor.name, int(bool(ok)), found, " · ".join(tried),
                    (message or "")[:MAX_MESSAGE] or None])


def last_runs(db: Database) -> pd.DataFrame:
    """The latest run of each source, and when it last worked: source, at, actor, ok, found, tried, message,
    last_ok_at."""
    return read_frame(db, """
        SELECT r.source, r.at, r.actor, r.ok, r.found, r.tried, r.message,
               (SELECT MAX(at) FROM source_runs o WHERE o.source = r.source AND o.ok = 1) AS last_ok_at
          FROM source_runs r
         WHERE r.id = (SELECT MAX(id) FROM source_runs l WHERE l.source = r.source)
         ORDER BY r.source""")
