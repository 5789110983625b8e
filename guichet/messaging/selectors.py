"""Reads of the messaging app that other apps may use."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, IntegerField, Max, OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone

from guichet.messaging.enums import Sender
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


def latest_emails(*, limit: int = 100) -> QuerySet[OutboundEmail]:
    """The outbox, newest first (the demo mailbox shows it)."""
    return OutboundEmail.objects.order_by("-created_at", "-pk")[:limit]


def inbox(*, person) -> QuerySet[Message]:
    """The messages the fund sent the member and that they kept, newest first."""
    return Message.objects.visible_to(person).received().order_by("-sent_at", "-pk")


def newest_unread_message(*, person) -> Message | None:
    """The latest message the member has not read yet (the home page's "Nouveau message")."""
    return inbox(person=person).filter(read_at__isnull=True).first()


def sent_messages(*, person) -> QuerySet[Message]:
    """What the member wrote to the fund, newest first."""
    return (
        Message.objects.visible_to(person).filter(sender=Sender.MEMBER).order_by("-sent_at", "-pk")
    )


def message_of(*, person, message_id: int) -> Message | None:
    """One of the member's messages with its files, or None when it is not theirs."""
    return (
        Message.objects.visible_to(person)
        .select_related("thread")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("pk")))
        .filter(pk=message_id)
        .first()
    )


def thread_messages(*, message: Message) -> list[Message]:
    """The other messages of the same thread that the member kept, oldest first."""
    return list(
        Message.objects.visible_to(message.person_id)
        .filter(thread_id=message.thread_id)
        .exclude(pk=message.pk)
        .prefetch_related("attachments")
        .order_by("sent_at", "pk")
    )


def attachment_of(*, person, attachment_id: int) -> Attachment | None:
    """A file of one of the member's messages, or None when it is not theirs."""
    return (
        Attachment.objects.filter(
            pk=attachment_id, message__person=person, message__deleted_at__isnull=True
        )
        .select_related("message")
        .first()
    )


@dataclass(frozen=True)
class Unread:
    messages: int
    notifications: int


def _count(queryset: QuerySet) -> Subquery:
    return Subquery(
        queryset.order_by().values("person_id").annotate(total=Count("pk")).values("total"),
        output_field=IntegerField(),
    )


def unread_counts(*, person_id: int) -> Unread:
    """The member's unread messages and notifications, in one query (two counted subqueries)."""
    from guichet.insured.models import InsuredPerson

    counts = (
        InsuredPerson.objects.filter(pk=person_id)
        .annotate(
            unread_messages=_count(
                Message.objects.filter(person_id=OuterRef("pk"), deleted_at__isnull=True).unread()
            ),
            unread_notifications=_count(
                Notification.objects.filter(person_id=OuterRef("pk")).unread()
            ),
        )
        .values("unread_messages", "unread_notifications")
        .first()
    )
    if counts is None:
        return Unread(0, 0)
    return Unread(counts["unread_messages"] or 0, counts["unread_notifications"] or 0)


def notifications_of(*, person, limit: int = 50) -> QuerySet[Notification]:
    """The member's notifications, newest first."""
    return Notification.objects.filter(person=person).order_by("-created_at", "-pk")[:limit]


def unread_notifications(*, person, limit: int = 3) -> list[Notification]:
    """The latest unread notifications (the home page)."""
    return list(
        Notification.objects.filter(person=person).unread().order_by("-created_at", "-pk")[:limit]
    )


def notification_of(*, person, notification_id: int) -> Notification | None:
    return Notification.objects.filter(person=person, pk=notification_id).first()


def payment_information_enabled(*, person) -> bool:
    preference = NoticePreference.objects.filter(person=person).first()
    return preference is None or preference.payment_information


def messages_written_today(*, person) -> int:
    """How many messages the member wrote in the last 24 hours."""
    since = timezone.now() - dt.timedelta(hours=24)
    return Message.objects.filter(person=person, sender=Sender.MEMBER, sent_at__gte=since).count()


def active_topic(*, topic_id: int | None) -> Topic | None:
    """A topic members may choose, or None."""
    return Topic.objects.filter(active=True, pk=topic_id).first() if topic_id else None


def draft_of(*, person) -> Draft | None:
    """What the member was writing, if they kept it."""
    return Draft.objects.filter(person=person).first()


# --- the agents' reads ----------------------------------------------------------------------------


def threads_of(*, person) -> list[Thread]:
    """A member's threads, newest activity first, with their message count (the file's tab)."""
    return list(
        Thread.objects.filter(person=person)
        .select_related("topic")
        .annotate(message_count=Count("messages"), last_at=Max("messages__sent_at"))
        .order_by("-last_at", "-pk")
    )


def thread_of_fund(*, fund_id: int, person_id: int, thread_id: int) -> Thread | None:
    """A thread of a member of the agent's fund, or None."""
    return (
        Thread.objects.select_related("person__fund", "topic")
        .filter(pk=thread_id, person_id=person_id, person__fund_id=fund_id)
        .first()
    )


def thread_history(*, thread: Thread) -> list[Message]:
    """Every message of the thread, even those the member deleted, oldest first."""
    return list(thread.messages.prefetch_related("attachments").order_by("sent_at", "pk"))


def notes_of(*, thread: Thread) -> list[InternalNote]:
    return list(thread.notes.order_by("created_at", "pk"))


def reply_templates() -> QuerySet[ReplyTemplate]:
    return ReplyTemplate.objects.filter(active=True)


def attachment_of_fund(*, fund_id: int, attachment_id: int) -> Attachment | None:
    """A file of a message of a member of the agent's fund, or None."""
    return (
        Attachment.objects.filter(pk=attachment_id, message__person__fund_id=fund_id)
        .select_related("message")
        .first()
    )
