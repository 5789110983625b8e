"""The automatic response never arrives: the reconciliation asks the Office (Sips Office JSON
getTransactionData) — the kiosk sandbox as a live process, or a stand-in server for the faults."""

import datetime as dt
from decimal import Decimal

import httpx
import pytest
from django.utils import timezone

from guichet.core.actors import SYSTEM
from guichet.core.models import AuditEvent
from guichet.debts import services, sips
from guichet.debts.enums import DEBT_PAYMENT_CHECK, Channel, PaymentStatus
from guichet.debts.tests.office import Office, sealed
from guichet.workqueues.models import WorkItem
from sandboxes.kiosk.testing import csrf, pay_on_card_page, running_kiosk

DEAD = "http://127.0.0.1:9"  # nobody listens there: the automatic response is lost


@pytest.fixture(scope="module")
def kiosk(tmp_path_factory):
    with running_kiosk(
        var_dir=tmp_path_factory.mktemp("kiosk"), retry_give_up_after="1", retry_first_seconds="0"
    ) as url:
        yield url


@pytest.fixture
def portal(settings, kiosk):
    settings.SIPS_PAYPAGE_URL = f"{kiosk}/paymentInit"
    settings.SIPS_OFFICE_URL = kiosk
    return settings


def to_kiosk(client: httpx.Client, payment) -> httpx.Response:
    """What the member's browser does after PAYER: post the sealed form, land on the card page."""
    form = sips.payment_form(
        reference=payment.reference, amount_in_cents=payment.amount_in_cents,
        normal_return_url=f"{DEAD}/retour/", automatic_response_url=f"{DEAD}/automatique/",
        order_id=payment.reference, customer_id=str(payment.member_id),
    )  # fmt: skip
    return client.post(
        form.url,
        data={"Data": form.data, "Seal": form.seal, "InterfaceVersion": form.interface_version},
        follow_redirects=True,
    )


def later() -> dt.datetime:
    return timezone.now() + dt.timedelta(hours=1)


def test_a_paid_transaction_whose_response_was_lost_is_settled_by_the_reconciliation(
    portal, member, notices
):
    payment = services.start_payment(
        member=member, notice_ids=[notices[0].pk], amount=Decimal("20"), actor=SYSTEM
    )
    with httpx.Client() as client:
        result = pay_on_card_page(client, to_kiosk(client, payment))
    assert "Votre paiement a été accepté." in result.text
    assert services.reconcile_stale_payments(now=timezone.now()) == 0  # too early to ask
    assert services.reconcile_stale_payments(now=later()) == 1
    payment.refresh_from_db()
    assert (payment.status, payment.channel) == (PaymentStatus.ACCEPTED, Channel.RECONCILIATION)
    assert payment.authorisation_id and payment.masked_pan == "4100##########00"
    notices[0].refresh_from_db()
    assert notices[0].pending_amount == Decimal("20.00")


def test_a_transaction_the_kiosk_never_saw_is_closed_without_money(portal, member, notices):
    payment = services.start_payment(
        member=member, notice_ids=[notices[1].pk], amount=Decimal("6.60"), actor=SYSTEM
    )
    assert services.reconcile_stale_payments(now=later()) == 1
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.EXPIRED
    notices[1].refresh_from_db()
    assert notices[1].pending_amount == 0


def test_a_member_still_on_the_card_page_is_left_alone(portal, member, notices):
    payment = services.start_payment(
        member=member, notice_ids=[notices[2].pk], amount=Decimal("12.50"), actor=SYSTEM
    )
    with httpx.Client() as client:
        assert "Numéro de carte" in to_kiosk(client, payment).text
    assert services.reconcile_stale_payments(now=later()) == 0
    assert payment.__class__.objects.get(pk=payment.pk).status == PaymentStatus.INITIATED


def test_an_unreachable_kiosk_leaves_the_transaction_for_the_next_run(settings, member, notices):
    settings.SIPS_OFFICE_URL = DEAD
    payment = services.start_payment(
        member=member, notice_ids=[notices[3].pk], amount=Decimal("10.36"), actor=SYSTEM
    )
    assert services.reconcile_stale_payments(now=later()) == 0
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.INITIATED


def test_a_transaction_the_member_cancelled_on_the_kiosk_is_closed_as_cancelled(
    portal, member, notices
):
    payment = services.start_payment(
        member=member, notice_ids=[notices[0].pk], amount=Decimal("20"), actor=SYSTEM
    )
    with httpx.Client() as client:
        card_page = to_kiosk(client, payment)
        client.post(
            str(card_page.url),
            data={"csrfmiddlewaretoken": csrf(card_page), "annuler": ""},
            follow_redirects=True,
        )
    assert services.reconcile_stale_payments(now=later()) == 1
    payment.refresh_from_db()
    assert (payment.status, payment.response_code) == (PaymentStatus.CANCELLED, "17")
    notices[0].refresh_from_db()
    assert notices[0].pending_amount == 0


def test_the_question_is_sips_office_json_sealed_with_the_merchants_key(settings, member, notices):
    payment = services.start_payment(
        member=member, notice_ids=[notices[0].pk], amount=Decimal("20"), actor=SYSTEM
    )
    office = Office(lambda message: sealed({"responseCode": "25"}))
    settings.SIPS_OFFICE_URL = office.url
    try:
        assert services.reconcile_stale_payments(now=later()) == 1
    finally:
        office.close()
    [message] = office.asked
    assert message == sealed(
        {"interfaceVersion": "DR_WS_2.9", "keyVersion": "1", "merchantId": settings.SIPS_MERCHANT_ID,
         "sealAlgorithm": "HMAC-SHA-256", "transactionReference": payment.reference}
    )  # fmt: skip
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.EXPIRED  # an unknown transaction took no money


@pytest.fixture
def office(settings):
    """A stand-in Office whose answer each test sets in `office.answer`."""
    holder = {}
    office = Office(lambda message: holder["answer"](message))
    office.answer = lambda function: holder.__setitem__("answer", function)
    settings.SIPS_OFFICE_URL = office.url
    yield office
    office.close()


def accepted(payment, **changes) -> dict:
    return {"responseCode": "00", "transactionStatus": "TO_CAPTURE", "amount": payment.amount_in_cents,
            "currencyCode": "978", "authorisationId": "761208", "acquirerResponseCode": "00",
            "maskedPan": "4100##########00", "transactionDateTime": "2026-11-22T14:00:00+01:00"} | changes  # fmt: skip


def test_a_diagnostic_answer_with_a_bad_seal_changes_nothing_and_is_journaled(
    office, member, notices
):
    payment = services.start_payment(
        member=member, notice_ids=[notices[0].pk], amount=Decimal("20"), actor=SYSTEM
    )
    office.answer(lambda message: sealed(accepted(payment), secret="not-the-merchant-key"))

    assert services.reconcile_stale_payments(now=later()) == 0

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.INITIATED
    notices[0].refresh_from_db()
    assert notices[0].pending_amount == 0
    assert AuditEvent.objects.filter(
        action="debt_payment.diagnostic_refused",
        target_id=str(payment.pk),
        details__error="bad_seal",
    ).exists()


def test_an_answer_without_seal_is_not_believed_either(office, member, notices):
    payment = services.start_payment(
        member=member, notice_ids=[notices[0].pk], amount=Decimal("20"), actor=SYSTEM
    )
    office.answer(lambda message: {"responseCode": "25"})  # "unknown": would close it, unsealed
    assert services.reconcile_stale_payments(now=later()) == 0
    assert payment.__class__.objects.get(pk=payment.pk).status == PaymentStatus.INITIATED


def test_a_question_the_office_refuses_leaves_the_transaction_for_the_next_run(
    portal, settings, member, notices
):
    payment = services.start_payment(
        member=member, notice_ids=[notices[0].pk], amount=Decimal("20"), actor=SYSTEM
    )
    settings.SIPS_MERCHANT_ID = "201000000000099"  # not the kiosk's merchant: it answers 03
    assert services.reconcile_stale_payments(now=later()) == 0
    assert payment.__class__.objects.get(pk=payment.pk).status == PaymentStatus.INITIATED
    assert AuditEvent.objects.filter(
        action="debt_payment.diagnostic_refused", details__error="refused 03"
    ).exists()


def test_a_diagnostic_with_another_amount_is_an_error_for_a_comptable(office, member, notices):
    payment = services.start_payment(
        member=member, notice_ids=[notices[0].pk], amount=Decimal("20"), actor=SYSTEM
    )
    office.answer(lambda message: sealed(accepted(payment, amount=2500)))
    assert services.reconcile_stale_payments(now=later()) == 1
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.ERROR
    assert WorkItem.objects.filter(kind=DEBT_PAYMENT_CHECK, summary__contains="2500").exists()
    notices[0].refresh_from_db()
    assert notices[0].pending_amount == 0


def test_a_refusal_the_office_reports_is_applied_with_the_banks_code(office, member, notices):
    payment = services.start_payment(
        member=member, notice_ids=[notices[0].pk], amount=Decimal("20"), actor=SYSTEM
    )
    refusal = accepted(payment, transactionStatus="REFUSED", acquirerResponseCode="51")
    office.answer(lambda message: sealed(refusal | {"authorisationId": ""}))
    assert services.reconcile_stale_payments(now=later()) == 1
    payment.refresh_from_db()
    assert (payment.status, payment.response_code) == (PaymentStatus.REFUSED, "51")


def test_an_unexpected_transaction_status_goes_to_a_comptable(office, member, notices):
    payment = services.start_payment(
        member=member, notice_ids=[notices[0].pk], amount=Decimal("20"), actor=SYSTEM
    )
    office.answer(lambda message: sealed(accepted(payment, transactionStatus="TO_VALIDATE")))
    assert services.reconcile_stale_payments(now=later()) == 1
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.ERROR
    assert WorkItem.objects.filter(
        kind=DEBT_PAYMENT_CHECK, summary__contains="TO_VALIDATE"
    ).exists()
