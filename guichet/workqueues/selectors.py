"""Reads of the work queues: the items of a queue, oldest first, and the dashboard's figures."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Min, Q
from django.utils import timezone

from guichet.insured.models import Fund
from guichet.workqueues import kinds
from guichet.workqueues.enums import ItemStatus
from guichet.workqueues.models import WorkItem, WorkItemQuerySet

DASHBOARD_DAYS = 30


@dataclass(frozen=True)
class QueueSummary:
    kind: kinds.ItemKind
    pending: int
    unassigned: int
    late: int  # pending for longer than the kind's SLA
    oldest_at: dt.datetime | None
    done_recently: int  # closed in the last DASHBOARD_DAYS days
    mean_delay: dt.timedelta | None  # from opening to closing, over those


def queue_summaries(
    *, fund: Fund, now: dt.datetime | None = None, roles: set[str] | None = None
) -> list[QueueSummary]:
    """One line per registered kind (those an agent of `roles` works, if given): 2 queries."""
    now = now or timezone.now()
    registered = [k for k in kinds.KINDS.values() if roles is None or k.roles & roles]
    pending_rows = {
        row["kind"]: row
        for row in WorkItem.objects.of_fund(fund)
        .pending()
        .values("kind")
        .annotate(
            pending=Count("pk"),
            unassigned=Count("pk", filter=Q(status=ItemStatus.OPEN)),
            oldest_at=Min("created_at"),
            **{
                f"late_{k.slug}": Count("pk", filter=Q(kind=k.slug, created_at__lt=now - k.sla))
                for k in registered
            },
        )
        .order_by()
    }
    since = now - dt.timedelta(days=DASHBOARD_DAYS)
    done_rows = {
        row["kind"]: row
        for row in WorkItem.objects.of_fund(fund)
        .filter(status=ItemStatus.DONE, closed_at__gte=since)
        .values("kind")
        .annotate(
            done=Count("pk"),
            mean_delay=Avg(
                ExpressionWrapper(F("closed_at") - F("created_at"), output_field=DurationField())
            ),
        )
        .order_by()
    }
    summaries = []
    for kind in registered:
        pending, done = pending_rows.get(kind.slug, {}), done_rows.get(kind.slug, {})
        summaries.append(
            QueueSummary(
                kind=kind,
                pending=pending.get("pending", 0),
                unassigned=pending.get("unassigned", 0),
                late=pending.get(f"late_{kind.slug}", 0),
                oldest_at=pending.get("oldest_at"),
                done_recently=done.get("done", 0),
                mean_delay=done.get("mean_delay"),
            )
        )
    return summaries


def queue_items(*, fund: Fund, kind: str) -> WorkItemQuerySet:
    """The pending items of one queue, oldest first, with their agent."""
    return (
        WorkItem.objects.of_fund(fund)
        .pending()
        .filter(kind=kind)
        .select_related("assigned_to__agent_profile")
        .order_by("created_at", "pk")
    )


def pending_items_about(*, fund: Fund, person_id: int) -> WorkItemQuerySet:
    """What is waiting for the fund about one member (shown on their file)."""
    return (
        WorkItem.objects.of_fund(fund).pending().filter(person_id=person_id).order_by("created_at")
    )


def workload_by_agent(*, fund: Fund) -> list[dict]:
    """How many items each agent holds, and since when the oldest waits (one query)."""
    return list(
        WorkItem.objects.of_fund(fund)
        .filter(status=ItemStatus.ASSIGNED)
        .values("assigned_to")
        .annotate(count=Count("pk"), oldest_at=Min("created_at"))
        .order_by("-count", "assigned_to")
    )
