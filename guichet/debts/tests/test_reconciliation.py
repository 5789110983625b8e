"""The automatic response never arrives: the reconciliation asks the kiosk (a live process)."""

import datetime as dt
from decimal import Decimal

import httpx
import pytest
from django.utils import timezone

from guichet.core.actors import SYSTEM
from guichet.debts import services, sips
from guichet.debts.enums import Channel, PaymentStatus
from sandboxes.kiosk.testing import pay_on_card_page, running_kiosk

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
