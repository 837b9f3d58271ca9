"""The Data page: what the database holds and its latest changes; import, export and the regjeringen.no feed."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from krem_advocacy.domain import datasets, sources
from krem_advocacy.text import formatting
from krem_advocacy.ui import audit as audit_ui
from krem_advocacy.ui import exports, feed, imports
from krem_advocacy.ui.context import PageContext
from krem_advocacy.ui.data import read

COUNT_CAP = audit_ui.COUNT_CAP  # tables past this say «mer enn 10 000»


def show(ctx: PageContext) -> None:
    """The page: the contents tab for everyone, import and feed for editors, and the exports."""
    st.title(ctx.t("data.title"))
    st.caption(ctx.t("data.intro"))
    tab_names = ["data.tab.contents", "data.tab.export"]
    if ctx.actor.can_edit:
        tab_names[1:1] = ["data.tab.import", "data.tab.feed"]
    tabs = dict(zip(tab_names, st.tabs([ctx.t(name) for name in tab_names])))
    with tabs["data.tab.contents"]:
        _contents(ctx)
    if ctx.actor.can_edit:
        with tabs["data.tab.import"]:
            imports.import_section(ctx)
        with tabs["data.tab.feed"]:
            feed.feed_section(ctx)
    with tabs["data.tab.export"]:
        exports.export_section(ctx)


def _contents(ctx: PageContext) -> None:
    # Rows per table, what the data is, the latest changes and the migrations applied.
    counts = read(ctx, datasets.table_counts, cap=COUNT_CAP)
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.subheader(ctx.t("data.counts"))
        shown = counts.assign(label=counts["table"].map(lambda name: exports.table_label(ctx, name)),
                              rows=counts["rows"].map(lambda n: audit_ui.count_text(ctx, n)))
        shown = shown[["label", "table", "rows"]]
        shown.columns = [ctx.t("data.col.label"), ctx.t("data.col.table"), ctx.t("data.col.rows")]
        st.dataframe(shown, hide_index=True, width="stretch")
        st.caption(ctx.t("data.file", path=ctx.db_path.name))
    with right:
        st.subheader(ctx.t("data.about"))
        st.markdown(ctx.t("data.about_text"))
        if not ctx.actor.can_edit:
            st.info(ctx.t("data.editors_only"), icon=":material/lock:")

    _sources(ctx)

    st.subheader(ctx.t("data.audit"))
    audit = read(ctx, datasets.recent_audit, limit=50)
    if audit.empty:
        st.info(ctx.t("data.audit_empty"))
    else:
        audit = audit.assign(at=audit["at"].map(formatting.format_datetime),
                             action=audit["action"].map(lambda c: ctx.label("audit_action", c)),
                             record=audit["table_name"] + " " + audit["record_id"].map(
                                 lambda v: "" if v != v or v is None else str(int(v))))
        audit = audit[["at", "actor", "action", "record"]]
        audit.columns = [ctx.t(f"data.col.{c}") for c in audit.columns]
        st.dataframe(audit, hide_index=True, width="stretch")

    with st.expander(ctx.t("data.migrations")):
        migrations = read(ctx, datasets.applied_migrations)
        migrations["applied_at"] = migrations["applied_at"].map(
            lambda v: formatting.format_datetime(v[:16].replace(" ", "T")) if v else ctx.t("data.pending"))
        migrations.columns = [ctx.t("data.col.migration"), ctx.t("data.col.applied_at")]
        st.dataframe(migrations, hide_index=True, width="stretch")


def _sources(ctx: PageContext) -> None:
    # The last read of each outside source: when, by whom, whether it worked, what was asked.
    st.subheader(ctx.t("sources.title"))
    runs = read(ctx, sources.last_runs)
    if runs.empty:
        st.caption(ctx.t("sources.empty"))
        return

    def when(value) -> str:
        return formatting.format_datetime(_local_minute(value)) if isinstance(value, str) and value else "–"

    shown = {
        ctx.t("sources.col.source"): runs["source"].map(lambda s: ctx.t(f"sources.name.{s}")),
        ctx.t("sources.col.at"): runs["at"].map(when),
        ctx.t("sources.col.ok"): runs["ok"].map(lambda ok: ctx.t("sources.ok" if ok else "sources.failed")),
        ctx.t("sources.col.found"): runs["found"].map(lambda n: "" if n != n or n is None else str(int(n))),
        ctx.t("sources.col.last_ok"): runs["last_ok_at"].map(when),
        ctx.t("sources.col.message"): runs["message"].fillna(""),
    }
    if ctx.actor.can_edit:  # the addresses asked, for whoever has to find out why a source failed
        shown[ctx.t("sources.col.tried")] = runs["tried"]
    st.dataframe(pd.DataFrame(shown), hide_index=True, width="stretch")


def _local_minute(stamp: str) -> str:
    # Stored in UTC; read in Norwegian time, to the minute.
    return datetime.fromisoformat(stamp).astimezone(ZoneInfo("Europe/Oslo")).strftime("%Y-%m-%dT%H:%M")
