"""Command line: `python -m krem_advocacy init|migrate|info|backup|restore|hash-password` (database in KREM_DB)."""

import argparse
import getpass
import sys
from pathlib import Path

from krem_advocacy import auth, backup, config, datasets, demo, migrations
from krem_advocacy.db import opened
from krem_advocacy.records import SYSTEM

DESCRIPTION = """Manage the KREM advocacy database (SQLite).
The file is KREM_DB if set, else data/krem.db; --db overrides both."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with help for every command."""
    parser = argparse.ArgumentParser(prog="python -m krem_advocacy", description=DESCRIPTION)
    parser.add_argument("--db", type=Path, help="database file (default: $KREM_DB or data/krem.db)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    init = commands.add_parser(
        "init", help="create a new database with the full schema (empty, or --demo for the demo data)",
        description="Create a new database file with every migration applied. Refuses to touch an "
                    "existing file unless --force is given, in which case the file is replaced.")
    init.add_argument("--demo", action="store_true", help="fill it with the demo data from data/demo/")
    init.add_argument("--force", action="store_true", help="replace an existing file (its data is lost)")
    commands.add_parser(
        "migrate", help="apply pending migrations to an existing database, keeping its data",
        description="Apply every migration the file has not had yet. Running it twice changes nothing.")
    commands.add_parser(
        "info", help="show the file, its migrations and the number of rows per table",
        description="Print the database path, applied and pending migrations, and row counts per table.")
    dump = commands.add_parser(
        "backup", help="write a consistent copy of the database to a file (safe while the app runs)",
        description="Copy the whole database with SQLite's backup API into TARGET (default: a dated file "
                    "in backups/ next to the database).")
    dump.add_argument("target", nargs="?", type=Path, help="the file to write")
    load = commands.add_parser(
        "restore", help="replace the database with a backup file, after checking it",
        description="Check FILE (an SQLite database of this app, whole and undamaged), keep the current "
                    "database as a dated copy in backups/, then replace its contents with FILE.")
    load.add_argument("file", type=Path, help="the backup to restore")
    hashing = commands.add_parser(
        "hash-password", help="make a salted password hash for the [auth_users] secrets",
        description="Ask for a password twice (or read one line from standard input with --stdin) and print "
                    "its scrypt hash, to paste as password_hash in .streamlit/secrets.toml. The password "
                    "itself is never stored.")
    hashing.add_argument("--stdin", action="store_true", help="read the password from standard input")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; return the process exit code."""
    args = build_parser().parse_args(argv)
    path = args.db or config.db_path()
    if args.command == "init":
        return _init(path, args.demo, args.force)
    if args.command == "hash-password":
        return _hash_password(args.stdin)
    if not path.exists():
        print(f"No database at {path}. Create one with: python -m krem_advocacy init [--demo]",
              file=sys.stderr)
        return 1
    with opened(path) as db:
        if args.command == "migrate":
            applied = migrations.apply(db)
            print(f"{path}: applied {len(applied)} migration(s)" + (": " + ", ".join(applied) if applied else ""))
        elif args.command == "info":
            _info(db, path)
    if args.command == "backup":
        target = backup.backup_to(path, args.target or backup.backups_dir(path) / backup.backup_file_name())
        print(f"Backup of {path} written to {target}")
    elif args.command == "restore":
        return _restore(path, args.file)
    return 0


def _hash_password(from_stdin: bool) -> int:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != password:
            print("The two passwords differ; nothing printed.", file=sys.stderr)
            return 1
    if len(password) < 10:
        print("Use at least 10 characters (a few words make a good password).", file=sys.stderr)
        return 1
    print(auth.hash_password(password))
    return 0


def _restore(path: Path, file: Path) -> int:
    if not file.is_file():
        print(f"No file at {file}", file=sys.stderr)
        return 1
    try:
        result = backup.restore(path, file.read_bytes(), SYSTEM)
    except backup.RestoreRefused as refused:
        reason = _english(refused.key)
        print(f"Not restored: {reason} {refused.detail}".rstrip() + f"\n{path} is unchanged.", file=sys.stderr)
        return 1
    print(f"Restored {path} from {file}; the previous data is kept as {result.kept_copy}")
    return 0


def _english(key: str) -> str:
    """An English message from the catalogue (the command line speaks English)."""
    from krem_advocacy import i18n

    return i18n.t(key, "en")


def _init(path: Path, with_demo: bool, force: bool) -> int:
    if path.exists() and path.stat().st_size > 0:
        if not force:
            print(f"{path} already exists; use --force to replace it (its data will be lost).",
                  file=sys.stderr)
            return 1
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    with opened(path) as db:
        migrations.apply(db)
        counts = demo.load(db) if with_demo else {}
    print(f"Created {path}" + (f" with demo data ({sum(counts.values())} rows)" if with_demo else " (empty)"))
    return 0


def _info(db, path: Path) -> None:
    print(f"Database: {path}")
    for row in datasets.applied_migrations(db).itertuples():
        print(f"  migration {row.name}: {'applied ' + row.applied_at if row.applied_at else 'PENDING'}")
    counts = datasets.table_counts(db)
    width = max(len(t) for t in counts["table"])
    for row in counts.itertuples():
        print(f"  {row.table:<{width}}  {row.rows:>7}")
