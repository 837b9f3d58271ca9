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

from krem_advocacy.text import amounts, codes, i18n
from krem_advocacy.domain import budget, hoeringer, meetings, organisations, saker, validation
from krem_advocacy.store import records
from krem_advocacy.exchange import spreadsheets
from krem_advocacy.store.connection import write_transaction
from krem_advocacy.exchange.spreadsheets import NotATableError, Table  # noqa: F401 (NotATableError is part of this API)
from krem_advocacy.exchange.spreadsheets import present as _present

# ---------------------------------------------------------------- fields per kind


@dataclass(frozen=True)
class Field:
    """One importable column of a record table: how to read it and which headings name it."""

    name: str
    # text, title, date, datetime, end, time, url, code, org, year, integer, amount, boolean, chapter, post,
    # theme, or raw (the cell as it is, for the domain validator to read)
    type: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    code_list: str | None = None  # for type "code": a list in codes.CODE_LISTS


_COMMON = (
    Field("source", "text", ("kilde", "source", "kilder")),
    Field("notes", "text", ("notater", "notat", "notes", "note", "merknader", "kommentar", "kommentarer",
                            "comments", "comment")),
    Field("internal_notes", "text", ("interne notater", "internt notat", "internal notes", "internal")),
)

KINDS: dict[str, tuple[Field, ...]] = {
    "hoeringer": (
        Field("title", "title", ("tittel", "title", "høring", "hoering", "navn", "consultation", "sak"), True),
        Field("department_id", "org", ("departement", "department", "eier", "owner", "departement/etat",
                                       "ministry", "ministry/agency", "avsender", "etat", "department_id")),
        Field("published_on", "date", ("publisert", "published", "publiseringsdato", "dato publisert",
                                       "sendt på høring", "published on", "publication date")),
        Field("deadline", "date", ("høringsfrist", "frist", "deadline", "hoeringsfrist", "svarfrist")),
        Field("internal_deadline", "date", ("intern frist", "internal deadline", "vår frist")),
        Field("our_ref", "text", ("vår ref.", "vår ref", "var ref", "vår referanse", "saksnummer", "saksnr",
                                  "ref.", "ref", "our ref", "reference", "ref. (vår ref.)")),
        Field("url", "url", ("lenke", "url", "link", "nettadresse", "adresse", "høringen på regjeringen.no")),
        Field("official_status", "code", ("status", "offisiell status", "official status",
                                          "status på regjeringen.no"), code_list="hoering_official_status"),
        Field("our_status", "code", ("vår status", "our status", "intern status", "forumets status"),
              code_list="hoering_our_status"),
        Field("named_instance", "boolean", ("høringsinstans", "named instance", "navngitt høringsinstans",
                                            "forumet er oppført som høringsinstans",
                                            "the forum is a named consultee")),
        Field("answer_type", "code", ("svartype", "answer type", "type svar"), code_list="answer_type"),
        Field("lead_org_id", "org", ("ansvarlig", "ledende organisasjon", "hovedansvarlig organisasjon",
                                     "lead", "lead organisation", "lead organization", "ansvarlig organisasjon")),
        Field("answer_url", "url", ("lenke til svar", "svar-lenke", "vårt høringssvar", "answer url",
                                    "our answer", "høringssvar")),
        Field("submitted_on", "date", ("levert", "levert dato", "innsendt", "submitted", "submitted on",
                                       "sendt")),
        Field("short_deadline_reason", "text", ("begrunnelse for kort frist", "short deadline reason")),
        Field("result", "text", ("resultat", "result", "utfall")),
        *_COMMON,
    ),
    "budget_inputs": (
        Field("title", "title", ("tittel", "title", "innspill", "navn", "input"), True),
        Field("budget_year", "raw", ("budsjettår", "budsjettaar", "år", "budget year", "year"), True),
        Field("phase", "code", ("fase", "phase", "budsjettfase"), True, code_list="budget_phase"),
        Field("recipient_org_id", "org", ("mottaker", "recipient", "til", "sendt til", "departement")),
        Field("lead_org_id", "org", ("ansvarlig", "ledende organisasjon", "lead", "lead organisation",
                                     "lead organization")),
        Field("chapter", "chapter", ("kap.", "kap", "kapittel", "chapter")),
        Field("post", "post", ("post", "budsjettpost", "item")),
        Field("chapter_name", "text", ("kapittelnavn", "navn på kapittel", "chapter name")),
        Field("post_name", "text", ("postnavn", "navn på post", "post name")),
        Field("ask", "text", ("hva vi ber om", "ønske", "ask", "forslag", "what we ask")),
        Field("ask_amount", "amount", ("beløp", "beløp vi ber om", "ønsket beløp", "ask amount", "amount",
                                       "amount asked")),
        Field("prop_amount", "amount", ("prop. 1 s", "beløp i prop. 1 s", "prop 1 s", "proposed",
                                        "prop amount", "proposed amount")),
        Field("adopted_amount", "amount", ("vedtatt", "vedtatt beløp", "adopted", "adopted amount")),
        Field("outcome", "code", ("utfall", "resultat", "outcome"), code_list="budget_outcome"),
        Field("sent_on", "date", ("sendt", "sendt dato", "sent", "sent on", "dato")),
        Field("document_url", "url", ("lenke", "dokument", "url", "link", "document", "document url")),
        Field("hearing_application_deadline", "date", ("søknadsfrist", "søknadsfrist budsjetthøring",
                                                       "hearing application deadline")),
        Field("hearing_on", "date", ("budsjetthøring", "høringsdato", "hearing", "hearing date")),
        *_COMMON,
    ),
    "meetings": (
        Field("title", "title", ("tittel", "title", "møte", "navn", "meeting"), True),
        Field("kind", "code", ("type", "møtetype", "kind", "meeting type", "art"), True, code_list="meeting_kind"),
        Field("starts_at", "datetime", ("dato", "start", "starter", "tidspunkt", "date", "starts", "starts at",
                                        "when", "møtedato", "dato og tid"), True),
        Field("start_time", "time", ("klokkeslett", "kl.", "kl", "tid", "time", "start time", "fra kl.")),
        Field("ends_at", "end", ("slutt", "slutter", "til", "ends", "ends at", "end")),
        Field("place", "text", ("sted", "place", "location", "where")),
        Field("host_org_id", "org", ("vert", "arrangør", "host", "organiser", "organizer")),
        Field("themes", "text", ("temaer", "tema", "themes", "topics")),
        Field("prep_deadline", "date", ("forberedelsesfrist", "frist for forberedelse", "prep deadline",
                                        "preparation deadline")),
        Field("minutes", "text", ("referat", "minutes")),
        Field("minutes_url", "url", ("lenke til referat", "referat-lenke", "minutes url", "minutes link")),
        *_COMMON,
    ),
    "saker": (
        Field("title", "title", ("tittel", "title", "sak", "navn", "topic"), True),
        Field("description", "text", ("beskrivelse", "description", "om saken")),
        Field("easy_read", "text", ("lettlest", "enkelt forklart", "easy read", "plain language")),
        Field("theme_code", "theme", ("tema", "theme", "plattform")),
        Field("priority", "code", ("prioritet", "priority"), code_list="priority"),
        Field("stance", "text", ("standpunkt", "holdning", "stance", "position")),
        Field("status", "code", ("status",), code_list="sak_status"),
        Field("lead_org_id", "org", ("ansvarlig", "ledende organisasjon", "lead", "lead organisation",
                                     "lead organization")),
        Field("started_on", "date", ("startet", "start", "startdato", "started", "started on")),
        *_COMMON,
    ),
    "organisations": (
        Field("name", "title", ("navn", "name", "organisasjon", "organisation", "organization"), True),
        Field("short_name", "text", ("kortnavn", "forkortelse", "short name", "abbreviation")),
        Field("kind", "code", ("type", "art", "kind", "kategori", "category"), True,
              code_list="organisation_kind"),
        Field("parent_id", "org", ("overordnet", "under", "departement", "parent", "parent organisation")),
        Field("member_since", "year", ("medlem siden", "member since", "medlem fra")),
        Field("member_until", "year", ("medlem til", "member until", "utmeldt år")),
        Field("member_status", "code", ("medlemsstatus", "member status", "status"), code_list="member_status"),
        Field("representatives", "integer", ("representanter", "antall representanter", "representatives")),
        Field("url", "url", ("nettside", "lenke", "url", "website", "link")),
        *_COMMON,
    ),
}

# The column naming a record in messages and duplicate checks.
TITLE_FIELD = {kind: fields[0].name for kind, fields in KINDS.items()}

# Fields that only help to build another (meetings: a separate time column joins the date).
HELPER_FIELDS = {"start_time"}


def fields_of(kind: str) -> tuple[Field, ...]:
    """The importable fields of a kind (raises KeyError for an unknown kind)."""
    return KINDS[kind]


# ---------------------------------------------------------------- reading files


def read_table(data: bytes, filename: str, kind: str | None = None, sheet: str | None = None) -> Table:
    """Read CSV or Excel bytes (see spreadsheets.read_table); the heading row is one naming a field of `kind`."""
    is_heading = (lambda headings: any(guess_mapping(kind, headings).values())) if kind else None
    return spreadsheets.read_table(data, filename, sheet, is_heading)


# ---------------------------------------------------------------- column mapping


def normalise_heading(text: str) -> str:
    """A heading made comparable: lower case, no punctuation or extra spaces («Vår ref.» -> «vår ref»)."""
    text = unicodedata.normalize("NFKC", str(text or "")).casefold()
    text = re.sub(r"[_\-–—/:;.,()\[\]*]+", " ", text)
    return " ".join(text.split())


def guess_mapping(kind: str, columns: list[str]) -> dict[str, str | None]:
    """Map each file heading to a field of `kind` (None = not imported); each field used at most once.

    A heading matches a field's own name, its label in either language (so a template or an export
    comes back in), or one of its Norwegian and English aliases.
    """
    lookup: dict[str, str] = {}
    for spec in KINDS[kind]:
        labels = [i18n.t(f"data.field.{kind}.{spec.name}", lang) for lang in i18n.LANGUAGES]
        for alias in (spec.name, *labels, *spec.aliases):
            lookup.setdefault(normalise_heading(alias), spec.name)
    mapping: dict[str, str | None] = {}
    used: set[str] = set()
    # Exact field names first, so a column called `status` in an export wins over an alias.
    for column in columns:
        target = lookup.get(normalise_heading(column))
        if target and target not in used:
            mapping[column] = target
            used.add(target)
        else:
            mapping[column] = None
    return mapping


def missing_required(kind: str, mapping: dict[str, str | None]) -> list[str]:
    """Required fields that no column is mapped to."""
    mapped = {target for target in mapping.values() if target}
    return [f.name for f in KINDS[kind] if f.required and f.name not in mapped]


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


def _normal_key(text) -> str:
    # Titles compared for duplicates: case, spacing and dash style do not matter.
    text = unicodedata.normalize("NFKC", str(text or "")).replace("–", "-").replace("—", "-")
    return " ".join(text.casefold().split())


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
        return cls(by_name, by_short, {o[0] for o in orgs}, themes, labels, existing)

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


def duplicate_keys(kind: str, values: dict) -> list[tuple]:
    """The keys that make two records of `kind` the same (any one shared key is a duplicate).

    Høringer: the same Vår ref., the same address, or the same title and department. Budget inputs:
    title, year and recipient. Meetings: title and day. Saker: title. Organisations: name or short name.
    """
    title = _normal_key(values.get(TITLE_FIELD[kind]))
    if kind == "hoeringer":
        keys = [("title", title, values.get("department_id"))]
        if values.get("our_ref"):
            keys.append(("ref", _normal_key(values["our_ref"])))
        if values.get("url"):
            keys.append(("url", str(values["url"]).strip().rstrip("/")))
        return keys
    if kind == "budget_inputs":
        return [("title", title, values.get("budget_year"), values.get("recipient_org_id"))]
    if kind == "meetings":
        return [("title", title, str(values.get("starts_at") or "")[:10])]
    if kind == "organisations":
        keys = [("name", title)]
        if values.get("short_name"):
            keys.append(("short", _normal_key(values["short_name"])))
        return keys
    return [("title", title)]


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
    return {f.name: i18n.t(f"data.field.{kind}.{f.name}", lang) for f in KINDS[kind]}


def check(db: Database, kind: str, table: Table, mapping: dict[str, str | None],
          progress: Callable[[float], None] | None = None) -> Preview:
    """Check every row of `table` as records of `kind`, without writing anything.

    Each bad row gets its reasons (a field and a message key); rows equal to an existing record, or to
    an earlier row of the same file, are found by `duplicate_keys`.
    """
    specs = {f.name: f for f in KINDS[kind]}
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
            errors[name] = _TYPE_ERRORS.get(spec.type, "validation.import_value")
    for name, spec in specs.items():
        if spec.required and name not in errors and values.get(name) is None:
            errors[name] = "validation.required"
    # A cell that could not be read keeps that reason; the domain's reasons fill in the rest.
    errors.update({k: v for k, v in ROW_CHECKS[kind](db, values, raw).items() if k not in errors})
    for helper in HELPER_FIELDS:
        values.pop(helper, None)
    values = {k: v for k, v in values.items() if k in raw or k in _DERIVED[kind]}
    return values, errors


_TYPE_ERRORS = {
    "date": "validation.date", "datetime": "validation.import_datetime", "end": "validation.import_datetime",
    "time": "validation.import_time", "year": "validation.import_year", "integer": "validation.import_integer",
    "boolean": "validation.import_boolean",
}

# Fields a row check may fill in although no column gave them.
_DERIVED = {"hoeringer": {"internal_deadline", "internal_deadline_manual"}, "budget_inputs": {"outcome"},
            "meetings": set(), "saker": set(), "organisations": set()}


def _read_value(spec: Field, value, lookups: Lookups):
    kind = spec.type
    if kind in ("text", "title"):
        text = validation.clean_text(_shown(value) if not isinstance(value, str) else value)
        limit = validation.MAX_TITLE_LENGTH if kind == "title" else validation.MAX_TEXT_LENGTH
        if text is not None and validation.max_length(text, limit):
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


# ---------------------------------------------------------------- per-kind row rules
# Each check asks the kind's domain validator (the forms' rules and messages) and keeps only the steps
# that belong to reading a spreadsheet. It may fill in derived values (see _DERIVED).


def _validated(validate: Callable[[], object]) -> tuple[object | None, dict[str, str]]:
    """The domain validator's result and no errors, or None and its {field: message key}."""
    try:
        return validate(), {}
    except records.ValidationError as error:
        return None, dict(error.errors)


def _check_hoering(db: Database, values: dict, raw: dict) -> dict[str, str]:
    # Like the form: an internal deadline in the file is set by hand; without one it is derived from
    # the høringsfrist with the configured lead time (hoeringer.lead_days).
    manual = int(values.get("internal_deadline") is not None)
    checked, errors = _validated(lambda: hoeringer.clean_hoering(db, {**values, "internal_deadline_manual": manual}))
    if checked is not None:
        row, _ = checked
        if row["internal_deadline"] is not None:
            values["internal_deadline"] = row["internal_deadline"]
            values["internal_deadline_manual"] = row["internal_deadline_manual"]
    # Import only: a delivery dated before publication is a typing error in old spreadsheets.
    if "submitted_on" not in errors:
        errors["submitted_on"] = validation.not_before(values.get("submitted_on"), values.get("published_on"))
    for name in ("named_instance", "official_status", "our_status"):
        if name in values and values[name] is None:
            del values[name]  # the table's default applies
    return {k: v for k, v in errors.items() if v}


def _check_budget_input(db: Database, values: dict, raw: dict) -> dict[str, str]:
    checked, errors = _validated(lambda: budget.clean_budget_input(values))
    if checked is not None:
        row, _ = checked
        # The validator's reading of year, chapter and post («kap. 621» -> "621") is what is stored.
        values.update({k: row[k] for k in values if k in row})
        if "outcome" not in values and row["outcome"] != "ukjent":
            values["outcome"] = row["outcome"]  # follows from the amounts, as in the form
    return errors



def _check_meeting(db: Database, values: dict, raw: dict) -> dict[str, str]:
    errors = {}
    # Import only: a separate time column joins the date, and an end may be a time on the start's day.
    start = values.get("starts_at")
    clock = values.get("start_time")
    if start and clock:
        if "T" in start and start[11:16] != clock:
            errors["start_time"] = "validation.import_time_conflict"
        else:
            values["starts_at"] = f"{start[:10]}T{clock}"
    start = values.get("starts_at")
    end = values.get("ends_at")
    if end and len(end) == 5:
        if not start:
            return {**errors, "ends_at": "validation.import_datetime"}
        values["ends_at"] = f"{start[:10]}T{end}"
    # Old spreadsheets may give only a day: it is stored as a day, and checked as the day's first
    # (start) or last (end) minute, so the form's order rules compare days.
    probe = {k: v for k, v in values.items() if k in meetings.MEETING_FIELDS}
    for name, minute in (("starts_at", "00:00"), ("ends_at", "23:59")):
        if probe.get(name) and "T" not in probe[name]:
            probe[name] = f"{probe[name]}T{minute}"
    _, domain = _validated(lambda: meetings.clean_meeting(db, probe))
    return {**domain, **errors}


def _check_sak(db: Database, values: dict, raw: dict) -> dict[str, str]:
    return _validated(lambda: saker.clean_sak(db, values))[1]


def _check_organisation(db: Database, values: dict, raw: dict) -> dict[str, str]:
    return _validated(lambda: organisations.clean_organisation(db, values))[1]


# Checks of one row as a whole, per kind: (db, values read from the cells, raw cells) -> {field: key}.
ROW_CHECKS: dict[str, Callable[[Database, dict, dict], dict[str, str]]] = {
    "hoeringer": _check_hoering,
    "budget_inputs": _check_budget_input,
    "meetings": _check_meeting,
    "saker": _check_sak,
    "organisations": _check_organisation,
}


# ---------------------------------------------------------------- committing


@dataclass
class ImportResult:
    """What a commit did: records created, updated, and rows skipped (duplicates)."""

    created: int = 0
    updated: int = 0
    skipped: int = 0
    ids: list[int] = field(default_factory=list)


def commit(db: Database, actor: records.Actor, preview: Preview, on_duplicate: str = "skip",
           source_name: str | None = None, progress: Callable[[float], None] | None = None) -> ImportResult:
    """Write the checked rows in ONE transaction (all or nothing), audited as `import`.

    Refuses (ValidationError, nothing written) when any row is bad or a required field has no column.
    New rows are created; duplicates are updated (`on_duplicate="update"`, only changed fields, only
    when someone else has not changed the record since the check) or skipped (`"skip"`).
    """
    records.require_editor(actor)
    if on_duplicate not in ("skip", "update"):
        raise ValueError(on_duplicate)
    if preview.missing:
        raise records.ValidationError({name: "validation.required" for name in preview.missing})
    if preview.bad_rows:
        first = preview.bad_rows[0]
        raise records.ValidationError({f"{preview.kind}:{first.line}:{k}": v for k, v in first.errors.items()})
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


def import_rows(db: Database, actor: records.Actor, kind: str, table: Table, mapping: dict[str, str | None],
                on_duplicate: str = "skip", source_name: str | None = None,
                progress: Callable[[float], None] | None = None) -> ImportResult:
    """Check and commit a file in one transaction, so no one can add a twin between the two steps."""
    records.require_editor(actor)
    with write_transaction(db):
        preview = check(db, kind, table, mapping)
        return commit(db, actor, preview, on_duplicate, source_name, progress)


def template(kind: str, lang: str = i18n.DEFAULT_LANGUAGE) -> pd.DataFrame:
    """An empty table with every field's heading, for people who start a new spreadsheet."""
    return pd.DataFrame(columns=[i18n.t(f"data.field.{kind}.{f.name}", lang) for f in KINDS[kind]])
