"""Accounts for synthetic members, in bulk (see insured.synthetic)."""

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from guichet.identity.enums import AccountKind, AccountStatus
from guichet.identity.models import Account
from guichet.insured.models import InsuredPerson


def bulk_open_accounts(*, persons: list[InsuredPerson], code: str, password_hash: str = "") -> int:
    """Active accounts sharing one code; hashing it once keeps 100 000 accounts to seconds."""
    password_hash = password_hash or make_password(code)
    now = timezone.now()
    Account.objects.bulk_create(
        Account(
            kind=AccountKind.MEMBER,
            identifier=person.nir,
            insured_person=person,
            status=AccountStatus.ACTIVE,
            password=password_hash,
            code_changed_at=now,
        )
        for person in persons
    )
    return len(persons)
