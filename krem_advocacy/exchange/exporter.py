"""Exports: any list as CSV or Excel, the whole database as a SQLite file or a JSON dump, each by role."""

import io
import json
import math
import sqlite3
import tempfile
from datetime import date, datetime
from pathlib import Path

import pandas as pd
from sqlite_utils import Database

from krem_advocacy.domain.datasets import SHOWN_TABLES
from krem_advocacy.store import migrations, visibility
from krem_advocacy.store.connection import read_frame
from krem_advocacy.store.permissions import Actor
from krem_advocacy.store.records import now_iso

# Tables only an administrator may take out of the app (sign-in data); the copy keeps them empty.
PRIVATE_TABLES = ("login_attempts", "calendar_tokens", "users", "sessions", "user_sessions", "invitations",
                  "password_resets", "account_people", "notification_subscriptions", "notification_keys",
                  "notification_runs", "notification_log")
# Bookkeeping that is not data (the revision counter).
SKIPPED_TABLES = ("meta",)
# The change log holds before/after copies of internal notes: only editors may take it out.
EDITOR_TABLES = ("audit_log",)

EXCEL_MAX_WIDTH = 60
EXCEL_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _visible(table: str, frame: pd.DataFrame, actor: Actor) -> pd.DataFrame:
    """The rows and columns of a frame read from `table` that this actor may see.

    Viewers get no change log and what krem_advocacy.visibility allows (no internal notes, no records
    marked internal); only administrators get sign-in data.
    """
    if table in PRIVATE_TABLES and not actor.is_admin:
        return frame.iloc[0:0]
    if actor.can_edit:
        return frame
    if table in EDITOR_TABLES:
        return frame.iloc[0:0]
    return visibility.filter_frame(table, frame, actor)


def exportable_tables(db: Database, actor: Actor) -> list[str]:
    """The tables a whole-database export contains for this actor, in schema order."""
    # Search indexes are derived from the tables (and rebuilt from them), so they are not exported.
    names = [n for n in db.table_names()
             if n not in SKIPPED_TABLES and not n.startswith("sqlite_") and not _is_fts(n)]
    names.sort(key=lambda n: SHOWN_TABLES.index(n) if n in SHOWN_TABLES else len(SHOWN_TABLES))
    return [n for n in names if actor.is_admin or n not in PRIVATE_TABLES]


def table_frame(db: Database, table: str, actor: Actor) -> pd.DataFrame:
    """All rows of one table as this actor may see them."""
    if table not in exportable_tables(db, actor):
        raise ValueError(f"not an exportable table: {table}")
    if actor.can_edit or table in PRIVATE_TABLES or table in EDITOR_TABLES:
        return _visible(table, read_frame(db, f"SELECT * FROM [{table}]"), actor)
    # visibility.read_table also drops rows owned by an internal record (an internal meeting's agenda).
    return visibility.read_table(db, table, actor)


def tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """Whole-number float columns (integers with gaps) as integers, so 1500000 is not written 1500000.0."""
    result = frame.copy()
    for column in result.columns:
        series = result[column]
        if pd.api.types.is_float_dtype(series):
            present = series.dropna()
            if (present == present.round()).all():
                result[column] = series.astype("Int64")
    return result


# A text cell starting with one of these is run as a formula by Excel, LibreOffice and Google Sheets when they
# open a CSV file (OWASP «CSV injection»): «=HYPERLINK(…)», «+1+1», «-2+3», «@SUM(…)», a tab or a carriage return.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value):
    """A text that a spreadsheet would run as a formula, with a single quote in front (OWASP's rule).

    Anything else (numbers, dates, empty cells, ordinary text) is returned unchanged.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(frame: pd.DataFrame) -> bytes:
    """CSV in UTF-8 with a byte-order mark, so Excel shows æ, ø and å right.

    Text cells a spreadsheet would run as formulas are neutralised (`neutralised`); numbers are written as
    numbers, and the frame (so what is stored) is left as it is.
    """
    safe = tidy(frame)  # a copy
    for position in range(safe.shape[1]):
        column = safe.iloc[:, position]
        if not pd.api.types.is_numeric_dtype(column):
            safe.isetitem(position, column.map(neutralised))
    # CRLF as RFC 4180 has it: a cell holding a line break or a lone CR is then quoted, not split in two.
    return safe.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def _python(value):
    # openpyxl wants plain Python values: no NaN, NA or numpy scalars.
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return value.item()
    return value


def _is_link(value) -> bool:
    return isinstance(value, str) and value.startswith(("http://", "https://")) and " " not in value


def to_excel(frame: pd.DataFrame, sheet: str = "Data") -> bytes:
    """An .xlsx file: bold header row frozen at the top, a filter on it, web addresses clickable."""
    return to_excel_sheets({sheet: frame})


def to_excel_sheets(frames: dict[str, pd.DataFrame]) -> bytes:
    """Several frames as sheets of one .xlsx file (the same layout as `to_excel`)."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for sheet_name, frame in frames.items():
        sheet = book.create_sheet(_sheet_title(sheet_name))
        frame = tidy(frame)
        sheet.append([str(c) for c in frame.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="E8EEF4")
        widths = [len(str(c)) for c in frame.columns]
        for row in frame.itertuples(index=False):
            values = [_python(v) for v in row]
            values = [ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in values]
            sheet.append(values)
            for index, value in enumerate(values):
                widths[index] = max(widths[index], min(len(str(value)) if value is not None else 0, EXCEL_MAX_WIDTH))
                if isinstance(value, str) and value.startswith("="):
                    # Text typed as «=…» stays text: a spreadsheet must never run what someone wrote.
                    sheet.cell(row=sheet.max_row, column=index + 1).data_type = "s"
                elif _is_link(value):
                    cell = sheet.cell(row=sheet.max_row, column=index + 1)
                    cell.hyperlink = value
                    cell.style = "Hyperlink"
        sheet.freeze_panes = "A2"
        if len(frame.columns):
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(frame.columns))}{max(sheet.max_row, 1)}"
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, EXCEL_MAX_WIDTH)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_title(name: str) -> str:
    # Excel sheet names: at most 31 characters, none of []:*?/\
    for ch in "[]:*?/\\":
        name = name.replace(ch, " ")
    return name[:31] or "Data"


def _json_value(value):
    value = _python(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def json_dump(db: Database, actor: Actor) -> bytes:
    """Every table this actor may see as JSON: {"tables": {name: {"columns": [...], "rows": [{...}]}}}.

    Reopen a table with `pd.DataFrame(dump["tables"][name]["rows"], columns=dump["tables"][name]["columns"])`.
    """
    tables = {}
    for name in exportable_tables(db, actor):
        frame = tidy(table_frame(db, name, actor))
        rows = [{c: _json_value(v) for c, v in zip(frame.columns, row)} for row in frame.itertuples(index=False)]
        tables[name] = {"columns": [str(c) for c in frame.columns], "rows": rows}
    dump = {
        "app": "krem_advocacy",
        "exported_at": now_iso(),
        "exported_by": actor.name,
        "role": actor.role,
        "migrations": migrations.all_names(),
        "tables": tables,
    }
    return json.dumps(dump, ensure_ascii=False, indent=1).encode("utf-8")


def sqlite_copy(db_path: Path | str, actor: Actor) -> bytes:
    """A consistent copy of the database file with only what this actor may see.

    Hidden columns are emptied and hidden rows deleted (the schema stays whole, so the copy opens in
    the app and in any SQLite tool); VACUUM then wipes the removed data from the file's free pages.
    """
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "copy.db"
        source = sqlite3.connect(str(db_path))
        copy = sqlite3.connect(str(target))
        try:
            source.backup(copy)  # a consistent snapshot, even of a live WAL database
        finally:
            source.close()
        try:
            copy.execute("PRAGMA journal_mode = DELETE")
            _restrict(Database(copy), actor)
            copy.commit()
            copy.execute("VACUUM")
        finally:
            copy.close()
        return target.read_bytes()


def _restrict(db: Database, actor: Actor) -> None:
    allowed = set(exportable_tables(db, actor))
    for name in db.table_names():
        if name in SKIPPED_TABLES or name.startswith("sqlite_") or _is_fts(name):
            continue
        if name not in allowed or (not actor.can_edit and name in EDITOR_TABLES):
            db.execute(f"DELETE FROM [{name}]")
        elif not actor.can_edit:
            _keep_public_rows(db, name)
            info = {row[1]: (row[3], row[4]) for row in db.execute(f"PRAGMA table_info([{name}])")}
            for column in visibility.hidden_columns(name, actor, db):
                not_null, default = info[column]
                # A required column is reset to its default (is_internal = 0), others emptied.
                value = default if not_null and default is not None else "NULL"
                db.execute(f"UPDATE [{name}] SET [{column}] = {value}")
    # The search indexes hold copies of the text: rebuild them from what is left.
    for name in db.table_names():
        if name.endswith("_fts"):
            db.execute(f"INSERT INTO [{name}]([{name}]) VALUES ('rebuild')")


def _keep_public_rows(db: Database, name: str) -> None:
    # Delete every row a viewer may not see: records marked internal and what they own.
    public = visibility.public_select(db, name)
    columns = [row[1] for row in db.execute(f"PRAGMA table_info([{name}])")]
    if "id" in columns:
        db.execute(f"DELETE FROM [{name}] WHERE id NOT IN (SELECT id FROM ({public}))")
    else:
        match = " AND ".join(f"p.[{c}] IS [{name}].[{c}]" for c in columns)
        db.execute(f"DELETE FROM [{name}] WHERE NOT EXISTS (SELECT 1 FROM ({public}) p WHERE {match})")


def _is_fts(name: str) -> bool:
    # FTS5 tables and their shadow tables (saker_fts, saker_fts_data …) are rebuilt, not filtered.
    return name.endswith("_fts") or "_fts_" in name


def file_stamp(today: date | None = None) -> str:
    """The date part of export file names (krem-hoeringer-2026-03-02.xlsx)."""
    return (today or date.today()).isoformat()
