"""Synthetic members for demos, tests and benchmarks: valid NIRs and IBANs, plausible families.

`generate_families` yields plain data; `bulk_register` writes it in large batches (100 000
members in a few minutes on SQLite). Everything is reproducible from a seed.
"""

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from faker import Faker
from stdnum import iban as iban_rules

from guichet.core import nir as nir_rules
from guichet.insured.enums import Relationship, Sex
from guichet.insured.models import Dependent, Fund, InsuredPerson

# Départements of mainland France, Corsica's 2A and 2B included.
DEPARTMENTS = [f"{n:02d}" for n in range(1, 96) if n != 20] + ["2A", "2B"]
BANKS = [("30004", "BNPAFRPP"), ("30003", "SOGEFRPP"), ("10278", "CMCIFR2A"), ("20041", "PSSTFRPP"),
         ("17806", "AGRIFRPP878"), ("30006", "AGRIFRPPXXX"), ("10096", "CMCIFRPP")]  # fmt: skip


def make_nir(*, sex: str, birth_date: dt.date, serial: int, department: str | None = None) -> str:
    """A valid 15-character NIR. Without a department, distinct serials (below 96 million) give
    distinct NIRs whatever the sex and birth date: the serial picks the département, the commune
    and the order number. With one, distinct serials below 998 001 do."""
    if department is None:
        serial, index = divmod(serial, len(DEPARTMENTS))
        department = DEPARTMENTS[index]
    commune, order = serial // 999 % 999 + 1, serial % 999 + 1
    nir13 = f"{1 if sex == Sex.MALE else 2}{birth_date:%y%m}{department}{commune:03d}{order:03d}"
    return nir13 + nir_rules.compute_key(nir13)


def make_iban(rng: random.Random) -> tuple[str, str]:
    """A French IBAN with valid check digits, and the BIC of its bank."""
    bank, bic = rng.choice(BANKS)
    bban = f"{bank}{rng.randrange(10**5):05d}{rng.randrange(10**11):011d}{rng.randrange(100):02d}"
    return f"FR{iban_rules.calc_check_digits('FR00' + bban)}{bban}", bic


@dataclass
class SyntheticPerson:
    fields: dict
    dependents: list["SyntheticPerson"] = field(default_factory=list)


def _birth_date(rng: random.Random, *, youngest: int, oldest: int, today: dt.date) -> dt.date:
    return today - dt.timedelta(days=rng.randint(youngest * 365 + 1, oldest * 365))


def generate_families(
    *, count: int, seed: int = 2026, first_serial: int = 0
) -> Iterator[SyntheticPerson]:
    """`count` assurés, about half with a family of 1 to 4 ayants droit."""
    rng = random.Random(seed)
    fake = Faker("fr_FR")
    fake.seed_instance(seed)
    today = dt.date.today()
    verified_at = dt.datetime.combine(today, dt.time(), tzinfo=dt.UTC)
    serial = first_serial
    for _ in range(count):
        sex = rng.choice([Sex.MALE, Sex.FEMALE])
        birth = _birth_date(rng, youngest=18, oldest=90, today=today)
        last_name = fake.last_name().upper()
        first = fake.first_name_male() if sex == Sex.MALE else fake.first_name_female()
        iban, bic = make_iban(rng)
        serial += 1
        holder = SyntheticPerson(
            {
                "nir15": make_nir(sex=sex, birth_date=birth, serial=serial),
                "sex": sex,
                "birth_date": birth,
                "birth_name": last_name,
                "first_names": first,
                "address_line2": fake.street_address().upper()[:38],
                "postal_code": fake.postcode(),
                "city": fake.city().upper()[:38],
                "email": f"membre{serial}@example.org",
                "email_verified_at": verified_at,  # as if each had logged in once
                "rights_opened_on": max(birth + dt.timedelta(days=18 * 365), dt.date(1990, 1, 1)),
                "iban": iban,
                "bic": bic,
                "bank_account_holder": f"{first} {last_name}".upper()[:80],
            }
        )
        oldest_child = min(20, (today - birth).days // 365 - 18)  # parents are 18 at least
        for _child in range(rng.choice([0, 0, 0, 1, 2, 2, 3, 4]) if oldest_child >= 1 else 0):
            child_sex = rng.choice([Sex.MALE, Sex.FEMALE])
            child_birth = _birth_date(rng, youngest=0, oldest=oldest_child, today=today)
            serial += 1
            holder.dependents.append(
                SyntheticPerson(
                    {
                        "nir15": make_nir(sex=child_sex, birth_date=child_birth, serial=serial),
                        "sex": child_sex,
                        "birth_date": child_birth,
                        "birth_name": last_name,
                        "first_names": fake.first_name_male()
                        if child_sex == Sex.MALE
                        else fake.first_name_female(),
                        "rights_opened_on": child_birth,
                    }
                )
            )
        yield holder


def _person(fund: Fund, data: dict) -> InsuredPerson:
    data = dict(data)
    nir15 = data.pop("nir15")
    return InsuredPerson(fund=fund, nir=nir15[:13], nir_key=nir15[13:], **data)


def bulk_register(*, fund: Fund, families: list[SyntheticPerson]) -> list[InsuredPerson]:
    """Write one batch of families (holders, dependants, links) in three INSERT statements;
    returns the holders, with their primary keys."""
    holders = InsuredPerson.objects.bulk_create(
        [_person(fund, family.fields) for family in families]
    )
    children = [(holder, _person(fund, child.fields)) for holder, family in zip(holders, families, strict=True)
                for child in family.dependents]  # fmt: skip
    created = InsuredPerson.objects.bulk_create([child for _, child in children])
    Dependent.objects.bulk_create(
        Dependent(
            holder=holder,
            person=child,
            relationship=Relationship.CHILD,
            attached_on=child.birth_date,
        )
        for (holder, _), child in zip(children, created, strict=True)
    )
    return holders
