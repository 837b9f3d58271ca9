"""The Data page's import, export and feed sections, and the export buttons under every list."""

import hashlib
from urllib.parse import urlsplit

import pandas as pd
import streamlit as st

from krem_advocacy.exchange import exporter, hoering_feed, importer
from krem_advocacy.text import formatting, i18n
from krem_advocacy.store.connection import opened
from krem_advocacy.ui import forms
from krem_advocacy.ui.page import PAGE_SCRIPTS, RECORD_PAGES, PageContext, record_link, record_url
from krem_advocacy.ui.widgets import plain

CSV_MIME = "text/csv"
JSON_MIME = "application/json"
SQLITE_MIME = "application/vnd.sqlite3"
LARGE_FILE_ROWS = 200  # from this size on, checking and importing show a progress bar
TABLE_ROWS = 50  # up to this many bad rows are listed in a table that wraps text
STATUS_ICONS = {"new": "✓", "update": "↻", "unchanged": "=", "error": "✗"}


def counted(ctx: PageContext, key: str, n: int, **values) -> str:
    """A text with a count: the `<key>_one` variant for exactly one («1 rad», not «1 rader»)."""
    singular = f"{key}_one"
    chosen = singular if n == 1 and singular in i18n.CATALOGUE["nb"] else key
    return ctx.t(chosen, n=_number(n), **values)


def _number(n: int) -> str:
    return formatting.format_amount(n, unit="")


def table_label(ctx: PageContext, table: str) -> str:
    """A table's name for people (its technical name when no label exists, e.g. a newer table)."""
    key = f"data.table.{table}"
    return ctx.t(key) if key in i18n.CATALOGUE["nb"] else table


# ---------------------------------------------------------------- export buttons under lists


def _base_url(ctx: PageContext) -> str | None:
    # The app's address as the browser sees it (proxies and sub-paths included), for links in files.
    try:
        url = st.context.url
    except Exception:
        return None
    if not url:
        return None
    parts = urlsplit(url)
    path = parts.path
    slug = PAGE_SCRIPTS.get(ctx.page, "app.py").rsplit("/", 1)[-1].removesuffix(".py")
    if path.rstrip("/").endswith("/" + slug):
        path = path.rstrip("/")[: -len(slug)]
    return f"{parts.scheme}://{parts.netloc}{path.rstrip('/')}/"


def list_export_buttons(ctx: PageContext, frame, display, key: str, name: str | None = None,
                        total: int | None = None) -> None:
    """CSV and Excel of the list as shown (same rows and columns), with a link to each record.

    `frame` is the list's rows, or a function that reads them (every row, however many are on screen);
    `display` the list as shown, or a function that makes it from the rows; `total` how many rows there
    are. The files are made when a button is clicked, not on every run of the page.
    """
    table = next((t for t, page in RECORD_PAGES.items() if page == ctx.page), None)
    base = _base_url(ctx)
    actor, lang, title = ctx.actor, ctx.lang, ctx.t(f"nav.{ctx.page}")
    link_column = ctx.t("data.export.link_column")

    def shown() -> pd.DataFrame:
        records = frame() if callable(frame) else frame
        listed = display(records) if callable(display) else display
        rows = exporter._visible(table or name or ctx.page, listed.reset_index(drop=True), actor)
        if table and base and "id" in records.columns and len(records) == len(rows):
            links = [base + record_url(table, int(i), lang) for i in records["id"]]
            rows = rows.assign(**{link_column: links})
        return rows

    stem = f"krem-{name or ctx.page}-{exporter.file_stamp(ctx.today)}"
    help_text = ctx.t("data.export.list_help", n=total if total is not None else len(frame))
    row = st.container(horizontal=True, gap="medium")
    row.download_button(ctx.t("data.export.csv"), lambda: exporter.to_csv(shown()), file_name=f"{stem}.csv",
                        mime=CSV_MIME, icon=":material/download:", on_click="ignore", key=f"{key}_csv",
                        type="tertiary", help=help_text)
    row.download_button(ctx.t("data.export.excel"), lambda: exporter.to_excel(shown(), title),
                        file_name=f"{stem}.xlsx", mime=exporter.EXCEL_MIME, icon=":material/table_view:",
                        on_click="ignore", key=f"{key}_xlsx", type="tertiary", help=help_text)


# ---------------------------------------------------------------- export section


def export_section(ctx: PageContext) -> None:
    """Download one table (CSV, Excel) or the whole database (SQLite, JSON), as the role may see it."""
    with opened(ctx.db_path) as db:
        tables = [t for t in exporter.exportable_tables(db, ctx.actor) if not t.startswith("_")]
    st.subheader(ctx.t("data.export.table_title"))
    table = st.selectbox(ctx.t("data.download_pick"), tables, key="download_table",
                         format_func=lambda name: table_label(ctx, name))
    stem = f"krem-{table}-{exporter.file_stamp(ctx.today)}"
    path, actor = ctx.db_path, ctx.actor

    def frame():
        with opened(path) as db:
            return exporter.table_frame(db, table, actor)

    cols = st.columns(2)
    cols[0].download_button(ctx.t("data.download_button", table=table), lambda: exporter.to_csv(frame()),
                            file_name=f"{stem}.csv", mime=CSV_MIME, icon=":material/download:",
                            on_click="ignore", key="download_csv", width="stretch")
    cols[1].download_button(ctx.t("data.export.excel_button", table=table),
                            lambda: exporter.to_excel(frame(), table), file_name=f"{stem}.xlsx",
                            mime=exporter.EXCEL_MIME, icon=":material/table_view:", on_click="ignore",
                            key="download_xlsx", width="stretch")
    st.subheader(ctx.t("data.export.all_title"))
    st.caption(ctx.t("data.export.all_intro"))
    stamp = exporter.file_stamp(ctx.today)

    def dump():
        with opened(path) as db:
            return exporter.json_dump(db, actor)

    cols = st.columns(2)
    cols[0].download_button(ctx.t("data.export.sqlite"), lambda: exporter.sqlite_copy(path, actor),
                            file_name=f"krem-{stamp}.db", mime=SQLITE_MIME, icon=":material/database:",
                            on_click="ignore", key="download_sqlite", width="stretch")
    cols[1].download_button(ctx.t("data.export.json"), dump, file_name=f"krem-{stamp}.json", mime=JSON_MIME,
                            icon=":material/data_object:", on_click="ignore", key="download_json",
                            width="stretch")
    st.caption(ctx.t("data.export.editor_note" if ctx.actor.can_edit else "data.download_note"))


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
                 + (f": {ctx.t('data.import.type.' + f.type)}" if f.type not in ("text", "title") else "")
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
        row.metric(ctx.t(f"data.import.count.{key}"), _number(n), width=140)
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
    with st.expander(ctx.t("data.import.preview", n=_number(counts["total"]))):
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
    for column, target in preview.mapping.items():
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
                     created=_number(created), updated=_number(updated), skipped=_number(skipped)),
               icon=":material/check_circle:")


# ---------------------------------------------------------------- feed section


def feed_section(ctx: PageContext) -> None:
    """New consultations from regjeringen.no: fetch, pick, add; remember what was seen."""
    with opened(ctx.db_path) as db:
        url = hoering_feed.feed_url(db)
        checked = hoering_feed.last_checked(db)
    st.caption(ctx.t("data.feed.intro"))
    line = ctx.t("data.feed.address", url=url)
    if checked:
        line += " · " + ctx.t("data.feed.last_checked", when=formatting.format_datetime(_local(checked)))
    st.caption(line)
    if st.button(ctx.t("data.feed.fetch"), icon=":material/rss_feed:", key="feed_fetch", type="primary"):
        _fetch(ctx, url)
    if "feed_error" in st.session_state:
        st.error(st.session_state["feed_error"], icon=":material/cloud_off:")
    if "feed_items" in st.session_state:
        _pick(ctx, st.session_state["feed_items"])
    if "feed_added" in st.session_state:
        ids, titles = st.session_state["feed_added"]
        st.success(counted(ctx, "data.feed.added", len(ids)), icon=":material/check_circle:")
        for record_id, title in zip(ids, titles):
            record_link(ctx, "hoeringer", record_id, plain(title), icon=":material/gavel:")
    _seen_list(ctx)
    _settings(ctx, url)


def _local(stamp: str) -> str:
    # Stored in UTC; shown in Norwegian time, to the minute.
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime.fromisoformat(stamp).astimezone(ZoneInfo("Europe/Oslo")).strftime("%Y-%m-%dT%H:%M")


def _fetch(ctx: PageContext, url: str) -> None:
    st.session_state.pop("feed_error", None)
    st.session_state.pop("feed_added", None)
    try:
        with st.spinner(ctx.t("data.feed.fetching")):
            items = hoering_feed.load(url)
    except hoering_feed.FeedError as error:
        st.session_state.pop("feed_items", None)
        st.session_state["feed_error"] = ctx.t(error.key, url=url, detail=error.detail)
        return
    with opened(ctx.db_path) as db:
        hoering_feed.note_checked(db, ctx.actor)
    st.session_state["feed_items"] = items


def _item_key(item: hoering_feed.FeedItem) -> str:
    return "feed_pick_" + hashlib.sha1(item.guid.encode("utf-8")).hexdigest()[:12]


def _select_all(keys: list[str]) -> None:
    for key in keys:
        st.session_state[key] = st.session_state.get("feed_select_all", False)


def _pick(ctx: PageContext, items: list) -> None:
    with opened(ctx.db_path) as db:
        fresh = hoering_feed.new_items(db, items)
    if not fresh:
        st.success(ctx.t("data.feed.nothing_new", n=len(items)), icon=":material/done_all:")
        return
    st.markdown(f"**{ctx.t('data.feed.new', n=len(fresh), total=len(items))}**")
    keys = [_item_key(item) for item in fresh]
    st.checkbox(ctx.t("data.feed.select_all"), key="feed_select_all", on_change=_select_all, args=(keys,))
    for item in fresh:
        with st.container(border=True, gap="small"):
            st.checkbox(plain(item.title), key=_item_key(item))
            parts = [ctx.t("data.feed.published", when=formatting.format_date(item.published_on))
                     if item.published_on else "",
                     ctx.t("data.feed.deadline", when=formatting.format_date(item.deadline)) if item.deadline else ""]
            text = " · ".join(p for p in parts if p)
            if item.link:
                text += f"{' · ' if text else ''}[{ctx.t('data.feed.open')}]({item.link.replace(')', '%29')})"
            if item.summary and item.summary != item.title:
                st.caption(plain(_shorten(item.summary)))
            if text:
                st.caption(text)
    chosen = [item for item in fresh if st.session_state.get(_item_key(item))]
    row = st.container(horizontal=True)
    if row.button(ctx.t("data.feed.add", n=len(chosen)), type="primary", disabled=not chosen,
                      icon=":material/add:", key="feed_add"):
        ids = forms.save(ctx, lambda db: hoering_feed.add_items(db, ctx.actor, chosen),
                         success_key="data.feed.saved")
        if ids is not None:
            st.session_state["feed_added"] = (ids, [item.title for item in chosen])
            st.rerun()
    if row.button(ctx.t("data.feed.ignore", n=len(chosen)), disabled=not chosen,
                      icon=":material/visibility_off:", key="feed_ignore"):
        if forms.save(ctx, lambda db: hoering_feed.mark_seen(db, ctx.actor, chosen),
                      success_key="data.feed.ignored") is not None:
            st.rerun()


def _shorten(text: str, limit: int = 280) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def _seen_list(ctx: PageContext) -> None:
    with opened(ctx.db_path) as db:
        seen = hoering_feed.tracked(db)
    if seen.empty:
        return
    with st.expander(ctx.t("data.feed.seen", n=len(seen))):
        shown = pd.DataFrame({
            ctx.t("data.feed.col.title"): seen["title"],
            ctx.t("data.feed.col.seen_at"): seen["seen_at"].map(lambda v: formatting.format_datetime(_local(v))),
            ctx.t("data.feed.col.added"): seen["hoering_id"].map(
                lambda v: ctx.t("common.yes") if v == v and v is not None else ctx.t("common.no")),
        })
        st.dataframe(shown, hide_index=True, width="stretch")


def _settings(ctx: PageContext, url: str) -> None:
    with st.expander(ctx.t("data.feed.settings"), icon=":material/settings:"):
        st.caption(ctx.t("data.feed.settings_help", default=hoering_feed.DEFAULT_FEED_URL))
        with st.form("feed_url_form", border=False):
            value = st.text_input(ctx.t("data.feed.url"), value=url, key="feed_url")
            cols = st.columns(2)
            save = cols[0].form_submit_button(ctx.t("data.feed.save_url"), icon=":material/save:")
            reset = cols[1].form_submit_button(ctx.t("data.feed.reset_url"), icon=":material/restart_alt:")
        if save or reset:
            new = None if reset else value
            if forms.save(ctx, lambda db: hoering_feed.save_feed_url(db, ctx.actor, new),
                          {"feed_url": ctx.t("data.feed.url")}) is not None:
                st.session_state.pop("feed_items", None)
                st.rerun()
