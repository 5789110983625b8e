"""Creating, closing and re-opening member accounts, and changing their e-mail address."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from guichet.core.actors import Actor
from guichet.core.services import record_audit
from guichet.identity.enums import AccountKind, AccountStatus, ChallengePurpose
from guichet.identity.models import Account, EmailChallenge
from guichet.identity.services.common import IdentityError, email_member
from guichet.identity.services.login import ChallengeResult, verify_email_challenge
from guichet.identity.services.personal_codes import CREATION_CODE_VALIDITY, issue_provisional_code
from guichet.insured import selectors as insured_selectors
from guichet.insured import services as insured_services
from guichet.insured.models import InsuredPerson
from guichet.messaging.services import queue_email


class CreationRefused(IdentityError):
    """The registry says no; `reason` names the case, the message explains it."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


def check_creation_eligibility(*, person: InsuredPerson) -> None:
    """Raise CreationRefused with the reason a member cannot create an account, if any."""
    if person.is_ame:
        raise CreationRefused(
            "ame",
            "Les bénéficiaires de l'Aide médicale de l'État (AME) ne peuvent pas créer de compte en ligne. "
            "Votre caisse d'assurance maladie reste à votre disposition pour toutes vos démarches.",
        )
    if not person.rights_open:
        raise CreationRefused(
            "rights_closed",
            "Vos droits à l'Assurance Maladie ne sont pas ouverts à ce jour : vous ne pouvez pas créer de compte. "
            "Contactez votre caisse d'assurance maladie pour faire le point sur votre situation.",
        )
    if insured_selectors.is_attached_dependent(person=person):
        raise CreationRefused(
            "dependent",
            "Vous êtes rattaché(e) comme ayant droit au compte d'un autre assuré : vos remboursements "
            "s'affichent dans son compte. Pour avoir votre propre compte, demandez à votre caisse "
            "à devenir assuré(e) à titre personnel.",
        )
    account = Account.objects.filter(insured_person=person).first()
    if account is not None and account.status == AccountStatus.ACTIVE:
        raise CreationRefused(
            "exists",
            "Un compte existe déjà pour ce numéro de sécurité sociale. Connectez-vous avec votre code "
            "personnel ou, si vous l'avez oublié, utilisez « Code oublié ? ».",
        )


def record_audit_signup(*, actor: Actor, outcome: str, person_id: int | None = None) -> None:
    """Journal an account-creation attempt that did not go through, and why."""
    record_audit(actor=actor, action=f"signup.refused.{outcome}", person_id=person_id)


def iban_suffix_matches(*, person: InsuredPerson, suffix: str) -> bool:
    """Proof of identity: the last 7 characters of the IBAN the fund pays to."""
    typed = "".join(suffix.split()).upper()
    return bool(person.iban) and len(typed) == 7 and person.iban.upper().endswith(typed)


@transaction.atomic
def create_member_account(*, person: InsuredPerson, email: str, actor: Actor) -> Account:
    """Create the member's account, or start again one never activated or closed, and e-mail a
    provisional code valid 72 hours."""
    person = insured_selectors.person_for_update(person_id=person.pk)
    check_creation_eligibility(person=person)
    if not insured_selectors.email_is_free(email=email, except_person=person):
        raise CreationRefused("email_taken", EMAIL_TAKEN)
    account = Account.objects.select_for_update(of=("self",)).filter(insured_person=person).first()
    if account is None:
        account = Account(kind=AccountKind.MEMBER, identifier=person.nir, insured_person=person)
        account.set_unusable_password()
        account.save()
        record_audit(actor=actor, action="account.created", person_id=person.pk, target=account)
    else:  # never activated (the provisional code was lost), or closed: start again
        account.set_unusable_password()
        account.closed_at = None
        account.save(update_fields=["password", "closed_at"])
        if account.status == AccountStatus.CLOSED:
            account.transition(to=AccountStatus.PROVISIONAL, actor=actor, reason="created again")
        else:
            record_audit(
                actor=actor, action="account.created_again", person_id=person.pk, target=account
            )
    insured_services.set_email(person=person, email=email, verified=False, actor=actor)
    code = issue_provisional_code(account, CREATION_CODE_VALIDITY)
    queue_email(
        to=email,
        template="provisional_code",
        context={
            "person": person,
            "code": code,
            "hours": int(CREATION_CODE_VALIDITY.total_seconds() // 3600),
        },
        person_id=person.pk,
    )
    return account


EMAIL_TAKEN = (
    "Il n'est pas possible de saisir une même adresse mail pour plusieurs comptes : "
    "cette adresse est déjà utilisée. Indiquez une adresse e-mail personnelle."
)


# --- Account settings ----------------------------------------------------------------------------


@transaction.atomic
def confirm_email_change(
    *, account: Account, challenge_id: int, code: str, actor: Actor
) -> ChallengeResult:
    """Second step of an e-mail change: the code sent to the new address."""
    result = verify_email_challenge(challenge_id=challenge_id, code=code, actor=actor)
    if not result.ok:
        return result
    challenge = EmailChallenge.objects.get(
        pk=challenge_id, account=account, purpose=ChallengePurpose.EMAIL_CHANGE
    )
    person = insured_selectors.person_for_update(person_id=account.person.pk)
    if not insured_selectors.email_is_free(email=challenge.email, except_person=person):
        raise IdentityError(EMAIL_TAKEN)
    previous = person.email
    insured_services.set_email(person=person, email=challenge.email, verified=True, actor=actor)
    if previous and previous != challenge.email:
        queue_email(
            to=previous,
            template="email_changed",
            context={"person": person, "new_email": challenge.email},
            person_id=person.pk,
        )
    return result


@transaction.atomic
def close_account(*, account: Account, code: str, actor: Actor) -> Account:
    """The member closes their account (the registry keeps their file; payments go on)."""
    account = (
        Account.objects.select_for_update(of=("self",))
        .select_related("insured_person")
        .get(pk=account.pk)
    )
    if not account.check_password(code):
        raise IdentityError("Ce code personnel n'est pas le bon : votre compte n'a pas été fermé.")
    account.closed_at = timezone.now()
    account.set_unusable_password()
    account.save(update_fields=["closed_at", "password"])
    account.transition(to=AccountStatus.CLOSED, actor=actor, reason="closed by the member")
    account.trusted_devices.all().delete()
    email_member(account, "account_closed")
    return account


@transaction.atomic
def open_active_account(
    *, person: InsuredPerson, code: str, actor: Actor, last_login: dt.datetime | None = None
) -> Account:
    """An account whose member already chose a code and proved their e-mail (demo, migrations)."""
    account = Account(
        kind=AccountKind.MEMBER,
        identifier=person.nir,
        insured_person=person,
        status=AccountStatus.ACTIVE,
        last_login=last_login,
        code_changed_at=timezone.now(),
    )
    account.set_password(code)
    account.save()
    insured_services.mark_email_verified(person=person, actor=actor)
    record_audit(
        actor=actor, action="account.created", person_id=person.pk, target=account, status="active"
    )
    return account


def delete_accounts_of_demo(*, nirs: list[str]) -> int:
    """Only for resetting the demo: real accounts are closed, never deleted."""
    deleted, _ = Account.objects.filter(kind=AccountKind.MEMBER, identifier__in=nirs).delete()
    return deleted
