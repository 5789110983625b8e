import itertools
import random

import pytest

from guichet.debts import references
from guichet.debts.references import InvalidReference


def test_the_seed_digits_get_their_letter_and_are_read_with_spaces_and_lower_case():
    assert references.with_letter("3811701200010075") == "3811701200010075W"
    assert references.normalize(" 3811 7012 0001 0075 w ") == "3811701200010075W"
    assert references.display("3811701200010075W") == "3811 7012 0001 0075 W"


@pytest.mark.parametrize(
    "typed",
    ["3811701200010075F", "381170120001007W", "38117012000100755W", "3811A01200010075W", ""],
)
def test_a_wrong_letter_or_shape_is_refused(typed):
    with pytest.raises(InvalidReference):
        references.normalize(typed)
    assert not references.is_valid(typed)


def test_every_single_digit_mistake_and_neighbour_swap_is_caught():
    rng = random.Random(5)
    for _ in range(200):
        digits = "".join(rng.choice("0123456789") for _ in range(16))
        reference = references.with_letter(digits)
        letter = reference[-1]
        for position, digit in itertools.product(range(16), "0123456789"):
            if digit != digits[position]:
                typo = digits[:position] + digit + digits[position + 1 :]
                assert not references.is_valid(typo + letter)
        for position in range(15):
            if digits[position] != digits[position + 1]:
                swapped = (
                    digits[:position]
                    + digits[position + 1]
                    + digits[position]
                    + digits[position + 2 :]
                )
                assert not references.is_valid(swapped + letter)


def test_new_references_carry_year_and_fund_and_are_valid():
    reference = references.new_reference(year=2026, fund_code="010111411")
    assert reference.startswith("26411") and references.is_valid(reference)
