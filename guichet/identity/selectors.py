"""Reads of the identity app that other apps (the back office) may use."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.template.defaultfilters import pluralize

from guichet.identity.enums import AccountKind
from guichet.identity.models import Account, AgentProfile, RecoveryCode, TrustedDevice
from guichet.identity.totp import STEP_SECONDS as TOTP_STEP_SECONDS


def account_of_person(*, person_id: int) -> Account | None:
    """A person's member account, if any, with its trusted devices (2 queries)."""
    return (
        Account.objects.filter(kind=AccountKind.MEMBER, insured_person_id=person_id)
        .prefetch_related(
            Prefetch("trusted_devices", queryset=TrustedDevice.objects.order_by("-last_used_at"))
        )
        .first()
    )


def agents_of_fund(*, fund_id: int) -> QuerySet[AgentProfile]:
    """The fund's agents, by name, with their accounts."""
    return (
        AgentProfile.objects.filter(fund_id=fund_id)
        .select_related("account", "fund")
        .order_by("last_name", "first_name", "pk")
    )


def agent_of_fund(*, fund_id: int, account_id: int) -> AgentProfile | None:
    return agents_of_fund(fund_id=fund_id).filter(account_id=account_id).first()


@dataclass(frozen=True)
class SecondFactor:
    """One way an agent proves who they are after their password, for "Mon compte"."""

    label: str
    enrolled_at: dt.datetime | None
    last_used_at: dt.datetime | None
    detail: str


def agent_second_factors(*, account: Account) -> list[SecondFactor]:
    """The agent's authenticator app (one per agent, ADR 0020) and their recovery codes left
    (1 query beyond the profile)."""
    profile = account.agent_profile
    if not profile.has_totp:
        return []
    last_used = (
        dt.datetime.fromtimestamp(profile.totp_last_step * TOTP_STEP_SECONDS, tz=dt.UTC)
        if profile.totp_last_step is not None
        else None
    )
    codes = RecoveryCode.objects.filter(account=account).aggregate(
        total=Count("pk"), left=Count("pk", filter=Q(used_at__isnull=True))
    )
    return [
        SecondFactor(
            "Application d'authentification (codes à 6 chiffres)",
            profile.totp_confirmed_at,
            last_used,
            "Un code de l'application à chaque connexion.",
        ),
        SecondFactor(
            "Codes de secours",
            None,
            None,
            f"{codes['left']} code{pluralize(codes['left'])} sur {codes['total']} encore "
            f"utilisable{pluralize(codes['left'])}, chacun une fois, si vous n'avez plus votre "
            "téléphone."
            if codes["total"]
            else "Aucun : générez-en pour le jour où vous n'aurez plus votre téléphone.",
        ),
    ]
