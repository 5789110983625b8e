"""The FranceConnect client against a provider forged in the test: every bad answer is refused."""

import time

import httpx
import pytest

from guichet.identity.franceconnect.errors import Failure, FranceConnectError
from guichet.identity.tests.fake_franceconnect import (
    CLIENT_ID,
    CLIENT_SECRET,
    ISSUER,
    NONCE,
    REDIRECT_URI,
    FakeFranceConnect,
    hs256_with_public_key,
    make_key,
    unsigned,
)

pytestmark = pytest.mark.django_db  # the discovery and the JWKS are cached in the database cache


@pytest.fixture
def fake():
    return FakeFranceConnect()


def round_trip(fake: FakeFranceConnect, **config):
    client = fake.client(**config)
    tokens = client.exchange_code(code="code-recu")
    claims = client.verify_id_token(tokens.id_token, nonce=NONCE)
    return client.fetch_userinfo(access_token=tokens.access_token, sub=claims["sub"])


def refused(fake: FakeFranceConnect, failure: Failure = Failure.INVALID_TOKEN, **config) -> str:
    with pytest.raises(FranceConnectError) as caught:
        round_trip(fake, **config)
    assert caught.value.failure == failure
    return caught.value.detail


def test_a_signed_id_token_and_userinfo_give_the_identite_pivot(fake):
    userinfo = round_trip(fake)
    assert userinfo["family_name"] == "ZOVI"
    assert userinfo["birthplace"] == "71270"
    assert fake.token_requests == [
        {
            "grant_type": "authorization_code",
            "code": "code-recu",
            "redirect_uri": REDIRECT_URI,
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
        }
    ]


def test_rs256_works_when_configured():
    assert round_trip(FakeFranceConnect(alg="RS256"))["given_name"] == "Renaldo"


def test_the_authorization_url_carries_what_franceconnect_v2_requires(fake):
    url = fake.client().authorization_url(state="s" * 64, nonce="n" * 64)
    assert url.startswith(f"{ISSUER}/authorize?response_type=code&client_id={CLIENT_ID}&")
    for part in ("acr_values=eidas1", f"state={'s' * 64}", f"nonce={'n' * 64}", "scope=openid+"):
        assert part in url


def test_discovery_and_keys_are_fetched_once_then_cached(fake):
    round_trip(fake)
    round_trip(fake)
    assert fake.calls["discovery"] == 1
    assert fake.calls["jwks"] == 1


def test_an_unknown_kid_refetches_the_jwks_once_then_is_refused(fake):
    round_trip(fake)  # the JWKS is now cached
    stranger = make_key(kid="cle-inconnue")
    fake.id_token = fake.sign(fake.claims(), key=stranger)
    assert "unknown kid" in refused(fake)
    assert fake.calls["jwks"] == 2


def test_a_rotated_key_is_found_by_refetching_the_jwks(fake):
    round_trip(fake)
    fake.key = make_key(kid="cle-2")
    fake.published = [fake.key]
    round_trip(fake)
    assert fake.calls["jwks"] == 2


def test_an_expired_id_token_is_refused(fake):
    fake.id_token = fake.sign(fake.claims(exp=int(time.time()) - 120))
    assert "expired" in refused(fake)


def test_a_token_just_expired_within_the_clock_skew_is_accepted(fake):
    fake.id_token = fake.sign(fake.claims(exp=int(time.time()) - 30))
    assert round_trip(fake)["family_name"] == "ZOVI"


def test_an_id_token_issued_in_the_future_beyond_the_skew_is_refused(fake):
    fake.id_token = fake.sign(fake.claims(iat=int(time.time()) + 600))
    assert "future" in refused(fake)


def test_an_id_token_without_dates_is_refused(fake):
    fake.id_token = fake.sign(fake.claims(exp=None))
    assert "exp is not a date" in refused(fake)


def test_another_audience_is_refused(fake):
    fake.id_token = fake.sign(fake.claims(aud="un-autre-service"))
    assert "audience" in refused(fake)


def test_another_issuer_is_refused(fake):
    fake.id_token = fake.sign(fake.claims(iss="https://faux.example.test/api/v2"))
    assert "issuer" in refused(fake)


def test_another_nonce_is_refused(fake):
    fake.id_token = fake.sign(fake.claims(nonce="f" * 64))
    assert refused(fake) == "nonce mismatch"


def test_an_acr_below_the_one_asked_is_refused(fake):
    assert "acr" in refused(fake, acr_values="eidas2")


def test_a_higher_acr_than_asked_is_accepted(fake):
    fake.id_token = fake.sign(fake.claims(acr="eidas2"))
    assert round_trip(fake)["family_name"] == "ZOVI"


def test_alg_none_is_refused(fake):
    fake.id_token = unsigned(fake.claims())
    assert "'none'" in refused(fake)


def test_hs256_keyed_with_the_public_key_is_refused(fake):
    fake.id_token = hs256_with_public_key(fake, fake.claims())
    assert "'HS256'" in refused(fake)


def test_a_tampered_payload_is_refused(fake):
    header, _payload, signature = fake.sign(fake.claims()).split(".")
    other = fake.sign(fake.claims(sub="b" * 64 + "v1")).split(".")[1]
    fake.id_token = f"{header}.{other}.{signature}"
    assert "signature" in refused(fake)


def test_an_es256_token_is_refused_when_rs256_is_expected():
    rsa = FakeFranceConnect(alg="RS256")
    ec = make_key("ES256", kid="cle-ec")
    rsa.published = [rsa.key, ec]
    rsa.id_token = rsa.sign(rsa.claims(), key=ec, header={"alg": "ES256", "kid": "cle-ec"})
    assert "'ES256'" in refused(rsa)


def test_a_key_of_the_wrong_type_under_the_expected_alg_is_refused():
    rsa = FakeFranceConnect(alg="RS256")
    ec = make_key("ES256", kid="cle-ec")
    rsa.published = [rsa.key, ec]
    rsa.id_token = rsa.sign(rsa.claims(), key=rsa.key, header={"alg": "RS256", "kid": "cle-ec"})
    assert "is EC" in refused(rsa)


def test_an_unsigned_json_userinfo_is_refused(fake):
    fake.userinfo = '{"sub": "x", "family_name": "ZOVI"}'
    fake.userinfo_type = "application/json"
    assert "not a signed JWT" in refused(fake)


def test_a_userinfo_about_another_person_is_refused(fake):
    fake.userinfo = fake.signed_userinfo(sub="c" * 64 + "v1")
    assert "another sub" in refused(fake)


def test_a_userinfo_for_another_audience_is_refused(fake):
    fake.userinfo = fake.signed_userinfo(aud="un-autre-service")
    assert "audience" in refused(fake)


def test_a_provider_down_is_unavailable(fake):
    fake.failures["discovery"] = httpx.ConnectError("connexion refusée")
    assert "ConnectError" in refused(fake, Failure.UNAVAILABLE)


def test_a_provider_timing_out_is_unavailable(fake):
    fake.failures["token"] = httpx.ReadTimeout("trop lent")
    assert "timeout" in refused(fake, Failure.UNAVAILABLE)


def test_a_discovery_in_error_is_unavailable(fake):
    fake.failures["discovery"] = 500
    assert "HTTP 500" in refused(fake, Failure.UNAVAILABLE)


def test_a_malformed_jwks_is_unavailable(fake, monkeypatch):
    monkeypatch.setattr(fake, "published", [])
    fake.failures["jwks"] = 200  # 200 with a body that is not JSON
    assert "not JSON" in refused(fake, Failure.UNAVAILABLE)


def test_a_discovery_without_end_session_is_unavailable(fake, monkeypatch):
    document = fake.discovery()
    del document["end_session_endpoint"]
    monkeypatch.setattr(fake, "discovery", lambda: document)
    assert "end_session_endpoint" in refused(fake, Failure.UNAVAILABLE)


def test_a_token_endpoint_refusing_the_code_is_a_provider_error(fake):
    fake.failures["token"] = 400
    assert "400" in refused(fake, Failure.PROVIDER_ERROR)


def test_a_token_response_without_id_token_is_refused(fake, monkeypatch):
    original = fake.handle

    def handle(request):
        if request.url.path.endswith("/token"):
            return httpx.Response(200, json={"access_token": "x", "token_type": "Bearer"})
        return original(request)

    monkeypatch.setattr(fake, "handle", handle)
    assert "lacks id_token" in refused(fake)


def test_a_garbage_id_token_is_refused(fake):
    fake.id_token = "pas.un.jeton"
    assert "header" in refused(fake)


def test_the_end_session_url_carries_the_hint_the_state_and_the_return(fake):
    url = fake.client().end_session_url(id_token="jeton.id.signe", state="e" * 64)
    assert url == (
        f"{ISSUER}/session/end?id_token_hint=jeton.id.signe&state={'e' * 64}"
        "&post_logout_redirect_uri=http%3A%2F%2Ftestserver%2Ffranceconnect%2Fdeconnexion%2F"
    )
