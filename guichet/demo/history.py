"""About 27 months of payments, PF/franchises, sick leave and work accidents for the demo people,
made by the liquidation simulator and loaded through the import feeds like a fund's own data.

The seeds' payments are placed exactly: Marina LATOURNERIE's November payments (seed 002) and
Jessica PETIT's payments to forward to her complementary insurer (seed 004). Dates are relative
to the day the demo is loaded, so the history always ends "today".
"""

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from guichet.core.actors import SYSTEM
from guichet.insured.enums import CssKind, Regime
from guichet.insured.models import InsuredPerson
from guichet.payments import feeds, services
from guichet.payments.enums import (
    CareCategory,
    CopaymentKind,
    ExemptionReason,
    PaymentKind,
    Transmission,
)
from guichet.payments.parameters import ParameterTable
from guichet.payments.simulator import BY_ACT, Care, FamilyFacts, PersonFacts, Simulator, base_for

MONTHS_OF_HISTORY = 27
SEED = 2026

MARINA, JESSICA, PIERRE, RENALDO = (
    "2950978361042",
    "2881001053087",
    "1830275056123",
    "1741171270102",
)
# (days before the 14th, category, amount paid) — seed 002's "MES DERNIERS PAIEMENTS"
EVA = "2901031555012"
MARINA_NOVEMBER = [
    (0, CareCategory.PHARMACY, "12.62"),
    (4, CareCategory.LABORATORY, "31.64"),
    (5, CareCategory.PHARMACY, "19.87"),
    (8, CareCategory.RADIOLOGY, "47.96"),
    (11, CareCategory.PARAMEDICAL, "3.00"),
]
COMPLEMENTARY = {
    "010111411": "MUTUELLE GÉNÉRALE DE L'AIN",
    "017811000": "HARMONIE MUTUELLE",
    "019511000": "MGEN",
    "013111000": "MUTUELLE DE FRANCE SUD",
}


def history_start(today: dt.date) -> dt.date:
    """The first day of the month 26 months back: 27 months with the current one."""
    month = today.year * 12 + today.month - 1 - (MONTHS_OF_HISTORY - 1)
    return dt.date(month // 12, month % 12 + 1, 1)


def shift_months(day: dt.date, months: int, on_day: int) -> dt.date:
    month = day.year * 12 + day.month - 1 + months
    return dt.date(month // 12, month % 12 + 1, on_day)


def facts(person: InsuredPerson) -> PersonFacts:
    return PersonFacts(
        nir=person.nir,
        birth_date=person.birth_date,
        first_name=person.first_name,
        always_exempt=person.regime == Regime.AME or person.css != CssKind.NONE,
        exemptions=[(e.start_on, e.end_on) for e in person.copayment_exemptions.all()],
    )


def load(today: dt.date | None = None) -> dict[str, int]:
    """Import the demo history; returns how many records of each feed were created."""
    today = today or timezone.localdate()
    simulator = Simulator(ParameterTable.load(), random.Random(SEED))
    _exemptions(today)
    families = _families()
    payments, leaves, accidents = [], [], []
    for holder, dependants in families:
        family = FamilyFacts(
            member=facts(holder),
            dependants=[facts(d) for d in dependants],
            complementary_name=COMPLEMENTARY.get(holder.fund.code, ""),
            employer_name="SARL DES ATELIERS DE L'AIN"
            if holder.nir == PIERRE
            else "ENTREPRISE MARTIN ET FILS",
        )
        start = max(history_start(today), holder.rights_opened_on)
        end = min(today, holder.rights_closed_on or today)
        family.transmission_on = _transmission(
            holder.nir, today, has_complementary=holder.nir != EVA
        )
        cares: list[Care] = []
        if holder.nir == MARINA:
            cares += _marina_november(simulator, family, today)
            end = min(end, min(c.care_date for c in cares) - dt.timedelta(days=10))
        elif holder.nir == JESSICA:
            cares += _jessica_to_forward(simulator, family, today)
            end = min(end, min(c.care_date for c in cares) - dt.timedelta(days=10))
            record, allowances = simulator.sick_leave(
                family,
                shift_months(today, -14, 3),
                12,
                external_id="DEMO-AT-JESSICA-1",
                today=today,
            )
            leaves.append(record)
            cares += allowances
        elif holder.nir == PIERRE:
            accident_on = shift_months(today, -5, 6)
            accidents.append({
                "external_id": "DEMO-ATMP-PIERRE-1", "member_nir": PIERRE, "nir": PIERRE,
                "accident_on": accident_on.isoformat(),
                "declared_on": (accident_on + dt.timedelta(days=1)).isoformat(),
                "employer_name": family.employer_name,
                "description": "Chute d'un escabeau en rangeant l'entrepôt ; entorse de la cheville droite.",
                "status": "recognised", "status_on": shift_months(today, -3, 20).isoformat(),
            })  # fmt: skip
            record, allowances = simulator.sick_leave(
                family, accident_on, 28, external_id="DEMO-AT-PIERRE-1", kind="work_accident",
                work_accident_id="DEMO-ATMP-PIERRE-1", today=today,
            )  # fmt: skip
            leaves.append(record)
            cares += allowances
        cares += simulator.random_cares(family, start, end)
        payments += simulator.liquidate(family, cares)
    created = {}
    for feed, records in (
        ("work_accidents", accidents),
        ("sick_leaves", leaves),
        ("payments", payments),
    ):
        report = feeds.apply_records(feed=feed, records=records)
        if not report.applied:
            raise RuntimeError(f"The demo's {feed} were refused: {report.errors[:5]}")
        created[feed] = report.created
    return created


def _exemptions(today: dt.date) -> None:
    """Eva DUPONT's pregnancy: no PF nor franchise from the 6th month to 12 days after the birth."""
    eva = InsuredPerson.objects.filter(nir=EVA).first()
    if eva is not None:
        services.record_copayment_exemption(
            person=eva, reason=ExemptionReason.PREGNANCY, start_on=shift_months(today, -14, 1),
            end_on=shift_months(today, -11, 12), actor=SYSTEM,
        )  # fmt: skip


def _families() -> list[tuple[InsuredPerson, list[InsuredPerson]]]:
    from guichet.demo.population import PERSONAS

    persons = {
        p.nir: p
        for p in InsuredPerson.objects.select_related("fund")
        .prefetch_related("copayment_exemptions")
        .filter(
            nir__in=[q.nir15[:13] for persona in PERSONAS for q in (persona, *persona.dependents)]
        )
    }
    return [
        (persons[persona.nir15[:13]], [persons[d.nir15[:13]] for d in persona.dependents])
        for persona in PERSONAS
    ]


def _transmission(nir: str, today: dt.date, *, has_complementary: bool):
    """Jessica's transmission is blocked for 6 months (seed 004), Renaldo's for 2 (seed 003)."""
    if not has_complementary:
        return lambda day: Transmission.NONE
    blocked_from = {JESSICA: shift_months(today, -6, 1), RENALDO: shift_months(today, -2, 1)}.get(
        nir
    )
    if blocked_from is None:
        return lambda day: Transmission.SENT
    return lambda day: Transmission.TO_FORWARD if day >= blocked_from else Transmission.SENT


def _exact(simulator: Simulator, person: PersonFacts, category: str, paid_on: dt.date,
           amount: str, *, third_party: bool, delay: int = 3) -> Care:  # fmt: skip
    """A care whose reimbursement is exactly `amount` (the seeds' figures)."""
    care = simulator.care(
        person, category, paid_on - dt.timedelta(days=delay), third_party=third_party
    )
    care.paid_on = paid_on
    care.base = base_for(Decimal(amount), care.rate)
    care.amount_spent = max(care.amount_spent, care.base)
    if care.copayment_kind == CopaymentKind.DEDUCTIBLE_PARAMEDICAL:
        care.act_code, care.act_label, care.quantity, care.copayment_units = (
            "AMI",
            "Soins infirmiers",
            1,
            1,
        )
        care.professional_name = BY_ACT["AMI"]
    return care


def marina_anchor(today: dt.date) -> dt.date:
    """The day of seed 002's latest payment (14 November): here the last 14th of a month, so that
    her five payments (the 3rd to the 14th) always fall in one month, the latest of her history."""
    return today.replace(day=14) if today.day >= 14 else shift_months(today, -1, 14)


def _marina_november(simulator: Simulator, family: FamilyFacts, today: dt.date) -> list[Care]:
    anchor = marina_anchor(today)
    return [
        _exact(simulator, family.member, category, anchor - dt.timedelta(days=before), amount,
               third_party=True)
        for before, category, amount in MARINA_NOVEMBER
    ]  # fmt: skip


def _jessica_to_forward(simulator: Simulator, family: FamilyFacts, today: dt.date) -> list[Care]:
    """Seed 004: 21 FÉVR. Paiement à un tiers 2,28 €, 19 FÉVR. Remboursement de soins 21,00 €,
    13 NOV. Remboursement de soins 18,50 € — here 3 and 5 months before the demo's day."""
    person = family.member
    cares = [
        _exact(
            simulator,
            person,
            CareCategory.PHARMACY,
            shift_months(today, -3, 21),
            "2.28",
            third_party=True,
        ),
        _exact(
            simulator,
            person,
            CareCategory.DENTAL,
            shift_months(today, -3, 19),
            "21.00",
            third_party=False,
        ),
        _exact(
            simulator,
            person,
            CareCategory.DENTAL,
            shift_months(today, -5, 13),
            "18.50",
            third_party=False,
        ),
    ]
    for care in cares:
        care.kind = PaymentKind.THIRD_PARTY if care.third_party else PaymentKind.CARE
    return cares
