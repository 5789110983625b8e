import datetime as dt
import random

import pytest
from stdnum import bic as bic_rules
from stdnum import iban as iban_rules
from stdnum.fr import nir as stdnum_nir

from guichet.core import nir as nir_rules
from guichet.insured.enums import Relationship, Sex
from guichet.insured.models import Dependent, InsuredPerson
from guichet.insured.selectors import family_of
from guichet.insured.synthetic import (
    DEPARTMENTS,
    bulk_register,
    generate_families,
    make_iban,
    make_nir,
)
from guichet.insured.tests.factories import FundFactory


def test_make_nir_always_yields_a_valid_nir_and_distinct_serials_distinct_nirs():
    rng = random.Random(1)
    sex, birth = Sex.FEMALE, dt.date(1983, 2, 25)
    nirs = set()

    for serial in range(5000):
        department = rng.choice(DEPARTMENTS)  # the place matters to the key, not to uniqueness
        nir15 = make_nir(sex=sex, birth_date=birth, department=department, serial=serial)
        assert stdnum_nir.is_valid(nir15), nir15
        assert nir_rules.is_valid_full(nir15), nir15
        nirs.add(nir15[:5] + nir15[7:13])  # without the département

    assert len(nirs) == 5000


@pytest.mark.parametrize("department", ["01", "2A", "2B", "95"])
@pytest.mark.parametrize("sex", [Sex.MALE, Sex.FEMALE])
def test_make_nir_encodes_sex_birth_month_and_place(department, sex):
    nir15 = make_nir(
        sex=sex, birth_date=dt.date(2008, 8, 29), department=department, serial=998_000
    )

    assert nir15[0] == ("1" if sex == Sex.MALE else "2")
    assert (nir15[1:5], nir15[5:7]) == ("0808", department)
    assert nir_rules.is_valid_full(nir15)


def test_make_iban_is_a_valid_french_iban_of_a_known_bank():
    rng = random.Random(2026)

    for _ in range(2000):
        iban, bic = make_iban(rng)
        assert iban.startswith("FR") and len(iban) == 27
        assert iban_rules.is_valid(iban), iban
        assert bic_rules.is_valid(bic), bic


def test_generate_families_is_reproducible_from_a_seed():
    first = [f.fields for f in generate_families(count=20, seed=7)]
    again = [f.fields for f in generate_families(count=20, seed=7)]

    assert first == again
    assert first != [f.fields for f in generate_families(count=20, seed=8)]


def test_generated_families_have_valid_unique_nirs_and_unique_emails():
    families = list(generate_families(count=200, seed=3))
    people = [p for f in families for p in (f, *f.dependents)]

    assert all(nir_rules.is_valid_full(p.fields["nir15"]) for p in people)
    assert len({p.fields["nir15"] for p in people}) == len(people)
    assert len({f.fields["email"] for f in families}) == 200
    assert any(f.dependents for f in families) and any(not f.dependents for f in families)


def test_generated_children_are_at_least_sixteen_years_younger_than_their_holder():
    families = list(generate_families(count=200, seed=3))

    for family in families:
        adult_at = family.fields["birth_date"] + dt.timedelta(days=16 * 365)
        assert all(c.fields["birth_date"] >= adult_at for c in family.dependents)


@pytest.mark.django_db
def test_bulk_register_writes_holders_dependants_and_their_links():
    fund = FundFactory()
    families = list(generate_families(count=30, seed=11))
    expected_children = sum(len(f.dependents) for f in families)

    holders = bulk_register(fund=fund, families=families)

    assert len(holders) == 30 and all(h.pk for h in holders)
    assert InsuredPerson.objects.filter(fund=fund).count() == 30 + expected_children
    assert Dependent.objects.filter(relationship=Relationship.CHILD).count() == expected_children
    for holder, family in zip(holders, families, strict=True):
        children = family_of(holder=holder)[1:]
        assert sorted(c.nir + c.nir_key for c in children) == sorted(
            d.fields["nir15"] for d in family.dependents
        )
    stored = InsuredPerson.objects.get(pk=holders[0].pk)
    assert stored.nir + stored.nir_key == families[0].fields["nir15"]
    assert stored.iban == families[0].fields["iban"]
