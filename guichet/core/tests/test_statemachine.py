"""The lifecycle machinery, seen through identity.Account (the first model that uses it)."""

import pytest
from django.utils import timezone

from guichet.core import statemachine
from guichet.core.actors import SYSTEM, Actor
from guichet.core.models import AuditEvent
from guichet.core.statemachine import TransitionNotAllowed
from guichet.identity.enums import AccountStatus
from guichet.identity.tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


def test_allowed_transition_saves_the_status_and_stamps_the_time():
    account = AccountFactory(provisional=True)
    before = timezone.now()

    account.transition(to=AccountStatus.ACTIVE, actor=SYSTEM)

    account.refresh_from_db()
    assert account.status == AccountStatus.ACTIVE
    assert before <= account.status_changed_at <= timezone.now()


def test_allowed_transition_writes_one_audit_row_with_previous_state_and_reason():
    account = AccountFactory()
    actor = Actor.member(account.pk, ip="203.0.113.7")

    account.transition(to=AccountStatus.CLOSED, actor=actor, reason="closed by the member")

    row = AuditEvent.objects.get(target_type="identity.account", target_id=str(account.pk))
    assert row.action == "account.closed"
    assert row.person_id == account.insured_person_id
    assert (row.actor_kind, row.actor_id, row.ip) == ("member", str(account.pk), "203.0.113.7")
    assert row.details == {"previous": "active", "reason": "closed by the member"}


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (AccountStatus.ACTIVE, AccountStatus.PROVISIONAL),
        (AccountStatus.ACTIVE, AccountStatus.ACTIVE),
        (AccountStatus.CLOSED, AccountStatus.ACTIVE),
    ],
)
def test_refused_transition_changes_nothing_and_journals_nothing(start, to):
    account = AccountFactory(status=start)

    with pytest.raises(TransitionNotAllowed):
        account.transition(to=to, actor=SYSTEM)

    assert account.status == start
    account.refresh_from_db()
    assert (account.status, account.status_changed_at) == (start, None)
    assert not AuditEvent.objects.filter(target_id=str(account.pk), target_type="identity.account")


def test_closed_account_may_be_created_again():
    account = AccountFactory(status=AccountStatus.CLOSED)

    assert account.can_transition(AccountStatus.PROVISIONAL)
    assert not account.can_transition(AccountStatus.ACTIVE)
    account.transition(to=AccountStatus.PROVISIONAL, actor=SYSTEM)

    account.refresh_from_db()
    assert account.status == AccountStatus.PROVISIONAL


def test_transition_without_save_leaves_the_database_to_the_caller():
    account = AccountFactory(provisional=True)

    account.transition(to=AccountStatus.ACTIVE, actor=SYSTEM, save=False)

    assert account.status == AccountStatus.ACTIVE
    account.refresh_from_db()
    assert account.status == AccountStatus.PROVISIONAL


def test_transition_is_undone_when_the_journal_cannot_be_written(monkeypatch):
    account = AccountFactory(provisional=True)

    def broken_journal(**kwargs):
        raise RuntimeError("journal unavailable")

    monkeypatch.setattr(statemachine, "record_audit", broken_journal)

    with pytest.raises(RuntimeError):
        account.transition(to=AccountStatus.ACTIVE, actor=SYSTEM)

    assert (account.status, account.status_changed_at) == (AccountStatus.PROVISIONAL, None)
    account.refresh_from_db()
    assert (account.status, account.status_changed_at) == (AccountStatus.PROVISIONAL, None)
