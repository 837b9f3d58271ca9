"""Import of spreadsheets (CSV, Excel): read, map columns, check every row, find duplicates, commit all or nothing.

The steps are separate so a page can show each one: `read_table` (bytes to rows, or NotATableError),
`guess_mapping` (file headings to fields, Norwegian and English), `check` (a Preview: every bad row with
its reasons, duplicates of existing records, what would be created), and `commit` (one transaction;
nothing is written when any row is bad).

The importer only reads cells (Excel dates and numbers, Norwegian formats, labels and names looked up)
and finds duplicates; whether a record is valid is decided by its domain module's validator, the same
one the forms use (ROW_CHECKS), so a row's reason is the message the form would show.
"""

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time

import pandas as pd
from sqlite_utils import Database

from krem_advocacy.domain import budget, hoeringer, meetings, organisations, saker, validation
from krem_advocacy.domain.fields import Field, ImportSpec, comparable, normal_key
from krem_advocacy.exchange import spreadsheets
from krem_advocacy.exchange.spreadsheets import NotATableError, Table  # noqa: F401 (NotATableError is part of this API)
from krem_advocacy.exchange.spreadsheets import present as _present
from krem_advocacy.store import records
from krem_advocacy.store.connection import write_transaction
from krem_advocacy.store.errors import ValidationError
from krem_advocacy.store.permissions import EDIT, Actor, require
from krem_advocacy.text import amounts, codes, i18n

# ---------------------------------------------------------------- the kinds a file may hold

# Each area declares how its records are imported (fields with aliases, row rules, duplicate keys).
SPECS: dict[str, ImportSpec] = {spec.kind.table: spec for spec in (
    hoeringer.IMPORT, budget.IMPORT, meetings.IMPORT, saker.IMPORT, organisations.IMPORT)}
KINDS = tuple(SPECS)

# The column naming a record in messages and duplicate checks.
TITLE_FIELD = {kind: spec.kind.title for kind, spec in SPECS.items()}

# How a cell is read, by the field's type (a field may say otherwise with `read_as`).
READERS = {"title": "title", "text": "text", "longtext": "text", "url": "url", "date": "date",
           "datetime": "datetime", "code": "code", "ref": "org", "flag": "boolean", "integer": "integer",
           "year": "year", "amount": "amount", "chapter": "chapter", "post": "post", "theme": "theme"}


def reading(spec: Field) -> str:
    """How the importer reads a cell of this field (date, org, boolean …; also the template's hint)."""
    return spec.read_as or READERS[spec.type]


def hint(spec: Field) -> str:
    """What kind of value a column holds, for the template's help (`data.import.type.<hint>`)."""
    kind = reading(spec)
    return READERS[spec.type] if kind == "raw" else kind  # a raw cell is read by the domain as its type


def fields_of(kind: str) -> tuple[Field, ...]:
    """The importable fields of a kind (raises KeyError for an unknown kind)."""
    return SPECS[kind].fields


# ---------------------------------------------------------------- reading files


def read_table(data: bytes, filename: str, kind: str | None = None, sheet: str | None = None) -> Table:
    """Read CSV or Excel bytes (see spreadsheets.read_table); the heading row is one naming a field of `kind`."""
    is_heading = (lambda headings: any(guess_mapping(kind, headings).values())) if kind else None
    return spreadsheets.read_table(data, filename, sheet, is_heading)


# ---------------------------------------------------------------- column mapping


def normalise_heading(text: str) -> str:
    """A heading made comparable: lower case, no punctuation or extra spaces («Vår ref.» -> «vår ref»).

    `snake_case` and `camelCase` words are split too («vaar_ref» -> «vaar ref», «ourRef» -> «our ref»).
    """
    text = re.sub(r"(?<=[a-zæøå])(?=[A-ZÆØÅ])", " ", unicodedata.normalize("NFKC", str(text or "")))
    text = re.sub(r"[_\-–—/:;.,()\[\]*'\"«»]+", " ", text.casefold())
    return " ".join(text.split())


# Ways of writing æ, ø and å without them («hoeringsfrist», «horingsfrist», «vaar ref», «var ref»).
_ASCII_LETTERS = (("æ", "ae"), ("ø", "o"), ("oe", "o"), ("å", "a"), ("aa", "a"))


def loose_heading(text: str) -> str:
    """A heading as it is written without æ, ø and å and without spaces: «Vår ref.», «vaar_ref» and «VarRef»
    all become «varref», «Høringsfrist» and «hoeringsfrist» «horingsfrist»."""
    text = normalise_heading(text)
    for letter, written in _ASCII_LETTERS:
        text = text.replace(letter, written)
    return text.replace(" ", "")


def guess_mapping(kind: str, columns: list[str]) -> dict[str, str | None]:
    """Map each file heading to a field of `kind` (None = not imported); each field used at most once.

    A heading matches a field's own name, its label in either language (so a template or an export
    comes back in), or one of its Norwegian and English aliases: first as written (case, spaces and
    punctuation aside), then, for headings still left, as written without æ, ø, å and spaces
    (`loose_heading`: «vaar_ref», «hoeringsfrist», «ourRef»).
    """
    exact: dict[str, str] = {}
    loose: dict[str, str] = {}
    for spec in fields_of(kind):
        for alias in (spec.name, *spec.label, *spec.aliases):
            exact.setdefault(normalise_heading(alias), spec.name)
            loose.setdefault(loose_heading(alias), spec.name)
    mapping: dict[str, str | None] = dict.fromkeys(columns)
    used: set[str] = set()
    # Exact names first, so a column called `status` in an export wins over an alias, and «Vår ref.» over
    # a «vaar_ref» beside it.
    for lookup, key in ((exact, normalise_heading), (loose, loose_heading)):
        for column in columns:
            target = lookup.get(key(column))
            if mapping[column] is None and target and target not in used:
                mapping[column] = target
                used.add(target)
    return mapping


def not_imported(mapping: dict[str, str | None]) -> list[str]:
    """The file's columns that no field takes, in file order: what the import leaves out."""
    return [column for column, target in mapping.items() if not target]


def missing_required(kind: str, mapping: dict[str, str | None]) -> list[str]:
    """Required fields that no column is mapped to."""
    mapped = {target for target in mapping.values() if target}
    return [f.name for f in fields_of(kind) if f.required and f.name not in mapped]


# ---------------------------------------------------------------- reading single values


# Budget amounts are read as the budget form reads them («1,5 mill», «250'», «kr 300 000»).
AMOUNT_PARSER: Callable[[object], int | None] = amounts.parse_amount

_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),  # ISO
    re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})$"),  # 06.02.2024, 6.2.24
    re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$"),  # 06/02/2024 (Norwegian order)
)


def parse_date(value) -> date | None:
    """A date from an Excel date or text (2024-02-06, 06.02.2024, 6.2.24, 06/02/2024). Raises ValueError."""
    if not _present(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    text = re.sub(r"[ T]00:00(:00)?$", "", text)
    for number, pattern in enumerate(_DATE_PATTERNS):
        match = pattern.match(text)
        if match:
            a, b, c = match.groups()
            if number == 0:
                return date(int(a), int(b), int(c))
            year = int(c) + (2000 if len(c) == 2 else 0)
            return date(year, int(b), int(a))
    raise ValueError(value)


def parse_time(value) -> time | None:
    """A time of day from an Excel time or text (12:00, 12.00, kl. 12, 9:30). Raises ValueError."""
    if not _present(value):
        return None
    if isinstance(value, datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0)
    text = re.sub(r"^kl\.?\s*", "", str(value).strip().lower())
    match = re.fullmatch(r"(\d{1,2})(?:[:.](\d{2}))?(?::\d{2})?", text)
    if not match:
        raise ValueError(value)
    return time(int(match.group(1)), int(match.group(2) or 0))


def parse_datetime(value) -> str | None:
    """`YYYY-MM-DDTHH:MM` (or `YYYY-MM-DD` when no time is given) from a cell. Raises ValueError."""
    if not _present(value):
        return None
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    text = re.sub(r"\s+", " ", str(value).strip())
    match = re.fullmatch(r"(.+?)(?:T| kl\.? | )(\d{1,2}[:.]\d{2})(?::\d{2})?", text)
    if match:
        day, clock = parse_date(match.group(1)), parse_time(match.group(2))
        if clock == time(0, 0) and ("T" not in text):
            return day.isoformat()
        return f"{day.isoformat()}T{clock.strftime('%H:%M')}"
    return parse_date(text).isoformat()


_TRUE = {"ja", "j", "yes", "y", "true", "sann", "1", "x", "✓"}
_FALSE = {"nei", "n", "no", "false", "usann", "0", "-"}


def parse_boolean(value) -> int | None:
    """1 or 0 from ja/nei, yes/no, x, 1/0, true/false. Raises ValueError."""
    if not _present(value):
        return None
    if isinstance(value, bool):
        return int(value)
    text = str(value).strip().casefold()
    if isinstance(value, (int, float)) and value in (0, 1):
        return int(value)
    if text in _TRUE:
        return 1
    if text in _FALSE:
        return 0
    raise ValueError(value)


def parse_integer(value) -> int | None:
    """A whole number from a cell (3, «3», 3.0). Raises ValueError."""
    if not _present(value):
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, float):
        if value != int(value):
            raise ValueError(value)
        return int(value)
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if not re.fullmatch(r"-?\d+", text):
        raise ValueError(value)
    return int(text)


def _digits(value) -> str | None:
    # Excel turns «621» into 621 and «01» into 1: read numbers back as their digits.
    if not _present(value):
        return None
    if isinstance(value, float) and value == int(value):
        value = int(value)
    text = str(value).strip()
    return text if text.isdigit() else None


_normal_key = normal_key  # codes, labels and titles are compared like titles in duplicate checks


# ---------------------------------------------------------------- lookups in the database

# Words people write in spreadsheets for a code, besides the code and its labels in both languages.
CODE_SYNONYMS = {
    "meeting_kind": {"kontaktutvalg": "ku", "ku-møte": "ku", "ku møte": "ku", "forum": "forum",
                     "konferanser": "konferanse", "conference": "konferanse", "other": "annet"},
    "budget_phase": {"vårinnspill": "vaarinnspill", "spring input": "vaarinnspill", "prop 1 s": "prop1s",
                     "prop. 1 s": "prop1s", "budsjetthøring": "budsjetthoering", "hearing": "budsjetthoering",
                     "innstilling": "innstilling", "forlik": "innstilling", "vedtatt": "vedtatt",
                     "adopted": "vedtatt", "revidert": "revidert", "rnb": "revidert", "revised": "revidert"},
    "budget_outcome": {"delvis innfridd": "delvis", "ikke": "ikke", "nei": "ikke", "ja": "innfridd"},
    "organisation_kind": {"medlem": "forum_member", "forummedlem": "forum_member", "member": "forum_member",
                          "direktorat": "directorate", "etat": "directorate", "komité": "committee",
                          "komite": "committee", "stortingskomite": "committee", "parti": "party",
                          "kommune": "municipality", "annen": "other", "annet": "other",
                          "ministry": "department", "departement": "department"},
    "hoering_official_status": {"åpen": "paa_hoering", "open": "paa_hoering", "avsluttet": "ferdigbehandlet"},
    "hoering_our_status": {"ny": "innkommet", "new": "innkommet", "vurderes": "til_vurdering",
                           "sendt": "levert", "submitted": "levert"},
    "priority": {"hoy": "hoey", "high": "hoey", "medium": "middels", "low": "lav"},
    "sak_status": {"aktiv": "aktiv", "pågår": "aktiv", "ferdig": "avsluttet"},
    "member_status": {"medlem": "aktiv", "active": "aktiv", "on leave": "permisjon", "left": "utmeldt"},
}


@dataclass
class Lookups:
    """What rows are checked against: organisations, themes, codes (by code or label) and existing records."""

    orgs_by_name: dict[str, int]
    orgs_by_short: dict[str, list[int]]
    org_ids: set[int]
    themes: dict[str, str]
    code_labels: dict[str, dict[str, str]]
    existing: list[dict]
    people_by_key: dict[str, list[int]] = field(default_factory=dict)  # name or e-mail address -> ids

    @classmethod
    def load(cls, db: Database, kind: str) -> "Lookups":
        """Read everything the checks need in a few queries (not one per row)."""
        orgs = db.execute("SELECT id, name, short_name FROM organisations").fetchall()
        by_name = {_normal_key(name): org_id for org_id, name, _ in orgs}
        by_short: dict[str, list[int]] = {}
        for org_id, _, short in orgs:
            if short:
                by_short.setdefault(_normal_key(short), []).append(org_id)
        themes = {}
        for code, label_nb, label_en in db.execute("SELECT code, label_nb, label_en FROM themes"):
            for text in (code, label_nb, label_en):
                themes[_normal_key(text)] = code
        labels = {}
        for list_name, values in codes.CODE_LISTS.items():
            known = {}
            for code in values:
                known[_normal_key(code)] = code
                known[_normal_key(code.replace("_", " "))] = code
                for lang in i18n.LANGUAGES:
                    known[_normal_key(i18n.code_label(list_name, code, lang))] = code
            labels[list_name] = known
        for list_name, extra in CODE_SYNONYMS.items():
            for text, code in extra.items():
                labels[list_name].setdefault(_normal_key(text), code)
        cursor = db.execute(f"SELECT * FROM [{kind}]")
        names = [d[0] for d in cursor.description]
        existing = [dict(zip(names, row)) for row in cursor.fetchall()]
        people: dict[str, list[int]] = {}
        for person_id, name, email in db.execute("SELECT id, name, email FROM people"):
            for text in {name, email} - {None, ""}:
                people.setdefault(_normal_key(text), []).append(person_id)
        return cls(by_name, by_short, {o[0] for o in orgs}, themes, labels, existing, people)

    def organisation(self, value) -> int:
        """The id of an organisation named by its name, short name or id. Raises LookupError."""
        key = _normal_key(value)
        if key in self.orgs_by_name:
            return self.orgs_by_name[key]
        matches = self.orgs_by_short.get(key, [])
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise LookupError("validation.import_org_ambiguous")
        digits = _digits(value)
        if digits and int(digits) in self.org_ids:
            return int(digits)
        raise LookupError("validation.import_unknown_org")


    def person(self, value) -> int:
        """The id of a person named by name, e-mail address or id. Raises LookupError."""
        matches = sorted(set(self.people_by_key.get(_normal_key(value), [])))
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise LookupError("validation.import_person_ambiguous")
        digits = _digits(value)
        known = {i for ids in self.people_by_key.values() for i in ids}
        if digits and int(digits) in known:
            return int(digits)
        raise LookupError("validation.import_unknown_person")


def duplicate_keys(kind: str, values: dict) -> list[tuple]:
    """The keys that make two records of `kind` the same (any one shared key is a duplicate); see each
    area's `duplicate_keys`, compared as the forms compare them: `fields.duplicates`)."""
    return [comparable(key) for key in SPECS[kind].duplicate_keys(values)]


# ---------------------------------------------------------------- checking rows


@dataclass
class RowCheck:
    """One data row: its line in the file, the values to store, its problems, and any existing twin."""

    line: int
    values: dict
    raw: dict
    errors: dict[str, str] = field(default_factory=dict)  # field -> validation message key
    duplicate_id: int | None = None
    duplicate_version: int | None = None
    changes: dict = field(default_factory=dict)  # for a duplicate: fields whose value differs

    @property
    def status(self) -> str:
        """error, new, update (a duplicate with different values) or unchanged."""
        if self.errors:
            return "error"
        if self.duplicate_id is None:
            return "new"
        return "update" if self.changes else "unchanged"


@dataclass
class Preview:
    """The result of checking a whole file: one RowCheck per data row, in file order."""

    kind: str
    rows: list[RowCheck]
    mapping: dict[str, str | None]
    missing: list[str]

    @property
    def bad_rows(self) -> list[RowCheck]:
        return [r for r in self.rows if r.errors]

    @property
    def new_rows(self) -> list[RowCheck]:
        return [r for r in self.rows if r.status == "new"]

    @property
    def duplicates(self) -> list[RowCheck]:
        return [r for r in self.rows if r.status in ("update", "unchanged")]

    @property
    def can_commit(self) -> bool:
        """True when no row is bad and every required field has a column."""
        return not self.missing and not self.bad_rows

    def counts(self) -> dict[str, int]:
        """Rows per status (total, new, update, unchanged, error)."""
        result = {"total": len(self.rows), "new": 0, "update": 0, "unchanged": 0, "error": 0}
        for row in self.rows:
            result[row.status] += 1
        return result

    def errors_frame(self, lang: str = i18n.DEFAULT_LANGUAGE) -> pd.DataFrame:
        """One line per bad row: line number, title, and every reason («Høringsfrist: må være …»)."""
        labels = field_labels(self.kind, lang)
        rows = []
        for row in self.bad_rows:
            reasons = []
            for name, key in row.errors.items():
                shown = row.raw.get(name)
                value = f" («{_shown(shown)}»)" if _present(shown) else ""
                message = i18n.t(key, lang, line=row.raw.get("_twin", ""))
                reasons.append(f"{labels.get(name, name)}: {message}{value}")
            rows.append((row.line, _shown(row.raw.get(TITLE_FIELD[self.kind])), "; ".join(reasons)))
        return pd.DataFrame(rows, columns=["line", "title", "reasons"])


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y %H:%M") if value.time() != time(0, 0) else value.strftime("%d.%m.%Y")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    return str(value)


def field_labels(kind: str, lang: str = i18n.DEFAULT_LANGUAGE) -> dict[str, str]:
    """The display label of every field of a kind."""
    return {f.name: f.label_in(lang) for f in fields_of(kind)}


def check(db: Database, kind: str, table: Table, mapping: dict[str, str | None],
          progress: Callable[[float], None] | None = None) -> Preview:
    """Check every row of `table` as records of `kind`, without writing anything.

    Each bad row gets its reasons (a field and a message key); rows equal to an existing record, or to
    an earlier row of the same file, are found by `duplicate_keys`.
    """
    specs = {f.name: f for f in fields_of(kind)}
    positions = {target: table.columns.index(column) for column, target in mapping.items()
                 if target and column in table.columns}
    missing = missing_required(kind, mapping)
    lookups = Lookups.load(db, kind)
    index: dict[tuple, dict] = {}
    for record in lookups.existing:
        for key in duplicate_keys(kind, record):
            index.setdefault(key, record)
    seen_in_file: dict[tuple, int] = {}
    checks = []
    total = len(table.rows) or 1
    for number, (line, cells) in enumerate(zip(table.lines, table.rows)):
        raw = {name: cells[pos] for name, pos in positions.items()}
        values, errors = _convert(db, kind, specs, raw, lookups)
        row = RowCheck(line, values, raw, errors)
        if not errors:
            keys = duplicate_keys(kind, values)
            earlier = next((seen_in_file[k] for k in keys if k in seen_in_file), None)
            if earlier is not None:
                row.errors[TITLE_FIELD[kind]] = "validation.import_duplicate_in_file"
                row.raw.setdefault("_twin", earlier)
            else:
                for key in keys:
                    seen_in_file.setdefault(key, line)
                twin = next((index[k] for k in keys if k in index), None)
                if twin is not None:
                    row.duplicate_id = twin["id"]
                    row.duplicate_version = twin["version"]
                    row.changes = _changes(values, raw, twin)
        checks.append(row)
        if progress and number % 100 == 0:
            progress(number / total)
    if progress:
        progress(1.0)
    return Preview(kind, checks, dict(mapping), missing)


def _changes(values: dict, raw: dict, twin: dict) -> dict:
    # Only what the file says and the record does not: empty cells never erase saved values,
    # and a derived internal deadline never overwrites one set by hand.
    given = set(raw) | ({"internal_deadline_manual"} if "internal_deadline" in raw else set())
    return {k: v for k, v in values.items()
            if k in given and v is not None and k in twin and not _same(k, twin[k], v)}


def _same(name: str, saved, new) -> bool:
    if saved == new:
        return True
    if name in TITLE_FIELD.values() and _normal_key(saved) == _normal_key(new):
        return True  # «høring - a» matched «Høring – A»: not a change worth a new version
    # A day without a time says nothing against the time already saved for that day.
    return isinstance(saved, str) and isinstance(new, str) and len(new) == 10 and saved.startswith(new + "T")


def _convert(db: Database, kind: str, specs: dict[str, Field], raw: dict, lookups: Lookups) -> tuple[dict, dict]:
    values: dict = {}
    errors: dict[str, str] = {}
    for name, spec in specs.items():
        if name not in raw:
            continue
        try:
            values[name] = _read_value(spec, raw[name], lookups)
        except amounts.AmountError as error:
            errors[name] = error.key
        except LookupError as error:
            errors[name] = error.args[0]
        except (ValueError, TypeError, OverflowError):
            errors[name] = _TYPE_ERRORS.get(reading(spec), "validation.import_value")
    for name, spec in specs.items():
        if spec.required and name not in errors and values.get(name) is None:
            errors[name] = "validation.required"
    # A cell that could not be read keeps that reason; the domain's reasons fill in the rest.
    spec = SPECS[kind]
    errors.update({k: v for k, v in spec.check(db, values, raw).items() if k not in errors})
    for helper in spec.helpers:
        values.pop(helper, None)
    values = {k: v for k, v in values.items() if k in raw or k in spec.derived}
    return values, errors


_TYPE_ERRORS = {
    "date": "validation.date", "datetime": "validation.import_datetime", "end": "validation.import_datetime",
    "time": "validation.import_time", "year": "validation.import_year", "integer": "validation.import_integer",
    "boolean": "validation.import_boolean",
}

def _read_value(spec: Field, value, lookups: Lookups):
    kind = reading(spec)
    if kind in ("text", "title"):
        text = validation.clean_text(_shown(value) if not isinstance(value, str) else value)
        if text is not None and validation.max_length(text, spec.length):
            raise LookupError("validation.too_long")
        return text
    if not _present(value):
        return None
    if kind == "date":
        return parse_date(value).isoformat()
    if kind == "datetime":
        return parse_datetime(value)
    if kind == "end":  # an end may be a whole date-time or only a time on the start's day
        try:
            return parse_datetime(value)
        except ValueError:
            return parse_time(value).strftime("%H:%M")
    if kind == "time":
        return parse_time(value).strftime("%H:%M")
    if kind == "url":  # checked by the domain validator
        return validation.clean_text(value)
    if kind == "raw":
        return value
    if kind == "code":
        code = lookups.code_labels[spec.code_list].get(_normal_key(value))
        if code is None:
            raise LookupError("validation.choice")
        return code
    if kind == "org":
        return lookups.organisation(value)
    if kind == "person":
        return lookups.person(value)
    if kind == "theme":
        code = lookups.themes.get(_normal_key(value))
        if code is None:
            raise LookupError("validation.import_unknown_theme")
        return code
    if kind in ("year", "integer"):  # the range is the domain validator's rule
        return parse_integer(value)
    if kind == "amount":
        return AMOUNT_PARSER(value)
    if kind == "boolean":
        return parse_boolean(value)
    if kind in ("chapter", "post"):  # checked by the budget validator, as typed
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value == int(value):
            # Excel stores «621» as 621 and «01» as 1: a number cell is read back as its digits.
            digits = str(int(value))
            return digits.zfill(2) if kind == "post" else digits
        return validation.clean_text(_shown(value))
    raise ValueError(f"unknown field type {kind}")


# ---------------------------------------------------------------- committing


@dataclass
class ImportResult:
    """What a commit did: records created, updated, and rows skipped (duplicates)."""

    created: int = 0
    updated: int = 0
    skipped: int = 0
    ids: list[int] = field(default_factory=list)


def commit(db: Database, actor: Actor, preview: Preview, on_duplicate: str = "skip",
           source_name: str | None = None, progress: Callable[[float], None] | None = None) -> ImportResult:
    """Write the checked rows in ONE transaction (all or nothing), audited as `import`.

    Refuses (ValidationError, nothing written) when any row is bad or a required field has no column.
    New rows are created; duplicates are updated (`on_duplicate="update"`, only changed fields, only
    when someone else has not changed the record since the check) or skipped (`"skip"`).
    """
    require(actor, EDIT)
    if on_duplicate not in ("skip", "update"):
        raise ValueError(on_duplicate)
    if preview.missing:
        raise ValidationError({name: "validation.required" for name in preview.missing})
    if preview.bad_rows:
        first = preview.bad_rows[0]
        raise ValidationError({f"{preview.kind}:{first.line}:{k}": v for k, v in first.errors.items()})
    result = ImportResult()
    total = len(preview.rows) or 1
    with write_transaction(db):
        for number, row in enumerate(preview.rows):
            if row.status == "new":
                values = {k: v for k, v in row.values.items() if v is not None}
                if source_name and "source" not in values:
                    values["source"] = source_name
                record_id = records.create(db, actor, preview.kind, values, action="import")
                result.created += 1
                result.ids.append(record_id)
            elif row.status == "update" and on_duplicate == "update":
                records.update(db, actor, preview.kind, row.duplicate_id, row.changes,
                               expected_version=row.duplicate_version, action="import")
                result.updated += 1
                result.ids.append(row.duplicate_id)
            else:
                result.skipped += 1
            if progress and number % 50 == 0:
                progress(number / total)
        records.audit(db, actor, "import", preview.kind, None, None,
                      {"file": source_name, "created": result.created, "updated": result.updated,
                       "skipped": result.skipped})
    if progress:
        progress(1.0)
    return result


def import_rows(db: Database, actor: Actor, kind: str, table: Table, mapping: dict[str, str | None],
                on_duplicate: str = "skip", source_name: str | None = None,
                progress: Callable[[float], None] | None = None) -> ImportResult:
    """Check and commit a file in one transaction, so no one can add a twin between the two steps."""
    require(actor, EDIT)
    with write_transaction(db):
        preview = check(db, kind, table, mapping)
        return commit(db, actor, preview, on_duplicate, source_name, progress)


def template(kind: str, lang: str = i18n.DEFAULT_LANGUAGE) -> pd.DataFrame:
    """An empty table with every field's heading, for people who start a new spreadsheet."""
    return pd.DataFrame(columns=[f.label_in(lang) for f in fields_of(kind)])
