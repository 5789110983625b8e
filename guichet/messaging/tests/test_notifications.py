"""Notifications (list, counter, read state) and the weekly "Information de paiement" e-mail."""

import datetime as dt

import pytest
from django.urls import reverse

from guichet.core.tests.pages import page_html as page_text
from guichet.identity.tests.factories import AccountFactory
from guichet.messaging.models import Notification, OutboundEmail
from guichet.messaging.services import notify, send_payment_information
from guichet.payments.enums import CareCategory
from guichet.payments.tests.factories import load, scripted

pytestmark = pytest.mark.django_db


def ameli_notice(person, **fields) -> Notification:
    return notify(
        person=person,
        text=fields.pop("text", "La transmission automatique de vos paiements est activée."),
        url=fields.pop("url", reverse("payments:list")),
        kind=fields.pop("kind", "complementary"),
    )


def test_home_counts_unread_notifications_and_shows_them_with_their_section(client, member):
    ameli_notice(member)
    ameli_notice(member, text="Votre attestation est prête.", kind="procedures")

    text = page_text(client.get(reverse("home:index")))

    assert "Notifications" in text
    assert '<span class="counter__number">2</span>' in text
    assert (
        "Ma mutuelle" in text
        and "La transmission automatique de vos paiements est activée." in text
    )


def test_following_a_notification_marks_it_read_and_leads_where_to_act(client, member):
    notification = ameli_notice(member)

    response = client.get(reverse("messaging:notification", args=[notification.pk]))

    assert response.status_code == 302 and response.url == reverse("payments:list")
    notification.refresh_from_db()
    assert notification.read_at is not None
    listing = page_text(client.get(reverse("messaging:notifications")))
    assert "Mes notifications" in listing and "Non lue" not in listing


def test_a_notification_never_leads_outside_guichet(client, member):
    notification = ameli_notice(member, url="https://fraude.example/")
    response = client.get(reverse("messaging:notification", args=[notification.pk]))
    assert response.url == reverse("messaging:notifications")


def test_mark_all_read_and_another_members_notification_is_404(client, member):
    ameli_notice(member)
    other = ameli_notice(AccountFactory().insured_person)

    client.post(reverse("messaging:notifications_read"))

    assert not Notification.objects.filter(person=member, read_at__isnull=True).exists()
    assert client.get(reverse("messaging:notification", args=[other.pk])).status_code == 404
    assert Notification.objects.get(pk=other.pk).read_at is None


def test_email_notices_follow_the_contact_permissions(eva):
    eva.contact_by_email = False
    eva.save()
    ameli_notice(eva)
    assert not OutboundEmail.objects.exists()


# --- Information de paiement --------------------------------------------------------------------

NOW = dt.datetime(2026, 11, 20, 8, 0, tzinfo=dt.UTC)


def paid(person, *days: dt.date) -> None:
    load(
        scripted(
            person,
            [(person, CareCategory.GP, day - dt.timedelta(days=3), day, False) for day in days],
        )
    )


def test_payment_information_lists_the_days_never_the_amounts_once_a_week(eva):
    paid(eva, dt.date(2026, 11, 16), dt.date(2026, 11, 18), dt.date(2026, 10, 1))

    assert send_payment_information(now=NOW) == 1
    assert send_payment_information(now=NOW + dt.timedelta(hours=1)) == 0  # not twice a week

    email = OutboundEmail.objects.get(template="payment_information")
    assert email.subject == "Information de paiement"
    assert "les 16/11/2026 et 18/11/2026" in email.body
    assert "01/10/2026" not in email.body
    assert "€" not in email.body and "remboursement" not in email.body.lower()


def test_payment_information_respects_the_opt_out_and_the_contact_permissions(client, member):
    other = AccountFactory(insured_person__contact_by_email=False).insured_person
    paid(member, dt.date(2026, 11, 17))
    paid(other, dt.date(2026, 11, 17))
    page = page_text(client.get(reverse("messaging:payment_information")))
    assert "Recevoir chaque semaine l'e-mail « Information de paiement »" in page

    response = client.post(reverse("messaging:payment_information"), {}, follow=True)

    assert "Vous ne recevrez plus l'e-mail « Information de paiement »." in page_text(response)
    assert send_payment_information(now=NOW) == 0
    client.post(reverse("messaging:payment_information"), {"enabled": "on"})
    assert send_payment_information(now=NOW) == 1
    assert OutboundEmail.objects.get(template="payment_information").person_id == member.pk


def test_the_weekly_email_is_a_periodic_job():
    from guichet.core.scheduler import JOBS

    assert JOBS["send_payment_information"].every == dt.timedelta(days=7)
