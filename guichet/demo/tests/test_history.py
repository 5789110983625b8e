"""The demo's payment history: the seeds' payments exactly, and a coherent ledger."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import F

from guichet.demo import history, population
from guichet.payments.enums import CopaymentStatus, PaymentKind, Transmission
from guichet.payments.models import Copayment, Payment, SickLeave, WorkAccident

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 22)


@pytest.fixture
def loaded(monkeypatch):
    monkeypatch.setattr(history.timezone, "localdate", lambda *a, **k: TODAY)
    population.load()


def test_marinas_five_latest_payments_are_seed_002s_november(loaded):
    latest = Payment.objects.filter(member__nir=history.MARINA).order_by("-paid_on", "-id")[:5]
    assert [(p.paid_on, p.kind, p.amount) for p in latest] == [
        (dt.date(2026, 11, 14), PaymentKind.THIRD_PARTY, Decimal("12.62")),
        (dt.date(2026, 11, 10), PaymentKind.THIRD_PARTY, Decimal("31.64")),
        (dt.date(2026, 11, 9), PaymentKind.THIRD_PARTY, Decimal("19.87")),
        (dt.date(2026, 11, 6), PaymentKind.THIRD_PARTY, Decimal("47.96")),
        (dt.date(2026, 11, 3), PaymentKind.THIRD_PARTY, Decimal("3.00")),
    ]


@pytest.mark.parametrize(
    "today",
    [TODAY, dt.date(2026, 12, 1), dt.date(2027, 1, 13), dt.date(2027, 2, 28), dt.date(2027, 3, 14)],
)
def test_marinas_five_payments_fall_in_one_month_up_to_today_whatever_the_day(today):
    anchor = history.marina_anchor(today)
    days = [anchor - dt.timedelta(days=before) for before, _, _ in history.MARINA_NOVEMBER]
    assert anchor <= today and anchor.day == 14
    assert {(day.year, day.month) for day in days} == {(anchor.year, anchor.month)}


def test_loaded_in_another_month_marinas_latest_payments_are_still_the_seeds(monkeypatch):
    today = dt.date(2027, 1, 5)  # the browser journeys run on any day, not only in November
    monkeypatch.setattr(history.timezone, "localdate", lambda *a, **k: today)
    population.load()
    latest = Payment.objects.filter(member__nir=history.MARINA).order_by("-paid_on", "-id")[:5]
    assert [(p.paid_on, p.amount) for p in latest] == [
        (dt.date(2026, 12, 14), Decimal("12.62")),
        (dt.date(2026, 12, 10), Decimal("31.64")),
        (dt.date(2026, 12, 9), Decimal("19.87")),
        (dt.date(2026, 12, 6), Decimal("47.96")),
        (dt.date(2026, 12, 3), Decimal("3.00")),
    ]


def test_jessica_has_seed_004s_payments_to_forward_and_nothing_since(loaded):
    to_forward = Payment.objects.filter(
        member__nir=history.JESSICA, transmission=Transmission.TO_FORWARD
    )
    seeded = {(p.paid_on, p.kind, p.amount) for p in to_forward}
    assert {
        (dt.date(2026, 8, 21), PaymentKind.THIRD_PARTY, Decimal("2.28")),
        (dt.date(2026, 8, 19), PaymentKind.CARE, Decimal("21.00")),
        (dt.date(2026, 6, 13), PaymentKind.CARE, Decimal("18.50")),
    } <= seeded
    assert not Payment.objects.filter(
        member__nir=history.JESSICA, paid_on__gt=dt.date(2026, 8, 21)
    ).exists()
    assert SickLeave.objects.filter(member__nir=history.JESSICA).exists()


def test_every_persona_with_an_account_has_about_27_months_of_history(loaded):
    for persona in population.PERSONAS:
        if not persona.account:
            continue
        payments = Payment.objects.filter(member__nir=persona.nir15[:13])
        assert payments.count() >= 20, persona.first_names
        assert payments.order_by("paid_on").first().paid_on < dt.date(2025, 1, 1)  # from Sept. 2024


def test_the_ledger_adds_up_and_recoveries_stay_in_the_family(loaded):
    assert all(p.amount == p.reimbursed - p.deducted >= 0 for p in Payment.objects.all())
    recovered = Copayment.objects.filter(status=CopaymentStatus.RECOVERED).select_related(
        "settled_by"
    )
    assert recovered.exists()
    assert all(
        c.settled_by.member_id == c.member_id and c.settled_on >= c.care_date for c in recovered
    )
    assert (
        Copayment.objects.filter(status=CopaymentStatus.RECOVERED)
        .exclude(person_id=F("member_id"))
        .exists()
    )
    assert WorkAccident.objects.get(member__nir=history.PIERRE).status == "recognised"
