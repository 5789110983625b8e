"""The identité pivot: read from FranceConnect's claims, and matched to the registry by the NIR."""

import datetime as dt

import pytest

from guichet.core.actors import SYSTEM
from guichet.core.models import AuditEvent
from guichet.identity import services
from guichet.identity.franceconnect.errors import Failure, FranceConnectError
from guichet.identity.franceconnect.pivot import PivotIdentity, find_persons
from guichet.identity.models import Account
from guichet.identity.tests.factories import AccountFactory
from guichet.identity.tests.fake_franceconnect import RENALDO
from guichet.insured.enums import Sex
from guichet.insured.tests.factories import InsuredPersonFactory
from guichet.messaging.models import OutboundEmail


def pivot(**claims) -> PivotIdentity:
    return PivotIdentity.from_claims({"sub": "s" * 66, **RENALDO, **claims})


def test_the_nir_prefix_of_a_birth_in_france_ends_with_the_commune():
    assert pivot().nir_prefix == "1741171270"


def test_the_nir_prefix_of_a_birth_in_corsica_keeps_its_letter():
    assert pivot(birthplace="2a004").nir_prefix == "174112A004"


def test_the_nir_prefix_of_a_birth_abroad_is_99_and_the_country():
    identity = pivot(gender="female", birthplace="", birthcountry="99350")
    assert identity.nir_prefix == "2741199350"


@pytest.mark.parametrize(
    ("claims", "detail"),
    [
        ({"gender": "autre"}, "gender"),
        ({"birthdate": "22/11/1974"}, "birthdate"),
        ({"birthcountry": "FR"}, "birthcountry"),
        ({"birthplace": ""}, "birthplace"),
        ({"given_name": ""}, "claim given_name missing"),
        ({"given_name": 42}, "claim given_name missing"),
        ({"sub": None}, "claim sub missing"),
    ],
)
def test_a_malformed_identity_is_refused(claims, detail):
    with pytest.raises(FranceConnectError) as caught:
        pivot(**claims)
    assert caught.value.failure == Failure.INVALID_IDENTITY and caught.value.detail == detail


@pytest.mark.django_db
class TestMatching:
    @pytest.fixture
    def person(self):
        return InsuredPersonFactory(
            nir="1741171270102", nir_key="58", sex=Sex.MALE, birth_date=dt.date(1974, 11, 22),
            birth_name="ZOVI", first_names="Renaldo Jean-Marc",
        )  # fmt: skip

    @pytest.mark.parametrize(
        ("family", "given"),
        [
            ("ZOVI", "Renaldo"),
            ("Zovi", "RENALDO JEAN-MARC"),
            ("ZÔVI", "Rénaldo Jean Marc Louis"),
            ("ZO-VI", "renaldo jean-marc"),
        ],
    )
    def test_names_agree_whatever_the_accents_case_hyphens_and_extra_given_names(
        self, person, family, given
    ):
        assert find_persons(pivot(family_name=family, given_name=given)) == [person]

    @pytest.mark.parametrize(
        "claims",
        [
            {"family_name": "ZOVIE"},
            {"family_name": ""},
            {"given_name": "Jean-Marc Renaldo"},
            {"given_name": "Renaldo Pierre"},
            {"birthdate": "1974-11-23"},
            {"birthplace": "71271"},
            {"gender": "female"},
        ],
    )
    def test_any_difference_finds_nobody(self, person, claims):
        assert find_persons(pivot(**claims)) == []

    def test_an_active_account_logs_in(self, person):
        account = AccountFactory(insured_person=person)
        match = services.match_identity(identity=pivot(), actor=SYSTEM)
        assert match.kind == services.MatchKind.ACCOUNT and match.account == account

    def test_a_provisional_account_may_be_created_again(self, person):
        AccountFactory(insured_person=person, provisional=True)
        match = services.match_identity(identity=pivot(), actor=SYSTEM)
        assert match.kind == services.MatchKind.CREATE
        assert AuditEvent.objects.filter(
            action="franceconnect.signup_offered", person_id=person.pk
        ).exists()


@pytest.mark.django_db
def test_create_account_opens_an_active_account_journals_it_and_emails_the_member():
    person = InsuredPersonFactory(email="")
    created = services.create_account(person=person, email="Moi@Example.org", actor=SYSTEM)
    account = created.account
    assert account.status == "active" and not account.has_usable_password()
    person.refresh_from_db()
    # FranceConnect proved the person, not the address (protocols.md §1.3): a code proves it.
    assert person.email == "moi@example.org" and person.email_verified_at is None
    assert created.email_challenge.email == "moi@example.org"
    assert created.email_challenge.purpose == "email_change"  # the e-mail change's own proof
    actions = set(AuditEvent.objects.filter(person_id=person.pk).values_list("action", flat=True))
    assert {
        "account.created",
        "account.active",
        "insured.email_changed",
        "email_code.sent.email_change",
    } <= actions
    welcome = OutboundEmail.objects.get(
        person_id=person.pk, template="account_created_franceconnect"
    )
    assert "S'identifier avec FranceConnect" in welcome.body
    code = OutboundEmail.objects.get(person_id=person.pk, template="email_change_code")
    assert code.to == "moi@example.org"


@pytest.mark.django_db
def test_create_account_reopens_a_closed_account():
    account = AccountFactory(status="closed")
    services.create_account(person=account.insured_person, email="neuf@example.org", actor=SYSTEM)
    account.refresh_from_db()
    assert account.status == "active" and account.closed_at is None
    assert account.insured_person.email_verified_at is None  # until its code is typed


@pytest.mark.django_db
def test_create_account_follows_the_same_eligibility_rules_as_with_the_nir():
    person = InsuredPersonFactory(ame=True)
    with pytest.raises(services.CreationRefused) as refused:
        services.create_account(person=person, email="a@example.org", actor=SYSTEM)
    assert refused.value.reason == "ame"
    assert not Account.objects.exists()


@pytest.mark.django_db
def test_a_state_is_used_once_and_not_after_its_ten_minutes():
    row = services.begin_round_trip(purpose="login", actor=SYSTEM)
    assert services.use_state(state=row.state, purpose="logout") is None
    assert services.use_state(state=row.state, purpose="login") == row
    assert services.use_state(state=row.state, purpose="login") is None
    late = services.begin_round_trip(purpose="login", actor=SYSTEM)
    later = late.created_at + dt.timedelta(minutes=10, seconds=1)
    assert services.use_state(state=late.state, purpose="login", now=later) is None


@pytest.mark.django_db
def test_round_trips_older_than_a_day_are_purged():
    old = services.begin_round_trip(purpose="login", actor=SYSTEM)
    fresh = services.begin_round_trip(purpose="logout", actor=SYSTEM)
    assert (
        services.purge_stale_round_trips(now=old.created_at + dt.timedelta(days=1, seconds=1)) == 2
    )
    assert services.purge_stale_round_trips(now=fresh.created_at) == 0
