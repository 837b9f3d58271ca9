"""Kroner as people type them, read into whole kroner and shown as «1 500 000 kr»: literal cases."""

import pytest

from krem_advocacy.text import amounts, formatting
from krem_advocacy.text.amounts import AmountError, parse_amount

NBSP = "\u00a0"


@pytest.mark.parametrize("typed, kroner", [
    # plain numbers and thousands groups
    ("1500000", 1_500_000),
    ("1 500 000", 1_500_000),
    (f"1{NBSP}500{NBSP}000", 1_500_000),       # pasted from our own display
    ("1\u202f500\u202f000", 1_500_000),         # narrow no-break space (Word, Excel)
    ("1.500.000", 1_500_000),
    ("1,500,000", 1_500_000),
    ("1.500", 1_500),                          # one mark before three digits groups thousands
    ("1,500", 1_500),
    ("0", 0),                                  # a post can be cut to nothing
    ("  42  ", 42),
    ("+5", 5),
    # currency words and the «,-» ending
    ("1 500 000 kr", 1_500_000),
    ("1 500 000 kr.", 1_500_000),
    ("kr 300 000", 300_000),
    ("Kr. 300 000", 300_000),
    ("NOK 300000", 300_000),
    ("300 000 kroner", 300_000),
    ("1 500 000,-", 1_500_000),
    ("kr 1 500 000,-", 1_500_000),
    ("1 500 000,00", 1_500_000),
    ("1.500.000,00", 1_500_000),
    ("1,500,000.00", 1_500_000),
    # units
    ("1,5 mill", 1_500_000),
    ("1,5 mill.", 1_500_000),
    ("1.5 millioner", 1_500_000),
    ("1 million", 1_000_000),
    ("1,5 mio", 1_500_000),
    ("1,5m", 1_500_000),
    ("1 500 mill", 1_500_000_000),
    ("1,25 mill", 1_250_000),
    ("2 mrd", 2_000_000_000),
    ("2 mrd.", 2_000_000_000),
    ("2,5 milliarder", 2_500_000_000),
    ("NOK 2.5 mrd", 2_500_000_000),
    ("250'", 250_000),                          # Prop. 1 S counts in thousands
    ("250’", 250_000),                          # typographic apostrophe
    ("1 250'", 1_250_000),
    ("250k", 250_000),
    ("250 k", 250_000),
    ("250 tusen", 250_000),
    ("1,5 mill kr", 1_500_000),
    ("1,5 millioner kroner", 1_500_000),
])
def test_parse_amount_reads_what_people_type(typed, kroner):
    assert parse_amount(typed) == kroner


@pytest.mark.parametrize("value, kroner", [
    (None, None), ("", None), ("   ", None), (float("nan"), None),
    (1_500_000, 1_500_000), (1500000.0, 1_500_000), (0, 0),
])
def test_parse_amount_takes_empty_values_and_numbers(value, kroner):
    assert parse_amount(value) == kroner


@pytest.mark.parametrize("typed, key", [
    ("-5", "validation.amount_negative"),
    ("- 5", "validation.amount_negative"),
    ("−1 500", "validation.amount_negative"),    # the minus sign we display
    ("kr -5", "validation.amount_negative"),
    ("-1,5 mill", "validation.amount_negative"),
    (-5, "validation.amount_negative"),
    ("abc", "validation.amount_not_number"),
    ("-abc", "validation.amount_not_number"),
    ("1 50 000", "validation.amount_not_number"),  # a group of two digits is a typing slip
    ("1.50.000", "validation.amount_not_number"),
    ("1500.", "validation.amount_not_number"),
    ("1e6", "validation.amount_not_number"),
    ("5 dollar", "validation.amount_not_number"),
    ("ca. 5 mill", "validation.amount_not_number"),
    ("fem millioner", "validation.amount_not_number"),
    (True, "validation.amount_not_number"),
    ("1 500,50", "validation.amount_whole"),        # øre are not tracked
    ("0,5", "validation.amount_whole"),
    ("1,2345678 mill", "validation.amount_whole"),
    (1.5, "validation.amount_whole"),
    ("1,250 mill", "validation.amount_ambiguous"),  # 1,25 mill or 1 250 mill?
    ("1.500 mill", "validation.amount_ambiguous"),
    ("99 999 mrd", "validation.amount_too_large"),
])
def test_parse_amount_refuses_with_a_reason(typed, key):
    with pytest.raises(AmountError) as caught:
        parse_amount(typed)
    assert caught.value.key == key


@pytest.mark.parametrize("kroner, shown", [
    (1_500_000, f"1{NBSP}500{NBSP}000{NBSP}kr"),
    (250_000, f"250{NBSP}000{NBSP}kr"),
    (31_500_000, f"31{NBSP}500{NBSP}000{NBSP}kr"),
    (2_000_000_000, f"2{NBSP}000{NBSP}000{NBSP}000{NBSP}kr"),
    (999, f"999{NBSP}kr"),
    (0, f"0{NBSP}kr"),
])
def test_typed_amounts_are_always_shown_as_kroner(kroner, shown):
    assert formatting.format_amount(kroner) == shown


@pytest.mark.parametrize("typed, shown", [
    ("1,5 mill", f"1{NBSP}500{NBSP}000{NBSP}kr"),
    ("250'", f"250{NBSP}000{NBSP}kr"),
    ("kr 300 000", f"300{NBSP}000{NBSP}kr"),
    ("2 mrd", f"2{NBSP}000{NBSP}000{NBSP}000{NBSP}kr"),
])
def test_parse_then_format_round_trip(typed, shown):
    assert formatting.format_amount(parse_amount(typed)) == shown
    assert parse_amount(shown) == parse_amount(typed)  # what we show can be typed back


def test_amount_input_prefills_a_form_field():
    assert amounts.amount_input(1_500_000) == "1 500 000"
    assert amounts.amount_input(None) == ""
    assert parse_amount(amounts.amount_input(38_000_000)) == 38_000_000


@pytest.mark.parametrize("kroner, shown", [
    (16_758_000_000, f"16,8{NBSP}mrd{NBSP}kr"),
    (31_500_000, f"31,5{NBSP}mill{NBSP}kr"),
    (38_000_000, f"38{NBSP}mill{NBSP}kr"),
    (1_000_000, f"1{NBSP}mill{NBSP}kr"),
    (250_000, f"250{NBSP}000{NBSP}kr"),
    (None, ""),
])
def test_short_amount_for_key_figures(kroner, shown):
    assert amounts.short_amount(kroner) == shown


def test_short_amount_in_english():
    assert amounts.short_amount(16_758_000_000, "M", "bn", ".") == f"16.8{NBSP}bn{NBSP}kr"
