"""Accounts, password hashes and sign-in with a slowdown after repeated wrong passwords.

Nothing here knows Streamlit: the UI reads `st.secrets` and passes plain dicts in, so every rule is
testable with a database and an injected clock.

Password hashes look like `scrypt$16384$8$1$<salt>$<hash>` (base64), made by `hash_password` or
`python -m krem_advocacy hash-password`; `pbkdf2_sha256$<iterations>$<salt>$<hash>` is accepted too.
"""

import base64
import functools
import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlite_utils import Database

from krem_advocacy.store.connection import write_transaction
from krem_advocacy.store.errors import KremError
from krem_advocacy.store.permissions import Actor
from krem_advocacy.text.codes import ROLES

# scrypt cost: 16 MiB of memory and ~50 ms per try, the parameters Python's docs use as an example.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
_SCRYPT_MAXMEM = 64 * 1024 * 1024

# Slowdown: this many wrong passwords in the window are free; after that each one doubles the wait.
FREE_FAILURES = 3
FREE_FAILURES_PER_CLIENT = 10  # per address, for any user names (several people may share one address)
WINDOW = timedelta(minutes=15)
FIRST_WAIT = timedelta(seconds=30)
MAX_WAIT = timedelta(minutes=15)
KEEP_ATTEMPTS = timedelta(days=30)


class SignInRefused(KremError):
    """Sign-in refused: `reason` is "wrong" (name or password) or "throttled" (wait `wait_seconds`)."""

    def __init__(self, reason: str, wait_seconds: int = 0):
        self.reason = reason
        self.key = f"auth.{reason}"
        self.wait_seconds = wait_seconds
        super().__init__(reason if not wait_seconds else f"{reason}: wait {wait_seconds} s")


@dataclass(frozen=True)
class Account:
    """A person who may sign in with a password (from the `[auth_users]` secrets)."""

    username: str
    name: str
    role: str
    password_hash: str = field(repr=False)  # never in a repr, a log line or a traceback's locals
    email: str | None = None

    def actor(self) -> Actor:
        return Actor(self.name, self.role, email=self.email, account=password_account(self.username))


@dataclass(frozen=True)
class AccessSettings:
    """How the app is shared: `private` (sign-in needed even to read) and `storage` ("persistent" or "ephemeral")."""

    private: bool = False
    storage: str = "persistent"

    @property
    def ephemeral(self) -> bool:
        return self.storage == "ephemeral"


# ---- passwords ---------------------------------------------------------------------------------

def hash_password(password: str, salt: bytes | None = None) -> str:
    """A salted scrypt hash of `password`, safe to store in secrets."""
    if not password:
        raise ValueError("the password is empty")
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P,
                            maxmem=_SCRYPT_MAXMEM, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    """True when `password` matches the stored hash; False for a wrong password or a malformed hash."""
    try:
        scheme, *parts = stored.strip().split("$")
        if scheme == "scrypt":
            n, r, p, salt, expected = parts
            digest = hashlib.scrypt(password.encode("utf-8"), salt=_unb64(salt), n=int(n), r=int(r), p=int(p),
                                    maxmem=_SCRYPT_MAXMEM, dklen=len(_unb64(expected)))
        elif scheme == "pbkdf2_sha256":
            iterations, salt, expected = parts
            digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), _unb64(salt), int(iterations),
                                         dklen=len(_unb64(expected)))
        else:
            return False
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(digest, _unb64(expected))


def is_password_hash(value: str) -> bool:
    """True when `value` looks like a hash this module made (not a plain password pasted by mistake)."""
    parts = str(value).split("$")
    return (parts[0] == "scrypt" and len(parts) == 6) or (parts[0] == "pbkdf2_sha256" and len(parts) == 4)


@functools.lru_cache(maxsize=1)
def _dummy_hash() -> str:
    # Unknown user names are checked against this, so a wrong name takes as long as a wrong
    # password and does not reveal which names exist.
    return hash_password("krem-no-such-user", salt=b"\0" * 16)


# ---- configuration -----------------------------------------------------------------------------

def load_accounts(users: Mapping | None) -> tuple[dict[str, Account], list[str]]:
    """Accounts from the `[auth_users]` secrets table; returns (accounts by user name, problems).

    An entry with an unknown role or without a proper hash is left out and named in `problems`,
    so one typo in the secrets does not lock everyone out or let anyone in.
    """
    accounts, problems = {}, []
    for username, entry in (users or {}).items():
        key = normalise_username(username)
        entry = dict(entry) if isinstance(entry, Mapping) else {}
        role = str(entry.get("role", "editor")).strip().lower()
        password_hash = str(entry.get("password_hash", "")).strip()
        if role not in ROLES:
            problems.append(f"{username}: unknown role {role!r} (use viewer, editor or admin)")
        elif not is_password_hash(password_hash):
            problems.append(f"{username}: password_hash is missing or not made by hash-password")
        else:
            accounts[key] = Account(key, str(entry.get("name") or username).strip(), role, password_hash,
                                    (str(entry["email"]).strip().lower() if entry.get("email") else None))
    return accounts, problems


def access_settings(access: Mapping | None) -> AccessSettings:
    """The `[access]` secrets table as settings (missing keys take safe defaults)."""
    access = access or {}
    storage = str(access.get("storage", "persistent")).strip().lower()
    return AccessSettings(private=_truthy(access.get("private", False)),
                          storage="ephemeral" if storage == "ephemeral" else "persistent")


def role_for_email(email: str | None, email_roles: Mapping | None) -> str | None:
    """The role an e-mail address has in `[access.email_roles]`, or None when it is not listed.

    Keys are whole addresses (`kari@krem.no`) or a domain with a leading @ (`@krem.no`);
    a whole address wins over its domain.
    """
    if not email:
        return None
    email = email.strip().lower()
    roles = {str(k).strip().lower(): str(v).strip().lower() for k, v in (email_roles or {}).items()}
    role = roles.get(email) or roles.get("@" + email.rsplit("@", 1)[-1])
    return role if role in ROLES else None


def oidc_actor(user: Mapping, email_roles: Mapping | None, private: bool) -> Actor | None:
    """The actor for someone signed in through OpenID Connect (`st.user`), or None if not let in.

    Listed addresses get their role; others read as viewers, or are refused when the app is private.
    """
    email = user.get("email")
    if email and user.get("email_verified") is False:
        email = None  # an unverified address must not unlock a role
    role = role_for_email(email, email_roles)
    if role is None:
        if private:
            return None
        role = "viewer"
    name = str(user.get("name") or email or "?")
    return Actor(name, role, email=email, account=email_account(email) if email else None)


# ---- accounts named for later checks (Actor.account) ------------------------------------------------

def password_account(username: str) -> str:
    """How a password account is named in `Actor.account` and the calendar tokens: `password:<user name>`."""
    return f"password:{normalise_username(username)}"


def email_account(email: str) -> str:
    """How an OpenID Connect account is named: `email:<address>` (its role comes from `[access.email_roles]`)."""
    return f"email:{email.strip().lower()}"


def dev_account(name: str) -> str:
    """How the KREM_DEV_EDITOR account is named: `dev:<name>`."""
    return f"dev:{name}"


def role_now(account: str | None, accounts: Mapping[str, Account], email_roles: Mapping | None,
             dev_editor: str | None) -> str | None:
    """The role `account` (an `Actor.account`) has under today's configuration, or None if it has none.

    A password account has the role its `[auth_users]` entry gives (None once removed); an e-mail
    address the role `[access.email_roles]` gives it (None when unlisted); the development editor
    "editor" while KREM_DEV_EDITOR still names it.
    """
    kind, _, name = str(account or "").partition(":")
    if not name:
        return None
    if kind == "password":
        found = accounts.get(normalise_username(name))
        return found.role if found else None
    if kind == "email":
        return role_for_email(name, email_roles)
    if kind == "dev":
        return "editor" if dev_editor and dev_editor == name else None
    return None


# ---- signing in --------------------------------------------------------------------------------

def normalise_username(username: str) -> str:
    """User names are compared without case and surrounding spaces."""
    return str(username or "").strip().lower()


def wait_needed(db: Database, username: str, now: datetime | None = None, client: str | None = None) -> int:
    """Seconds this user name (and this client address, when given) must wait before the next try (0 = now).

    Per user name: wrong passwords in the last WINDOW since the last success count; after FREE_FAILURES
    of them the wait after the latest one is FIRST_WAIT, doubling with each further failure. Per address:
    the same with FREE_FAILURES_PER_CLIENT, counting wrong passwords for any user name (a success does
    not clear them, or one's own account would reset the count for guesses at others).
    """
    now = _utc(now)
    since = (now - WINDOW).isoformat(timespec="seconds")
    rows = db.execute(
        "SELECT at, success FROM login_attempts WHERE username = ? AND at >= ? ORDER BY at DESC, id DESC",
        [normalise_username(username), since]).fetchall()
    failures = []
    for at, success in rows:
        if success:
            break
        failures.append(at)
    wait = _wait(failures, FREE_FAILURES, now)
    if client:
        from_client = [r[0] for r in db.execute(
            "SELECT at FROM login_attempts WHERE client = ? AND at >= ? AND success = 0 ORDER BY at DESC, id DESC",
            [client, since])]
        wait = max(wait, _wait(from_client, FREE_FAILURES_PER_CLIENT, now))
    return wait


def _wait(failures: list[str], free: int, now: datetime) -> int:
    # `failures`: the times of the wrong passwords that count, newest first.
    if len(failures) < free:
        return 0
    wait = min(FIRST_WAIT * 2 ** (len(failures) - free), MAX_WAIT)
    remaining = datetime.fromisoformat(failures[0]) + wait - now
    return max(0, int(remaining.total_seconds() + 0.999))


def sign_in(db: Database, accounts: Mapping[str, Account], username: str, password: str,
            now: datetime | None = None, client: str | None = None) -> Account:
    """Check a user name and password; return the account, or raise SignInRefused.

    The wait is checked and the attempt recorded (as a failure) in one `BEGIN IMMEDIATE` transaction,
    before the password hash is computed: parallel attempts take turns there, so forty at once count
    as forty in a row. While a wait is required the password is not even checked (so guessing cannot
    go faster). A right password then marks its attempt as a success. `client` is the address the
    attempt came from (None when unknown): guesses from one address slow down across user names too.
    """
    now = _utc(now)
    key = normalise_username(username)
    client = (str(client).strip() or None) if client else None
    at = now.isoformat(timespec="seconds")
    with write_transaction(db):
        wait = wait_needed(db, key, now, client)
        if wait:
            raise SignInRefused("throttled", wait)
        attempt = db.execute("INSERT INTO login_attempts (username, at, success, client) VALUES (?, ?, 0, ?)",
                             [key, at, client]).lastrowid
        db.execute("DELETE FROM login_attempts WHERE at < ?",
                   [(now - KEEP_ATTEMPTS).isoformat(timespec="seconds")])
    account = accounts.get(key)
    ok = verify_password(password or "", account.password_hash if account else _dummy_hash()) and account is not None
    if not ok:
        raise SignInRefused("wrong", wait_needed(db, key, now, client))
    with write_transaction(db):
        db.execute("UPDATE login_attempts SET success = 1 WHERE id = ?", [attempt])
    return account


def _utc(now: datetime | None) -> datetime:
    now = now or datetime.now(UTC)
    return now if now.tzinfo else now.replace(tzinfo=UTC)


def _truthy(value) -> bool:
    return value is True or str(value).strip().lower() in ("1", "true", "yes", "ja", "on")


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)
