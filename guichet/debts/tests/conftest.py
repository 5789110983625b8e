import datetime as dt
from decimal import Decimal

import pytest

from guichet.core.actors import SYSTEM
from guichet.debts import services
from guichet.identity.tests.factories import AccountFactory
from guichet.insured.tests.factories import FundFactory


@pytest.fixture
def fund(db):
    return FundFactory(code="010111411", name="CPAM de l'Ain")


@pytest.fixture
def account(fund):
    return AccountFactory(insured_person__fund=fund)


@pytest.fixture
def member(account):
    return account.insured_person


@pytest.fixture
def notices(member):
    """Seed 000's four notices: 56,36 € still due, within the 50–150 € window."""
    return [
        services.issue_notice(
            member=member, amount=Decimal("50.00"), remaining=Decimal(left), issued_on=day,
            digits=digits, actor=SYSTEM,
        )
        for digits, day, left in [
            ("3811708600076602", dt.date(2014, 2, 20), "26.90"),
            ("3811702400012980", dt.date(2015, 9, 12), "6.60"),
            ("3811701200010075", dt.date(2016, 5, 12), "12.50"),
            ("3811708600079999", dt.date(2020, 2, 20), "10.36"),
        ]
    ]  # fmt: skip


def money_held() -> Decimal:
    """What the notices say was paid through Guichet: posted (initial less remaining, less what
    the fund's former system had recorded) plus pending."""
    from django.db.models import Sum

    from guichet.debts.models import PaymentNotice

    totals = PaymentNotice.objects.aggregate(
        left=Sum("remaining_amount"), pending=Sum("pending_amount")
    )
    return LEGACY_REMAINING - totals["left"] + totals["pending"]


def money_accepted() -> Decimal:
    from django.db.models import Sum

    from guichet.debts.enums import PaymentStatus
    from guichet.debts.models import DebtPayment

    total = DebtPayment.objects.filter(status=PaymentStatus.ACCEPTED).aggregate(t=Sum("amount"))
    return total["t"] or Decimal("0.00")


LEGACY_REMAINING = Decimal("56.36")  # what seed 000's four notices still asked for


class _Rollback(Exception):
    pass


def rolled_back(run, *args) -> None:
    """Run a property's example in a transaction that is then undone: each starts afresh."""
    from django.db import transaction

    try:
        with transaction.atomic():
            run(*args)
            raise _Rollback
    except _Rollback:
        pass
