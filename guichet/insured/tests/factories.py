import datetime as dt
import random

import factory

from guichet.core import nir as nir_rules
from guichet.insured.enums import PatientShareExemptionKind, Regime, Relationship, Sex
from guichet.insured.models import Agency, Dependent, Fund, InsuredPerson, PatientShareExemption
from guichet.insured.synthetic import make_iban, make_nir

_rng = random.Random(7)


class FundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fund
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"01{n % 1000:03d}1411")
    name = factory.Sequence(lambda n: f"CPAM numéro {n}")
    postal_code = "01000"
    city = "BOURG-EN-BRESSE"
    phone = "3646"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    fund = factory.SubFactory(FundFactory)
    name = factory.Sequence(lambda n: f"Agence numéro {n}")
    address = "46 Rue Aristide Briand"
    postal_code = "01500"
    city = "AMBERIEU-EN-BUGEY"
    phone = "3646"
    opening_hours = "Du lundi au vendredi, de 8h30 à 12h30."


class InsuredPersonFactory(factory.django.DjangoModelFactory):
    """A valid assuré; traits: ame, rights_closed, with_css; `with_dependents=N` attaches N children."""

    class Meta:
        model = InsuredPerson
        exclude = ("nir15",)
        skip_postgeneration_save = True

    class Params:
        ame = factory.Trait(regime=Regime.AME)
        rights_closed = factory.Trait(
            rights_closed_on=factory.LazyFunction(lambda: dt.date.today() - dt.timedelta(days=30))
        )
        with_css = factory.Trait(
            css="free",
            css_until=factory.LazyFunction(lambda: dt.date.today() + dt.timedelta(days=200)),
        )

    fund = factory.SubFactory(FundFactory)
    sex = factory.Iterator([Sex.FEMALE, Sex.MALE])
    birth_date = factory.Faker("date_of_birth", minimum_age=20, maximum_age=80)
    nir15 = factory.LazyAttributeSequence(
        lambda o, n: make_nir(
            sex=o.sex, birth_date=o.birth_date, department="01", serial=500_000 + n
        )
    )
    nir = factory.LazyAttribute(lambda o: o.nir15[:13])
    nir_key = factory.LazyAttribute(lambda o: o.nir15[13:])
    birth_name = factory.Faker("last_name", locale="fr_FR")
    first_names = factory.Faker("first_name", locale="fr_FR")
    address_line2 = "8 CHEMIN DES VIGNES"
    postal_code = "01500"
    city = "AMBERIEU-EN-BUGEY"
    email = factory.Sequence(lambda n: f"assure{n}@example.org")
    rights_opened_on = dt.date(2000, 1, 1)
    iban = factory.LazyFunction(lambda: make_iban(_rng)[0])
    bic = "BNPAFRPP"

    @factory.post_generation
    def with_dependents(self, create, count, **kwargs):
        for index in range(count or 0):
            child = InsuredPersonFactory(
                fund=self.fund,
                birth_date=dt.date(2010 + index, 1 + index, 15),
                birth_name=self.birth_name,
                email="",
                iban="",
                rights_opened_on=dt.date(2010 + index, 1 + index, 15),
            )
            Dependent.objects.create(
                holder=self,
                person=child,
                relationship=Relationship.CHILD,
                attached_on=child.birth_date,
            )


def nir15_of(person: InsuredPerson) -> str:
    return person.nir + person.nir_key


def formatted_nir(person: InsuredPerson) -> str:
    return nir_rules.format_nir(person.nir)


class PatientShareExemptionFactory(factory.django.DjangoModelFactory):
    """An exonération du ticket modérateur, an ALD since 12/03/2021 with no end by default;
    trait: ended (on 11/03/2024)."""

    class Meta:
        model = PatientShareExemption

    class Params:
        ended = factory.Trait(end_on=dt.date(2024, 3, 11))

    person = factory.SubFactory(InsuredPersonFactory)
    kind = PatientShareExemptionKind.LONG_TERM_ILLNESS
    start_on = dt.date(2021, 3, 12)
    end_on = None
