"""Editors' private calendar addresses: a secret token per account, stored only as a hash, revocable.

`/calendar.ics?token=<token>` gives the full calendar (internal records too) while the token is not
revoked and its account is still an editor (the route asks; see web/calendar.py). The token is shown once,
when it is made; the table keeps its SHA-256 hash, so the table, a backup or an export of it gives no
working address away. An account has at most one working token: a new one revokes the old.

Accounts are named as `Actor.account` names them: `password:<user name>`, `email:<address>` (signed in
with Microsoft or Google) or `dev:<name>` (KREM_DEV_EDITOR).
"""

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlite_utils import Database

from krem_advocacy.store.connection import read_one, read_rows, write_transaction
from krem_advocacy.store.errors import PermissionDenied
from krem_advocacy.store.permissions import ADMINISTER, EDIT, Actor, require

TOKEN_BYTES = 32  # 256 random bits: a hash without salt or stretching is enough, nothing can be guessed
# `last_used_at` is written at most this often (a subscribed calendar fetches every hour or so).
TOUCH_EVERY = timedelta(hours=1)
SHOWN = "id, account, name, created_at, last_used_at"  # never the hash

ACTIVE_SQL = f"SELECT {SHOWN} FROM calendar_tokens WHERE account = ? AND revoked_at IS NULL ORDER BY id DESC"
LISTING_SQL = f"SELECT {SHOWN} FROM calendar_tokens WHERE revoked_at IS NULL ORDER BY name COLLATE NOCASE, id"
FIND_SQL = f"SELECT {SHOWN} FROM calendar_tokens WHERE token_hash = ? AND revoked_at IS NULL"


def hash_token(token: str) -> str:
    """The SHA-256 hash (hex) under which a token is stored and looked up."""
    return hashlib.sha256(str(token).encode("utf-8")).hexdigest()


def create(db: Database, actor: Actor, now: datetime | None = None) -> str:
    """A new private calendar token for this editor's account (its old one is revoked); returns the token.

    The token is returned once and never stored: only its hash is. Refused (PermissionDenied) for
    anyone who may not edit, and for an actor without an account to check the role of later.
    """
    require(actor, EDIT)
    if not actor.account:
        raise PermissionDenied(f"{actor.name} has no account to tie a calendar address to")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    stamp = _stamp(now)
    with write_transaction(db):
        db.execute("UPDATE calendar_tokens SET revoked_at = ?, revoked_by = ? WHERE account = ? AND revoked_at IS NULL",
                   [stamp, actor.name, actor.account])
        db.execute("INSERT INTO calendar_tokens (token_hash, account, name, created_at) VALUES (?, ?, ?, ?)",
                   [hash_token(token), actor.account, actor.name, stamp])
    return token


def active(db: Database, account: str | None) -> dict | None:
    """The working token of an account ({id, account, name, created_at, last_used_at}), or None."""
    if not account:
        return None
    return read_one(db, ACTIVE_SQL, [account])


def listing(db: Database, actor: Actor) -> list[dict]:
    """Every working token, by name (for administrators; never the hashes)."""
    require(actor, ADMINISTER)
    return read_rows(db, LISTING_SQL)


def revoke(db: Database, actor: Actor, token_id: int, now: datetime | None = None) -> bool:
    """Revoke a token: its owner or an administrator may. Returns False when it was not working anyway."""
    row = db.execute("SELECT account FROM calendar_tokens WHERE id = ?", [int(token_id)]).fetchone()
    if row is None:
        return False
    if not (actor.is_admin or (actor.account and actor.account == row[0] and actor.can_edit)):
        raise PermissionDenied(f"{actor.name} may not revoke another person's calendar address")
    with write_transaction(db):
        changed = db.execute("UPDATE calendar_tokens SET revoked_at = ?, revoked_by = ? "
                             "WHERE id = ? AND revoked_at IS NULL", [_stamp(now), actor.name, int(token_id)]).rowcount
    return bool(changed)


def find(db: Database, token: str, now: datetime | None = None) -> dict | None:
    """The working token row for a token from an address ({id, account, name, …}), or None.

    Notes when it was last used (at most once per TOUCH_EVERY), so administrators see which addresses live.
    """
    if not token:
        return None
    row = read_one(db, FIND_SQL, [hash_token(token)])
    if row is None:
        return None
    stamp = _stamp(now)
    cutoff = (datetime.fromisoformat(stamp) - TOUCH_EVERY).isoformat(timespec="seconds")
    if not row["last_used_at"] or row["last_used_at"] < cutoff:
        with write_transaction(db):
            db.execute("UPDATE calendar_tokens SET last_used_at = ? WHERE id = ?", [stamp, row["id"]])
        row["last_used_at"] = stamp
    return row


def _stamp(now: datetime | None) -> str:
    now = now or datetime.now(UTC)
    return (now if now.tzinfo else now.replace(tzinfo=UTC)).isoformat(timespec="seconds")
