import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from guichet.core.actors import SYSTEM, Actor
from guichet.core.models import AuditEvent
from guichet.insured import services
from guichet.insured.enums import Relationship, Sex
from guichet.insured.models import Agency, Dependent, EuropeanCard, Fund, InsuredPerson
from guichet.insured.services import RegistryError, register_person
from guichet.insured.tests.factories import FundFactory, InsuredPersonFactory

pytestmark = pytest.mark.django_db

MEMBER = Actor.member(1, ip="203.0.113.7")


def journal(person: InsuredPerson, action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(person_id=person.pk, action=action))


def register(**fields) -> InsuredPerson:
    values = {
        "fund": FundFactory(),
        "nir15": "1 74 11 71 270 102 58",
        "sex": Sex.MALE,
        "birth_date": dt.date(1974, 11, 22),
        "birth_name": "ZOVI",
        "first_names": "Renaldo",
        "rights_opened_on": dt.date(1994, 9, 1),
        "actor": SYSTEM,
    }
    return register_person(**(values | fields))


# --- Registration ----------------------------------------------------------------------------------


def test_register_person_stores_the_nir_its_key_and_normalised_bank_details():
    person = register(
        nir15="1 74 11 71 270 102 58",
        iban="FR29 3000 4008 1000 0123 4567 890",
        bic="BNPAFRPP",
        email=" Renaldo.Zovi@Example.org ",
    )

    person.refresh_from_db()
    assert (person.nir, person.nir_key) == ("1741171270102", "58")
    assert person.iban == "FR2930004008100001234567890"
    assert person.email == "renaldo.zovi@example.org"


def test_register_person_writes_an_audit_row():
    person = register()

    [row] = journal(person, "insured.registered")
    assert (row.actor_kind, row.actor_id) == ("system", "system")
    assert (row.target_type, row.target_id) == ("insured.insuredperson", str(person.pk))


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"nir15": "1 74 11 71 270 102 59"}, "NIR invalide"),
        ({"nir15": "1 74 11 71 270 102"}, "NIR invalide"),
        ({"nir15": "3 74 11 71 270 102 55"}, "NIR invalide"),
        ({"iban": "FR29 3000 4008 1000 0123 4567 891"}, "IBAN invalide"),
        ({"iban": "FR2930004"}, "IBAN invalide"),
        ({"bic": "NOTABIC!"}, "BIC invalide"),
    ],
)
def test_register_person_refuses_an_invalid_nir_iban_or_bic(fields, reason):
    with pytest.raises(RegistryError, match=reason):
        register(**fields)

    assert not InsuredPerson.objects.exists()
    assert not AuditEvent.objects.filter(action="insured.registered", person_id__isnull=False)


def test_register_person_stores_the_bic_compact_and_upper_case():
    person = register(bic="bnpa frpp")

    assert person.bic == "BNPAFRPP"


def test_register_fund_creates_then_updates_by_code():
    first = services.register_fund(code="010111411", name="CPAM de l'Ain")
    again = services.register_fund(code="010111411", name="CPAM de l'Ain", phone="3646")

    assert first.pk == again.pk
    assert Fund.objects.get(code="010111411").phone == "3646"


def test_attach_dependent_links_and_journals_under_the_holder():
    holder, person = InsuredPersonFactory(), InsuredPersonFactory(email="")

    dependent = services.attach_dependent(
        holder=holder,
        person=person,
        relationship=Relationship.CHILD,
        attached_on=dt.date(2010, 1, 1),
        actor=SYSTEM,
    )

    assert Dependent.objects.get(holder=holder, person=person) == dependent
    [row] = journal(holder, "insured.dependent_attached")
    assert (row.target_type, row.target_id) == ("insured.dependent", str(dependent.pk))


def test_european_card_is_valid_two_years_from_its_issue():
    card = services.issue_european_card(
        person=InsuredPersonFactory(), card_number="80250001", issued_on=dt.date(2025, 6, 1)
    )

    assert card.valid_until == dt.date(2027, 5, 31)


def test_european_card_issued_on_29_february_is_valid_two_years():
    card = services.issue_european_card(
        person=InsuredPersonFactory(), card_number="80250001", issued_on=dt.date(2024, 2, 29)
    )

    assert card.valid_until == dt.date(2026, 2, 28)


def test_remove_persons_takes_families_out_but_keeps_their_journal():
    holder = InsuredPersonFactory(with_dependents=2)
    children = [d.person for d in holder.dependents.all()]
    services.mark_email_verified(person=holder, actor=SYSTEM)
    kept = InsuredPersonFactory()

    removed = services.remove_persons(nirs=[holder.nir, *(c.nir for c in children)])

    assert removed == 3
    assert list(InsuredPerson.objects.all()) == [kept]
    assert not Dependent.objects.exists()
    assert journal(holder, "insured.email_verified")


# --- Contact details a member may change -----------------------------------------------------------


def test_update_phones_saves_and_journals_only_the_changed_number():
    person = InsuredPersonFactory(mobile_phone="+33612345678", landline_phone="")

    services.update_phones(
        person=person, mobile_phone="+33612345678", landline_phone="+33123456789", actor=MEMBER
    )

    person.refresh_from_db()
    assert (person.mobile_phone, person.landline_phone) == ("+33612345678", "+33123456789")
    [row] = journal(person, "insured.phones_changed")
    assert row.details == {"fields": ["landline_phone"]}
    assert (row.actor_id, row.ip) == ("1", "203.0.113.7")


def test_update_phones_without_change_writes_nothing():
    person = InsuredPersonFactory(mobile_phone="+33612345678", landline_phone="")
    updated_at = person.updated_at

    services.update_phones(
        person=person, mobile_phone="+33612345678", landline_phone="", actor=MEMBER
    )

    person.refresh_from_db()
    assert person.updated_at == updated_at
    assert journal(person, "insured.phones_changed") == []


def test_update_phones_removes_a_number():
    person = InsuredPersonFactory(mobile_phone="+33612345678", landline_phone="+33123456789")

    services.update_phones(person=person, mobile_phone="", landline_phone="", actor=MEMBER)

    person.refresh_from_db()
    assert (person.mobile_phone, person.landline_phone) == ("", "")
    [row] = journal(person, "insured.phones_changed")
    assert row.details == {"fields": ["mobile_phone", "landline_phone"]}


def test_update_contact_permissions_saves_and_journals_a_change():
    person = InsuredPersonFactory(mobile_phone="+33612345678")

    services.update_contact_permissions(person=person, by_email=False, by_sms=True, actor=MEMBER)

    person.refresh_from_db()
    assert (person.contact_by_email, person.contact_by_sms) == (False, True)
    [row] = journal(person, "insured.contact_permissions_changed")
    assert row.details == {"by_email": False, "by_sms": True}


def test_update_contact_permissions_without_change_writes_nothing():
    person = InsuredPersonFactory(contact_by_email=True, contact_by_sms=False)

    services.update_contact_permissions(person=person, by_email=True, by_sms=False, actor=MEMBER)

    assert journal(person, "insured.contact_permissions_changed") == []


def test_set_email_stores_it_lower_case_and_journals_whether_verified():
    person = InsuredPersonFactory()

    services.set_email(person=person, email=" Nouvelle@Example.org", verified=False, actor=MEMBER)

    person.refresh_from_db()
    assert (person.email, person.email_verified_at) == ("nouvelle@example.org", None)
    [row] = journal(person, "insured.email_changed")
    assert row.details == {"verified": False}


def test_mark_email_verified_journals_once():
    person = InsuredPersonFactory()

    services.mark_email_verified(person=person, actor=SYSTEM)
    services.mark_email_verified(person=person, actor=SYSTEM)

    person.refresh_from_db()
    assert person.email_verified_at is not None
    assert len(journal(person, "insured.email_verified")) == 1


# --- What the database itself refuses --------------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"nir": "3741171270102"},  # no sex 3
        {"nir": "17411712701"},  # too short
        {"nir": "174117127010A"},  # a letter out of the Corsican place
        {"nir_key": "5"},
        {"nir_key": "AB"},
    ],
)
def test_database_refuses_a_nir_of_bad_shape(fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        InsuredPersonFactory(**fields)


def test_database_accepts_a_corsican_nir():
    assert InsuredPersonFactory(nir="253072A073004", nir_key="43").pk


def test_database_refuses_the_same_email_in_another_case():
    InsuredPersonFactory(email="renaldo.zovi@example.org")

    with pytest.raises(IntegrityError), transaction.atomic():
        InsuredPersonFactory(email="Renaldo.Zovi@Example.org")


def test_database_allows_many_persons_without_email():
    InsuredPersonFactory(email="")
    InsuredPersonFactory(email="")

    assert InsuredPerson.objects.filter(email="").count() == 2


def test_database_refuses_rights_closed_before_they_opened():
    with pytest.raises(IntegrityError), transaction.atomic():
        InsuredPersonFactory(
            rights_opened_on=dt.date(2020, 1, 1), rights_closed_on=dt.date(2019, 12, 31)
        )


def test_database_refuses_a_person_attached_to_themself():
    person = InsuredPersonFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Dependent.objects.create(
            holder=person,
            person=person,
            relationship=Relationship.CHILD,
            attached_on=dt.date.today(),
        )


def test_database_refuses_a_fund_code_that_is_not_nine_digits():
    with pytest.raises(IntegrityError), transaction.atomic():
        Fund.objects.create(code="01 011 14", name="CPAM")


def test_database_refuses_a_european_card_expiring_before_its_issue():
    with pytest.raises(IntegrityError), transaction.atomic():
        EuropeanCard.objects.create(
            person=InsuredPersonFactory(),
            card_number="1",
            issued_on=dt.date(2025, 1, 1),
            valid_until=dt.date(2025, 1, 1),
        )


def test_update_fund_journals_each_change_with_its_before_and_after():
    from django.core.exceptions import ValidationError

    from guichet.core.actors import SYSTEM
    from guichet.insured.services import update_fund
    from guichet.insured.tests.factories import FundFactory

    fund = FundFactory(name="CPAM de l'Ain", phone="3646")
    update_fund(fund=fund, actor=SYSTEM, name="CPAM de l'Ain", phone="04 74 00 00 00")
    event = AuditEvent.objects.get(action="reference.fund.changed")
    assert event.details["changes"] == {"phone": ["3646", "04 74 00 00 00"]}
    update_fund(
        fund=fund, actor=SYSTEM, phone="04 74 00 00 00"
    )  # nothing changes, nothing journaled
    assert AuditEvent.objects.filter(action="reference.fund.changed").count() == 1
    with pytest.raises(ValidationError):
        update_fund(fund=fund, actor=SYSTEM, name="")
    with pytest.raises(ValueError):
        update_fund(fund=fund, actor=SYSTEM, code="999999999")


def test_an_agency_is_checked_by_its_service_and_the_database():
    fund = FundFactory()
    fields = {"name": "Agence de BELLEY", "address": "22 boulevard du Mail", "postal_code": "1300",
              "city": "BELLEY", "phone": "3646", "opening_hours": "Le mardi."}  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        services.add_agency(fund=fund, actor=SYSTEM, **fields)
    assert "postal_code" in refused.value.message_dict
    with pytest.raises(ValueError, match="Not editable"):
        services.add_agency(fund=fund, actor=SYSTEM, **fields, id=1)
    agency = services.add_agency(fund=fund, actor=SYSTEM, **{**fields, "postal_code": "01300"})
    with pytest.raises(ValueError, match="Not editable"):
        services.update_agency(agency=agency, actor=SYSTEM, fund=FundFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        Agency.objects.filter(pk=agency.pk).update(postal_code="1300")
