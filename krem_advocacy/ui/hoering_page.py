"""On one høring: read its regjeringen.no page on request and show what changed (frist, status, ref., named)."""

import streamlit as st

from krem_advocacy.exchange import hoering_page
from krem_advocacy.store.errors import ConflictError, ValidationError
from krem_advocacy.text import formatting
from krem_advocacy.ui import forms
from krem_advocacy.ui.context import PageContext
from krem_advocacy.ui.widgets import plain

RESULT_KEY = "hoering_page_result"  # (høring id, outcome or error message), shown after the rerun


def _shown(ctx: PageContext, field: str, value) -> str:
    if value is None or value == "":
        return "–"
    if field == "deadline":
        return formatting.format_date(value)
    if field == "official_status":
        return ctx.label("hoering_official_status", value)
    if field == "named_instance":
        return ctx.t("common.yes" if value else "common.no")
    return str(value)


def panel(ctx: PageContext, record: dict) -> None:
    """The button (for a høring with a regjeringen.no address) and what the last reading found."""
    if not hoering_page.allowed(record.get("url")):
        return
    hoering_id = record["id"]
    if st.button(ctx.t("hoering_page.fetch"), icon=":material/travel_explore:", help=ctx.t("hoering_page.help"),
                 key=f"hoering_page_fetch_{hoering_id}"):
        with st.spinner(ctx.t("hoering_page.fetching")):
            st.session_state[RESULT_KEY] = (hoering_id, _read(ctx, record))
        st.rerun()
    result = st.session_state.get(RESULT_KEY)
    if not result or result[0] != hoering_id:
        return
    outcome = result[1]
    if isinstance(outcome, str):
        st.error(outcome, icon=":material/cloud_off:")
        return
    if isinstance(outcome, ConflictError):
        forms.show_conflict(ctx, outcome, {})
        return
    if outcome.changes:
        labels = {"deadline": ctx.t("hoeringer.field.deadline"), "official_status": ctx.t("hoeringer.field.official_status"),
                  "their_ref": ctx.t("hoeringer.field.their_ref"), "named_instance": ctx.t("hoeringer.field.named_instance")}
        lines = [ctx.t("hoering_page.change_line", field=labels.get(f, f), before=_shown(ctx, f, before),
                       after=_shown(ctx, f, after)) for f, (before, after) in outcome.changes.items()]
        st.success(ctx.t("hoering_page.changed") + "\n\n" + "\n".join(f"- {plain(line)}" for line in lines),
                   icon=":material/sync:")
    else:
        st.info(ctx.t("hoering_page.unchanged"), icon=":material/done_all:")
    if outcome.members:
        st.caption(ctx.t("hoering_page.members", names=plain(", ".join(outcome.members))))
    else:
        st.caption(ctx.t("hoering_page.no_members", n=outcome.instances))


def _read(ctx: PageContext, record: dict):
    # What happened, as something the next run can show: the outcome, a conflict, or the message.
    try:
        with ctx.store.writing() as db:
            outcome = hoering_page.refresh(db, ctx.actor, record["id"], record["version"])
    except hoering_page.PageError as error:
        return ctx.t(error.key, url=error.url or record.get("url") or "", detail=error.detail)
    except ConflictError as error:
        return error
    except ValidationError as error:
        return ctx.t("form.invalid") + " " + "; ".join(f"{k}: {ctx.t(v)}" for k, v in error.errors.items())
    except Exception as error:  # whatever it was, the editor must know nothing was saved
        return ctx.t("form.failed", reason=str(error))
    ctx.revision = ctx.store.revision()
    return outcome
