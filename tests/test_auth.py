"""Accounts and sign-in: salted hashes, roles from secrets, a slowdown after repeated wrong passwords."""

from datetime import UTC, datetime, timedelta

import pytest

from krem_advocacy.domain import accounts as auth
from krem_advocacy.domain.accounts import SignInRefused

NOW = datetime(2026, 3, 2, 12, 0, 0, tzinfo=UTC)
KARI_HASH = auth.hash_password("riktig hest batteri")
USERS = {
    "kari": {"name": "Kari Nordmann", "role": "editor", "password_hash": KARI_HASH},
    "ada": {"name": "Ada", "role": "admin", "password_hash": auth.hash_password("admin-passord"),
            "email": "Ada@Krem.no"},
}


@pytest.fixture
def accounts():
    found, problems = auth.load_accounts(USERS)
    assert problems == []
    return found


def test_hash_is_salted_scrypt_and_verifies():
    first, second = auth.hash_password("hemmelig"), auth.hash_password("hemmelig")
    assert first.startswith("scrypt$16384$8$1$")
    assert first != second  # a new salt each time
    assert "hemmelig" not in first
    assert auth.verify_password("hemmelig", first)
    assert not auth.verify_password("Hemmelig", first)
    assert not auth.verify_password("hemmelig", "hemmelig")  # a plain password pasted as hash
    assert not auth.verify_password("hemmelig", "scrypt$bad")


def test_pbkdf2_hashes_are_accepted_too():
    import base64
    import hashlib

    salt = b"0123456789abcdef"
    digest = hashlib.pbkdf2_hmac("sha256", b"passord", salt, 600_000)
    stored = f"pbkdf2_sha256$600000${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"
    assert auth.verify_password("passord", stored)
    assert not auth.verify_password("Passord", stored)


def test_accounts_from_secrets_skip_bad_entries_and_say_why():
    found, problems = auth.load_accounts({
        **USERS,
        "Ole": {"name": "Ole", "role": "superuser", "password_hash": KARI_HASH},
        "per": {"name": "Per", "role": "editor", "password_hash": "hunter2"},
    })
    assert sorted(found) == ["ada", "kari"]
    assert found["kari"].actor().name == "Kari Nordmann"
    assert found["kari"].actor().role == "editor"
    assert found["ada"].email == "ada@krem.no"
    assert problems == ["Ole: unknown role 'superuser' (use viewer, editor or admin)",
                        "per: password_hash is missing or not made by hash-password"]


def test_right_password_signs_in_and_is_recorded(db, accounts):
    account = auth.sign_in(db, accounts, "  Kari ", "riktig hest batteri", now=NOW)
    assert (account.name, account.role) == ("Kari Nordmann", "editor")
    assert db.execute("SELECT username, at, success FROM login_attempts").fetchall() == [
        ("kari", "2026-03-02T12:00:00+00:00", 1)]


def test_wrong_password_and_unknown_name_are_refused_alike(db, accounts):
    with pytest.raises(SignInRefused) as wrong:
        auth.sign_in(db, accounts, "kari", "feil", now=NOW)
    with pytest.raises(SignInRefused) as unknown:
        auth.sign_in(db, accounts, "nobody", "riktig hest batteri", now=NOW)
    assert (wrong.value.reason, unknown.value.reason) == ("wrong", "wrong")
    assert db.execute("SELECT username, success FROM login_attempts ORDER BY id").fetchall() == [
        ("kari", 0), ("nobody", 0)]


def test_repeated_wrong_passwords_are_slowed_down_with_a_growing_wait(db, accounts):
    for minute in range(3):
        with pytest.raises(SignInRefused) as refused:
            auth.sign_in(db, accounts, "kari", "feil", now=NOW + timedelta(minutes=minute))
    assert refused.value.wait_seconds == 30  # the third failure starts the slowdown
    later = NOW + timedelta(minutes=2, seconds=10)
    # Even the right password is not checked while a wait is required.
    with pytest.raises(SignInRefused) as throttled:
        auth.sign_in(db, accounts, "kari", "riktig hest batteri", now=later)
    assert (throttled.value.reason, throttled.value.wait_seconds) == ("throttled", 20)
    assert db.execute("SELECT COUNT(*) FROM login_attempts").fetchone()[0] == 3
    # After the wait another wrong try doubles it.
    with pytest.raises(SignInRefused) as fourth:
        auth.sign_in(db, accounts, "kari", "feil", now=NOW + timedelta(minutes=3))
    assert fourth.value.wait_seconds == 60
    assert auth.wait_needed(db, "kari", NOW + timedelta(minutes=3, seconds=59)) == 1
    assert auth.wait_needed(db, "kari", NOW + timedelta(minutes=4)) == 0
    # Then the right password works and clears the slate.
    auth.sign_in(db, accounts, "kari", "riktig hest batteri", now=NOW + timedelta(minutes=4))
    assert auth.wait_needed(db, "KARI", NOW + timedelta(minutes=4)) == 0


def test_the_slowdown_is_per_user_name_and_forgotten_after_the_window(db, accounts):
    for second in range(3):
        with pytest.raises(SignInRefused):
            auth.sign_in(db, accounts, "kari", "feil", now=NOW + timedelta(seconds=second))
    assert auth.wait_needed(db, "kari", NOW + timedelta(seconds=5)) == 27
    assert auth.wait_needed(db, "ada", NOW + timedelta(seconds=5)) == 0
    assert auth.wait_needed(db, "kari", NOW + timedelta(minutes=16)) == 0


def test_the_wait_never_exceeds_fifteen_minutes(db, accounts):
    for n in range(12):
        db.execute("INSERT INTO login_attempts (username, at, success) VALUES ('kari', ?, 0)",
                   [(NOW + timedelta(seconds=n)).isoformat(timespec="seconds")])
    assert auth.wait_needed(db, "kari", NOW + timedelta(seconds=11)) == 15 * 60


def test_email_roles_for_openid_connect():
    roles = {"kari@krem.no": "editor", "@batteriet.no": "viewer", "ada@batteriet.no": "admin"}
    assert auth.role_for_email("Kari@KREM.no", roles) == "editor"
    assert auth.role_for_email("ola@batteriet.no", roles) == "viewer"
    assert auth.role_for_email("ada@batteriet.no", roles) == "admin"
    assert auth.role_for_email("x@gmail.com", roles) is None
    kari = auth.oidc_actor({"name": "Kari", "email": "kari@krem.no", "email_verified": True}, roles, private=False)
    assert (kari.name, kari.role) == ("Kari", "editor")
    stranger = {"name": "Stranger", "email": "x@gmail.com"}
    assert auth.oidc_actor(stranger, roles, private=False).role == "viewer"
    assert auth.oidc_actor(stranger, roles, private=True) is None
    unverified = {"name": "Fake", "email": "kari@krem.no", "email_verified": False}
    assert auth.oidc_actor(unverified, roles, private=False).role == "viewer"


def test_access_settings_defaults_are_public_and_persistent():
    assert auth.access_settings(None) == auth.AccessSettings(private=False, storage="persistent")
    settings = auth.access_settings({"private": True, "storage": "ephemeral"})
    assert settings.private and settings.ephemeral
    assert auth.access_settings({"private": "false"}).private is False
