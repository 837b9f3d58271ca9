"""One declared description per record kind, and the one way every kind is cleaned, merged and saved.

A `Kind` lists its `Field`s (name, type, label in both languages, required, code list, length,
reference, import aliases, search weight) and its `Link`s (many-to-many lists such as co-signers).
Everything else is derived from it: the field tuples of the area modules, the spreadsheet import
columns, the reference checks, the search columns, the labels of imports and exports, and the
generic checks of each field by its type. The schema itself stays hand-written SQL in the
migrations; tests/test_kinds.py checks the tables against these descriptions.

Saving follows one convention for every kind (`save`): the editor's permission is checked, an update
is merged with the saved record (fields not given keep their value, links not given stay), the
version is checked once, the area's cleaner validates the whole merged record, and the row and its
links are written in one transaction through `store.records`.
"""

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlite_utils import Database

from krem_advocacy.domain import validation
from krem_advocacy.store import records
from krem_advocacy.store.connection import write_transaction
from krem_advocacy.store.errors import ConflictError, ValidationError
from krem_advocacy.store.permissions import EDIT, Actor, require
from krem_advocacy.text import codes
from krem_advocacy.text.i18n import DEFAULT_LANGUAGE, LANGUAGES

# Field types and what the generic check does with a value:
#   title     text naming the record: trimmed, at most MAX_TITLE_LENGTH characters
#   text      a short text (at most MAX_TITLE_LENGTH)       longtext  a long text (at most MAX_TEXT_LENGTH)
#   url       an http(s) address                           date      YYYY-MM-DD (a date object is accepted)
#   datetime  YYYY-MM-DDTHH:MM, local time                 code      one of a code list (codes.CODE_LISTS)
#   ref       the id of a record in another table          flag      0 or 1
#   integer   a whole number                               year      a year (a whole number)
#   amount    kroner as typed («1,5 mill»)                 chapter / post  a budget line as typed
#   theme     a theme code (themes.code)
TYPES = ("title", "text", "longtext", "url", "date", "datetime", "code", "ref", "flag", "integer", "year",
         "amount", "chapter", "post", "theme")
TEXT_TYPES = ("title", "text", "longtext", "url")
DEFAULT_LENGTH = {"title": validation.MAX_TITLE_LENGTH, "text": validation.MAX_TITLE_LENGTH,
                  "longtext": validation.MAX_TEXT_LENGTH, "url": validation.MAX_TEXT_LENGTH}


@dataclass(frozen=True)
class Field:
    """One column of a record kind, as forms, imports, exports and checks see it."""

    name: str
    type: str
    label: tuple[str, str]  # (Bokmål, English): how imports, exports and messages name it
    required: bool = False
    code_list: str | None = None  # for type "code": a list in codes.CODE_LISTS
    max_length: int | None = None  # for texts; default by type
    ref: str | None = None  # for type "ref": the table the id points at
    missing: str = "validation.choice"  # the message when a referenced record does not exist
    aliases: tuple[str, ...] = ()  # spreadsheet headings that name it, Norwegian and English
    search_weight: float | None = None  # indexed for full-text search with this bm25 weight
    importable: bool = True  # a column of spreadsheet imports
    read_as: str | None = None  # how the importer reads a cell when not by `type` (raw, end, time, org)
    internal: bool = False  # never shown to viewers

    def __post_init__(self):
        assert self.type in TYPES, (self.name, self.type)
        assert self.type != "code" or self.code_list in codes.CODE_LISTS, self.name
        assert self.type != "ref" or self.ref, self.name
        assert all(self.label), self.name

    @property
    def length(self) -> int | None:
        """The most characters a text may have."""
        return self.max_length or DEFAULT_LENGTH.get(self.type)

    def label_in(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """The field's label in a language (Bokmål when the language is unknown)."""
        return self.label[LANGUAGES.index(lang) if lang in LANGUAGES else 0]


@dataclass(frozen=True)
class Link:
    """A many-to-many list owned by a record (a høring's co-signers): `name` is its key in the values."""

    name: str
    table: str  # the link table
    owner: str  # its column pointing at the record
    other: str  # its column pointing at the linked record
    ref: str  # the table of the linked records
    label: tuple[str, str]
    missing: str = "validation.choice"  # the message when a linked record does not exist
    # Writes the links itself when they carry more than two ids (a meeting's people and their role that
    # day): (db, actor, record id, ids, the record's row) -> None. Otherwise `records.set_links` does.
    setter: Callable | None = None


def common_fields(source: str = "longtext", notes_weight: float | None = None) -> tuple[Field, ...]:
    """Source, notes and internal notes, which every record kind has (`source` as a text or long text)."""
    return (
        Field("source", source, ("Kilde", "Source"), aliases=("kilde", "source", "kilder")),
        Field("notes", "longtext", ("Notater", "Notes"), search_weight=notes_weight,
              aliases=("notater", "notat", "notes", "note", "merknader", "kommentar", "kommentarer", "comments",
                       "comment")),
        Field("internal_notes", "longtext", ("Interne notater", "Internal notes"), internal=True,
              aliases=("interne notater", "internt notat", "internal notes", "internal")),
    )


def responsible_person(name: str = "responsible_person_id",
                       label: tuple[str, str] = ("Ansvarlig person", "Responsible person"),
                       aliases: tuple[str, ...] = ("ansvarlig person", "responsible person",
                                                   "person ansvarlig")) -> Field:
    """The person in the directory who answers for a record (høringer, budget inputs, agenda items; a
    tilsagn's follow-up as `follow_up_person_id`).

    Lists filter by it, «Mitt ansvar» lists a person's records, and reminders go to them
    (docs/notifications.md). A spreadsheet names the person by name, e-mail address or id.
    """
    return Field(name, "ref", label, ref="people", missing="validation.unknown_person", read_as="person",
                 aliases=aliases)


@dataclass(frozen=True)
class Kind:
    """A record kind: its table, its fields in the order forms and imports list them, and its links."""

    table: str
    fields: tuple[Field, ...]
    links: tuple[Link, ...] = ()
    # Columns the app sets itself (an agenda item's meeting and position): described for the schema
    # check, but never taken from a form or a file.
    system_fields: tuple[Field, ...] = ()

    def __post_init__(self):
        names = [f.name for f in self.fields + self.system_fields] + [link.name for link in self.links]
        assert len(names) == len(set(names)), self.table

    @property
    def names(self) -> tuple[str, ...]:
        """The fields a form or a file may set, in order."""
        return tuple(f.name for f in self.fields)

    @property
    def title(self) -> str:
        """The field that names a record (the first one)."""
        return self.fields[0].name

    def field(self, name: str) -> Field:
        """The description of one field (KeyError when the kind has no such field)."""
        for described in self.fields + self.system_fields:
            if described.name == name:
                return described
        raise KeyError(f"{self.table} has no field {name}")

    def of_type(self, *types: str) -> tuple[str, ...]:
        """The names of the fields of some types, in order."""
        return tuple(f.name for f in self.fields if f.type in types)

    @property
    def references(self) -> dict[str, str]:
        """Which table each id field points at."""
        return {f.name: f.ref for f in self.fields + self.system_fields if f.type == "ref"}

    @property
    def searchable(self) -> dict[str, float]:
        """The fields indexed for full-text search, with their weights."""
        return {f.name: f.search_weight for f in self.fields if f.search_weight is not None}

    @property
    def importable(self) -> tuple[Field, ...]:
        """The fields a spreadsheet may fill in."""
        return tuple(f for f in self.fields if f.importable)

    def labels(self, lang: str = DEFAULT_LANGUAGE) -> dict[str, str]:
        """Every field's and link's label in a language."""
        return {**{f.name: f.label_in(lang) for f in self.fields},
                **{link.name: link.label[LANGUAGES.index(lang) if lang in LANGUAGES else 0] for link in self.links}}

    def link(self, name: str) -> Link:
        """The description of one link."""
        return next(link for link in self.links if link.name == name)

    def current_links(self, db: Database, record_id: int) -> dict[str, list[int]]:
        """The saved ids of every link of one record, sorted."""
        return {link.name: [r[0] for r in db.execute(
            f"SELECT [{link.other}] FROM [{link.table}] WHERE [{link.owner}] = ? ORDER BY [{link.other}]",
            [record_id])] for link in self.links}


# ---------------------------------------------------------------- the generic checks, by type

def _present(value) -> bool:
    return value is not None and value != "" and not (isinstance(value, float) and value != value)


def clean_value(described: Field, value) -> tuple[object, str | None]:
    """(stored value, error key or None) of one value by its field's type; texts are trimmed.

    The types whose reading belongs to an area (amounts, budget lines) are returned as given.
    """
    kind = described.type
    if kind in ("title", "text", "longtext"):
        text = validation.clean_text(value)
        return text, validation.max_length(text, described.length)
    if kind == "url":
        text = validation.clean_text(value)
        return text, validation.url(text) or validation.max_length(text, described.length)
    if not _present(value):
        return (0 if kind == "flag" else None), None
    if kind == "date":
        if isinstance(value, datetime):
            return value.date().isoformat(), None
        if isinstance(value, date):
            return value.isoformat(), None
        text = str(value).strip()[:10]
        return text, validation.iso_date(text)
    if kind == "datetime":
        text = str(value).strip()
        return text, validation.moment(text)
    if kind == "code":
        return value, validation.one_of(value, codes.CODE_LISTS[described.code_list])
    if kind == "flag":
        return int(bool(value)), None
    if kind in ("ref", "integer", "year"):
        try:
            return int(value), None
        except (TypeError, ValueError):
            return value, "validation.choice" if kind == "ref" else "validation.import_integer"
    if kind == "theme":
        return validation.clean_text(value), None
    return value, None


def clean_fields(db: Database, kind: Kind, values: dict, only_given: bool = False
                 ) -> tuple[dict, dict[str, list[int]], dict[str, str | None]]:
    """Check every field of `kind` by its description: (row, links, errors by field).

    Required fields, lengths, dates, code lists, and that referenced records exist. With `only_given`,
    only the fields in `values` are checked and returned. Links are returned for those given.
    """
    row: dict = {}
    errors: dict[str, str | None] = {}
    for described in kind.fields:
        if only_given and described.name not in values:
            continue
        value, error = clean_value(described, values.get(described.name))
        if error and described.type == "ref":
            error = described.missing  # not a number: no such record either
        if described.required and not error and not _present(value):
            error = "validation.required"
        if not error and described.type == "ref" and value is not None and not exists(db, described.ref, value):
            error = described.missing
        if not error and described.type == "theme" and value is not None and not db.execute(
                "SELECT 1 FROM themes WHERE code = ?", [value]).fetchone():
            error = "validation.choice"
        row[described.name], errors[described.name] = value, error
    links: dict[str, list[int]] = {}
    for link in kind.links:
        if link.name not in values:
            continue
        try:
            ids = sorted({int(i) for i in values[link.name] or []})
        except (TypeError, ValueError):
            errors[link.name] = link.missing
            continue
        links[link.name] = ids
        if any(not exists(db, link.ref, i) for i in ids):
            errors[link.name] = link.missing
    return row, links, errors


def normal_key(text) -> str:
    """A title made comparable for duplicate checks: case, spacing and dash style do not matter."""
    text = unicodedata.normalize("NFKC", str(text or "")).replace("–", "-").replace("—", "-")
    return " ".join(text.casefold().split())


def validated(validate: Callable[[], object]) -> tuple[object | None, dict[str, str]]:
    """The validator's result and no errors, or None and its {field: message key}."""
    try:
        return validate(), {}
    except ValidationError as error:
        return None, dict(error.errors)


def exists(db: Database, table: str, record_id) -> bool:
    """True when `table` has a record with this id."""
    return db.execute(f"SELECT 1 FROM [{table}] WHERE id = ?", [record_id]).fetchone() is not None


# ---------------------------------------------------------------- saving, the same way for every kind

# An area's cleaner: (db, values merged with the saved record, the saved record or None) -> (row, links).
# It raises ValidationError with every problem; the row holds only the kind's columns.
Cleaner = Callable[[Database, dict, dict | None], tuple[dict, dict[str, list[int]]]]


def with_links(db: Database, kind: Kind, row: dict | None) -> dict | None:
    """A saved row with its links (what a conflict shows: the saved co-signers too, not only the row)."""
    if row is None:
        return None
    return {**row, **kind.current_links(db, row["id"])}


def locked(db: Database, kind: Kind, record_id: int, expected_version: int) -> dict:
    """The saved record if nobody saved it since `expected_version` (call inside the write transaction).

    Raises ConflictError with the record as saved now (and its links), or with None when it is gone.
    """
    try:
        return records.locked(db, kind.table, record_id, expected_version)
    except ConflictError as conflict:
        conflict.current = with_links(db, kind, conflict.current)
        raise


def save(db: Database, actor: Actor, kind: Kind, values: dict, clean: Cleaner, record_id: int | None = None,
         expected_version: int | None = None, action: str | None = None, extra: dict | None = None) -> int:
    """Create (`record_id` None) or update a record of `kind`; return its id (create) or new version (update).

    An update merges `values` with the saved record and its links (what is not given keeps its value),
    checks the version, and writes only what changed; the version grows when anything changed, links
    included, so a stale form sees the conflict. `extra` holds columns the app sets itself (a meeting
    id, a position). Everything happens in one transaction: nothing is half-written.
    """
    require(actor, EDIT)
    with write_transaction(db):
        if record_id is None:
            row, links = clean(db, dict(values), None)
            record_id = records.create(db, actor, kind.table, {**row, **(extra or {})}, action=action or "create")
            _set_links(db, actor, kind, record_id, links, row)
            return record_id
        current = locked(db, kind, record_id, expected_version)
        saved_links = kind.current_links(db, record_id)
        merged = {**{name: current.get(name) for name in kind.names}, **saved_links, **values}
        row, links = clean(db, merged, current)
        changed = {k: v for k, v in {**row, **(extra or {})}.items() if current.get(k) != v}
        links = {name: ids for name, ids in links.items() if ids != saved_links.get(name)}
        if not changed and not links:
            return current["version"]
        version = records.update(db, actor, kind.table, record_id, changed, expected_version,
                                 action=action or "update")
        _set_links(db, actor, kind, record_id, links, {**current, **row})
        return version


def _set_links(db: Database, actor: Actor, kind: Kind, record_id: int, links: dict[str, list[int]],
               row: dict) -> None:
    for name, ids in links.items():
        link = kind.link(name)
        if link.setter is not None:
            link.setter(db, actor, record_id, ids, row)
        else:
            records.set_links(db, actor, link.table, link.owner, record_id, link.other, ids)


def raise_errors(errors: dict[str, str | None], order: tuple[str, ...] = ()) -> None:
    """Raise ValidationError with the fields that failed, in `order` first (the order the form shows)."""
    failed = {name: errors[name] for name in order if errors.get(name)}
    failed.update({name: key for name, key in errors.items() if key and name not in failed})
    if failed:
        raise ValidationError(failed)


@dataclass(frozen=True)
class ImportSpec:
    """How a spreadsheet becomes records of a kind: the kind, extra helper columns, and the row rules.

    `check(db, values, raw)` returns {field: message key} for one row (it may fill in derived values,
    listed in `derived`); `duplicate_keys(values)` the keys that make two records the same.
    """

    kind: Kind
    check: Callable[[Database, dict, dict], dict[str, str]]
    duplicate_keys: Callable[[dict], list[tuple]]
    # Columns that only help to read another (a meeting's time of day), each after the field it helps.
    helper_fields: tuple[tuple[str, Field], ...] = ()
    derived: frozenset[str] = field(default_factory=frozenset)  # fields a check may fill in itself

    @property
    def fields(self) -> tuple[Field, ...]:
        """The columns a file may have, in order."""
        shown = []
        for described in self.kind.importable:
            shown.append(described)
            shown += [helper for after, helper in self.helper_fields if after == described.name]
        return tuple(shown)

    @property
    def helpers(self) -> frozenset[str]:
        """The names of the helper columns (never stored)."""
        return frozenset(helper.name for _, helper in self.helper_fields)


def comparable(key: tuple) -> tuple:
    """A duplicate key with every part compared like a title (so 2027 and «2027», «–» and «-» match)."""
    return tuple(None if part is None else normal_key(part) for part in key)


def duplicates(db: Database, spec: ImportSpec, values: dict, exclude_id: int | None = None) -> list[dict]:
    """Saved records that share a duplicate key with `values` (the area's `duplicate_keys`, the same rule
    the spreadsheet import uses), oldest first."""
    wanted = {comparable(k) for k in spec.duplicate_keys(values)}
    cursor = db.execute(f"SELECT * FROM [{spec.kind.table}] ORDER BY id")
    names = [d[0] for d in cursor.description]
    found = []
    for row in cursor.fetchall():
        record = dict(zip(names, row))
        if record["id"] != exclude_id and wanted & {comparable(k) for k in spec.duplicate_keys(record)}:
            found.append(record)
    return found
