import factory
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from guichet.identity.enums import AccountKind, AccountStatus
from guichet.identity.models import Account
from guichet.insured.tests.factories import InsuredPersonFactory

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
