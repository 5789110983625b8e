"""What the fund does for a member's account: unlock it, send a new provisional code, close it.

Each is done by an agent with a reason, journaled with that reason, and told to the member by
e-mail. A locked-out member may also ask the fund to unlock them (a work item, ADR 0022).
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from guichet.core.actors import Actor
from guichet.core.services import record_audit
from guichet.identity.enums import AccountKind, AccountStatus
from guichet.identity.models import Account
from guichet.identity.services.common import IdentityError, email_member
from guichet.identity.services.personal_codes import CREATION_CODE_VALIDITY, issue_provisional_code
from guichet.workqueues import kinds as work_kinds
from guichet.workqueues import services as work_services


def _account_for_update(account_id: int) -> Account:
    return (
        Account.objects.select_for_update(of=("self",))
        .select_related("insured_person")
        .get(pk=account_id)
    )


@transaction.atomic
def unlock_account(*, account: Account, reason: str, actor: Actor) -> Account:
    """Lift a lock (and forget the failures that led to it); the member is told by e-mail."""
    account = _account_for_update(account.pk)
    was_locked = account.is_locked()
    account.locked_until = None
    account.failed_attempts = 0
    account.lock_count = 0
    account.save(update_fields=["locked_until", "failed_attempts", "lock_count"])
    record_audit(
        actor=actor,
        action="account.unlocked",
        person_id=account.insured_person_id,
        target=account,
        reason=reason,
        was_locked=was_locked,
    )
    work_services.close_items_about(
        kind=work_kinds.ACCOUNT_UNLOCK, target=account, outcome="Compte débloqué", actor=actor
    )
    email_member(account, "account_unlocked")
    return account


@transaction.atomic
def send_provisional_code(*, account: Account, reason: str, actor: Actor) -> Account:
    """A new provisional code (72 hours) to the address on file, e.g. for a member who lost theirs."""
    account = _account_for_update(account.pk)
    person = account.insured_person
    if account.kind != AccountKind.MEMBER or person is None:
        raise IdentityError("Ce compte n'est pas celui d'un assuré.")
    if account.status == AccountStatus.CLOSED:
        raise IdentityError("Ce compte est fermé : l'assuré peut le créer à nouveau.")
    if not person.email:
        raise IdentityError(
            "Aucune adresse e-mail n'est connue pour cet assuré : le code ne peut pas lui être envoyé."
        )
    code = issue_provisional_code(account, CREATION_CODE_VALIDITY)
    record_audit(
        actor=actor,
        action="account.provisional_code_sent",
        person_id=person.pk,
        target=account,
        reason=reason,
    )
    email_member(
        account,
        "provisional_code_by_fund",
        code=code,
        hours=int(CREATION_CODE_VALIDITY.total_seconds() // 3600),
    )
    return account


def close_with_reason(account: Account, *, reason: str, actor: Actor) -> None:
    """Close an account for the fund: no code opens it any more, its devices are forgotten, and
    the journal keeps the reason. The caller holds the account's row lock."""
    account.closed_at = timezone.now()
    account.set_unusable_password()
    account.provisional_code = ""
    account.provisional_code_expires_at = None
    account.save(
        update_fields=["closed_at", "password", "provisional_code", "provisional_code_expires_at"]
    )
    account.transition(to=AccountStatus.CLOSED, actor=actor, reason=reason)
    account.trusted_devices.all().delete()


@transaction.atomic
def close_account_by_fund(*, account: Account, reason: str, actor: Actor) -> Account:
    """The fund closes a member's account (their file and rights stay); the member is told."""
    account = _account_for_update(account.pk)
    if account.status == AccountStatus.CLOSED:
        raise IdentityError("Ce compte est déjà fermé.")
    close_with_reason(account, reason=reason, actor=actor)
    work_services.close_items_about(
        kind=work_kinds.ACCOUNT_UNLOCK, target=account, outcome="Compte fermé", actor=actor
    )
    email_member(account, "account_closed_by_fund")
    return account


@transaction.atomic
def request_unlock(*, nir13: str, birth_date: dt.date, actor: Actor) -> bool:
    """A locked-out member asks their fund to unlock them: a work item, once per lock.

    The caller answers the same way whatever this returns: it never tells whether an account exists.
    """
    account = (
        Account.objects.select_for_update(of=("self",))
        .select_related("insured_person__fund")
        .filter(kind=AccountKind.MEMBER, identifier=nir13, insured_person__birth_date=birth_date)
        .exclude(status=AccountStatus.CLOSED)
        .first()
    )
    if account is None or not account.is_locked():
        record_audit(actor=actor, action="unlock_request.no_match")
        return False
    person = account.person
    work_services.open_item(
        kind=work_kinds.ACCOUNT_UNLOCK,
        fund=person.fund,
        summary=f"{person.full_name} demande le déblocage de son compte",
        actor=actor,
        person_id=person.pk,
        target=account,
    )
    record_audit(actor=actor, action="unlock_request.received", person_id=person.pk, target=account)
    return True
