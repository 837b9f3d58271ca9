"""Data: what the database holds, CSV downloads, the schema version and the latest changes."""

import streamlit as st

from krem_advocacy import formatting
from krem_advocacy.ui.data import read
from krem_advocacy.ui.page import setup

ctx = setup("data")
st.title(ctx.t("data.title"))
st.caption(ctx.t("data.intro"))

counts = read(ctx, "datasets.table_counts")
left, right = st.columns([3, 2], gap="large")
with left:
    st.subheader(ctx.t("data.counts"))
    shown = counts.assign(label=counts["table"].map(lambda name: ctx.t(f"data.table.{name}")))
    shown = shown[["label", "table", "rows"]]
    shown.columns = [ctx.t("data.col.label"), ctx.t("data.col.table"), ctx.t("data.col.rows")]
    st.dataframe(shown, hide_index=True, width="stretch")
    st.caption(ctx.t("data.file", path=ctx.db_path.name))
with right:
    st.subheader(ctx.t("data.download"))
    table = st.selectbox(ctx.t("data.download_pick"), list(counts["table"]), key="download_table",
                         format_func=lambda name: ctx.t(f"data.table.{name}"))
    frame = read(ctx, "datasets.export_table", table=table, include_internal=True)
    st.download_button(ctx.t("data.download_button", table=table), frame.to_csv(index=False).encode("utf-8-sig"),
                       file_name=f"{table}.csv", mime="text/csv", icon=":material/download:")
    if not ctx.actor.can_edit:
        st.caption(ctx.t("data.download_note"))
    st.subheader(ctx.t("data.about"))
    st.markdown(ctx.t("data.about_text"))

st.subheader(ctx.t("data.audit"))
audit = read(ctx, "datasets.recent_audit", limit=50)
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
    migrations = read(ctx, "datasets.applied_migrations")
    migrations["applied_at"] = migrations["applied_at"].map(
        lambda v: formatting.format_datetime(v[:16].replace(" ", "T")) if v else ctx.t("data.pending"))
    migrations.columns = [ctx.t("data.col.migration"), ctx.t("data.col.applied_at")]
    st.dataframe(migrations, hide_index=True, width="stretch")
