"""Every record kind in one list, for what works across kinds (demo data, search, the schema check)."""

from sqlite_utils import Database

from krem_advocacy.domain import budget, fields, hoeringer, meetings, organisations, saker
from krem_advocacy.domain.fields import ImportSpec, Kind

ALL: tuple[Kind, ...] = (
    organisations.KIND, organisations.PERSON_KIND, organisations.ROLE_KIND, saker.KIND, hoeringer.KIND,
    budget.YEAR_KIND, budget.KIND, meetings.MEETING_KIND, meetings.AGENDA_KIND, meetings.TILSAGN_KIND,
)
BY_TABLE: dict[str, Kind] = {kind.table: kind for kind in ALL}

# How each importable kind is imported, with its duplicate rule (forms check new records by the same rule).
IMPORTS: dict[str, ImportSpec] = {spec.kind.table: spec for spec in (
    hoeringer.IMPORT, budget.IMPORT, meetings.IMPORT, saker.IMPORT, organisations.IMPORT)}


def duplicates(db: Database, table: str, values: dict) -> list[dict]:
    """Saved records of `table` that a new record with `values` would duplicate (`fields.duplicates`)."""
    return fields.duplicates(db, IMPORTS[table], values)
