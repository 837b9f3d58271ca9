"""The refusals of the data layer, one base class: each carries the i18n key of the message users see."""


class KremError(Exception):
    """A change or read the app refuses, for a reason the user is told (`key`: its message in the catalogue)."""

    key = "form.failed"


class PermissionDenied(KremError):
    """The actor's role may not do this."""

    key = "form.permission_denied"


class ConflictError(KremError):
    """Someone else saved the record after this editor opened it."""

    key = "form.conflict"

    def __init__(self, table: str, record_id: int, expected_version: int, current: dict | None):
        self.table = table
        self.record_id = record_id
        self.expected_version = expected_version
        self.current = current  # the row as it is now (None if deleted)
        super().__init__(f"{table} {record_id}: expected version {expected_version}")


class ValidationError(KremError):
    """Input that may not be saved. `errors` maps a field to an i18n message key."""

    key = "form.invalid"

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__(", ".join(f"{k}: {v}" for k, v in errors.items()))
