"""The Data page's spreadsheet import: upload, column mapping, a preview of every row, commit all or nothing."""

import hashlib

import pandas as pd
import streamlit as st

from krem_advocacy.exchange import exporter, importer
from krem_advocacy.store.connection import opened
from krem_advocacy.ui import forms
from krem_advocacy.ui.context import PageContext
from krem_advocacy.ui.exports import counted, number
from krem_advocacy.ui.widgets import plain

LARGE_FILE_ROWS = 200  # from this size on, checking and importing show a progress bar
TABLE_ROWS = 50  # up to this many bad rows are listed in a table that wraps text
STATUS_ICONS = {"new": "✓", "update": "↻", "unchanged": "=", "error": "✗"}


# ---------------------------------------------------------------- import section


@st.cache_data(show_spinner=False, max_entries=8)
def _read(data: bytes, filename: str, kind: str, sheet: str | None) -> importer.Table:
    return importer.read_table(data, filename, kind, sheet)


def import_section(ctx: PageContext) -> None:
    """Upload → map columns → preview every row → commit all or nothing."""
    st.caption(ctx.t("data.import.intro"))
    kind = st.selectbox(ctx.t("data.import.kind"), list(importer.KINDS), key="import_kind",
                        format_func=lambda k: ctx.t(f"data.kind.{k}"))
    _template_help(ctx, kind)
    upload = st.file_uploader(ctx.t("data.import.file"), type=["xlsx", "xlsm", "csv", "tsv", "txt"],
                              key="import_file", help=ctx.t("data.import.file_help"))
    _last_result(ctx, upload)
    if upload is None:
        return
    data = upload.getvalue()
    try:
        table = _read(data, upload.name, kind, None)
        if len(table.sheets) > 1:
            sheet = st.selectbox(ctx.t("data.import.sheet"), table.sheets, index=table.sheets.index(table.sheet),
                                 key=f"import_sheet_{_digest(data)}")
            table = _read(data, upload.name, kind, sheet)
    except importer.NotATableError as error:
        st.error(ctx.t(error.key, name=upload.name), icon=":material/block:")
        return
    mapping = _mapping_editor(ctx, kind, table)
    missing = importer.missing_required(kind, mapping)
    if missing:
        labels = importer.field_labels(kind, ctx.lang)
        st.warning(ctx.t("data.import.missing", fields=", ".join(labels[m] for m in missing)),
                   icon=":material/rule:")
    _not_imported(ctx, mapping)
    if missing:
        return
    with opened(ctx.db_path) as db:
        preview = _with_progress(ctx, len(table.rows), "data.import.checking",
                                 lambda progress: importer.check(db, kind, table, mapping, progress))
    _show_preview(ctx, kind, table, preview, upload.name, upload.file_id)


def _digest(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()[:10]


def _template_help(ctx: PageContext, kind: str) -> None:
    with st.expander(ctx.t("data.import.columns_title")):
        labels = importer.field_labels(kind, ctx.lang)
        lines = [f"- **{plain(labels[f.name])}**" + (f" ({ctx.t('data.import.required')})" if f.required else "")
                 + (f": {ctx.t('data.import.type.' + importer.hint(f))}" if importer.hint(f) not in ("text", "title") else "")
                 for f in importer.fields_of(kind)]
        st.markdown("\n".join(lines))
        st.caption(ctx.t("data.import.columns_note"))
        st.download_button(ctx.t("data.import.template"),
                           lambda: exporter.to_excel(importer.template(kind, ctx.lang), ctx.t(f"data.kind.{kind}")),
                           file_name=f"krem-mal-{kind}.xlsx", mime=exporter.EXCEL_MIME, on_click="ignore",
                           icon=":material/download:", key=f"template_{kind}")


def _mapping_editor(ctx: PageContext, kind: str, table: importer.Table) -> dict[str, str | None]:
    guessed = importer.guess_mapping(kind, table.columns)
    labels = importer.field_labels(kind, ctx.lang)
    required = {f.name for f in importer.fields_of(kind) if f.required}
    options = [None, *labels]
    keys = {column: f"import_map_{kind}_{index}_{column}" for index, column in enumerate(table.columns)}
    # The choices made so far (widget state), else the guesses: the title counts what will be imported.
    known = sum(1 for c in table.columns if st.session_state.get(keys[c], guessed[c]))
    title = ctx.t("data.import.mapping", known=known, total=len(table.columns))
    open_it = bool(importer.missing_required(kind, guessed)) or known < len(table.columns)
    mapping = {}
    with st.expander(title, expanded=open_it, icon=":material/view_column:"):
        st.caption(ctx.t("data.import.mapping_help"))
        grid = st.columns(3)
        for index, column in enumerate(table.columns):
            sample = next((v for v in (row[index] for row in table.rows[:50]) if v not in (None, "")), "")
            choice = grid[index % 3].selectbox(
                column, options, index=options.index(guessed[column]),
                key=keys[column],
                format_func=lambda f: ctx.t("data.import.ignore") if f is None
                else labels[f] + (" *" if f in required else ""),
                help=ctx.t("data.import.sample", value=importer._shown(sample)) if sample != "" else None)
            mapping[column] = choice
    used = [v for v in mapping.values() if v]
    if len(used) != len(set(used)):
        doubled = sorted({labels[v] for v in used if used.count(v) > 1})
        st.warning(ctx.t("data.import.mapped_twice", fields=", ".join(doubled)), icon=":material/warning:")
        # Keep the first column for a field chosen twice.
        seen: set[str] = set()
        for column, target in mapping.items():
            if target in seen:
                mapping[column] = None
            elif target:
                seen.add(target)
    return mapping


def _not_imported(ctx: PageContext, mapping: dict[str, str | None]) -> None:
    # Every column the import leaves out is named, so no value in the file disappears unseen.
    left_out = importer.not_imported(mapping)
    if left_out:
        key = "data.import.not_imported_one" if len(left_out) == 1 else "data.import.not_imported"
        st.warning(ctx.t(key, columns=", ".join(f"«{plain(c)}»" for c in left_out)), icon=":material/visibility_off:")


def _with_progress(ctx: PageContext, rows: int, text_key: str, work):
    if rows < LARGE_FILE_ROWS:
        return work(None)
    bar = st.progress(0.0, text=ctx.t(text_key, n=rows))
    try:
        return work(lambda fraction: bar.progress(min(max(fraction, 0.0), 1.0), text=ctx.t(text_key, n=rows)))
    finally:
        bar.empty()


def _show_preview(ctx: PageContext, kind: str, table: importer.Table, preview: importer.Preview,
                  filename: str, upload_id: str) -> None:
    counts = preview.counts()
    row = st.container(horizontal=True, gap="large")  # wraps two by two on a phone instead of stacking four
    for key, n in zip(("total", "new", "duplicates", "error"),
                      (counts["total"], counts["new"], counts["update"] + counts["unchanged"], counts["error"])):
        row.metric(ctx.t(f"data.import.count.{key}"), number(n), width=140)
    if preview.bad_rows:
        st.error(counted(ctx, "data.import.bad_rows", counts["error"]), icon=":material/error:")
        errors = preview.errors_frame(ctx.lang)
        errors.columns = [ctx.t(f"data.import.col.{c}") for c in errors.columns]
        if len(errors) <= TABLE_ROWS:
            st.table(errors, hide_index=True)  # wraps long reasons, also on a phone
        else:
            st.dataframe(errors, hide_index=True, width="stretch", key="import_errors",
                         column_config={errors.columns[2]: st.column_config.TextColumn(width="large")})
    on_duplicate = "skip"
    if counts["update"] or counts["unchanged"]:
        on_duplicate = _duplicates(ctx, kind, preview)
    with st.expander(ctx.t("data.import.preview", n=number(counts["total"]))):
        st.dataframe(_preview_frame(ctx, kind, table, preview), hide_index=True, width="stretch")
    if preview.bad_rows:
        return
    to_write = counts["new"] + (counts["update"] if on_duplicate == "update" else 0)
    if not to_write:
        st.info(ctx.t("data.import.nothing"), icon=":material/check_circle:")
        return
    if st.button(counted(ctx, "data.import.commit", to_write), type="primary", icon=":material/upload:",
                 key="import_commit"):
        _commit(ctx, kind, table, preview, on_duplicate, filename, upload_id)


def _duplicates(ctx: PageContext, kind: str, preview: importer.Preview) -> str:
    counts = preview.counts()
    st.warning(counted(ctx, "data.import.duplicates", counts["update"] + counts["unchanged"],
                       changed=counts["update"]), icon=":material/content_copy:")
    choice = "skip"
    if counts["update"]:
        choice = st.radio(ctx.t("data.import.on_duplicate"), ["skip", "update"], horizontal=True,
                          key="import_on_duplicate",
                          format_func=lambda c: ctx.t(f"data.import.on_duplicate.{c}", n=counts["update"]))
    title = importer.TITLE_FIELD[kind]
    labels = importer.field_labels(kind, ctx.lang)
    rows = [(r.line, importer._shown(r.raw.get(title)), ctx.t(f"data.import.status.{r.status}"),
             ", ".join(labels.get(k, k) for k in r.changes)) for r in preview.duplicates]
    frame = pd.DataFrame(rows, columns=[ctx.t(f"data.import.col.{c}") for c in ("line", "title", "status", "changes")])
    with st.expander(ctx.t("data.import.duplicates_list")):
        st.dataframe(frame, hide_index=True, width="stretch")
    return choice


def _preview_frame(ctx: PageContext, kind: str, table: importer.Table, preview: importer.Preview) -> pd.DataFrame:
    labels = importer.field_labels(kind, ctx.lang)
    shown = pd.DataFrame({
        ctx.t("data.import.col.line"): [r.line for r in preview.rows],
        ctx.t("data.import.col.status"): [f"{STATUS_ICONS[r.status]} {ctx.t('data.import.status.' + r.status)}"
                                          for r in preview.rows],
    })
    for target in preview.mapping.values():
        if target:
            shown[labels[target]] = [importer._shown(r.raw.get(target)) for r in preview.rows]
    return shown


def _commit(ctx: PageContext, kind: str, table: importer.Table, preview: importer.Preview, on_duplicate: str,
            filename: str, upload_id: str) -> None:
    source = ctx.t("data.import.source", name=filename)

    def write(db):
        return _with_progress(ctx, len(table.rows), "data.import.writing",
                              lambda progress: importer.import_rows(db, ctx.actor, kind, table, preview.mapping,
                                                                    on_duplicate, source, progress))

    result = forms.save(ctx, write, importer.field_labels(kind, ctx.lang), success_key="data.import.saved")
    if result is not None:
        st.session_state["import_result"] = (upload_id, kind, filename, result.created, result.updated,
                                             result.skipped)
        st.rerun()


def _last_result(ctx: PageContext, upload) -> None:
    # The outcome of the last import, until another file is uploaded.
    if "import_result" not in st.session_state:
        return
    upload_id, kind, filename, created, updated, skipped = st.session_state["import_result"]
    if upload is not None and upload.file_id != upload_id:
        del st.session_state["import_result"]
        return
    st.success(ctx.t("data.import.done", name=filename, kind=ctx.t(f"data.kind.{kind}").lower(),
                     created=number(created), updated=number(updated), skipped=number(skipped)),
               icon=":material/check_circle:")
