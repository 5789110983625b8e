"""The fund's agents: creating them, their login (password, then a TOTP code), its lockout.

The rules are the members' (identity.services.login): one hash check whatever the account's
state, 5 failures in a row lock the account for a while that grows, an unknown identifier fails
exactly like a known one, and every step is journaled. See ADR 0020.
"""

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone

from guichet.core.actors import Actor
from guichet.core.services import record_audit
from guichet.identity import totp
from guichet.identity.enums import AccountKind, AccountStatus
from guichet.identity.models import Account, AgentProfile, RecoveryCode
from guichet.identity.services.assistance import close_with_reason
from guichet.identity.services.common import IdentityError
from guichet.identity.services.login import (
    MAX_FAILURES,
    _check_dummy,
    _fail_unknown,
    count_failure,
)
from guichet.identity.services.personal_codes import set_chosen_code
from guichet.insured.models import Fund
from guichet.messaging.services import queue_email

PROVISIONAL_PASSWORD_VALIDITY = dt.timedelta(hours=72)


class AgentStep(StrEnum):
    SECOND_FACTOR = "second_factor"  # a TOTP (or recovery) code is asked
    ENROL = "enrol"  # no authenticator app yet: enrol one
    CHOOSE_PASSWORD = "choose_password"  # a provisional password opened the way
    INVALID = "invalid"
    LOCKED = "locked"


@dataclass(frozen=True)
class AgentLoginResult:
    step: AgentStep
    account: Account | None = None
    attempts_left: int | None = None
    locked_until: dt.datetime | None = None


@dataclass(frozen=True)
class SecondFactorResult:
    ok: bool
    attempts_left: int = 0
    locked_until: dt.datetime | None = None
    recovery_codes_left: int | None = None  # set when a recovery code was used


@dataclass(frozen=True)
class Enrolment:
    """A confirmed authenticator app and the recovery codes to show once."""

    recovery_codes: list[str] = field(default_factory=list)


def normalize_identifier(identifier: str) -> str:
    return identifier.strip().lower()


def _agent_for_update(account_id: int) -> Account:
    return (
        Account.objects.select_for_update(of=("self",))
        .select_related("agent_profile__fund")
        .get(pk=account_id, kind=AccountKind.AGENT)
    )


# --- Creating agents -----------------------------------------------------------------------------


@transaction.atomic
def create_agent(
    *,
    fund: Fund,
    role: str,
    first_name: str,
    last_name: str,
    email: str,
    actor: Actor,
    password: str = "",
    totp_secret: str = "",
) -> Account:
    """A new agent of `fund`. Without `password`, a provisional password valid 72 hours is
    e-mailed to them; with `totp_secret` (the demo), their authenticator app is already enrolled."""
    email = normalize_identifier(email)
    if Account.objects.filter(identifier=email).exists():
        raise IdentityError("Un agent a déjà cette adresse e-mail.")
    now = timezone.now()
    account = Account(
        kind=AccountKind.AGENT,
        identifier=email,
        status=AccountStatus.ACTIVE if password else AccountStatus.PROVISIONAL,
        code_changed_at=now if password else None,
    )
    if password:
        account.set_password(password)
    else:
        account.set_unusable_password()
    account.save()
    profile = AgentProfile.objects.create(
        account=account,
        fund=fund,
        role=role,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email,
        totp_secret=totp_secret,
        totp_confirmed_at=now if totp_secret else None,
    )
    record_audit(
        actor=actor, action="agent.created", target=account, fund=fund.code, role=profile.role
    )
    if not password:
        _email_provisional_password(account, profile, template="agent_welcome")
    return account


def _email_provisional_password(account: Account, profile: AgentProfile, *, template: str) -> None:
    """A provisional password valid 72 hours, hashed like a password, e-mailed to the agent."""
    provisional = secrets.token_urlsafe(12)
    account.provisional_code = make_password(provisional)
    account.provisional_code_expires_at = timezone.now() + PROVISIONAL_PASSWORD_VALIDITY
    account.save(update_fields=["provisional_code", "provisional_code_expires_at"])
    queue_email(
        to=profile.email,
        template=template,
        context={
            "person": profile,
            "agent": profile,
            "password": provisional,
            "hours": int(PROVISIONAL_PASSWORD_VALIDITY.total_seconds() // 3600),
        },
    )


@transaction.atomic
def reissue_agent_password(*, agent: Account, reason: str, actor: Actor) -> Account:
    """An agent forgot their password: the old one stops working and a provisional one is
    e-mailed; at their next login they choose a new one (their app stays enrolled)."""
    agent = _agent_for_update(agent.pk)
    if agent.status == AccountStatus.CLOSED:
        raise IdentityError("Ce compte d'agent est fermé.")
    agent.set_unusable_password()
    agent.save(update_fields=["password"])
    _email_provisional_password(agent, agent.agent_profile, template="agent_new_password")
    record_audit(actor=actor, action="agent.password_reissued", target=agent, reason=reason)
    return agent


# --- Logging in ----------------------------------------------------------------------------------


@transaction.atomic
def check_agent_credentials(*, identifier: str, password: str, actor: Actor) -> AgentLoginResult:
    """First step of an agent's login: their e-mail address and their password."""
    identifier = normalize_identifier(identifier)
    now = timezone.now()
    account = (
        Account.objects.select_for_update(of=("self",))
        .select_related("agent_profile")
        .filter(kind=AccountKind.AGENT, identifier=identifier)
        .exclude(status=AccountStatus.CLOSED)
        .first()
    )
    if account is None:
        _check_dummy(password)
        record_audit(actor=actor, action="agent_login.failed", reason="unknown_identifier")
        result = _fail_unknown(f"agent:{identifier}", now)
        return AgentLoginResult(
            AgentStep(result.step),
            attempts_left=result.attempts_left,
            locked_until=result.locked_until,
        )
    if account.is_locked(now):
        _check_dummy(password)
        record_audit(actor=actor, action="agent_login.refused_locked", target=account)
        return AgentLoginResult(
            AgentStep.LOCKED, account=account, locked_until=account.locked_until
        )

    provisional = account.has_valid_provisional_code(now)
    # One hash check, against whichever secret the account has now.
    if provisional:
        matches = check_password(password, account.provisional_code)
    elif account.has_usable_password():
        matches = account.check_password(password)
    else:
        _check_dummy(password)
        matches = False
    if not matches:
        return _record_agent_failure(account, actor=actor, now=now, factor="password")

    account.failed_attempts = 0
    account.save(update_fields=["failed_attempts", "password"])
    if provisional:
        record_audit(actor=actor, action="agent_login.provisional_password_used", target=account)
        return AgentLoginResult(AgentStep.CHOOSE_PASSWORD, account=account)
    record_audit(actor=actor, action="agent_login.password_checked", target=account)
    if not account.agent_profile.has_totp:
        return AgentLoginResult(AgentStep.ENROL, account=account)
    return AgentLoginResult(AgentStep.SECOND_FACTOR, account=account)


def _record_agent_failure(
    account: Account, *, actor: Actor, now: dt.datetime, factor: str
) -> AgentLoginResult:
    if count_failure(account, actor=actor, now=now, action="agent_login.failed", factor=factor):
        return AgentLoginResult(
            AgentStep.LOCKED, account=account, locked_until=account.locked_until
        )
    return AgentLoginResult(
        AgentStep.INVALID, account=account, attempts_left=MAX_FAILURES - account.failed_attempts
    )


@transaction.atomic
def choose_agent_password(*, account: Account, password: str, actor: Actor) -> Account:
    """After the provisional password: the agent's own password; the account becomes active."""
    account = _agent_for_update(account.pk)
    set_chosen_code(account, password, actor=actor)
    record_audit(actor=actor, action="agent.password_chosen", target=account)
    return account


@transaction.atomic
def verify_second_factor(*, account: Account, code: str, actor: Actor) -> SecondFactorResult:
    """Second step: a code of the authenticator app, or one of the recovery codes."""
    account = _agent_for_update(account.pk)
    profile = account.agent_profile
    now = timezone.now()
    if account.is_locked(now):
        record_audit(actor=actor, action="agent_login.refused_locked", target=account)
        return SecondFactorResult(ok=False, locked_until=account.locked_until)
    step = (
        totp.matching_step(profile.totp_secret, code, after=profile.totp_last_step)
        if profile.has_totp
        else None
    )
    if step is not None:
        profile.totp_last_step = step
        profile.save(update_fields=["totp_last_step"])
        record_audit(actor=actor, action="agent_login.totp_verified", target=account)
        return SecondFactorResult(ok=True)
    recovery = totp.normalize_recovery_code(code)
    if recovery:
        used = RecoveryCode.objects.filter(
            account=account, code_hash=hash_recovery_code(recovery), used_at__isnull=True
        ).update(used_at=now)
        if used:
            left = RecoveryCode.objects.filter(account=account, used_at__isnull=True).count()
            record_audit(
                actor=actor, action="agent_login.recovery_code_used", target=account, left=left
            )
            return SecondFactorResult(ok=True, recovery_codes_left=left)
    result = _record_agent_failure(account, actor=actor, now=now, factor="second_factor")
    return SecondFactorResult(
        ok=False, attempts_left=result.attempts_left or 0, locked_until=result.locked_until
    )


def hash_recovery_code(code: str) -> str:
    """Keyed hash: 40 random bits need no slow hash, but a stolen table alone must not tell them."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"recovery:{code}".encode(), hashlib.sha256).hexdigest()


# --- The agent's own account ("Mon compte") ------------------------------------------------------


def _with_current_password[T](
    account: Account, current: str, actor: Actor, then: Callable[[Account], T]
) -> T:
    """The agent proves it is them before a change of their own account: `then` runs with the
    account locked for update. A wrong password counts as a failed login, which stays written
    although the change is refused."""
    with transaction.atomic():
        account = _agent_for_update(account.pk)
        if account.check_password(current):
            return then(account)
        result = _record_agent_failure(
            account, actor=actor, now=timezone.now(), factor="own_account"
        )
    if result.step == AgentStep.LOCKED:
        raise IdentityError(
            "Par sécurité, l'accès à ce compte est bloqué après 5 mots de passe erronés. "
            "Votre superviseur peut le débloquer."
        )
    raise IdentityError("Votre mot de passe actuel est incorrect.")


def change_agent_password(
    *, account: Account, current: str, password: str, actor: Actor
) -> Account:
    """The signed-in agent replaces their password, after typing the current one."""

    def change(account: Account) -> Account:
        set_chosen_code(account, password, actor=actor)
        record_audit(actor=actor, action="agent.password_changed", target=account)
        return account

    return _with_current_password(account, current, actor, change)


def regenerate_recovery_codes(*, account: Account, current: str, actor: Actor) -> list[str]:
    """New recovery codes for the signed-in agent, the old ones no longer work: shown once."""

    def regenerate(account: Account) -> list[str]:
        if not account.agent_profile.has_totp:
            raise IdentityError("Activez d'abord la double authentification.")
        codes = _replace_recovery_codes(account)
        record_audit(actor=actor, action="agent.recovery_codes_regenerated", target=account)
        return codes

    return _with_current_password(account, current, actor, regenerate)


# --- Enrolling an authenticator app --------------------------------------------------------------


@transaction.atomic
def start_totp_enrolment(*, account: Account, actor: Actor) -> str:
    """The secret to enrol in an app: a new one unless an enrolment is already under way."""
    account = _agent_for_update(account.pk)
    profile = account.agent_profile
    if profile.has_totp:
        raise IdentityError("La double authentification est déjà activée pour ce compte.")
    if not profile.totp_secret:
        profile.totp_secret = totp.new_secret()
        profile.save(update_fields=["totp_secret"])
        record_audit(actor=actor, action="agent.totp_enrolment_started", target=account)
    return profile.totp_secret


@transaction.atomic
def confirm_totp_enrolment(*, account: Account, code: str, actor: Actor) -> Enrolment:
    """The agent typed a code from the app: it is enrolled, and gets fresh recovery codes."""
    account = _agent_for_update(account.pk)
    profile = account.agent_profile
    if profile.has_totp or not profile.totp_secret:
        raise IdentityError("Recommencez l'activation de la double authentification.")
    step = totp.matching_step(profile.totp_secret, code, after=None)
    if step is None:
        result = _record_agent_failure(account, actor=actor, now=timezone.now(), factor="enrolment")
        if result.step == AgentStep.LOCKED:
            raise IdentityError(
                "Par sécurité, l'accès à ce compte est bloqué après 5 codes erronés. "
                "Votre superviseur peut le débloquer."
            )
        raise IdentityError(
            "Ce code ne correspond pas : vérifiez l'heure de votre téléphone et saisissez le code "
            "affiché maintenant par l'application."
        )
    profile.totp_confirmed_at = timezone.now()
    profile.totp_last_step = step
    profile.save(update_fields=["totp_confirmed_at", "totp_last_step"])
    codes = _replace_recovery_codes(account)
    record_audit(actor=actor, action="agent.totp_enrolled", target=account)
    return Enrolment(recovery_codes=codes)


def _replace_recovery_codes(account: Account) -> list[str]:
    RecoveryCode.objects.filter(account=account).delete()
    codes = totp.new_recovery_codes()
    RecoveryCode.objects.bulk_create(
        RecoveryCode(account=account, code_hash=hash_recovery_code(code)) for code in codes
    )
    return codes


@transaction.atomic
def reset_second_factor(*, agent: Account, reason: str, actor: Actor) -> Account:
    """A superviseur withdraws a lost authenticator app: the agent enrols a new one at next login."""
    agent = _agent_for_update(agent.pk)
    profile = agent.agent_profile
    profile.totp_secret = ""
    profile.totp_confirmed_at = None
    profile.totp_last_step = None
    profile.save(update_fields=["totp_secret", "totp_confirmed_at", "totp_last_step"])
    RecoveryCode.objects.filter(account=agent).delete()
    record_audit(actor=actor, action="agent.totp_reset", target=agent, reason=reason)
    return agent


@transaction.atomic
def close_agent_account(*, agent: Account, reason: str, actor: Actor) -> Account:
    """An agent leaves the fund: their account is closed (the journal keeps what they did)."""
    agent = _agent_for_update(agent.pk)
    if agent.status == AccountStatus.CLOSED:
        raise IdentityError("Ce compte d'agent est déjà fermé.")
    close_with_reason(agent, reason=reason, actor=actor)
    return agent
