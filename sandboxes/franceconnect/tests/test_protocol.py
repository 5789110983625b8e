"""The sandbox speaks FranceConnect v2 to a service provider: driven over HTTP, in its own process."""

import re
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import KeySet

from sandboxes.franceconnect.testing import running_sandbox

CLIENT_ID, SECRET = "fs-de-test", "secret-du-fs-de-test"
REDIRECT = "http://fs.example.test/retour/"
AFTER_LOGOUT = "http://fs.example.test/apres-deconnexion/"
STATE, NONCE = "s" * 40, "n" * 40


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    with running_sandbox(
        var_dir=tmp_path_factory.mktemp("fc"),
        client_id=CLIENT_ID,
        client_secret=SECRET,
        client_name="Service de test",
        redirect_uris=REDIRECT,
        post_logout_redirect_uris=AFTER_LOGOUT,
    ) as url:
        yield url


@pytest.fixture
def browser(sandbox):
    with httpx.Client(base_url=sandbox, follow_redirects=False, timeout=5) as client:
        yield client


def authorize_url(**overrides) -> str:
    params = {
        "response_type": "code", "client_id": CLIENT_ID, "redirect_uri": REDIRECT,
        "scope": "openid identite_pivot email", "acr_values": "eidas1", "state": STATE, "nonce": NONCE,
    } | overrides  # fmt: skip
    return "/api/v2/authorize?" + urlencode({k: v for k, v in params.items() if v is not None})


def csrf(response: httpx.Response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text).group(1)


def post(browser, page: httpx.Response, url: str, **fields) -> httpx.Response:
    return browser.post(url, data={"csrfmiddlewaretoken": csrf(page), **fields})


def get_code(browser, identity: str = "renaldo") -> str:
    url = authorize_url()
    page = browser.get(url)
    if "Choisissez une identité de test" in page.text:
        page = post(browser, page, url, action="choose", identity=identity)
    assert "Vous êtes identifié(e)" in page.text
    answer = post(browser, page, url, action="consent")
    assert answer.status_code == 302 and answer.headers["location"].startswith(REDIRECT)
    query = parse_qs(urlsplit(answer.headers["location"]).query)
    assert query["state"] == [STATE]
    return query["code"][0]


def exchange(browser, code: str, **auth) -> httpx.Response:
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT}
    if not auth:
        data |= {"client_id": CLIENT_ID, "client_secret": SECRET}
    return browser.post("/api/v2/token", data=data, **auth)


def keys(browser) -> KeySet:
    return KeySet.import_key_set(browser.get("/api/v2/jwks").json())


def test_discovery_names_franceconnect_v2_endpoints(browser, sandbox):
    document = browser.get("/api/v2/.well-known/openid-configuration").json()
    assert document["issuer"] == f"{sandbox}/api/v2"
    assert document["end_session_endpoint"] == f"{sandbox}/api/v2/session/end"
    assert document["id_token_signing_alg_values_supported"] == ["ES256"]
    assert "eidas1" in document["acr_values_supported"]


def test_the_id_token_is_signed_and_carries_nonce_acr_and_audience(browser, sandbox):
    response = exchange(browser, get_code(browser))
    assert response.status_code == 200
    tokens = response.json()
    assert tokens["token_type"] == "Bearer"
    token = jwt.decode(tokens["id_token"], keys(browser), algorithms=["ES256"])
    assert token.header["kid"]
    claims = token.claims
    assert (claims["iss"], claims["aud"], claims["nonce"], claims["acr"]) == (
        f"{sandbox}/api/v2",
        CLIENT_ID,
        NONCE,
        "eidas1",
    )
    assert "given_name" not in claims  # the identity comes by the userinfo, as at FranceConnect


def test_the_userinfo_is_a_signed_jwt_with_the_identite_pivot(browser, sandbox):
    access = exchange(browser, get_code(browser, "sarah")).json()["access_token"]
    response = browser.get("/api/v2/userinfo", headers={"Authorization": f"Bearer {access}"})
    assert response.headers["content-type"] == "application/jwt"
    claims = jwt.decode(response.text, keys(browser), algorithms=["ES256"]).claims
    assert claims["aud"] == CLIENT_ID and claims["iss"] == f"{sandbox}/api/v2"
    assert (claims["family_name"], claims["birthplace"], claims["birthcountry"]) == (
        "LAMBERT",
        "95046",
        "99100",
    )
    assert claims["email"] == "sarah.lambert@example.org"


def test_the_userinfo_needs_a_valid_access_token(browser):
    assert browser.get("/api/v2/userinfo").status_code == 401
    bad = browser.get("/api/v2/userinfo", headers={"Authorization": "Bearer inconnu"})
    assert bad.status_code == 401


def test_client_secret_basic_is_accepted_too(browser):
    response = exchange(browser, get_code(browser), auth=(CLIENT_ID, SECRET))
    assert response.status_code == 200


def test_a_wrong_client_secret_is_refused(browser):
    code = get_code(browser)
    response = browser.post(
        "/api/v2/token",
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT,
              "client_id": CLIENT_ID, "client_secret": "faux"},
    )  # fmt: skip
    assert response.status_code == 401 and response.json()["error"] == "invalid_client"


def test_a_code_serves_once(browser):
    code = get_code(browser)
    assert exchange(browser, code).status_code == 200
    again = exchange(browser, code)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"nonce": "court"}, "Y030007"),
        ({"state": "court"}, "Y030007"),
        ({"acr_values": None}, "Y030007"),
        ({"client_id": "inconnu"}, "invalid_client"),
        ({"redirect_uri": "http://ailleurs.example.test/"}, "invalid_request"),
    ],
)
def test_a_bad_authorize_request_is_refused_on_a_page(browser, overrides, expected):
    response = browser.get(authorize_url(**overrides))
    assert response.status_code == 400 and expected in response.text


def test_cancelling_sends_access_denied_back_with_the_state(browser):
    url = authorize_url()
    page = browser.get(url)
    answer = post(browser, page, url, action="cancel")
    query = parse_qs(urlsplit(answer.headers["location"]).query)
    assert query["error"] == ["access_denied"] and query["state"] == [STATE]


def test_the_session_is_kept_until_end_session_which_returns_with_the_state(browser):
    id_token = exchange(browser, get_code(browser)).json()["id_token"]
    assert "Vous êtes identifié(e) : Renaldo ZOVI" in browser.get(authorize_url()).text  # SSO
    ended = browser.get(
        "/api/v2/session/end",
        params={
            "id_token_hint": id_token,
            "state": "fin" * 11,
            "post_logout_redirect_uri": AFTER_LOGOUT,
        },
    )
    assert ended.status_code == 302
    assert ended.headers["location"] == f"{AFTER_LOGOUT}?state={'fin' * 11}"
    assert "Choisissez une identité de test" in browser.get(authorize_url()).text


def test_end_session_never_redirects_to_an_unregistered_address(browser):
    id_token = exchange(browser, get_code(browser)).json()["id_token"]
    ended = browser.get(
        "/api/v2/session/end",
        params={
            "id_token_hint": id_token,
            "post_logout_redirect_uri": "http://pirate.example.test/",
        },
    )
    assert ended.status_code == 200 and "Vous êtes déconnecté(e) de FranceConnect" in ended.text


def test_keys_are_made_at_first_start_and_rs256_can_be_chosen(tmp_path):
    with running_sandbox(var_dir=tmp_path, signing_alg="RS256") as url:
        published = httpx.get(f"{url}/api/v2/jwks").json()["keys"]
    assert [key["kty"] for key in published] == ["RSA"]
    assert "d" not in published[0]  # the private half stays in the var directory
    assert (tmp_path / "signing-keys.json").exists()
