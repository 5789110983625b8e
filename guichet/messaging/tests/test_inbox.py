"""Ma messagerie: what other apps deliver, the inbox, a message page, its actions, the counters."""

import datetime as dt
from io import BytesIO

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from guichet.core.models import AuditEvent
from guichet.core.scheduler import JOBS
from guichet.core.tests.pages import page_html as page_text
from guichet.identity.tests.factories import AccountFactory
from guichet.messaging.models import Message, Notification, OutboundEmail, Thread
from guichet.messaging.services import (
    add_months,
    deliver_message,
    notify,
    purge_expired_messages,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def deliver(person, **fields) -> Message:
    return deliver_message(
        person=person,
        subject=fields.pop("subject", "Accusé de réception de votre paiement de créance"),
        body=fields.pop("body", "Nous accusons réception de votre paiement de créance."),
        **fields,
    )


# --- deliver_message and notify -------------------------------------------------------------------


def test_deliver_message_puts_it_in_the_inbox_kept_six_months_and_journaled(eva):
    message = deliver(eva, kind="acknowledgment")

    message.refresh_from_db()
    assert (message.person, message.sender, message.kind) == (eva, "fund", "acknowledgment")
    assert message.expires_at == add_months(message.sent_at, 6)
    assert message.thread.person == eva
    assert message.is_unread
    event = AuditEvent.objects.get(action="message.delivered")
    assert (event.person_id, event.target_id) == (eva.pk, str(message.pk))


def test_deliver_message_stores_the_attachments_through_the_storage_api(eva):
    message = deliver(eva, attachments=[("avis.pdf", PDF, "application/pdf")])

    attachment = message.attachments.get()
    assert (attachment.filename, attachment.content_type, attachment.size) == (
        "avis.pdf", "application/pdf", len(PDF)
    )  # fmt: skip
    assert not attachment.file.name.endswith(".pdf")  # never served as what its name says
    with attachment.file.open("rb") as stored:
        assert stored.read() == PDF


def test_deliver_message_emails_an_invitation_to_log_in_never_the_content(eva):
    deliver(eva, body="Votre dette de 42,00 € est réglée.")

    email = OutboundEmail.objects.get(person_id=eva.pk)
    assert email.template == "deposit_notice"
    assert "Une information importante vous attend dans la rubrique Ma messagerie" in email.body
    assert "42,00" not in email.body and "dette" not in email.body
    assert "/connexion/" in email.body


def test_no_email_when_the_member_refuses_emails_or_the_caller_says_so(eva):
    deliver(eva, notify_by_email=False)
    eva.contact_by_email = False
    eva.save()
    deliver(eva)

    assert Message.objects.filter(person=eva).count() == 2
    assert not OutboundEmail.objects.filter(person_id=eva.pk).exists()


def test_notify_creates_a_notification_and_an_email_notice(eva):
    notification = notify(
        person=eva, text="La transmission automatique est activée.", url="/mes-paiements/",
        kind="complementary",
    )  # fmt: skip

    assert notification.kind_label == "Ma mutuelle"
    assert Notification.objects.get().read_at is None
    email = OutboundEmail.objects.get(person_id=eva.pk)
    assert "rubrique Notifications" in email.body
    assert "transmission" not in email.body


def test_add_months_keeps_the_day_or_takes_the_months_last():
    moment = dt.datetime(2026, 8, 31, 9, 30, tzinfo=dt.UTC)
    assert add_months(moment, 6) == dt.datetime(2027, 2, 28, 9, 30, tzinfo=dt.UTC)
    assert add_months(moment, 1) == dt.datetime(2026, 9, 30, 9, 30, tzinfo=dt.UTC)
    ordinary = dt.datetime(2026, 11, 22, 12, 58, tzinfo=dt.UTC)
    assert add_months(ordinary, 6) == dt.datetime(2027, 5, 22, 12, 58, tzinfo=dt.UTC)


# --- pages ------------------------------------------------------------------------------------------


def test_inbox_lists_the_messages_with_the_sender_date_and_deletion_date(client, member):
    message = deliver(member)

    text = page_text(client.get(reverse("messaging:inbox")))

    assert "<h1" in text and "Ma messagerie" in text
    assert settings.GUICHET_ORGANISATION_NAME in text
    assert message.subject in text
    assert f"Sera supprimé le {message.expires_at.astimezone().strftime('%d/%m/%Y')}" in text
    assert "Non lu" in text


def test_inbox_says_so_when_empty(client, member):
    assert "Vous n'avez aucun message." in page_text(client.get(reverse("messaging:inbox")))


def test_message_page_shows_the_text_and_the_actions_and_marks_it_read(client, member):
    message = deliver(member, attachments=[("avis.pdf", PDF, "application/pdf")])

    text = page_text(client.get(reverse("messaging:message", args=[message.pk])))

    assert "Nous accusons réception de votre paiement de créance." in text
    for action in ["Supprimer", "Télécharger en PDF", "Imprimer", "Retour"]:
        assert f">{action}</a>" in text
    assert "avis.pdf" in text
    message.refresh_from_db()
    assert message.read_at is not None


def test_unread_counter_in_the_header_and_on_the_home_page(client, member):
    deliver(member)
    deliver(member)

    newest = deliver(member, subject="Accusé de réception de votre changement d'adresse")

    home = page_text(client.get(reverse("home:index")))
    assert "Nouveaux messages" in home
    assert "Nouveau message" in home and newest.subject in home
    assert '<span class="badge">3<span class="visually-hidden"> non lus' in home


def test_another_members_message_and_attachment_are_404(client, member):
    other = AccountFactory().insured_person
    message = deliver(other, attachments=[("avis.pdf", PDF, "application/pdf")])
    attachment = message.attachments.get()

    for url in [
        reverse("messaging:message", args=[message.pk]),
        reverse("messaging:delete", args=[message.pk]),
        reverse("messaging:pdf", args=[message.pk]),
        reverse("messaging:print", args=[message.pk]),
        reverse("messaging:attachment", args=[attachment.pk]),
    ]:
        assert client.get(url).status_code == 404
    assert client.post(reverse("messaging:delete", args=[message.pk])).status_code == 404
    assert Message.objects.get(pk=message.pk).deleted_at is None


def test_attachment_is_downloaded_by_its_owner_never_inline(client, member):
    attachment = deliver(
        member, attachments=[("avis.pdf", PDF, "application/pdf")]
    ).attachments.get()

    response = client.get(reverse("messaging:attachment", args=[attachment.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in response["Content-Security-Policy"]


def test_delete_asks_for_confirmation_then_removes_it_from_the_inbox(client, member):
    message = deliver(member)
    url = reverse("messaging:delete", args=[message.pk])

    assert "Voulez-vous vraiment supprimer" in page_text(client.get(url))
    assert Message.objects.get(pk=message.pk).deleted_at is None
    response = client.post(url, follow=True)

    assert "a été supprimé" in page_text(response)
    assert message.subject not in page_text(client.get(reverse("messaging:inbox")))
    assert client.get(reverse("messaging:message", args=[message.pk])).status_code == 404
    assert AuditEvent.objects.filter(action="message.deleted", person_id=member.pk).exists()


def test_pdf_has_the_funds_header_and_the_text(client, member):
    message = deliver(member)

    response = client.get(reverse("messaging:pdf", args=[message.pk]))

    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    assert settings.GUICHET_ORGANISATION_NAME in text
    assert member.full_name.upper() in text
    assert "Nous accusons réception de votre paiement de créance." in text


def test_print_page_has_the_text_and_no_inline_script(client, member):
    message = deliver(member)

    text = page_text(client.get(reverse("messaging:print", args=[message.pk])))

    assert "Nous accusons réception" in text
    assert "<script>" not in text


# --- purge --------------------------------------------------------------------------------------


def test_purge_deletes_expired_messages_their_files_and_empty_threads(
    eva, django_capture_on_commit_callbacks
):
    old = deliver(eva, attachments=[("avis.pdf", PDF, "application/pdf")])
    kept = deliver(eva)
    stored = old.attachments.get().file
    storage, name = stored.storage, stored.name
    Message.objects.filter(pk=old.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))

    with django_capture_on_commit_callbacks(execute=True):
        assert purge_expired_messages() == 1

    assert list(Message.objects.all()) == [kept]
    assert Thread.objects.count() == 1
    assert not storage.exists(name)
    assert purge_expired_messages() == 0


def test_purge_is_a_periodic_job():
    assert "purge_expired_messages" in JOBS


def test_an_attachments_name_loses_its_path_and_control_characters(eva):
    message = deliver(eva, attachments=[("../../etc/a\r\nb.pdf", PDF, "application/pdf")])
    assert message.attachments.get().filename == ".._.._etc_a__b.pdf"


@pytest.mark.parametrize(
    ("name", "queries"),
    [
        # account, received, sent, draft, unread counts
        ("messaging:inbox", 5),
        # account, message with its thread, its files, the thread's other messages, unread counts
        # (already read: no stamp; the others' files only when there are others)
        ("messaging:message", 5),
        ("messaging:notifications", 3),  # account, notifications, unread counts
    ],
)
def test_member_pages_make_the_same_queries_whatever_the_volume(
    client, django_assert_num_queries, name, queries
):
    from guichet.home.tests.test_views import session_queries

    for count in (1, 25):
        account = AccountFactory()
        person = account.insured_person
        messages = [
            deliver(person, attachments=[("avis.pdf", PDF, "application/pdf")])
            for _ in range(count)
        ]
        for _ in range(count):
            notify(person=person, text="Information", url="/", kind="payments")
        client.force_login(account)
        args = [messages[0].pk] if name == "messaging:message" else []
        client.get(reverse(name, args=args))
        with django_assert_num_queries(queries + session_queries()):
            assert client.get(reverse(name, args=args)).status_code == 200
