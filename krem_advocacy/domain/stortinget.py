"""Storting committee hearings: the committees followed, which hearings are new, and taking one into the records.

A hearing becomes a høring held by the Storting (`venue = stortinget`, the committee as its owner, the
application deadline as its frist), or, for the budget hearing on Prop. 1 S, the budget year's hearing
application deadline and hearing date. What was taken is remembered in `storting_taken` by the Storting's
hearing id, so it is not offered again. The export is read in exchange/stortinget.py.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from sqlite_utils import Database

from krem_advocacy.domain import budget, hoeringer, organisations, validation
from krem_advocacy.store import records, settings
from krem_advocacy.store.connection import read_frame, write_transaction
from krem_advocacy.store.errors import ValidationError
from krem_advocacy.store.permissions import EDIT, Actor, require

SOURCE = "data.stortinget.no"
COMMITTEES_KEY = "stortinget_committees"
# The committees the forum follows unless an editor chooses others: the Storting's ids and names.
DEFAULT_COMMITTEES = {
    "ASOS": "Arbeids- og sosialkomiteen",
    "FAMKUL": "Familie- og kulturkomiteen",
    "FINANS": "Finanskomiteen",
    "HELSEOMS": "Helse- og omsorgskomiteen",
    "KOMMFORV": "Kommunal- og forvaltningskomiteen",
}
HEARING_PAGE = "https://www.stortinget.no/no/Hva-skjer-pa-Stortinget/Horing/horing/?h={id}"
_BUDGET = re.compile(r"prop\.?\s*1\s*s\b", re.IGNORECASE)
_SESSION = re.compile(r"^(\d{4})-(\d{4})$")


@dataclass(frozen=True)
class Case:
    """A Storting case (sak) a hearing is about."""

    id: int | None
    title: str
    short_title: str | None = None
    reference: str | None = None  # «Prop. 1 S (2025–2026)»
    url: str | None = None


@dataclass(frozen=True)
class Hearing:
    """One committee hearing as the Storting publishes it; dates are ISO or None (never a sentinel)."""

    id: int
    committee_id: str | None
    committee_name: str | None
    session: str | None = None
    status: str | None = None  # horing_status, e.g. «Planlagt», «Avholdt»
    application_deadline: str | None = None  # soknadfrist_dato: to ask to speak
    input_deadline: str | None = None  # innspillsfrist: written input
    hearing_dates: tuple[str, ...] = ()  # when it is held (start_dato, horingstidspunkt)
    place: str | None = None
    written: bool = False
    cases: tuple[Case, ...] = field(default=())
    from_case_export: bool = False  # read from eksport/sak (the fallback), not eksport/horinger

    @property
    def title(self) -> str:
        """What the hearing is about: its first case's short title, else its title, else the committee."""
        for case in self.cases:
            if case.short_title or case.title:
                return case.short_title or case.title
        return self.committee_name or f"Høring {self.id}"

    @property
    def deadline(self) -> str | None:
        """The frist the forum must meet: the application deadline, else (written hearings) the input deadline."""
        return self.application_deadline or self.input_deadline

    @property
    def hearing_on(self) -> str | None:
        """The first day it is held."""
        return min(self.hearing_dates) if self.hearing_dates else None

    @property
    def is_budget(self) -> bool:
        """The budget hearing: one of its cases is Prop. 1 S."""
        return any(_BUDGET.search(f"{c.reference or ''} {c.title} {c.short_title or ''}") for c in self.cases)

    @property
    def budget_year(self) -> int | None:
        """The budget year of a Prop. 1 S hearing: the session's second year (2025-2026 → 2026)."""
        for case in self.cases:
            found = re.search(r"\((\d{4})\s*[–-]\s*(\d{4})\)", case.reference or "")
            if found and _BUDGET.search(case.reference or ""):
                return int(found.group(2))
        matched = _SESSION.match(self.session or "")
        return int(matched.group(2)) if matched else None

    @property
    def url(self) -> str:
        """The hearing's page on stortinget.no."""
        return HEARING_PAGE.format(id=self.id)


# ---------------------------------------------------------------- sessions and committees

def current_session(today: date) -> str:
    """The Storting session on a day: it starts in October (2 March 2026 → «2025-2026»)."""
    start = today.year if today.month >= 10 else today.year - 1
    return f"{start}-{start + 1}"


def check_session(text: str | None) -> str:
    """A session as «YYYY-YYYY» (the second year the first plus one); raise ValidationError otherwise."""
    value = (text or "").strip().replace("–", "-").replace("/", "-")
    matched = _SESSION.match(value)
    if not matched or int(matched.group(2)) != int(matched.group(1)) + 1:
        raise ValidationError({"session": "validation.stortinget.session"})
    return value


def followed_committees(db: Database) -> list[str]:
    """The Storting ids of the committees the forum follows (the setting, else DEFAULT_COMMITTEES)."""
    saved = settings.get(db, COMMITTEES_KEY)
    if saved is None:
        return list(DEFAULT_COMMITTEES)
    return [c for c in saved.split(",") if c]


def save_followed_committees(db: Database, actor: Actor, committee_ids: list[str]) -> None:
    """Choose the committees followed (Storting ids such as ASOS); editors only, audited. At least one."""
    require(actor, EDIT)
    cleaned = []
    for value in committee_ids:
        value = (value or "").strip().upper()
        if value and value not in cleaned:
            if not re.fullmatch(r"[A-ZÆØÅ0-9_-]{2,20}", value):
                raise ValidationError({"committees": "validation.stortinget.committee"})
            cleaned.append(value)
    if not cleaned:
        raise ValidationError({"committees": "validation.required"})
    settings.put(db, COMMITTEES_KEY, ",".join(cleaned), actor=actor)


def committee_names(db: Database) -> dict[str, str]:
    """Committee names by Storting id: the defaults, and committees recorded with an id as short name."""
    names = dict(DEFAULT_COMMITTEES)
    for short, name in db.execute("SELECT short_name, name FROM organisations WHERE kind = 'committee' "
                                  "AND short_name IS NOT NULL"):
        names.setdefault(short.upper(), name)
    return names


def _norm(text: str | None) -> str:
    return " ".join(unicodedata.normalize("NFKC", text or "").replace("–", "-").casefold().split())


def is_followed(hearing: Hearing, followed: list[str]) -> bool:
    """True when the hearing's committee is one of those followed (by id, or by name when the id is missing)."""
    wanted = {c.upper() for c in followed}
    if hearing.committee_id:
        return hearing.committee_id.upper() in wanted
    names = {_norm(DEFAULT_COMMITTEES.get(c)) for c in wanted if c in DEFAULT_COMMITTEES}
    return _norm(hearing.committee_name) in names


# ---------------------------------------------------------------- what is new

def taken(db: Database) -> pd.DataFrame:
    """Storting hearings taken in, newest first, with what they became."""
    return read_frame(db, """
        SELECT t.hearing_id, t.session, t.committee_id, t.title, t.taken_at, t.taken_by, t.hoering_id,
               t.budget_year_id, y.budget_year
          FROM storting_taken t LEFT JOIN budget_years y ON y.id = t.budget_year_id
         ORDER BY t.taken_at DESC""")


def taken_ids(db: Database) -> set[int]:
    """The Storting ids of the hearings already taken in."""
    return {row[0] for row in db.execute("SELECT hearing_id FROM storting_taken")}


def offered(db: Database, hearings: list[Hearing], today: date, followed: list[str] | None = None) -> list[Hearing]:
    """Hearings to offer: of a followed committee, not taken in, and not yet past their deadline; soonest first."""
    followed = followed_committees(db) if followed is None else followed
    done = taken_ids(db)
    shown = [h for h in hearings if is_followed(h, followed) and h.id not in done
             and (h.deadline is None or h.deadline >= today.isoformat())]
    return sorted(shown, key=lambda h: (h.deadline is None, h.deadline or "", h.id))


# ---------------------------------------------------------------- taking a hearing in

def committee_id_for(db: Database, actor: Actor, hearing: Hearing) -> int | None:
    """The committee's organisation (matched by Storting id or name), created when it is not recorded yet."""
    if not hearing.committee_id and not hearing.committee_name:
        return None
    for org_id, name, short in db.execute(
            "SELECT id, name, short_name FROM organisations WHERE kind = 'committee' ORDER BY id"):
        if (hearing.committee_id and (short or "").upper() == hearing.committee_id.upper()) or (
                hearing.committee_name and _norm(name) == _norm(hearing.committee_name)):
            return org_id
    name = hearing.committee_name or DEFAULT_COMMITTEES.get((hearing.committee_id or "").upper()) \
        or hearing.committee_id
    return organisations.create_organisation(db, actor, {
        "name": name[:validation.MAX_TITLE_LENGTH], "short_name": (hearing.committee_id or None),
        "kind": "committee", "source": SOURCE, "url": "https://www.stortinget.no"})


def _notes(hearing: Hearing) -> str:
    lines = []
    for case in hearing.cases:
        ref = f" ({case.reference})" if case.reference else ""
        lines.append(f"Sak på Stortinget: {case.title}{ref}" + (f" – {case.url}" if case.url else ""))
    if hearing.hearing_dates:
        lines.append("Høringsdato: " + ", ".join(".".join(reversed(d.split("-"))) for d in hearing.hearing_dates)
                     + (f" ({hearing.place})" if hearing.place else ""))
    if hearing.input_deadline and hearing.input_deadline != hearing.deadline:
        lines.append("Frist for skriftlige innspill: " + ".".join(reversed(hearing.input_deadline.split("-"))))
    if hearing.status:
        lines.append(f"Status på Stortinget: {hearing.status}")
    return "\n".join(lines)[:validation.MAX_TEXT_LENGTH]


def take_in(db: Database, actor: Actor, hearing: Hearing, saker: list[int] | None = None,
            today: date | None = None) -> dict:
    """Take one hearing into the records, in one transaction; return {"hoering_id"} or {"budget_year_id", "budget_year"}.

    A Prop. 1 S hearing sets the budget year's hearing application deadline and hearing date (the year is
    created when missing); any other becomes a høring held by the Storting, owned by the committee (created
    when missing), its frist the application deadline, linked to the forum's `saker` given. A hearing
    taken before raises ValidationError; so does anything the høring's or budget year's checks refuse,
    and then nothing is written.
    """
    require(actor, EDIT)
    with write_transaction(db):
        if hearing.id in taken_ids(db):
            raise ValidationError({"hearing": "validation.stortinget.already_taken"})
        hoering_id = year_id = year = None
        if hearing.is_budget and hearing.budget_year:
            year = hearing.budget_year
            values = {"hearing_application_deadline": hearing.application_deadline or hearing.deadline,
                      "hearing_on": hearing.hearing_on}
            values = {k: v for k, v in values.items() if v}
            if not values:
                raise ValidationError({"hearing": "validation.stortinget.no_dates"})
            current = budget.get_budget_year(db, year, include_internal=True)
            if current is None:
                year_id = budget.create_budget_year(db, actor, {"budget_year": year, **values, "source": SOURCE})
            else:
                budget.update_budget_year(db, actor, current["id"], values, current["version"])
                year_id = current["id"]
        else:
            owner = committee_id_for(db, actor, hearing)
            hoering_id = hoeringer.create_hoering(db, actor, {
                "title": hearing.title[:validation.MAX_TITLE_LENGTH], "venue": "stortinget",
                "department_id": owner, "deadline": hearing.deadline, "url": hearing.url,
                "official_status": "paa_hoering", "our_status": "innkommet", "source": SOURCE,
                "notes": _notes(hearing) or None, "saker": list(saker or [])}, today=today, action="import")
        db.execute("INSERT INTO storting_taken (hearing_id, session, committee_id, title, taken_at, taken_by, "
                   "hoering_id, budget_year_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   [hearing.id, hearing.session, hearing.committee_id, hearing.title[:500], records.now_iso(),
                    actor.name, hoering_id, year_id])
    if hoering_id is not None:
        return {"hoering_id": hoering_id}
    return {"budget_year_id": year_id, "budget_year": year}
