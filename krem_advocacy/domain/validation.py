"""Small reusable checks for form input; each returns an i18n message key or None.

Domain modules collect these into a dict {field: key} and raise ValidationError,
so nothing is written when any field is wrong.
"""

import re
from datetime import date, datetime
from urllib.parse import urlparse

from krem_advocacy.store.errors import ValidationError

MAX_TITLE_LENGTH = 300
MAX_TEXT_LENGTH = 20_000
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value) -> str | None:
    """Trimmed text without control characters (newlines and tabs kept); None when empty."""
    if value is None:
        return None
    text = _CONTROL_CHARS.sub("", str(value)).strip()
    return text or None


def required(value) -> str | None:
    """`validation.required` when the value is empty."""
    return "validation.required" if clean_text(value) is None else None


def max_length(value, limit: int) -> str | None:
    """`validation.too_long` when text is longer than `limit` characters."""
    return "validation.too_long" if value is not None and len(str(value)) > limit else None


def url(value) -> str | None:
    """`validation.url` unless empty or an http(s) address with a host."""
    text = clean_text(value)
    if text is None:
        return None
    parsed = urlparse(text)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or " " in text:
        return "validation.url"
    return None


def iso_date(value) -> str | None:
    """`validation.date` unless empty or a real date (date object or YYYY-MM-DD)."""
    if value in (None, "") or isinstance(value, date):
        return None
    try:
        date.fromisoformat(str(value))
    except ValueError:
        return "validation.date"
    return None


_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$")


def moment(value) -> str | None:
    """`validation.datetime` unless empty or a local date and time `YYYY-MM-DDTHH:MM` (as meetings store it)."""
    if not value:
        return None
    try:
        datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return "validation.datetime"
    return None if _MOMENT.match(value) else "validation.datetime"


def not_before(later, earlier) -> str | None:
    """`validation.date_order` when both dates are given and `later` comes before `earlier`."""
    if later in (None, "") or earlier in (None, ""):
        return None
    return "validation.date_order" if str(later)[:10] < str(earlier)[:10] else None


def one_of(value, allowed, nullable: bool = True) -> str | None:
    """`validation.choice` when a code is not in its list."""
    if value in (None, "") and nullable:
        return None
    return None if value in allowed else "validation.choice"


def raise_if_any(errors: dict[str, str | None]) -> None:
    """Raise ValidationError with the fields that failed (ignores None entries)."""
    failed = {field: key for field, key in errors.items() if key}
    if failed:
        raise ValidationError(failed)
