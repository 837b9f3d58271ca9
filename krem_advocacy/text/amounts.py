"""Kroner as people type them («1,5 mill», «250'», «kr 300 000») read as whole kroner; rules in docs/budget.md."""

import re
from decimal import Decimal, InvalidOperation

from krem_advocacy.text.formatting import NBSP, format_amount

# Above any single line of the state budget (the whole budget is about 2 000 mrd).
MAX_AMOUNT = 10_000_000_000_000

UNITS = {
    "": 1,
    "'": 1_000, "k": 1_000, "tusen": 1_000,
    "mill": 1_000_000, "million": 1_000_000, "millioner": 1_000_000, "mio": 1_000_000,
    "mln": 1_000_000, "m": 1_000_000,
    "mrd": 1_000_000_000, "milliard": 1_000_000_000, "milliarder": 1_000_000_000,
}

_SPACES = re.compile(r"[\s\u00a0\u2007\u2009\u202f]+")
_APOSTROPHES = re.compile(r"[’‘′´`]")
_CURRENCY = re.compile(r"^(?:kroner|kr\.?|nok)\s*|\s*(?:kroner|kr\.?|nok)$")
_SHAPE = re.compile(r"^(?P<number>[0-9][0-9 .,]*?)\s*(?P<unit>'|[a-zæøå]+\.?)?$")


class AmountError(ValueError):
    """Text that is not an amount of kroner; `key` is the i18n message key."""

    def __init__(self, key: str):
        self.key = key
        super().__init__(key)


def parse_amount(value) -> int | None:
    """Whole kroner from typed text or a number; None when empty. Raises AmountError otherwise."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, bool):
        raise AmountError("validation.amount_not_number")
    if isinstance(value, (int, float, Decimal)):
        return _checked(Decimal(str(value)))
    text = _normalise(str(value))
    if not text:
        return None
    if text.startswith("-"):
        # Only refuse as negative what would otherwise be an amount: «-abc» is simply not a number.
        _parse_text(text[1:].strip())
        raise AmountError("validation.amount_negative")
    return _parse_text(text.lstrip("+").strip())


def amount_input(value) -> str:
    """An amount as shown in a form field for editing: «1 500 000» (empty for none)."""
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return ""
    return f"{int(value):,}".replace(",", " ")


def _normalise(text: str) -> str:
    text = _SPACES.sub(" ", text).strip().lower()
    text = _APOSTROPHES.sub("'", text).replace("−", "-").replace("–", "-")
    if text.endswith((",-", ".-", ",–")):
        text = text[:-2].strip()
    # Currency before or after, possibly with the sign outside it: «kr -5», «-5 kr».
    previous = None
    while previous != text:
        previous = text
        text = _CURRENCY.sub("", text).strip()
        if text.endswith((",-", ".-")):
            text = text[:-2].strip()
    return text


def _parse_text(text: str) -> int:
    match = _SHAPE.match(text)
    if not match:
        raise AmountError("validation.amount_not_number")
    unit = (match.group("unit") or "").rstrip(".")
    if unit not in UNITS:
        raise AmountError("validation.amount_not_number")
    number = _number(match.group("number").strip(), has_unit=bool(unit))
    return _checked(number * UNITS[unit])


def _number(text: str, has_unit: bool) -> Decimal:
    """A decimal from digits with spaces, dots and commas, following the rules in the module doc."""
    if text[-1] in ".,":
        raise AmountError("validation.amount_not_number")
    decimal_mark = _decimal_mark(text, has_unit)
    if decimal_mark:
        whole, _, fraction = text.rpartition(decimal_mark)
        if not fraction.isdigit():
            raise AmountError("validation.amount_not_number")
    else:
        whole, fraction = text, ""
    groups = re.split(r"[ .,]", whole)  # only ASCII digits reach here (see _SHAPE)
    separators = set(re.findall(r"[.,]", whole))
    if len(separators) > 1 or not all(g.isdigit() for g in groups):
        raise AmountError("validation.amount_not_number")
    if len(groups) > 1 and (len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:])):
        raise AmountError("validation.amount_not_number")
    try:
        return Decimal("".join(groups) + ("." + fraction if fraction else ""))
    except InvalidOperation:
        raise AmountError("validation.amount_not_number") from None


def _decimal_mark(text: str, has_unit: bool) -> str | None:
    dots, commas = text.count("."), text.count(",")
    if dots and commas:
        return "." if text.rfind(".") > text.rfind(",") else ","
    mark = "." if dots else "," if commas else None
    if mark is None or text.count(mark) > 1:
        return None
    three_digits_after = re.search(re.escape(mark) + r"[0-9]{3}$", text) is not None
    if three_digits_after and has_unit:
        # «1,250 mill» is 1,25 mill in Norwegian but 1 250 mill in English: ask instead of guessing.
        raise AmountError("validation.amount_ambiguous")
    return None if three_digits_after else mark


def _checked(amount: Decimal) -> int:
    if amount < 0:
        raise AmountError("validation.amount_negative")
    if amount != amount.to_integral_value():
        raise AmountError("validation.amount_whole")
    if amount > MAX_AMOUNT:
        raise AmountError("validation.amount_too_large")
    return int(amount)


def short_amount(value, mill: str = "mill", mrd: str = "mrd", decimal: str = ",") -> str:
    """A rounded amount for key figures: «16,8 mrd kr», «31,5 mill kr», «250 000 kr» (below a million)."""
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return ""
    number = float(value)
    for size, word in ((1e9, mrd), (1e6, mill)):
        if abs(number) >= size:
            shown = f"{number / size:.1f}".rstrip("0").rstrip(".").replace(".", decimal)
            return f"{shown}{NBSP}{word}{NBSP}kr"
    return format_amount(number)
