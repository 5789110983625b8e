"""Reads of payments that the member's pages and other apps may use; each a fixed number of
queries, served by the indexes named in models.py."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone

from guichet.insured.models import InsuredPerson
from guichet.payments.enums import CopaymentKind, CopaymentStatus, PaymentKind, Transmission
from guichet.payments.models import (
    Copayment,
    CopaymentExemption,
    Payment,
    PaymentLine,
    SickLeave,
    WorkAccident,
)
from guichet.payments.parameters import ParameterTable

ZERO = Decimal("0.00")
CARE_KINDS = [PaymentKind.CARE, PaymentKind.THIRD_PARTY]
TO_FORWARD = [Transmission.TO_FORWARD, Transmission.DOWNLOADED]


def latest_payments(*, member: InsuredPerson, count: int = 5) -> list[Payment]:
    """The home page's "MES DERNIERS PAIEMENTS" (1 query)."""
    return list(Payment.objects.visible_to(member).order_by("-paid_on", "-id")[:count])


def payments_between(
    *,
    member: InsuredPerson,
    start: dt.date,
    end: dt.date,
    beneficiary_id: int | None = None,
    kinds: list[str] | None = None,
    to_forward_only: bool = False,
) -> list[Payment]:
    """The member's payments paid between two days, newest first (1 query)."""
    payments = Payment.objects.visible_to(member).filter(paid_on__gte=start, paid_on__lte=end)
    if beneficiary_id is not None:
        payments = payments.filter(beneficiary_id=beneficiary_id)
    if kinds is not None:
        payments = payments.filter(kind__in=kinds)
    if to_forward_only:
        payments = payments.filter(transmission__in=TO_FORWARD)
    return list(payments.select_related("beneficiary").order_by("-paid_on", "-id"))


def count_to_forward(*, member: InsuredPerson) -> int:
    """Payments the member still has to send to their complementary insurer (1 query)."""
    return Payment.objects.visible_to(member).filter(transmission=Transmission.TO_FORWARD).count()


@dataclass
class Notification:
    section: str
    text: str
    url_name: str


def notifications_for(*, member: InsuredPerson) -> list[Notification]:
    """What the payments app has to tell the member on the home page (1 query). A simple source
    until the messaging app owns notifications."""
    if count_to_forward(member=member):
        return [
            Notification(
                "Mes paiements",
                "Un ou plusieurs paiement(s) sont à télécharger et à transmettre à votre "
                "organisme complémentaire.",
                "payments:to_forward",
            )
        ]
    return []


@dataclass
class PaymentDetail:
    payment: Payment
    lines: list
    caused: list[Copayment]  # PF/franchises caused by this payment's acts
    recovered: list[Copayment]  # earlier ones deducted from this payment


def payment_detail(*, member: InsuredPerson, payment_id: int) -> PaymentDetail | None:
    """One payment of the member's, with what explains its amount (4 queries), or None."""
    return _detail(Payment.objects.visible_to(member), payment_id)


def payments_of_file(*, person: InsuredPerson) -> QuerySet[Payment]:
    """What an agent reads on a person's file: the payments made to them as assuré and those for
    their own care as ayant droit, latest first (paginated by the caller)."""
    return (
        Payment.objects.filter(Q(member=person) | Q(beneficiary=person))
        .select_related("member", "beneficiary")
        .order_by("-paid_on", "-pk")
    )


def payment_detail_of_file(*, person: InsuredPerson, payment_id: int) -> PaymentDetail | None:
    """One payment of `payments_of_file`, explained like the member's own detail (4 queries)."""
    return _detail(payments_of_file(person=person), payment_id)


def _detail(payments: QuerySet[Payment], payment_id: int) -> PaymentDetail | None:
    payment = (
        payments.select_related("beneficiary", "sick_leave")
        .prefetch_related(
            Prefetch(
                "lines__copayments",
                queryset=Copayment.objects.select_related("settled_by").order_by("pk"),
            )
        )
        .filter(pk=payment_id)
        .first()
    )
    if payment is None:
        return None
    lines = list(payment.lines.all())
    caused = [copayment for line in lines for copayment in line.copayments.all()]
    recovered = list(
        Copayment.objects.filter(settled_by=payment, status=CopaymentStatus.RECOVERED)
        .select_related("line__payment", "person")
        .order_by("care_date", "pk")
    )
    return PaymentDetail(payment, lines, caused, recovered)


@dataclass
class MonthSummary:
    year: int
    month: int
    count: int = 0
    total: Decimal = ZERO


def monthly_summaries(
    *, member: InsuredPerson, first: dt.date, last: dt.date
) -> list[MonthSummary]:
    """The months from `last` back to `first`, each with its payments' count and total (1 query)."""
    rows = (
        Payment.objects.visible_to(member)
        .filter(paid_on__gte=first, paid_on__lte=last)
        .annotate(year=ExtractYear("paid_on"), month=ExtractMonth("paid_on"))
        .values("year", "month")
        .annotate(count=Count("id"), total=Sum("amount"))
        .order_by()
    )
    found = {(row["year"], row["month"]): row for row in rows}
    months = []
    year, month = last.year, last.month
    while (year, month) >= (first.year, first.month):
        row = found.get((year, month))
        months.append(
            MonthSummary(year, month, row["count"], row["total"] or ZERO)
            if row
            else MonthSummary(year, month)
        )
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


def payments_with_lines(
    *, member: InsuredPerson, start: dt.date, end: dt.date, ids=None
) -> list[Payment]:
    """Payments with their beneficiaries, lines and PF/franchises, for a PDF (3 queries)."""
    payments = Payment.objects.visible_to(member).filter(paid_on__gte=start, paid_on__lte=end)
    if ids is not None:
        payments = payments.filter(pk__in=ids)
    return list(
        payments.select_related("beneficiary")
        .prefetch_related("lines__copayments")
        .order_by("paid_on", "id")
    )


@dataclass
class CopaymentYear:
    """One person's PF and franchises of one year: what was counted, capped, deducted, due."""

    person: InsuredPerson
    flat_fee_counted: Decimal = ZERO
    flat_fee_charged: Decimal = ZERO
    deductible_counted: Decimal = ZERO
    deductible_charged: Decimal = ZERO
    deducted: Decimal = ZERO
    recovered: Decimal = ZERO
    paid_by_notice: Decimal = ZERO
    claimed: Decimal = ZERO  # part of still_due: asked by a payment notice
    still_due: Decimal = ZERO
    flat_fee_cap: Decimal = ZERO
    deductible_cap: Decimal = ZERO
    minor_until: dt.date | None = None  # exempt as a minor until this day, within the year
    exemptions: list = field(default_factory=list)  # CopaymentExemption periods of the year
    events: list[Copayment] = field(default_factory=list)


def copayments_of_year(
    *, member: InsuredPerson, family: list[InsuredPerson], year: int
) -> list[CopaymentYear]:
    """Each family member's PF/franchise counters for a year, with every event and exemption
    (3 queries)."""
    params = ParameterTable.load()
    cap_day = min(dt.date(year, 12, 31), timezone.localdate())
    by_person = {
        person.pk: CopaymentYear(
            person=person,
            flat_fee_cap=params.at("flat_fee.annual_cap", cap_day),
            deductible_cap=params.at("deductible.annual_cap", cap_day),
        )
        for person in family
    }
    minor_age = int(params.at("exemption.minor_age", cap_day))
    for yearly in by_person.values():
        birth = yearly.person.birth_date
        try:
            adult_on = birth.replace(year=birth.year + minor_age)
        except ValueError:  # born on 29 February
            adult_on = dt.date(birth.year + minor_age, 3, 1)
        if adult_on > dt.date(year, 1, 1):
            yearly.minor_until = adult_on - dt.timedelta(days=1)
    for exemption in CopaymentExemption.objects.filter(
        person__in=list(by_person),
        start_on__lte=dt.date(year, 12, 31),
        end_on__gte=dt.date(year, 1, 1),
    ).order_by("start_on"):
        by_person[exemption.person_id].exemptions.append(exemption)
    events = (
        Copayment.objects.visible_to(member)
        .filter(care_date__gte=dt.date(year, 1, 1), care_date__lte=dt.date(year, 12, 31))
        .select_related("line__payment", "settled_by")
        .order_by("care_date", "pk")
    )
    for event in events:
        summary = by_person.get(event.person_id)
        if summary is None:  # a dependant no longer attached: still the member's history
            continue
        summary.events.append(event)
        if event.kind == CopaymentKind.FLAT_FEE:
            summary.flat_fee_counted += event.nominal
            summary.flat_fee_charged += event.amount
        else:
            summary.deductible_counted += event.nominal
            summary.deductible_charged += event.amount
        if event.status == CopaymentStatus.DEDUCTED:
            summary.deducted += event.amount
        elif event.status == CopaymentStatus.RECOVERED:
            summary.recovered += event.amount
        elif event.status == CopaymentStatus.PAID_BY_NOTICE:
            summary.paid_by_notice += event.amount
        elif event.status == CopaymentStatus.CLAIMED:
            summary.claimed += event.amount
            summary.still_due += event.amount
        elif event.status == CopaymentStatus.DEFERRED:
            summary.still_due += event.amount
    return list(by_person.values())


def sick_leaves_of(*, member: InsuredPerson) -> list[SickLeave]:
    """The member's family's sick leaves with their daily-allowance payments (2 queries)."""
    return list(
        SickLeave.objects.filter(member=member)
        .select_related("person", "work_accident")
        .prefetch_related(Prefetch("payments", queryset=Payment.objects.order_by("paid_on", "id")))
        .order_by("-start_on", "-id")
    )


def work_accidents_of(*, member: InsuredPerson) -> list[WorkAccident]:
    return list(
        WorkAccident.objects.filter(member=member)
        .select_related("person")
        .order_by("-accident_on", "-id")
    )


@dataclass
class YearSummary:
    """The annual statement: totals per beneficiary and per kind of care."""

    year: int
    rows: list[dict] = field(default_factory=list)  # beneficiary, category label, count, spent…
    by_kind: dict[str, Decimal] = field(default_factory=lambda: defaultdict(lambda: ZERO))
    reimbursed: Decimal = ZERO
    deducted: Decimal = ZERO
    paid: Decimal = ZERO


def annual_summary(*, member: InsuredPerson, year: int) -> YearSummary:
    """What the fund paid in a year, per beneficiary and kind of care (2 queries)."""
    from guichet.payments.enums import CareCategory

    summary = YearSummary(year=year)
    lines = (
        PaymentLine.objects.filter(
            payment__member=member,
            payment__paid_on__gte=dt.date(year, 1, 1),
            payment__paid_on__lte=dt.date(year, 12, 31),
        )
        .values(
            "payment__beneficiary__first_names",
            "payment__beneficiary__birth_name",
            "payment__beneficiary__usage_name",
            "category",
        )
        .annotate(
            count=Count("id"),
            spent=Sum("amount_spent"),
            base=Sum("base"),
            reimbursed=Sum("reimbursed"),
        )
        .order_by(
            "payment__beneficiary__birth_name", "payment__beneficiary__first_names", "category"
        )
    )
    for row in lines:
        first = row["payment__beneficiary__first_names"].split(" ")[0]
        last = (
            row["payment__beneficiary__usage_name"] or row["payment__beneficiary__birth_name"]
        ).upper()
        summary.rows.append(
            {
                "beneficiary": f"{first} {last}",
                "category": CareCategory(row["category"]).label,
                "count": row["count"],
                "spent": row["spent"] or ZERO,
                "base": row["base"] or ZERO,
                "reimbursed": row["reimbursed"] or ZERO,
            }
        )
    totals = (
        Payment.objects.visible_to(member)
        .filter(paid_on__gte=dt.date(year, 1, 1), paid_on__lte=dt.date(year, 12, 31))
        .values("kind")
        .annotate(reimbursed=Sum("reimbursed"), deducted=Sum("deducted"), amount=Sum("amount"))
        .order_by()
    )
    for row in totals:
        summary.by_kind[row["kind"]] = row["amount"] or ZERO
        summary.reimbursed += row["reimbursed"] or ZERO
        summary.deducted += row["deducted"] or ZERO
        summary.paid += row["amount"] or ZERO
    return summary


def deferred_copayments(*, cared_before: dt.date) -> QuerySet[Copayment]:
    """PF/franchises a later payment may still recover, for care before a day (the debts'
    ledger): those a payment notice claims are not among them."""
    return (
        Copayment.objects.filter(status=CopaymentStatus.DEFERRED, care_date__lt=cared_before)
        .select_related("member__fund")
        .order_by("member_id", "care_date", "pk")
    )


def recoverable_copayments(*, member: InsuredPerson) -> list[tuple[str, Decimal]]:
    """(external id, amount) of the family's PF/franchises that the next payments may recover,
    oldest first: the liquidation simulator starts from them; a claimed one is never there."""
    return list(
        Copayment.objects.visible_to(member)
        .filter(status=CopaymentStatus.DEFERRED, amount__gt=0)
        .order_by("care_date", "pk")
        .values_list("external_id", "amount")
    )


def exemptions_on(*, person_ids: list[int], day: dt.date) -> dict[int, list[CopaymentExemption]]:
    """Each person's PF/franchise exemption periods covering that day (1 query)."""
    found: dict[int, list[CopaymentExemption]] = defaultdict(list)
    for exemption in CopaymentExemption.objects.filter(
        person_id__in=person_ids, start_on__lte=day, end_on__gte=day
    ).order_by("start_on"):
        found[exemption.person_id].append(exemption)
    return found


def daily_allowances_between(
    *, member: InsuredPerson, start: dt.date, end: dt.date
) -> list[PaymentLine]:
    """The daily-allowance lines of the member's payments whose period meets [start, end], with
    their payment and sick leave, oldest first (1 query)."""
    return list(
        PaymentLine.objects.filter(
            payment__member=member,
            payment__kind=PaymentKind.DAILY_ALLOWANCE,
            care_date__lte=end,
            period_end__gte=start,
        )
        .select_related("payment__beneficiary", "payment__sick_leave")
        .order_by("care_date", "payment__paid_on", "pk")
    )


def daily_allowances_paid_in(*, member: InsuredPerson, year: int) -> list[PaymentLine]:
    """The daily-allowance lines paid in a calendar year (the relevé fiscal's), oldest first
    (1 query)."""
    return list(
        PaymentLine.objects.filter(
            payment__member=member,
            payment__kind=PaymentKind.DAILY_ALLOWANCE,
            payment__paid_on__gte=dt.date(year, 1, 1),
            payment__paid_on__lte=dt.date(year, 12, 31),
        )
        .select_related("payment__beneficiary", "payment__sick_leave")
        .order_by("payment__paid_on", "care_date", "pk")
    )


def has_daily_allowances(*, member: InsuredPerson) -> bool:
    """Whether the member was ever paid a daily allowance (1 query)."""
    return Payment.objects.visible_to(member).filter(kind=PaymentKind.DAILY_ALLOWANCE).exists()


def payment_days_between(*, start: dt.date, end: dt.date) -> Iterator[tuple[int, dt.date]]:
    """(member id, payment day) of every payment made from `start` to `end` included, grouped
    by member (the weekly "Information de paiement" e-mail reads them in one pass)."""
    return (
        Payment.objects.filter(paid_on__gte=start, paid_on__lte=end)
        .order_by("member_id", "paid_on")
        .values_list("member_id", "paid_on")
        .distinct()
        .iterator(chunk_size=5000)
    )
