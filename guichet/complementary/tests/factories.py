"""Contract records of the feed and overlaps made through it, for tests."""

import json

from guichet.core.actors import SYSTEM
from guichet.insured.models import InsuredPerson
from guichet.payments import services as payment_services

MUTUELLE = ("01000123", "LES MUTUELLES DE L'AIN 2")
BALOISE = ("75000456", "LA BALOISE ASSURANCES")


def record(person: InsuredPerson, insurer=MUTUELLE, *, number="4789563P", start="2018-07-01",
           kind="ordinary", external_id=None, end=None) -> dict:  # fmt: skip
    data = {
        "external_id": external_id or f"C-{person.nir}-{insurer[0]}",
        "nir": person.nir,
        "insurer_number": insurer[0],
        "insurer_name": insurer[1],
        "member_number": number,
        "kind": kind,
        "start_on": start,
    }
    if end is not None:
        data["end_on"] = end
    return data


def overlap_records(person: InsuredPerson, *, kind="ordinary") -> list[dict]:
    """Seed 003's two contracts for one person."""
    return [
        record(person),
        record(person, BALOISE, number="1458566E", start="2020-01-01", kind=kind),
    ]


def load(records: list[dict]):
    lines = [json.dumps(r).encode() + b"\n" for r in records]
    return payment_services.import_feed(feed="contracts", stream=lines, source="test", actor=SYSTEM)
