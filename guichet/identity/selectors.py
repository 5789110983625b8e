"""Reads of the identity app that other apps (the back office) may use."""

from django.db.models import Prefetch, QuerySet

from guichet.identity.enums import AccountKind
from guichet.identity.models import Account, AgentProfile, TrustedDevice


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
