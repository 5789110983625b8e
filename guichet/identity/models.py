import datetime as dt
from typing import ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils import timezone

from guichet.core.statemachine import StateMachine
from guichet.identity.enums import (
    AccountKind,
    AccountStatus,
    AgentRole,
    ChallengePurpose,
    FranceConnectPurpose,
)
from guichet.insured.models import Fund, InsuredPerson

DEVICE_TRUST = dt.timedelta(days=183)  # "Tous les 6 mois, il va vous demander un code unique"


class AccountManager(BaseUserManager["Account"]):
    def members(self) -> models.QuerySet:
        return self.filter(kind=AccountKind.MEMBER)

    def agents(self) -> models.QuerySet:
        return self.filter(kind=AccountKind.AGENT)


class Account(StateMachine, AbstractBaseUser):
    """A way into Guichet: a member's (identifier = the 13-character NIR) or an agent's
    (identifier = their professional e-mail address, with an AgentProfile).

    The password is the personal code; a provisional code (4 digits, e-mailed) opens the way to
    choosing one. Five failures in a row lock the account for a while that grows with each lock.
    """

    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        AccountStatus.PROVISIONAL: {AccountStatus.ACTIVE, AccountStatus.CLOSED},
        AccountStatus.ACTIVE: {AccountStatus.CLOSED},
        AccountStatus.CLOSED: {AccountStatus.PROVISIONAL},  # created again by its member
    }
    AUDIT_PREFIX = "account"

    kind = models.CharField(max_length=16, choices=AccountKind.choices, default=AccountKind.MEMBER)
    identifier = models.CharField("identifiant", max_length=64, unique=True)
    insured_person = models.OneToOneField(
        InsuredPerson, on_delete=models.PROTECT, null=True, blank=True, related_name="account"
    )
    status = models.CharField(
        max_length=16, choices=AccountStatus.choices, default=AccountStatus.PROVISIONAL
    )

    provisional_code = models.CharField(max_length=128, blank=True)  # a hash, like the password
    provisional_code_expires_at = models.DateTimeField(null=True, blank=True)

    failed_attempts = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    lock_count = models.PositiveSmallIntegerField(default=0)

    created_at = models.DateTimeField(default=timezone.now)
    previous_login = models.DateTimeField("connexion précédente", null=True, blank=True)
    code_changed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    USERNAME_FIELD = "identifier"
    objects = AccountManager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind=AccountKind.MEMBER)
                | models.Q(insured_person__isnull=False),
                name="account_member_has_person",
            )
        ]

    def __str__(self) -> str:
        return f"Compte {self.pk} ({self.get_kind_display()})"

    @property
    def is_active(self) -> bool:  # type: ignore[override]  # a class attribute in AbstractBaseUser
        """Read by Django's auth machinery: a closed account cannot be used."""
        return self.status != AccountStatus.CLOSED

    @property
    def person(self) -> InsuredPerson:
        """The member's person in the registry (every member account has one)."""
        if self.insured_person is None:
            raise ValueError(f"Account {self.pk} is not a member's account.")
        return self.insured_person

    def audit_person_id(self) -> int | None:
        return self.insured_person_id

    def is_locked(self, now: dt.datetime | None = None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or timezone.now())

    def has_valid_provisional_code(self, now: dt.datetime | None = None) -> bool:
        return bool(self.provisional_code) and (
            self.provisional_code_expires_at is not None
            and self.provisional_code_expires_at > (now or timezone.now())
        )


class TrustedDevice(models.Model):
    """A browser that proved, by an e-mailed code, that it belongs to the member (for 6 months)."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="trusted_devices")
    token_hash = models.CharField(max_length=64, unique=True)  # sha256 of the cookie's token
    label = models.CharField("appareil", max_length=120, blank=True)
    verified_at = models.DateTimeField()
    last_used_at = models.DateTimeField()

    class Meta:
        ordering = ["-last_used_at"]

    def __str__(self) -> str:
        return self.label or f"Appareil {self.pk}"

    def is_trusted(self, now: dt.datetime | None = None) -> bool:
        return self.verified_at + DEVICE_TRUST > (now or timezone.now())


class EmailChallenge(models.Model):
    """A 6-digit code e-mailed to prove that the person holds an address: 15 minutes, 3 tries."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="email_challenges")
    purpose = models.CharField(max_length=16, choices=ChallengePurpose.choices)
    code_hash = models.CharField(max_length=64)
    email = models.EmailField()  # where the code went (the new address for a change)
    expires_at = models.DateTimeField()
    attempts_left = models.PositiveSmallIntegerField(default=3)
    consumed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(
                fields=["account", "purpose", "created_at"], name="challenge_account_recent"
            )
        ]

    def __str__(self) -> str:
        return f"Code {self.get_purpose_display()} ({self.account_id})"

    def is_usable(self, now: dt.datetime | None = None) -> bool:
        return (
            self.consumed_at is None
            and self.attempts_left > 0
            and self.expires_at > (now or timezone.now())
        )


class FranceConnectState(models.Model):
    """One FranceConnect round trip under way: its `state` and `nonce`, kept on the server.

    A state serves once (`used_at`) and for STATE_TTL only; the browser that started the round
    trip also keeps it in its session, so that a callback opened in another browser is refused.
    """

    STATE_TTL = dt.timedelta(minutes=10)

    state = models.CharField(max_length=64, unique=True)
    nonce = models.CharField(max_length=64, blank=True)
    purpose = models.CharField(max_length=16, choices=FranceConnectPurpose.choices)
    next_url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__regex=r"^[0-9a-f]{64}$"), name="fc_state_64_hex"
            ),
            models.CheckConstraint(
                condition=models.Q(purpose="logout") | models.Q(nonce__regex=r"^[0-9a-f]{64}$"),
                name="fc_login_nonce_64_hex",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.created_at:%d/%m/%Y %H:%M})"


class AgentProfile(models.Model):
    """Who an agent is: their fund, their role, their names, and their second factor (TOTP)."""

    account = models.OneToOneField(Account, on_delete=models.CASCADE, related_name="agent_profile")
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="agents")
    role = models.CharField("rôle", max_length=16, choices=AgentRole.choices)
    first_name = models.CharField("prénom", max_length=80)
    last_name = models.CharField("nom", max_length=80)
    email = models.EmailField("adresse e-mail professionnelle", max_length=254, unique=True)
    # The shared secret of the authenticator app (base32). It must be readable to check a code,
    # so it cannot be hashed; see ADR 0020.
    totp_secret = models.CharField(max_length=64, blank=True)
    totp_confirmed_at = models.DateTimeField(
        "double authentification activée le", null=True, blank=True
    )
    totp_last_step = models.BigIntegerField(null=True, blank=True)  # a code serves once
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        indexes = [models.Index(fields=["fund", "role"], name="agent_fund_role")]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name.upper()}"

    @property
    def has_totp(self) -> bool:
        return bool(self.totp_secret) and self.totp_confirmed_at is not None


class RecoveryCode(models.Model):
    """A one-time code that replaces the authenticator app when it is lost; only its HMAC is kept."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["account", "code_hash"], name="recovery_account_hash")]

    def __str__(self) -> str:
        return f"Code de secours {self.pk} ({self.account_id})"
