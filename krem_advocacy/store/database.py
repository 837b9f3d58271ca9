"""The database object: one SQLite file, read connections from a read-only pool, one door for writes."""

import contextlib
from collections.abc import Iterator
from pathlib import Path

from sqlite_utils import Database

from krem_advocacy.store import connection
from krem_advocacy.store.visibility import restrict_to_public


class Store:
    """Where the data is and how to reach it; pages carry one in their context.

    `reading()` lends a pooled, read-only connection (for a viewer, one that only holds what viewers may
    see); `writing()` opens a connection for one unit of work, whose writes go through `records`.
    """

    def __init__(self, path: Path | str):
        self.path = Path(path)

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    @contextlib.contextmanager
    def reading(self, public: bool = False) -> Iterator[Database]:
        """A connection for reads; with `public`, internal records and fields are not in it at all."""
        kind, prepare = ("public", restrict_to_public) if public else ("full", None)
        with connection.borrowed(str(self.path), kind, prepare) as db:
            yield db

    @contextlib.contextmanager
    def writing(self) -> Iterator[Database]:
        """A connection for one unit of work that may write (always closed after)."""
        with connection.opened(self.path) as db:
            yield db

    def revision(self) -> int:
        """The data's revision now (grows with every change): cached reads are keyed by it."""
        with self.reading() as db:
            return connection.revision(db)
