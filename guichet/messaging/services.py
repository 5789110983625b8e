"""Writes of the messaging app: the member's messages and notifications, the e-mail notices that
announce them, and the e-mail outbox with its delivery and retries."""

import datetime as dt
import functools
import hashlib
import logging
import uuid
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from guichet.core.actors import SYSTEM, Actor
from guichet.core.services import change_reference_row, record_audit
from guichet.messaging.enums import EmailStatus, MessageKind, Sender, ThreadStatus
from guichet.messaging.models import (
    Attachment,
    Draft,
    InternalNote,
    Message,
    NoticePreference,
    Notification,
    OutboundEmail,
    ReplyTemplate,
    Thread,
    Topic,
)
from guichet.messaging.uploads import CheckedFile

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


# --- messages and notifications ------------------------------------------------------------------


def add_months(moment: dt.datetime, months: int) -> dt.datetime:
    """The same day and time `months` later (the month's last day when it has fewer days)."""
    index = moment.year * 12 + moment.month - 1 + months
    year, month = divmod(index, 12)
    for day in range(moment.day, 27, -1):  # 31, 30, 29: the month may be shorter
        try:
            return moment.replace(year=year, month=month + 1, day=day)
        except ValueError:
            continue
    return moment.replace(year=year, month=month + 1, day=min(moment.day, 28))


def expiry_of(sent_at: dt.datetime) -> dt.datetime:
    """When a message sent at `sent_at` is purged ("Sera supprimé le …")."""
    return add_months(sent_at, settings.GUICHET_MESSAGE_RETENTION_MONTHS)


def safe_filename(filename: str) -> str:
    """The name as the member gave it, without paths nor control characters, at most 120 long."""
    cleaned = "".join(
        "_" if ch in "/\\" or ord(ch) < 32 or ord(ch) == 127 else ch for ch in filename
    )
    return cleaned.strip()[-120:] or "piece-jointe"


def store_attachment(
    *, message: Message, filename: str, content: bytes, content_type: str
) -> Attachment:
    """Keep a file through the storage API under a random name without extension."""
    attachment = Attachment(
        message=message,
        filename=safe_filename(filename),
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    attachment.file.save(f"{uuid.uuid4().hex}", ContentFile(content), save=False)
    attachment.save()
    return attachment


def wants_email_notices(person) -> bool:
    """E-mail notices follow the member's contact permissions ("Autorisations de contact")."""
    return bool(person.email and person.contact_by_email)


@transaction.atomic
def deliver_message(
    *,
    person,
    subject: str,
    body: str,
    attachments: Iterable[tuple[str, bytes, str]] = (),
    kind: str = "info",
    notify_by_email: bool = True,
) -> Message:
    """Put a message from the fund in the member's inbox, with its files (filename, content,
    content type); an e-mail invites them to log in to read it, never with its content."""
    now = timezone.now()
    thread = Thread.objects.create(
        person=person, subject=subject[:200], started_by=Sender.FUND, created_at=now
    )
    message = Message.objects.create(
        thread=thread,
        person=person,
        sender=Sender.FUND,
        kind=kind,
        subject=subject[:200],
        body=body,
        sent_at=now,
        expires_at=expiry_of(now),
    )
    for filename, content, content_type in attachments:
        store_attachment(
            message=message, filename=filename, content=content, content_type=content_type
        )
    record_audit(
        actor=SYSTEM, action="message.delivered", person_id=person.pk, target=message, kind=kind
    )
    if notify_by_email:
        send_deposit_notice(person=person, section="Ma messagerie")
    return message


def send_deposit_notice(*, person, section: str) -> OutboundEmail | None:
    """The "avis de dépôt": something waits in `section` of the account, nothing of its content;
    only when the member accepts e-mails from the fund."""
    if not wants_email_notices(person):
        return None
    return queue_email(
        to=person.email,
        template="deposit_notice",
        context={"person": person, "section": section},
        person_id=person.pk,
    )


@transaction.atomic
def notify(*, person, text: str, url: str, kind: str) -> Notification:
    """Show the member a notification with a link to where to act, and tell them by e-mail."""
    notification = Notification.objects.create(
        person=person, text=text[:300], url=url[:300], kind=kind
    )
    record_audit(
        actor=SYSTEM,
        action="notification.created",
        person_id=person.pk,
        target=notification,
        kind=kind,
    )
    send_deposit_notice(person=person, section="Notifications")
    return notification


def mark_read(*, message: Message) -> None:
    """The member opened a message from the fund: it no longer counts as unread."""
    if message.is_unread:
        message.read_at = timezone.now()
        Message.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=message.read_at)


@transaction.atomic
def delete_message(*, message: Message, actor) -> None:
    """The member deletes a message: it leaves their inbox; its files go with the purge."""
    Message.objects.filter(pk=message.pk, deleted_at__isnull=True).update(deleted_at=timezone.now())
    record_audit(actor=actor, action="message.deleted", person_id=message.person_id, target=message)


PURGE_BATCH = 1000


def purge_expired_messages(*, now: dt.datetime | None = None) -> int:
    """Delete the messages whose retention has passed, their files, and the threads left empty."""
    now = now or timezone.now()
    purged = 0
    while rows := list(
        Message.objects.expired(now)
        .order_by("expires_at", "pk")
        .values_list("pk", "thread_id")[:PURGE_BATCH]
    ):
        batch, threads = [pk for pk, _ in rows], {thread for _, thread in rows}
        files = list(Attachment.objects.filter(message_id__in=batch).values_list("file", flat=True))
        with transaction.atomic():
            Message.objects.filter(pk__in=batch).delete()
            Thread.objects.filter(pk__in=threads, messages__isnull=True).delete()
            # A file goes only once its row is gone for good: a rollback must not lose it.
            transaction.on_commit(functools.partial(_delete_files, files))
        purged += len(batch)
    if purged:
        logger.info("expired messages purged", extra={"count": purged})
    return purged


def _delete_files(names: list[str]) -> None:
    storage = Attachment._meta.get_field("file").storage
    for name in names:
        storage.delete(name)


# --- the member writes -----------------------------------------------------------------------------


def _store_checked(*, message: Message, files: Iterable[CheckedFile]) -> None:
    for file in files:
        store_attachment(
            message=message,
            filename=file.filename,
            content=file.content,
            content_type=file.content_type,
        )


def _member_message(
    *, thread: Thread, body: str, attachments: Iterable[CheckedFile], kind: str
) -> Message:
    now = timezone.now()
    message = Message.objects.create(
        thread=thread,
        person=thread.person,
        sender=Sender.MEMBER,
        kind=kind,
        subject=thread.subject,
        body=body,
        sent_at=now,
        read_at=now,
        expires_at=expiry_of(now),
    )
    _store_checked(message=message, files=attachments)
    return message


@transaction.atomic
def ask_question(
    *,
    person,
    topic: Topic,
    subject: str,
    body: str,
    attachments: Iterable[CheckedFile] = (),
    actor: Actor,
) -> Message:
    """The member writes to the fund ("J'ai une question"): a new thread waits for an answer."""
    thread = Thread.objects.create(
        person=person,
        subject=subject,
        topic=topic,
        started_by=Sender.MEMBER,
        status=ThreadStatus.WAITING,
        status_changed_at=timezone.now(),
    )
    message = _member_message(
        thread=thread, body=body, attachments=attachments, kind=MessageKind.QUESTION
    )
    Draft.objects.filter(person=person).delete()
    _open_question_item(thread=thread, actor=actor)
    record_audit(
        actor=actor,
        action="message.question_sent",
        person_id=person.pk,
        target=message,
        topic=topic.label,
        attachments=message.attachments.count(),
    )
    return message


@transaction.atomic
def reply_as_member(
    *, thread: Thread, body: str, attachments: Iterable[CheckedFile] = (), actor: Actor
) -> Message:
    """The member answers in a thread of theirs: it waits for the fund again."""
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    message = _member_message(
        thread=thread, body=body, attachments=attachments, kind=MessageKind.QUESTION
    )
    if thread.can_transition(ThreadStatus.WAITING):
        thread.transition(to=ThreadStatus.WAITING, actor=actor)
    _open_question_item(thread=thread, actor=actor)
    record_audit(
        actor=actor, action="message.reply_sent", person_id=thread.person_id, target=message
    )
    return message


def save_draft(*, person, topic: Topic | None, subject: str, body: str) -> Draft:
    """Keep what the member was writing, whatever its state: they finish it later."""
    draft, _ = Draft.objects.update_or_create(
        person=person,
        defaults={
            "topic": topic,
            "subject": subject[:200],
            "body": body[:20_000],
            "updated_at": timezone.now(),
        },
    )
    return draft


TOPIC_EDITABLE_FIELDS = ("label", "position", "active")


@transaction.atomic
def update_topic(*, topic: Topic, actor: Actor, **fields) -> Topic:
    """A superviseur edits a topic; the journal keeps the change, the table's history (ADR 0023)."""
    return change_reference_row(
        row=topic, fields=fields, editable=TOPIC_EDITABLE_FIELDS, actor=actor, table="topic"
    )


# --- the fund answers --------------------------------------------------------------------------------

MEMBER_QUESTION = "member_question"  # the work item kind of a question waiting for an answer


def _open_question_item(*, thread: Thread, actor: Actor) -> None:
    from guichet.workqueues import services as work_services

    topic = f"{thread.topic.label} : " if thread.topic is not None else ""
    work_services.open_item(
        kind=MEMBER_QUESTION,
        fund=thread.person.fund,
        summary=f"{topic}{thread.subject}",
        actor=actor,
        person_id=thread.person_id,
        target=thread,
    )


class NotAllowedToAnswer(Exception):
    """The agent is not of the member's fund: the message is for the agent."""


@transaction.atomic
def answer_question(
    *, thread: Thread, agent, body: str, actor: Actor, attachments: Iterable[CheckedFile] = ()
) -> Message:
    """An agent answers a member's thread: the member reads it in their inbox and gets an e-mail
    inviting them to log in; the question leaves the queue."""
    from guichet.workqueues import services as work_services

    thread = Thread.objects.select_for_update().select_related("person__fund").get(pk=thread.pk)
    if agent.agent_profile.fund_id != thread.person.fund_id:
        raise NotAllowedToAnswer("Cet assuré n'est pas dans votre caisse.")
    now = timezone.now()
    message = Message.objects.create(
        thread=thread,
        person=thread.person,
        sender=Sender.FUND,
        agent_id=agent.pk,
        kind=MessageKind.ANSWER,
        subject=f"RE : {thread.subject}"[:200],
        body=body,
        sent_at=now,
        expires_at=expiry_of(now),
    )
    _store_checked(message=message, files=attachments)
    if thread.can_transition(ThreadStatus.ANSWERED):
        thread.transition(to=ThreadStatus.ANSWERED, actor=actor)
    work_services.close_items_about(
        kind=MEMBER_QUESTION, target=thread, outcome="Réponse envoyée", actor=actor
    )
    record_audit(actor=actor, action="message.answered", person_id=thread.person_id, target=message)
    send_deposit_notice(person=thread.person, section="Ma messagerie")
    return message


@transaction.atomic
def add_internal_note(*, thread: Thread, agent, body: str, actor: Actor) -> InternalNote:
    """A note between agents about a thread; the member never sees it."""
    if agent.agent_profile.fund_id != thread.person.fund_id:
        raise NotAllowedToAnswer("Cet assuré n'est pas dans votre caisse.")
    note = InternalNote.objects.create(thread=thread, agent_id=agent.pk, body=body)
    record_audit(
        actor=actor, action="message_thread.note_added", person_id=thread.person_id, target=thread
    )
    return note


REPLY_TEMPLATE_EDITABLE_FIELDS = ("title", "body", "position", "active")


@transaction.atomic
def update_reply_template(*, template: ReplyTemplate, actor: Actor, **fields) -> ReplyTemplate:
    """A superviseur edits a reply template; the journal keeps the change (ADR 0023)."""
    return change_reference_row(
        row=template,
        fields=fields,
        editable=REPLY_TEMPLATE_EDITABLE_FIELDS,
        actor=actor,
        table="reply_template",
    )


# --- the weekly "Information de paiement" ------------------------------------------------------------

PAYMENT_INFORMATION_DAYS = 7


def set_payment_information(*, person, enabled: bool, actor: Actor) -> NoticePreference:
    """The member chooses whether they get the weekly "Information de paiement" e-mail."""
    preference, _ = NoticePreference.objects.update_or_create(
        person=person, defaults={"payment_information": enabled}
    )
    record_audit(
        actor=actor,
        action="messaging.payment_information_changed",
        person_id=person.pk,
        enabled=enabled,
    )
    return preference


def send_payment_information(*, now: dt.datetime | None = None) -> int:
    """E-mail every member paid in the last 7 days the days of those payments, never their
    amounts: the transparency measure against fraud. Those who refused it, or who refuse
    e-mails from the fund, get nothing; nobody gets it twice in a week."""
    from guichet.insured.models import InsuredPerson
    from guichet.payments import selectors as payment_selectors

    now = now or timezone.now()
    today = timezone.localdate(now)
    start = today - dt.timedelta(days=PAYMENT_INFORMATION_DAYS)
    days = payment_selectors.payment_days_between(start=start, end=today - dt.timedelta(days=1))
    sent = 0
    for batch in _batched_by_member(days, size=500):
        persons = InsuredPerson.objects.filter(
            pk__in=batch, contact_by_email=True, email__gt=""
        ).exclude(notice_preference__payment_information=False)
        recent = now - dt.timedelta(days=PAYMENT_INFORMATION_DAYS - 1)
        persons = persons.exclude(notice_preference__payment_information_sent_at__gte=recent)
        for person in persons:
            with transaction.atomic():
                queue_email(
                    to=person.email,
                    template="payment_information",
                    context={"person": person, "days": batch[person.pk]},
                    person_id=person.pk,
                )
                NoticePreference.objects.update_or_create(
                    person=person, defaults={"payment_information_sent_at": now}
                )
            sent += 1
    if sent:
        logger.info("payment information e-mails queued", extra={"count": sent})
    return sent


def _batched_by_member(rows, *, size: int):
    """{member id: [days]} dicts of at most `size` members, from rows grouped by member."""
    batch: dict[int, list[dt.date]] = {}
    for member_id, day in rows:
        if member_id not in batch and len(batch) >= size:
            yield batch
            batch = {}
        batch.setdefault(member_id, []).append(day)
    if batch:
        yield batch


# --- notifications read by the member --------------------------------------------------------------


def mark_notification_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )


def mark_all_notifications_read(*, person) -> int:
    return Notification.objects.filter(person=person, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def ensure_reference_data() -> None:
    """The default topics and reply templates, where they are missing (demo, tests)."""
    from guichet.messaging import defaults

    defaults.seed(topic_model=Topic, template_model=ReplyTemplate)
