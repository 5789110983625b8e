"""Writes of the shared kernel: the audit journal."""

from typing import Any

from django.db import models
from django.utils import timezone

from guichet.core.actors import Actor
from guichet.core.models import AuditEvent


def record_audit(
    *,
    actor: Actor,
    action: str,
    person_id: int | None = None,
    target: models.Model | None = None,
    **details: Any,
) -> AuditEvent:
    """Append one event to the journal; it can never be changed afterwards."""
    return AuditEvent.objects.create(
        occurred_at=timezone.now(),
        actor_kind=actor.kind,
        actor_id=actor.id,
        action=action,
        person_id=person_id,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        ip=actor.ip,
        details=details,
    )
