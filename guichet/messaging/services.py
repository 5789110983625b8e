"""Writes of the messaging app: the e-mail outbox and its delivery with retries."""

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from guichet.messaging.enums import EmailStatus
from guichet.messaging.models import OutboundEmail

logger = logging.getLogger(__name__)

# Seconds before each new attempt; after the last one the e-mail is given up (status FAILED).
RETRY_DELAYS = (60, 5 * 60, 15 * 60, 60 * 60, 4 * 60 * 60)
# While one worker sends, other tasks for the same e-mail leave it alone; longer than any SMTP
# timeout, so that an attempt whose worker died is taken up again by requeue_due_emails.
CLAIM_DURATION = dt.timedelta(minutes=10)
REQUEUE_BATCH = 1000
# An e-mail's own task normally comes on time: only those late by this much are enqueued again.
REQUEUE_GRACE = dt.timedelta(minutes=2)


def queue_email(
    *, to: str, template: str, context: dict[str, Any], person_id: int | None = None
) -> OutboundEmail:
    """Write an e-mail to the outbox; it leaves once the caller's transaction commits."""
    from guichet.messaging.tasks import deliver_email_task

    context = {
        "organisation_name": settings.GUICHET_ORGANISATION_NAME,
        "base_url": settings.GUICHET_BASE_URL,
        **context,
    }
    name = f"messaging/emails/{template}.txt"
    email = OutboundEmail.objects.create(
        to=to.strip().lower(),
        subject=render_to_string(f"{name}#subject", context, using="text").strip(),
        body=render_to_string(name, context, using="text").strip() + "\n",
        template=template,
        person_id=person_id,
    )
    transaction.on_commit(lambda: deliver_email_task.enqueue(email_id=email.pk))
    return email


def deliver_email(*, email_id: int, now: dt.datetime | None = None) -> OutboundEmail:
    """Send one outbox e-mail once; on failure plan the next attempt or give up after the last."""
    from guichet.messaging.tasks import deliver_email_task

    started = now or timezone.now()
    # A task may come twice (requeue_due_emails after an outage, a second worker): only the one
    # that claims the attempt sends, and one that comes before the planned time does nothing.
    # The first attempt is not held to the clock: a worker whose clock is a little behind the web
    # process's must still make it. Claiming moves the next attempt time out of reach meanwhile.
    claimed = (
        OutboundEmail.objects.filter(pk=email_id, status=EmailStatus.PENDING)
        .filter(Q(attempts=0) | Q(next_attempt_at__lte=started))
        .update(attempts=F("attempts") + 1, next_attempt_at=started + CLAIM_DURATION)
    )
    email = OutboundEmail.objects.get(pk=email_id)
    if not claimed:
        return email  # a duplicate or late task: already done, given up, or not due yet
    # The mailer is called outside any transaction: a slow SMTP server must not hold the database.
    try:
        message = EmailMessage(email.subject, email.body, settings.DEFAULT_FROM_EMAIL, [email.to])
        mailers.default.send_messages([message])
    except Exception as error:  # any mailer failure is retried, never lost
        failed_at = now or timezone.now()
        if email.attempts > len(RETRY_DELAYS):
            status, next_at = EmailStatus.FAILED, failed_at
            logger.error("email given up", extra={"email_id": email.pk, "attempts": email.attempts})
        else:
            status = EmailStatus.PENDING
            next_at = failed_at + dt.timedelta(seconds=RETRY_DELAYS[email.attempts - 1])
            logger.warning(
                "email delivery failed, will retry",
                extra={"email_id": email.pk, "attempt": email.attempts},
            )
        OutboundEmail.objects.filter(pk=email.pk, status=EmailStatus.PENDING).update(
            status=status, next_attempt_at=next_at, last_error=repr(error)[:2000]
        )
        if status == EmailStatus.PENDING:
            deliver_email_task.using(run_after=next_at).enqueue(email_id=email.pk)
    else:
        changes: dict[str, Any] = {"status": EmailStatus.SENT, "sent_at": timezone.now()}
        if not settings.GUICHET_OUTBOX_KEEP_BODIES:
            changes |= {"body": "", "body_redacted": True}
        OutboundEmail.objects.filter(pk=email.pk, status=EmailStatus.PENDING).update(**changes)
    email.refresh_from_db()
    return email


def requeue_due_emails(*, now: dt.datetime | None = None) -> int:
    """Enqueue again the pending e-mails late for their attempt, longest-waiting first."""
    from guichet.messaging.tasks import deliver_email_task

    # After a worker outage; an e-mail whose own task still comes is claimed by one of the two.
    due = list(
        OutboundEmail.objects.due((now or timezone.now()) - REQUEUE_GRACE)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:REQUEUE_BATCH]
    )
    for email_id in due:
        deliver_email_task.enqueue(email_id=email_id)
    return len(due)
