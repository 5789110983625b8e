import datetime as dt
from decimal import Decimal

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from guichet.core.actors import SYSTEM, Actor, ActorKind
from guichet.core.models import AuditEvent
from guichet.core.selectors import audit_events_about
from guichet.core.services import record_audit
from guichet.insured.tests.factories import InsuredPersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return record_audit(actor=SYSTEM, action="test.recorded", person_id=424242, step=1)


def test_record_audit_writes_actor_ip_person_target_and_details():
    person = InsuredPersonFactory()
    actor = Actor.member(17, ip="203.0.113.7")

    record_audit(
        actor=actor, action="insured.phones_changed", person_id=person.pk, target=person, n=2
    )

    row = AuditEvent.objects.get(person_id=person.pk, action="insured.phones_changed")
    assert (row.actor_kind, row.actor_id, row.ip) == (ActorKind.MEMBER, "17", "203.0.113.7")
    assert (row.target_type, row.target_id) == ("insured.insuredperson", str(person.pk))
    assert row.details == {"n": 2}
    assert row.occurred_at is not None


def test_record_audit_without_target_leaves_target_blank():
    row = record_audit(actor=Actor.anonymous("198.51.100.1"), action="login.failed")

    row.refresh_from_db()
    assert (row.actor_kind, row.actor_id, row.person_id) == (ActorKind.ANONYMOUS, "", None)
    assert (row.target_type, row.target_id, row.details) == ("", "", {})


def test_audit_events_about_a_person_are_theirs_only_newest_first():
    first = record_audit(actor=SYSTEM, action="first", person_id=9001)
    second = record_audit(actor=SYSTEM, action="second", person_id=9001)
    record_audit(actor=SYSTEM, action="someone_else", person_id=9002)

    assert list(audit_events_about(person_id=9001)) == [second, first]


def test_record_audit_accepts_amounts_and_dates_in_details():
    row = record_audit(
        actor=SYSTEM,
        action="payment.recorded",
        amount=Decimal("12.50"),
        on=dt.date(2026, 1, 31),
        at=dt.datetime(2026, 1, 31, 9, 41, tzinfo=dt.UTC),
    )

    row.refresh_from_db()
    assert row.details == {"amount": "12.50", "on": "2026-01-31", "at": "2026-01-31T09:41:00Z"}


def _refused_by_the_database(sql: str, params=()) -> IntegrityError:
    with pytest.raises(DatabaseError) as error, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
    assert isinstance(error.value, IntegrityError)
    return error.value


def test_audit_journal_refuses_updates_at_database_level(event):
    error = _refused_by_the_database(
        "UPDATE core_auditevent SET action = %s WHERE id = %s", ["tampered", event.pk]
    )

    assert "append-only" in str(error)
    event.refresh_from_db()
    assert event.action == "test.recorded"


def test_audit_journal_refuses_deletes_at_database_level(event):
    _refused_by_the_database("DELETE FROM core_auditevent WHERE id = %s", [event.pk])

    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_audit_journal_refuses_truncate_on_postgresql(event):
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE exists on PostgreSQL only")

    _refused_by_the_database("TRUNCATE core_auditevent")

    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_audit_journal_refuses_bulk_update_and_delete_of_the_orm(event):
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="tampered")
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()

    event.refresh_from_db()
    assert event.action == "test.recorded"


def test_audit_event_cannot_be_saved_again_once_created(event):
    event.action = "tampered"

    with pytest.raises(ValueError, match="append-only"):
        event.save()
    event.refresh_from_db()
    assert event.action == "test.recorded"


def test_audit_event_cannot_be_deleted_through_the_model(event):
    with pytest.raises(ValueError, match="append-only"):
        event.delete()

    assert AuditEvent.objects.filter(pk=event.pk).exists()
