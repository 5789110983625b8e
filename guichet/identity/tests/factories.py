import factory
import pyotp
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from guichet.identity.enums import AccountKind, AccountStatus, AgentRole
from guichet.identity.models import Account, AgentProfile
from guichet.insured.tests.factories import FundFactory, InsuredPersonFactory

CODE = "Guichet-2026"


class AccountFactory(factory.django.DjangoModelFactory):
    """An active member account whose personal code is CODE; trait `provisional` has none yet."""

    class Meta:
        model = Account

    class Params:
        provisional = factory.Trait(status=AccountStatus.PROVISIONAL, password="!unusable")

    kind = AccountKind.MEMBER
    insured_person = factory.SubFactory(
        InsuredPersonFactory, email_verified_at=factory.LazyFunction(timezone.now)
    )
    identifier = factory.LazyAttribute(lambda o: o.insured_person.nir)
    status = AccountStatus.ACTIVE
    password = factory.LazyFunction(lambda: make_password(CODE))


AGENT_PASSWORD = "Agent-Password-2026"


def make_agent(*, role=AgentRole.ADVISER, fund=None, with_totp=True, **fields) -> Account:
    """An active agent of `fund` (a new one if None), with an enrolled authenticator app."""
    account = AgentAccountFactory(**fields)
    AgentProfile.objects.create(
        account=account,
        fund=fund or FundFactory(),
        role=role,
        first_name="Claire",
        last_name=f"AGENT{account.pk}",
        email=account.identifier,
        totp_secret=pyotp.random_base32() if with_totp else "",
        totp_confirmed_at=timezone.now() if with_totp else None,
    )
    return Account.objects.select_related("agent_profile__fund").get(pk=account.pk)


class AgentAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Account

    kind = AccountKind.AGENT
    identifier = factory.Sequence(lambda n: f"agent{n}@cpam.example")
    status = AccountStatus.ACTIVE
    password = factory.LazyFunction(lambda: make_password(AGENT_PASSWORD))
