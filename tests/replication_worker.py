"""The app as the kill test sees it (run by tests/test_replication.py, not collected by pytest).

`python -m tests.replication_worker DB REPLICA_DIR SYNC_INTERVAL SAVED_LOG ROUND`
    Starts replication as the app does on Community Cloud (one Litestream process per server, taken
    over if one runs), then saves saker through the data layer as fast as it can until it is killed,
    appending each title to SAVED_LOG only after the save returned, i.e. once the user was told.
"""

import os
import sys


def main(path: str, directory: str, interval: str, saved_log: str, round_: str) -> None:
    from krem_advocacy.domain import saker
    from krem_advocacy.store import replication
    from krem_advocacy.store.connection import opened
    from krem_advocacy.store.permissions import Actor

    target = replication.Target("file", directory=directory, sync_interval=interval)
    replication.Supervisor(path, target).ensure_running()
    actor = Actor("Skriver", "editor")
    log = open(saved_log, "a", encoding="utf-8")
    n = 0
    while True:
        n += 1
        title = f"r{round_}-{n}"
        with opened(path) as db:
            saker.create_sak(db, actor, {"title": title, "status": "aktiv"})
        log.write(title + "\n")
        log.flush()
        os.fsync(log.fileno())


if __name__ == "__main__":
    main(*sys.argv[1:])
