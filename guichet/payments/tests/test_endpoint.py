"""POST /flux/<feed>/: the fund's systems, authenticated by a hashed token."""

import pytest
from django.urls import reverse

from guichet.core.actors import SYSTEM
from guichet.insured.tests.factories import InsuredPersonFactory
from guichet.payments import services
from guichet.payments.models import FeedClient, ImportBatch, Payment
from guichet.payments.tests.factories import gp_and_pharmacy, jsonl

pytestmark = pytest.mark.django_db


@pytest.fixture
def token():
    _, token = services.create_feed_client(name="liquidation-ouest", actor=SYSTEM)
    return token


def post(client, body: bytes, token: str | None, feed: str = "payments"):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.post(
        reverse("payments:feed", args=[feed]), body, content_type="application/x-ndjson", **headers
    )


def test_only_the_tokens_hash_is_stored(token):
    client = FeedClient.objects.get()
    assert token not in (client.token_hash, client.token_prefix + "x")
    assert client.token_hash == services.hash_token(token)


def test_a_valid_file_is_applied_and_reported_as_json(client, token):
    holder = InsuredPersonFactory()
    response = post(client, jsonl(gp_and_pharmacy(holder)), token)
    assert response.status_code == 200
    assert response.json() | {"batch": None} == {
        "feed": "payments", "status": "applied", "lines": 2, "created": 2, "updated": 0, "unchanged": 0,
        "error_count": 0, "errors": [], "batch": None,
    }  # fmt: skip
    assert Payment.objects.filter(member=holder).count() == 2
    assert ImportBatch.objects.get().client.name == "liquidation-ouest"


def test_a_bad_file_answers_422_with_its_errors_and_writes_nothing(client, token):
    response = post(client, b'{"external_id": "x"}\n', token)
    assert response.status_code == 422
    assert response.json()["status"] == "rejected"
    assert {"line": 1, "field": "kind", "reason": "champ obligatoire manquant"} in response.json()[
        "errors"
    ]
    assert Payment.objects.count() == 0


@pytest.mark.parametrize("header", [None, "Bearer wrong", "Basic abc"])
def test_no_token_or_a_wrong_one_is_refused(client, token, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.post(
        reverse("payments:feed", args=["payments"]),
        b"{}",
        content_type="application/x-ndjson",
        **extra,
    )
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_is_refused(client, token):
    services.revoke_feed_client(client=FeedClient.objects.get(), actor=SYSTEM)
    assert post(client, b"{}", token).status_code == 401


def test_an_unknown_feed_answers_404(client, token):
    assert post(client, b"{}", token, feed="debts").status_code == 404


def test_a_file_over_the_limit_answers_413(client, token, settings):
    settings.GUICHET_FEED_MAX_BYTES = 10
    assert post(client, b'{"a": "more than ten bytes"}\n', token).status_code == 413


def test_a_get_is_not_allowed(client):
    assert client.get(reverse("payments:feed", args=["payments"])).status_code == 405
