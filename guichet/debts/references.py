"""References of payment notices: 16 digits and one check letter (ADR 0070).

The letter is the 16-digit number modulo 23, read in an alphabet of 23 capitals without I, O
and U (too easily taken for 1, 0 and V). As 23 is prime and does not divide 10, changing any one
digit, or swapping two neighbouring digits, changes the remainder: such a mistyped reference is
caught by this arithmetic alone, before any database lookup.
"""

import re
import secrets

from guichet.core.digits import is_digits

ALPHABET = "ABCDEFGHJKLMNPQRSTVWXYZ"
DIGITS = 16
_SHAPE = re.compile(r"^(\d{16})([A-Z])$")


class InvalidReference(ValueError):
    """The text is not a notice reference, or its letter does not match its digits."""


def check_letter(digits: str) -> str:
    if len(digits) != DIGITS or not is_digits(digits):
        raise InvalidReference("A reference has 16 digits.")
    return ALPHABET[int(digits) % len(ALPHABET)]


def with_letter(digits: str) -> str:
    return digits + check_letter(digits)


def normalize(text: str) -> str:
    """'3811 7012 0001 0075 w' → '3811701200010075W'; raises InvalidReference if it is wrong."""
    compact = re.sub(r"[\s.\-]", "", text).upper()
    match = _SHAPE.match(compact)
    if match is None:
        raise InvalidReference("A reference has 16 digits and 1 letter.")
    if check_letter(match.group(1)) != match.group(2):
        raise InvalidReference("The check letter does not match the digits.")
    return compact


def is_valid(text: str) -> bool:
    try:
        normalize(text)
    except InvalidReference:
        return False
    return True


def new_reference(*, year: int, fund_code: str) -> str:
    """A fresh reference: 2 digits of the year, 3 of the fund, 11 drawn at random."""
    serial = secrets.randbelow(10**11)
    return with_letter(f"{year % 100:02d}{fund_code[-3:]}{serial:011d}")


def display(reference: str) -> str:
    """'3811 7012 0001 0075 W', as on the notice."""
    digits = reference[:DIGITS]
    return " ".join(digits[i : i + 4] for i in range(0, DIGITS, 4)) + " " + reference[DIGITS:]
