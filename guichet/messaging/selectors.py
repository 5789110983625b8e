"""Reads of the messaging app that other apps may use."""

from django.db.models import QuerySet

from guichet.messaging.models import OutboundEmail


def latest_emails(*, limit: int = 100) -> QuerySet[OutboundEmail]:
    """The outbox, newest first (the demo mailbox shows it)."""
    return OutboundEmail.objects.order_by("-created_at", "-pk")[:limit]
