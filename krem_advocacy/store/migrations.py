"""The database schema as ordered, named migrations (sqlite-utils `Migrations`)."""

import functools
import sqlite3

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from krem_advocacy.text import codes

migrations = Migrations("krem_advocacy")

# Every record table carries these; `version` grows by one on each update so a
# second editor's stale form is detected (see records.update).
RECORD_COLUMNS = """
    is_example INTEGER NOT NULL DEFAULT 0 CHECK (is_example IN (0, 1)),
    source TEXT,
    notes TEXT,
    internal_notes TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
"""

# Tables whose rows are records (have version/created/updated and appear in the audit log).
RECORD_TABLES = [
    "organisations",
    "people",
    "person_roles",
    "saker",
    "hoeringer",
    "budget_years",
    "budget_inputs",
    "meetings",
    "agenda_items",
    "tilsagn",
]

# Link tables: many-to-many relations owned by a record.
LINK_TABLES = [
    "sak_people",
    "hoering_cosigners",
    "hoering_saker",
    "budget_input_cosigners",
    "budget_input_saker",
    "meeting_people",
    "meeting_organisations",
]


def _check(column, values, nullable=False):
    """A CHECK clause that keeps a code column to its value list."""
    listed = ", ".join(f"'{v}'" for v in values)
    clause = f"{column} IN ({listed})"
    return f"CHECK ({column} IS NULL OR {clause})" if nullable else f"CHECK ({clause})"


def _run(db: Database, script: str) -> None:
    # executescript() would COMMIT the migration's transaction: run statements one by one.
    for statement in script.split(";\n"):
        if statement.strip():
            db.execute(statement)


@migrations(name="0001_core_schema")
def core_schema(db: Database) -> None:
    _run(
        db,
        f"""
CREATE TABLE themes (
    code TEXT PRIMARY KEY,
    label_nb TEXT NOT NULL,
    label_en TEXT NOT NULL,
    origin TEXT NOT NULL {_check('origin', codes.THEME_ORIGINS)},
    sort_order INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE organisations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    short_name TEXT,
    kind TEXT NOT NULL {_check('kind', codes.ORGANISATION_KINDS)},
    parent_id INTEGER REFERENCES organisations(id),
    member_since INTEGER,
    member_until INTEGER,
    member_status TEXT {_check('member_status', codes.MEMBER_STATUSES, nullable=True)},
    representatives INTEGER,
    url TEXT,
    {RECORD_COLUMNS}
) STRICT;

CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    organisation_id INTEGER REFERENCES organisations(id),
    side TEXT NOT NULL {_check('side', codes.PERSON_SIDES)},
    email TEXT,
    phone TEXT,
    {RECORD_COLUMNS}
) STRICT;

CREATE TABLE person_roles (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    organisation_id INTEGER REFERENCES organisations(id),
    title TEXT NOT NULL,
    from_date TEXT,
    to_date TEXT,
    {RECORD_COLUMNS}
) STRICT;

CREATE TABLE saker (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    description TEXT,
    easy_read TEXT,
    theme_code TEXT REFERENCES themes(code),
    priority TEXT NOT NULL DEFAULT 'middels' {_check('priority', codes.PRIORITIES)},
    stance TEXT,
    status TEXT NOT NULL DEFAULT 'aktiv' {_check('status', codes.SAK_STATUSES)},
    lead_org_id INTEGER REFERENCES organisations(id),
    started_on TEXT,
    {RECORD_COLUMNS}
) STRICT;

CREATE TABLE sak_people (
    sak_id INTEGER NOT NULL REFERENCES saker(id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    PRIMARY KEY (sak_id, person_id)
) STRICT;

CREATE TABLE hoeringer (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    department_id INTEGER REFERENCES organisations(id),
    published_on TEXT,
    deadline TEXT,
    internal_deadline TEXT,
    internal_deadline_manual INTEGER NOT NULL DEFAULT 0 CHECK (internal_deadline_manual IN (0, 1)),
    our_ref TEXT,
    url TEXT,
    official_status TEXT NOT NULL DEFAULT 'paa_hoering' {_check('official_status', codes.HOERING_OFFICIAL_STATUSES)},
    our_status TEXT NOT NULL DEFAULT 'innkommet' {_check('our_status', codes.HOERING_OUR_STATUSES)},
    named_instance INTEGER NOT NULL DEFAULT 0 CHECK (named_instance IN (0, 1)),
    answer_type TEXT {_check('answer_type', codes.ANSWER_TYPES, nullable=True)},
    lead_org_id INTEGER REFERENCES organisations(id),
    answer_url TEXT,
    submitted_on TEXT,
    short_deadline_reason TEXT,
    result TEXT,
    {RECORD_COLUMNS}
) STRICT;

CREATE TABLE hoering_cosigners (
    hoering_id INTEGER NOT NULL REFERENCES hoeringer(id) ON DELETE CASCADE,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    PRIMARY KEY (hoering_id, organisation_id)
) STRICT;

CREATE TABLE hoering_saker (
    hoering_id INTEGER NOT NULL REFERENCES hoeringer(id) ON DELETE CASCADE,
    sak_id INTEGER NOT NULL REFERENCES saker(id) ON DELETE CASCADE,
    PRIMARY KEY (hoering_id, sak_id)
) STRICT;

CREATE TABLE budget_years (
    id INTEGER PRIMARY KEY,
    budget_year INTEGER NOT NULL UNIQUE,
    prop1s_on TEXT,
    hearing_application_deadline TEXT,
    hearing_on TEXT,
    frames_vote_on TEXT,
    final_vote_on TEXT,
    revised_on TEXT,
    {RECORD_COLUMNS}
) STRICT;

CREATE TABLE budget_inputs (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    budget_year INTEGER NOT NULL,
    phase TEXT NOT NULL {_check('phase', codes.BUDGET_PHASES)},
    recipient_org_id INTEGER REFERENCES organisations(id),
    lead_org_id INTEGER REFERENCES organisations(id),
    chapter TEXT,
    post TEXT,
    chapter_name TEXT,
    post_name TEXT,
    ask TEXT,
    ask_amount INTEGER,
    prop_amount INTEGER,
    adopted_amount INTEGER,
    outcome TEXT NOT NULL DEFAULT 'ukjent' {_check('outcome', codes.BUDGET_OUTCOMES)},
    sent_on TEXT,
    document_url TEXT,
    hearing_application_deadline TEXT,
    hearing_on TEXT,
    {RECORD_COLUMNS}
) STRICT;

CREATE TABLE budget_input_cosigners (
    budget_input_id INTEGER NOT NULL REFERENCES budget_inputs(id) ON DELETE CASCADE,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    PRIMARY KEY (budget_input_id, organisation_id)
) STRICT;

CREATE TABLE budget_input_saker (
    budget_input_id INTEGER NOT NULL REFERENCES budget_inputs(id) ON DELETE CASCADE,
    sak_id INTEGER NOT NULL REFERENCES saker(id) ON DELETE CASCADE,
    PRIMARY KEY (budget_input_id, sak_id)
) STRICT;

CREATE TABLE meetings (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    kind TEXT NOT NULL {_check('kind', codes.MEETING_KINDS)},
    starts_at TEXT NOT NULL,
    ends_at TEXT,
    place TEXT,
    host_org_id INTEGER REFERENCES organisations(id),
    chair_person_id INTEGER REFERENCES people(id),
    themes TEXT,
    prep_deadline TEXT,
    minutes TEXT,
    minutes_url TEXT,
    {RECORD_COLUMNS}
) STRICT;

CREATE TABLE meeting_people (
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    role_at_meeting TEXT,
    PRIMARY KEY (meeting_id, person_id)
) STRICT;

CREATE TABLE meeting_organisations (
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    PRIMARY KEY (meeting_id, organisation_id)
) STRICT;

CREATE TABLE agenda_items (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    position INTEGER NOT NULL DEFAULT 0,
    title TEXT NOT NULL,
    sak_id INTEGER REFERENCES saker(id),
    hoering_id INTEGER REFERENCES hoeringer(id),
    budget_input_id INTEGER REFERENCES budget_inputs(id),
    speaker_org_id INTEGER REFERENCES organisations(id),
    speaker_person_id INTEGER REFERENCES people(id),
    summary TEXT,
    {RECORD_COLUMNS}
) STRICT;

CREATE TABLE tilsagn (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    agenda_item_id INTEGER REFERENCES agenda_items(id) ON DELETE SET NULL,
    sak_id INTEGER REFERENCES saker(id),
    text TEXT NOT NULL,
    responsible_person_id INTEGER REFERENCES people(id),
    responsible_org_id INTEGER REFERENCES organisations(id),
    status TEXT NOT NULL DEFAULT 'aapen' {_check('status', codes.TILSAGN_STATUSES)},
    followed_up_meeting_id INTEGER REFERENCES meetings(id),
    {RECORD_COLUMNS}
) STRICT;

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL {_check('action', codes.AUDIT_ACTIONS)},
    table_name TEXT NOT NULL,
    record_id INTEGER,
    before TEXT,
    after TEXT
) STRICT;

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE feed_seen (
    guid TEXT PRIMARY KEY,
    title TEXT,
    link TEXT,
    seen_at TEXT NOT NULL,
    hoering_id INTEGER REFERENCES hoeringer(id) ON DELETE SET NULL
) STRICT;

CREATE TABLE login_attempts (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL,
    at TEXT NOT NULL,
    success INTEGER NOT NULL CHECK (success IN (0, 1))
) STRICT
""",
    )


@migrations(name="0002_filter_indexes")
def filter_indexes(db: Database) -> None:
    # One index per filter or join the pages offer.
    _run(
        db,
        """
CREATE INDEX idx_organisations_kind ON organisations(kind);
CREATE INDEX idx_people_organisation ON people(organisation_id);
CREATE INDEX idx_person_roles_person ON person_roles(person_id, from_date);
CREATE INDEX idx_saker_status ON saker(status, theme_code);
CREATE INDEX idx_saker_lead ON saker(lead_org_id);
CREATE INDEX idx_hoeringer_deadline ON hoeringer(deadline);
CREATE INDEX idx_hoeringer_internal_deadline ON hoeringer(internal_deadline);
CREATE INDEX idx_hoeringer_status ON hoeringer(our_status, official_status);
CREATE INDEX idx_hoeringer_department ON hoeringer(department_id);
CREATE INDEX idx_hoeringer_lead ON hoeringer(lead_org_id);
CREATE INDEX idx_hoering_saker_sak ON hoering_saker(sak_id);
CREATE INDEX idx_hoering_cosigners_org ON hoering_cosigners(organisation_id);
CREATE INDEX idx_budget_inputs_year ON budget_inputs(budget_year, phase);
CREATE INDEX idx_budget_inputs_recipient ON budget_inputs(recipient_org_id);
CREATE INDEX idx_budget_inputs_chapter ON budget_inputs(chapter, post);
CREATE INDEX idx_budget_input_saker_sak ON budget_input_saker(sak_id);
CREATE INDEX idx_budget_input_cosigners_org ON budget_input_cosigners(organisation_id);
CREATE INDEX idx_meetings_starts ON meetings(starts_at);
CREATE INDEX idx_meetings_kind ON meetings(kind, starts_at);
CREATE INDEX idx_meeting_people_person ON meeting_people(person_id);
CREATE INDEX idx_meeting_organisations_org ON meeting_organisations(organisation_id);
CREATE INDEX idx_agenda_items_meeting ON agenda_items(meeting_id, position);
CREATE INDEX idx_agenda_items_sak ON agenda_items(sak_id);
CREATE INDEX idx_agenda_items_hoering ON agenda_items(hoering_id);
CREATE INDEX idx_agenda_items_budget ON agenda_items(budget_input_id);
CREATE INDEX idx_tilsagn_status ON tilsagn(status);
CREATE INDEX idx_tilsagn_meeting ON tilsagn(meeting_id);
CREATE INDEX idx_tilsagn_sak ON tilsagn(sak_id);
CREATE INDEX idx_audit_record ON audit_log(table_name, record_id);
CREATE INDEX idx_audit_at ON audit_log(at);
CREATE INDEX idx_audit_actor ON audit_log(actor)
""",
    )


@migrations(name="0003_revision_counter")
def revision_counter(db: Database) -> None:
    # One number that grows with every change to any table, so cached reads can be
    # keyed by it and see writes made by other sessions or processes.
    _run(db, "CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) STRICT")
    db.execute("INSERT INTO meta (key, value) VALUES ('revision', 0)")
    for table in RECORD_TABLES + LINK_TABLES + ["themes", "settings"]:
        for event in ("INSERT", "UPDATE", "DELETE"):
            db.execute(
                f"CREATE TRIGGER trg_{table}_{event.lower()}_revision AFTER {event} ON {table} "
                "BEGIN UPDATE meta SET value = value + 1 WHERE key = 'revision'; END"
            )


@migrations(name="0200_tilsagn_followed_up_index")
def tilsagn_followed_up_index(db: Database) -> None:
    # A meeting page lists the earlier tilsagn taken up in it, and deleting a meeting checks this
    # foreign key: both look tilsagn up by the meeting where they were followed up.
    db.execute("CREATE INDEX idx_tilsagn_followed_up ON tilsagn(followed_up_meeting_id)")


@migrations(name="0300_budget_indexes")
def budget_indexes(db: Database) -> None:
    # The budget page filters on outcome; the deadlines list reads the inputs' hearing dates.
    _run(
        db,
        """
CREATE INDEX idx_budget_inputs_outcome ON budget_inputs(outcome, budget_year);
CREATE INDEX idx_budget_inputs_hearing_application ON budget_inputs(hearing_application_deadline);
CREATE INDEX idx_budget_inputs_hearing_on ON budget_inputs(hearing_on)
""",
    )


@migrations(name="0400_search_index")
def search_index(db: Database) -> None:
    # Full-text search (FTS5) over the public text of every kind of record, one index per table, kept in
    # sync by sqlite-utils' triggers. Internal notes are never indexed: viewers must not find records by
    # internal text. unicode61 with remove_diacritics 0: «å» must not be folded to «a» (lån/lan, får/far).
    columns = {
        "saker": ["title", "description", "easy_read", "stance"],
        "hoeringer": ["title", "our_ref", "result", "notes"],
        "budget_inputs": ["title", "ask", "chapter", "chapter_name", "post_name"],
        "meetings": ["title", "themes", "place", "minutes"],
        "agenda_items": ["title", "summary"],
        "tilsagn": ["text"],
        "organisations": ["name", "short_name"],
        "people": ["name"],
    }
    for table, indexed in columns.items():
        db[table].enable_fts(indexed, create_triggers=True, tokenize="unicode61 remove_diacritics 0")


@migrations(name="0500_internal_records")
def internal_records(db: Database) -> None:
    # A whole record can be marked internal: viewers never see it (see krem_advocacy/visibility.py).
    for table in RECORD_TABLES:
        db.execute(f"ALTER TABLE [{table}] ADD COLUMN is_internal INTEGER NOT NULL DEFAULT 0 "
                   "CHECK (is_internal IN (0, 1))")


@migrations(name="0600_feed_seen_revision")
def feed_seen_revision(db: Database) -> None:
    # The Data page reads feed_seen through the cache: raise the revision when it changes.
    for event in ("INSERT", "UPDATE", "DELETE"):
        db.execute(
            f"CREATE TRIGGER trg_feed_seen_{event.lower()}_revision AFTER {event} ON feed_seen "
            "BEGIN UPDATE meta SET value = value + 1 WHERE key = 'revision'; END"
        )


@migrations(name="0700_lookup_indexes")
def lookup_indexes(db: Database) -> None:
    # Ten busy years hold thousands of organisations, people and meetings: every foreign key a page
    # looks records up by (an organisation's innlegg, co-signed inputs, tilsagn and people), and that
    # deleting a record checks, needs an index, or each lookup reads the whole table.
    for table, column in (("budget_inputs", "lead_org_id"), ("agenda_items", "speaker_org_id"),
                          ("agenda_items", "speaker_person_id"), ("person_roles", "organisation_id"),
                          ("tilsagn", "responsible_org_id"), ("tilsagn", "responsible_person_id"),
                          ("tilsagn", "agenda_item_id"), ("organisations", "parent_id"),
                          ("meetings", "host_org_id"), ("meetings", "chair_person_id")):
        db.execute(f"CREATE INDEX IF NOT EXISTS idx_{table}_{column} ON [{table}]([{column}])")


@migrations(name="0510_calendar_tokens")
def calendar_tokens(db: Database) -> None:
    # Editors' private calendar addresses (krem_advocacy/store/calendar_tokens.py): only a SHA-256 hash of
    # each token is kept, so the table (or a backup of it) gives no working address away.
    _run(
        db,
        """
CREATE TABLE calendar_tokens (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    account TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT,
    revoked_by TEXT
) STRICT;
CREATE INDEX idx_calendar_tokens_account ON calendar_tokens(account, revoked_at)
""",
    )


@migrations(name="0511_login_attempt_client")
def login_attempt_client(db: Database) -> None:
    # The address a sign-in attempt came from, so guesses at many user names from one address slow down too.
    db.execute("ALTER TABLE login_attempts ADD COLUMN client TEXT")
    db.execute("CREATE INDEX idx_login_attempts_username ON login_attempts(username, at)")
    db.execute("CREATE INDEX idx_login_attempts_client ON login_attempts(client, at)")


@migrations(name="0512_audit_log_names")
def audit_log_names(db: Database) -> None:
    # Who has changed something and in which tables, without what changed: the change log's filters list
    # these names (each checked against the log as the reader may see it). A view, so a viewer's guarded
    # connection can read the names without reading main.audit_log itself (store/connection.guard).
    db.execute("CREATE VIEW audit_log_names AS SELECT actor, table_name FROM audit_log")


@migrations(name="1100_stortinget")
def stortinget(db: Database) -> None:
    # Where a høring is held: by a ministry or agency (regjeringen.no) or by a Storting committee
    # (komitéhøring), whose owner is then the committee. Storting hearings already taken in are
    # remembered by the Storting's hearing id, and each source's last read is kept for the Data page.
    venues = ("forvaltning", "stortinget")
    db.execute("ALTER TABLE hoeringer ADD COLUMN venue TEXT NOT NULL DEFAULT 'forvaltning' "
               + _check("venue", venues))
    _run(
        db,
        """
CREATE TABLE storting_taken (
    hearing_id INTEGER PRIMARY KEY,
    session TEXT,
    committee_id TEXT,
    title TEXT NOT NULL,
    taken_at TEXT NOT NULL,
    taken_by TEXT NOT NULL,
    hoering_id INTEGER REFERENCES hoeringer(id) ON DELETE SET NULL,
    budget_year_id INTEGER REFERENCES budget_years(id) ON DELETE SET NULL
) STRICT;
CREATE TABLE source_runs (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    ok INTEGER NOT NULL CHECK (ok IN (0, 1)),
    found INTEGER,
    tried TEXT NOT NULL,
    message TEXT
) STRICT;
CREATE INDEX idx_source_runs_source ON source_runs(source, at)
""",
    )
    for table in ("storting_taken", "source_runs"):
        for event in ("INSERT", "UPDATE", "DELETE"):
            db.execute(
                f"CREATE TRIGGER trg_{table}_{event.lower()}_revision AFTER {event} ON {table} "
                "BEGIN UPDATE meta SET value = value + 1 WHERE key = 'revision'; END"
            )


@migrations(name="0900_responsible_person")
def responsible_person(db: Database) -> None:
    # Who in the forum answers for a høring, a budget input, an innlegg or a tilsagn's follow-up (a tilsagn's
    # responsible_person_id is who in the government gave it): «Mitt ansvar», the list filters and the
    # reminders read it. A person removed from the directory leaves the record without one.
    for table, column in (("hoeringer", "responsible_person_id"), ("budget_inputs", "responsible_person_id"),
                          ("agenda_items", "responsible_person_id"), ("tilsagn", "follow_up_person_id")):
        db.execute(f"ALTER TABLE [{table}] ADD COLUMN [{column}] INTEGER REFERENCES people(id) ON DELETE SET NULL")
        db.execute(f"CREATE INDEX idx_{table}_{column} ON [{table}]([{column}])")


@migrations(name="0901_notifications")
def notifications(db: Database) -> None:
    # Which account is which person (set on Administrasjon; a `person` key in the secrets wins), who gets
    # the weekly digest and reminders, a key for signing unsubscribe links, and the sent log that makes a
    # run idempotent: a message counts as delivered only once its row says `sent` (docs/notifications.md).
    _run(db, """
CREATE TABLE account_people (
    account TEXT PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    set_by TEXT NOT NULL,
    set_at TEXT NOT NULL
) STRICT;
CREATE TABLE notification_subscriptions (
    person_id INTEGER PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,
    digest INTEGER NOT NULL DEFAULT 1 CHECK (digest IN (0, 1)),
    reminders INTEGER NOT NULL DEFAULT 1 CHECK (reminders IN (0, 1)),
    language TEXT NOT NULL DEFAULT 'nb' CHECK (language IN ('nb', 'en')),
    sees_internal INTEGER NOT NULL DEFAULT 0 CHECK (sees_internal IN (0, 1)),
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
) STRICT;
CREATE TABLE notification_keys (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    secret TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
CREATE TABLE notification_runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    mode TEXT NOT NULL CHECK (mode IN ('send', 'dry_run', 'test')),
    today TEXT NOT NULL,
    actor TEXT NOT NULL,
    sent INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,
    skipped INTEGER NOT NULL DEFAULT 0,
    error TEXT
) STRICT;
CREATE TABLE notification_log (
    id INTEGER PRIMARY KEY,
    run_id INTEGER REFERENCES notification_runs(id) ON DELETE SET NULL,
    message_key TEXT NOT NULL,
    person_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
    recipient TEXT,
    kind TEXT NOT NULL CHECK (kind IN ('digest', 'reminder', 'test')),
    record_table TEXT,
    record_id INTEGER,
    due_date TEXT,
    subject TEXT,
    at TEXT NOT NULL,
    result TEXT NOT NULL CHECK (result IN ('sent', 'failed', 'skipped')),
    reason TEXT
) STRICT;
CREATE UNIQUE INDEX idx_notification_log_sent ON notification_log(message_key) WHERE result = 'sent';
CREATE INDEX idx_notification_log_run ON notification_log(run_id);
CREATE INDEX idx_notification_log_at ON notification_log(at)
""")


@migrations(name="0800_hoering_their_ref")
def hoering_their_ref(db: Database) -> None:
    # «Vår ref.» held the authority's case number (regjeringen.no's YY/NNNN): that now has its own column,
    # «Deres ref. / saksnummer», and a value of that form moves there. Other values stay ours.
    db.execute("ALTER TABLE hoeringer ADD COLUMN their_ref TEXT")
    db.execute("""UPDATE hoeringer SET their_ref = trim(our_ref), our_ref = NULL
                   WHERE trim(our_ref) GLOB '[0-9][0-9]/[0-9]*'
                     AND (trim(our_ref) NOT GLOB '*[^0-9/-]*')""")


@migrations(name="0801_hoering_their_ref_search")
def hoering_their_ref_search(db: Database) -> None:
    # The moved case numbers stay findable: the høring index gains their_ref (rebuilt with its triggers).
    db["hoeringer"].disable_fts()
    db["hoeringer"].enable_fts(["title", "our_ref", "their_ref", "result", "notes"], create_triggers=True,
                               tokenize="unicode61 remove_diacritics 0")


# New migrations go above this line, in order; never edit one that has shipped.


def apply(db: Database, stop_before: str | None = None) -> list[str]:
    """Apply pending migrations; return the names that were applied."""
    pending = [m.name for m in migrations.pending(db)]
    if stop_before in pending:
        pending = pending[: pending.index(stop_before)]
    migrations.apply(db, stop_before=stop_before)
    return pending


@functools.lru_cache(maxsize=1)
def schema() -> dict[str, tuple[str, ...]]:
    """The columns of every table (search indexes included) in this version of the app, in order.

    Read from a fully migrated in-memory database, so it is what the migrations make, not a second list.
    """
    db = Database(sqlite3.connect(":memory:"))
    apply(db)
    names = [r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    columns = {name: tuple(row[1] for row in db.execute(f"PRAGMA table_info([{name}])")) for name in names}
    db.close()
    return columns


def all_names() -> list[str]:
    """Every migration's name, in order."""
    return [m.name for m in migrations._migrations]
