"""«Frist passert uten svar – arkivere?»: stale høringer offered once each, with one-click actions and undo."""

import streamlit as st

from krem_advocacy.domain import deadlines, hoeringer
from krem_advocacy.text import formatting
from krem_advocacy.ui import forms, widgets
from krem_advocacy.ui.context import PageContext
from krem_advocacy.ui.data import read
from krem_advocacy.ui.links import record_link

UNDO_KEY = "hoering_stale_undo"  # the last action: (høring id, title, action, values before)
ACTIONS = ("archive", "svarer_ikke", "closed")


def panel(ctx: PageContext) -> None:
    """The stale høringer (deadlines.stale_hoeringer) with their actions for editors; nothing when none."""
    _undo_bar(ctx)
    stale = read(ctx, deadlines.stale_hoeringer, today=ctx.today)
    if stale.empty:
        return
    days = read(ctx, deadlines.stale_days)
    with st.container(key="hoering_stale", border=True):
        st.markdown(f"#### :orange[:material/inventory_2:] {ctx.t('hoeringer.stale.title')} · {len(stale)}")
        st.caption(ctx.t("hoeringer.stale.caption", days=days))
        for row in stale.itertuples():
            with st.container(border=True, gap="small"):
                who = f" · {widgets.plain(row.department)}" if widgets.present(row.department) else ""
                st.markdown(f":red-badge[:material/error: {formatting.relative_days(row.days_left, ctx.lang)}] "
                            f"**{formatting.format_date(row.deadline)}** · {ctx.t('deadline.hoering_frist')}{who}")
                record_link(ctx, "hoeringer", int(row.id), widgets.plain(row.title), icon=":material/gavel:")
                if ctx.actor.can_edit:
                    with st.container(horizontal=True, gap="small", wrap=True):
                        for action in ACTIONS:
                            st.button(ctx.t(f"hoeringer.stale.{action}"), key=f"stale_{action}_{row.id}",
                                      on_click=_act, args=(ctx, int(row.id), row.title, action))


def setting(ctx: PageContext) -> None:
    """A popover where editors set after how many days past the frist a høring is offered for archiving."""
    current = read(ctx, deadlines.stale_days)
    with st.popover(ctx.t("hoeringer.stale.button", days=current), icon=":material/inventory_2:"):
        st.markdown(ctx.t("hoeringer.stale.intro"))
        days = st.number_input(ctx.t("hoeringer.stale.label"), min_value=1, max_value=deadlines.MAX_STALE_DAYS,
                               value=current, step=1, key="hoering_stale_days")
        if st.button(ctx.t("form.save"), key="hoering_stale_save", icon=":material/save:"):
            saved = forms.save(ctx, lambda db: deadlines.set_stale_days(db, ctx.actor, days),
                               {"stale_days": ctx.t("hoeringer.stale.label")})
            if saved is not None:
                forms.FormSession(ctx, "hoering_stale", extra=("hoering_stale_days",)).done("hoeringer.stale.saved")


def _act(ctx: PageContext, hoering_id: int, title: str, action: str) -> None:
    record = read(ctx, hoeringer.get_hoering, hoering_id=hoering_id, include_internal=True)
    if record is None:
        return
    before = {"our_status": record["our_status"], "official_status": record["official_status"]}

    def write(db):
        if action == "archive":
            return hoeringer.archive_hoering(db, ctx.actor, hoering_id, record["version"])
        values = {"our_status": "svarer_ikke"} if action == "svarer_ikke" else {
            "official_status": deadlines.SUGGESTED_CLOSED_STATUS}
        return hoeringer.update_hoering(db, ctx.actor, hoering_id, values, record["version"], ctx.today)

    if forms.save(ctx, write) is not None:
        st.session_state[UNDO_KEY] = (hoering_id, title, action, before)


def _undo(ctx: PageContext) -> None:
    hoering_id, _title, action, before = st.session_state.pop(UNDO_KEY)
    record = read(ctx, hoeringer.get_hoering, hoering_id=hoering_id, include_internal=True)
    if record is None:
        return

    def write(db):
        if action == "archive":
            return hoeringer.restore_hoering(db, ctx.actor, hoering_id, record["version"])
        return hoeringer.update_hoering(db, ctx.actor, hoering_id, before, record["version"], ctx.today)

    forms.save(ctx, write, success_key="hoeringer.stale.undone")


def _undo_bar(ctx: PageContext) -> None:
    done = st.session_state.get(UNDO_KEY)
    if not done or not ctx.actor.can_edit:
        return
    _id, title, action, _before = done
    with st.container(horizontal=True, gap="small", vertical_alignment="center", key="hoering_stale_done"):
        st.success(ctx.t(f"hoeringer.stale.done_{action}", title=widgets.plain(title)), icon=":material/check_circle:")
        st.button(ctx.t("hoeringer.stale.undo"), key="hoering_stale_undo_button", icon=":material/undo:",
                  on_click=_undo, args=(ctx,))
