"""Writes of the work queues: open an item, take or assign it, close it (ADR 0022)."""

from django.db import models, transaction
from django.utils import timezone

from guichet.core.actors import Actor
from guichet.core.services import record_audit
from guichet.identity.models import Account
from guichet.insured.models import Fund
from guichet.workqueues import kinds
from guichet.workqueues.enums import ItemStatus
from guichet.workqueues.models import WorkItem


class WorkQueueError(Exception):
    """A rule of the work queues refused the request; the message is for the agent."""


def _target(target: models.Model | None) -> dict[str, str]:
    if target is None:
        return {"target_type": "", "target_id": ""}
    return {"target_type": target._meta.label_lower, "target_id": str(target.pk)}


@transaction.atomic
def open_item(
    *,
    kind: str,
    fund: Fund,
    summary: str,
    actor: Actor,
    person_id: int | None = None,
    target: models.Model | None = None,
) -> WorkItem:
    """Put an item in its queue; an item already pending for the same target is reused."""
    if kinds.get(kind) is None:
        raise ValueError(f"Unknown work item kind: {kind}")
    where = _target(target)
    if target is not None:
        existing = WorkItem.objects.select_for_update().filter(kind=kind, **where).pending().first()
        if existing is not None:
            return existing
    item = WorkItem.objects.create(
        kind=kind, fund=fund, person_id=person_id, summary=summary[:200], **where
    )
    record_audit(
        actor=actor, action="work_item.opened", person_id=person_id, target=item, kind=kind
    )
    return item


def _pending_item(item_id: int, fund: Fund) -> WorkItem:
    item = WorkItem.objects.select_for_update().filter(pk=item_id, fund=fund).first()
    if item is None:
        raise WorkItem.DoesNotExist
    if item.status == ItemStatus.DONE:
        raise WorkQueueError("Cet élément a déjà été traité.")
    return item


@transaction.atomic
def assign_item(*, item_id: int, fund: Fund, agent: Account, actor: Actor) -> WorkItem:
    """Give the item to an agent of its fund (themselves, or another by a superviseur)."""
    item = _pending_item(item_id, fund)
    profile = getattr(agent, "agent_profile", None)
    kind = kinds.get(item.kind)
    if profile is None or profile.fund_id != fund.pk or not agent.is_active:
        raise WorkQueueError("Cet agent ne fait pas partie de votre caisse.")
    if kind is not None and profile.role not in kind.roles:
        raise WorkQueueError("Cet agent ne traite pas ce type de demandes.")
    item.assigned_to = agent
    item.assigned_at = timezone.now()
    item.transition(to=ItemStatus.ASSIGNED, actor=actor, reason=f"agent {agent.pk}")
    return item


@transaction.atomic
def release_item(*, item_id: int, fund: Fund, actor: Actor) -> WorkItem:
    """Put an assigned item back in the queue, for anyone."""
    item = _pending_item(item_id, fund)
    item.assigned_to = None
    item.assigned_at = None
    item.transition(to=ItemStatus.OPEN, actor=actor)
    return item


@transaction.atomic
def close_items_about(*, kind: str, target: models.Model, outcome: str, actor: Actor) -> int:
    """The work an item asked for is done (e.g. the account was unlocked): close its items."""
    items = list(
        WorkItem.objects.select_for_update().filter(kind=kind, **_target(target)).pending()
    )
    for item in items:
        item.closed_at = timezone.now()
        item.outcome = outcome[:200]
        item.save(update_fields=["outcome"])
        item.transition(to=ItemStatus.DONE, actor=actor, reason=outcome)
    return len(items)


def delete_items_of_demo(*, person_ids: list[int]) -> int:
    """Only for resetting the demo: real work items are closed, never deleted."""
    deleted, _ = WorkItem.objects.filter(person_id__in=person_ids).delete()
    return deleted
