import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from guichet.core.statemachine import StateMachine
from guichet.insured.models import Fund
from guichet.workqueues.enums import ItemStatus


class WorkItemQuerySet(models.QuerySet):
    def of_fund(self, fund: Fund) -> "WorkItemQuerySet":
        return self.filter(fund=fund)

    def pending(self) -> "WorkItemQuerySet":
        return self.exclude(status=ItemStatus.DONE)


class WorkItem(StateMachine):
    """One thing for the fund's agents to do, in the queue of its kind (workqueues.kinds)."""

    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        ItemStatus.OPEN: {ItemStatus.ASSIGNED, ItemStatus.DONE},
        ItemStatus.ASSIGNED: {ItemStatus.ASSIGNED, ItemStatus.OPEN, ItemStatus.DONE},
        ItemStatus.DONE: set(),
    }
    AUDIT_PREFIX = "work_item"
    STATE_FIELDS: ClassVar[list[str]] = [
        "status",
        "status_changed_at",
        "assigned_to",
        "assigned_at",
        "closed_at",
    ]

    kind = models.CharField("type", max_length=32)
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="work_items")
    person_id = models.BigIntegerField(null=True, blank=True)  # the member it concerns
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    summary = models.CharField("objet", max_length=200)
    status = models.CharField(max_length=16, choices=ItemStatus.choices, default=ItemStatus.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="work_items",
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField("issue", max_length=200, blank=True)

    objects = WorkItemQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            # A queue: the pending items of one kind in one fund, oldest first.
            models.Index(fields=["fund", "kind", "status", "created_at"], name="workitem_queue"),
            models.Index(fields=["target_type", "target_id", "status"], name="workitem_target"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=ItemStatus.ASSIGNED)
                | models.Q(assigned_to__isnull=False),
                name="workitem_assigned_has_agent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}: {self.summary}"

    def audit_person_id(self) -> int | None:
        return self.person_id

    def age(self, now: dt.datetime | None = None) -> dt.timedelta:
        return (self.closed_at or now or timezone.now()) - self.created_at
