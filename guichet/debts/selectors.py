"""Reads of debts for the member's pages, the back office and the home page."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from guichet.debts.enums import NoticeStatus
from guichet.debts.models import DebtPayment, PaymentNotice
from guichet.insured.models import InsuredPerson

ZERO = Decimal("0.00")


def notice_by_reference(*, reference: str) -> PaymentNotice | None:
    return PaymentNotice.objects.select_related("fund").filter(reference=reference).first()


def notices_of(*, member: InsuredPerson) -> list[PaymentNotice]:
    """Every notice of a member not cancelled, oldest first (1 query)."""
    return list(PaymentNotice.objects.visible_to(member).in_force().select_related("fund"))


def open_notices_of(*, member: InsuredPerson) -> list[PaymentNotice]:
    """The notices that still ask for something not already being paid (1 query)."""
    return list(PaymentNotice.objects.visible_to(member).open().select_related("fund"))


def balance_of(*, member: InsuredPerson) -> Decimal:
    """The PF/franchise balance the member owes on notices, payments not yet posted included."""
    total = (
        PaymentNotice.objects.visible_to(member)
        .in_force()
        .aggregate(total=Sum("remaining_amount"))["total"]
    )
    return total or ZERO


def payments_of(*, member: InsuredPerson) -> list[DebtPayment]:
    return list(DebtPayment.objects.visible_to(member).prefetch_related("allocations__notice"))


def payment_of(*, member: InsuredPerson, reference: str) -> DebtPayment | None:
    return DebtPayment.objects.visible_to(member).filter(reference=reference).first()


@dataclass(frozen=True)
class Ledger:
    """What the back office's "Créances" tab shows."""

    notices: list[PaymentNotice]
    payments: list[DebtPayment]
    balance: Decimal
    pending: Decimal


def ledger_of(*, member: InsuredPerson) -> Ledger:
    notices = list(PaymentNotice.objects.visible_to(member).select_related("fund"))
    return Ledger(
        notices=notices,
        payments=payments_of(member=member),
        balance=sum(
            (n.remaining_amount for n in notices if n.status != NoticeStatus.CANCELLED), ZERO
        ),
        pending=sum((n.pending_amount for n in notices), ZERO),
    )
