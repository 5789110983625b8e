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


def change_reference_row[M: models.Model](
    *, row: M, fields: dict[str, Any], editable: tuple[str, ...], actor: Actor, table: str
) -> M:
    """Apply a superviseur's edit of a reference-data row (locked by the caller's transaction):
    only the changed fields are saved, and the journal keeps them, the table's history
    (ADR 0023)."""
    unknown = set(fields) - set(editable)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    row = type(row)._default_manager.select_for_update().get(pk=row.pk)
    changes = {
        name: [getattr(row, name), value]
        for name, value in fields.items()
        if getattr(row, name) != value
    }
    if changes:
        for name, (_, value) in changes.items():
            setattr(row, name, value)
        row.full_clean()
        row.save(update_fields=list(changes))
        record_audit(actor=actor, action=f"reference.{table}.changed", target=row, changes=changes)
    return row
