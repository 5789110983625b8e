import datetime as dt

import pytest

from guichet.insured.enums import Relationship
from guichet.insured.models import Dependent, InsuredPerson
from guichet.insured.selectors import (
    dependents_of,
    email_is_free,
    family_of,
    find_for_account_creation,
    is_attached_dependent,
)
from guichet.insured.services import issue_european_card, issue_vitale_card
from guichet.insured.tests.factories import InsuredPersonFactory

pytestmark = pytest.mark.django_db


def attach(holder, person, *, detached_on=None) -> Dependent:
    return Dependent.objects.create(
        holder=holder,
        person=person,
        relationship=Relationship.CHILD,
        attached_on=person.birth_date,
        detached_on=detached_on,
    )


def child(holder, birth_date: dt.date, **fields) -> InsuredPerson:
    person = InsuredPersonFactory(
        fund=holder.fund, birth_date=birth_date, email="", rights_opened_on=birth_date, **fields
    )
    attach(holder, person)
    return person


def test_family_of_lists_the_holder_first_then_dependants_from_the_eldest():
    holder = InsuredPersonFactory(birth_date=dt.date(1974, 11, 22))
    batiste = child(holder, dt.date(2008, 8, 29))
    noemie = child(holder, dt.date(2002, 5, 18))
    serena = child(holder, dt.date(2005, 10, 10))

    assert family_of(holder=holder) == [holder, noemie, serena, batiste]


def test_family_of_leaves_out_detached_dependants_and_other_families():
    holder = InsuredPersonFactory()
    attached = child(holder, dt.date(2010, 1, 1))
    grown_up = InsuredPersonFactory(birth_date=dt.date(2000, 1, 1))
    attach(holder, grown_up, detached_on=dt.date(2024, 1, 1))
    InsuredPersonFactory(with_dependents=2)

    assert family_of(holder=holder) == [holder, attached]


def test_family_of_a_child_attached_to_both_parents_appears_in_each_family():
    mother, father = InsuredPersonFactory(), InsuredPersonFactory()
    both = child(mother, dt.date(2012, 3, 4))
    attach(father, both)

    assert family_of(holder=mother)[1:] == family_of(holder=father)[1:] == [both]


@pytest.mark.parametrize("dependents", [0, 1, 4])
def test_family_of_costs_three_queries_whatever_the_family_size(
    django_assert_num_queries, dependents
):
    holder = InsuredPersonFactory(with_dependents=dependents)
    for person in [holder, *(d.person for d in holder.dependents.all())]:
        issue_vitale_card(person=person, serial_number="1", issued_on=dt.date(2020, 1, 15))
        issue_european_card(person=person, card_number="8025", issued_on=dt.date(2025, 6, 1))

    with django_assert_num_queries(3):
        family = family_of(holder=holder)
        seen = [
            (p.fund.name, list(p.vitale_cards.all()), list(p.european_cards.all())) for p in family
        ]

    assert len(seen) == 1 + dependents
    assert all(len(vitale) == len(european) == 1 for _, vitale, european in seen)


def test_family_of_lists_cards_newest_first():
    holder = InsuredPersonFactory()
    old = issue_vitale_card(person=holder, serial_number="1", issued_on=dt.date(2010, 1, 1))
    new = issue_vitale_card(person=holder, serial_number="2", issued_on=dt.date(2020, 1, 1))

    assert list(family_of(holder=holder)[0].vitale_cards.all()) == [new, old]


def test_dependents_of_lists_the_attached_ayants_droit_eldest_first_in_one_query(
    django_assert_num_queries,
):
    holder = InsuredPersonFactory(birth_date=dt.date(1974, 11, 22))
    batiste = child(holder, dt.date(2008, 8, 29))
    noemie = child(holder, dt.date(2002, 5, 18))
    attach(holder, InsuredPersonFactory(fund=holder.fund), detached_on=dt.date(2024, 1, 1))
    child(InsuredPersonFactory(fund=holder.fund), dt.date(2005, 1, 1))  # another family's

    with django_assert_num_queries(1):
        persons = [link.person for link in dependents_of(holder=holder)]

    assert persons == [noemie, batiste]


def test_holders_are_those_not_attached_today():
    holder = InsuredPersonFactory()
    attached = child(holder, dt.date(2010, 1, 1))
    detached = InsuredPersonFactory()
    attach(holder, detached, detached_on=dt.date(2024, 1, 1))

    holders = InsuredPerson.objects.holders()

    assert set(holders) == {holder, detached}
    assert is_attached_dependent(person=attached)
    assert not is_attached_dependent(person=detached)


def test_email_is_free_compares_without_case_or_spaces():
    InsuredPersonFactory(email="renaldo.zovi@example.org")

    assert not email_is_free(email="  Renaldo.ZOVI@Example.ORG ")
    assert email_is_free(email="renaldo.zovi@example.com")


def test_email_is_free_for_the_person_who_already_holds_it():
    person = InsuredPersonFactory(email="renaldo.zovi@example.org")

    assert email_is_free(email="RENALDO.ZOVI@example.org", except_person=person)
    assert not email_is_free(email="renaldo.zovi@example.org", except_person=InsuredPersonFactory())


def test_find_for_account_creation_by_nir():
    person = InsuredPersonFactory()

    assert find_for_account_creation(nir13=person.nir) == person
    assert find_for_account_creation(nir13="1741171270102") is None
