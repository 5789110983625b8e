"""A property of the deferred-debit ledger: whatever the order of notices issued and cancelled,
payments of notices, accounting runs and recoveries by the fund's own system, every euro owed is
collected once — by a deduction or by a notice — or is still owed; what was collected twice is
reported as an overpayment, never lost (ADR 0073)."""

import contextlib
from decimal import Decimal

import pytest
from django.db.models import Sum
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from guichet.core.actors import SYSTEM
from guichet.debts import services, sips
from guichet.debts.enums import NoticeStatus, PaymentStatus
from guichet.debts.models import Allocation, DebtPayment, PaymentNotice, PaymentNoticeLine
from guichet.debts.tests import kiosk
from guichet.debts.tests.conftest import rolled_back
from guichet.debts.tests.test_claimed_copayments import (
    TODAY,
    deferred_franchises,
    gp_visit,
    pay,
    small_amounts,  # noqa: F401 - autouse: every amount may be paid
)
from guichet.insured.tests.factories import InsuredPersonFactory
from guichet.payments.enums import CopaymentStatus
from guichet.payments.models import Copayment
from guichet.payments.tests.factories import load

ZERO = Decimal("0.00")
NOTICE = st.integers(0, 2)  # which of the notices issued so far
events = st.lists(
    st.one_of(
        st.tuples(st.just("issue")),
        st.tuples(st.just("cancel"), NOTICE),
        st.tuples(st.just("pay"), NOTICE, st.integers(1, 100), st.booleans()),
        st.tuples(st.just("pay"), NOTICE, st.integers(1, 100), st.booleans()),
        # the member opens a payment the kiosk accepts later, maybe after a recovery
        st.tuples(st.just("open"), NOTICE, st.integers(1, 100)),
        st.tuples(
            st.just("accept"),
        ),
        st.tuples(st.just("post")),
        st.tuples(st.just("recover"), st.integers(0, 4)),
        st.tuples(st.just("recover"), st.integers(0, 4)),
    ),
    min_size=3,
    max_size=16,
)


def amount(rows) -> Decimal:
    return rows.aggregate(total=Sum("amount"))["total"] or ZERO


def check_ledger(owed: Decimal) -> None:
    """Collected (deductions, and notices' posted payments less what they got twice) plus still
    owed (deferred, and what issued notices ask) is what the franchises came to."""
    copayments = Copayment.objects.all()
    notices = list(PaymentNotice.objects.all())
    taken_beyond = (
        Allocation.objects.filter(payment__status=PaymentStatus.ACCEPTED).aggregate(
            total=Sum("overpaid")
        )["total"]
        or ZERO
    )  # money the kiosk took that its notice no longer asked
    received = (
        amount(copayments.filter(status=CopaymentStatus.RECOVERED))
        + sum((n.paid_amount for n in notices), ZERO)
        + taken_beyond
    )
    collected = received - sum((n.overpaid_amount for n in notices), ZERO)
    still_owed = amount(copayments.filter(status=CopaymentStatus.DEFERRED)) + sum(
        (n.remaining_amount for n in notices if n.status == NoticeStatus.ISSUED), ZERO
    )
    assert collected + still_owed == owed
    assert amount(copayments.filter(status=CopaymentStatus.PAID_BY_NOTICE)) <= sum(
        (n.paid_amount for n in notices), ZERO
    )
    for copayment in copayments:
        lines = PaymentNoticeLine.objects.filter(copayment=copayment, released=False)
        if copayment.status in (CopaymentStatus.CLAIMED, CopaymentStatus.PAID_BY_NOTICE):
            assert [line.notice.reference for line in lines] == [copayment.notice_reference]
        else:
            assert not lines.exists()
    for notice in notices:
        assert 0 <= notice.pending_amount <= notice.remaining_amount <= notice.asked_amount
        assert notice.asked_amount <= notice.initial_amount


def accept(payment: DebtPayment) -> None:
    posted = kiosk.response(payment)
    fields = sips.read_response(data=posted["Data"], received_seal=posted["Seal"])
    services.record_kiosk_response(fields=fields, channel="automatic")


def run(steps) -> None:
    member = InsuredPersonFactory()  # notices on paper: this property is about money
    franchises = deferred_franchises(member, count=5)
    owed = sum((c.amount for c in franchises), ZERO)
    issued = [services.issue_notice_now(member=member, today=TODAY, actor=SYSTEM)]
    opened: list[DebtPayment] = []  # one at a time: a notice has one open payment at most
    for number, step in enumerate(steps):
        if step[0] == "issue":
            with contextlib.suppress(services.DebtError):  # nothing left to claim
                issued.append(services.issue_notice_now(member=member, today=TODAY, actor=SYSTEM))
        elif step[0] == "cancel" and step[1] < len(issued):
            with contextlib.suppress(services.DebtError):  # paid in part, or already closed
                services.cancel_notice(notice=issued[step[1]], actor=SYSTEM, reason="erreur")
        elif step[0] == "pay" and step[1] < len(issued):
            notice = PaymentNotice.objects.get(pk=issued[step[1]].pk)
            share = (notice.payable_amount * step[2] / 100).quantize(Decimal("0.01"))
            if notice.status == NoticeStatus.ISSUED and share > 0:
                with contextlib.suppress(services.PaymentUnderWay):  # one opened meanwhile
                    pay(member, notice, share, post=step[3])
        elif step[0] == "open" and step[1] < len(issued) and not opened:
            notice = PaymentNotice.objects.get(pk=issued[step[1]].pk)
            share = (notice.payable_amount * step[2] / 100).quantize(Decimal("0.01"))
            if notice.status == NoticeStatus.ISSUED and share > 0:
                opened.append(
                    services.start_payment(
                        member=member, notice_ids=[notice.pk], amount=share, actor=SYSTEM
                    )
                )
        elif step[0] == "accept" and opened:
            accept(opened.pop())
        elif step[0] == "post":
            services.post_accepted_payments()
        elif step[0] == "recover":
            copayment = Copayment.objects.get(pk=franchises[step[1]].pk)
            if copayment.status in (CopaymentStatus.DEFERRED, CopaymentStatus.CLAIMED):
                # the fund's own system deducts it from a reimbursement, claimed or not
                record = gp_visit(
                    member,
                    carried_over=[(copayment.external_id, copayment.amount)],
                    days_after=number,
                )
                load([record])
        check_ledger(owed)
    # The kiosk answers; the member pays every notice in full; the accounting run posts it.
    for payment in opened:
        accept(payment)
    for notice in PaymentNotice.objects.filter(status=NoticeStatus.ISSUED):
        if notice.payable_amount > 0:
            pay(member, notice, notice.payable_amount, post=False)
    services.post_accepted_payments()
    check_ledger(owed)
    assert not Copayment.objects.filter(status=CopaymentStatus.CLAIMED).exists()
    assert not PaymentNotice.objects.filter(status=NoticeStatus.ISSUED).exists()
    overpaid = sum((n.overpaid_amount for n in PaymentNotice.objects.all()), ZERO)
    event("collected twice" if overpaid else "collected once")
    if Allocation.objects.filter(overpaid__gt=0).exists():
        event("accepted after the notice was lowered")


@pytest.mark.django_db
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
@given(steps=events)
def test_every_euro_owed_is_collected_once_or_reported(steps):
    rolled_back(run, steps)
