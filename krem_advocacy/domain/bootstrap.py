"""First start and every start: restore the file from the replica or create it with the demo data if it is new, else migrate it."""

from pathlib import Path

from krem_advocacy import config
from krem_advocacy.domain import demo
from krem_advocacy.store import migrations, replication
from krem_advocacy.store.connection import opened


def ensure_database(path: Path | str | None = None, replica: replication.Target | None = None) -> Path:
    """Restore, create, migrate and fill the database with demo data if it is new; migrate it otherwise.

    An existing file is never overwritten: only pending migrations run on it. When the file is missing
    and a replica is given, its latest copy is restored first; demo data is filled only into a file that
    is new and has no copy in the replica. A replica that cannot be asked raises
    `replication.ReplicaUnavailable` and nothing is created, so demo data never hides restorable data.
    """
    path = Path(path) if path is not None else config.db_path()
    is_new = not path.exists() or path.stat().st_size == 0
    if is_new and replica is not None:
        is_new = not replication.restore_if_missing(path, replica)
    path.parent.mkdir(parents=True, exist_ok=True)
    with opened(path) as db:
        migrations.apply(db)
        if is_new:
            demo.load(db)
    return path
