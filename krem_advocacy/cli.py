"""Command line: `python -m krem_advocacy init|migrate|info|backup|restore|hash-password|replica|import|export|feed|notify|stortinget|hoering-page`."""

import argparse
import getpass
import sys
import tomllib
from datetime import date
from pathlib import Path

from krem_advocacy import config
from krem_advocacy.domain import accounts as auth
from krem_advocacy.domain import bootstrap, datasets, demo, sources, stortinget
from krem_advocacy.exchange import exporter, hoering_feed, hoering_page, importer, mail, notify
from krem_advocacy.exchange import stortinget as storting_export
from krem_advocacy.store import backup, migrations, replication
from krem_advocacy.store.connection import opened
from krem_advocacy.store.errors import KremError, ValidationError
from krem_advocacy.store.permissions import SYSTEM, Actor
from krem_advocacy.text import codes, i18n

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
    replica = commands.add_parser(
        "replica", help="continuous replication with Litestream (target from KREM_REPLICA…; docs/replication.md)",
        description="prepare: restore the database from the replica if the file is missing (else create or "
                    "migrate it, as the app's first start does) and write Litestream's config, printing its "
                    "path, for `litestream replicate -config PATH -exec …`. status: how far the replica is, "
                    "and its restore points. Exit code 1 when no replica is configured or it cannot be reached.")
    replica.add_argument("action", choices=("prepare", "status"))
    _add_data_commands(commands)
    _add_notify_command(commands)
    return parser


def _add_data_commands(commands) -> None:

    kinds = list(importer.KINDS)
    data_import = commands.add_parser(
        "import", help="import a spreadsheet (.xlsx or .csv) of " + ", ".join(kinds),
        description="Check every row of a spreadsheet and import it all or nothing. Bad rows are listed "
                    "with their reasons and nothing is written; rows that already exist (same Vår ref., or "
                    "the same title and department) are skipped unless --update is given. Exit code 1 when "
                    "any row is bad.")
    data_import.add_argument("kind", choices=kinds, help="what the file holds")
    data_import.add_argument("file", type=Path, help="the .xlsx or .csv file")
    data_import.add_argument("--sheet", help="the Excel sheet to read (default: the first with data)")
    data_import.add_argument("--map", action="append", default=[], metavar="HEADING=FIELD",
                             help="map a column to a field (repeatable; FIELD '-' ignores the column); "
                                  "headings in Norwegian or English are recognised without it")
    data_import.add_argument("--update", action="store_true",
                             help="update existing records that the file changes, instead of skipping them")
    data_import.add_argument("--dry-run", action="store_true", help="check and report only; write nothing")
    data_import.add_argument("--as", dest="actor", help="name recorded in the change log (default: your user name)")

    data_export = commands.add_parser(
        "export", help="export a table (csv, xlsx) or the whole database (json, sqlite, xlsx)",
        description="Write one table as CSV or Excel, or every table as JSON, an Excel workbook or a "
                    "SQLite copy. --role decides what is included: viewer (default: no internal notes, no "
                    "change log), editor, or admin (everything, a full backup).")
    data_export.add_argument("table", help="a table name (e.g. hoeringer), or 'all' for the whole database")
    data_export.add_argument("--format", choices=["csv", "xlsx", "json", "sqlite"], default=None,
                             help="file format (default: from the output name, else csv for a table, json for all)")
    data_export.add_argument("-o", "--output", type=Path, help="output file (default: krem-<table>-<date>.<format>)")
    data_export.add_argument("--role", choices=list(codes.ROLES), default="viewer",
                             help="what the export may contain (default: viewer)")

    feed = commands.add_parser(
        "feed", help="list new consultations in the regjeringen.no feed, and add them",
        description="Read the consultation feed (the saved address, else $KREM_FEED_URL, else the official "
                    "regjeringen.no feed) and list the items not yet tracked. --add adds items as høringer "
                    "and --ignore marks them as seen; both take item numbers from the list, or 'all'.")
    feed.add_argument("--url", help="read this feed address instead")
    feed.add_argument("--file", type=Path, help="read a saved feed file instead of the network")
    feed.add_argument("--add", nargs="+", metavar="N", help="add these items (numbers from the list, or 'all')")
    feed.add_argument("--ignore", nargs="+", metavar="N", help="mark these items as seen without adding them")
    feed.add_argument("--as", dest="actor", help="name recorded in the change log (default: your user name)")
    storting = commands.add_parser(
        "stortinget", help="list new committee hearings in the Storting, and take them in",
        description="Read the session's committee hearings from the Storting's open data ($KREM_STORTINGET_URL) and "
                    "list the new ones of the committees followed. --add takes hearings in by their Storting id: a "
                    "høring held by the committee, or for Prop. 1 S the budget year's hearing dates. When the "
                    "hearings export fails, --sak reads those cases' exports instead (and says so).")
    storting.add_argument("--session", help="the session, e.g. 2025-2026 (default: the current one)")
    storting.add_argument("--add", nargs="+", metavar="ID", type=int, help="take these hearings in (Storting ids)")
    storting.add_argument("--sak", nargs="+", metavar="SAKID", type=int,
                          help="case ids for the per-case fallback when the hearings export fails")
    storting.add_argument("--as", dest="actor", help="name recorded in the change log (default: your user name)")
    page = commands.add_parser(
        "hoering-page", help="read a høring's regjeringen.no page: frist, status, Vår ref., høringsinstanser",
        description="Fetch the page at the høring's regjeringen.no address and save what changed; a forum member "
                    "in the list of høringsinstanser marks the høring as named.")
    page.add_argument("id", type=int, help="the høring's id")
    page.add_argument("--as", dest="actor", help="name recorded in the change log (default: your user name)")


def _add_notify_command(commands) -> None:
    notify = commands.add_parser(
        "notify", help="send the weekly digest and deadline reminders by e-mail (docs/notifications.md)",
        description="Plans today's messages (the digest on its weekday, reminders before deadlines), leaves out "
                    "what the sent log says was delivered, and with --send delivers the rest through the [smtp] "
                    "secrets. Exits 1 when a message failed (the next run sends it), 2 when mail is not set up.")
    how = notify.add_mutually_exclusive_group(required=True)
    how.add_argument("--dry-run", action="store_true", help="print who would get what; send nothing")
    how.add_argument("--send", action="store_true", help="send what is due and not yet sent")
    notify.add_argument("--today", type=date.fromisoformat, help="plan as if today were YYYY-MM-DD (tests)")


def main(argv: list[str] | None = None) -> int:
    """Run one command; return the process exit code."""
    args = build_parser().parse_args(argv)
    path = args.db or config.db_path()
    if args.command == "init":
        return _init(path, args.demo, args.force)
    if args.command == "hash-password":
        return _hash_password(args.stdin)
    if args.command == "replica":
        return _replica(path, args.action)
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
        elif args.command == "import":
            return _import(db, args)
        elif args.command == "export":
            return _export(db, path, args)
        elif args.command == "feed":
            return _feed(db, args)
        elif args.command == "stortinget":
            return _stortinget(db, args)
        elif args.command == "hoering-page":
            return _hoering_page(db, args)
        elif args.command == "notify":
            migrations.apply(db)
    if args.command == "notify":
        return _notify(path, args)
    if args.command == "backup":
        target = backup.backup_to(path, args.target or backup.backups_dir(path) / backup.backup_file_name())
        print(f"Backup of {path} written to {target}")
    elif args.command == "restore":
        return _restore(path, args.file)
    return 0


def _replica(path: Path, action: str) -> int:
    try:
        target = replication.configured_target()
    except ValueError as problem:
        print(f"Replication settings: {problem}", file=sys.stderr)
        return 1
    if target is None:
        print("No replica configured (set KREM_REPLICA; see docs/replication.md).", file=sys.stderr)
        return 1
    try:
        if action == "prepare":
            bootstrap.ensure_database(path, replica=target)
            print(replication.write_config(path, target))
            return 0
        status = replication.check(path, target)
    except replication.ReplicaUnavailable as error:
        print(f"The replica {target.describe()} does not answer: {error.detail}", file=sys.stderr)
        return 1
    lag = status.lag_seconds
    print(f"target:       {status.target}\nlast synced:  {status.last_synced or 'never'}\n"
          f"replica txid: {status.replica_txid}\nlocal txid:   {status.local_txid}\n"
          f"lag:          {'unknown' if lag is None else f'{lag:.0f} s'}\nerror:        {status.error or '-'}")
    for point in status.restore_points[:20]:
        print(f"restore point {point:%Y-%m-%dT%H:%M:%SZ}")
    return 0 if status.error is None else 1


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


def _cli_actor(name: str | None, role: str = "editor") -> Actor:
    try:
        user = getpass.getuser()
    except Exception:  # no user name in a bare container
        user = "cli"
    return Actor(name or f"{user} (kommandolinje)", role)


def _import(db, args) -> int:
    if not args.file.exists():
        print(f"No such file: {args.file}", file=sys.stderr)
        return 1
    try:
        table = importer.read_table(args.file.read_bytes(), args.file.name, args.kind, args.sheet)
    except importer.NotATableError as error:
        print(_english(error.key, name=args.file.name), file=sys.stderr)
        return 1
    mapping = importer.guess_mapping(args.kind, table.columns)
    fields = {f.name for f in importer.fields_of(args.kind)}
    for item in args.map:
        heading, _, field = item.partition("=")
        if heading not in mapping or (field not in fields and field != "-"):
            print(f"--map {item}: columns are {', '.join(table.columns)}; fields are {', '.join(sorted(fields))}",
                  file=sys.stderr)
            return 2
        mapping[heading] = None if field == "-" else field
    preview = importer.check(db, args.kind, table, mapping)
    labels = importer.field_labels(args.kind, "en")
    print(f"{args.file.name}: {len(table.rows)} rows; columns: "
          + ", ".join(f"{c} -> {labels[t] if t else '(ignored)'}" for c, t in mapping.items()))
    left_out = importer.not_imported(mapping)
    if left_out:
        print("Not imported (no field): " + ", ".join(left_out) + ". Use --map HEADING=FIELD to import one.")
    if preview.missing:
        print("No column for required field(s): " + ", ".join(labels[m] for m in preview.missing)
              + ". Use --map HEADING=FIELD.", file=sys.stderr)
        return 1
    counts = preview.counts()
    print(f"new {counts['new']}, already there {counts['update'] + counts['unchanged']} "
          f"({counts['update']} with changes), bad {counts['error']}")
    if preview.bad_rows:
        for row in preview.errors_frame("en").itertuples():
            print(f"  row {row.line}: {row.reasons}", file=sys.stderr)
        print("Nothing was imported. Fix the rows and run again.", file=sys.stderr)
        return 1
    if args.dry_run:
        print("Dry run: nothing was written.")
        return 0
    result = importer.import_rows(db, _cli_actor(args.actor), args.kind, table, mapping,
                                  "update" if args.update else "skip",
                                  i18n.t("data.import.source", name=args.file.name))
    print(f"Imported: {result.created} created, {result.updated} updated, {result.skipped} skipped.")
    return 0


def _export(db, path: Path, args) -> int:

    actor = _cli_actor(None, args.role)
    whole = args.table == "all"
    suffix = args.output.suffix.lstrip(".").lower() if args.output else ""
    fmt = args.format or {"db": "sqlite", "sqlite": "sqlite", "json": "json", "xlsx": "xlsx"}.get(
        suffix, "json" if whole else "csv")
    tables = exporter.exportable_tables(db, actor)
    if not whole and args.table not in tables:
        print(f"Unknown table {args.table!r}; tables: {', '.join(tables)}, or 'all'", file=sys.stderr)
        return 2
    if not whole and fmt not in ("csv", "xlsx"):
        print("One table exports as csv or xlsx; use 'all' for json or sqlite.", file=sys.stderr)
        return 2
    if whole and fmt == "csv":
        print("The whole database exports as json, xlsx or sqlite.", file=sys.stderr)
        return 2
    ext = "db" if fmt == "sqlite" else fmt
    output = args.output or Path(f"krem-{args.table}-{exporter.file_stamp()}.{ext}")
    if fmt == "sqlite":
        data = exporter.sqlite_copy(path, actor)
    elif fmt == "json":
        data = exporter.json_dump(db, actor)
    elif whole:
        data = exporter.to_excel_sheets({t: exporter.table_frame(db, t, actor) for t in tables})
    else:
        frame = exporter.table_frame(db, args.table, actor)
        data = exporter.to_csv(frame) if fmt == "csv" else exporter.to_excel(frame, args.table)
    output.write_bytes(data)
    print(f"Wrote {output} ({fmt}, as {args.role})")
    return 0


def _feed(db, args) -> int:

    try:
        if args.file:
            items = hoering_feed.parse(args.file.read_bytes())
        else:
            items = hoering_feed.load(args.url, db)
    except hoering_feed.FeedError as error:
        print(_english(error.key, url=args.url or hoering_feed.feed_url(db), detail=error.detail), file=sys.stderr)
        if not args.file:
            sources.record_run(db, _cli_actor(args.actor), "feed", False, [args.url or hoering_feed.feed_url(db)],
                               None, error.detail or error.key)
        return 1
    if not args.file:
        sources.record_run(db, _cli_actor(args.actor), "feed", True, [args.url or hoering_feed.feed_url(db)],
                           len(items))
    fresh = hoering_feed.new_items(db, items)
    print(f"{len(fresh)} new of {len(items)} in the feed")
    for number, item in enumerate(fresh, start=1):
        extra = " · ".join(x for x in (item.published_on and f"published {item.published_on}",
                                       item.deadline and f"deadline {item.deadline}") if x)
        print(f"  {number}. {item.title}" + (f" ({extra})" if extra else ""))
    try:
        to_add = _pick(fresh, args.add)
        to_ignore = _pick(fresh, args.ignore)
    except ValueError as error:
        print(f"Not an item number: {error}", file=sys.stderr)
        return 2
    actor = _cli_actor(args.actor)
    if to_add:
        try:
            ids = hoering_feed.add_items(db, actor, to_add)
        except ValidationError as error:  # the høring form's checks refused an item: nothing was added
            print("Nothing was added: " + "; ".join(f"{field}: {_english(key)}" for field, key in error.errors.items()),
                  file=sys.stderr)
            return 1
        print(f"Added {len(ids)} høring(er): ids " + ", ".join(str(i) for i in ids))
        for hoering_id, outcome in hoering_page.refresh_added(db, actor, ids):
            _print_page(hoering_id, outcome)
    if to_ignore:
        print(f"Marked {hoering_feed.mark_seen(db, actor, to_ignore)} as seen.")
    return 0


def _stortinget(db, args) -> int:
    try:
        session = stortinget.check_session(args.session or stortinget.current_session(date.today()))
    except ValidationError:
        print(f"Not a session: {args.session} (write it as 2025-2026)", file=sys.stderr)
        return 2
    actor = _cli_actor(args.actor)
    try:
        result = storting_export.fetch(db, actor, session, args.sak)
    except storting_export.StortingError as error:
        print("Could not read the Storting's hearings; nothing was changed. Tried:", file=sys.stderr)
        for url, what in error.tried:
            print(f"  {url}: {what}", file=sys.stderr)
        if not args.sak:
            print("The per-case export can fill in: add --sak with the Storting case ids.", file=sys.stderr)
        return 1
    if result.source == "sak":
        print("The hearings export failed; read from the per-case export (eksport/sak) instead:")
        for url, what in result.tried:
            print(f"  {url}: {what}")
    fresh = stortinget.offered(db, result.hearings, date.today())
    print(f"{len(fresh)} new of {len(result.hearings)} hearings in {session} (committees: "
          f"{', '.join(stortinget.followed_committees(db))})")
    for hearing in fresh:
        kind = f"budget hearing {hearing.budget_year}" if hearing.is_budget else "hearing"
        print(f"  {hearing.id}. {hearing.title} ({hearing.committee_id}, {kind}, deadline {hearing.deadline or '–'}"
              + (f", held {hearing.hearing_on}" if hearing.hearing_on else "") + ")")
    by_id = {h.id: h for h in result.hearings}
    unknown = [i for i in args.add or [] if i not in by_id]
    if unknown:
        print("Not in this session's hearings: " + ", ".join(map(str, unknown)) + "; nothing was taken in.",
              file=sys.stderr)
        return 1
    for hearing_id in args.add or []:
        try:
            done = stortinget.take_in(db, actor, by_id[hearing_id])
        except ValidationError as error:
            print(f"{hearing_id} was not taken in: " + "; ".join(
                f"{field}: {_english(key)}" for field, key in error.errors.items()), file=sys.stderr)
            return 1
        if "hoering_id" in done:
            print(f"Took {hearing_id} in as høring {done['hoering_id']}")
        else:
            print(f"Took {hearing_id} in as the {done['budget_year']} budget year's hearing dates")
    return 0


def _hoering_page(db, args) -> int:
    try:
        outcome = hoering_page.refresh(db, _cli_actor(args.actor), args.id)
    except KremError as error:
        _print_page(args.id, error)
        return 1
    _print_page(args.id, outcome)
    return 0


def _print_page(hoering_id: int, outcome) -> None:
    if isinstance(outcome, hoering_page.PageError):
        print(f"Høring {hoering_id}: " + _english(outcome.key, url=outcome.url, detail=outcome.detail), file=sys.stderr)
    elif isinstance(outcome, ValidationError):
        print(f"Høring {hoering_id}: nothing was changed: " + "; ".join(
            f"{field}: {_english(key)}" for field, key in outcome.errors.items()), file=sys.stderr)
    elif isinstance(outcome, KremError):
        print(f"Høring {hoering_id}: nothing was changed ({outcome})", file=sys.stderr)
    else:
        changes = ", ".join(f"{field}: {before} → {after}" for field, (before, after) in outcome.changes.items())
        print(f"Høring {hoering_id}: " + (f"changed {changes}" if changes else "the page says the same; nothing changed")
              + (f"; members listed: {', '.join(outcome.members)}" if outcome.members else ""))


def _pick(items: list, choice: list[str] | None) -> list:
    if not choice:
        return []
    if choice == ["all"]:
        return list(items)
    picked = []
    for text in choice:
        if not text.isdigit() or not 1 <= int(text) <= len(items):
            raise ValueError(text)
        picked.append(items[int(text) - 1])
    return picked


def _notify(path: Path, args) -> int:
    try:
        secrets = tomllib.loads(config.secrets_path().read_text(encoding="utf-8")) \
            if config.secrets_path().exists() else {}
        smtp = mail.SmtpSettings.from_mapping(secrets.get("smtp"))
    except (OSError, ValueError, tomllib.TOMLDecodeError) as error:
        print(f"Cannot read the [smtp] settings in {config.secrets_path()}: {error}", file=sys.stderr)
        return 2
    result = notify.run(path, args.today or date.today(), send=args.send, smtp=smtp,
                        base_url=config.base_url() or config.DEFAULT_BASE_URL, actor=_cli_actor(None).name)
    for line in notify.report_lines(result):
        print(line, file=sys.stderr if line.startswith(("Error", "      FAILED")) else sys.stdout)
    return result.exit_code


def _english(key: str, **values) -> str:

    return i18n.t(key, "en", **values)


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
