import datetime as dt

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from guichet.core.actors import ActorKind


class AuditEventQuerySet(models.QuerySet):
    def about_person(self, person_id: int) -> "AuditEventQuerySet":
        return self.filter(person_id=person_id)


class AuditEvent(models.Model):
    """One line of the append-only audit journal: who did what to whom, when, from where.

    The table is created by hand-written SQL (migration 0001) with triggers that make the
    database itself refuse UPDATE, DELETE and TRUNCATE; hence ``managed = False``. See ADR 0004.
    """

    occurred_at = models.DateTimeField()
    actor_kind = models.CharField(max_length=16, choices=ActorKind.choices)
    actor_id = models.CharField(max_length=64, blank=True)
    action = models.CharField(max_length=64)
    person_id = models.BigIntegerField(null=True, blank=True)  # the member the event concerns
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    ip = models.CharField(max_length=45, blank=True)
    # Amounts and dates are kept as text ("12.50", "2026-01-31"): a journal is read, not summed.
    details = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        managed = False
        db_table = "core_auditevent"
        ordering = ["-occurred_at", "-id"]

    def __str__(self) -> str:
        return (
            f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.actor_kind}:{self.actor_id} {self.action}"
        )

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("The audit journal is append-only: an event cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("The audit journal is append-only: an event cannot be deleted.")


class ScheduledJobQuerySet(models.QuerySet):
    def filter_due(self, *, now: dt.datetime, every: dt.timedelta) -> "ScheduledJobQuerySet":
        return self.filter(
            models.Q(last_enqueued_at__isnull=True) | models.Q(last_enqueued_at__lte=now - every)
        )


class ScheduledJob(models.Model):
    """When a periodic job (core.scheduler) was last enqueued."""

    name = models.CharField(max_length=64, unique=True)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)

    objects = ScheduledJobQuerySet.as_manager()

    def __str__(self) -> str:
        return self.name
