"""Norwegian dates and amounts, literal cases."""

from datetime import date

import pytest

from krem_advocacy.text import formatting

NBSP = "\u00a0"


@pytest.mark.parametrize("value, expected", [
    (1_500_000, f"1{NBSP}500{NBSP}000{NBSP}kr"),
    (250, f"250{NBSP}kr"),
    (0, f"0{NBSP}kr"),
    (-12345, f"−12{NBSP}345{NBSP}kr"),
    (None, ""),
])
def test_format_amount(value, expected):
    assert formatting.format_amount(value) == expected


def test_format_dates():
    assert formatting.format_date("2024-02-06") == "06.02.2024"
    assert formatting.format_date(None) == ""
    assert formatting.format_datetime("2018-01-08T12:00") == "08.01.2018 kl. 12:00"
    assert formatting.format_datetime("2018-01-08") == "08.01.2018"


def test_relative_days_in_both_languages():
    assert [formatting.relative_days(d) for d in (0, 1, -1, 5, -3)] == [
        "i dag", "i morgen", "i går", "om 5 dager", "for 3 dager siden"]
    assert [formatting.relative_days(d, "en") for d in (0, 5, -3)] == ["today", "in 5 days", "3 days ago"]
    assert formatting.days_until("2026-03-06", date(2026, 3, 2)) == 4


def test_quarter_label():
    assert formatting.quarter_label("2025-11-20") == "2025 K4"
    assert formatting.quarter_label("2026-01-01") == "2026 K1"
