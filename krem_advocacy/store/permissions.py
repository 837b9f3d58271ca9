"""Who may do what: the roles, the named actions each role may take, and the one check of them.

Every write checks its action here (`require`), in the data layer, so a hidden button is never the
only guard; pages ask the same rules (`Actor.can`) to decide what to show.
"""

from dataclasses import dataclass, field

from krem_advocacy.store.errors import PermissionDenied
from krem_advocacy.text.codes import ROLES

# The actions, and the roles that may take them.
EDIT = "edit"  # create, change and delete records; import; settings of the workflow
SEE_INTERNAL = "see_internal"  # internal notes and records marked internal
ADMINISTER = "administer"  # restore backups, export sign-in data, manage access
ALLOWED: dict[str, tuple[str, ...]] = {
    EDIT: ("editor", "admin"),
    SEE_INTERNAL: ("editor", "admin"),
    ADMINISTER: ("admin",),
}
assert all(set(roles) <= set(ROLES) for roles in ALLOWED.values())


@dataclass(frozen=True)
class Actor:
    """Who is making a change, and with which role (viewer, editor, admin).

    `account` names the account the role came from, so it can be asked again later (a private calendar
    address works only while its account still edits): `password:<user name>`, `email:<address>` or
    `dev:<name>`; None for a visitor who has not signed in.
    """

    name: str
    role: str = "viewer"
    email: str | None = field(default=None, compare=False)
    account: str | None = field(default=None, compare=False)

    def can(self, action: str) -> bool:
        """True when this role may take `action` (one of the names above)."""
        return self.role in ALLOWED[action]

    @property
    def can_edit(self) -> bool:
        return self.can(EDIT)

    @property
    def is_admin(self) -> bool:
        return self.can(ADMINISTER)


VIEWER = Actor("anonym", "viewer")
SYSTEM = Actor("system", "admin")  # migrations, demo data, command-line imports


def require(actor: Actor, action: str) -> None:
    """Refuse (PermissionDenied) unless the actor's role may take `action`."""
    if not actor.can(action):
        raise PermissionDenied(f"{actor.name} ({actor.role}) may not {action}")

