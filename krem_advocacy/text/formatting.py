"""Dates, amounts and relative days shown the Norwegian way, without depending on the OS locale."""

from datetime import date, datetime

NBSP = "\u00a0"  # keeps «1 500 000 kr» on one line on a phone


def parse_date(value) -> date | None:
    """A date from an ISO string, date or datetime; None for empty values."""
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    return datetime.fromisoformat(text).date() if "T" in text or " " in text else date.fromisoformat(text[:10])


def format_date(value) -> str:
    """DD.MM.YYYY, or an empty string."""
    day = parse_date(value)
    return day.strftime("%d.%m.%Y") if day else ""


def format_datetime(value) -> str:
    """DD.MM.YYYY kl. HH:MM (the time left out when there is none)."""
    if value is None or value == "":
        return ""
    text = str(value)
    if "T" not in text and " " not in text.strip():
        return format_date(text)
    moment = datetime.fromisoformat(text)
    return moment.strftime("%d.%m.%Y kl. %H:%M")


def format_amount(value, unit: str = "kr") -> str:
    """Whole kroner with spaces between thousands: 1500000 -> «1 500 000 kr»."""
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return ""
    number = int(round(float(value)))
    sign = "−" if number < 0 else ""
    grouped = f"{abs(number):,}".replace(",", NBSP)
    return f"{sign}{grouped}{NBSP}{unit}" if unit else f"{sign}{grouped}"


def days_until(value, today: date) -> int | None:
    """Whole days from today to the date (negative when it has passed)."""
    day = parse_date(value)
    return (day - today).days if day else None


def relative_days(days: int | None, lang: str = "nb") -> str:
    """«i dag», «om 3 dager», «for 2 dager siden» (or English)."""
    if days is None:
        return ""
    if lang == "en":
        if days == 0:
            return "today"
        if days == 1:
            return "tomorrow"
        if days == -1:
            return "yesterday"
        return f"in {days} days" if days > 0 else f"{-days} days ago"
    if days == 0:
        return "i dag"
    if days == 1:
        return "i morgen"
    if days == -1:
        return "i går"
    return f"om {days} dager" if days > 0 else f"for {-days} dager siden"


def quarter_label(value) -> str:
    """«2025 K3» for a date (the axis label of activity charts)."""
    day = parse_date(value)
    return f"{day.year} K{(day.month - 1) // 3 + 1}" if day else ""
