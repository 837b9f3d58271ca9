"""The notification tables: account↔person links, subscriptions, the signing key, runs and the sent log.

The sent log is what makes `notify --send` idempotent: a message counts as delivered once a row with its
key says `sent` (a unique partial index keeps it to one), and only then. Failed and skipped attempts are
logged too, so Administrasjon can show what went wrong; the next run tries them again.
"""

import secrets as _secrets

from sqlite_utils import Database

from krem_advocacy.store.connection import read_one, read_rows, write_transaction
from krem_advocacy.store.permissions import ADMINISTER, EDIT, Actor, require
from krem_advocacy.store.records import audit, now_iso

SUBSCRIPTION_COLUMNS = ("digest", "reminders", "language", "sees_internal")


# ---------------------------------------------------------------- which account is which person

def person_of_account(db: Database, account: str | None) -> int | None:
    """The person linked to an account on Administrasjon, or None."""
    if not account:
        return None
    row = db.execute("SELECT person_id FROM account_people WHERE account = ?", [account]).fetchone()
    return row[0] if row else None


def account_links(db: Database) -> list[dict]:
    """Every account↔person link, with the person's name, by account."""
    return read_rows(db, """
        SELECT a.account, a.person_id, p.name AS person, p.email, a.set_by, a.set_at
          FROM account_people a JOIN people p ON p.id = a.person_id ORDER BY a.account""")


def link_account(db: Database, actor: Actor, account: str, person_id: int | None) -> None:
    """Link an account to a person (None removes the link); administrators only, audited."""
    require(actor, ADMINISTER)
    account = str(account or "").strip()
    if not account:
        raise ValueError("account is empty")
    with write_transaction(db):
        before = person_of_account(db, account)
        if person_id is None:
            db.execute("DELETE FROM account_people WHERE account = ?", [account])
        else:
            db.execute("INSERT INTO account_people (account, person_id, set_by, set_at) VALUES (?, ?, ?, ?) "
                       "ON CONFLICT(account) DO UPDATE SET person_id = excluded.person_id, "
                       "set_by = excluded.set_by, set_at = excluded.set_at",
                       [account, int(person_id), actor.name, now_iso()])
        if before != person_id:
            audit(db, actor, "update", "account_people", None, {account: before}, {account: person_id})


# ---------------------------------------------------------------- subscriptions

def subscriptions(db: Database) -> list[dict]:
    """Every subscription with the person's name and address, by name."""
    return read_rows(db, """
        SELECT s.person_id, p.name, p.email, s.digest, s.reminders, s.language, s.sees_internal,
               s.updated_at, s.updated_by
          FROM notification_subscriptions s JOIN people p ON p.id = s.person_id
         ORDER BY p.name COLLATE NOCASE, p.id""")


def subscription(db: Database, person_id: int) -> dict | None:
    """One person's subscription, or None."""
    return read_one(db, "SELECT * FROM notification_subscriptions WHERE person_id = ?", [person_id])


def subscribe(db: Database, actor: Actor, person_id: int, digest: bool = True, reminders: bool = True,
              language: str = "nb", sees_internal: bool = False) -> None:
    """Save a person's subscription (editors; audited). `sees_internal`: the person edits, so internal
    records may be mailed to them."""
    require(actor, EDIT)
    values = {"digest": int(bool(digest)), "reminders": int(bool(reminders)),
              "language": language if language in ("nb", "en") else "nb", "sees_internal": int(bool(sees_internal))}
    with write_transaction(db):
        before = subscription(db, person_id)
        db.execute("""INSERT INTO notification_subscriptions
                      (person_id, digest, reminders, language, sees_internal, updated_at, updated_by)
                      VALUES (:person_id, :digest, :reminders, :language, :sees_internal, :at, :by)
                      ON CONFLICT(person_id) DO UPDATE SET digest = excluded.digest, reminders = excluded.reminders,
                      language = excluded.language, sees_internal = excluded.sees_internal,
                      updated_at = excluded.updated_at, updated_by = excluded.updated_by""",
                   {**values, "person_id": int(person_id), "at": now_iso(), "by": actor.name})
        old = {k: before[k] for k in SUBSCRIPTION_COLUMNS} if before else None
        if old != values:
            audit(db, actor, "update", "notification_subscriptions", int(person_id), old, values)


def unsubscribe(db: Database, person_id: int, what: str) -> bool:
    """Turn off the digest, the reminders or both (`what`: digest, reminders, all) from a signed link.

    No actor: the signed token is the permission. Audited as the person. True when something changed.
    """
    columns = {"digest": ("digest",), "reminders": ("reminders",), "all": ("digest", "reminders")}[what]
    with write_transaction(db):
        before = subscription(db, person_id)
        if before is None or not any(before[c] for c in columns):
            return False
        db.execute(f"UPDATE notification_subscriptions SET {', '.join(f'{c} = 0' for c in columns)}, "
                   "updated_at = ?, updated_by = ? WHERE person_id = ?", [now_iso(), "unsubscribe link", person_id])
        audit(db, Actor("unsubscribe link", "viewer"), "update", "notification_subscriptions", person_id,
              {c: before[c] for c in columns}, {c: 0 for c in columns})
    return True


# ---------------------------------------------------------------- the key that signs unsubscribe links

def signing_key(db: Database) -> bytes:
    """The secret that signs unsubscribe links, made once (256 random bits) and kept in the file."""
    row = db.execute("SELECT secret FROM notification_keys WHERE id = 1").fetchone()
    if row:
        return row[0].encode()
    with write_transaction(db):
        db.execute("INSERT OR IGNORE INTO notification_keys (id, secret, created_at) VALUES (1, ?, ?)",
                   [_secrets.token_urlsafe(32), now_iso()])
        return db.execute("SELECT secret FROM notification_keys WHERE id = 1").fetchone()[0].encode()


# ---------------------------------------------------------------- runs and the sent log

def start_run(db: Database, mode: str, today: str, actor: str) -> int:
    """Record the start of a run; returns its id."""
    with write_transaction(db):
        return db.execute("INSERT INTO notification_runs (started_at, mode, today, actor) VALUES (?, ?, ?, ?)",
                          [now_iso(), mode, today, actor]).lastrowid


def finish_run(db: Database, run_id: int, sent: int, failed: int, skipped: int, error: str | None = None) -> None:
    """Record how a run ended."""
    with write_transaction(db):
        db.execute("UPDATE notification_runs SET finished_at = ?, sent = ?, failed = ?, skipped = ?, error = ? "
                   "WHERE id = ?", [now_iso(), sent, failed, skipped, error, run_id])


def already_sent(db: Database, keys: list[str]) -> set[str]:
    """The message keys among `keys` that the log says were delivered."""
    if not keys:
        return set()
    found = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start:start + 500]
        found |= {r[0] for r in db.execute(
            f"SELECT message_key FROM notification_log WHERE result = 'sent' AND message_key IN "
            f"({', '.join('?' * len(chunk))})", chunk)}
    return found


def log(db: Database, run_id: int | None, entry: dict, result: str, reason: str | None = None) -> None:
    """Log one message: `entry` holds message_key, person_id, recipient, kind, record_table, record_id,
    due_date, subject. A `sent` row is written at most once per key (the unique index)."""
    with write_transaction(db):
        db.execute("""INSERT INTO notification_log (run_id, message_key, person_id, recipient, kind, record_table,
                      record_id, due_date, subject, at, result, reason)
                      VALUES (:run_id, :message_key, :person_id, :recipient, :kind, :record_table, :record_id,
                      :due_date, :subject, :at, :result, :reason)""",
                   {"record_table": None, "record_id": None, "due_date": None, "person_id": None, "recipient": None,
                    "subject": None, **entry, "run_id": run_id, "at": now_iso(), "result": result, "reason": reason})


def recent_runs(db: Database, limit: int = 10) -> list[dict]:
    """The latest runs, newest first."""
    return read_rows(db, "SELECT * FROM notification_runs ORDER BY id DESC LIMIT ?", [limit])


def recent_log(db: Database, limit: int = 50, result: str | None = None) -> list[dict]:
    """The latest sent-log rows (of one result, when given), newest first, with the person's name."""
    return read_rows(db, """
        SELECT l.*, p.name AS person FROM notification_log l LEFT JOIN people p ON p.id = l.person_id
         WHERE (:result IS NULL OR l.result = :result) ORDER BY l.id DESC LIMIT :limit""",
                     {"result": result, "limit": limit})
