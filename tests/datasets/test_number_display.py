"""The site's one rule for showing numbers (datasets/number_display.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from datasets.number_display import (
    euros_format,
    number_format,
    number_parse,
    percent_format,
)

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        # Half cases round away from zero, never to even and never truncated.
        ("815508.755", 2, "815.508,76"),
        ("0.125", 2, "0,13"),
        ("0.135", 2, "0,14"),
        ("-0.125", 2, "-0,13"),
        ("10.865", 1, "10,9"),
        ("10.865", 2, "10,87"),
        ("14.48", 1, "14,5"),
        ("14.44", 1, "14,4"),
        ("2.5", 0, "3"),
        ("-2.5", 0, "-3"),
        # A float goes through its shortest repr: 2.675 is 2.675, not 2.67499999...
        (2.675, 2, "2,68"),
        # Grouping by three, padding with zeros.
        ("1234567.8", 2, "1.234.567,80"),
        ("999", 0, "999"),
        ("1000", 0, "1.000"),
        # A tiny negative never shows as "-0,00".
        ("-0.004", 2, "0,00"),
        # places=None: the value's own decimals, as published.
        ("0.004187654321", None, "0,004187654321"),
        ("47629", None, "47.629"),
        (Decimal("12.50"), None, "12,50"),
        # Negative places: up to that many decimals, none for a whole number.
        (3, -2, "3"),
        ("3.456", -2, "3,46"),
    ],
)
def test_number_rounds_half_away_from_zero_in_catalan(value, places, expected):
    assert number_format(value, places, "ca") == expected


@pytest.mark.parametrize(
    ("language", "euros", "number", "percent"),
    [
        ("ca", f"1.234.567,89{NBSP}€", "1.234.567,89", f"14,5{NBSP}%"),
        ("es", f"1.234.567,89{NBSP}€", "1.234.567,89", f"14,5{NBSP}%"),
        ("en", "€1,234,567.89", "1,234,567.89", "14.5%"),
        ("ca-es", f"1.234.567,89{NBSP}€", "1.234.567,89", f"14,5{NBSP}%"),
        ("fr", f"1.234.567,89{NBSP}€", "1.234.567,89", f"14,5{NBSP}%"),  # the default: ca
    ],
)
def test_one_format_per_language(language, euros, number, percent):
    assert euros_format(Decimal("1234567.885"), 2, language) == euros
    assert number_format(1234567.885, 2, language) == number
    assert percent_format("14.45", 1, language) == percent


def test_negative_amounts_keep_their_sign_before_the_unit():
    assert euros_format("-12.345", 2, "ca") == f"-12,35{NBSP}€"
    assert euros_format("-12.345", 2, "en") == "-€12.35"


@pytest.mark.parametrize("missing", [None, ""])
def test_a_missing_value_is_a_dash(missing):
    assert number_format(missing, 2, "ca") == "—"
    assert euros_format(missing, 2, "en") == "—"
    assert percent_format(missing, 1, "es") == "—"


def test_text_that_is_not_a_number_is_returned_as_it_is():
    assert number_format("n/a", 2, "ca") == "n/a"
    assert euros_format("NaN", 2, "ca") == "NaN"
    assert number_format(True, 0, "ca") == "True"


@pytest.mark.parametrize("language", ["ca", "es", "en"])
@pytest.mark.parametrize("value", ["0", "0.01", "-7.5", "1234567.89", "260000000.00"])
def test_a_shown_figure_reads_back_to_its_value(language, value):
    assert number_parse(euros_format(value, 2, language), language) == Decimal(value)
    assert number_parse(percent_format(value, None, language), language) == Decimal(value)


def test_parse_refuses_what_is_not_a_figure():
    with pytest.raises(ValueError):
        number_parse("abc", "ca")
