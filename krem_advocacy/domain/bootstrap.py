"""First start and every start: create the database file with the demo data if it is new, else migrate it."""

from pathlib import Path

from krem_advocacy import config
from krem_advocacy.domain import demo
from krem_advocacy.store import migrations
from krem_advocacy.store.connection import opened


def ensure_database(path: Path | str | None = None) -> Path:
    """Create, migrate and fill the database with demo data if it is new; migrate it otherwise.

    An existing file is never overwritten: only pending migrations run on it.
    """
    path = Path(path) if path is not None else config.db_path()
    is_new = not path.exists() or path.stat().st_size == 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with opened(path) as db:
        migrations.apply(db)
        if is_new:
            demo.load(db)
    return path
