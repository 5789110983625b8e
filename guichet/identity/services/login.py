"""Logging in: the NIR and a code, the lockout, the e-mailed code of a new device, trusted devices."""

import datetime as dt
import functools
import hmac
from dataclasses import dataclass
from enum import StrEnum

from django.contrib.auth.hashers import check_password, get_hasher, make_password
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from guichet.core.actors import Actor
from guichet.core.digits import is_digits
from guichet.core.services import record_audit
from guichet.identity import codes
from guichet.identity.enums import AccountKind, AccountStatus, ChallengePurpose
from guichet.identity.models import Account, EmailChallenge, TrustedDevice
from guichet.identity.services.common import email_member
from guichet.messaging.services import queue_email

MAX_FAILURES = 5
FIRST_LOCK = dt.timedelta(minutes=15)
LONGEST_LOCK = dt.timedelta(hours=24)
EMAIL_CODE_VALIDITY = dt.timedelta(minutes=15)
EMAIL_CODE_TRIES = 3


@functools.cache
def _dummy_hash(algorithm: str) -> str:
    """Checking a code against it costs what a real check costs: no timing oracle. One per hasher,
    made at first use (the hasher may change, as in tests)."""
    return make_password("guichet-unknown-account")


def _check_dummy(code: str) -> None:
    check_password(code, _dummy_hash(get_hasher().algorithm))


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


def lock_duration(lock_count: int) -> dt.timedelta:
    """15 min for the first lock, four times longer at each next one, at most 24 h."""
    return min(FIRST_LOCK * 4 ** max(lock_count - 1, 0), LONGEST_LOCK)


def _unknown_key(nir13: str) -> str:
    return f"login-unknown:{codes.hash_device_token(nir13)}"


def _fail_unknown(nir13: str, now: dt.datetime) -> LoginResult:
    """Failures on a NIR without an account look exactly like failures on a real one: the same
    messages, the same lock, growing the same way."""
    key = _unknown_key(nir13)
    failures, locked_until, lock_count = cache.get(key, (0, None, 0))
    if locked_until and locked_until > now:
        return LoginResult(LoginStep.LOCKED, locked_until=locked_until)
    failures += 1
    if failures >= MAX_FAILURES:
        lock_count += 1
        locked_until = now + lock_duration(lock_count)
        failures = 0
    timeout = int((LONGEST_LOCK + lock_duration(lock_count)).total_seconds())
    # Kept a week, as long as anyone would notice: a real account keeps its count until it logs in.
    cache.set(key, (failures, locked_until, lock_count), timeout=max(timeout, 7 * 24 * 3600))
    if failures == 0:
        return LoginResult(LoginStep.LOCKED, locked_until=locked_until)
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
        _check_dummy(code)
        record_audit(actor=actor, action="login.failed", reason="unknown_identifier")
        return _fail_unknown(nir13, now)

    person_id = account.insured_person_id
    if account.is_locked(now):
        _check_dummy(code)  # a locked account answers as slowly as any other
        record_audit(
            actor=actor, action="login.refused_locked", person_id=person_id, target=account
        )
        return LoginResult(LoginStep.LOCKED, account=account, locked_until=account.locked_until)

    used_provisional = _looks_provisional(code)
    if not _code_matches(account, code, provisional=used_provisional, now=now):
        return _record_failure(account, actor=actor, now=now)

    account.failed_attempts = 0
    if used_provisional:  # single use: from now on only the personal code to be chosen will do
        account.provisional_code = ""
        account.provisional_code_expires_at = None
    account.save(
        update_fields=[
            "failed_attempts",
            "password",
            "provisional_code",
            "provisional_code_expires_at",
        ]
    )  # check_password may also have rehashed the password
    if used_provisional:
        record_audit(
            actor=actor, action="login.provisional_code_used", person_id=person_id, target=account
        )
        return LoginResult(LoginStep.CHOOSE_CODE, account=account)
    if use_trusted_device(account=account, device_token=device_token, now=now):
        return LoginResult(LoginStep.DONE, account=account)
    challenge = send_email_challenge(account=account, purpose=ChallengePurpose.LOGIN, actor=actor)
    return LoginResult(LoginStep.EMAIL_CODE, account=account, challenge=challenge)


def _looks_provisional(code: str) -> bool:
    """4 digits: a provisional code; a personal code always holds letters (codes.personal_code_problems)."""
    return len(code) == 4 and is_digits(code)


def _code_matches(account: Account, code: str, *, provisional: bool, now: dt.datetime) -> bool:
    """Exactly one hash check whatever the account's state, like for an unknown NIR: the time of
    the answer tells nothing."""
    if provisional:
        usable = account.has_valid_provisional_code(now)
        target = account.provisional_code if usable else _dummy_hash(get_hasher().algorithm)
        return check_password(code, target) and usable
    if account.has_usable_password():
        return account.check_password(code)
    _check_dummy(code)
    return False


def count_failure(
    account: Account, *, actor: Actor, now: dt.datetime, action: str, **details
) -> bool:
    """One more failure in a row for the account, journaled; the fifth locks it (returns True)."""
    account.failed_attempts += 1
    person_id = account.insured_person_id
    record_audit(
        actor=actor,
        action=action,
        person_id=person_id,
        target=account,
        failures=account.failed_attempts,
        **details,
    )
    if account.failed_attempts < MAX_FAILURES:
        account.save(update_fields=["failed_attempts"])
        return False
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
    email_member(account, "account_locked", locked_until=account.locked_until)
    return True


def _record_failure(account: Account, *, actor: Actor, now: dt.datetime) -> LoginResult:
    if count_failure(account, actor=actor, now=now, action="login.failed"):
        return LoginResult(LoginStep.LOCKED, account=account, locked_until=account.locked_until)
    return LoginResult(
        LoginStep.INVALID, account=account, attempts_left=MAX_FAILURES - account.failed_attempts
    )


def use_trusted_device(
    *, account: Account, device_token: str, now: dt.datetime | None = None
) -> bool:
    """Is this browser trusted (an e-mailed code checked there less than 6 months ago)? If so,
    stamp its use, for the member's list of devices."""
    if not device_token:
        return False
    now = now or timezone.now()
    device = TrustedDevice.objects.filter(
        account=account, token_hash=codes.hash_device_token(device_token)
    ).first()
    if device is None or not device.is_trusted(now):
        return False
    TrustedDevice.objects.filter(pk=device.pk).update(last_used_at=now)
    return True


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
        EmailChallenge.objects.select_for_update(of=("self",))
        .select_related("account")
        .get(pk=challenge_id)
    )
    person_id = challenge.account.insured_person_id
    if not challenge.is_usable():
        return ChallengeResult(ok=False, expired=True)
    typed = codes.hash_email_code(code.strip(), salt=str(challenge.pk))
    if hmac.compare_digest(typed, challenge.code_hash):
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


def purge_stale_email_challenges(*, now: dt.datetime | None = None) -> int:
    """Housekeeping: e-mailed codes are useless after 15 minutes; their rows go after a day."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=1)
    deleted, _ = EmailChallenge.objects.filter(created_at__lt=cutoff).delete()
    return deleted
