"""Lifecycles as data: a state enum, a table of allowed transitions, one transition() that checks,
stamps and journals every change (ADR 0005)."""

from typing import ClassVar

from django.db import models, transaction
from django.utils import timezone

from guichet.core.actors import Actor
from guichet.core.services import record_audit


class TransitionNotAllowed(Exception):
    """The lifecycle has no arrow from the current state to the one asked for."""


class StateMachine(models.Model):
    """Abstract base: subclasses declare `status` (a TextChoices field) and TRANSITIONS."""

    TRANSITIONS: ClassVar[dict[str, set[str]]] = {}
    AUDIT_PREFIX: ClassVar[str] = ""
    STATE_FIELDS: ClassVar[list[str]] = ["status", "status_changed_at"]
    status: str  # each subclass declares the field, with its own choices

    status_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    def can_transition(self, to: str) -> bool:
        return to in self.TRANSITIONS.get(self.status, set())

    def audit_person_id(self) -> int | None:
        """The member an event about this object concerns (for the journal)."""
        return None

    def transition(self, *, to: str, actor: Actor, reason: str = "", save: bool = True) -> None:
        """Move to `to` if the table allows it: the new state and its journal line go together."""
        if not self.can_transition(to):
            raise TransitionNotAllowed(f"{type(self).__name__} {self.pk}: {self.status} → {to}")
        previous, previous_changed_at = self.status, self.status_changed_at
        try:
            # A state saved without its journal line would be a change nobody can account for.
            with transaction.atomic():
                self.status = to
                self.status_changed_at = timezone.now()
                if save:
                    self.save(update_fields=self.STATE_FIELDS)
                record_audit(
                    actor=actor,
                    action=f"{self.AUDIT_PREFIX}.{to}",
                    person_id=self.audit_person_id(),
                    target=self,
                    previous=previous,
                    **({"reason": reason} if reason else {}),
                )
        except BaseException:
            self.status, self.status_changed_at = previous, previous_changed_at
            raise
