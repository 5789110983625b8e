"""A property: whatever the order, duplication, forgery or loss of the kiosk's responses, the
money the kiosk took is the money Guichet records, once."""

import contextlib
import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from guichet.core.actors import SYSTEM
from guichet.debts import services, sips
from guichet.debts.enums import Channel, PaymentStatus
from guichet.debts.models import DebtPayment, PaymentNotice
from guichet.debts.tests import kiosk
from guichet.debts.tests.conftest import money_accepted, money_held, rolled_back
from guichet.insured.tests.factories import InsuredPersonFactory

SEED_NOTICES = [("26.90", dt.date(2014, 2, 20)), ("6.60", dt.date(2015, 9, 12)),
                ("12.50", dt.date(2016, 5, 12)), ("10.36", dt.date(2020, 2, 20))]  # fmt: skip
CHANNELS = [Channel.AUTOMATIC, Channel.MANUAL]

# start a payment: which notices, how much (a share of the way between the bounds; above 100 %:
# too much), and what the kiosk will answer to it
START = st.tuples(
    st.just("start"),
    st.sets(st.integers(0, 3), min_size=1),
    st.integers(0, 110),
    st.sampled_from(["00", "00", "05", "17", "97"]),
)
TRANSACTION = st.integers(0, 3)  # which of the transactions started so far
events = st.lists(
    st.one_of(
        START,
        START,
        st.tuples(st.just("deliver"), TRANSACTION, st.sampled_from(CHANNELS)),
        st.tuples(st.just("deliver"), TRANSACTION, st.sampled_from(CHANNELS)),
        st.tuples(st.just("forge"), TRANSACTION, st.sampled_from(["00", "05"])),
        st.tuples(st.just("post")),
    ),
    min_size=4,
    max_size=30,
)  # fmt: skip


def check_invariants() -> None:
    for notice in PaymentNotice.objects.all():
        assert 0 <= notice.pending_amount <= notice.remaining_amount <= notice.initial_amount
    assert money_held() == money_accepted()


def run(steps) -> None:
    member = InsuredPersonFactory()  # notices on paper: this property is about money, not PDFs
    notices = [
        services.issue_notice(member=member, amount=Decimal("50"), remaining=Decimal(left),
                              issued_on=day, actor=SYSTEM)
        for left, day in SEED_NOTICES
    ]  # fmt: skip
    started: list[DebtPayment] = []
    decided: dict[str, str] = {}  # what the kiosk answers to each transaction
    for step in steps:
        if step[0] == "start":
            chosen = [PaymentNotice.objects.get(pk=notices[i].pk) for i in step[1]]
            # an amount between the bounds, by a share of the way (above 100 %: too much)
            low, high = services.payment_bounds(due=sum(n.payable_amount for n in chosen))
            amount = (low + (high - low) * step[2] / 100).quantize(Decimal("0.01"))
            with contextlib.suppress(services.DebtError):  # too much, or one under way: refused
                payment = services.start_payment(member=member, notice_ids=[n.pk for n in chosen],
                                                 amount=amount, actor=SYSTEM)  # fmt: skip
                started.append(payment)
                decided[payment.reference] = step[3]
        elif step[0] in ("deliver", "forge") and step[1] < len(started):
            payment = started[step[1]]
            if step[0] == "forge":
                posted = kiosk.response(payment, code=step[2], secret="forger")
                with pytest.raises(sips.BadSeal):
                    sips.read_response(data=posted["Data"], received_seal=posted["Seal"])
            else:  # the automatic or the manual response, maybe again
                posted = kiosk.response(payment, code=decided[payment.reference])
                fields = sips.read_response(data=posted["Data"], received_seal=posted["Seal"])
                services.record_kiosk_response(fields=fields, channel=step[2], raw=posted["Data"])
        elif step[0] == "post":
            services.post_accepted_payments()
        check_invariants()
    # Responses lost: the reconciliation learns what the kiosk did.
    for payment in started:
        posted = kiosk.response(payment, code=decided[payment.reference])
        fields = sips.read_response(data=posted["Data"], received_seal=posted["Seal"])
        services.record_kiosk_response(fields=fields, channel=Channel.RECONCILIATION)
    services.post_accepted_payments()
    check_invariants()
    event(f"{len(started)} transactions, {list(decided.values()).count('00')} accepted")
    taken = sum((p.amount for p in started if decided.get(p.reference) == "00"), Decimal("0.00"))
    assert money_held() == taken
    assert not DebtPayment.objects.filter(status=PaymentStatus.INITIATED).exists()
    assert not PaymentNotice.objects.exclude(pending_amount=0).exists()  # everything posted


@pytest.mark.django_db
@settings(max_examples=50, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
@given(steps=events)
def test_money_paid_is_money_recorded_once(steps):
    rolled_back(run, steps)
