"""The identité pivot FranceConnect returns, and how it finds its person in the registry.

The registry has no birthplace column, but the NIR holds it: characters 6 to 10 are the INSEE
COG code of the commune of birth (département + commune, "71270"), or "99" and the country code
for a birth abroad ("99350", Morocco). FranceConnect sends the same codes as `birthplace` (empty
for a birth abroad) and `birthcountry` ("99100" for France). With the sex digit, the year and the
month, that makes the first 10 characters of the NIR: the registry's unique index finds the few
persons they fit, and the names and the birth date must then agree.
"""

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from guichet.identity.franceconnect.errors import Failure, FranceConnectError
from guichet.insured import selectors as insured_selectors
from guichet.insured.enums import Sex
from guichet.insured.models import InsuredPerson

FRANCE = "99100"
SEXES = {"male": Sex.MALE, "female": Sex.FEMALE}
NIR_SEX_DIGITS = {"male": "1", "female": "2"}
COMMUNE = re.compile(r"^[0-9][0-9AB][0-9]{3}$")  # "71270", "2A004", "97411"
COUNTRY = re.compile(r"^99[0-9]{3}$")


@dataclass(frozen=True)
class PivotIdentity:
    sub: str
    given_name: str
    family_name: str
    birthdate: dt.date
    gender: str
    birthplace: str
    birthcountry: str
    email: str = ""
    preferred_username: str = ""

    @classmethod
    def from_claims(cls, claims: dict[str, Any]) -> "PivotIdentity":
        """Read the userinfo's claims; a missing or malformed one stops the round trip."""

        def text(name: str, *, required: bool = True) -> str:
            value = claims.get(name, "")
            if value is None:
                value = ""
            if not isinstance(value, str) or (required and not value.strip()):
                raise FranceConnectError(Failure.INVALID_IDENTITY, f"claim {name} missing")
            return value.strip()

        gender = text("gender")
        if gender not in SEXES:
            raise FranceConnectError(Failure.INVALID_IDENTITY, "gender")
        try:
            birthdate = dt.date.fromisoformat(text("birthdate"))
        except ValueError:
            raise FranceConnectError(Failure.INVALID_IDENTITY, "birthdate") from None
        birthcountry = text("birthcountry")
        birthplace = text("birthplace", required=False).upper()
        if not COUNTRY.match(birthcountry):
            raise FranceConnectError(Failure.INVALID_IDENTITY, "birthcountry")
        if birthcountry == FRANCE and not COMMUNE.match(birthplace):
            raise FranceConnectError(Failure.INVALID_IDENTITY, "birthplace")
        return cls(
            sub=text("sub"),
            given_name=text("given_name"),
            family_name=text("family_name", required=False),
            birthdate=birthdate,
            gender=gender,
            birthplace=birthplace if birthcountry == FRANCE else "",
            birthcountry=birthcountry,
            email=text("email", required=False)[:254],
            preferred_username=text("preferred_username", required=False),
        )

    @property
    def nir_prefix(self) -> str:
        """The first 10 characters of the NIR of a person born so: sex, year, month, place."""
        place = self.birthplace if self.birthcountry == FRANCE else "99" + self.birthcountry[2:]
        return f"{NIR_SEX_DIGITS[self.gender]}{self.birthdate:%y%m}{place}"

    @property
    def display_name(self) -> str:
        """'Sarah LAMBERT': the first given name and the birth name, as Guichet shows names."""
        return f"{self.given_name.split(' ')[0]} {self.family_name.upper()}".strip()

    def describes(self, person: InsuredPerson) -> bool:
        """Same sex, birth date, birth name and given names (one list starting the other)."""
        ours, theirs = _given_names(person.first_names), _given_names(self.given_name)
        shortest = min(len(ours), len(theirs))
        return (
            person.sex == SEXES[self.gender]
            and person.birth_date == self.birthdate
            and bool(self.family_name)
            and _comparable(person.birth_name) == _comparable(self.family_name)
            and shortest > 0
            and ours[:shortest] == theirs[:shortest]
        )


def _comparable(name: str) -> str:
    """'Lambert', 'LAMBERT', 'Lambért', "L'Ambert" and 'LAM-BERT' compare equal."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().upper()
    return "".join(c for c in text if c.isalpha())


def _given_names(names: str) -> list[str]:
    """'Jean-Pierre Louis' → ['JEAN', 'PIERRE', 'LOUIS']: a hyphen separates like a space."""
    return [word for word in (_comparable(w) for w in re.split(r"[\s\-]+", names)) if word]


def find_persons(identity: PivotIdentity) -> list[InsuredPerson]:
    """The persons of the registry this identity describes: none, one, or several homonyms."""
    candidates = insured_selectors.persons_by_nir_prefix(prefix10=identity.nir_prefix)
    return [person for person in candidates if identity.describes(person)]
