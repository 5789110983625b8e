from django.db import models
from django.utils import timezone

from guichet.messaging.enums import EmailStatus


class OutboundEmailQuerySet(models.QuerySet):
    def due(self, now=None) -> "OutboundEmailQuerySet":
        """Pending e-mails whose next attempt time has come."""
        return self.filter(status=EmailStatus.PENDING, next_attempt_at__lte=now or timezone.now())


class OutboundEmail(models.Model):
    """The outbox: every e-mail Guichet sends is written here first, in the same transaction as
    the change it announces, then delivered by a task that retries (ADR 0003)."""

    to = models.EmailField("destinataire")
    subject = models.CharField("objet", max_length=200)
    body = models.TextField("texte", blank=True)
    template = models.CharField(max_length=64)
    person_id = models.BigIntegerField(null=True, blank=True)  # the member it concerns, if any
    status = models.CharField(
        max_length=16, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    body_redacted = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = OutboundEmailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["-created_at", "-id"], name="outbox_newest_first"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"
