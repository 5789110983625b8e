"""Reads of the shared kernel that other apps may use."""

from guichet.core.models import AuditEvent, AuditEventQuerySet


def audit_events_about(*, person_id: int) -> AuditEventQuerySet:
    """The journal's events that concern one member, newest first."""
    return AuditEvent.objects.about_person(person_id).order_by("-occurred_at", "-id")
