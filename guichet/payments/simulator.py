"""A liquidation simulator: plausible care for a family, liquidated with the dated tariffs, rates,
PF and franchises (caps and exemptions) of the parameter tables, paid to the member or to the
professional (tiers payant), PF/franchises deducted at once or deferred and recovered from later
payments of the member or the dependants.

It writes nothing: it returns records in the import feeds' format (docs/feeds.md), which the demo
and the synthetic generator hand to the importer. Everything is reproducible from the random
generator it is given.
"""

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from guichet.payments.enums import CareCategory, CopaymentKind, PaymentKind, Transmission
from guichet.payments.parameters import ParameterTable

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def money(value: Decimal) -> str:
    return str(cents(value))


@dataclass
class PersonFacts:
    """What the rules need to know of a person."""

    nir: str
    birth_date: dt.date
    first_name: str = ""
    always_exempt: bool = False  # CSS or AME
    exemptions: list[tuple[dt.date, dt.date]] = field(default_factory=list)  # pregnancy…

    def is_exempt(self, day: dt.date, minor_age: int) -> bool:
        if self.always_exempt:
            return True
        try:
            adult_on = self.birth_date.replace(year=self.birth_date.year + minor_age)
        except ValueError:  # born on 29 February
            adult_on = dt.date(self.birth_date.year + minor_age, 3, 1)
        if day < adult_on:
            return True
        return any(start <= day <= end for start, end in self.exemptions)


@dataclass
class FamilyFacts:
    member: PersonFacts
    dependants: list[PersonFacts] = field(default_factory=list)
    complementary_name: str = "MUTUELLE GÉNÉRALE DE L'AIN"
    # the transmission to the complementary insurer in force on a day
    transmission_on: Callable[[dt.date], str] = lambda day: Transmission.SENT
    employer_name: str = ""
    daily_wage: Decimal = Decimal("80.00")
    prefix: str = ""  # of the external ids; the member's NIR by default
    # (external id, amount) of earlier PF/franchises still to recover, oldest first: what
    # payments.selectors.recoverable_copayments gives, never one a payment notice claims
    carried_over: list[tuple[str, Decimal]] = field(default_factory=list)

    @property
    def persons(self) -> list[PersonFacts]:
        return [self.member, *self.dependants]


@dataclass
class Care:
    """One act to liquidate (one payment line)."""

    person: PersonFacts
    care_date: dt.date
    paid_on: dt.date
    category: str
    act_code: str
    act_label: str
    professional_name: str
    quantity: int
    amount_spent: Decimal
    base: Decimal
    rate: Decimal
    third_party: bool
    copayment_kind: str | None = None
    copayment_units: int = 0
    period_end: dt.date | None = None
    kind: str = ""  # PaymentKind; derived from third_party unless given
    sick_leave_id: str = ""

    @property
    def reimbursed(self) -> Decimal:
        return cents(self.base * self.rate / 100)


@dataclass
class _Copayment:
    external_id: str
    kind: str
    nominal: Decimal
    amount: Decimal
    settlement: str = "capped"  # then "deducted" or "deferred"


@dataclass
class History:
    payments: list[dict] = field(default_factory=list)
    sick_leaves: list[dict] = field(default_factory=list)
    work_accidents: list[dict] = field(default_factory=list)


PROFESSIONALS = {
    CareCategory.GP: ["DR MARTIN SOPHIE", "DR PRUDHON PHILIPPE", "DR LEROY CLAIRE", "DR FAURE ANTOINE"],
    CareCategory.SPECIALIST: ["DR BERNARD LUC (DERMATOLOGIE)", "DR ROUX ANNE (OPHTALMOLOGIE)", "DR GIRARD PAUL (CARDIOLOGIE)"],
    CareCategory.PHARMACY: ["PHARMACIE DU CENTRE", "PHARMACIE DE LA GARE", "GRANDE PHARMACIE DU MARCHÉ"],
    CareCategory.PARAMEDICAL: ["MME DUBOIS ÉMILIE (INFIRMIÈRE)", "M. LAMBERT JULIEN (MASSEUR-KINÉSITHÉRAPEUTE)"],
    CareCategory.LABORATORY: ["LABORATOIRE BIOFRANCE", "CERBALLIANCE"],
    CareCategory.RADIOLOGY: ["CENTRE D'IMAGERIE MÉDICALE", "CABINET DE RADIOLOGIE DU PARC"],
    CareCategory.TRANSPORT: ["AMBULANCES DU VAL", "TAXI CONVENTIONNÉ MOREL"],
    CareCategory.DENTAL: ["DR PETIT CAMILLE (CHIRURGIEN-DENTISTE)", "DR NOËL HUGO (CHIRURGIEN-DENTISTE)"],
    CareCategory.HOSPITAL: ["CENTRE HOSPITALIER", "CLINIQUE DU PARC"],
}  # fmt: skip
# A paramedical act is billed by the professional whose act it is: nursing by the nurse.
BY_ACT = {
    "AMI": "MME DUBOIS ÉMILIE (INFIRMIÈRE)",
    "AMK": "M. LAMBERT JULIEN (MASSEUR-KINÉSITHÉRAPEUTE)",
}

# Yearly frequency of each kind of care for an adult; children see the GP and dentist more.
FREQUENCIES = [
    (CareCategory.GP, 4.0), (CareCategory.PHARMACY, 6.0), (CareCategory.SPECIALIST, 1.0),
    (CareCategory.LABORATORY, 1.0), (CareCategory.DENTAL, 1.0), (CareCategory.PARAMEDICAL, 0.8),
    (CareCategory.RADIOLOGY, 0.5), (CareCategory.TRANSPORT, 0.1), (CareCategory.HOSPITAL, 0.05),
]  # fmt: skip
FLAT_FEE_CATEGORIES = {CareCategory.GP, CareCategory.SPECIALIST, CareCategory.LABORATORY,
                       CareCategory.RADIOLOGY}  # fmt: skip
DAILY_CAPS = {
    CopaymentKind.FLAT_FEE: "flat_fee.daily_cap",
    CopaymentKind.DEDUCTIBLE_PARAMEDICAL: "deductible_paramedical.daily_cap",
    CopaymentKind.DEDUCTIBLE_TRANSPORT: "deductible_transport.daily_cap",
}
ANNUAL_CAPS = {CopaymentKind.FLAT_FEE: "flat_fee.annual_cap"}  # franchises share theirs
UNIT_AMOUNTS = {
    CopaymentKind.FLAT_FEE: "flat_fee.amount",
    CopaymentKind.DEDUCTIBLE_MEDICINE: "deductible_medicine.amount",
    CopaymentKind.DEDUCTIBLE_PARAMEDICAL: "deductible_paramedical.amount",
    CopaymentKind.DEDUCTIBLE_TRANSPORT: "deductible_transport.amount",
}


def next_working_day(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def base_for(target: Decimal, rate: Decimal) -> Decimal:
    """A reimbursement base whose share at `rate` % rounds to exactly `target`."""
    base = cents(target * 100 / rate)
    for shift in (0, 1, -1, 2, -2, 3, -3):
        candidate = base + CENT * shift
        if cents(candidate * rate / 100) == target:
            return candidate
    raise ValueError(f"No base gives {target} at {rate} %")


class Simulator:
    def __init__(self, params: ParameterTable, rng: random.Random):
        self.params = params
        self.rng = rng

    # --- care ------------------------------------------------------------------------------------
    def care(
        self,
        person: PersonFacts,
        category: str,
        care_date: dt.date,
        *,
        exempt: bool = False,
        third_party: bool | None = None,
    ) -> Care:
        """One plausible act of `category` on `care_date`, priced with that day's tariffs."""
        p, rng, day = self.params, self.rng, care_date
        quantity, units, copayment = 1, 1, None
        if category == CareCategory.GP:
            base = p.at("tariff.gp", day)
            spent, rate, code, label = (
                base,
                p.at("rate.gp", day),
                "G",
                "Consultation de médecin généraliste",
            )
            copayment, tp = CopaymentKind.FLAT_FEE, exempt
        elif category == CareCategory.SPECIALIST:
            base = p.at("tariff.specialist", day)
            spent = base + rng.choice([ZERO, ZERO, Decimal("10.00"), Decimal("25.00")])
            rate, code, label = (
                p.at("rate.specialist", day),
                "APC",
                "Consultation de médecin spécialiste",
            )
            copayment, tp = CopaymentKind.FLAT_FEE, exempt
        elif category == CareCategory.PHARMACY:
            quantity = units = rng.choice([1, 1, 2, 2, 3, 4])
            base = sum((Decimal(rng.randrange(180, 2400)) / 100 for _ in range(quantity)), ZERO)
            spent = base
            major = rng.random() < 0.8
            rate = p.at("rate.pharmacy_major" if major else "rate.pharmacy_moderate", day)
            code, label = "PH7" if major else "PH4", "Médicaments (boîtes)"
            copayment, tp = CopaymentKind.DEDUCTIBLE_MEDICINE, rng.random() < 0.92
        elif category == CareCategory.PARAMEDICAL:
            if rng.random() < 0.5:
                quantity = units = rng.choice([1, 2, 3])
                base = p.at("tariff.nurse_act", day) * quantity + p.at("tariff.nurse_visit", day)
                code, label = "AMI", "Soins infirmiers"
            else:
                quantity = units = 1
                base = p.at("tariff.physio_session", day)
                code, label = "AMK", "Séance de masso-kinésithérapie"
            spent, rate = base, p.at("rate.paramedical", day)
            copayment, tp = CopaymentKind.DEDUCTIBLE_PARAMEDICAL, rng.random() < 0.5
        elif category == CareCategory.LABORATORY:
            base = spent = p.at("tariff.blood_test", day) + Decimal(rng.randrange(0, 2000)) / 100
            rate, code, label = p.at("rate.laboratory", day), "B", "Analyses de biologie médicale"
            copayment, tp = CopaymentKind.FLAT_FEE, True
        elif category == CareCategory.RADIOLOGY:
            base = spent = p.at("tariff.x_ray", day)
            rate, code, label = p.at("rate.radiology", day), "ZBQK002", "Radiographie"
            copayment, tp = CopaymentKind.FLAT_FEE, rng.random() < 0.6
        elif category == CareCategory.TRANSPORT:
            base = spent = p.at("tariff.ambulance", day) + Decimal(rng.randrange(0, 4000)) / 100
            rate, code, label = p.at("rate.transport", day), "TSA", "Transport sanitaire"
            copayment, tp = CopaymentKind.DEDUCTIBLE_TRANSPORT, True
        elif category == CareCategory.DENTAL:
            base = p.at("tariff.dental_care", day)
            spent = base + rng.choice([ZERO, ZERO, Decimal("40.00")])
            rate, code, label = p.at("rate.dental", day), "HBJD001", "Soins dentaires"
            tp = exempt
        elif category == CareCategory.HOSPITAL:
            quantity = rng.choice([1, 2, 3])
            base = spent = Decimal("650.00") * quantity
            rate, code, label = p.at("rate.hospital", day), "GHS", "Séjour hospitalier"
            tp = True
        else:
            raise ValueError(f"No care of category {category!r}")
        if third_party is not None:
            tp = third_party
        delay = rng.randint(2, 6) if tp else rng.randint(3, 9)
        return Care(
            person=person,
            care_date=day,
            paid_on=next_working_day(day + dt.timedelta(days=delay)),
            category=category,
            act_code=code,
            act_label=label,
            # drawn for every care alike, so that the demo's random history stays the same
            professional_name=BY_ACT.get(code, rng.choice(PROFESSIONALS[category])),
            quantity=quantity,
            amount_spent=cents(spent),
            base=cents(base),
            rate=rate,
            third_party=tp,
            copayment_kind=copayment,
            copayment_units=units if copayment else 0,
        )

    def random_cares(self, family: FamilyFacts, start: dt.date, end: dt.date) -> list[Care]:
        """The care of each family member between two dates, at plausible frequencies."""
        cares = []
        days = (end - start).days + 1
        for person in family.persons:
            child = person.birth_date > end.replace(year=end.year - 18)
            for category, per_year in FREQUENCIES:
                if child and category in (CareCategory.GP, CareCategory.DENTAL):
                    per_year *= 1.3
                expected = per_year * days / 365
                count = int(expected) + (self.rng.random() < expected - int(expected))
                for _ in range(count):
                    day = start + dt.timedelta(days=self.rng.randrange(days))
                    if day.weekday() == 6:
                        day -= dt.timedelta(days=1)
                    exempt = person.always_exempt
                    cares.append(self.care(person, category, day, exempt=exempt))
        return [c for c in cares if c.paid_on <= end and person_is_not_unborn(c)]

    def sick_leave(
        self, family: FamilyFacts, start: dt.date, days: int, *, external_id: str,
        received_on: dt.date | None = None, kind: str = "illness", status: str = "",
        work_accident_id: str = "", today: dt.date | None = None,
    ) -> tuple[dict, list[Care]]:  # fmt: skip
        """A sick-leave record and its daily allowances, paid every 14 days once due."""
        end = start + dt.timedelta(days=days - 1)
        today = today or end + dt.timedelta(days=60)
        waiting = (
            0
            if kind == "work_accident"
            else int(self.params.at("daily_allowance.waiting_days", start))
        )
        rate = self.params.at("daily_allowance.rate", start)
        daily = min(
            cents(family.daily_wage * rate / 100), self.params.at("daily_allowance.max", start)
        )
        cares = []
        period_start = start + dt.timedelta(days=waiting)
        while period_start <= end:
            period_end = min(period_start + dt.timedelta(days=13), end)
            paid_on = next_working_day(period_end + dt.timedelta(days=self.rng.randint(10, 25)))
            if paid_on > today:
                break
            n = (period_end - period_start).days + 1
            cares.append(
                Care(
                    person=family.member,
                    care_date=period_start,
                    paid_on=paid_on,
                    category=CareCategory.DAILY_ALLOWANCE,
                    act_code="IJ",
                    act_label=f"Indemnités journalières ({n} jours à {money(daily).replace('.', ',')} €)",
                    professional_name="",
                    quantity=n,
                    amount_spent=ZERO,
                    base=daily * n,
                    rate=Decimal(100),
                    third_party=False,
                    period_end=period_end,
                    kind=PaymentKind.DAILY_ALLOWANCE,
                    sick_leave_id=external_id,
                )
            )
            period_start = period_end + dt.timedelta(days=1)
        if not status:
            status = (
                "closed"
                if cares and cares[-1].period_end == end
                else ("paying" if cares else "received")
            )
        record = {
            "external_id": external_id, "member_nir": family.member.nir, "nir": family.member.nir,
            "kind": kind, "start_on": start.isoformat(), "end_on": end.isoformat(),
            "employer_name": family.employer_name, "status": status,
            "received_on": (received_on or start + dt.timedelta(days=2)).isoformat(),
        }  # fmt: skip
        if work_accident_id:
            record["work_accident_id"] = work_accident_id
        return record, cares

    # --- liquidation -----------------------------------------------------------------------------
    def liquidate(self, family: FamilyFacts, cares: list[Care]) -> list[dict]:
        """Payments (feed records) for these cares: caps by care date, settlement by pay date."""
        prefix = family.prefix or family.member.nir
        copayments = self._copayments(cares, prefix)
        # the family's deferred PF/franchises, oldest first
        deferred: list[tuple[str, Decimal]] = list(family.carried_over)
        records = []
        order = sorted(range(len(cares)), key=lambda i: (cares[i].paid_on, cares[i].care_date, i))
        for number, index in enumerate(order, start=1):
            care, copayment = cares[index], copayments[index]
            kind = care.kind or (PaymentKind.THIRD_PARTY if care.third_party else PaymentKind.CARE)
            reimbursed = care.reimbursed
            deducted, recoveries = ZERO, []
            if copayment is not None and copayment.amount > 0:
                if kind == PaymentKind.THIRD_PARTY or copayment.amount >= reimbursed:
                    copayment.settlement = "deferred"
                    deferred.append((copayment.external_id, copayment.amount))
                else:
                    copayment.settlement = "deducted"
                    deducted += copayment.amount
            if kind != PaymentKind.THIRD_PARTY:
                while deferred and reimbursed - deducted > deferred[0][1]:
                    external_id, amount = deferred.pop(0)
                    recoveries.append(external_id)
                    deducted += amount
            line = {
                "care_date": care.care_date.isoformat(), "category": care.category,
                "act_code": care.act_code, "act_label": care.act_label,
                "professional_name": care.professional_name, "quantity": care.quantity,
                "amount_spent": money(care.amount_spent), "base": money(care.base),
                "rate": _rate(care.rate), "reimbursed": money(reimbursed),
            }  # fmt: skip
            if care.period_end:
                line["period_end"] = care.period_end.isoformat()
            if copayment is not None:
                line["copayments"] = [
                    {"external_id": copayment.external_id, "kind": copayment.kind,
                     "nominal": money(copayment.nominal), "amount": money(copayment.amount),
                     "settlement": copayment.settlement}
                ]  # fmt: skip
            record = {
                "external_id": f"{prefix}-P{care.paid_on:%y%m%d}-{number:04d}",
                "member_nir": family.member.nir, "beneficiary_nir": care.person.nir,
                "kind": kind, "paid_on": care.paid_on.isoformat(),
                "payee": "professional" if kind == PaymentKind.THIRD_PARTY else "member",
                "payee_name": care.professional_name if kind == PaymentKind.THIRD_PARTY else "",
                "transmission": Transmission.NOT_COVERED
                if kind == PaymentKind.DAILY_ALLOWANCE else family.transmission_on(care.paid_on),
                "complementary_name": family.complementary_name,
                "reimbursed": money(reimbursed), "deducted": money(deducted),
                "amount": money(reimbursed - deducted), "lines": [line],
            }  # fmt: skip
            if record["transmission"] in (Transmission.NONE, Transmission.NOT_COVERED):
                record["complementary_name"] = ""
            if recoveries:
                record["recoveries"] = recoveries
            if care.sick_leave_id:
                record["sick_leave_id"] = care.sick_leave_id
            records.append(record)
        return records

    def _copayments(self, cares: list[Care], prefix: str) -> list[_Copayment | None]:
        """Each care's PF or franchise, with the daily and annual caps applied in care order."""
        p = self.params
        day_used: dict[tuple, Decimal] = defaultdict(lambda: ZERO)
        year_used: dict[tuple, Decimal] = defaultdict(lambda: ZERO)
        result: list[_Copayment | None] = [None] * len(cares)
        order = sorted(range(len(cares)), key=lambda i: (cares[i].care_date, i))
        for number, index in enumerate(order, start=1):
            care = cares[index]
            kind = care.copayment_kind
            if kind is None:
                continue
            day = care.care_date
            if care.person.is_exempt(day, int(p.at("exemption.minor_age", day))):
                care.copayment_kind = None
                continue
            nominal = p.at(UNIT_AMOUNTS[kind], day) * care.copayment_units
            amount = nominal
            if kind in DAILY_CAPS:
                left = p.at(DAILY_CAPS[kind], day) - day_used[(care.person.nir, kind, day)]
                amount = min(amount, max(left, ZERO))
            is_flat_fee = kind == CopaymentKind.FLAT_FEE
            cap_name = ANNUAL_CAPS.get(kind, "deductible.annual_cap")
            year_key = (care.person.nir, is_flat_fee, day.year)
            amount = min(amount, max(p.at(cap_name, day) - year_used[year_key], ZERO))
            day_used[(care.person.nir, kind, day)] += amount
            year_used[year_key] += amount
            result[index] = _Copayment(
                external_id=f"{prefix}-C{day:%y%m%d}-{number:04d}",
                kind=kind,
                nominal=cents(nominal),
                amount=cents(amount),
            )
        return result


def person_is_not_unborn(care: Care) -> bool:
    return care.care_date >= care.person.birth_date


def _rate(rate: Decimal) -> str:
    text = f"{rate.normalize():f}"
    return text
