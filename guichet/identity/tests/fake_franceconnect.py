"""A FranceConnect answering in-process through httpx's MockTransport, with keys made in the test.

It lets a test forge exactly the token it needs (another kid, an expired one, alg none...)."""

import json
import time
from collections import Counter
from urllib.parse import parse_qs, urlsplit

import httpx
from joserfc import jwt
from joserfc.jwk import ECKey, KeySet, OctKey, RSAKey

from guichet.identity.franceconnect.client import Config, FranceConnectClient

ISSUER = "https://fc.example.test/api/v2"
DISCOVERY = f"{ISSUER}/.well-known/openid-configuration"
CLIENT_ID = "client-de-test"
CLIENT_SECRET = "secret-de-test"
REDIRECT_URI = "http://testserver/franceconnect/retour/"
NONCE = "0123456789abcdef" * 4

RENALDO = {
    "given_name": "Renaldo",
    "family_name": "ZOVI",
    "birthdate": "1974-11-22",
    "gender": "male",
    "birthplace": "71270",
    "birthcountry": "99100",
    "email": "renaldo.zovi@example.org",
    "preferred_username": "",
}


def make_key(alg: str = "ES256", kid: str = "cle-1"):
    parameters = {"kid": kid, "alg": alg, "use": "sig"}
    if alg == "ES256":
        return ECKey.generate_key("P-256", parameters=parameters, private=True)
    return RSAKey.generate_key(2048, parameters=parameters, private=True)


def config(**overrides) -> Config:
    values = {
        "discovery_url": DISCOVERY,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "signing_alg": "ES256",
        "acr_values": "eidas1",
        "scopes": "openid given_name family_name birthdate gender birthplace birthcountry email",
        "redirect_uri": REDIRECT_URI,
        "post_logout_redirect_uri": "http://testserver/franceconnect/deconnexion/",
        "timeout": 2,
        "clock_skew": 60,
    }
    return Config(**(values | overrides))


class FakeFranceConnect:
    """The provider's side: discovery, JWKS, token and userinfo, each answer overridable."""

    def __init__(self, alg: str = "ES256"):
        self.alg = alg
        self.key = make_key(alg)
        self.published = [self.key]
        self.calls: Counter[str] = Counter()
        self.nonce = NONCE
        self.sub = "a" * 64 + "v1"
        self.identity = dict(RENALDO)
        self.id_token: str | None = None  # None: a valid one is signed at each token call
        self.userinfo: str | None = None
        self.userinfo_type = "application/jwt"
        # path name → raise this, answer this status, or answer this response
        self.failures: dict[str, Exception | int | httpx.Response] = {}
        self.token_requests: list[dict] = []

    # --- signing -----------------------------------------------------------------------------

    def claims(self, **overrides) -> dict:
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "aud": CLIENT_ID,
            "sub": self.sub,
            "iat": now,
            "exp": now + 60,
            "auth_time": now,
            "acr": "eidas1",
            "nonce": self.nonce,
        }
        return {k: v for k, v in (claims | overrides).items() if v is not None}

    def sign(self, claims: dict, *, key=None, header: dict | None = None) -> str:
        key = key or self.key
        header = header or {"alg": self.alg, "kid": key.kid}
        return jwt.encode(header, claims, key, algorithms=[header["alg"]])

    def signed_userinfo(self, **overrides) -> str:
        claims = {"iss": ISSUER, "aud": CLIENT_ID, "sub": self.sub, **self.identity}
        return self.sign({k: v for k, v in (claims | overrides).items() if v is not None})

    # --- HTTP --------------------------------------------------------------------------------

    def _fail(self, name: str) -> httpx.Response | None:
        failure = self.failures.get(name)
        if isinstance(failure, Exception):
            raise failure
        if isinstance(failure, int):
            return httpx.Response(failure, text="indisponible")
        return failure

    def handle(self, request: httpx.Request) -> httpx.Response:
        path = urlsplit(str(request.url)).path.removeprefix("/api/v2")
        name = {
            "/.well-known/openid-configuration": "discovery",
            "/jwks": "jwks",
            "/token": "token",
            "/userinfo": "userinfo",
        }.get(path, "unknown")
        self.calls[name] += 1
        if (failed := self._fail(name)) is not None:
            return failed
        if name == "discovery":
            return httpx.Response(200, json=self.discovery())
        if name == "jwks":
            return httpx.Response(200, json=KeySet(self.published).as_dict(private=False))  # type: ignore[arg-type]
        if name == "token":
            self.token_requests.append(
                {k: v[0] for k, v in parse_qs(request.content.decode()).items()}
            )
            id_token = self.id_token or self.sign(self.claims())
            return httpx.Response(
                200,
                json={"access_token": "jeton-opaque", "token_type": "Bearer", "expires_in": 60, "id_token": id_token},
            )  # fmt: skip
        if name == "userinfo":
            assert request.headers["Authorization"] == "Bearer jeton-opaque"
            body = self.userinfo or self.signed_userinfo()
            return httpx.Response(
                200, content=body.encode(), headers={"Content-Type": self.userinfo_type}
            )
        return httpx.Response(404)

    def discovery(self) -> dict:
        return {
            "issuer": ISSUER,
            "authorization_endpoint": f"{ISSUER}/authorize",
            "token_endpoint": f"{ISSUER}/token",
            "userinfo_endpoint": f"{ISSUER}/userinfo",
            "jwks_uri": f"{ISSUER}/jwks",
            "end_session_endpoint": f"{ISSUER}/session/end",
            "id_token_signing_alg_values_supported": [self.alg],
        }

    def client(self, **overrides) -> FranceConnectClient:
        settings_like = config(signing_alg=self.alg, **overrides)
        return FranceConnectClient(settings_like, transport=httpx.MockTransport(self.handle))


def hs256_with_public_key(fake: FakeFranceConnect, claims: dict) -> str:
    """The classic confusion attack: HMAC keyed with the provider's public key."""
    secret = json.dumps(fake.key.as_dict(private=False), sort_keys=True).encode()
    return jwt.encode(
        {"alg": "HS256", "kid": fake.key.kid},
        claims,
        OctKey.import_key(secret),
        algorithms=["HS256"],
    )


def unsigned(claims: dict, kid: str = "cle-1") -> str:
    import base64

    def part(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'kid': kid})}.{part(claims)}."
