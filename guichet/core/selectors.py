"""Reads of the shared kernel that other apps may use."""

from guichet.core.models import AuditEvent, AuditEventQuerySet


def audit_events_about(*, person_id: int) -> AuditEventQuerySet:
    """The journal's events that concern one member, newest first."""
    return AuditEvent.objects.about_person(person_id).order_by("-occurred_at", "-id")


def audit_events_about_target(*, target_type: str, target_id: str) -> AuditEventQuerySet:
    """The journal's events about one object (e.g. a reference table's row: its history)."""
    return AuditEvent.objects.filter(target_type=target_type, target_id=target_id).order_by(
        "-occurred_at", "-id"
    )


FILE_VIEWED = "member_file.viewed"


def file_consultations(*, person_id: int, limit: int = 200) -> list[AuditEvent]:
    """The fund's latest looks at a member's file, newest first (one query)."""
    return list(
        AuditEvent.objects.about_person(person_id)
        .filter(action=FILE_VIEWED)
        .order_by("-occurred_at", "-id")[:limit]
    )
