"""Reading spreadsheets: CSV (any common separator and encoding) or Excel bytes into rows with line numbers.

Knows nothing of records: `read_table` takes a predicate that recognises a heading row.
"""

import csv
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from krem_advocacy.store.errors import KremError

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
MAX_ROWS = 20_000  # a sanity limit: the forum's history is a few thousand rows at most

class NotATableError(KremError):
    """The file cannot be read as a table; `key` is the i18n message key explaining why."""

    def __init__(self, key: str):
        self.key = key
        super().__init__(key)


@dataclass
class Table:
    """Rows read from a file: headings, cells, and each row's line number in the file (1 = first line)."""

    columns: list[str]
    rows: list[list]
    lines: list[int]
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)

    def frame(self) -> pd.DataFrame:
        """The rows as a DataFrame indexed by line number (for previews)."""
        return pd.DataFrame(self.rows, columns=self.columns, index=self.lines)


def read_table(data: bytes, filename: str, sheet: str | None = None,
               is_heading: Callable[[list[str]], bool] | None = None) -> Table:
    """Read CSV or Excel bytes into a Table; raise NotATableError with a clear reason otherwise.

    The heading row is the first of the first ten non-empty rows that `is_heading` accepts (so a title
    line above the table is skipped), else the first non-empty row. A one-column "table" whose heading
    is not accepted is not a table (a letter or a note saved as .csv).
    """
    name = (filename or "").lower()
    if not data or not data.strip():
        raise NotATableError("data.import.error.empty")
    if name.endswith(EXCEL_SUFFIXES) or data[:4] == b"PK\x03\x04":
        sheets, sheet, raw = _read_excel(data, sheet)
    elif name.endswith(TEXT_SUFFIXES) or not name:
        sheets, raw = [], _read_text(data)
    elif name.endswith(".xls"):
        raise NotATableError("data.import.error.old_excel")
    else:
        raise NotATableError("data.import.error.file_type")
    numbered = [(line, row) for line, row in raw if any(present(c) for c in row)]
    if not numbered:
        raise NotATableError("data.import.error.no_rows")
    header_at = _header_index(numbered, is_heading)
    header_line, header = numbered[header_at]
    width = max(i + 1 for i, c in enumerate(header) if present(c))
    columns = _unique_headings([_heading_text(c) for c in header[:width]])
    body = numbered[header_at + 1:]
    if not body:
        raise NotATableError("data.import.error.no_data_rows")
    if len(body) > MAX_ROWS:
        raise NotATableError("data.import.error.too_many_rows")
    if width < 2 and is_heading is not None and not is_heading(columns):
        raise NotATableError("data.import.error.not_a_table")
    rows = [[_cell(c) for c in (row + [None] * width)[:width]] for _, row in body]
    return Table(columns, rows, [line for line, _ in body], sheet, sheets)


def _read_excel(data: bytes, sheet: str | None):
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError):
        raise NotATableError("data.import.error.not_a_table") from None
    try:
        names = list(book.sheetnames)
        if sheet not in names:
            # The first sheet that has anything in it.
            sheet = next((n for n in names if book[n].max_row and book[n].max_row > 0
                          and any(any(present(c) for c in r) for r in book[n].iter_rows(max_row=20, values_only=True))),
                         names[0] if names else None)
        if sheet is None:
            raise NotATableError("data.import.error.no_rows")
        raw = [(line, list(row)) for line, row in enumerate(book[sheet].iter_rows(values_only=True), start=1)]
    finally:
        book.close()
    return names, sheet, raw


def _read_text(data: bytes):
    if b"\x00" in data[:4096]:
        raise NotATableError("data.import.error.not_a_table")
    text = None
    for encoding in ("utf-8-sig", "cp1252"):  # Excel in Norway saves "CSV" as Windows-1252
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None or _looks_binary(text):
        raise NotATableError("data.import.error.not_a_table")
    sample = "\n".join(text.splitlines()[:20])
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=";,\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in ";,\t"}
        delimiter = max(counts, key=counts.get) if any(counts.values()) else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        return [(line, row) for line, row in enumerate(reader, start=1)]
    except csv.Error:
        raise NotATableError("data.import.error.not_a_table") from None


def _looks_binary(text: str) -> bool:
    # Control characters other than tab/newline mean a binary file (a PDF or picture renamed .csv).
    sample = text[:4096]
    odd = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\r\n")
    return odd > max(2, len(sample) // 100)


def _header_index(numbered, is_heading) -> int:
    if is_heading is None:
        return 0
    for index, (_, row) in enumerate(numbered[:10]):
        if is_heading([_heading_text(c) for c in row if present(c)]):
            return index
    return 0


def _heading_text(value) -> str:
    return "" if value is None else str(value).strip()


def _unique_headings(headings: list[str]) -> list[str]:
    # Blank or repeated headings still need distinct names to be mapped one by one.
    seen: dict[str, int] = {}
    result = []
    for position, heading in enumerate(headings, start=1):
        heading = heading or f"({position})"
        if heading in seen:
            seen[heading] += 1
            heading = f"{heading} ({seen[heading]})"
        else:
            seen[heading] = 1
        result.append(heading)
    return result


def present(value) -> bool:
    """True for a cell with something in it (not None, NaN or blank)."""
    if value is None:
        return False
    if isinstance(value, float) and value != value:
        return False
    return str(value).strip() != ""


def _cell(value):
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value
