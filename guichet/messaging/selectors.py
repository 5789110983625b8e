"""Reads of the messaging app that other apps may use."""

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery

from guichet.messaging.enums import Sender
from guichet.messaging.models import Attachment, Draft, Message, Notification, OutboundEmail


def latest_emails(*, limit: int = 100) -> QuerySet[OutboundEmail]:
    """The outbox, newest first (the demo mailbox shows it)."""
    return OutboundEmail.objects.order_by("-created_at", "-pk")[:limit]


def inbox(*, person) -> QuerySet[Message]:
    """The messages the fund sent the member and that they kept, newest first."""
    return Message.objects.visible_to(person).received().order_by("-sent_at", "-pk")


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


def draft_of(*, person) -> Draft | None:
    """What the member was writing, if they kept it."""
    return Draft.objects.filter(person=person).first()
