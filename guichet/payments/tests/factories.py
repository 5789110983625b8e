"""Feed records and payments for tests, made with the simulator so that they obey the rules."""

import datetime as dt
import json
import random
from decimal import Decimal

from guichet.insured.models import Dependent, InsuredPerson
from guichet.payments import feeds
from guichet.payments.enums import CareCategory, Transmission
from guichet.payments.parameters import ParameterTable
from guichet.payments.simulator import FamilyFacts, PersonFacts, Simulator


def facts(person: InsuredPerson) -> PersonFacts:
    return PersonFacts(nir=person.nir, birth_date=person.birth_date, first_name=person.first_name)


def family_of(holder: InsuredPerson, transmission: str = Transmission.SENT) -> FamilyFacts:
    dependants = [
        d.person for d in Dependent.objects.filter(holder=holder).select_related("person")
    ]
    return FamilyFacts(
        member=facts(holder),
        dependants=[facts(p) for p in dependants],
        transmission_on=lambda day: transmission,
    )


def history(
    holder: InsuredPerson,
    *,
    start: dt.date,
    end: dt.date,
    seed: int = 1,
    transmission: str = Transmission.SENT,
) -> list[dict]:
    """Payment records of a random, rule-abiding history."""
    simulator = Simulator(ParameterTable.defaults(), random.Random(seed))
    family = family_of(holder, transmission)
    return simulator.liquidate(family, simulator.random_cares(family, start, end))


def scripted(
    holder: InsuredPerson, cares: list[tuple], *, transmission=Transmission.SENT, seed=1
) -> list[dict]:
    """Records of given cares: (person, category, care date, paid on, third party)."""
    simulator = Simulator(ParameterTable.defaults(), random.Random(seed))
    family = family_of(holder, transmission)
    made = []
    for person, category, care_date, paid_on, third_party in cares:
        care = simulator.care(facts(person), category, care_date, third_party=third_party)
        care.paid_on = paid_on
        made.append(care)
    return simulator.liquidate(family, made)


def gp_and_pharmacy(holder: InsuredPerson, day: dt.date = dt.date(2026, 10, 5)) -> list[dict]:
    """A pharmacy under tiers payant (its franchise deferred), then a GP visit that recovers it."""
    return scripted(
        holder,
        [
            (holder, CareCategory.PHARMACY, day, day + dt.timedelta(days=2), True),
            (
                holder,
                CareCategory.GP,
                day + dt.timedelta(days=7),
                day + dt.timedelta(days=12),
                False,
            ),
        ],
    )


def load(records: list[dict], feed: str = "payments"):
    report = feeds.apply_records(feed=feed, records=records)
    assert report.applied, report.errors
    return report


def jsonl(records: list[dict]) -> bytes:
    return b"".join(json.dumps(r, ensure_ascii=False).encode() + b"\n" for r in records)


def lines_of(content: bytes) -> list[bytes]:
    return content.splitlines(keepends=True)


def money(value: str) -> Decimal:
    return Decimal(value)
