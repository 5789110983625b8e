"""Writes of the messaging app: the e-mail outbox and its delivery with retries."""

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from guichet.messaging.enums import EmailStatus
from guichet.messaging.models import OutboundEmail

logger = logging.getLogger(__name__)

# Seconds before each new attempt; after the last one the e-mail is given up (status FAILED).
RETRY_DELAYS = (60, 5 * 60, 15 * 60, 60 * 60, 4 * 60 * 60)


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
    """Send one outbox e-mail; on failure plan the next attempt or give up after the last."""
    from guichet.messaging.tasks import deliver_email_task

    email = OutboundEmail.objects.get(pk=email_id)
    if email.status != EmailStatus.PENDING:
        return email  # a duplicate or late task: already done
    # The mailer is called outside any transaction: a slow SMTP server must not hold the database.
    try:
        message = EmailMessage(email.subject, email.body, settings.DEFAULT_FROM_EMAIL, [email.to])
        mailers.default.send_messages([message])
    except Exception as error:  # any mailer failure is retried, never lost
        attempt = email.attempts + 1
        now = now or timezone.now()
        if attempt > len(RETRY_DELAYS):
            status, next_at = EmailStatus.FAILED, now
            logger.error("email given up", extra={"email_id": email.pk, "attempts": attempt})
        else:
            status, next_at = (
                EmailStatus.PENDING,
                now + dt.timedelta(seconds=RETRY_DELAYS[attempt - 1]),
            )
            logger.warning(
                "email delivery failed, will retry",
                extra={"email_id": email.pk, "attempt": attempt},
            )
        OutboundEmail.objects.filter(pk=email.pk, status=EmailStatus.PENDING).update(
            attempts=attempt, status=status, next_attempt_at=next_at, last_error=repr(error)[:2000]
        )
        if status == EmailStatus.PENDING:
            deliver_email_task.using(run_after=next_at).enqueue(email_id=email.pk)
    else:
        changes: dict[str, Any] = {
            "status": EmailStatus.SENT,
            "sent_at": timezone.now(),
            "attempts": F("attempts") + 1,
        }
        if not settings.GUICHET_OUTBOX_KEEP_BODIES:
            changes |= {"body": "", "body_redacted": True}
        OutboundEmail.objects.filter(pk=email.pk, status=EmailStatus.PENDING).update(**changes)
    email.refresh_from_db()
    return email


def requeue_due_emails(*, now: dt.datetime | None = None) -> int:
    """Enqueue again the pending e-mails whose attempt time has passed (after a worker outage)."""
    from guichet.messaging.tasks import deliver_email_task

    due = list(OutboundEmail.objects.due(now).values_list("pk", flat=True)[:1000])
    for email_id in due:
        deliver_email_task.enqueue(email_id=email_id)
    return len(due)
