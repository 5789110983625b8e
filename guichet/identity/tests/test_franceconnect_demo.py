"""The FranceConnect sandbox's test identities against Guichet's demo population: each demo
member can try FranceConnect, and the hard cases (nobody, two people) are there to try too."""

import io

import pytest
from django.core.management import call_command

from guichet.core.actors import SYSTEM
from guichet.demo import population
from guichet.demo.management.commands.demo_logins import FRANCECONNECT_TRIES
from guichet.identity import services
from guichet.identity.franceconnect.pivot import PivotIdentity, find_persons
from sandboxes.franceconnect.identities import IDENTITIES

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    population.load()


def pivot(identity) -> PivotIdentity:
    return PivotIdentity.from_claims({"sub": identity.sub("guichet"), **identity.claims()})


def test_every_demo_member_has_a_test_identity_that_finds_them(loaded):
    found = {
        identity.key: [person.nir for person in find_persons(pivot(identity))]
        for identity in IDENTITIES
    }
    for persona in population.PERSONAS:
        nir13 = persona.nir15[:13]
        assert any(nir13 in nirs for nirs in found.values()), (
            f"no test identity for {persona.first_names} {persona.birth_name}"
        )


@pytest.mark.parametrize(
    ("key", "kind"),
    [
        ("renaldo", services.MatchKind.ACCOUNT),
        ("martine", services.MatchKind.ACCOUNT),
        ("karim", services.MatchKind.ACCOUNT),
        ("paul", services.MatchKind.ACCOUNT),
        ("sarah", services.MatchKind.CREATE),
        ("youssef", services.MatchKind.REFUSED),
        ("noemie", services.MatchKind.REFUSED),
        ("camille", services.MatchKind.SEVERAL),
        ("jean", services.MatchKind.NONE),
    ],
)
def test_the_test_identities_lead_where_the_sandbox_says(loaded, key, kind):
    identity = next(identity for identity in IDENTITIES if identity.key == key)
    assert services.match_identity(identity=pivot(identity), actor=SYSTEM).kind == kind


def test_make_run_says_how_to_try_franceconnect_with_identities_the_sandbox_has(settings):
    settings.FC_DISCOVERY_URL = "http://127.0.0.1:8001/api/v2/.well-known/openid-configuration"
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    printed = out.getvalue()
    assert "FranceConnect sandbox (http://127.0.0.1:8001/)" in printed
    names = {identity.display_name for identity in IDENTITIES}
    for name, outcome in FRANCECONNECT_TRIES:
        assert name in names and f"{name:<22} {outcome}" in printed
