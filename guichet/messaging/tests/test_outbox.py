import datetime as dt
import smtplib
from pathlib import Path

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.tasks import default_task_backend
from django.utils import timezone

from guichet.insured.tests.factories import InsuredPersonFactory
from guichet.messaging import services
from guichet.messaging.enums import EmailStatus
from guichet.messaging.models import OutboundEmail
from guichet.messaging.services import RETRY_DELAYS, deliver_email, queue_email, requeue_due_emails
from guichet.messaging.tasks import deliver_email_task

pytestmark = pytest.mark.django_db

TEMPLATES = sorted(
    path.stem
    for path in (Path(services.__file__).parent / "templates/messaging/emails").glob("*.txt")
    if path.stem != "base"
)


class BrokenMailer(BaseEmailBackend):
    """An SMTP server that refuses every message."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPException("451 Temporary local problem")


@pytest.fixture
def broken_mailer(settings):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.BrokenMailer"}}


@pytest.fixture
def person():
    return InsuredPersonFactory(first_names="Renaldo", birth_name="ZOVI")


@pytest.fixture
def email(person):
    return queue_email(
        to=person.email, template="account_closed", context={"person": person}, person_id=person.pk
    )


def queued_deliveries() -> list:
    return [r for r in default_task_backend.results if r.task.func == deliver_email_task.func]


# --- Queueing --------------------------------------------------------------------------------------


def test_queue_email_writes_the_rendered_french_email_to_the_outbox(person):
    email = queue_email(
        to="  Renaldo.Zovi@Example.org ",
        template="account_closed",
        context={"person": person},
        person_id=person.pk,
    )

    email.refresh_from_db()
    assert email.to == "renaldo.zovi@example.org"
    assert email.subject == "Votre compte a été fermé"
    assert email.body.startswith("Bonjour Renaldo ZOVI,\n\nVotre compte en ligne a été fermé")
    assert "Vos droits à l'Assurance Maladie" in email.body
    assert "&#x27;" not in email.body and "&amp;" not in email.body
    assert email.body.endswith("par e-mail.\n")
    assert (email.template, email.person_id) == ("account_closed", person.pk)
    assert (email.status, email.attempts, email.sent_at) == (EmailStatus.PENDING, 0, None)


def test_queue_email_escapes_nothing_the_context_brings():
    person = InsuredPersonFactory(first_names="Anne-Sophie", birth_name="D'ARTAGNAN & FILS")

    email = queue_email(
        to="anne@example.org",
        template="email_changed",
        context={"person": person, "new_email": "o'brien+<test>@example.org"},
    )

    assert email.body.startswith("Bonjour Anne-Sophie D'ARTAGNAN & FILS,")
    assert "remplacée par o'brien+<test>@example.org." in email.body


def test_queue_email_signs_with_the_organisation_name_as_set(settings, person):
    settings.GUICHET_ORGANISATION_NAME = "Caisse d'assurance maladie & prévoyance"

    email = queue_email(to=person.email, template="code_changed", context={"person": person})

    assert "Caisse d'assurance maladie & prévoyance" in email.body


def test_queue_email_gives_templates_the_portal_address(settings, person):
    settings.GUICHET_BASE_URL = "https://guichet.example.org"

    email = queue_email(
        to=person.email,
        template="provisional_code",
        context={"person": person, "code": "4821", "hours": 72},
    )

    assert "Voici votre code provisoire : 4821" in email.body
    assert "Il est valable 72 heures" in email.body
    assert "https://guichet.example.org/connexion/" in email.body


def test_account_locked_email_gives_the_paris_time(person):
    until = dt.datetime(2026, 1, 10, 14, 30, tzinfo=dt.UTC)

    email = queue_email(
        to=person.email,
        template="account_locked",
        context={"person": person, "locked_until": until},
    )

    assert "bloqué par sécurité jusqu'au 10/01/2026 à 15:30." in email.body
    assert email.subject == "L'accès à votre compte est temporairement bloqué"


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_email_template_has_a_one_line_subject_and_a_greeting(person, template):
    context = {
        "person": person,
        "code": "123456",
        "hours": 72,
        "minutes": 30,
        "new_email": "nouvelle@example.org",
        "locked_until": timezone.now(),
    }

    email = queue_email(to=person.email, template=template, context=context)

    assert email.subject and "\n" not in email.subject
    assert len(email.subject) <= OutboundEmail._meta.get_field("subject").max_length
    assert email.body.startswith(f"Bonjour {person.full_name},")
    assert "{{" not in email.body and "{%" not in email.body


def test_queue_email_enqueues_its_delivery_only_once_the_transaction_commits(
    django_capture_on_commit_callbacks, person
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        email = queue_email(to=person.email, template="code_changed", context={"person": person})
        assert queued_deliveries() == []

    assert len(callbacks) == 1
    [result] = queued_deliveries()
    assert result.kwargs == {"email_id": email.pk}
    assert result.task.run_after is None


def test_rolled_back_email_is_neither_kept_nor_enqueued(django_capture_on_commit_callbacks, person):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        queue_email(to=person.email, template="code_changed", context={"person": person})
        raise RuntimeError("the change the e-mail announces failed")

    assert callbacks == []
    assert queued_deliveries() == []
    assert not OutboundEmail.objects.exists()


# --- Delivering ------------------------------------------------------------------------------------


def test_deliver_email_sends_through_the_mailer_and_marks_it_sent(settings, mailoutbox, email):
    before = timezone.now()

    delivered = deliver_email(email_id=email.pk)

    [message] = mailoutbox
    assert message.to == [email.to]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert (message.subject, message.body) == (email.subject, email.body)
    assert delivered.status == EmailStatus.SENT
    assert before <= delivered.sent_at <= timezone.now()
    assert delivered.attempts == 1
    assert queued_deliveries() == []


def test_sent_email_body_is_redacted_unless_bodies_are_kept(settings, mailoutbox, email):
    settings.GUICHET_OUTBOX_KEEP_BODIES = False

    deliver_email(email_id=email.pk)

    email.refresh_from_db()
    assert (email.status, email.body, email.body_redacted) == (EmailStatus.SENT, "", True)
    assert email.subject == "Votre compte a été fermé"
    assert "Votre compte en ligne a été fermé" in mailoutbox[0].body


def test_sent_email_body_is_kept_when_asked(settings, mailoutbox, email):
    settings.GUICHET_OUTBOX_KEEP_BODIES = True
    body = email.body

    deliver_email(email_id=email.pk)

    email.refresh_from_db()
    assert (email.status, email.body, email.body_redacted) == (EmailStatus.SENT, body, False)


def test_second_delivery_of_a_sent_email_sends_nothing(mailoutbox, email):
    deliver_email(email_id=email.pk)

    again = deliver_email(email_id=email.pk)

    assert len(mailoutbox) == 1
    assert (again.status, again.attempts) == (EmailStatus.SENT, 1)


def test_failed_delivery_plans_a_retry_and_enqueues_it_for_then(broken_mailer, mailoutbox, email):
    now = timezone.now()

    delivered = deliver_email(email_id=email.pk, now=now)

    retry_at = now + dt.timedelta(seconds=RETRY_DELAYS[0])
    assert mailoutbox == []
    assert (delivered.status, delivered.attempts) == (EmailStatus.PENDING, 1)
    assert delivered.next_attempt_at == retry_at
    assert "SMTPException" in delivered.last_error and "451" in delivered.last_error
    [result] = queued_deliveries()
    assert result.kwargs == {"email_id": email.pk}
    assert result.task.run_after == retry_at


def test_each_failure_waits_longer_and_the_last_one_gives_up(broken_mailer, mailoutbox, email):
    now = timezone.now()
    delays = []

    for attempt in range(1, len(RETRY_DELAYS) + 1):
        default_task_backend.clear()
        delivered = deliver_email(email_id=email.pk, now=now)
        assert (delivered.status, delivered.attempts) == (EmailStatus.PENDING, attempt)
        [result] = queued_deliveries()
        assert result.task.run_after == delivered.next_attempt_at
        delays.append(int((delivered.next_attempt_at - now).total_seconds()))
        now = delivered.next_attempt_at

    default_task_backend.clear()
    given_up = deliver_email(email_id=email.pk, now=now)

    assert delays == list(RETRY_DELAYS)
    assert (given_up.status, given_up.attempts) == (EmailStatus.FAILED, len(RETRY_DELAYS) + 1)
    assert queued_deliveries() == []
    assert mailoutbox == []


def test_retry_after_a_failure_sends_the_email(settings, mailoutbox, email):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.BrokenMailer"}}
    failed = deliver_email(email_id=email.pk)
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}

    delivered = deliver_email(email_id=email.pk, now=failed.next_attempt_at)

    assert (delivered.status, delivered.attempts) == (EmailStatus.SENT, 2)
    assert len(mailoutbox) == 1


def test_duplicate_task_before_the_retry_time_sends_nothing_and_spends_no_attempt(
    settings, mailoutbox, email
):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.BrokenMailer"}}
    now = timezone.now()
    failed = deliver_email(email_id=email.pk, now=now)
    default_task_backend.clear()
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}

    duplicate = deliver_email(email_id=email.pk, now=now + dt.timedelta(seconds=1))

    assert mailoutbox == []
    assert (duplicate.status, duplicate.attempts) == (EmailStatus.PENDING, 1)
    assert duplicate.next_attempt_at == failed.next_attempt_at
    assert queued_deliveries() == []


def test_first_attempt_is_made_even_by_a_worker_whose_clock_is_behind(mailoutbox, email):
    delivered = deliver_email(email_id=email.pk, now=email.created_at - dt.timedelta(seconds=30))

    assert delivered.status == EmailStatus.SENT
    assert len(mailoutbox) == 1


def test_given_up_email_is_not_sent_by_a_late_task(mailoutbox, email):
    OutboundEmail.objects.filter(pk=email.pk).update(status=EmailStatus.FAILED, attempts=6)

    late = deliver_email(email_id=email.pk)

    assert mailoutbox == []
    assert (late.status, late.attempts) == (EmailStatus.FAILED, 6)


def test_the_task_delivers_and_answers_the_status(mailoutbox, email):
    assert deliver_email_task.call(email_id=email.pk) == EmailStatus.SENT
    assert len(mailoutbox) == 1


# --- Requeueing ------------------------------------------------------------------------------------


def _outbox_row(**fields) -> OutboundEmail:
    return OutboundEmail.objects.create(
        to="membre@example.org", subject="Objet", body="Texte", template="code_changed", **fields
    )


def test_requeue_due_emails_enqueues_only_pending_emails_whose_time_has_come():
    now = timezone.now()
    due = _outbox_row(next_attempt_at=now - dt.timedelta(minutes=5))
    _outbox_row(next_attempt_at=now + dt.timedelta(minutes=5))
    _outbox_row(next_attempt_at=now - dt.timedelta(minutes=5), status=EmailStatus.SENT)
    _outbox_row(next_attempt_at=now - dt.timedelta(minutes=5), status=EmailStatus.FAILED)

    count = requeue_due_emails(now=now)

    assert count == 1
    assert [r.kwargs for r in queued_deliveries()] == [{"email_id": due.pk}]


def test_requeue_due_emails_serves_the_longest_waiting_first(monkeypatch):
    monkeypatch.setattr(services, "REQUEUE_BATCH", 2)
    now = timezone.now()
    oldest = _outbox_row(
        created_at=now - dt.timedelta(days=1), next_attempt_at=now - dt.timedelta(hours=4)
    )
    for minutes in (3, 2, 1):
        _outbox_row(next_attempt_at=now - dt.timedelta(minutes=minutes))

    assert requeue_due_emails(now=now) == 2
    assert queued_deliveries()[0].kwargs == {"email_id": oldest.pk}


def test_requeued_email_is_delivered_once_even_if_its_first_task_also_runs(mailoutbox):
    email = _outbox_row(next_attempt_at=timezone.now() - dt.timedelta(minutes=5))
    requeue_due_emails()

    deliver_email(email_id=email.pk)  # the task requeue_due_emails added
    deliver_email(email_id=email.pk)  # the original task, late after the worker's outage

    assert len(mailoutbox) == 1
