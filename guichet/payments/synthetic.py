"""Payment histories for synthetic members (insured.synthetic), liquidated by the simulator and
written in bulk through the payments feed's checks (feeds.apply_records)."""

import datetime as dt
import random

from guichet.insured.synthetic import SyntheticPerson
from guichet.payments import feeds
from guichet.payments.enums import Transmission
from guichet.payments.parameters import ParameterTable
from guichet.payments.simulator import FamilyFacts, PersonFacts, Simulator

COMPLEMENTARIES = [
    "HARMONIE MUTUELLE",
    "MGEN",
    "MUTUELLE GÉNÉRALE",
    "AXA SANTÉ",
    "MALAKOFF HUMANIS",
]


def _facts(data: dict) -> PersonFacts:
    return PersonFacts(nir=data["nir15"][:13], birth_date=data["birth_date"])


def _always(state: str):
    return lambda day: state


def _blocked_from(first_day: dt.date):
    return lambda day: Transmission.TO_FORWARD if day >= first_day else Transmission.SENT


def histories(
    *,
    families: list[SyntheticPerson],
    start: dt.date,
    end: dt.date,
    seed: int,
    params: ParameterTable,
) -> list[dict]:
    """Payment records for each family between two days; 1 in 10 has no complementary and
    1 in 20 has its transmission blocked for the last 3 months."""
    rng = random.Random(seed)
    simulator = Simulator(params, rng)
    blocked_from = end - dt.timedelta(days=90)
    records: list[dict] = []
    for family in families:
        roll = rng.random()
        if roll < 0.1:
            transmission = _always(Transmission.NONE)
        elif roll < 0.15:
            transmission = _blocked_from(blocked_from)
        else:
            transmission = _always(Transmission.SENT)
        facts = FamilyFacts(
            member=_facts(family.fields),
            dependants=[_facts(child.fields) for child in family.dependents],
            complementary_name=rng.choice(COMPLEMENTARIES),
            transmission_on=transmission,
        )
        first = max(start, family.fields.get("rights_opened_on", start))
        records += simulator.liquidate(facts, simulator.random_cares(facts, first, end))
    return records


def bulk_history(
    *, families: list[SyntheticPerson], months: int, seed: int, today: dt.date | None = None,
    params: ParameterTable | None = None,
) -> int:  # fmt: skip
    """Write about `months` months of payments for already registered families; returns how many."""
    today = today or dt.date.today()
    index = today.year * 12 + today.month - 1 - (months - 1)
    start = dt.date(index // 12, index % 12 + 1, 1)
    records = histories(
        families=families, start=start, end=today, seed=seed, params=params or ParameterTable.load()
    )
    report = feeds.apply_records(feed="payments", records=records)
    if not report.applied:
        raise RuntimeError(f"Synthetic payments refused: {report.errors[:3]}")
    return report.created
