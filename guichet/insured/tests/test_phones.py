import pytest

from guichet.insured import phones
from guichet.insured.phones import InvalidPhone


@pytest.mark.parametrize(
    "typed",
    ["06 12 34 56 78", "0612345678", "06.12.34.56.78", "+33 6 12 34 56 78", "0033612345678"],
)
def test_french_mobile_is_stored_in_international_form(typed):
    assert phones.parse(typed, mobile=True) == "+33612345678"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("01 23 45 67 89", "+33123456789"),
        ("04 74 38 00 00", "+33474380000"),
        ("09 70 12 34 56", "+33970123456"),  # an internet box's number is a landline too
    ],
)
def test_french_landline_is_stored_in_international_form(typed, stored):
    assert phones.parse(typed, mobile=False) == stored


def test_landline_typed_as_mobile_is_refused():
    with pytest.raises(InvalidPhone, match="n'est pas celui d'un téléphone portable"):
        phones.parse("01 23 45 67 89", mobile=True)


def test_mobile_typed_as_landline_is_refused():
    with pytest.raises(InvalidPhone, match="est celui d'un téléphone portable"):
        phones.parse("06 12 34 56 78", mobile=False)


@pytest.mark.parametrize("typed", ["06 12 34 56", "12", "00 00 00 00 00"])
def test_number_that_does_not_exist_is_refused(typed):
    with pytest.raises(InvalidPhone, match="n'existe pas"):
        phones.parse(typed, mobile=True)


def test_text_that_is_no_number_is_refused():
    with pytest.raises(InvalidPhone, match="Saisissez un numéro de téléphone"):
        phones.parse("mon portable", mobile=True)


def test_foreign_mobile_is_accepted_and_shown_internationally():
    stored = phones.parse("+44 7911 123456", mobile=True)

    assert stored == "+447911123456"
    assert phones.display(stored) == "+44 7911 123456"


def test_foreign_landline_is_refused_as_a_mobile_and_accepted_as_a_landline():
    with pytest.raises(InvalidPhone):
        phones.parse("+44 20 7946 0958", mobile=True)
    assert phones.parse("+44 20 7946 0958", mobile=False) == "+442079460958"


@pytest.mark.parametrize(
    ("stored", "shown"), [("+33612345678", "06 12 34 56 78"), ("+33123456789", "01 23 45 67 89")]
)
def test_french_number_is_shown_the_french_way(stored, shown):
    assert phones.display(stored) == shown


def test_no_number_shows_nothing():
    assert phones.display("") == ""


@pytest.mark.parametrize(
    ("typed", "stored"), [("0692 12 34 56", "+262692123456"), ("0690 12 34 56", "+590690123456")]
)
def test_overseas_mobile_typed_the_national_way_is_accepted(typed, stored):
    assert phones.parse(typed, mobile=True) == stored
