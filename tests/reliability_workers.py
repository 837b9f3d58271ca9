"""Worker processes for the reliability suite (run by tests/test_reliability.py, not collected by pytest).

`python -m tests.reliability_workers writer DB NUMBER FOLDER SECONDS SHARED_SAK`
    Marks itself ready, waits for the go signal, then writes through the data layer for SECONDS:
    new saker, and every fourth time an edit of one shared sak with the version it just read. Prints
    one JSON line: every write it was told was saved, every conflict and every other error it got.

`python -m tests.reliability_workers import-and-stall DB FILE ROWS MARKER`
    Runs the real command line import (`krem_advocacy.cli.main`) of FILE, and stalls forever once ROWS
    records have been created inside the import's transaction, after writing MARKER; the test then
    kills the process with SIGKILL.
"""

import json
import sys
import time
from pathlib import Path


def writer(path: str, number: int, folder: str, seconds: float, shared: int) -> None:
    from krem_advocacy.domain import saker
    from krem_advocacy.store import connection as dbmod
    from krem_advocacy.store.errors import ConflictError
    from krem_advocacy.store.permissions import Actor

    actor = Actor(f"Skriver {number}", "editor")
    Path(folder, f"ready-{number}").touch()
    while not Path(folder, "go").exists():
        time.sleep(0.01)
    created, updated, conflicts, failed = [], [], [], []
    deadline = time.monotonic() + seconds
    attempt = 0
    while time.monotonic() < deadline:
        attempt += 1
        text = f"w{number}-{attempt}"
        try:
            with dbmod.opened(path) as db:
                if attempt % 4 == 0:
                    version = db.execute("SELECT version FROM saker WHERE id = ?", [shared]).fetchone()[0]
                    new_version = saker.update_sak(db, actor, shared, {"description": text}, version)
                    updated.append((text, new_version))
                else:
                    created.append((saker.create_sak(db, actor, {"title": text, "status": "aktiv"}), text))
        except ConflictError:
            conflicts.append(text)  # someone saved the shared sak in between: the caller is told
        except Exception as error:  # any other failure, also reported to the caller (and to the test)
            failed.append(f"{text}: {type(error).__name__}: {error}")
    print(json.dumps({"writer": number, "attempts": attempt, "created": created, "updated": updated,
                      "conflicts": conflicts, "failed": failed}))


def import_and_stall(path: str, file: str, rows: int, marker: str) -> int:
    import os

    os.environ["KREM_DB"] = path
    from krem_advocacy import cli
    from krem_advocacy.store import records

    original = records.create
    made = 0

    def create(db, actor, table, values, action="create"):
        nonlocal made
        record_id = original(db, actor, table, values, action)
        made += 1
        if made == rows:
            assert db.conn.in_transaction  # still inside the import's one transaction
            Path(marker).write_text(str(made))
            while True:  # stall until killed
                time.sleep(1)
        return record_id

    records.create = create
    return cli.main(["import", "saker", file, "--as", "Importtest"])


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "writer":
        writer(args[0], int(args[1]), args[2], float(args[3]), int(args[4]))
    elif command == "import-and-stall":
        sys.exit(import_and_stall(args[0], args[1], int(args[2]), args[3]))
    else:
        sys.exit(f"unknown command {command}")
