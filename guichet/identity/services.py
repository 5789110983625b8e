"""Writes of the identity app: logging in, codes, e-mail second factor, account creation and closing.

Every function takes the acting `actor`, writes the audit journal, and leaves its e-mails in the
outbox of the same transaction.
"""

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from django.contrib.auth.hashers import check_password, make_password
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from guichet.core.actors import Actor
from guichet.core.services import record_audit
from guichet.identity import codes
from guichet.identity.enums import AccountKind, AccountStatus, ChallengePurpose
from guichet.identity.models import Account, EmailChallenge, TrustedDevice
from guichet.insured import selectors as insured_selectors
from guichet.insured import services as insured_services
from guichet.insured.models import InsuredPerson
from guichet.messaging.services import queue_email

MAX_FAILURES = 5
FIRST_LOCK = dt.timedelta(minutes=15)
LONGEST_LOCK = dt.timedelta(hours=24)
CREATION_CODE_VALIDITY = dt.timedelta(hours=72)
RESET_CODE_VALIDITY = dt.timedelta(minutes=30)
EMAIL_CODE_VALIDITY = dt.timedelta(minutes=15)
EMAIL_CODE_TRIES = 3
MAX_RESETS_PER_DAY = 3
# Hashed once: checking it for an unknown NIR costs what a real check costs (no timing oracle).
_DUMMY_HASH = make_password("guichet-unknown-account")


class LoginStep(StrEnum):
    DONE = "done"  # trusted device: the member is in
    EMAIL_CODE = "email_code"  # unknown or stale device: a 6-digit code was e-mailed
    CHOOSE_CODE = "choose_code"  # provisional code used: a personal code must be chosen
    INVALID = "invalid"
    LOCKED = "locked"


@dataclass(frozen=True)
class LoginResult:
    step: LoginStep
    account: Account | None = None
    attempts_left: int | None = None
    locked_until: dt.datetime | None = None
    challenge: EmailChallenge | None = None


class IdentityError(Exception):
    """A rule of the identity domain refused the request; the message is for the person."""


# --- Login ---------------------------------------------------------------------------------------


def lock_duration(lock_count: int) -> dt.timedelta:
    """15 min for the first lock, four times longer at each next one, at most 24 h."""
    return min(FIRST_LOCK * 4 ** max(lock_count - 1, 0), LONGEST_LOCK)


def _unknown_key(nir13: str) -> str:
    return f"login-unknown:{codes.hash_device_token(nir13)}"


def _fail_unknown(nir13: str, now: dt.datetime) -> LoginResult:
    """Failures on a NIR without an account look exactly like failures on a real one."""
    key = _unknown_key(nir13)
    failures, locked_until = cache.get(key, (0, None))
    if locked_until and locked_until > now:
        return LoginResult(LoginStep.LOCKED, locked_until=locked_until)
    failures += 1
    if failures >= MAX_FAILURES:
        locked_until = now + FIRST_LOCK
        cache.set(key, (0, locked_until), timeout=int(FIRST_LOCK.total_seconds()) + 60)
        return LoginResult(LoginStep.LOCKED, locked_until=locked_until)
    cache.set(key, (failures, None), timeout=int(LONGEST_LOCK.total_seconds()))
    return LoginResult(LoginStep.INVALID, attempts_left=MAX_FAILURES - failures)


@transaction.atomic
def check_member_credentials(
    *, nir13: str, code: str, device_token: str, actor: Actor
) -> LoginResult:
    """First step of a login: the NIR and a personal or provisional code."""
    now = timezone.now()
    account = (
        Account.objects.select_for_update(of=("self",))
        .select_related("insured_person")
        .filter(kind=AccountKind.MEMBER, identifier=nir13)
        .exclude(status=AccountStatus.CLOSED)
        .first()
    )
    if account is None:
        check_password(code, _DUMMY_HASH)
        record_audit(actor=actor, action="login.failed", reason="unknown_identifier")
        return _fail_unknown(nir13, now)

    person_id = account.insured_person_id
    if account.is_locked(now):
        record_audit(
            actor=actor, action="login.refused_locked", person_id=person_id, target=account
        )
        return LoginResult(LoginStep.LOCKED, account=account, locked_until=account.locked_until)

    used_provisional = False
    if account.has_usable_password() and account.check_password(code):
        pass
    elif account.has_valid_provisional_code(now) and check_password(code, account.provisional_code):
        used_provisional = True
    else:
        return _record_failure(account, actor=actor, now=now)

    account.failed_attempts = 0
    account.save(update_fields=["failed_attempts", "password"])  # check_password may rehash
    if used_provisional:
        record_audit(
            actor=actor, action="login.provisional_code_used", person_id=person_id, target=account
        )
        return LoginResult(LoginStep.CHOOSE_CODE, account=account)
    if is_device_trusted(account=account, device_token=device_token, now=now):
        return LoginResult(LoginStep.DONE, account=account)
    challenge = send_email_challenge(account=account, purpose=ChallengePurpose.LOGIN, actor=actor)
    return LoginResult(LoginStep.EMAIL_CODE, account=account, challenge=challenge)


def _record_failure(account: Account, *, actor: Actor, now: dt.datetime) -> LoginResult:
    account.failed_attempts += 1
    person_id = account.insured_person_id
    record_audit(
        actor=actor,
        action="login.failed",
        person_id=person_id,
        target=account,
        failures=account.failed_attempts,
    )
    if account.failed_attempts < MAX_FAILURES:
        account.save(update_fields=["failed_attempts"])
        return LoginResult(
            LoginStep.INVALID, account=account, attempts_left=MAX_FAILURES - account.failed_attempts
        )
    account.lock_count += 1
    account.locked_until = now + lock_duration(account.lock_count)
    account.failed_attempts = 0
    account.save(update_fields=["failed_attempts", "lock_count", "locked_until"])
    record_audit(
        actor=actor,
        action="account.locked",
        person_id=person_id,
        target=account,
        until=account.locked_until.isoformat(),
    )
    person = account.insured_person
    if person is not None and person.email:
        queue_email(
            to=person.email,
            template="account_locked",
            context={"person": person, "locked_until": account.locked_until},
            person_id=person.pk,
        )
    return LoginResult(LoginStep.LOCKED, account=account, locked_until=account.locked_until)


def is_device_trusted(
    *, account: Account, device_token: str, now: dt.datetime | None = None
) -> bool:
    if not device_token:
        return False
    device = TrustedDevice.objects.filter(
        account=account, token_hash=codes.hash_device_token(device_token)
    ).first()
    return device is not None and device.is_trusted(now)


@transaction.atomic
def complete_login(*, account: Account, actor: Actor, method: str) -> Account:
    """The member is in: remember the previous login for "Dernière connexion le …"."""
    account = Account.objects.select_for_update(of=("self",)).get(pk=account.pk)
    account.previous_login = account.last_login
    account.last_login = timezone.now()
    account.failed_attempts = 0
    account.lock_count = 0
    account.save(update_fields=["previous_login", "last_login", "failed_attempts", "lock_count"])
    record_audit(
        actor=actor,
        action="login.succeeded",
        person_id=account.insured_person_id,
        target=account,
        method=method,
    )
    return account


def record_logout(*, account: Account, actor: Actor, reason: str = "member") -> None:
    record_audit(
        actor=actor,
        action="logout",
        person_id=account.insured_person_id,
        target=account,
        reason=reason,
    )


# --- E-mailed one-time codes ---------------------------------------------------------------------


def send_email_challenge(
    *, account: Account, purpose: str, actor: Actor, email: str = ""
) -> EmailChallenge:
    """E-mail a fresh 6-digit code (valid 15 minutes, 3 tries); earlier codes stop working."""
    person = account.insured_person
    assert person is not None
    target = email or person.email
    now = timezone.now()
    EmailChallenge.objects.filter(
        account=account, purpose=purpose, consumed_at__isnull=True
    ).update(consumed_at=now)
    code = codes.new_email_code()
    challenge = EmailChallenge.objects.create(
        account=account,
        purpose=purpose,
        code_hash="",
        email=target,
        expires_at=now + EMAIL_CODE_VALIDITY,
    )
    challenge.code_hash = codes.hash_email_code(code, salt=str(challenge.pk))
    challenge.save(update_fields=["code_hash"])
    template = "login_code" if purpose == ChallengePurpose.LOGIN else "email_change_code"
    queue_email(
        to=target, template=template, context={"person": person, "code": code}, person_id=person.pk
    )
    record_audit(
        actor=actor, action=f"email_code.sent.{purpose}", person_id=person.pk, target=challenge
    )
    return challenge


@dataclass(frozen=True)
class ChallengeResult:
    ok: bool
    attempts_left: int = 0
    expired: bool = False


@transaction.atomic
def verify_email_challenge(*, challenge_id: int, code: str, actor: Actor) -> ChallengeResult:
    challenge = (
        EmailChallenge.objects.select_for_update(of=("self",)).select_related("account").get(pk=challenge_id)
    )
    person_id = challenge.account.insured_person_id
    if not challenge.is_usable():
        return ChallengeResult(ok=False, expired=True)
    if codes.hash_email_code(code.strip(), salt=str(challenge.pk)) == challenge.code_hash:
        challenge.consumed_at = timezone.now()
        challenge.save(update_fields=["consumed_at"])
        record_audit(
            actor=actor,
            action=f"email_code.verified.{challenge.purpose}",
            person_id=person_id,
            target=challenge,
        )
        return ChallengeResult(ok=True)
    challenge.attempts_left -= 1
    challenge.save(update_fields=["attempts_left"])
    record_audit(
        actor=actor,
        action=f"email_code.failed.{challenge.purpose}",
        person_id=person_id,
        target=challenge,
    )
    return ChallengeResult(
        ok=False, attempts_left=challenge.attempts_left, expired=challenge.attempts_left == 0
    )


def trust_device(*, account: Account, label: str, actor: Actor) -> str:
    """Trust this browser for 6 months; returns the token its cookie keeps."""
    token, token_hash = codes.new_device_token()
    now = timezone.now()
    device = TrustedDevice.objects.create(
        account=account, token_hash=token_hash, label=label[:120], verified_at=now, last_used_at=now
    )
    record_audit(
        actor=actor, action="device.trusted", person_id=account.insured_person_id, target=device
    )
    return token


# --- Personal and provisional codes --------------------------------------------------------------


@transaction.atomic
def choose_personal_code(*, account: Account, code: str, actor: Actor) -> Account:
    """After a provisional code: set the personal code; the account becomes (or stays) active."""
    account = (
        Account.objects.select_for_update(of=("self",)).select_related("insured_person").get(pk=account.pk)
    )
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
    # The provisional code came by e-mail: the address is proven.
    insured_services.mark_email_verified(person=account.insured_person, actor=actor)
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
        Account.objects.select_for_update(of=("self",)).select_related("insured_person").get(pk=account.pk)
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
    person = account.insured_person
    if person is not None and person.email:
        queue_email(
            to=person.email,
            template="code_changed",
            context={"person": person},
            person_id=person.pk,
        )
    return account


def _issue_provisional_code(account: Account, validity: dt.timedelta) -> str:
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
    if account is None or not account.insured_person.email:
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
    code = _issue_provisional_code(account, RESET_CODE_VALIDITY)
    person = account.insured_person
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


# --- Account creation ----------------------------------------------------------------------------


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
    if account is not None and account.status != AccountStatus.CLOSED:
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
    """Create (or re-open) the member's account and e-mail a provisional code valid 72 hours."""
    person = InsuredPerson.objects.select_for_update().get(pk=person.pk)
    check_creation_eligibility(person=person)
    if not insured_selectors.email_is_free(email=email, except_person=person):
        raise CreationRefused("email_taken", EMAIL_TAKEN)
    account = Account.objects.select_for_update(of=("self",)).filter(insured_person=person).first()
    if account is None:
        account = Account(kind=AccountKind.MEMBER, identifier=person.nir, insured_person=person)
        account.set_unusable_password()
        account.save()
        record_audit(actor=actor, action="account.created", person_id=person.pk, target=account)
    else:  # a closed account is opened again
        account.set_unusable_password()
        account.closed_at = None
        account.save(update_fields=["password", "closed_at"])
        account.transition(to=AccountStatus.PROVISIONAL, actor=actor, reason="created again")
    insured_services.set_email(person=person, email=email, verified=False, actor=actor)
    code = _issue_provisional_code(account, CREATION_CODE_VALIDITY)
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
    person = InsuredPerson.objects.select_for_update().get(pk=account.insured_person_id)
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
        Account.objects.select_for_update(of=("self",)).select_related("insured_person").get(pk=account.pk)
    )
    if not account.check_password(code):
        raise IdentityError("Ce code personnel n'est pas le bon : votre compte n'a pas été fermé.")
    account.closed_at = timezone.now()
    account.set_unusable_password()
    account.save(update_fields=["closed_at", "password"])
    account.transition(to=AccountStatus.CLOSED, actor=actor, reason="closed by the member")
    account.trusted_devices.all().delete()
    person = account.insured_person
    if person is not None and person.email:
        queue_email(
            to=person.email,
            template="account_closed",
            context={"person": person},
            person_id=person.pk,
        )
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
