import pytest
from stdnum.fr import nir as stdnum_nir

from guichet.core import nir


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1 74 11 71 270 102", "1741171270102"),
        ("1741171270102", "1741171270102"),
        ("1 74 11 71 270 102 58", "1741171270102"),
        ("2 53 07 2a 073 004", "253072A073004"),
        (" 2.82.02.95.046.199 ", "2820295046199"),
    ],
)
def test_parse_accepts_13_characters_with_spaces_or_the_key(typed, expected):
    assert nir.parse(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "123",
        "1 74 11 71 270 102 59",
        "3 74 11 71 270 102",
        "1 74 13 71 270 102",
        "1 74 11 00 270 102",
        "1741171270ABC",
    ],
)
def test_parse_refuses_what_is_not_a_nir_with_a_french_reason(typed):
    with pytest.raises(nir.InvalidNir) as error:
        nir.parse(typed)
    assert str(error.value)


def test_key_of_corsican_nir_replaces_2a_and_2b():
    assert nir.compute_key("253072B073004") == "70"
    assert nir.compute_key("253072A073004") == "43"


def test_format_groups_like_the_vitale_card():
    assert nir.format_nir("1741171270102", "58") == "1 74 11 71 270 102 58"


@pytest.mark.parametrize(
    "complete",
    ["1 74 11 71 270 102 58", "174117127010258", "2 53 07 2B 073 004 70", "2 82 02 95 046 199 15"],
)
def test_is_valid_full_accepts_a_nir_with_its_right_key(complete):
    assert nir.is_valid_full(complete)


@pytest.mark.parametrize(
    "complete",
    [
        "1741171270102",  # no key
        "174117127010259",  # wrong key
        "374117127010255",  # sex 3 does not exist, even with a matching key
        "17411712701025800",
    ],
)
def test_is_valid_full_refuses_what_the_registry_cannot_store(complete):
    assert not nir.is_valid_full(complete)


def test_a_key_computed_here_is_one_python_stdnum_accepts():
    for nir13 in ["1741171270102", "253072A073004", "253072B073004", "2820295046199"]:
        assert stdnum_nir.is_valid(nir13 + nir.compute_key(nir13))
