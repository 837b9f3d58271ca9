"""Signing in and out (password or OpenID Connect), the private-mode gate, and the warning on forgetful hosts.

Secrets are read here (`st.secrets`) and passed as plain dicts to `krem_advocacy.auth`:
`[auth_users.<name>]` password accounts, `[access]` settings with `[access.email_roles]`, and
Streamlit's own `[auth]` section for `st.login`. The signed-in actor lives in `st.session_state["actor"]`.
"""

import importlib.util
from collections.abc import Mapping

import streamlit as st

from krem_advocacy import config
from krem_advocacy.domain import accounts as auth
from krem_advocacy.store.connection import opened
from krem_advocacy.ui.context import PageContext

ADMIN_PAGE = "pages/administrasjon.py"
PROVIDER_NAMES = {"microsoft": "Microsoft", "google": "Google"}


def secrets_section(name: str) -> dict:
    """One table of the secrets as a plain dict ({} when there are no secrets at all)."""
    try:
        value = st.secrets.get(name)
    except Exception:  # no secrets file: Streamlit raises instead of returning nothing
        return {}
    return _plain(value) if isinstance(value, Mapping) else {}


def access_settings() -> auth.AccessSettings:
    """`[access]`: private mode and the kind of storage."""
    return auth.access_settings(secrets_section("access"))


def password_accounts() -> tuple[dict[str, auth.Account], list[str]]:
    """`[auth_users]`: the password accounts, and problems found in them."""
    return auth.load_accounts(secrets_section("auth_users"))


def oidc_providers() -> list[str | None]:
    """The `st.login` providers configured in `[auth]` (None = the single unnamed provider)."""
    section = secrets_section("auth")
    if not section:
        return []
    named = [key for key, value in section.items() if isinstance(value, dict)]
    return named or ([None] if section.get("client_id") else [])


def account_role(account: str | None) -> str | None:
    """The role an account (`Actor.account`) has in today's secrets, or None (removed, or never listed).

    Read afresh on every call, so a changed secrets file counts at once; serve.py hands this to the
    calendar route, which works without Streamlit.
    """
    return auth.role_now(account, password_accounts()[0], secrets_section("access").get("email_roles"),
                         config.dev_editor())


def signed_in() -> bool:
    """True when someone signed in during this session (password or OpenID Connect)."""
    return st.session_state.get("actor") is not None


def account_box(ctx: PageContext) -> None:
    """The sidebar's account part: who is signed in and a sign-out button, or the sign-in form."""
    refused = _adopt_oidc_user()
    if refused:
        _refused(ctx, refused, "sidebar")
    settings = access_settings()
    role = ctx.label("role", ctx.actor.role)
    if signed_in() or ctx.actor.can_edit:
        st.caption(ctx.t("app.signed_in_as", name=ctx.actor.name, role=role))
        if signed_in() and st.button(ctx.t("auth.sign_out"), key="auth_sign_out", icon=":material/logout:"):
            _sign_out()
        return  # the storage warning follows (ui/replication.storage_notice)
    st.caption(ctx.t("app.read_only"))
    if not settings.private:  # in private mode the form is on the page itself
        with st.expander(ctx.t("auth.sign_in"), icon=":material/login:", key="auth_expander"):
            st.caption(ctx.t("auth.sign_in_help"))
            sign_in_form(ctx, "sidebar")


def require_access(ctx: PageContext) -> None:
    """In private mode, show only the sign-in form until someone signs in (stops the page)."""
    if not access_settings().private or signed_in() or ctx.actor.can_edit:
        return
    st.title(ctx.t("auth.private_title"))
    st.info(ctx.t("auth.private_text"), icon=":material/lock:")
    with st.container(border=True, width=420):
        st.caption(ctx.t("auth.sign_in_private_help"))
        refused = _adopt_oidc_user()
        if refused:
            _refused(ctx, refused, "main")
        else:
            sign_in_form(ctx, "main")
    st.stop()


def sign_in_form(ctx: PageContext, place: str) -> None:
    """User name and password, and a button per OpenID Connect provider when configured."""
    accounts, _ = password_accounts()
    providers = oidc_providers()
    if accounts:
        with st.form(f"auth_form_{place}", border=False, enter_to_submit=True):
            username = st.text_input(ctx.t("auth.username"), key=f"auth_username_{place}", autocomplete="username")
            password = st.text_input(ctx.t("auth.password"), key=f"auth_password_{place}", type="password",
                                     autocomplete="current-password")
            submitted = st.form_submit_button(ctx.t("auth.submit"), type="primary", icon=":material/login:")
        if submitted:
            _attempt(ctx, accounts, username, password)
    for provider in providers:
        label = PROVIDER_NAMES.get(str(provider).lower(), provider) if provider else ctx.t("auth.oidc_default")
        if not importlib.util.find_spec("authlib"):
            st.caption(ctx.t("auth.oidc_missing"))
            break
        st.button(ctx.t("auth.oidc_button", provider=label), key=f"auth_oidc_{place}_{provider}",
                  on_click=st.login, args=(provider,) if provider else (), icon=":material/key:")
    if not accounts and not providers:
        st.caption(ctx.t("auth.no_accounts"))


def format_wait(ctx: PageContext, seconds: int) -> str:
    """«30 sekunder», «2 minutter»."""
    if seconds < 60:
        return ctx.t("auth.one_second") if seconds == 1 else ctx.t("auth.seconds", n=seconds)
    minutes = (seconds + 59) // 60
    return ctx.t("auth.one_minute") if minutes == 1 else ctx.t("auth.minutes", n=minutes)


def _attempt(ctx: PageContext, accounts: dict, username: str, password: str) -> None:
    if not (username or "").strip() or not password:
        st.error(ctx.t("auth.missing"), icon=":material/error:")
        return
    try:
        with opened(ctx.db_path) as db:
            account = auth.sign_in(db, accounts, username, password, client=_client_address())
    except auth.SignInRefused as refused:
        if refused.reason == "throttled":
            st.error(ctx.t("auth.throttled", wait=format_wait(ctx, refused.wait_seconds)), icon=":material/timer:")
        else:
            st.error(ctx.t("auth.wrong"), icon=":material/error:")
            if refused.wait_seconds:
                st.warning(ctx.t("auth.wait_next", wait=format_wait(ctx, refused.wait_seconds)),
                           icon=":material/timer:")
        return
    st.session_state["actor"] = account.actor()
    st.rerun()


def _client_address() -> str | None:
    # The address of the browser's connection (None on localhost or without a browser), so guesses from one
    # address at many user names slow down too. Behind a proxy it is the proxy's; see docs/security.md.
    try:
        return st.context.ip_address
    except Exception:  # no browser behind this run (AppTest)
        return None


def _sign_out() -> None:
    # No cache to empty: cached reads are keyed by whether the reader may see internal records, so what
    # an editor read is never served to the viewer this session becomes.
    st.session_state.pop("actor", None)
    if oidc_providers() and _oidc_logged_in():
        st.logout()
    st.rerun()


def _adopt_oidc_user() -> str | None:
    # Someone who came back from the identity provider gets the role their e-mail maps to.
    # Returns the address when it may not come in (private app, address not listed).
    if signed_in() or not oidc_providers() or not _oidc_logged_in():
        return None
    settings = access_settings()
    actor = auth.oidc_actor(st.user.to_dict(), secrets_section("access").get("email_roles"), settings.private)
    if actor is None:
        return str(st.user.get("email") or "?")
    st.session_state["actor"] = actor
    st.rerun()


def _refused(ctx: PageContext, email: str, place: str) -> None:
    st.error(ctx.t("auth.oidc_refused", email=email), icon=":material/block:")
    st.button(ctx.t("auth.sign_out"), key=f"auth_oidc_sign_out_{place}", on_click=st.logout, icon=":material/logout:")


def _oidc_logged_in() -> bool:
    try:
        return bool(st.user.is_logged_in)
    except Exception:  # no [auth] section or no Authlib: nobody is signed in that way
        return False


def _plain(value):
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value
