import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from guichet.core.actors import ActorKind
from guichet.core.http import actor_of, client_ip
from guichet.identity.tests.factories import AccountFactory


@pytest.fixture
def proxied_request():
    # The client wrote a fake address first; our two proxies appended what they saw.
    return RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7, 10.0.0.1"
    )


def test_client_ip_behind_two_trusted_proxies_is_the_second_address_from_the_right(
    settings, proxied_request
):
    settings.GUICHET_TRUSTED_PROXIES = 2
    assert client_ip(proxied_request) == "203.0.113.7"


def test_client_ip_cannot_be_spoofed_by_what_the_client_writes_first(settings, proxied_request):
    settings.GUICHET_TRUSTED_PROXIES = 1
    assert client_ip(proxied_request) == "10.0.0.1"


def test_client_ip_ignores_forwarded_addresses_unless_proxies_are_trusted(proxied_request):
    assert client_ip(proxied_request) == "10.0.0.2"


def test_client_ip_falls_back_to_the_peer_when_the_header_is_missing(settings):
    settings.GUICHET_TRUSTED_PROXIES = 1
    assert client_ip(RequestFactory().get("/", REMOTE_ADDR="10.0.0.2")) == "10.0.0.2"


def test_client_ip_never_exceeds_the_journal_column(settings):
    settings.GUICHET_TRUSTED_PROXIES = 1
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="x" * 200)
    assert len(client_ip(request)) == 45


def test_actor_of_an_anonymous_request_carries_the_ip():
    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.1")
    request.user = AnonymousUser()

    actor = actor_of(request)

    assert (actor.kind, actor.id, actor.ip) == (ActorKind.ANONYMOUS, "", "198.51.100.1")


@pytest.mark.django_db
def test_actor_of_a_member_request_names_the_account():
    account = AccountFactory()
    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.1")
    request.user = account

    actor = actor_of(request)

    assert (actor.kind, actor.id, actor.ip) == (ActorKind.MEMBER, str(account.pk), "198.51.100.1")


def test_client_ip_with_fewer_forwarded_addresses_than_proxies_is_the_peer(settings):
    settings.GUICHET_TRUSTED_PROXIES = 3
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 10.0.0.1"
    )
    assert client_ip(request) == "10.0.0.2"
