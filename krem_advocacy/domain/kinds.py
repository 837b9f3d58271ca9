"""Every record kind in one list, for what works across kinds (demo data, search, the schema check)."""

from krem_advocacy.domain import budget, hoeringer, meetings, organisations, saker
from krem_advocacy.domain.fields import Kind

ALL: tuple[Kind, ...] = (
    organisations.KIND, organisations.PERSON_KIND, organisations.ROLE_KIND, saker.KIND, hoeringer.KIND,
    budget.YEAR_KIND, budget.KIND, meetings.MEETING_KIND, meetings.AGENDA_KIND, meetings.TILSAGN_KIND,
)
BY_TABLE: dict[str, Kind] = {kind.table: kind for kind in ALL}
