"""The personal code: choosing it after a provisional code, changing it, "Code oublié"."""

import datetime as dt

from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from guichet.core.actors import Actor
from guichet.core.services import record_audit
from guichet.identity import codes
from guichet.identity.enums import AccountKind, AccountStatus
from guichet.identity.models import Account
from guichet.identity.services.common import IdentityError, email_member
from guichet.insured import services as insured_services
from guichet.messaging.services import queue_email

CREATION_CODE_VALIDITY = dt.timedelta(hours=72)
RESET_CODE_VALIDITY = dt.timedelta(minutes=30)
MAX_RESETS_PER_DAY = 3


def set_chosen_code(account: Account, code: str, *, actor: Actor) -> None:
    """The code (or an agent's password) chosen after a provisional one, which stops working; a
    provisional account becomes active. The caller holds the account's row lock."""
    account.set_password(code)
    account.provisional_code = ""
    account.provisional_code_expires_at = None
    account.code_changed_at = timezone.now()
    account.save(
        update_fields=[
            "password",
            "provisional_code",
            "provisional_code_expires_at",
            "code_changed_at",
        ]
    )
    if account.status == AccountStatus.PROVISIONAL:
        account.transition(to=AccountStatus.ACTIVE, actor=actor)


@transaction.atomic
def choose_personal_code(*, account: Account, code: str, actor: Actor) -> Account:
    """After a provisional code: set the personal code; the account becomes (or stays) active."""
    account = (
        Account.objects.select_for_update(of=("self",))
        .select_related("insured_person")
        .get(pk=account.pk)
    )
    set_chosen_code(account, code, actor=actor)
    # The provisional code came by e-mail: the address is proven.
    insured_services.mark_email_verified(person=account.person, actor=actor)
    record_audit(
        actor=actor,
        action="account.code_chosen",
        person_id=account.insured_person_id,
        target=account,
    )
    return account


@transaction.atomic
def change_personal_code(*, account: Account, current: str, new: str, actor: Actor) -> Account:
    account = (
        Account.objects.select_for_update(of=("self",))
        .select_related("insured_person")
        .get(pk=account.pk)
    )
    if not account.check_password(current):
        record_audit(
            actor=actor,
            action="account.code_change_refused",
            person_id=account.insured_person_id,
            target=account,
        )
        raise IdentityError("Votre code personnel actuel n'est pas celui-ci.")
    account.set_password(new)
    account.code_changed_at = timezone.now()
    account.save(update_fields=["password", "code_changed_at"])
    record_audit(
        actor=actor,
        action="account.code_changed",
        person_id=account.insured_person_id,
        target=account,
    )
    email_member(account, "code_changed")
    return account


def issue_provisional_code(account: Account, validity: dt.timedelta) -> str:
    """A new 4-digit provisional code, valid `validity`; returns it in clear for the e-mail."""
    code = codes.new_provisional_code()
    account.provisional_code = make_password(code)
    account.provisional_code_expires_at = timezone.now() + validity
    account.save(update_fields=["provisional_code", "provisional_code_expires_at"])
    return code


@transaction.atomic
def request_code_reset(*, nir13: str, birth_date: dt.date, actor: Actor) -> bool:
    """ "Code oublié": a provisional code (30 min) to the address on file, if everything matches.

    The caller answers the same way whatever this returns: it never tells whether an account exists.
    """
    account = (
        Account.objects.select_for_update(of=("self",))
        .select_related("insured_person")
        .filter(kind=AccountKind.MEMBER, identifier=nir13, insured_person__birth_date=birth_date)
        .exclude(status=AccountStatus.CLOSED)
        .first()
    )
    if account is None or not account.person.email_verified_at:
        # No account, or no address proven yet (the member never logged in): creating the
        # account again is the way, since it checks the IBAN before sending a code.
        record_audit(actor=actor, action="code_reset.no_match")
        return False
    day_key = f"code-reset:{account.pk}:{timezone.localdate():%Y%m%d}"
    cache.add(day_key, 0, timeout=86_400)
    if cache.incr(day_key) > MAX_RESETS_PER_DAY:
        record_audit(
            actor=actor,
            action="code_reset.too_many",
            person_id=account.insured_person_id,
            target=account,
        )
        return False
    code = issue_provisional_code(account, RESET_CODE_VALIDITY)
    person = account.person
    queue_email(
        to=person.email,
        template="provisional_code_reset",
        context={
            "person": person,
            "code": code,
            "minutes": int(RESET_CODE_VALIDITY.total_seconds() // 60),
        },
        person_id=person.pk,
    )
    record_audit(actor=actor, action="code_reset.sent", person_id=person.pk, target=account)
    return True


@transaction.atomic
def choose_first_personal_code(*, account: Account, code: str, actor: Actor) -> Account:
    """An account opened with FranceConnect, which has no code yet, chooses one for NIR logins."""
    account = Account.objects.select_for_update(of=("self",)).get(pk=account.pk)
    if account.has_usable_password():
        raise IdentityError(
            "Vous avez déjà un code personnel : modifiez-le avec votre code actuel."
        )
    account.set_password(code)
    account.code_changed_at = timezone.now()
    account.save(update_fields=["password", "code_changed_at"])
    record_audit(
        actor=actor,
        action="account.code_chosen",
        person_id=account.insured_person_id,
        target=account,
        first=True,
    )
    return account
