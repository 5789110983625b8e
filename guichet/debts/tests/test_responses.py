"""Every fault the kiosk's responses may bring: money is never lost nor doubled."""

from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.urls import reverse

from guichet.core.actors import SYSTEM
from guichet.core.models import AuditEvent
from guichet.debts import services
from guichet.debts.enums import DEBT_PAYMENT_CHECK, Channel, PaymentStatus
from guichet.debts.models import Allocation, DebtPayment, PaymentNotice
from guichet.debts.tests import kiosk
from guichet.debts.tests.conftest import money_accepted, money_held
from guichet.workqueues.models import WorkItem

AUTOMATIC = reverse("debts:automatic")
MANUAL = reverse("debts:manual")


@pytest.fixture
def payment(member, notices):
    """20 € over the 2014 notice (26,90 € due)."""
    return services.start_payment(
        member=member, notice_ids=[notices[0].pk], amount=Decimal("20.00"), actor=SYSTEM
    )


def owed(notice) -> tuple[Decimal, Decimal]:
    notice = PaymentNotice.objects.get(pk=notice.pk)
    return notice.remaining_amount, notice.pending_amount


def test_an_accepted_automatic_response_holds_the_money_as_pending_until_the_accounting_run(
    client, payment, notices
):
    response = client.post(AUTOMATIC, kiosk.response(payment))
    assert response.status_code == 200
    payment.refresh_from_db()
    assert (payment.status, payment.channel, payment.authorisation_id) == (
        PaymentStatus.ACCEPTED, Channel.AUTOMATIC, "761208")  # fmt: skip
    assert owed(notices[0]) == (Decimal("26.90"), Decimal("20.00"))
    assert not Allocation.objects.filter(is_open=True).exists()
    assert AuditEvent.objects.filter(
        action="debt_payment.accepted", target_id=str(payment.pk)
    ).exists()

    assert services.post_accepted_payments() == 1
    assert owed(notices[0]) == (Decimal("6.90"), Decimal("0.00"))
    assert services.post_accepted_payments() == 0  # posted once


def test_the_automatic_response_twice_is_applied_once(client, payment, notices):
    for _ in range(2):
        assert client.post(AUTOMATIC, kiosk.response(payment)).status_code == 200
    assert owed(notices[0]) == (Decimal("26.90"), Decimal("20.00"))
    assert AuditEvent.objects.filter(action="debt_payment.response_ignored").count() == 1


def test_the_manual_response_first_then_the_late_automatic_one(client, member, payment, notices):
    client.force_login(member.account)
    back = client.post(MANUAL, kiosk.response(payment))
    assert back.url == reverse("debts:outcome", args=[payment.reference])
    assert client.post(AUTOMATIC, kiosk.response(payment)).status_code == 200
    payment.refresh_from_db()
    assert (payment.status, payment.channel) == (PaymentStatus.ACCEPTED, Channel.MANUAL)
    assert owed(notices[0]) == (Decimal("26.90"), Decimal("20.00"))
    home = client.get(back.url, follow=True)
    assert (
        "Nous vous remercions pour votre paiement, nous le traitons dans les plus brefs délais."
        in home.content.decode()
    )


@pytest.mark.parametrize(
    "code, status",
    [("05", PaymentStatus.REFUSED), ("54", PaymentStatus.REFUSED), ("17", PaymentStatus.CANCELLED),
     ("97", PaymentStatus.EXPIRED), ("99", PaymentStatus.ERROR)],
)  # fmt: skip
def test_a_failed_payment_changes_nothing_owed_and_says_so(
    client, member, payment, notices, code, status
):
    client.force_login(member.account)
    back = client.post(MANUAL, kiosk.response(payment, code=code))
    payment.refresh_from_db()
    assert payment.status == status
    assert owed(notices[0]) == (Decimal("26.90"), Decimal("0.00"))
    assert (
        "Votre transaction de paiement a échoué."
        in client.get(back.url, follow=True).content.decode()
    )
    # the notice may be paid again, with a new transaction reference
    again = services.start_payment(
        member=member, notice_ids=[notices[0].pk], amount=Decimal("20"), actor=SYSTEM
    )
    assert again.reference != payment.reference


def test_money_taken_after_the_transaction_was_closed_goes_to_the_accountants(
    client, payment, notices
):
    """A stale form posted again after the reconciliation closed it: the bank says 00 too late."""
    client.post(AUTOMATIC, kiosk.response(payment, code="97"))
    client.post(AUTOMATIC, kiosk.response(payment, code="00"))
    assert DebtPayment.objects.get().status == PaymentStatus.EXPIRED
    assert owed(notices[0]) == (Decimal("26.90"), Decimal("0.00"))
    item = WorkItem.objects.get(kind=DEBT_PAYMENT_CHECK)
    assert "accepté après la clôture" in item.summary


def test_a_late_refusal_after_acceptance_changes_nothing(client, payment, notices):
    client.post(AUTOMATIC, kiosk.response(payment, code="00"))
    client.post(AUTOMATIC, kiosk.response(payment, code="05"))
    assert DebtPayment.objects.get().status == PaymentStatus.ACCEPTED
    assert owed(notices[0]) == (Decimal("26.90"), Decimal("20.00"))
    assert not WorkItem.objects.filter(kind=DEBT_PAYMENT_CHECK).exists()


@pytest.mark.parametrize("secret", ["not-the-secret", ""])
def test_a_forged_or_unsealed_response_is_refused_and_changes_nothing(
    client, payment, notices, secret
):
    posted = kiosk.response(payment, secret=secret or "x")
    if not secret:
        posted["Seal"] = ""
    assert client.post(AUTOMATIC, posted).status_code == 400
    assert client.post(MANUAL, posted).status_code == 400
    assert DebtPayment.objects.get().status == PaymentStatus.INITIATED
    assert AuditEvent.objects.filter(action="debt_payment.bad_seal").count() == 2


@pytest.mark.parametrize("seal", ["²", "é" * 64, "\u0663" * 64])
def test_a_seal_that_is_not_hexadecimal_is_a_bad_seal_not_a_crash(client, payment, notices, seal):
    posted = kiosk.response(payment) | {"Seal": seal}
    assert client.post(AUTOMATIC, posted).status_code == 400
    assert client.post(MANUAL, posted).status_code == 400
    assert DebtPayment.objects.get().status == PaymentStatus.INITIATED


def test_a_response_about_a_transaction_never_started_is_refused(client, payment):
    posted = kiosk.response(payment)
    payment.reference = "GUNEVERSTARTED"
    assert client.post(AUTOMATIC, kiosk.response(payment)).status_code == 400
    assert client.post(AUTOMATIC, posted).status_code == 200


@pytest.mark.parametrize(
    "change, words",
    [({"amount": 200}, "montant '200'"), ({"merchant": "999999999999999"}, "commerçant"),
     ({"currency": "840"}, "devise")],
)  # fmt: skip
def test_a_sealed_response_that_does_not_match_goes_to_the_accountants(
    client, payment, notices, change, words
):
    assert client.post(AUTOMATIC, kiosk.response(payment, **change)).status_code == 200
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.ERROR
    assert owed(notices[0]) == (Decimal("26.90"), Decimal("0.00"))
    item = WorkItem.objects.get(kind=DEBT_PAYMENT_CHECK)
    assert words in item.summary and item.person_id == payment.member_id


def test_two_tabs_paying_the_same_notice_open_one_transaction(member, notices, payment):
    with pytest.raises(services.PaymentUnderWay):
        services.start_payment(member=member, notice_ids=[notices[0].pk, notices[1].pk],
                               amount=Decimal("20"), actor=SYSTEM)  # fmt: skip
    assert DebtPayment.objects.count() == 1


def test_the_database_forbids_a_second_open_transaction_on_a_notice(member, notices, payment):
    other = DebtPayment.objects.create(
        reference="GUOTHER", member=member, fund=member.fund, amount=Decimal("5")
    )
    with pytest.raises(IntegrityError):
        Allocation.objects.create(payment=other, notice=notices[0], amount=Decimal("5"))


def test_the_database_forbids_recording_more_than_is_due(notices):
    with pytest.raises(IntegrityError):
        PaymentNotice.objects.filter(pk=notices[1].pk).update(pending_amount=Decimal("6.61"))


def test_the_database_forbids_posting_a_payment_that_was_not_accepted(payment):
    from django.utils import timezone

    with pytest.raises(IntegrityError):
        DebtPayment.objects.filter(pk=payment.pk).update(posted_at=timezone.now())


def test_two_payments_cannot_together_exceed_what_is_due(client, member, notices, payment):
    client.post(AUTOMATIC, kiosk.response(payment))  # 20 of 26,90 € pending
    with pytest.raises(services.DebtError, match="dépasse"):
        services.start_payment(
            member=member, notice_ids=[notices[0].pk], amount=Decimal("7"), actor=SYSTEM
        )
    second = services.start_payment(
        member=member, notice_ids=[notices[0].pk], amount=Decimal("6.90"), actor=SYSTEM
    )
    client.post(AUTOMATIC, kiosk.response(second))
    services.post_accepted_payments()
    assert owed(notices[0]) == (Decimal("0.00"), Decimal("0.00"))
    assert money_held() == money_accepted() == Decimal("26.90")


def test_an_accepted_payment_is_acknowledged_once_in_the_messaging(
    client, payment, django_capture_on_commit_callbacks
):
    from guichet.messaging.models import Message

    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(AUTOMATIC, kiosk.response(payment))
    [message] = Message.objects.filter(subject="Accusé de réception de votre paiement de créance")
    assert "Nous accusons réception de votre paiement de créance du " in message.body
    assert "Votre caisse d'Assurance Maladie." in message.body


def test_a_refused_payment_is_not_acknowledged(client, payment, django_capture_on_commit_callbacks):
    from guichet.messaging.models import Message

    with django_capture_on_commit_callbacks(execute=True):
        client.post(AUTOMATIC, kiosk.response(payment, code="05"))
    assert not Message.objects.filter(kind="acknowledgment").exists()
