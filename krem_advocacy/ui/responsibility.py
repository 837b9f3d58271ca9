"""«Mitt ansvar»: what the signed-in editor answers for, and its short block on the home page."""

import streamlit as st

from krem_advocacy.domain import accounts, responsibility
from krem_advocacy.store.connection import opened
from krem_advocacy.text import formatting
from krem_advocacy.ui import auth, widgets
from krem_advocacy.ui.context import PageContext
from krem_advocacy.ui.data import read
from krem_advocacy.ui.links import page_link, record_link

SCRIPT = "pages/mitt_ansvar.py"
HOME_SHOWN = 3  # items in the home page block
BADGE = {True: ("red", ":material/error:"), False: ("orange", ":material/schedule:")}


def configured_person(ctx: PageContext) -> str | None:
    """The `person` key of the signed-in password account in the secrets (an id, a name or an address)."""
    kind, _, name = str(ctx.actor.account or "").partition(":")
    if kind == "password":
        for username, entry in auth.secrets_section("auth_users").items():
            if accounts.normalise_username(username) == name and isinstance(entry, dict):
                value = entry.get("person")
                return str(value) if value not in (None, "") else None
    if kind == "dev":
        return name  # the development editor is the person of that name, when there is one
    return None


def my_person(ctx: PageContext) -> int | None:
    """The person the signed-in account is (secrets, then the link on Administrasjon, then the e-mail address)."""
    if not ctx.actor.can_edit:
        return None
    # A plain connection: the link table is private (never on a viewer's connection), and this is an editor.
    with opened(ctx.db_path) as db:
        return responsibility.person_for_account(db, ctx.actor.account, ctx.actor.email, configured_person(ctx))


def show(ctx: PageContext) -> None:
    """The whole page: the person's open items, overdue first, each a link to its record."""
    st.title(ctx.t("mine.title"))
    if not ctx.actor.can_edit:
        st.info(ctx.t("mine.viewer"), icon=":material/lock:")
        return
    person_id = my_person(ctx)
    if person_id is None:
        st.warning(ctx.t("mine.no_person"), icon=":material/person_off:")
        return
    person = read(ctx, responsibility.person, person_id=person_id)
    st.caption(ctx.t("mine.for_person", name=person["name"]) + " · " + ctx.t("mine.intro"))
    items = read(ctx, responsibility.items_for, person_id=person_id, today=ctx.today)
    if items.empty:
        st.success(ctx.t("mine.empty"), icon=":material/check_circle:")
        return
    counts = read(ctx, responsibility.count_for, person_id=person_id, today=ctx.today)
    st.markdown(ctx.t("mine.summary", **counts))
    item_list(ctx, items)


def item_list(ctx: PageContext, items, limit: int | None = None) -> None:
    """Items as tappable rows: a badge with the days left, the date and kind of deadline, and the link."""
    for row in (items if limit is None else items.head(limit)).itertuples():
        with st.container(border=True, gap="small"):
            what = ctx.t(f"mine.item.{row.item_kind}")
            context = f" · {row.context}" if isinstance(row.context, str) and row.context else ""
            if isinstance(row.day, str):
                colour, icon = BADGE[bool(row.overdue)]
                relative = formatting.relative_days(int(row.days_left), ctx.lang)
                label = ctx.t("mine.overdue") + ": " + relative if row.overdue else relative
                st.markdown(f":{colour}-badge[{icon} {label}] **{formatting.format_date(row.day)}** · "
                            f"{widgets.plain(ctx.t('deadline.' + row.deadline_kind))} · {widgets.plain(what + context)}")
            else:
                st.markdown(f":gray-badge[{ctx.t('mine.undated')}] {widgets.plain(what + context)}")
            record_link(ctx, row.record_table, int(row.record_id), widgets.plain(_short(row.title)))


def _short(text, length: int = 120) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= length else text[: length - 1] + "…"


def home_block(ctx: PageContext) -> None:
    """The home page's short «Mitt ansvar» for a signed-in editor linked to a person (nothing otherwise)."""
    if not ctx.actor.can_edit:
        return
    person_id = my_person(ctx)
    if person_id is None:
        return
    st.subheader(ctx.t("mine.home_title"))
    items = read(ctx, responsibility.items_for, person_id=person_id, today=ctx.today)
    if items.empty:
        st.success(ctx.t("mine.empty"), icon=":material/check_circle:")
        return
    counts = read(ctx, responsibility.count_for, person_id=person_id, today=ctx.today)
    st.caption(ctx.t("mine.summary", **counts))
    item_list(ctx, items, limit=HOME_SHOWN)
    page_link(ctx, SCRIPT, ctx.t("mine.home_link"), icon=":material/assignment_ind:")
