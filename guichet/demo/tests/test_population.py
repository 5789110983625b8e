import datetime as dt
import io

import pytest
from django.core.management import call_command

from guichet.core import nir as nir_rules
from guichet.core.actors import SYSTEM
from guichet.core.models import AuditEvent
from guichet.core.templatetags.guichet import date_fr, time_fr
from guichet.demo import population
from guichet.documents.services import issue_entitlement_certificate
from guichet.documents.tests.helpers import read
from guichet.identity.enums import AccountStatus
from guichet.identity.models import Account
from guichet.insured.enums import PatientShareExemptionKind
from guichet.insured.models import Dependent, InsuredPerson, PatientShareExemption
from guichet.insured.selectors import family_of

pytestmark = pytest.mark.django_db


def load_demo(*args: str) -> str:
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def loaded():
    load_demo()


def person(nir15: str) -> InsuredPerson:
    return InsuredPerson.objects.select_related("fund").get(nir=nir_rules.normalize(nir15)[:13])


def test_every_persona_is_in_the_registry_with_a_valid_nir(loaded):
    personas = population.all_personas()

    stored = {p.nir + p.nir_key for p in InsuredPerson.objects.all()}

    assert stored == {p.nir15 for p in personas}
    assert all(nir_rules.is_valid_full(nir15) for nir15 in stored)


def test_renaldo_zovi_has_his_three_children_his_doctor_and_his_fund(loaded):
    renaldo = person("1 74 11 71 270 102 58")

    family = family_of(holder=renaldo)

    assert [p.first_names for p in family] == ["Renaldo", "Noémie", "Serena", "Batiste"]
    assert renaldo.referring_doctor_name == "PRUDHON PHILIPPE"
    assert date_fr(renaldo.referring_doctor_declared_on) == "24/04/2008"
    assert renaldo.fund.code_display == "01 011 1411"
    assert renaldo.fund.name == "CPAM de l'Ain"


def test_members_with_an_account_log_in_with_the_demo_code(loaded):
    for persona in population.PERSONAS:
        account = Account.objects.filter(identifier=persona.nir15[:13]).first()
        if persona.account:
            assert account.status == AccountStatus.ACTIVE
            assert account.check_password("Guichet-2026"), persona.birth_name
            assert account.insured_person.email_verified_at is not None
        else:
            assert account is None, persona.birth_name


def test_dependants_have_no_account(loaded):
    dependants = Dependent.objects.values_list("person_id", flat=True)

    assert not Account.objects.filter(insured_person__in=dependants).exists()


def test_sarah_lambert_has_no_account_and_her_iban_on_file(loaded):
    sarah = person("2 82 02 95 046 199 15")

    assert (sarah.first_names, sarah.birth_name) == ("Sarah", "LAMBERT")
    assert not Account.objects.filter(insured_person=sarah).exists()
    iban = " ".join(sarah.iban[i : i + 4] for i in range(0, len(sarah.iban), 4))
    assert iban == "FR76 3000 6000 0112 3456 7890 189"


def test_youssef_karimi_is_covered_by_the_ame(loaded):
    youssef = InsuredPerson.objects.get(birth_name="KARIMI", first_names="Youssef")

    assert youssef.is_ame
    assert not Account.objects.filter(insured_person=youssef).exists()


def test_martine_bernard_is_in_ald_and_her_attestation_says_so_and_no_more(loaded):
    martine = person("2 68 04 01 054 166 57")
    [ald] = PatientShareExemption.objects.all()  # the demo's only one

    assert (ald.person, ald.kind, ald.start_on, ald.end_on) == (
        martine,
        PatientShareExemptionKind.LONG_TERM_ILLNESS,
        dt.date(2021, 3, 12),
        None,
    )
    issued = issue_entitlement_certificate(member=martine, beneficiary_id=None, actor=SYSTEM)
    pdf = read(issued.content)
    assert (
        "Exonération du ticket modérateur : affection de longue durée (ALD) depuis le 12/03/2021"
        in pdf
    )
    assert pdf.count("ticket modérateur") == 1


def test_lucas_moreau_rights_are_closed(loaded):
    lucas = InsuredPerson.objects.get(birth_name="MOREAU")

    assert not lucas.rights_open


def test_last_logins_are_the_seeds_paris_times(loaded):
    pierre = Account.objects.get(insured_person__birth_name="BELAGE")  # a summer-time date

    assert (date_fr(pierre.last_login), time_fr(pierre.last_login)) == ("02/10/2026", "09:41")


def test_last_login_in_winter_is_the_seeds_paris_time(loaded):
    marina = Account.objects.get(insured_person__birth_name="LATOURNERIE")

    assert (date_fr(marina.last_login), time_fr(marina.last_login)) == ("05/11/2024", "16:17")


def test_load_demo_twice_loads_once():
    first = load_demo()
    persons, accounts = InsuredPerson.objects.count(), Account.objects.count()

    second = load_demo()

    assert "Demo population loaded: 20 persons." in first
    assert "already loaded" in second
    assert (InsuredPerson.objects.count(), Account.objects.count()) == (persons, accounts)
    assert (persons, accounts) == (20, 8 + len(population.AGENTS))  # members, then agents


def test_load_demo_reset_puts_the_population_back_as_it_was(loaded):
    jessica = person("2 88 10 01 053 087 58")
    jessica.mobile_phone = "+33700000000"
    jessica.save()
    journal = AuditEvent.objects.count()

    output = load_demo("--reset")

    assert "Demo population removed (20 persons)." in output
    assert "Demo population loaded: 20 persons." in output
    restored = person("2 88 10 01 053 087 58")
    assert restored.pk != jessica.pk
    assert restored.mobile_phone == "+33606060606"
    assert Account.objects.get(insured_person=restored).check_password("Guichet-2026")
    assert (InsuredPerson.objects.count(), Account.objects.members().count()) == (20, 8)
    assert AuditEvent.objects.count() > journal  # the journal keeps the old lines and adds new


def test_load_demo_reset_also_removes_an_account_created_during_the_demo(loaded):
    sarah = person("2 82 02 95 046 199 15")
    Account.objects.create(identifier=sarah.nir, insured_person=sarah)

    load_demo("--reset")

    assert not Account.objects.filter(insured_person__birth_name="LAMBERT").exists()


def test_demo_has_seed_003s_overlaps_and_the_two_excluded_cases():
    from guichet.complementary import selectors as complementary
    from guichet.complementary.enums import Exclusion

    population.load()
    situations = {
        nir: complementary.situation_of(holder=InsuredPerson.objects.get(nir=nir))
        for nir in ("1741171270102", "2680401054166", "1770901054261")
    }
    renaldo = situations["1741171270102"]
    assert renaldo.may_choose and len(renaldo.overlaps) == 4
    assert [c.insurer.name for c in renaldo.overlaps[0].contracts] == [
        "LES MUTUELLES DE L'AIN 2",
        "LA BALOISE ASSURANCES",
    ]
    assert situations["2680401054166"].exclusion == Exclusion.SOLIDARITY
    assert situations["1770901054261"].exclusion == Exclusion.TOO_MANY


def test_martine_bernards_registry_says_the_css_her_contracts_show():
    """One story for agents: the CSS contract of her overlap is in the registry's rights too,
    current whenever the demo is loaded (granted each 1 June for a year)."""
    from guichet.demo.population import _css_period_end

    population.load()
    martine = InsuredPerson.objects.get(nir="2680401054166")

    assert martine.has_css
    assert _css_period_end(dt.date(2026, 11, 22)) == dt.date(2027, 5, 31)
    assert _css_period_end(dt.date(2027, 5, 31)) == dt.date(2027, 5, 31)
    assert _css_period_end(dt.date(2027, 6, 1)) == dt.date(2028, 5, 31)
