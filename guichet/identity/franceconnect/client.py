"""A FranceConnect v2 client: discovery-driven, authorization-code flow, signed JWTs checked.

Every endpoint comes from the discovery document, so moving from the sandbox to FranceConnect's
integration platform, then to production, is configuration only (FC_* variables,
docs/environment.md). The id_token and the userinfo are JWS signed with ES256 or RS256: the key
is taken from the provider's JWKS by its `kid`, and the JWKS is fetched again once when the
`kid` is unknown (FranceConnect rotates its keys). JOSE is joserfc's (docs/adr/0030).
"""

import base64
import datetime as dt
import hmac
import json
import math
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
from django.conf import settings
from django.core.cache import cache
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from guichet.identity.franceconnect.errors import Failure, FranceConnectError

ACR_LEVELS = {"eidas1": 1, "eidas2": 2, "eidas3": 3}
KEY_TYPES = {"ES256": "EC", "RS256": "RSA"}
DISCOVERY_TTL = 3600
JWKS_TTL = 3600
MAX_RESPONSE_BYTES = 256 * 1024
REQUIRED_METADATA = (
    "issuer",
    "authorization_endpoint",
    "token_endpoint",
    "userinfo_endpoint",
    "jwks_uri",
    "end_session_endpoint",
)


@dataclass(frozen=True)
class Config:
    discovery_url: str
    client_id: str
    client_secret: str
    signing_alg: str
    acr_values: str
    scopes: str
    redirect_uri: str
    post_logout_redirect_uri: str
    timeout: float
    clock_skew: int

    @classmethod
    def from_settings(cls) -> "Config | None":
        """The configuration, or None when FranceConnect is off (FC_DISCOVERY_URL empty)."""
        if not settings.FC_DISCOVERY_URL:
            return None
        return cls(
            discovery_url=settings.FC_DISCOVERY_URL,
            client_id=settings.FC_CLIENT_ID,
            client_secret=settings.FC_CLIENT_SECRET,
            signing_alg=settings.FC_SIGNING_ALG,
            acr_values=settings.FC_ACR_VALUES,
            scopes=settings.FC_SCOPES,
            redirect_uri=settings.FC_REDIRECT_URI,
            post_logout_redirect_uri=settings.FC_POST_LOGOUT_REDIRECT_URI,
            timeout=settings.FC_HTTP_TIMEOUT_SECONDS,
            clock_skew=settings.FC_CLOCK_SKEW_SECONDS,
        )


@dataclass(frozen=True)
class Provider:
    """What the discovery document says of the provider."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str
    jwks_uri: str
    end_session_endpoint: str


@dataclass(frozen=True)
class Tokens:
    id_token: str
    access_token: str


def _unavailable(detail: str) -> FranceConnectError:
    return FranceConnectError(Failure.UNAVAILABLE, detail)


def _invalid(detail: str) -> FranceConnectError:
    return FranceConnectError(Failure.INVALID_TOKEN, detail)


class FranceConnectClient:
    """One provider, as configured; `transport` lets the tests answer in FranceConnect's place."""

    def __init__(self, config: Config, *, transport: httpx.BaseTransport | None = None):
        self.config = config
        self._transport = transport

    # --- HTTP --------------------------------------------------------------------------------

    def _http(self) -> httpx.Client:
        return httpx.Client(
            timeout=httpx.Timeout(self.config.timeout),
            transport=self._transport,
            follow_redirects=False,
            headers={"User-Agent": "Guichet FranceConnect client"},
        )

    def _call(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        try:
            with self._http() as http:
                response = http.request(method, url, **kwargs)
        except httpx.TimeoutException:
            raise _unavailable(f"timeout on {url}") from None
        except httpx.HTTPError as error:
            raise _unavailable(f"{type(error).__name__} on {url}") from None
        if len(response.content) > MAX_RESPONSE_BYTES:
            raise _unavailable(f"response too large from {url}")
        return response

    def _json(self, url: str) -> dict:
        response = self._call("GET", url)
        if response.status_code != 200:
            raise _unavailable(f"HTTP {response.status_code} on {url}")
        try:
            data = response.json()
        except ValueError:
            raise _unavailable(f"not JSON from {url}") from None
        if not isinstance(data, dict):
            raise _unavailable(f"not a JSON object from {url}")
        return data

    # --- Discovery and keys ------------------------------------------------------------------

    def provider(self) -> Provider:
        key = f"fc:discovery:{self.config.discovery_url}"
        data = cache.get(key)
        if data is None:
            data = self._json(self.config.discovery_url)
            missing = [name for name in REQUIRED_METADATA if not isinstance(data.get(name), str)]
            if missing:
                raise _unavailable(f"discovery lacks {', '.join(missing)}")
            algs = data.get("id_token_signing_alg_values_supported") or []
            if self.config.signing_alg not in algs:
                raise _unavailable(f"provider does not sign with {self.config.signing_alg}")
            cache.set(key, data, DISCOVERY_TTL)
        return Provider(**{name: data[name] for name in REQUIRED_METADATA})

    def _key_set(self, *, refresh: bool = False) -> KeySet:
        jwks_uri = self.provider().jwks_uri
        key = f"fc:jwks:{jwks_uri}"
        data = None if refresh else cache.get(key)
        if data is None:
            data = self._json(jwks_uri)
            try:
                KeySet.import_key_set(data)  # type: ignore[arg-type]
            except (JoseError, ValueError, TypeError, KeyError):
                raise _unavailable("malformed JWKS") from None
            cache.set(key, data, JWKS_TTL)
        return KeySet.import_key_set(data)  # type: ignore[arg-type]

    def _signing_key(self, kid: str):
        """The provider's key with this `kid`; the JWKS is fetched again once if it is unknown."""
        for refresh in (False, True):
            for candidate in self._key_set(refresh=refresh).keys:
                if candidate.kid == kid:
                    return candidate
        raise _invalid(f"unknown kid {kid!r}")

    # --- The flow ----------------------------------------------------------------------------

    def authorization_url(self, *, state: str, nonce: str) -> str:
        query = urlencode(
            {
                "response_type": "code",
                "client_id": self.config.client_id,
                "redirect_uri": self.config.redirect_uri,
                "scope": self.config.scopes,
                "acr_values": self.config.acr_values,
                "state": state,
                "nonce": nonce,
            }
        )
        return f"{self.provider().authorization_endpoint}?{query}"

    def exchange_code(self, *, code: str) -> Tokens:
        """The token request (client_secret_post, as FranceConnect v2 documents it)."""
        response = self._call(
            "POST",
            self.provider().token_endpoint,
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": self.config.redirect_uri,
                "client_id": self.config.client_id,
                "client_secret": self.config.client_secret,
            },
            headers={"Accept": "application/json"},
        )
        if 400 <= response.status_code < 500:
            raise FranceConnectError(
                Failure.PROVIDER_ERROR, f"token endpoint said {response.status_code}"
            )
        if response.status_code != 200:
            raise _unavailable(f"token endpoint said {response.status_code}")
        try:
            data = response.json()
        except ValueError:
            raise _unavailable("token response is not JSON") from None
        if not isinstance(data, dict):
            raise _unavailable("token response is not a JSON object")
        id_token, access_token = data.get("id_token"), data.get("access_token")
        if not (isinstance(id_token, str) and isinstance(access_token, str) and access_token):
            raise _invalid("token response lacks id_token or access_token")
        if str(data.get("token_type", "")).lower() != "bearer":
            raise _invalid("token type is not Bearer")
        return Tokens(id_token=id_token, access_token=access_token)

    def verify_id_token(self, raw: str, *, nonce: str) -> dict[str, Any]:
        """The id_token's claims, once its signature, issuer, audience, dates, nonce and acr hold."""
        claims = self._verify_signature(raw)
        self._check_common_claims(claims, require_dates=True)
        sent = claims.get("nonce")
        if not isinstance(sent, str) or not hmac.compare_digest(sent, nonce):
            raise _invalid("nonce mismatch")
        wanted = ACR_LEVELS.get(self.config.acr_values, 1)
        if ACR_LEVELS.get(str(claims.get("acr")), 0) < wanted:
            raise _invalid(f"acr {claims.get('acr')!r} below {self.config.acr_values}")
        if not isinstance(claims.get("sub"), str) or not claims["sub"]:
            raise _invalid("no sub")
        return claims

    def fetch_userinfo(self, *, access_token: str, sub: str) -> dict[str, Any]:
        """The userinfo, which FranceConnect v2 signs (application/jwt): a plain JSON one is refused."""
        response = self._call(
            "GET",
            self.provider().userinfo_endpoint,
            headers={"Authorization": f"Bearer {access_token}", "Accept": "application/jwt"},
        )
        if response.status_code != 200:
            raise _unavailable(f"userinfo said {response.status_code}")
        content_type = response.headers.get("content-type", "").split(";")[0].strip()
        if content_type != "application/jwt":
            raise _invalid(f"userinfo is {content_type or 'untyped'}, not a signed JWT")
        claims = self._verify_signature(response.text.strip())
        self._check_common_claims(claims, require_dates=False)
        if claims.get("sub") != sub:
            raise _invalid("userinfo is about another sub")
        return claims

    def end_session_url(self, *, id_token: str, state: str) -> str:
        query = urlencode(
            {
                "id_token_hint": id_token,
                "state": state,
                "post_logout_redirect_uri": self.config.post_logout_redirect_uri,
            }
        )
        return f"{self.provider().end_session_endpoint}?{query}"

    # --- JWT checks --------------------------------------------------------------------------

    def _verify_signature(self, raw: str) -> dict[str, Any]:
        header = _header(raw)
        alg = header.get("alg")
        if alg != self.config.signing_alg:  # "none", HS256 and any other are refused here
            raise _invalid(f"alg {alg!r} instead of {self.config.signing_alg}")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise _invalid("no kid in the JWT header")
        key = self._signing_key(kid)
        if key.key_type != KEY_TYPES[self.config.signing_alg]:
            raise _invalid(f"key {kid!r} is {key.key_type}, not for {alg}")
        try:
            token = jwt.decode(raw, key, algorithms=[self.config.signing_alg])
        except (JoseError, ValueError) as error:
            raise _invalid(f"signature: {type(error).__name__}") from None
        return dict(token.claims)

    def _check_common_claims(self, claims: dict[str, Any], *, require_dates: bool) -> None:
        issuer = self.provider().issuer
        if claims.get("iss") != issuer:
            raise _invalid(f"issuer {claims.get('iss')!r}")
        audience = claims.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.config.client_id not in audiences:
            raise _invalid("audience is not this client")
        now, skew = time.time(), self.config.clock_skew
        for name in ("exp", "iat"):
            value = claims.get(name)
            if (value is not None or require_dates) and not _is_date(value):
                raise _invalid(f"{name} is not a date: {value!r}")
        exp, iat = claims.get("exp"), claims.get("iat")
        if exp is not None and exp + skew < now:
            raise _invalid(f"expired at {_when(exp)}")
        if iat is not None and iat - skew > now:
            raise _invalid(f"issued in the future at {_when(iat)}")


def _is_date(value: object) -> bool:
    """A NumericDate: a finite number of seconds (NaN would pass every comparison)."""
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and 0 <= value < 253402300800  # before year 10000: datetime can still show it
    )


def _when(timestamp: float) -> str:
    return dt.datetime.fromtimestamp(timestamp, dt.UTC).isoformat()


def _header(raw: str) -> dict[str, Any]:
    """The JOSE header of a compact JWS, read before anything is trusted."""
    parts = raw.split(".") if isinstance(raw, str) else []
    if len(parts) != 3:
        raise _invalid("not a compact JWS")
    try:
        padded = parts[0] + "=" * (-len(parts[0]) % 4)
        header = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, UnicodeError):
        raise _invalid("unreadable JWT header") from None
    if not isinstance(header, dict):
        raise _invalid("JWT header is not an object")
    return header


def get_client() -> FranceConnectClient | None:
    """The client for the configured provider, or None when FranceConnect is off."""
    config = Config.from_settings()
    return FranceConnectClient(config) if config else None
