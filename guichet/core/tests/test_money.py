from decimal import Decimal

import pytest

from guichet.core.money import format_euros, to_euros

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1120, "1 120,00 €"),
        (Decimal("0"), "0,00 €"),
        (Decimal("7.5"), "7,50 €"),
        ("999.99", "999,99 €"),
        (Decimal("1000"), "1 000,00 €"),
        (Decimal("1234567.89"), "1 234 567,89 €"),
        (Decimal("-3.5"), "-3,50 €"),
        (Decimal("-1120"), "-1 120,00 €"),
    ],
)
def test_format_euros_writes_the_french_way(value, expected):
    assert format_euros(value) == expected.replace(" ", NBSP)


def test_format_euros_uses_no_break_spaces_only():
    text = format_euros(Decimal("1120"))

    assert " " not in text
    assert text == f"1{NBSP}120,00{NBSP}€"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2.675", "2.68"),
        ("2.665", "2.67"),  # half up, not the banker's half even (2.66)
        ("0.005", "0.01"),
        ("-0.005", "-0.01"),
        ("1.004", "1.00"),
    ],
)
def test_to_euros_rounds_half_up_to_the_cent(value, expected):
    assert to_euros(value) == Decimal(expected)


def test_a_negative_amount_that_rounds_to_zero_is_written_without_a_sign():
    assert format_euros(Decimal("-0.001")) == f"0,00{NBSP}€"


@pytest.mark.parametrize("function", [to_euros, format_euros])
def test_money_refuses_floats(function):
    with pytest.raises(TypeError, match="float"):
        function(0.1)
