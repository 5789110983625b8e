import io

import pytest
from django.core.management import CommandError, call_command

from guichet.core import nir as nir_rules
from guichet.identity.models import Account
from guichet.insured.models import Dependent, InsuredPerson

pytestmark = pytest.mark.django_db

SYNTHETIC_FUND = "019991000"


def generate(*args) -> str:
    out = io.StringIO()
    call_command("generate_members", *args, stdout=out)
    return out.getvalue()


def synthetic_holders():
    attached = Dependent.objects.values("person_id")
    return InsuredPerson.objects.filter(fund__code=SYNTHETIC_FUND).exclude(pk__in=attached)


def test_generate_members_creates_holders_with_valid_nirs_and_some_accounts():
    output = generate("50", "--batch", "20")

    holders = synthetic_holders()
    assert holders.count() == 50
    persons = InsuredPerson.objects.filter(fund__code=SYNTHETIC_FUND)
    assert all(nir_rules.is_valid_full(p.nir + p.nir_key) for p in persons)
    assert Dependent.objects.filter(holder__in=holders).count() == persons.count() - 50
    accounts = Account.objects.filter(insured_person__fund__code=SYNTHETIC_FUND)
    assert accounts.count() == 30  # 60 % by default, holders only
    assert not accounts.filter(insured_person__attachments__isnull=False).exists()
    assert accounts.first().check_password("Guichet-2026")
    assert "Done: 50 assurés" in output


def test_generate_members_twice_adds_new_people():
    generate("10", "--accounts", "0")
    generate("10", "--accounts", "1")

    assert synthetic_holders().count() == 20
    assert Account.objects.count() == 10


@pytest.mark.parametrize("args", [["0"], ["-3"], ["10", "--accounts", "1.5"]])
def test_generate_members_refuses_a_meaningless_request(args):
    with pytest.raises(CommandError):
        generate(*args)

    assert not InsuredPerson.objects.exists()
