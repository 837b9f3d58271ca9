"""Stable codes stored in the database; their labels live in the i18n catalogue (`code.<list>.<code>`)."""

THEME_ORIGINS = ("forum", "krem", "annet")

ORGANISATION_KINDS = (
    "forum_member",  # member of Samarbeidsforum
    "secretariat",  # Batteriet Oslo
    "department",  # a ministry (departement)
    "directorate",  # direktorat / etat
    "committee",  # Storting committee
    "party",  # political party or parliamentary group
    "municipality",
    "other",
)

MEMBER_STATUSES = ("aktiv", "permisjon", "utmeldt")

PERSON_SIDES = ("forum", "government", "other")

PRIORITIES = ("hoey", "middels", "lav")

SAK_STATUSES = ("aktiv", "pause", "avsluttet")

HOERING_OFFICIAL_STATUSES = ("paa_hoering", "under_behandling", "ferdigbehandlet")

# The forum's own workflow around a consultation, in order.
HOERING_OUR_STATUSES = ("innkommet", "til_vurdering", "svarer", "svarer_ikke", "levert", "arkivert")

# Who holds a høring: a ministry or agency (regjeringen.no), or a Storting committee (komitéhøring).
HOERING_VENUES = ("forvaltning", "stortinget")

ANSWER_TYPES = ("med_merknad", "uten_merknad")

# The yearly state budget cycle, in order.
BUDGET_PHASES = ("vaarinnspill", "prop1s", "budsjetthoering", "innstilling", "vedtatt", "revidert")

BUDGET_OUTCOMES = ("innfridd", "delvis", "ikke", "ukjent")

MEETING_KINDS = ("ku", "forum", "konferanse", "annet")

TILSAGN_STATUSES = ("aapen", "fulgt_opp", "innfridd", "ikke_innfridd")

# Tilsagn still waiting for the government to deliver.
OPEN_TILSAGN_STATUSES = ("aapen", "fulgt_opp")

AUDIT_ACTIONS = ("create", "update", "delete", "archive", "restore", "import", "link")

ROLES = ("viewer", "editor", "admin")

# Every code list by the name used in i18n keys (`code.<name>.<code>`).
CODE_LISTS = {
    "theme_origin": THEME_ORIGINS,
    "organisation_kind": ORGANISATION_KINDS,
    "member_status": MEMBER_STATUSES,
    "person_side": PERSON_SIDES,
    "priority": PRIORITIES,
    "sak_status": SAK_STATUSES,
    "hoering_official_status": HOERING_OFFICIAL_STATUSES,
    "hoering_our_status": HOERING_OUR_STATUSES,
    "hoering_venue": HOERING_VENUES,
    "answer_type": ANSWER_TYPES,
    "budget_phase": BUDGET_PHASES,
    "budget_outcome": BUDGET_OUTCOMES,
    "meeting_kind": MEETING_KINDS,
    "tilsagn_status": TILSAGN_STATUSES,
    "audit_action": AUDIT_ACTIONS,
    "role": ROLES,
}
