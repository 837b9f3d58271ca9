"""What a regjeringen.no høring page says (frist, status, Vår ref., høringsinstanser), compared and saved.

Names are matched robustly: case, dashes and spaces do not matter, and «Leieboerforeningen»,
«Leieboerforeningen (LBF)», «LBF» and «RIO – Rusmisbrukernes interesseorganisasjon» /
«Rusmisbrukernes interesseorganisasjon (RIO)» are each the same organisation.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from sqlite_utils import Database

from krem_advocacy.domain import hoeringer
from krem_advocacy.store.permissions import EDIT, Actor, require

_PAREN = re.compile(r"\(([^)]*)\)")
_DASHES = re.compile(r"\s*[\u2010-\u2015\-]\s*")
# Status words on the page, Bokmål and Nynorsk, to the stored codes.
STATUSES = {"på høring": "paa_hoering", "på høyring": "paa_hoering", "under behandling": "under_behandling",
            "under handsaming": "under_behandling", "ferdigbehandlet": "ferdigbehandlet",
            "ferdigbehandla": "ferdigbehandlet", "ferdig behandlet": "ferdigbehandlet"}
COMPARED = ("deadline", "official_status", "their_ref", "named_instance")


@dataclass(frozen=True)
class PageFacts:
    """What a høring page states; None where it says nothing."""

    deadline: str | None = None
    status: str | None = None  # a stored code (paa_hoering …)
    status_text: str | None = None  # as written on the page
    case_ref: str | None = None  # the ministry's «Vår ref.» / saksnummer: our their_ref
    instances: tuple[str, ...] = ()


@dataclass
class PageOutcome:
    """What reading the page changed: {field: (before, after)}, the members found in the list, the new version."""

    changes: dict = field(default_factory=dict)
    members: list[str] = field(default_factory=list)
    version: int | None = None
    instances: int = 0


def status_code(text: str | None) -> str | None:
    """The stored code of a status as the page writes it («Under behandling» → under_behandling)."""
    return STATUSES.get(" ".join((text or "").casefold().split()))


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").casefold()
    text = _DASHES.sub(" - ", text)
    return " ".join(text.replace("«", "").replace("»", "").replace(".", " ").replace(",", " ").split())


def name_keys(name: str, short_name: str | None = None) -> set[str]:
    """The forms a name is known by: itself, without its bracketed short name, the short name, and each part
    around a dash that is more than one word or a short name («RIO – Rusmisbrukernes …»)."""
    keys = set()
    whole = _plain(name)
    if whole:
        keys.add(whole)
    for inner in _PAREN.findall(name or ""):
        if _plain(inner):
            keys.add(_plain(inner))
    bare = _plain(_PAREN.sub(" ", name or ""))
    if bare:
        keys.add(bare)
        parts = [p.strip() for p in bare.split(" - ")]
        if len(parts) > 1:
            keys.update(p for p in parts if p and (len(p.split()) > 1 or (p.isalpha() and len(p) <= 6)))
    if short_name and _plain(short_name):
        keys.add(_plain(short_name))
    return keys


def named_members(db: Database, instances: list[str] | tuple[str, ...]) -> list[tuple[int, str]]:
    """Forum members (and the secretariat) named in a list of høringsinstanser: (id, name), in name order."""
    listed = set()
    for line in instances:
        listed |= name_keys(line)
    found = []
    for org_id, name, short in db.execute(
            "SELECT id, name, short_name FROM organisations WHERE kind IN ('forum_member', 'secretariat') "
            "AND COALESCE(member_status, 'aktiv') <> 'utmeldt' ORDER BY name"):
        if name_keys(name, short) & listed:
            found.append((org_id, name))
    return found


def compare(db: Database, record: dict, facts: PageFacts) -> PageOutcome:
    """What the page would change on the høring (only what it states and differs), and the members it names."""
    members = named_members(db, facts.instances)
    proposed = {"deadline": facts.deadline, "official_status": facts.status,
                "their_ref": facts.case_ref if facts.case_ref and hoeringer.THEIR_REF_PATTERN.match(facts.case_ref) else None,
                # Set when a member is listed; never unset by a page, as an editor may know better.
                "named_instance": 1 if members else None}
    changes = {name: (record.get(name), value) for name, value in proposed.items()
               if value is not None and value != record.get(name)}
    return PageOutcome(changes=changes, members=[name for _, name in members], instances=len(facts.instances))


def apply_page(db: Database, actor: Actor, hoering_id: int, facts: PageFacts, expected_version: int) -> PageOutcome:
    """Save what the page changes on the høring (through the høring's checks; a stale version is a conflict).

    Nothing is written when nothing differs.
    """
    require(actor, EDIT)
    record = hoeringer.get_hoering(db, hoering_id, include_internal=True)
    if record is None:
        raise LookupError(hoering_id)
    outcome = compare(db, record, facts)
    outcome.version = record["version"]
    if outcome.changes:
        outcome.version = hoeringer.update_hoering(
            db, actor, hoering_id, {name: after for name, (_, after) in outcome.changes.items()}, expected_version)
    return outcome
